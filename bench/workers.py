"""The events stage at scale: whole ingest runs with one worker and with two, side by side; runs with
and without events on real articles; extraction alone against `newsflow extract` over a stored
database; and what shipping batches to worker processes costs.

Run: `.venv/bin/python -m bench.workers [--articles 10000] [--repeat 3]` (`make bench` runs it).
Runs alternate (one worker, two workers, one, two...) so the machine's load touches both alike;
medians are shown with every run's figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.__main__ import use_local_prefect

# Prefect reads its settings when first imported.
use_local_prefect()

import cloudpickle  # type: ignore[import-untyped]  # noqa: E402  (Prefect's; its worker runners pickle with it)

from bench.corpus import write_corpus  # noqa: E402
from bench.events_eval import SEEDS  # noqa: E402
from bench.html_eval import DEFAULT_ROOT, GOLD_FILE, load_gold  # noqa: E402
from extractors import ParseOptions  # noqa: E402
from extractors.events import RuleExtractor, extract_batch  # noqa: E402
from flows.events import lean, run_extract  # noqa: E402
from flows.ingest import prepare_batch, run_ingest  # noqa: E402
from schemas import RunSummary  # noqa: E402
from sources import FilesConfig, FilesSource  # noqa: E402
from store import event_rows, read_pending  # noqa: E402

POLNEAR = DEFAULT_ROOT.parent / "polnear-dev" / "text"


def write_real(folder: Path) -> int:
    """Real reports as text files: the seeds, the news-html-gold bodies and the PolNeAR articles."""
    folder.mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    if (DEFAULT_ROOT / GOLD_FILE).exists():
        for i, page in enumerate(load_gold(DEFAULT_ROOT)):
            (folder / f"gold-{i:03d}.txt").write_text(page.title + "\n\n" + page.body, "utf-8")
    if POLNEAR.exists():
        for text in POLNEAR.glob("*.txt"):
            shutil.copy(text, folder / f"polnear-{text.name}")
    return len(list(folder.iterdir()))


def timed_run(corpus: Path, db: Path, **options: Any) -> tuple[RunSummary, float]:
    """One `ingest` flow run into a fresh database, timed from outside (start-up of workers included)."""
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    started = time.perf_counter()
    summary = run_ingest(sources=[str(corpus)], db=str(db), **options)
    return summary, time.perf_counter() - started


def _median_rate(n: int, seconds: Sequence[float]) -> float:
    return n / statistics.median(seconds)


def _runs(n: int, seconds: Sequence[float]) -> str:
    return " ".join(f"{n / s:,.0f}" for s in seconds)


def compare(
    label: str, corpus: Path, work: Path, n: int, variants: dict[str, dict[str, Any]], repeat: int
) -> dict[str, tuple[list[float], list[RunSummary]]]:
    """Run each variant `repeat` times, alternating, and print articles/s per variant."""
    results: dict[str, tuple[list[float], list[RunSummary]]] = {name: ([], []) for name in variants}
    for index in range(repeat):
        for name, options in variants.items():
            print(f"bench.workers: {label}, {name}, run {index + 1} of {repeat}", file=sys.stderr)
            summary, wall = timed_run(corpus, work / f"{label}-{name}.duckdb".replace(" ", "_"), **options)
            results[name][0].append(wall)
            results[name][1].append(summary)
    for name, (walls, summaries) in results.items():
        s = summaries[-1]
        print(
            f"  {name:<34} {statistics.median(walls):7.2f} s  {_median_rate(n, walls):8,.0f} articles/s   "
            f"runs: {_runs(n, walls)}   ({s.n_new:,} new, {s.n_extracted:,} coded, {s.n_events:,} events)"
        )
    return results


def shares(summaries: Sequence[RunSummary], walls: Sequence[float]) -> str:
    """Each stage's seconds as a share of the run's wall time (medians; worker seconds are summed over workers)."""
    parts = {
        "read": [s.seconds_read for s in summaries],
        "parse (workers)": [s.seconds_parse for s in summaries],
        "append": [s.seconds_store for s in summaries],
        "extract (workers)": [s.seconds_extract for s in summaries],
        "write events": [s.seconds_events for s in summaries],
        "flow waiting for workers": [s.seconds_parse_wait + s.seconds_extract_wait for s in summaries],
    }
    wall = statistics.median(walls)
    return ", ".join(
        f"{name} {statistics.median(v):.2f} s = {statistics.median(v) / wall:.0%}" for name, v in parts.items()
    )


def serialisation(corpus: Path, batch_size: int) -> list[str]:
    """What shipping one page to a worker and its results back costs, against the work itself."""
    page = next(iter(FilesSource(FilesConfig(path=corpus, page_size=batch_size)).pages(None)))
    started = time.perf_counter()
    batch = prepare_batch("bench", "bench", page.documents, page.rejects, ParseOptions())
    parse = time.perf_counter() - started
    articles = [lean(a) for a in batch.articles]
    started = time.perf_counter()
    extractions = extract_batch(RuleExtractor(), articles)
    extract = time.perf_counter() - started
    shipped = event_rows(extractions)

    def cost(value: object) -> tuple[float, int]:
        started = time.perf_counter()
        blob = cloudpickle.dumps(value)
        cloudpickle.loads(blob)
        return time.perf_counter() - started, len(blob)

    lines = []
    rows: list[tuple[str, object, float]] = [
        ("page of documents to a parse worker", page.documents, parse),
        ("parsed batch back", batch, parse),
        ("articles to an extraction worker", articles, extract),
        ("extractions back, as models", extractions, extract),
        ("extractions back, as Arrow rows (what is sent)", shipped, extract),
    ]
    for name, value, work in rows:
        seconds, size = cost(value)
        lines.append(
            f"  {name:<48} {size / 2**20:7.2f} MiB  {seconds * 1000:7.1f} ms to pickle and unpickle "
            f"= {seconds / work:5.1%} of the stage's {work:.2f} s"
        )
    return [f"serialisation of one batch of {len(page.documents):,} documents (cloudpickle, in this process):", *lines]


def replay(db: Path, n_workers: int, repeat: int) -> list[str]:
    """Extraction alone (one core, in this process) against `newsflow extract --all` over the stored database."""
    articles = read_pending(db, "bench@0", limit=10**9, redo=True)
    extractor = RuleExtractor()
    extract_batch(extractor, articles[:20])  # the gazetteers load once, as in a worker
    alone: list[float] = []
    replays: dict[int, list[float]] = {1: [], n_workers: []}
    for index in range(repeat):
        print(f"bench.workers: extraction alone and replay, run {index + 1} of {repeat}", file=sys.stderr)
        started = time.perf_counter()
        extract_batch(extractor, articles)
        alone.append(time.perf_counter() - started)
        for workers in replays:
            started = time.perf_counter()
            summary = run_extract(db=str(db), redo=True, workers=workers)
            replays[workers].append(time.perf_counter() - started)
            assert summary.n_extracted == len(articles), summary
    n = len(articles)
    rate = _median_rate(n, alone)
    lines = [
        f"extraction alone and replay over a stored database of {n:,} canonical articles:",
        f"  {'extract_batch in this process, one core':<44} {_median_rate(n, alone):8,.0f} articles/s   "
        f"runs: {_runs(n, alone)}",
    ]
    for workers, seconds in replays.items():
        lines.append(
            f"  {f'newsflow extract --all --workers {workers}':<44} {_median_rate(n, seconds):8,.0f} articles/s   "
            f"runs: {_runs(n, seconds)}   = {_median_rate(n, seconds) / rate:.0%} of extraction alone"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; exit 1 when one and two workers stored different counts."""
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="generated articles (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=1000, help="inputs per batch (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="the many-worker side")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsflow-bench-workers-"))
    try:
        corpus = work / "corpus"
        stats = write_corpus(corpus, n_articles=args.articles, seed=1)
        real = work / "real"
        n_real = write_real(real)
        print("bench.workers: starting Prefect with a warm-up run", file=sys.stderr)
        timed_run(SEEDS, work / "warmup.duckdb", workers=1)
        many = args.workers
        print(
            f"newsflow bench.workers: nproc {os.cpu_count()}, batches of {args.batch_size}, median of {args.repeat} "
            "runs, wall time of each run call (worker start-up included)"
        )
        words = stats.n_body_words // stats.n_articles
        print(f"whole ingest with events, {stats.n_articles:,} generated articles (~{words} words):")
        generated = compare(
            "generated",
            corpus,
            work,
            stats.n_articles,
            {"--workers 1": {"workers": 1}, f"--workers {many}": {"workers": many}},
            args.repeat,
        )
        one, two = (statistics.median(generated[k][0]) for k in ("--workers 1", f"--workers {many}"))
        print(f"  speed-up with {many} workers: {one / two:.2f}x")
        for name, (seconds, summaries) in generated.items():
            print(f"  stage shares, {name}: {shares(summaries, seconds)}")
        print(f"real reports, {n_real} articles (seeds, news-html-gold, PolNeAR), with and without events:")
        real_runs = compare(
            "real",
            real,
            work,
            n_real,
            {
                "events, --workers 1": {"workers": 1},
                "--extractor none, --workers 1": {"workers": 1, "extractor": "none"},
                "events, default workers": {},
                "--extractor none, default workers": {"extractor": "none"},
                f"events, --workers {many}": {"workers": many},
            },
            args.repeat,
        )
        for workers in ("--workers 1", "default workers"):
            with_events = statistics.median(real_runs[f"events, {workers}"][0])
            without = statistics.median(real_runs[f"--extractor none, {workers}"][0])
            print(f"  with events / without, {workers}: {with_events / without:.2f}x the time")
        print("\n".join(serialisation(corpus, args.batch_size)))
        stored = work / "generated---workers_1.duckdb"
        print("\n".join(replay(stored, many, args.repeat)))
        counts = {
            name: {(s.n_new, s.n_copies, s.n_extracted, s.n_events) for s in summaries}
            for name, (_, summaries) in generated.items()
        }
        if len({frozenset(c) for c in counts.values()}) != 1:
            print(f"CHECK FAILED: runs stored different counts: {counts}")
            return 1
        print(f"check: every run stored the same counts {sorted(next(iter(counts.values())))}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
