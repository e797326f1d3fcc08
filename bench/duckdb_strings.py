"""What DuckDB's checkpoint costs the writer as stored texts grow long: peak memory and time.

newsflow's writer appends each batch in a transaction and checkpoints the file before letting
go of it (`store.db.writer`). This bench does the same with DuckDB alone, so that what the store
costs can be told from what the rest of a run costs: a table of `(id, part, text)`, batches of
`--batch-mb` of texts of one length, each batch in a connection of its own that inserts from
Arrow, commits, checkpoints and closes. Every setting runs in a fresh process (a fatal DuckDB
error ends only that process) whose resident set size is sampled every 10 ms; the table gives
its peak, the checkpoint time of the first, last and longest batch, the file's size and how the
setting ended.

Settings: `--lengths` (characters per text; the same total of text at each length), `--limit`
(DuckDB's `memory_limit`, or none), `--row-group-size` (rows per row group, given to ATTACH as
the writer does; 0 for DuckDB's default) and, with `--parts N`, the same texts stored as rows of
at most N characters (`(id, part, text)`), as the store keeps long texts.

Run: `.venv/bin/python -m bench.duckdb_strings [--lengths 5000,200000,1000000,5242880]
[--total-mb 600] [--batch-mb 30] [--limit 256MB] [--row-group-size 0 --row-group-size 2048]
[--parts 65536]`.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MIB = 1024 * 1024


_VOCABULARY = ["".join(chr(97 + (word * 7 + at * 13) % 26) for at in range(2 + word % 9)) for word in range(20_000)]


def _text(batch: int, number: int, length: int) -> str:
    """A text of `length` characters of words drawn at random: no two texts repeat, and it
    compresses about as well as prose (a text of one repeated word would compress to nothing)."""
    draw = random.Random(batch * 1_000_003 + number)
    words = draw.choices(_VOCABULARY, k=length // 5 + 1)
    return " ".join(words)[:length]


def one_setting(
    folder: Path, *, length: int, total: int, batch_bytes: int, limit: str | None, parts: int, row_group_size: int
) -> dict[str, Any]:
    """Append `total` characters of texts of `length` in batches, like the writer; return what it cost."""
    import duckdb
    import psutil
    import pyarrow as pa

    path = folder / "strings.duckdb"
    config: dict[str, Any] = {"memory_limit": limit} if limit else {}
    process = psutil.Process()
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.01)

    threading.Thread(target=sample, daemon=True).start()

    def connect() -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:", config=config)
        option = f" (ROW_GROUP_SIZE {row_group_size})" if row_group_size else ""
        con.execute(f"ATTACH '{path}' AS strings{option}")
        con.execute("USE strings")
        return con

    con = connect()
    con.execute("CREATE TABLE texts (id VARCHAR, part INTEGER, text VARCHAR)")
    con.close()
    per_batch = max(1, batch_bytes // length)
    n_batches = max(1, total // (per_batch * length))
    checkpoints: list[float] = []
    ended = "ok"
    started = time.perf_counter()
    try:
        for batch in range(n_batches):
            ids: list[str] = []
            numbers: list[int] = []
            texts: list[str] = []
            for number in range(per_batch):
                text = _text(batch, number, length)
                step = parts or len(text)
                for at in range(0, len(text), step):
                    ids.append(f"{batch}-{number}")
                    numbers.append(at // step)
                    texts.append(text[at : at + step])
            con = connect()
            try:
                con.begin()
                con.register("incoming", pa.table({"id": ids, "part": numbers, "text": texts}))
                con.execute("INSERT INTO texts SELECT id, part, text FROM incoming")
                con.unregister("incoming")
                con.commit()
                began = time.perf_counter()
                con.execute("CHECKPOINT")
                checkpoints.append(time.perf_counter() - began)
            finally:
                con.close()
    except Exception as exc:  # the bench reports how a setting failed, whatever DuckDB raised
        ended = f"{type(exc).__name__} at batch {len(checkpoints) + 1}: {str(exc).splitlines()[0][:90]}"
    done.set()
    return {
        "length": length,
        "limit": limit or "none",
        "parts": parts,
        "row_group_size": row_group_size or "default",
        "file_mib": round(path.stat().st_size / MIB) if path.exists() else None,
        "batches": n_batches,
        "texts_per_batch": per_batch,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_mib": round(max(peak[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / MIB),
        "first_checkpoint": round(checkpoints[0], 2) if checkpoints else None,
        "last_checkpoint": round(checkpoints[-1], 2) if checkpoints else None,
        "longest_checkpoint": round(max(checkpoints), 2) if checkpoints else None,
        "ended": ended,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run each setting in a process of its own and print one line per setting."""
    parser = argparse.ArgumentParser(prog="python -m bench.duckdb_strings", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", default="5000,200000,1000000,5242880", help="characters per text, comma-separated")
    parser.add_argument("--total-mb", type=float, default=600, help="text stored at each length (default 600)")
    parser.add_argument("--batch-mb", type=float, default=30, help="text per batch (default 30)")
    parser.add_argument("--limit", action="append", default=None, help="memory_limit to try, or none (repeatable)")
    parser.add_argument("--parts", type=int, action="append", default=None, help="store in parts of N characters")
    parser.add_argument(
        "--row-group-size",
        type=int,
        action="append",
        default=None,
        help="rows per row group of the file (ATTACH … ROW_GROUP_SIZE; repeatable; 0 is DuckDB's default, 122,880)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # the child process of one setting
        setting = json.loads(args.one)
        with tempfile.TemporaryDirectory(prefix="newsflow-strings-") as folder:
            print(json.dumps(one_setting(Path(folder), **setting)))
        return 0
    print(f"{'length':>9} {'limit':>6} {'parts':>6} {'rows/rg':>7} {'batches':>7} {'peak MiB':>8} "
          f"{'1st ckpt s':>10} {'last ckpt s':>11} {'max ckpt s':>10} {'s':>6} {'file MiB':>8}  ended")  # fmt: skip
    for length in (int(value) for value in args.lengths.split(",")):
        for limit in [None if value == "none" else value for value in args.limit or ["none"]]:
            for parts in args.parts or [0]:
                for row_group_size in args.row_group_size or [0]:
                    setting = {
                        "length": length,
                        "total": int(args.total_mb * MIB),
                        "batch_bytes": int(args.batch_mb * MIB),
                        "limit": limit,
                        "parts": parts,
                        "row_group_size": row_group_size,
                    }
                    child = subprocess.run(
                        [sys.executable, "-m", "bench.duckdb_strings", "--one", json.dumps(setting)],
                        capture_output=True,
                        text=True,
                    )
                    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
                    rows = row_group_size or "default"
                    if not lines:
                        last = (child.stderr.strip().splitlines() or ["no output"])[-1]
                        print(f"{length:>9} {limit or 'none':>6} {parts:>6} {rows:>7}  "
                              f"process ended {child.returncode}: {last[:90]}")  # fmt: skip
                        continue
                    r = json.loads(lines[-1])
                    print(
                        f"{r['length']:>9} {r['limit']:>6} {r['parts']:>6} {rows:>7} {r['batches']:>7} "
                        f"{r['peak_mib']:>8} {r['first_checkpoint']!s:>10} {r['last_checkpoint']!s:>11} "
                        f"{r['longest_checkpoint']!s:>10} {r['seconds']:>6} {r['file_mib']!s:>8}  {r['ended']}",
                        flush=True,
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
