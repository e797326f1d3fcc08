"""Peak memory of whole `newsflow run`s on large and many inputs, sampled from outside.

The corpus: `--large` files of 1–5 MB (half of them news pages padded with a large inline script,
as real pages of that size are; half single-line text files, which the text stage rejects as
`no_text`) and `--small` generated plain-text articles of about 4 KB. Each run is the real
command (`.venv/bin/newsflow run FOLDER --db NEW`, default settings unless `--args` adds some) in
a subprocess; the resident set size of its process and of every process it starts (worker
processes, the parse child) is sampled every 50 ms. The local Prefect server the runs share is
started before them (`newsflow server start`), as a user's first run leaves it, and is not part of
any run; its own peak is shown apart. The table gives the peak of the sum and the peak of each
kind of process, medians over `--repeat` runs.

Run: `.venv/bin/python -m bench.memory [--large 200] [--small 3000] [--repeat 1] [--args "--batch-bytes 64000000"]`.
Several `--args` compare settings side by side, runs alternating.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from bench.__main__ import use_local_prefect
from bench.corpus import write_corpus

MIB = 1024 * 1024
SAMPLE_SECONDS = 0.05
NEWSFLOW = Path(sys.executable).with_name("newsflow")


def _filler(rng: random.Random, size: int) -> str:
    """Script text of `size` characters: the bulk of a large real page (trackers, inlined bundles)."""
    words = ["var", "function", "return", "window", "document", "push", "config", "data", "track", "ad"]
    parts: list[str] = []
    length = 0
    while length < size:
        line = f"{rng.choice(words)}_{rng.getrandbits(32):08x}({rng.randint(0, 99999)});"
        parts.append(line)
        length += len(line)
    return "".join(parts)[:size]


def _page(title: str, paragraphs: list[str], script: str) -> bytes:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title>"
        f"<script>{script}</script></head>\n<body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>\n{body}</article><footer>Contact</footer></body></html>\n"
    ).encode()


def write_inputs(folder: Path, *, n_large: int, n_small: int, min_mb: float, max_mb: float, seed: int) -> int:
    """Write the corpus under `folder`: `large/` (pages and single-line text files) and `small/`.

    Returns the bytes written.
    """
    rng = random.Random(seed)
    if n_small:
        write_corpus(folder / "small", n_articles=n_small, seed=seed)
    written = sum(p.stat().st_size for p in (folder / "small").rglob("*") if p.is_file()) if n_small else 0
    if not n_large:
        return written
    texts = folder / "texts"
    write_corpus(texts, n_articles=n_large, seed=seed + 1, duplicate_share=0)
    large = folder / "large"
    large.mkdir(parents=True)
    for i, path in enumerate(sorted(texts.rglob("*.txt"))):
        size = int(rng.uniform(min_mb, max_mb) * MIB)
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        if i % 2 == 0:
            page = _page(lines[0], lines[1:], "")
            content = _page(lines[0], lines[1:], _filler(rng, max(0, size - len(page))))
            (large / f"{i:05d}.html").write_bytes(content)
        else:
            line = " ".join(lines)
            content = (line * (size // len(line) + 1))[:size].encode()
            (large / f"{i:05d}.txt").write_bytes(content)
        written += len(content)
    shutil.rmtree(texts)
    return written


@dataclass
class Sampled:
    """What one run's samples showed: peaks in MiB, in all and by kind of process, and its wall time."""

    seconds: float
    returncode: int
    peak_total: float
    peak_by_kind: dict[str, float] = field(default_factory=dict)
    processes_by_kind: dict[str, int] = field(default_factory=dict)
    summary: str = ""


def kind_of(process: psutil.Process, root: int) -> str:
    """What a process of the run is, from its command line."""
    if process.pid == root:
        return "run"
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return "other"
    if "uvicorn" in line or "prefect.server" in line:
        return "prefect server"
    if "extractors.budget" in line:
        return "parse child"
    if "multiprocessing" in line or "spawn_main" in line or "forkserver" in line:
        return "worker"
    return "other"


def sample_run(argv: Sequence[str], env: dict[str, str]) -> Sampled:
    """Run a command and sample the RSS of its process tree until it ends."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        root = psutil.Process(process.pid)
        peak_total = 0
        peak_kind: dict[str, int] = defaultdict(int)
        seen: dict[str, set[int]] = defaultdict(set)
        kinds: dict[int, str] = {}
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            by_kind: dict[str, int] = defaultdict(int)
            for member in tree:
                try:
                    rss = member.memory_info().rss
                except psutil.Error:
                    continue
                kind = kinds.setdefault(member.pid, kind_of(member, root.pid))
                seen[kind].add(member.pid)
                total += rss
                by_kind[kind] = max(by_kind[kind], rss)
            peak_total = max(peak_total, total)
            for kind, rss in by_kind.items():
                peak_kind[kind] = max(peak_kind[kind], rss)
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").splitlines()
    summary = next((line for line in lines if line.startswith("newsflow run")), lines[-1] if lines else "")
    return Sampled(
        seconds=seconds,
        returncode=process.returncode,
        peak_total=peak_total / MIB,
        peak_by_kind={kind: rss / MIB for kind, rss in peak_kind.items()},
        processes_by_kind={kind: len(pids) for kind, pids in seen.items()},
        summary=summary,
    )


def _server_process() -> psutil.Process | None:
    """The local Prefect server of this PREFECT_HOME, from the state file `newsflow` keeps."""
    from flows.local_server import read_state

    state = read_state(Path(os.environ["PREFECT_HOME"]))
    try:
        return psutil.Process(state.pid) if state is not None else None
    except psutil.Error:
        return None


def _rss(process: psutil.Process | None) -> int:
    try:
        return process.memory_info().rss if process is not None else 0
    except psutil.Error:
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus, run `newsflow run` on it with each setting (alternating), print the peaks."""
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=200, help="files of 1–5 MB (default 200)")
    parser.add_argument("--small", type=int, default=3000, help="small plain-text articles (default 3000)")
    parser.add_argument("--min-mb", type=float, default=1.0)
    parser.add_argument("--max-mb", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each setting (median shown)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--args", action="append", default=None, help="extra `newsflow run` options of one setting (repeatable)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="write the corpus here and keep it (reused if there)")
    args = parser.parse_args(argv)
    use_local_prefect()
    settings = args.args or [""]
    work = Path(tempfile.mkdtemp(prefix="newsflow-memory-"))
    corpus = args.keep or work / "corpus"
    try:
        if not corpus.exists():
            n_bytes = write_inputs(
                corpus, n_large=args.large, n_small=args.small, min_mb=args.min_mb, max_mb=args.max_mb, seed=args.seed
            )
        else:
            n_bytes = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
        n_files = sum(1 for p in corpus.rglob("*") if p.is_file())
        print(f"corpus: {n_files:,} files, {n_bytes / MIB:,.0f} MiB ({corpus}); load {os.getloadavg()[0]:.1f}")
        env = dict(os.environ)
        subprocess.run([str(NEWSFLOW), "server", "start"], env=env, check=True, capture_output=True, timeout=300)
        server = _server_process()
        server_peak = 0
        results: dict[str, list[Sampled]] = defaultdict(list)
        for round_ in range(args.repeat):
            for setting in settings:
                db = work / f"run-{round_}-{len(results[setting])}-{abs(hash(setting))}.duckdb"
                command = [str(NEWSFLOW), "run", str(corpus), "--db", str(db), *shlex.split(setting)]
                sampled = sample_run(command, env)
                results[setting].append(sampled)
                server_peak = max(server_peak, _rss(server))
                kinds = ", ".join(f"{k} {v:,.0f}" for k, v in sorted(sampled.peak_by_kind.items()))
                print(
                    f"  [{setting or 'defaults'}] {sampled.seconds:,.1f} s, exit {sampled.returncode}, "
                    f"peak {sampled.peak_total:,.0f} MiB in all ({kinds}); {sampled.summary}",
                    flush=True,
                )
                for path in (db, db.with_name(db.name + ".wal")):
                    path.unlink(missing_ok=True)
        print()
        print("| setting | peak RSS, all processes | run process | worker (largest) | parse child | seconds |")
        print("|---|---:|---:|---:|---:|---:|")
        for setting, runs in results.items():

            def median(kind: str, runs: list[Sampled] = runs) -> str:
                values = [r.peak_by_kind[kind] for r in runs if kind in r.peak_by_kind]
                return f"{statistics.median(values):,.0f} MiB" if values else "—"

            total = statistics.median(r.peak_total for r in runs)
            seconds = statistics.median(r.seconds for r in runs)
            print(
                f"| {setting or 'defaults'} | {total:,.0f} MiB | {median('run')} | {median('worker')} "
                f"| {median('parse child')} | {seconds:,.1f} |"
            )
        print(f"\nThe shared local Prefect server (its main process), apart: {server_peak / MIB:,.0f} MiB at most.")
        return 0 if all(r.returncode == 0 for runs in results.values() for r in runs) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
