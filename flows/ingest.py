"""The `ingest` flow: sources to DuckDB in micro-batches, each committed in one transaction."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
from prefect import get_run_logger, task
from prefect.artifacts import acreate_markdown_artifact
from prefect.cache_policies import NONE
from prefect.context import SyncClientContext
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from dedup import (
    Known,
    MinHashOptions,
    StoryOptions,
    assign_stories,
    drop_redelivered,
    identify_apart,
    identify_result,
    unpack_signatures,
)
from extractors import ParseOptions, parse_batch
from extractors.budget import parse_within, start_parser, stop_parsers
from flows.events import EventsStage, prefect_api_url, resolve_extractor
from flows.flow import flow
from flows.heap import bound_heap
from flows.progress import report_batch
from flows.settings import (
    DEFAULT_EXTRACTOR,
    NO_EXTRACTOR,
    allowed_hosts,
    build_source,
    default_db,
    document_cap,
    run_sources,
)
from flows.workers import Parcel, Workers
from schemas import AppendResult, Article, Batch, RawDocument, Reject, RunSummary
from schemas.config import load_settings
from sources import Page
from store import (
    AssignStories,
    Candidates,
    Heartbeat,
    StoryAssignment,
    append_batch,
    finish_run,
    read_cursor,
    seconds_waited,
    start_run,
)

_T = TypeVar("_T")

MAX_NOTES_LOGGED = 20
"""Repairs logged one by one per batch (a field ignored, lone surrogates replaced); the rest are counted."""


def prefetched(items: Iterator[_T], depth: int = 1) -> Generator[_T, None, None]:
    """Yield from `items`, producing up to `depth` ahead in a thread: reading overlaps parsing.

    The thread starts the next item only once fewer than `depth` wait: with pages of a source,
    besides the page the caller holds, at most `depth` are read or being read.
    An exception raised by `items` is raised here, in order, after the items before it.
    """
    ahead: queue.Queue[tuple[bool, _T | BaseException | None]] = queue.Queue()
    room = threading.Semaphore(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            while True:
                room.acquire()
                if stop.is_set():
                    return
                item = next(items, _END)
                if item is _END:
                    break
                ahead.put((True, cast(_T, item)))
        except BaseException as exc:  # handed to the consumer, raised there
            ahead.put((False, exc))
            return
        ahead.put((False, None))

    worker = threading.Thread(target=produce, name="newsflow-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            ok, value = ahead.get()
            if ok:
                room.release()
                yield cast(_T, value)
            elif isinstance(value, BaseException):
                raise value
            else:
                return
    finally:
        stop.set()
        room.release()  # a producer waiting for room sees the stop
        worker.join()


_END = object()


def prepare_batch(
    run_id: str,
    source: str,
    documents: Sequence[RawDocument],
    rejects: Sequence[Reject],
    options: ParseOptions,
    n_given_up: int = 0,
    *,
    timeout: float = 0.0,
) -> Batch:
    """Parse a page, fingerprint its articles and drop documents delivered twice: the batch to append.

    A document either stage fails on is a reject of the batch; what the text stage repaired in
    the articles it kept is in the batch's notes. With a `timeout` (seconds), each document is
    parsed and fingerprinted in the parse process and one that takes longer is stopped and
    rejected as `timeout` (`extractors.budget`); with 0, documents are parsed and fingerprinted
    here, without a budget.
    """
    if timeout > 0:
        # Fingerprinted in the parse process too: a long text's fingerprint is bounded by the
        # document's budget, and its memory is spent there rather than beside the writer's.
        results = parse_within(documents, options=options, timeout=timeout, then=identify_result)
        articles = [cast(Article, r.article) for r in results if r.article is not None]
        unfit: list[Reject] = []
    else:
        results = parse_batch(documents, options=options)
        articles, unfit = identify_apart([r.article for r in results if r.article is not None])
    unique, n_repeats = drop_redelivered(articles)
    return Batch(
        run_id=run_id,
        source=source,
        articles=unique,
        rejects=[*rejects, *(r.reject for r in results if r.reject is not None), *unfit],
        n_seen=len(documents) + len(rejects),
        n_batch_duplicates=n_repeats,
        n_given_up=n_given_up,
        notes=[f"{r.article.uri}: {note}" for r in results if r.article is not None for note in r.notes],
    )


def _as_stored(article: Article, result: AppendResult) -> Article:
    """The article as the store keeps it: a page's text that upgraded a stored article takes that article's id."""
    stored_id = result.upgraded.get(article.article_id)
    return article if stored_id is None else article.model_copy(update={"article_id": stored_id})


def story_assigner(options: StoryOptions | None = None) -> AssignStories:
    """The story decision the writer makes inside its transaction: dedup's rules on stored candidates."""

    def assign(articles: Sequence[Article], candidates: Candidates) -> list[StoryAssignment]:
        width = len(articles[0].signature) // 4 if articles else MinHashOptions().num_perm
        known = Known(
            article_ids=candidates.article_ids,
            story_ids=candidates.story_ids,
            signatures=unpack_signatures(candidates.signatures, width),
            sizes=np.array(candidates.n_shingles, dtype=np.int64),
            content_hashes=candidates.content_hashes,
        )
        decided = assign_stories(
            [a.article_id for a in articles],
            [a.content_hash for a in articles],
            unpack_signatures([a.signature for a in articles], width),
            np.array([a.n_shingles for a in articles], dtype=np.int64),
            np.array([a.band_keys for a in articles], dtype=np.int64).reshape(len(articles), -1),
            known,
            candidates.pairs,
            options,
        )
        return [(d.story_id, d.dup_of, d.similarity) for d in decided]

    return assign


def source_failure(source: str, exc: Exception) -> Page:
    """The page that records a source whose reading raised: one `source_error` reject, the cursor
    left as the last committed page saved it (what that page held is stored)."""
    reject = Reject(source=source, uri=source, reason="source_error", detail=f"{type(exc).__name__}: {exc}")
    return Page(rejects=[reject], cursor=None)


class _Parsed:
    """A page prepared in the flow's own thread, standing in for a parse task's future."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch

    def result(self) -> tuple[Batch, float]:
        return self.batch, 0.0


@task(name="parse", cache_policy=NONE, persist_result=False)
def parse_task(
    run_id: str,
    source: str,
    documents: Parcel[list[RawDocument]],
    rejects: Parcel[list[Reject]],
    max_bytes: int,
    n_given_up: int = 0,
    timeout: float = 0.0,
) -> tuple[Batch, float]:
    """Parse and fingerprint one page, each document within `timeout` seconds (0: no budget); also
    return the seconds spent in the stages."""
    started = time.perf_counter()
    options = ParseOptions(max_bytes=max_bytes)
    batch = prepare_batch(run_id, source, documents.take(), rejects.take(), options, n_given_up, timeout=timeout)
    return batch, time.perf_counter() - started


@task(name="append", cache_policy=NONE, persist_result=False)
def append_task(db: str, batch: Parcel[Batch]) -> tuple[AppendResult, float]:
    """Append one batch to DuckDB in one transaction; also return the seconds it took."""
    started = time.perf_counter()
    options = StoryOptions()
    result = append_batch(db, batch.value, assign=story_assigner(options), min_bands=options.min_bands)
    return result, time.perf_counter() - started


def summary_markdown(summary: RunSummary) -> str:
    """The run summary as the markdown artifact shows it."""
    lines = [
        f"# newsflow ingest: {summary.status}",
        "",
        "| seen | new | of them copies | duplicates | rejected | articles coded | extraction errors | events "
        "| seconds | upgraded from feed text | pages given up |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {summary.n_seen} | {summary.n_new} | {summary.n_copies} | {summary.n_duplicates} "
        f"| {summary.n_rejected} | {summary.n_extracted} | {summary.n_extract_errors} | {summary.n_events} "
        f"| {summary.seconds:.2f} | {summary.n_upgraded} | {summary.n_given_up} |",
        "",
        f"Database: `{summary.database}`; sources: {', '.join(f'`{s}`' for s in summary.sources)}; "
        f"extractor: {summary.extractor or 'none'}; workers: {summary.workers}.",
    ]
    if summary.n_retry_later or summary.n_given_up:
        lines += [
            "",
            f"{summary.n_retry_later} rejects failed for now and are tried again next run; "
            f"{summary.n_given_up} inputs were given up after their source's `max_attempts` runs.",
        ]
    if summary.rejects_by_reason:
        lines += ["", "| reject reason | count |", "|---|---:|"]
        lines += [f"| {reason} | {count} |" for reason, count in sorted(summary.rejects_by_reason.items())]
    if summary.error:
        lines += ["", f"Error: {summary.error}"]
    return "\n".join(lines)


@flow(name="ingest", persist_result=False)
async def ingest(
    sources: list[str] | None = None,
    db: str | None = None,
    batch_size: int | None = None,
    max_bytes: int | None = None,
    extractor: str = DEFAULT_EXTRACTOR,
    config: str | None = None,
    allow_hosts: list[str] | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
    follow_symlinks: bool = False,
    url_lists: dict[str, str] | None = None,
    batch_bytes: int | None = None,
    parse_timeout: float | None = None,
) -> RunSummary:
    """Ingest files, folders, feeds and pages of articles into DuckDB, then code their events.

    Each page of a source (`batch_size` inputs or `batch_bytes` bytes) is parsed and fingerprinted by one task on the
    workers and appended here, by the one writer, in one transaction with the run's counts and
    the source's cursor, so a crash loses at most the batch in flight. The new articles that
    became their story's canonical copy go back to the workers for extraction, and their events
    are written in transactions of their own. Last, the stage codes any canonical article the
    extractor's version has not coded yet (left by a crash between the two commits, by a run with
    `--extractor none`, or by an older version). Every input ends as an article, a duplicate or a
    reject; an article the extractor fails on ends as an `extractions` row with status `error`.

    Args:
        sources: files, folders or addresses; when None, the sources of the config file, else `seeds`.
        db: the DuckDB file; `$NEWSFLOW_DB`, the config's `db`, or data/newsflow.duckdb when None.
        batch_size: inputs per batch and per transaction; when None, the config's `batch_size`
            (`$NEWSFLOW_BATCH_SIZE`), else 1,000.
        max_bytes: documents larger than this are rejected as `too_large`; when None, 5 MB for
            files and the config's `fetch.max_bytes` (default 5 MB) for fetched pages.
        extractor: the events extractor (entry-point group `newsflow.extractors`), or `none`.
        config: the config file; `$NEWSFLOW_CONFIG` or ./newsflow.toml when None.
        allow_hosts: hosts live sources may reach at private addresses, besides the config's.
        workers: local worker processes for parsing and extraction (default: the machine's
            cores, once the run has handed out enough work to pay for starting them; 1 runs them
            in this process).
        dask_address: a Dask scheduler (`tcp://HOST:PORT`) to run parsing and extraction on.
        follow_symlinks: files sources read what symbolic links lead to outside their folder
            (unless a source's own options say otherwise); else such a link is an `outside_source` reject.
        url_lists: lists of article addresses to read besides `sources`, by source name: the path of
            the file that holds each (one address a line; `newsflow run -i`).
        batch_bytes: a page also ends once its documents hold this many bytes; when None, the
            config's `batch_bytes` (`$NEWSFLOW_BATCH_BYTES`), else 8 MiB.
        parse_timeout: seconds one document may take to parse before it is stopped and rejected
            as `timeout`; 0 parses without a budget, in the worker itself; when None, the config's
            `parse_timeout` (`$NEWSFLOW_PARSE_TIMEOUT`), else 30.

    Returns:
        The run summary, also published as the markdown artifact `ingest-summary`.

    The flow is async because a sync Prefect flow ends on a one-second wait for its run to be
    reported, paid by every run; `run_ingest` calls it from synchronous code.
    """
    bound_heap()  # as the command line does, for a run a deployment or a worker starts
    logger = get_run_logger()
    database = str(Path(db or default_db(config)))
    label = resolve_extractor(extractor) if extractor != NO_EXTRACTOR else None  # an unknown name fails here
    hosts = allowed_hosts(allow_hosts, config)
    settings = load_settings(config)
    batch_size = batch_size or settings.batch_size
    batch_bytes = batch_bytes or settings.batch_bytes
    timeout = settings.parse_timeout if parse_timeout is None else parse_timeout
    # The parse process is started by the first page that has documents to parse: a run with
    # nothing new never pays its imports. Medians of 8 side by side: a run of the seeds with
    # nothing new 1.83 → 1.71 s (CPU 2.17 → 1.82 s; with the machine's other core busy 2.04 →
    # 1.86 s); a run of the five seeds into a new database 4.77 → 4.98 s, as its first page now
    # waits for the imports that used to overlap Prefect's start.
    parser_wanted = timeout > 0
    specs = run_sources(sources, config, url_lists)
    adapters = [
        build_source(
            spec, batch_size, max_bytes, hosts, settings.fetch, follow_symlinks=follow_symlinks, batch_bytes=batch_bytes
        )
        for spec in specs
    ]
    caps = [document_cap(spec, max_bytes, settings.fetch) for spec in specs]
    run_id = uuid.uuid4().hex
    summary = RunSummary(
        run_id=run_id,
        flow_run_id=flow_run.id,
        database=database,
        sources=[a.name for a in adapters],
        extractor=label,
    )
    reasons: Counter[str] = Counter()
    # Pages parsed on the workers, appended here in the order they were read.
    parsing: deque[tuple[PrefectFuture[tuple[Batch, float]] | _Parsed, dict[str, Any] | None]] = deque()
    events: EventsStage | None = None

    def append_next() -> None:
        future, cursor = parsing.popleft()
        waited = time.perf_counter()
        batch, parse_seconds = future.result()
        summary.seconds_parse_wait += time.perf_counter() - waited
        summary.seconds_parse += parse_seconds
        batch.cursor = cursor
        result, store_seconds = append_task(database, Parcel(batch))
        summary.seconds_store += store_seconds
        summary.n_batches += 1
        summary.n_seen += batch.n_seen
        summary.n_new += result.n_new
        summary.n_copies += result.n_copies
        summary.n_duplicates += result.n_duplicates
        summary.n_rejected += result.n_rejected
        summary.n_upgraded += result.n_upgraded
        summary.n_given_up += batch.n_given_up
        reasons.update(r.reason for r in [*batch.rejects, *result.store_rejects])
        summary.n_retry_later += sum(r.retry == "later" for r in batch.rejects)
        report_batch(batch.n_seen, result)
        logger.info(
            "batch %d: %d seen, %d new, %d duplicates, %d rejected",
            summary.n_batches,
            batch.n_seen,
            result.n_new,
            result.n_duplicates,
            result.n_rejected,
        )
        for note in batch.notes[:MAX_NOTES_LOGGED]:
            logger.warning("%s (the article is kept)", note)
        if len(batch.notes) > MAX_NOTES_LOGGED:
            logger.warning("batch %d: %d more such notes", summary.n_batches, len(batch.notes) - MAX_NOTES_LOGGED)
        if events is not None and result.canonical_article_ids:
            canonical = set(result.canonical_article_ids)
            events.submit([stored for a in batch.articles if (stored := _as_stored(a, result)).article_id in canonical])

    started = time.perf_counter()
    waited_before = seconds_waited()
    marked = start_run(database, run_id, flow_run_id=flow_run.id, sources=summary.sources, extractor=label)
    if marked:
        logger.warning("marked %d earlier runs interrupted (no longer running): %s", len(marked), ", ".join(marked))
    heartbeat = Heartbeat(database, run_id, log=logger.warning).start()
    try:
        api_url = await prefect_api_url()
        # Sync tasks called from an async flow would otherwise each build a Prefect client, with
        # a TLS context loaded from the CA bundle: tens of milliseconds of CPU a task run.
        with SyncClientContext.get_or_create(), Workers(workers, dask_address, api_url) as pool:
            if label is not None:
                events = EventsStage(pool, database, extractor, run_id, summary, log=logger.warning)
            for adapter, cap in zip(adapters, caps, strict=True):
                pages = prefetched(adapter.pages(read_cursor(database, adapter.name, run_id=run_id)))
                broken = False
                while not broken:
                    read_started = time.perf_counter()
                    try:
                        page = next(pages, None)
                    except Exception as exc:  # one source breaking part-way does not stop the others
                        logger.error("source %s failed: %s: %s", adapter.name, type(exc).__name__, exc)
                        page, broken = source_failure(adapter.name, exc), True
                    summary.seconds_read += time.perf_counter() - read_started
                    if page is None:
                        break
                    parameters = {
                        "run_id": run_id,
                        "source": adapter.name,
                        "documents": Parcel(page.documents),
                        "rejects": Parcel(page.rejects),
                        "max_bytes": cap,
                        "n_given_up": page.n_given_up,
                        "timeout": timeout,
                    }
                    if page.documents:
                        pool.slots(len(page.documents))
                        if not pool.local:
                            stop_parsers()  # the workers parse now, each with its own parse process
                        elif parser_wanted:
                            start_parser()  # while the task is handed over
                            parser_wanted = False
                        parsing.append((pool.submit(parse_task, parameters), page.cursor))
                    else:  # nothing to parse (files unchanged, a feed's 304): no task run to pay for
                        parse_options = ParseOptions(max_bytes=cap)
                        batch = prepare_batch(run_id, adapter.name, [], page.rejects, parse_options, page.n_given_up)
                        parsing.append((_Parsed(batch), page.cursor))
                    # Keep every worker busy with one page while this thread appends the oldest.
                    while len(parsing) > pool.parallel:
                        append_next()
                    if events is not None:
                        events.write_done()
                    # Let go of this page's documents before the next is read: the parse task
                    # holds them only until it is done with them.
                    del parameters
                    page = None
            while parsing:
                append_next()
            if events is not None:
                events.finish()
                events.code_stored(batch_size=batch_size, batch_bytes=batch_bytes)  # what earlier runs left uncoded
            summary.workers = pool.describe()
    except Exception as exc:
        summary.status = "failed"
        summary.error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        heartbeat.stop()
        summary.seconds = time.perf_counter() - started
        summary.seconds_turn_wait = seconds_waited() - waited_before
        summary.rejects_by_reason = dict(reasons)
        finish_run(database, run_id, status=summary.status, error=summary.error)
        await acreate_markdown_artifact(markdown=summary_markdown(summary), key="ingest-summary")
    return summary


def run_ingest(
    sources: list[str] | None = None,
    db: str | None = None,
    batch_size: int | None = None,
    max_bytes: int | None = None,
    extractor: str = DEFAULT_EXTRACTOR,
    config: str | None = None,
    allow_hosts: list[str] | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
    follow_symlinks: bool = False,
    url_lists: dict[str, str] | None = None,
    batch_bytes: int | None = None,
    parse_timeout: float | None = None,
) -> RunSummary:
    """Run the `ingest` flow from synchronous code and return its summary (arguments as `ingest`)."""
    flow_run = ingest(
        sources=sources,
        db=db,
        batch_size=batch_size,
        max_bytes=max_bytes,
        extractor=extractor,
        config=config,
        allow_hosts=allow_hosts,
        workers=workers,
        dask_address=dask_address,
        follow_symlinks=follow_symlinks,
        url_lists=url_lists,
        batch_bytes=batch_bytes,
        parse_timeout=parse_timeout,
    )
    return asyncio.run(flow_run)
