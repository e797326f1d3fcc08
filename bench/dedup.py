"""Story assignment speed: signatures against datasketch, whole dedup, and cost as the store grows.

Run: `.venv/bin/python -m bench.dedup [--articles N] [--stored 10000 200000] [--repeat 3] [--batch-repeat 9]`
(`make bench` runs it). All figures come from one process, side by side:

- signatures/s: `dedup.fingerprint` (text in, signatures out) against datasketch's
  `MinHash.bulk` on the same five-word shingles (shingling not counted for datasketch);
- whole dedup articles/s: fingerprints, candidate lookup, assignment and storage in DuckDB
  (`append_batch` with stories) against datasketch's `MinHash.bulk` + `MinHashLSH` query and
  insert in memory;
- the time to append one batch of 1,000 articles into a store that already holds N articles
  (synthetic index and signature rows), for each N.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
from datasketch import MinHash, MinHashLSH

from bench.corpus import write_corpus
from dedup import MinHashOptions, fingerprint
from dedup.minhash import fold
from extractors import ParseOptions, parse_batch
from flows.ingest import prepare_batch, story_assigner
from schemas import Article, Batch
from sources import FilesConfig, FilesSource
from store import append_batch, start_run, writer


def _median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _shingles(text: str, k: int) -> list[bytes]:
    words = [w for w in "".join(c if c.isalnum() else " " for c in fold(text)).split()]
    return [" ".join(words[i : i + k]).encode() for i in range(max(len(words) - k + 1, 1))]


def _articles(folder: Path, batch_size: int) -> list[list[Article]]:
    source = FilesSource(FilesConfig(path=folder, page_size=batch_size))
    return [
        prepare_batch("bench", source.name, p.documents, p.rejects, ParseOptions()).articles for p in source.pages(None)
    ]


def _prefill(db: Path, n: int, options: MinHashOptions, seed: int = 5) -> None:
    """Store `n` synthetic articles with random index and signature rows, as a grown store holds."""
    rng = np.random.default_rng(seed)
    ids = [f"stored{i:09d}" for i in range(n)]
    start_run(db, "prefill", flow_run_id=None, sources=["prefill"])
    with writer(db) as con:
        con.register("pre", pa.table({"article_id": ids}))
        con.execute(
            "INSERT INTO article_rows (article_id, source, uri, title, published_precision, text, content_hash, "
            "word_count, run_id, ingested_at, story_id) SELECT article_id, 'prefill', 'prefill:' || article_id, "
            "'t', 'unknown', 'x', md5(article_id), 1, 'prefill', now(), article_id FROM pre"
        )
        keys = rng.integers(-(2**62), 2**62, size=n * options.bands, dtype=np.int64)
        owners = np.arange(n, dtype=np.int64) - 2**62  # article keys of the synthetic articles
        con.register("keys", pa.table({"band_key": keys, "article_key": np.repeat(owners, options.bands)}))
        con.execute("INSERT INTO fingerprints SELECT band_key, article_key FROM keys")
        sigs = rng.integers(0, 2**32, size=(n, options.num_perm), dtype=np.uint32)
        con.register(
            "sigs",
            pa.table(
                {
                    "article_key": owners,
                    "article_id": ids,
                    "signature": pa.array([row.tobytes() for row in sigs], pa.binary()),
                }
            ),
        )
        con.execute(
            "INSERT INTO signatures "
            "SELECT article_key, article_id, article_id, md5(article_id), 500, signature FROM sigs"
        )
        con.register("st", pa.table({"story_id": ids}))
        con.execute("INSERT INTO stories SELECT story_id, story_id, 't', now(), now(), 1, 0 FROM st")


def main(argv: Sequence[str]) -> int:
    """Print the three measurements."""
    parser = argparse.ArgumentParser(prog="python -m bench.dedup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="generated articles to measure on")
    parser.add_argument("--stored", type=int, nargs="+", default=[10_000, 200_000], help="store sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median shown)")
    parser.add_argument("--batch-repeat", type=int, default=9, help="batches appended per store size (median shown)")
    parser.add_argument("--batch-size", type=int, default=1000, help="articles per appended batch")
    args = parser.parse_args(argv)
    options = MinHashOptions()
    with tempfile.TemporaryDirectory(prefix="newsflow-dedup-") as tmp:
        work = Path(tmp)
        write_corpus(work / "corpus", n_articles=args.articles, words=600, seed=11)
        source = FilesSource(FilesConfig(path=work / "corpus", page_size=args.articles))
        (page,) = list(source.pages(None))
        texts = [r.article.text for r in parse_batch(page.documents) if r.article is not None]
        shingles = [_shingles(t, options.shingle_words) for t in texts]
        n = len(texts)
        print(f"newsflow dedup bench: {n:,} generated articles of ~600 words, num_perm {options.num_perm}, "
              f"{options.bands} bands, median of {args.repeat}")  # fmt: skip

        ours = _median_seconds(lambda: fingerprint(texts, options), args.repeat)
        theirs = _median_seconds(lambda: MinHash.bulk(shingles, num_perm=options.num_perm), args.repeat)
        print(f"  signatures/s   newsflow fingerprint (from text) {n / ours:>10,.0f}")
        print(
            f"                 datasketch MinHash.bulk (shingles given) {n / theirs:>10,.0f}"
            f"   ratio {theirs / ours:.1f}x"
        )

        batches = _articles(work / "corpus", args.batch_size)

        def ours_whole() -> None:
            db = work / f"whole-{uuid.uuid4().hex}.duckdb"
            start_run(db, "w", flow_run_id=None, sources=["bench"])
            assign = story_assigner()
            for articles in batches:
                identified = [a.model_copy(update={"source": "bench"}) for a in articles]
                whole_batch = Batch(run_id="w", source="bench", articles=identified, n_seen=len(identified))
                append_batch(db, whole_batch, assign)

        def theirs_whole() -> None:
            lsh = MinHashLSH(threshold=0.5, num_perm=options.num_perm)
            for i, minhash in enumerate(MinHash.bulk(shingles, num_perm=options.num_perm)):
                lsh.query(minhash)
                lsh.insert(str(i), minhash)

        parse_and_fingerprint = _median_seconds(lambda: _articles(work / "corpus", args.batch_size), 1)
        whole = _median_seconds(ours_whole, args.repeat)
        reference = _median_seconds(theirs_whole, args.repeat)
        print(f"  whole dedup    newsflow append with stories into DuckDB {n / whole:>10,.0f} articles/s "
              f"(plus parse and fingerprint: {n / parse_and_fingerprint:,.0f}/s)")  # fmt: skip
        print(f"                 datasketch MinHash.bulk + MinHashLSH in memory {n / reference:>10,.0f} articles/s")

        # Each store size is filled once and copied for every measurement; the sizes take turns,
        # so a slow spell of the shared machine falls on all of them alike.
        templates = {}
        for stored in args.stored:
            templates[stored] = work / f"stored-{stored}.duckdb"
            _prefill(templates[stored], stored, options)
        times: dict[int, list[float]] = {stored: [] for stored in args.stored}
        for attempt in range(args.batch_repeat):
            batch = batches[attempt % len(batches)]
            for stored in args.stored:
                db = work / f"grown-{stored}.duckdb"
                shutil.copyfile(templates[stored], db)
                started = time.perf_counter()
                append_batch(
                    db, Batch(run_id="prefill", source="bench", articles=batch, n_seen=len(batch)), story_assigner()
                )
                times[stored].append(time.perf_counter() - started)
                db.unlink()
        per_size = {stored: statistics.median(t) for stored, t in times.items()}
        for stored, seconds in per_size.items():
            spread = f"{min(times[stored]) * 1000:.0f}-{max(times[stored]) * 1000:.0f}"
            print(f"  one batch of {args.batch_size:,} into a store of {stored:>9,} articles: "
                  f"{seconds * 1000:8.1f} ms median of {args.batch_repeat} (range {spread} ms)")  # fmt: skip
        if len(per_size) >= 2:
            low, high = min(per_size), max(per_size)
            print(f"  ratio {high:,} / {low:,} stored: {per_size[high] / per_size[low]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
