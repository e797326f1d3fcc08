"""How long `newsflow run seeds` takes as a user waits for it: the first run and the runs after it,
on the local Prefect server newsflow commands share and on a temporary server per run
(`--temporary-server`, what every run did before), side by side.

Run: `.venv/bin/python -m bench.startup [--repeat 5]` (`make bench` runs it). Each command is a
subprocess, timed from outside: interpreter start, imports, the server, the flow and the exit. The
repeated runs alternate between the two ways so the machine's load touches both alike; medians
are shown with every figure, with the CPU seconds the command itself used (the server's own are
not in them). The bench has a PREFECT_HOME and databases of its own, and stops its server at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWSFLOW = Path(sys.executable).with_name("newsflow")


def timed(args: Sequence[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run `newsflow ARGS`; return its wall seconds, its CPU seconds and its first line of output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(NEWSFLOW), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"newsflow {' '.join(args)} exited with {done.returncode}: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.splitlines()[0]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _row(name: str, figures: list[tuple[float, float, str]]) -> str:
    walls = [w for w, _, _ in figures]
    cpus = [c for _, c, _ in figures]
    each = ", ".join(f"{w:.2f}" for w in walls)
    return (
        f"{name:<46} {statistics.median(walls):6.2f} s wall  {statistics.median(cpus):5.2f} s CPU   "
        f"(each: {each})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs after the first, each way (default 5)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="newsflow-bench-startup-") as scratch:
        work = Path(scratch)
        base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        # Each way its own PREFECT_HOME: both start from an empty Prefect database.
        env = {**base, "PREFECT_HOME": str(work / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env_temporary = {**env, "PREFECT_HOME": str(work / "prefect-temporary")}
        local = ["run", "seeds", "--db", str(work / "local.duckdb"), "-q"]
        temporary = ["run", "seeds", "--db", str(work / "temporary.duckdb"), "-q", "--temporary-server"]
        print(f"newsflow run seeds, {args.repeat} runs after the first each way; {_load()}")
        try:
            first_local = timed(local, env)
            first_temporary = timed(temporary, env_temporary)
            again_local: list[tuple[float, float, str]] = []
            again_temporary: list[tuple[float, float, str]] = []
            for _ in range(args.repeat):
                again_local.append(timed(local, env))
                again_temporary.append(timed(temporary, env_temporary))
        finally:
            subprocess.run([str(NEWSFLOW), "server", "stop"], cwd=ROOT, env=env, capture_output=True, check=False)
        print(_row("first run, local server started", [first_local]))
        print(f"  {first_local[2]}")
        print(_row("first run, temporary server", [first_temporary]))
        print(_row("runs after the first, local server reused", again_local))
        print(f"  {again_local[-1][2]}")
        print(_row("runs after the first, temporary server", again_temporary))
        ratio = statistics.median(w for w, _, _ in again_temporary) / statistics.median(w for w, _, _ in again_local)
        print(f"runs after the first: the temporary server's median is {ratio:.1f}x the reused server's; {_load()}")


if __name__ == "__main__":
    main()
