"""Throughput of each pipeline stage and of the whole `ingest` flow on one corpus, in one process.

Prefect reads its settings when first imported, and this module imports the flow: set
PREFECT_HOME and PREFECT_SERVER_ANALYTICS_ENABLED before importing it (`bench.__main__` does).
"""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import duckdb
import prefect
from prefect.settings import get_current_settings

from bench.config import BenchConfig
from bench.corpus import CorpusStats, write_corpus
from extractors import ParseOptions
from flows.ingest import prepare_batch, run_ingest, story_assigner
from schemas import RawDocument, RunSummary
from sources import FilesConfig, FilesSource
from store import append_batch, finish_run, read_cursor, start_run

# Enough to start Prefect's server, import everything and load the country names before timing.
WARMUP_ARTICLES = 50
PROFILE_TOP = 15


@dataclass(frozen=True)
class StageRun:
    """One pass of the stages without Prefect: read pages, prepare each batch, append it."""

    n_inputs: int
    n_copies: int
    n_new: int
    n_duplicates: int
    n_rejected: int
    seconds_read: float
    seconds_parse: float
    seconds_store: float
    seconds_wall: float
    cpu_seconds: float
    db_bytes: int


@dataclass(frozen=True)
class FlowRun:
    """One call of the `ingest` flow, timed from outside, with the stage times it measured inside."""

    summary: RunSummary
    seconds_wall: float
    cpu_seconds: float

    @property
    def seconds_stages(self) -> float:
        """Seconds the flow's own thread spent in the stages or waiting for the workers' results:
        reading, waiting for parsed batches, appending, waiting for extracted events, writing them."""
        s = self.summary
        return s.seconds_read + s.seconds_parse_wait + s.seconds_store + s.seconds_extract_wait + s.seconds_events

    @property
    def prefect_share(self) -> float:
        """The share of the call's wall time not spent in the stages or waiting on them: Prefect's part."""
        return 1 - self.seconds_stages / self.seconds_wall


@dataclass
class Results:
    """Everything one bench run measured."""

    corpus: CorpusStats
    stages: list[StageRun] = field(default_factory=list)
    flows: list[FlowRun] = field(default_factory=list)
    seconds_startup: float = 0.0
    peak_rss: dict[str, float] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)
    prefect_api: str = "not used"


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (children such as Prefect's server excluded)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_stages(corpus: Path, db: Path, *, batch_size: int) -> StageRun:
    """Read, prepare and append the corpus batch by batch without Prefect, timing each stage.

    This is the flow's loop with its tasks called as plain functions: the same source, the same
    `prepare_batch` and `append_batch`, one transaction per batch, into a fresh database.
    """
    source = FilesSource(FilesConfig(path=corpus, page_size=batch_size))
    options = ParseOptions()
    run_id = uuid.uuid4().hex
    seconds_read = seconds_parse = seconds_store = 0.0
    n_inputs = n_new = n_copies = n_duplicates = n_rejected = 0
    assign = story_assigner()
    started = time.perf_counter()
    cpu_started = time.process_time()
    start_run(db, run_id, flow_run_id=None, sources=[source.name])
    pages = source.pages(read_cursor(db, source.name))
    while True:
        mark = time.perf_counter()
        page = next(pages, None)
        seconds_read += time.perf_counter() - mark
        if page is None:
            break
        mark = time.perf_counter()
        batch = prepare_batch(run_id, source.name, page.documents, page.rejects, options)
        seconds_parse += time.perf_counter() - mark
        batch.cursor = page.cursor
        mark = time.perf_counter()
        result = append_batch(db, batch, assign)
        seconds_store += time.perf_counter() - mark
        n_inputs += batch.n_seen
        n_new += result.n_new
        n_copies += result.n_copies
        n_duplicates += result.n_duplicates
        n_rejected += result.n_rejected
    finish_run(db, run_id, status="completed")
    return StageRun(
        n_inputs=n_inputs,
        n_new=n_new,
        n_copies=n_copies,
        n_duplicates=n_duplicates,
        n_rejected=n_rejected,
        seconds_read=seconds_read,
        seconds_parse=seconds_parse,
        seconds_store=seconds_store,
        seconds_wall=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
        db_bytes=db.stat().st_size,
    )


def run_flow(corpus: Path, db: Path, *, batch_size: int) -> FlowRun:
    """Call the real `ingest` flow on the corpus into a fresh database and time the call."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    summary = run_ingest(sources=[str(corpus)], db=str(db), batch_size=batch_size)
    return FlowRun(
        summary=summary,
        seconds_wall=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
    )


def _documents(corpus: Path, limit: int) -> list[RawDocument]:
    source = FilesSource(FilesConfig(path=corpus, page_size=min(limit, 1000)))
    documents: list[RawDocument] = []
    for page in source.pages(None):
        documents += page.documents
        if len(documents) >= limit:
            break
    return documents[:limit]


def _prepare_in_pages(documents: Sequence[RawDocument], batch_size: int) -> None:
    options = ParseOptions()
    for start in range(0, len(documents), batch_size):
        prepare_batch("profile", "bench", documents[start : start + batch_size], [], options)


def profile_prepare(corpus: Path, *, n_documents: int, batch_size: int, top: int = PROFILE_TOP) -> str:
    """Profile `prepare_batch` over the first `n_documents` of the corpus; the top functions by cumulative time."""
    documents = _documents(corpus, n_documents)
    profiler = cProfile.Profile()
    profiler.enable()
    _prepare_in_pages(documents, batch_size)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
    return f"cProfile of prepare_batch on {len(documents):,} documents (batches of {batch_size}):\n{out.getvalue()}"


def _prefect_context(harness: bool) -> AbstractContextManager[object]:
    if not harness:
        return nullcontext()
    from prefect.testing.utilities import prefect_test_harness

    context: AbstractContextManager[object] = prefect_test_harness()
    return context


def measure(config: BenchConfig, work: Path, *, log: TextIO = sys.stderr) -> Results:
    """Write the corpus under `work`, then time the stages and the flow on it.

    The first run without Prefect comes before Prefect starts, so the peak memory after it is
    that of the stages alone; then Prefect starts with a warm-up flow run, and runs with and
    without Prefect alternate.
    """
    load_start = _load()
    warmup_dir = work / "warmup"
    write_corpus(warmup_dir, n_articles=WARMUP_ARTICLES, words=config.words, seed=config.seed + 1)
    # Load the country names and warm the parsers once, so no run pays for it.
    _prepare_in_pages(_documents(warmup_dir, WARMUP_ARTICLES), config.batch_size)
    baseline = peak_rss_mib()
    corpus_dir = work / "corpus"
    print(f"bench: writing {config.articles:,} articles to {corpus_dir}", file=log)
    corpus = write_corpus(
        corpus_dir,
        n_articles=config.articles,
        words=config.words,
        seed=config.seed,
        duplicate_share=config.duplicate_share,
    )
    results = Results(corpus=corpus)
    results.peak_rss["imports and a warm-up parse"] = baseline
    results.peak_rss["writing the corpus"] = peak_rss_mib()
    print(f"bench: stages without Prefect, run 1 of {config.repeat}", file=log)
    results.stages.append(_stage_run(config, corpus_dir, work, 0))
    results.peak_rss["a run without Prefect"] = peak_rss_mib()
    if not config.flow:
        for index in range(1, config.repeat):
            print(f"bench: stages without Prefect, run {index + 1} of {config.repeat}", file=log)
            results.stages.append(_stage_run(config, corpus_dir, work, index))
        results.load = (load_start, _load())
        return results

    print("bench: starting Prefect with a warm-up flow run", file=log)
    started = time.perf_counter()
    with _prefect_context(config.harness):
        run_flow(warmup_dir, work / "warmup.duckdb", batch_size=config.batch_size)
        results.seconds_startup = time.perf_counter() - started
        results.prefect_api = _prefect_api(harness=config.harness)
        # Runs with and without Prefect alternate, so a change in the machine's load touches both alike.
        for index in range(config.repeat):
            if index:
                print(f"bench: stages without Prefect, run {index + 1} of {config.repeat}", file=log)
                results.stages.append(_stage_run(config, corpus_dir, work, index))
            print(f"bench: ingest flow, run {index + 1} of {config.repeat}", file=log)
            db = work / f"flow-{index}.duckdb"
            results.flows.append(run_flow(corpus_dir, db, batch_size=config.batch_size))
            _drop_database(db, keep=config.keep)
    results.peak_rss["the flow runs"] = peak_rss_mib()
    results.load = (load_start, _load())
    return results


def _load() -> float:
    """The 1-minute load average: other work on the machine shows in every figure."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _stage_run(config: BenchConfig, corpus_dir: Path, work: Path, index: int) -> StageRun:
    db = work / f"stages-{index}.duckdb"
    run = run_stages(corpus_dir, db, batch_size=config.batch_size)
    _drop_database(db, keep=config.keep)
    return run


def _drop_database(db: Path, *, keep: bool) -> None:
    """Remove a measured database (and its WAL) so several repeats do not fill the disk."""
    if keep:
        return
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _prefect_api(*, harness: bool) -> str:
    """Which Prefect server the flow runs talked to."""
    url = get_current_settings().api.url
    if harness:
        return f"prefect_test_harness() server at {url} (throwaway database)"
    if url:
        return f"the server at {url}"
    return "temporary local server on PREFECT_HOME's database, as `newsflow run` uses"


def machine_facts(prefect_api: str) -> list[str]:
    """Lines describing the machine, the versions the numbers depend on, and the Prefect server used."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    settings = get_current_settings()
    analytics = "on" if settings.server.analytics_enabled else "off"
    return [
        f"machine: nproc {usable} (of {os.cpu_count()} CPUs), {_cpu_model()}, {platform.platform()}",
        f"versions: Python {platform.python_version()}, DuckDB {duckdb.__version__}, Prefect {prefect.__version__}",
        f"Prefect: PREFECT_HOME={settings.home}, analytics {analytics}; flow runs on: {prefect_api}",
    ]


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "-"


_LABEL = 52


def _row(label: str, n: int, seconds: Sequence[float]) -> str:
    """A table row: median seconds, articles/s at the median, and articles/s of each run."""
    median = statistics.median(seconds)
    runs = " ".join(f"{_rate(n, s):>7}" for s in seconds)
    return f"  {label:<{_LABEL}} {median:>9.3f} {_rate(n, median):>11}   {runs}"


def _share_row(label: str, seconds: Sequence[float], shares: Sequence[float]) -> str:
    """A table row for time that is not a stage: median seconds and its share of the wall time."""
    runs = " ".join(f"{s:>7.1%}" for s in shares)
    return f"  {label:<{_LABEL}} {statistics.median(seconds):>9.3f} {statistics.median(shares):>11.1%}   {runs}"


def _lines(config: BenchConfig, results: Results) -> Iterator[str]:
    corpus = results.corpus
    n = corpus.n_articles
    yield (
        f"newsflow bench: {n:,} articles, ~{config.words} words on average, batches of {config.batch_size}, "
        f"median of {config.repeat} runs"
    )
    yield from machine_facts(results.prefect_api)
    yield f"load average (1 min): {results.load[0]:.2f} at the start, {results.load[1]:.2f} at the end"
    layouts = ", ".join(f"{k} {v:,}" for k, v in sorted(corpus.layouts.items()))
    copies = ", ".join(f"{k} {v}" for k, v in sorted(corpus.copies.items()))
    yield (
        f"corpus: {n:,} files, {corpus.n_bytes / 2**20:.1f} MiB, {corpus.n_body_words / n:,.0f} body words per "
        f"article, written in {corpus.seconds:.1f} s (seed {config.seed}); layouts: {layouts}"
    )
    yield (
        f"        {corpus.n_duplicates:,} deliberate copies at other paths = {corpus.duplicate_share:.1%} of files "
        f"({copies or 'none'})"
    )
    yield ""
    yield f"  {'measurement (articles = input files)':<{_LABEL}} {'median s':>9} {'articles/s':>11}   each run"
    stages = results.stages
    yield _row("read: FilesSource.pages", n, [s.seconds_read for s in stages])
    yield _row("parse: prepare_batch (parse, identify, dedup)", n, [s.seconds_parse for s in stages])
    yield _row("store: append_batch into a fresh DuckDB", n, [s.seconds_store for s in stages])
    yield _row("read + parse + store without Prefect (wall)", n, [s.seconds_wall for s in stages])
    flows = results.flows
    if flows:
        yield _row("whole run: ingest flow after start-up (wall)", n, [f.seconds_wall for f in flows])
        yield _row("  in the flow: read", n, [f.summary.seconds_read for f in flows])
        yield _row("  on the workers: parse task (prepare_batch)", n, [f.summary.seconds_parse for f in flows])
        yield _row("  on the workers: extract task (events)", n, [f.summary.seconds_extract for f in flows])
        yield _row("  in the flow: waiting for parsed batches", n, [f.summary.seconds_parse_wait for f in flows])
        yield _row("  in the flow: append task (append_batch)", n, [f.summary.seconds_store for f in flows])
        yield _row("  in the flow: waiting for extracted events", n, [f.summary.seconds_extract_wait for f in flows])
        yield _row("  in the flow: writing events", n, [f.summary.seconds_events for f in flows])
        yield f"  {'':<{_LABEL}} {'':>9} {'share':>11}"
        yield _share_row(
            "  in the flow: Prefect (wall - the flow thread's stages and waits)",
            [f.seconds_wall - f.seconds_stages for f in flows],
            [f.prefect_share for f in flows],
        )
        bare_wall = statistics.median(s.seconds_wall for s in stages)
        flow_wall = statistics.median(f.seconds_wall for f in flows)
        yield ""
        yield (
            f"Prefect share of the flow's wall time: {statistics.median(f.prefect_share for f in flows):.1%} "
            "= 1 - (read + parse wait + append + extract wait + events write) / wall seconds of the ingest() call "
            "(median)"
        )
        yield (
            f"flow (with events) against the loop without Prefect (no events): {flow_wall / bare_wall:.2f}x the wall "
            "time "
            f"(1 - loop wall / flow wall = {1 - bare_wall / flow_wall:.1%}; this also counts the stages "
            "running slower inside tasks)"
        )
        bare_cpu = statistics.median(s.cpu_seconds for s in stages)
        flow_cpu = statistics.median(f.cpu_seconds for f in flows)
        yield (
            f"CPU seconds of the bench process per run (all threads): {bare_cpu:.2f} without Prefect, "
            f"{flow_cpu:.2f} in the flow (Prefect's server subprocess not counted)"
        )
        yield (
            f"Prefect start-up and warm-up flow run ({WARMUP_ARTICLES} articles, not in the table): "
            f"{results.seconds_startup:.1f} s"
        )
    yield ""
    db_mib = statistics.median(s.db_bytes for s in stages) / 2**20
    yield f"DuckDB file after one run: {db_mib:.1f} MiB"
    peaks = ", ".join(f"{v:,.0f} MiB after {k}" for k, v in results.peak_rss.items())
    yield f"peak memory, ru_maxrss of the bench process alone (grows only; Prefect's server not included): {peaks}"
    yield from _checks(results)


def _checks(results: Results) -> Iterator[str]:
    """Every run should store every file, and find at least the deliberate copies as copies."""
    corpus = results.corpus
    n = corpus.n_articles
    counts = [("stages", (s.n_inputs, s.n_new, s.n_copies, s.n_duplicates, s.n_rejected)) for s in results.stages]
    counts += [
        ("flow", (f.summary.n_seen, f.summary.n_new, f.summary.n_copies, f.summary.n_duplicates, f.summary.n_rejected))
        for f in results.flows
    ]
    wrong = [
        (name, got) for name, got in counts if got[:2] != (n, n) or got[3:] != (0, 0) or got[2] < corpus.n_duplicates
    ]
    copies = sorted({got[2] for _, got in counts})
    if not wrong:
        yield (
            f"check: every run stored {n:,} of {n:,} files with 0 duplicates and 0 rejects, and found "
            f"{', '.join(f'{c:,}' for c in copies)} copies ({corpus.n_duplicates:,} made on purpose)"
        )
    for name, (seen, new, found, duplicates, rejected) in wrong:
        yield (
            f"CHECK FAILED: a {name} run counted {seen:,} seen, {new:,} new ({found:,} copies), {duplicates:,} "
            f"duplicates, {rejected} rejected; expected {n:,} seen and new, at least {corpus.n_duplicates:,} copies"
        )


def run_bench(config: BenchConfig, *, out: TextIO = sys.stdout) -> int:
    """Run the whole bench in a temporary folder and print the table.

    Returns:
        The exit status: 0, or 1 when a run's counts differ from what the corpus holds.
    """
    work = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    try:
        results = measure(config, work)
        lines = list(_lines(config, results))
        print("\n".join(lines), file=out)
        if config.profile:
            print("", file=out)
            print(profile_prepare(work / "corpus", n_documents=config.profile, batch_size=config.batch_size), file=out)
        return 1 if any(line.startswith("CHECK FAILED") for line in lines) else 0
    finally:
        if config.keep:
            print(f"bench: kept the corpus and databases in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
