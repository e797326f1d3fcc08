"""Fetch-and-extract throughput: news pages served on 127.0.0.1, through `fetch_all` then `parse_batch`.

The pages are the raw HTML of news-html-gold (84 real pages of many outlets, ~360 KB each) when
../shared/eval is here, else generated article pages (the five seeds and articles of
bench/corpus.py set in a page with navigation, related links and a footer; much smaller than
real pages, so their figures are higher — the report names the corpus it used). They are served
gzip-encoded, as news sites serve them, from a threaded HTTP server in a child process: on a
2-core machine a server thread in this process would take the GIL from the fetch threads and its
CPU would be counted as the client's; in its own process it runs on the other core.

Each run fetches `--requests` distinct URLs (/p/<page>?r=<round>, every page in turn) with
`fetch_all` (host delay 0, `per_host` = `workers`, robots.txt checked as in the flow: the server
answers 404), then parses the bodies with `parse_batch` as RawDocuments of kind "html", 100 a
batch. The figures are medians of `--repeat` runs: fetch, extract and end-to-end (the two in
sequence) pages/s, MB/s fetched, and the share of the time spent inside trafilatura.

Run: `.venv/bin/python -m bench.fetch [--requests 500] [--repeat 3] [--workers 8] [--identity]`.
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Literal

import trafilatura

from bench.corpus import write_corpus
from bench.html_eval import DEFAULT_ROOT, GOLD_FILE, load_gold, read_page, timed_calls
from extractors.text import parse_batch
from schemas import RawDocument
from sources.fetch import FetchOptions, fetch_all

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DEFAULT_REQUESTS = 500
BATCH = 100
GENERATED_PAGES = 100
_MB = 1e6

Encoding = Literal["gzip", "identity"]


@dataclass(frozen=True)
class Corpus:
    """The pages served and where they came from."""

    name: str
    pages: list[bytes]

    @property
    def mean_kb(self) -> float:
        return sum(map(len, self.pages)) / len(self.pages) / 1000 if self.pages else 0.0


def gold_corpus(root: Path = DEFAULT_ROOT) -> Corpus | None:
    """The raw HTML of every news-html-gold page, or None when the eval data is absent."""
    if not (root / GOLD_FILE).exists():
        return None
    pages = [read_page(root, page) for page in load_gold(root)]
    return Corpus(f"news-html-gold ({len(pages)} real pages)", pages)


def _article_page(text: str, index: int) -> bytes:
    """A plain-text article (headline line, then paragraphs) set in a news page with boilerplate."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, paragraphs = (lines[0], lines[1:]) if lines else ("Untitled", [])
    nav = "".join(f'<li><a href="/section/{s}">{s.title()}</a></li>' for s in ("world", "business", "sport", "culture"))
    related = "".join(f'<li><a href="/p/{(index + k) % 97}">Related story {k}</a></li>' for k in range(1, 6))
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | The Daily Bench</title>'
        f'<meta property="og:title" content="{escape(title)}"></head><body>'
        f'<header><a href="/">The Daily Bench</a><nav><ul>{nav}</ul></nav></header>'
        f"<main><article><h1>{escape(title)}</h1>{body}</article>"
        f"<aside><h2>Read more</h2><ul>{related}</ul></aside></main>"
        "<footer><p>© The Daily Bench. All rights reserved.</p><a href='/privacy'>Privacy</a></footer>"
        "</body></html>"
    ).encode()


def generated_corpus(count: int = GENERATED_PAGES) -> Corpus:
    """The seed articles and generated ones (bench/corpus.py, seed 0) as HTML pages."""
    texts = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    with tempfile.TemporaryDirectory(prefix="newsflow-bench-fetch-") as folder:
        write_corpus(Path(folder), n_articles=max(1, count - len(texts)), duplicate_share=0)
        texts += [path.read_text("utf-8") for path in sorted(Path(folder).rglob("*.txt"))]
    pages = [_article_page(text, i) for i, text in enumerate(texts[:count])]
    return Corpus(f"generated article pages ({len(pages)} from seeds/ and bench/corpus.py)", pages)


# --- the server -------------------------------------------------------------------------------


class _PageServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # every fetch worker connects at once at the start of a run

    def __init__(self, bodies: Sequence[bytes], encoding: Encoding) -> None:
        super().__init__(("127.0.0.1", 0), _PageHandler)
        self.bodies = bodies
        self.encoding = encoding

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The client's pool closes idle keep-alive connections with a reset when it is done.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _PageHandler(BaseHTTPRequestHandler):
    """/p/<i> (any query) is page i; anything else, robots.txt included, is a 404."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes; do not hold the body's tail back
    server: _PageServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        index = path.removeprefix("/p/")
        bodies = self.server.bodies
        if path.startswith("/p/") and index.isdigit() and int(index) < len(bodies):
            body = bodies[int(index)]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if self.server.encoding != "identity":
                self.send_header("Content-Encoding", self.server.encoding)
        else:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _serve(pages: list[bytes], encoding: Encoding, control: Connection) -> None:
    """The child process: encode the pages once, serve them, send the port, then answer "cpu" until "stop"."""
    bodies = [gzip.compress(page, 6) for page in pages] if encoding == "gzip" else pages
    server = _PageServer(bodies, encoding)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    control.send(server.server_address[1])
    while control.recv() == "cpu":
        control.send(_cpu_seconds())
    server.shutdown()
    server.server_close()


class PageServer:
    """A page server running in a child process: its port, and its CPU time so far."""

    def __init__(self, port: int, control: Connection) -> None:
        self.port = port
        self._control = control

    def cpu_seconds(self) -> float:
        """CPU seconds the server process has used, all its threads."""
        self._control.send("cpu")
        value: float = self._control.recv()
        return value


@contextmanager
def serving(pages: list[bytes], encoding: Encoding = "gzip") -> Iterator[PageServer]:
    """Serve the pages from a child process on 127.0.0.1 while the block runs."""
    # spawn, not fork: the child starts clean rather than copying a process that may hold threads.
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_serve, args=(pages, encoding, theirs), daemon=True)
    child.start()
    try:
        if ours not in wait([ours, child.sentinel], timeout=60):
            raise RuntimeError(f"the page server did not start (exit code {child.exitcode})")
        yield PageServer(ours.recv(), ours)
        ours.send("stop")
    finally:
        child.join(10)
        if child.is_alive():
            child.terminate()
            child.join()


# --- the measurement --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One pass: fetch every URL, then parse every body.

    Attributes:
        requested: URLs asked for.
        fetched: URLs that came back with a body.
        fetch_errors: error code by count, for the URLs that did not.
        articles: bodies that became articles.
        rejected: bodies that `parse_batch` rejected.
        wire_bytes: body bytes as they travelled (gzip), from Content-Length.
        decoded_bytes: body bytes after decoding, the bytes given to the parser.
        fetch_seconds: wall time of `fetch_all`.
        fetch_cpu_seconds: this process's CPU time during `fetch_all` (all its threads).
        server_cpu_seconds: the server process's CPU time during `fetch_all`, when it was asked.
        extract_seconds: wall time of the `parse_batch` calls.
        trafilatura_seconds: of `extract_seconds`, the time inside `trafilatura.bare_extraction`.
    """

    requested: int
    fetched: int
    fetch_errors: dict[str, int]
    articles: int
    rejected: int
    wire_bytes: int
    decoded_bytes: int
    fetch_seconds: float
    fetch_cpu_seconds: float
    extract_seconds: float
    trafilatura_seconds: float
    server_cpu_seconds: float | None = None

    @property
    def parsed(self) -> int:
        return self.articles + self.rejected

    @property
    def end_to_end_seconds(self) -> float:
        return self.fetch_seconds + self.extract_seconds


def _rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


@dataclass(frozen=True)
class Report:
    """The runs of one bench and their medians."""

    corpus: str
    mean_kb: float
    encoding: Encoding
    workers: int
    runs: list[Run]

    def median(self, figure: Callable[[Run], float]) -> float:
        return statistics.median(figure(run) for run in self.runs)

    @property
    def fetch_pages_per_second(self) -> float:
        return self.median(lambda r: _rate(r.fetched, r.fetch_seconds))

    @property
    def extract_pages_per_second(self) -> float:
        return self.median(lambda r: _rate(r.parsed, r.extract_seconds))

    @property
    def end_to_end_pages_per_second(self) -> float:
        return self.median(lambda r: _rate(r.parsed, r.end_to_end_seconds))

    @property
    def wire_mb_per_second(self) -> float:
        return self.median(lambda r: _rate(r.wire_bytes / _MB, r.fetch_seconds))

    @property
    def decoded_mb_per_second(self) -> float:
        return self.median(lambda r: _rate(r.decoded_bytes / _MB, r.fetch_seconds))

    @property
    def fetch_cpu_share(self) -> float:
        """This process's CPU time over wall time while fetching: 1.0 is one core busy."""
        return self.median(lambda r: _rate(r.fetch_cpu_seconds, r.fetch_seconds))

    @property
    def server_cpu_share(self) -> float | None:
        """The server process's CPU time over wall time while fetching; None when not measured."""
        if any(r.server_cpu_seconds is None for r in self.runs):
            return None
        return self.median(lambda r: _rate(r.server_cpu_seconds or 0.0, r.fetch_seconds))

    @property
    def trafilatura_extract_share(self) -> float:
        return self.median(lambda r: _rate(r.trafilatura_seconds, r.extract_seconds))

    @property
    def trafilatura_end_to_end_share(self) -> float:
        return self.median(lambda r: _rate(r.trafilatura_seconds, r.end_to_end_seconds))


def request_paths(pages: int, requests: int) -> list[str]:
    """`requests` distinct paths going through every page in turn: /p/0?r=0 ... /p/<pages-1>?r=0, /p/0?r=1 ..."""
    return [f"/p/{j % pages}?r={j // pages}" for j in range(requests)]


def measure_once(urls: Sequence[str], options: FetchOptions, server_cpu: Callable[[], float] | None = None) -> Run:
    """Fetch the URLs, then parse the bodies 100 a batch; time each stage and trafilatura inside it.

    Args:
        urls: the URLs to fetch.
        options: the fetch limits.
        server_cpu: reads the server's CPU seconds so far, to get its share while fetching.

    Returns:
        The counts and times of the run.
    """
    server_before = server_cpu() if server_cpu else 0.0
    cpu = time.process_time()
    start = time.perf_counter()
    results = fetch_all(urls, options)
    fetch_seconds = time.perf_counter() - start
    fetch_cpu = time.process_time() - cpu
    server_seconds = server_cpu() - server_before if server_cpu else None
    errors: dict[str, int] = {}
    now = datetime.now(UTC)
    docs = []
    wire = 0
    for result in results:
        if result.error is not None or result.content is None:
            errors[result.error or "no_body"] = errors.get(result.error or "no_body", 0) + 1
            continue
        wire += int(result.headers.get("content-length", len(result.content)))
        docs.append(RawDocument(source="bench", uri=result.url, content=result.content, kind="html", fetched_at=now))
    spent = [0.0]
    articles = 0
    with timed_calls(trafilatura, "bare_extraction", spent):
        start = time.perf_counter()
        for i in range(0, len(docs), BATCH):
            articles += sum(r.article is not None for r in parse_batch(docs[i : i + BATCH]))
        extract_seconds = time.perf_counter() - start
    return Run(
        requested=len(urls),
        fetched=len(docs),
        fetch_errors=errors,
        articles=articles,
        rejected=len(docs) - articles,
        wire_bytes=wire,
        decoded_bytes=sum(len(d.content) for d in docs),
        fetch_seconds=fetch_seconds,
        fetch_cpu_seconds=fetch_cpu,
        extract_seconds=extract_seconds,
        trafilatura_seconds=spent[0],
        server_cpu_seconds=server_seconds,
    )


def measure(
    corpus: Corpus,
    *,
    requests: int = DEFAULT_REQUESTS,
    repeat: int = 3,
    workers: int | None = None,
    encoding: Encoding = "gzip",
) -> Report:
    """Serve the corpus from a child process and time `repeat` runs of fetch then extract.

    Args:
        corpus: the pages to serve.
        requests: URLs fetched a run, all distinct, going through every page in turn.
        repeat: runs; the report gives medians.
        workers: fetch threads (and connections to the one host); FetchOptions' default when None.
        encoding: how bodies travel: gzip, as news sites serve them, or identity.

    Returns:
        Every run and the CPU time the server used over all of them.
    """
    workers = workers or FetchOptions().workers
    options = FetchOptions(allow_hosts=frozenset({"127.0.0.1"}), host_delay=0, per_host=workers, workers=workers)
    # Warm up outside the timing: trafilatura's and htmldate's first call loads what later calls reuse.
    parse_batch([RawDocument(source="bench", uri="warm-up", content=corpus.pages[0], kind="html",
                             fetched_at=datetime.now(UTC))])  # fmt: skip
    runs = []
    with serving(corpus.pages, encoding) as server:
        base = f"http://127.0.0.1:{server.port}"
        urls = [base + path for path in request_paths(len(corpus.pages), requests)]
        fetch_all(urls[:workers], options)  # a first call outside the timing: the server's threads and our imports
        for _ in range(repeat):
            runs.append(measure_once(urls, options, server.cpu_seconds))
    return Report(corpus.name, corpus.mean_kb, encoding, workers, runs)


def _print_report(report: Report) -> None:
    last = report.runs[-1]
    print(
        f"newsflow fetch + extract: {last.requested:,} distinct URLs over {report.corpus}, "
        f"{report.mean_kb:,.0f} KB a page on average, served {report.encoding} by a child process on 127.0.0.1; "
        f"{report.workers} fetch workers, median of {len(report.runs)} runs"
    )
    failed = ", ".join(f"{code} {count}" for code, count in sorted(last.fetch_errors.items()))
    print(
        f"  pages (last run): {last.requested:,} requested, {last.fetched:,} fetched"
        + (f" ({failed} failed)" if failed else "")
        + f", {last.parsed:,} parsed: {last.articles:,} articles, {last.rejected:,} rejected"
    )
    server = report.server_cpu_share
    print("  stage         pages/s   in trafilatura")
    print(f"  fetch        {report.fetch_pages_per_second:8,.1f}                 "
          f"{report.wire_mb_per_second:,.1f} MB/s on the wire, {report.decoded_mb_per_second:,.1f} MB/s decoded; "
          f"CPU while fetching: client {report.fetch_cpu_share:.0%}"
          + (f", server {server:.0%}" if server is not None else "") + " of a core")  # fmt: skip
    print(f"  extract      {report.extract_pages_per_second:8,.1f}   {report.trafilatura_extract_share:12.1%}")
    print(f"  end to end   {report.end_to_end_pages_per_second:8,.1f}   {report.trafilatura_end_to_end_share:12.1%}")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


UNREACHABLE_HOST = "news.example.invalid"  # `.invalid` never resolves (RFC 2606)


def time_unreachable(n: int, repeat: int = 3) -> list[float]:
    """Seconds `fetch_all` takes for `n` addresses on a host whose name does not resolve, robots.txt
    honoured and the default options (3 retries with backoff), once per `repeat`."""
    urls = [f"http://{UNREACHABLE_HOST}/world/{i}" for i in range(n)]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        results = fetch_all(urls, FetchOptions())
        times.append(time.perf_counter() - started)
        assert {r.error for r in results} == {"connect_error"}, {r.error for r in results}
    return times


def main(argv: Sequence[str]) -> int:
    """Print fetch, extract and end-to-end pages/s, MB/s fetched and the share of time in trafilatura."""
    parser = argparse.ArgumentParser(prog="python -m bench.fetch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=_positive, default=DEFAULT_REQUESTS, help="distinct URLs fetched a run")
    parser.add_argument("--repeat", type=_positive, default=3, help="runs (medians shown)")
    parser.add_argument("--workers", type=_positive, default=FetchOptions().workers, help="fetch threads")
    parser.add_argument("--identity", action="store_true", help="serve bodies unencoded rather than gzip")
    parser.add_argument("--gold", type=Path, default=DEFAULT_ROOT, help="the news-html-gold folder")
    parser.add_argument("--generated", action="store_true", help="serve generated pages even when the gold is here")
    parser.add_argument(
        "--unreachable", type=_positive, metavar="N", help=f"only time N addresses on {UNREACHABLE_HOST}"
    )
    args = parser.parse_args(argv)
    if args.unreachable:
        times = time_unreachable(args.unreachable, args.repeat)
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"{args.unreachable} addresses on {UNREACHABLE_HOST}, robots.txt honoured, default fetch options: "
              f"median {statistics.median(times):.2f} s of {len(times)} ({each})")  # fmt: skip
        return 0
    corpus = None if args.generated else gold_corpus(args.gold)
    if corpus is None:
        corpus = generated_corpus()
        if not args.generated:
            corpus = replace(corpus, name=f"{corpus.name}, as there is no {GOLD_FILE} in {args.gold}")
    load = os.getloadavg()[0]
    report = measure(corpus, requests=args.requests, repeat=args.repeat, workers=args.workers,
                     encoding="identity" if args.identity else "gzip")  # fmt: skip
    _print_report(report)
    # On a shared machine the figures move with what else runs; the load says how busy it was.
    print(f"  machine: {os.cpu_count()} cores, 1-minute load average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
