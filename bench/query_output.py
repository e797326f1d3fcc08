"""`newsflow query` over a large result in every format: wall time and peak memory of the command,
beside the same result fetched whole into memory first (what `newsflow query` did before it streamed).

Run: `.venv/bin/python -m bench.query_output [--rows 100000] [--words 300] [--repeat 3]`.
Each measurement is one `newsflow` process, writing `select * from articles` to /dev/null (Parquet
to a file); its peak RSS comes from the kernel (wait4). Formats alternate within each round, so the
machine's load touches them alike; medians are shown with every run's figure. The database is
filled by a child process: Linux counts a parent's peak into a child it forks, so this process
stays small (no DuckDB imported here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

NEWSFLOW = Path(sys.executable).with_name("newsflow")
SQL = "select * from articles"
# What `newsflow query` did before it streamed: every row fetched into Python, then written.
WHOLE = """
import sys
from flows.output import write_csv
from store import query
result = query(sys.argv[1], sys.argv[2])
with open("/dev/null", "w", newline="") as out:
    write_csv(result.columns, [result.rows], out)
"""


def fill(db: Path, rows: int, words: int) -> int:
    """A newsflow database of `rows` articles of about `words` words; returns its size in bytes."""
    from store import writer

    with writer(db) as con:
        con.execute(
            "INSERT INTO article_rows (article_id, source, uri, outlet, title, published_at, published_precision, "
            "language, text, content_hash, word_count, size_bytes, encoding, run_id, ingested_at) "
            "SELECT printf('%016x', hash(range)), '/data/news', 'file:///data/news/' || range || '.txt', "
            "'Outlet ' || (range % 50), 'Headline number ' || range || ' about the front line', "
            "TIMESTAMP '2024-10-01' + to_minutes(range), 'minute', 'en', "
            f"repeat('Troops advanced ' || range || ' kilometres near the river, officials said. ', {words} // 9), "
            "printf('%064x', hash(range)), ?, ?, 'utf-8', 'bench', now() "
            "FROM range(?)",
            [words, words * 6, rows],
        )
    return db.stat().st_size


def measure(command: Sequence[str], out: Path | None) -> tuple[float, float]:
    """Run `command` with standard output to /dev/null; return its wall seconds and peak RSS in MB."""
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=devnull, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the largest child's so far
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command[:3])} failed: {errors.read().decode().strip()}")
    if out is not None:
        out.unlink()
    return seconds, usage.ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.query_output", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="articles in the database (default: %(default)s)")
    parser.add_argument("--words", type=int, default=300, help="words an article (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default: %(default)s)")
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)  # the child that makes the database
    args = parser.parse_args(argv)
    if args.fill is not None:
        fill(args.fill, args.rows, args.words)
        return
    with tempfile.TemporaryDirectory(prefix="newsflow-query-bench-") as folder:
        db = Path(folder) / "news.duckdb"
        filling = [sys.executable, "-m", "bench.query_output", "--fill", str(db), "--rows", str(args.rows)]
        subprocess.run([*filling, "--words", str(args.words)], check=True)
        size = db.stat().st_size
        print(f"{args.rows:,} articles of about {args.words} words, {size / 2**20:.0f} MB; `{SQL}`, every row")
        parquet = Path(folder) / "out.parquet"
        cases: dict[str, tuple[list[str], Path | None]] = {
            "table (40 rows shown, every row counted)": ([str(NEWSFLOW), "query", SQL, "--db", str(db)], None),
            **{
                fmt: ([str(NEWSFLOW), "query", SQL, "--db", str(db), "--format", fmt], None)
                for fmt in ("csv", "json", "markdown", "line")
            },
            "parquet (--output)": ([str(NEWSFLOW), "query", SQL, "--db", str(db), "-o", str(parquet)], parquet),
            "csv, every row in memory first (before streaming)": ([sys.executable, "-c", WHOLE, str(db), SQL], None),
        }
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, (command, out) in cases.items():
                results[name].append(measure(command, out))
        print("| format | seconds | rows/s | peak RSS, MB |")
        print("|---|---:|---:|---:|")
        for name, runs in results.items():
            seconds = statistics.median(s for s, _ in runs)
            memory = statistics.median(m for _, m in runs)
            every = ", ".join(f"{s:.2f}" for s, _ in runs)
            print(f"| {name} | {seconds:.2f} ({every}) | {args.rows / seconds:,.0f} | {memory:,.0f} |")


if __name__ == "__main__":
    main()
