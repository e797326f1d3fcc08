"""How well story assignment tells copies from different stories: pairwise precision, recall, F1.

Generates the syndication corpus (bench/syndication.py), ingests it through the real stages
(parse, identify, append with story assignment) into a fresh DuckDB file, and scores the stored
`story_id` of every document against the generator's truth. Run:
`.venv/bin/python -m bench.stories_eval [--copies N] [--seed S] [--batch-size N]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench.syndication import (
    DEFAULT_COPIES,
    DEFAULT_SEED,
    DEFAULT_SEEDS,
    load_originals,
    make_corpus,
    pairwise_scores,
    write_corpus,
)
from bench.text_eval import DEFAULT_GOLD
from extractors import ParseOptions
from flows.ingest import prepare_batch, story_assigner
from flows.settings import DEFAULT_BATCH_SIZE
from sources import FilesConfig, FilesSource
from store import append_batch, query, start_run


def evaluate(folder: Path, work: Path, batch_size: int) -> tuple[list[str], list[str], list[str], float]:
    """Ingest `folder` without Prefect; return doc ids, true and predicted stories, and seconds."""
    truth = {row["file"]: row for row in map(json.loads, (folder / "truth.jsonl").read_text("utf-8").splitlines())}
    db = work / "stories.duckdb"
    run_id = uuid.uuid4().hex
    source = FilesSource(FilesConfig(path=folder, page_size=batch_size))
    start_run(db, run_id, flow_run_id=None, sources=[source.name])
    started = time.perf_counter()
    assign = story_assigner()
    for page in source.pages(None):
        batch = prepare_batch(run_id, source.name, page.documents, page.rejects, ParseOptions())
        append_batch(db, batch, assign=assign)
    seconds = time.perf_counter() - started
    stored = dict(query(db, "select uri, story_id from articles").rows)
    names, true, predicted = [], [], []
    for uri, story in stored.items():
        name = Path(uri.removeprefix("file://")).name
        if name in truth:
            names.append(name)
            true.append(str(truth[name]["story"]))
            predicted.append(str(story))
    return names, true, predicted, seconds


def main(argv: Sequence[str]) -> int:
    """Print the scores and the confusions behind them."""
    parser = argparse.ArgumentParser(prog="python -m bench.stories_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES, help="copies per story")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the corpus generator")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="documents per batch")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="news-html-gold jsonl (originals)")
    args = parser.parse_args(argv)
    gold = args.gold if args.gold.exists() else None
    originals = load_originals(DEFAULT_SEEDS, gold)
    docs = make_corpus(originals, copies_per_story=args.copies, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="newsflow-stories-") as tmp:
        work = Path(tmp)
        write_corpus(docs, work / "corpus")
        names, true, predicted, seconds = evaluate(work / "corpus", work, args.batch_size)
    precision, recall, f1 = pairwise_scores(true, predicted)
    print(f"{len(names)} documents, {len(set(true))} true stories, {len(set(predicted))} predicted, in {seconds:.2f} s")
    print(f"pairwise precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    by_doc = {d.doc_id: d for d in docs}
    misses: Counter[str] = Counter()
    story_of = dict(zip(names, predicted, strict=True))
    truth_of = dict(zip(names, true, strict=True))
    canon: dict[str, str] = {}
    for name in names:
        canon.setdefault(truth_of[name], story_of[name])
    for name in names:
        doc = by_doc.get(Path(name).stem)
        if doc is not None and story_of[name] != canon[truth_of[name]]:
            misses[" + ".join(sorted(doc.edits)) or "original"] += 1
    for edits, count in misses.most_common(12):
        print(f"  split from its story: {count:4d}  {edits}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
