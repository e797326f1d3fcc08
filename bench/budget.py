"""The time budget of parsing: what pathological pages cost, what the markup check and the parse
process cost on normal pages, and whether a run of the seeds gets slower.

1. Pathological pages at several sizes (all under the 5 MB cap), parsed in the parse process with
   the markup check off, stopped at `--limit` seconds; then the time the check takes to refuse them.
2. The markup check against `parse_html` on the 84 real pages of news-html-gold (when present).
3. Batches parsed here (`parse_batch`) against the parse process (`parse_within`), taking turns:
   generated plain-text articles and the real pages.
4. Starting a parse process: until it is ready, and again after one was killed.
5. `newsflow run seeds` into a new database with `--parse-timeout 0` and with the default budget,
   taking turns, as a user runs it (Prefect's start included).

Run: `.venv/bin/python -m bench.budget [--repeat 5] [--limit 60]`. Medians of `--repeat` rounds.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.__main__ import use_local_prefect
from bench.corpus import write_corpus
from bench.html_eval import DEFAULT_ROOT
from extractors.budget import ParseChild, parse_within, stop_parsers
from extractors.html import parse_html
from extractors.markup import check_markup
from extractors.text import ParseOptions, parse_batch
from schemas import DocumentKind, RawDocument

ROOT = Path(__file__).resolve().parents[1]
NEWSFLOW = Path(sys.executable).with_name("newsflow")
_FILLER = "<p>" + "The minister said on Monday that talks would resume in Geneva next week. " * 20 + "</p>"
NO_CHECK = ParseOptions(max_tags=10**9, max_attributes=10**9)


def _page(inner: str) -> str:
    return f"<html><head><title>T</title></head><body><article>{_FILLER}{inner}{_FILLER}</article></body></html>"


PATHOLOGIES: dict[str, Callable[[int], str]] = {
    "attributes in one tag": lambda n: _page("<div " + " ".join(f'a{i}="v"' for i in range(n)) + ">x</div>"),
    "short paragraphs": lambda n: _page("<p>word word</p>" * n),
    "links": lambda n: _page("".join(f'<a href="/x{i}">link {i}</a>' for i in range(n))),
    "line breaks": lambda n: _page("<p>" + "w<br>" * n + "</p>"),
    "unclosed nesting": lambda n: _page("<div>" * n + "x"),
}
SIZES: dict[str, tuple[int, ...]] = {
    "attributes in one tag": (5_000, 10_000, 20_000, 200_000),
    "short paragraphs": (10_000, 20_000, 40_000, 80_000, 150_000),
    "links": (10_000, 40_000, 100_000),
    "line breaks": (50_000, 200_000, 800_000),
    "unclosed nesting": (300_000,),
}


def doc(content: bytes, kind: DocumentKind, uri: str) -> RawDocument:
    return RawDocument(source="bench", uri=uri, content=content, kind=kind, fetched_at=datetime.now(UTC))


def pathologies(limit: float) -> list[str]:
    """Seconds to parse each pathological page (stopped at `limit`), and to refuse it by its markup."""
    lines = [
        "| page | count | MB | parse (no check) | markup check | check says |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, build in PATHOLOGIES.items():
        for n in SIZES[name]:
            text = build(n)
            started = time.perf_counter()
            (result,) = parse_within([doc(text.encode(), "html", "bench:page")], options=NO_CHECK, timeout=limit)
            parsed = time.perf_counter() - started
            stopped = result.reject is not None and result.reject.reason == "timeout"
            started = time.perf_counter()
            said = check_markup(text)
            checked = time.perf_counter() - started
            shown = f"> {limit:.0f} s (stopped)" if stopped else f"{parsed:.2f} s"
            lines.append(
                f"| {name} | {n:,} | {len(text) / 1e6:.2f} | {shown} | {checked * 1000:.1f} ms "
                f"| {'refused: ' + said if said else 'parse'} |"
            )
            print(lines[-1], flush=True)
    return lines


def real_pages(root: Path = DEFAULT_ROOT) -> list[bytes]:
    """The raw pages of news-html-gold, when the evaluation data is beside the checkout."""
    return [gzip.decompress(p.read_bytes()) for p in sorted((root / "html").rglob("*.html.gz"))]


def check_cost(pages: Sequence[bytes], repeat: int) -> list[str]:
    """The markup check's time against parse_html's, on the same decoded pages."""
    texts = [page.decode("utf-8", "replace") for page in pages]
    checks, parses = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        refused = [t for t in texts if check_markup(t) is not None]
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        for text in texts:
            parse_html(text)
        parses.append(time.perf_counter() - started)
    check, parse = statistics.median(checks), statistics.median(parses)
    size = sum(map(len, texts)) / 1e6
    return [
        f"markup check on {len(texts)} real pages ({size:.1f} M characters): {check * 1000:.1f} ms "
        f"({size / check:,.0f} M characters/s), parse_html {parse:.2f} s: the check is {check / parse:.2%} of it; "
        f"refused {len(refused)}"
    ]


def batch_cost(name: str, docs: Sequence[RawDocument], repeat: int) -> str:
    """Median seconds of a batch parsed here and in the parse process, taking turns."""
    parse_within(docs[:1], timeout=60)  # a ready process, as a run has after its start
    here, there = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        parse_batch(docs)
        here.append(time.perf_counter() - started)
        started = time.perf_counter()
        parse_within(docs, timeout=60)
        there.append(time.perf_counter() - started)
    a, b = statistics.median(here), statistics.median(there)
    return (
        f"| {name} | {len(docs):,} | {a * 1000:,.0f} ms | {b * 1000:,.0f} ms | {b / a:.3f} "
        f"| {', '.join(f'{x:.2f}' for x in here)} / {', '.join(f'{x:.2f}' for x in there)} |"
    )


def startup(repeat: int) -> list[str]:
    """Seconds from starting a parse process to its being ready, fresh and after a kill."""
    fresh = []
    for _ in range(repeat):
        started = time.perf_counter()
        child = ParseChild()
        child.wait_ready()
        fresh.append(time.perf_counter() - started)
        child.stop()
    return [f"a parse process is ready {statistics.median(fresh):.2f} s after it is started (median of {repeat}: "
            f"{', '.join(f'{x:.2f}' for x in fresh)})"]  # fmt: skip


_SECONDS = re.compile(r" in ([0-9.]+) s$", re.MULTILINE)


def seeds_runs(repeat: int, work: Path) -> list[str]:
    """`newsflow run seeds` with and without the budget, taking turns: wall time and the run's own seconds."""
    results: dict[str, list[tuple[float, float]]] = {"--parse-timeout 0": [], "default (30 s)": []}
    for round_ in range(repeat):
        for label in results:
            db = work / f"seeds-{round_}-{len(label)}.duckdb"
            extra = ["--parse-timeout", "0"] if label.startswith("--") else []
            started = time.perf_counter()
            done = subprocess.run(
                [str(NEWSFLOW), "run", str(ROOT / "seeds"), "--db", str(db), *extra],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            wall = time.perf_counter() - started
            found = _SECONDS.search(done.stdout)
            results[label].append((wall, float(found.group(1)) if found else float("nan")))
            print(f"  seeds, {label}: {wall:.2f} s wall, {found.group(1) if found else '?'} s in the flow", flush=True)
    lines = [
        "| newsflow run seeds | wall, median | flow's own seconds, median | each run (wall) |",
        "|---|---:|---:|---|",
    ]
    for label, runs in results.items():
        lines.append(
            f"| {label} | {statistics.median(w for w, _ in runs):.2f} s "
            f"| {statistics.median(s for _, s in runs):.2f} s | {', '.join(f'{w:.2f}' for w, _ in runs)} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the five measurements."""
    parser = argparse.ArgumentParser(prog="python -m bench.budget", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of each comparison (median shown)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds a pathological page may parse")
    parser.add_argument("--articles", type=int, default=2000, help="generated articles in the text batch")
    parser.add_argument("--skip", nargs="*", default=[], choices=["pathologies", "pages", "batches", "start", "seeds"])
    args = parser.parse_args(argv)
    use_local_prefect()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    work = Path(tempfile.mkdtemp(prefix="newsflow-budget-"))
    out: list[str] = []
    try:
        if "pathologies" not in args.skip:
            out += ["", *pathologies(args.limit)]
        pages = real_pages()
        if pages and "pages" not in args.skip:
            out += ["", *check_cost(pages, args.repeat)]
        if "batches" not in args.skip:
            write_corpus(work / "corpus", n_articles=args.articles, seed=3)
            texts = [doc(p.read_bytes(), "text", p.as_uri()) for p in sorted((work / "corpus").rglob("*.txt"))]
            out += ["", "| batch | documents | here | parse process | ratio | each round (s) |"]
            out.append("|---|---:|---:|---:|---:|---|")
            out.append(batch_cost("generated plain-text articles", texts, args.repeat))
            print(out[-1], flush=True)
            if pages:
                html = [doc(p, "html", f"p{i}") for i, p in enumerate(pages)]
                out.append(batch_cost("news-html-gold pages", html, args.repeat))
                print(out[-1], flush=True)
        if "start" not in args.skip:
            out += ["", *startup(args.repeat)]
        stop_parsers()
        if "seeds" not in args.skip:
            out += ["", *seeds_runs(args.repeat, work)]
        print(f"\nload average {os.getloadavg()[0]:.1f}")
        print("\n".join(out))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
