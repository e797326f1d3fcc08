"""Queries while a run writes: how long another process waits for an answer, and what its queries
cost the run.

Run: `.venv/bin/python -m bench.readers [--articles 5000] [--interval 1.0] [--repeat 3]` (`make
bench` runs it). The `ingest` flow runs on a generated corpus in this process; a reader process
queries the database every `--interval` seconds meanwhile. Three kinds of run alternate, so the
machine's load touches them alike: no reader; a reader that takes turns (`store.query`, as
`newsflow query`, `stats` and `sources` do); and a reader that only retries DuckDB's lock, as
newsflow's readers did before turns. For each: the run's articles/s, and the latency of the
queries issued while the run wrote (p50, p95, max). Last, the cost of the other design, a
snapshot of the file copied after each commit for readers to query, measured on the final
database; and `newsflow query` at rest, its start-up included.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.__main__ import use_local_prefect

# Prefect reads its settings when first imported.
use_local_prefect()

import duckdb  # noqa: E402

from bench.corpus import write_corpus  # noqa: E402
from flows.ingest import run_ingest  # noqa: E402
from schemas import RunSummary  # noqa: E402
from store import TURN_SUFFIXES, query  # noqa: E402

# What a reader asks, in turn: counts, a grouping over the articles, the run's row, a join.
QUERIES = (
    "select count(*) from articles",
    "select outlet, count(*) as n from articles group by outlet order by n desc limit 5",
    "select run_id, n_seen, n_new, n_rejected from runs order by started_at desc limit 1",
    "select s.title, s.n_articles from stories s join articles a on a.article_id = s.canonical_article_id "
    "order by s.n_articles desc limit 3",
)
READER_WAIT = 120.0
VARIANTS = ("no reader", "reader taking turns", "reader on DuckDB's lock alone")
NEWSFLOW = Path(sys.executable).with_name("newsflow")


def _query_on_lock_alone(db: str, sql: str) -> None:
    """A query as newsflow's readers made one before turns: retry DuckDB's lock, backing off to 1 s."""
    with duckdb.connect(":memory:") as parser:
        parser.extract_statements(sql)  # as `store.query` does, for the same work
    deadline = time.monotonic() + READER_WAIT
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(db, read_only=True)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).casefold() or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        con.execute(sql).fetchall()
    finally:
        con.close()


def read_loop(db: str, interval: float, turns: bool) -> None:
    """Query `db` every `interval` seconds (from the end of one answer to the next question) until a
    line comes on stdin; then print one JSON list of [asked at (epoch s), seconds, error or null]."""
    asked: list[tuple[float, float, str | None]] = []
    index = 0
    while not select.select([sys.stdin], [], [], interval)[0]:
        if not Path(db).exists():
            continue
        sql = QUERIES[index % len(QUERIES)]
        index += 1
        at, started = time.time(), time.perf_counter()
        error: str | None = None
        try:
            if turns:
                query(db, sql, wait=READER_WAIT)
            else:
                _query_on_lock_alone(db, sql)
        except Exception as exc:  # counted and shown, not fatal: the bench says how many failed
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        asked.append((at, time.perf_counter() - started, error))
    print(json.dumps(asked), flush=True)


@dataclass
class Variant:
    """The runs of one kind, and the queries their reader asked while they wrote."""

    name: str
    summaries: list[RunSummary] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def rates(self) -> list[float]:
        return [s.n_seen / s.seconds for s in self.summaries]


def _drop(db: Path) -> None:
    for path in (db, *(db.with_name(db.name + suffix) for suffix in (".wal", *TURN_SUFFIXES))):
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class RunOptions:
    """How the measured runs ingest."""

    batch_size: int
    extractor: str
    workers: int | None


def one_run(variant: Variant, corpus: Path, db: Path, interval: float, options: RunOptions) -> None:
    """One run of the flow into a fresh database, with the variant's reader querying meanwhile."""
    _drop(db)
    reader: subprocess.Popen[str] | None = None
    if variant.name != "no reader":
        turns = variant.name == "reader taking turns"
        reader = subprocess.Popen(
            [sys.executable, "-c", f"from bench.readers import read_loop; read_loop({str(db)!r}, {interval}, {turns})"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
    started = time.time()
    try:
        summary = run_ingest(
            sources=[str(corpus)],
            db=str(db),
            batch_size=options.batch_size,
            extractor=options.extractor,
            workers=options.workers,
        )
    finally:
        ended = time.time()
        if reader is not None:
            out, _ = reader.communicate("stop\n", timeout=READER_WAIT + 60)
    variant.summaries.append(summary)
    if reader is not None:
        for at, seconds, error in json.loads(out):
            if not started <= at <= ended:
                continue
            if error is None:
                variant.latencies.append(seconds)
            else:
                variant.errors.append(error)


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def snapshot_costs(db: Path, n_batches: int, run_seconds: float, repeat: int) -> list[str]:
    """What a read snapshot copied after each commit would cost: a file copy and DuckDB's COPY FROM
    DATABASE of the final database, timed; their cost over a run estimated at half the final size
    on average (the file grows about linearly over a run)."""
    size = db.stat().st_size
    copies: list[float] = []
    exports: list[float] = []
    for index in range(repeat):
        target = db.with_name(f"snapshot-{index}.duckdb")
        started = time.perf_counter()
        shutil.copyfile(db, target)
        copies.append(time.perf_counter() - started)
        target.unlink()
        started = time.perf_counter()
        with duckdb.connect() as con:
            con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
            con.execute(f"ATTACH '{target}' AS snap")
            con.execute("COPY FROM DATABASE src TO snap")
        exports.append(time.perf_counter() - started)
        target.unlink()
    lines = [f"a read snapshot after each commit (the other design), on the final database of {size / 2**20:,.0f} MiB:"]
    for name, seconds in (("file copy (after the CHECKPOINT each batch ends with)", copies),
                          ("ATTACH and COPY FROM DATABASE into a new file", exports)):  # fmt: skip
        median = statistics.median(seconds)
        over_run = n_batches * median / 2
        lines.append(
            f"  {name:<54} {median * 1000:8,.0f} ms (median of {repeat}); after each of {n_batches} batches "
            f"about {over_run:,.1f} s, {over_run / run_seconds:.0%} of the run's {run_seconds:.1f} s"
        )
    return lines


def command_at_rest(db: Path, repeat: int) -> str:
    """`newsflow query` on an idle database, start-up of the command included."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([str(NEWSFLOW), "query", QUERIES[0], "--db", str(db)], check=True, capture_output=True)
        seconds.append(time.perf_counter() - started)
    runs = " ".join(f"{s:.2f}" for s in seconds)
    return (
        f"`newsflow query` at rest, start-up included: {statistics.median(seconds):.2f} s (median of {repeat}: {runs})"
    )


def report(variants: dict[str, Variant], interval: float) -> list[str]:
    alone = statistics.median(variants["no reader"].rates())
    lines = [
        f"  {'':<32} {'articles/s':>10}  {'vs no reader':>12}   {'runs':<22} {'queries':>7} {'p50':>7} {'p95':>7} "
        f"{'max':>7}  failed"
    ]
    for variant in variants.values():
        rates = variant.rates()
        median = statistics.median(rates)
        runs = " ".join(f"{r:,.0f}" for r in rates)
        row = f"  {variant.name:<32} {median:>10,.0f}  {median / alone:>12.1%}   {runs:<22}"
        if variant.name != "no reader":
            lat = variant.latencies
            if lat:
                row += (
                    f" {len(lat):>7} {_quantile(lat, 0.5):>6.2f}s {_quantile(lat, 0.95):>6.2f}s {max(lat):>6.2f}s"
                    f"  {len(variant.errors)}"
                )
            else:
                row += f" {0:>7} {'-':>7} {'-':>7} {'-':>7}  {len(variant.errors)}"
        lines.append(row)
    for variant in variants.values():
        shares = [s.seconds_turn_wait / s.seconds for s in variant.summaries]
        waits = " ".join(f"{s.seconds_turn_wait:.1f}" for s in variant.summaries)
        lines.append(
            f"  {variant.name}: the run's writes waited for their turn {statistics.median(shares):.1%} of the run "
            f"(median; seconds per run: {waits})"
        )
    summaries = [s for v in variants.values() for s in v.summaries]
    append = statistics.median(s.seconds_store / max(s.n_batches, 1) for s in summaries)
    lines.append(
        f"  the writer's thread appended a batch in {append * 1000:,.0f} ms (median over runs of the mean); a query "
        f"every {interval:g} s after the last answer; latency from asking to the last row, in the reader's process"
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; exit 1 when a query taking turns failed or runs stored different counts."""
    parser = argparse.ArgumentParser(prog="python -m bench.readers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="generated articles (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=200, help="inputs per batch (default: %(default)s)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between queries (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (default: %(default)s)")
    parser.add_argument(
        "--extractor",
        action="append",
        help="the runs' extractor; give it twice to measure both (default: none, then rules)",
    )
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: the run's default)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsflow-bench-readers-"))
    try:
        corpus = work / "corpus"
        stats = write_corpus(corpus, n_articles=args.articles, seed=3)
        warmup = work / "warmup"
        write_corpus(warmup, n_articles=50, seed=4)
        print("bench.readers: starting Prefect with a warm-up run", file=sys.stderr)
        run_ingest(sources=[str(warmup)], db=str(work / "warmup.duckdb"), workers=1)
        load = os.getloadavg()[0]
        print(
            f"newsflow bench.readers: {stats.n_articles:,} generated articles, batches of {args.batch_size}, "
            f"a query every {args.interval:g} s from another process, {args.repeat} runs of each kind taking turns; "
            f"nproc {os.cpu_count()}"
        )
        failed = False
        for extractor in args.extractor or ["none", "rules"]:
            options = RunOptions(args.batch_size, extractor, args.workers)
            variants = {name: Variant(name) for name in VARIANTS}
            for index in range(args.repeat):
                order = VARIANTS if index % 2 == 0 else VARIANTS[::-1]
                for name in order:
                    print(f"bench.readers: --extractor {extractor}, {name}, run {index + 1} of {args.repeat}",
                          file=sys.stderr)  # fmt: skip
                    db = work / f"{extractor}-{VARIANTS.index(name)}.duckdb"
                    one_run(variants[name], corpus, db, args.interval, options)
            print(f"--extractor {extractor}, default workers" if not args.workers else f"--extractor {extractor}")
            print("\n".join(report(variants, args.interval)))
            counts = {(s.n_seen, s.n_new, s.n_copies, s.n_events) for v in variants.values() for s in v.summaries}
            if len(counts) != 1 or variants["reader taking turns"].errors:
                print(f"CHECK FAILED: counts {sorted(counts)}; errors {variants['reader taking turns'].errors[:3]}")
                failed = True
            last = variants["no reader"].summaries[-1]
            print("\n".join(snapshot_costs(work / f"{extractor}-0.duckdb", last.n_batches, last.seconds, args.repeat)))
        print(command_at_rest(work / f"{(args.extractor or ['none', 'rules'])[-1]}-0.duckdb", 5))
        print(f"load average (1 min) {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
