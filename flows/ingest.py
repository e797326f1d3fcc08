"""The `ingest` flow: sources to DuckDB in micro-batches, each committed in one transaction."""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
import uuid
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
from prefect import flow, get_run_logger, task
from prefect.artifacts import acreate_markdown_artifact
from prefect.cache_policies import NONE
from prefect.context import SyncClientContext
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from dedup import Known, MinHashOptions, StoryOptions, assign_stories, drop_redelivered, identify, unpack_signatures
from extractors import ParseOptions, parse_batch
from extractors.events import create_extractor, extract_batch
from flows.progress import report_batch
from flows.settings import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_EXTRACTOR,
    DEFAULT_MAX_BYTES,
    NO_EXTRACTOR,
    allowed_hosts,
    build_source,
    default_db,
    run_sources,
)
from schemas import AppendResult, Article, Batch, Extraction, RawDocument, Reject, RunSummary
from sources import Page
from store import (
    AssignStories,
    Candidates,
    ExtractEvents,
    StoryAssignment,
    append_batch,
    finish_run,
    read_cursor,
    start_run,
)

_T = TypeVar("_T")


def prefetched(items: Iterator[_T], depth: int = 1) -> Generator[_T, None, None]:
    """Yield from `items`, producing up to `depth` ahead in a thread: reading overlaps parsing.

    An exception raised by `items` is raised here, in order, after the items before it.
    """
    ahead: queue.Queue[tuple[bool, _T | BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                ahead.put((True, item))
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
                yield cast(_T, value)
            elif isinstance(value, BaseException):
                raise value
            else:
                return
    finally:
        stop.set()
        while worker.is_alive():  # let a producer blocked on a full queue see the stop
            try:
                ahead.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)


def _quoted(value: _T) -> _T:
    """Hand a big batch to a task as it is: Prefect would otherwise walk every item for futures."""
    return cast(_T, quote(value))


def prepare_batch(
    run_id: str,
    source: str,
    documents: Sequence[RawDocument],
    rejects: Sequence[Reject],
    options: ParseOptions,
) -> Batch:
    """Parse a page, fingerprint its articles and drop documents delivered twice: the batch to append."""
    results = parse_batch(documents, options=options)
    articles = identify([r.article for r in results if r.article is not None])
    unique, n_repeats = drop_redelivered(articles)
    return Batch(
        run_id=run_id,
        source=source,
        articles=unique,
        rejects=[*rejects, *(r.reject for r in results if r.reject is not None)],
        n_seen=len(documents) + len(rejects),
        n_batch_duplicates=n_repeats,
    )


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


def events_extractor(name: str) -> ExtractEvents | None:
    """The events stage the writer runs on each story's canonical copy; None for `none`."""
    if name == NO_EXTRACTOR:
        return None
    extractor = create_extractor(name)

    def extract(articles: Sequence[Article]) -> list[Extraction]:
        return extract_batch(extractor, articles)

    return extract


@task(name="parse", cache_policy=NONE, persist_result=False)
def parse_task(
    run_id: str, source: str, documents: list[RawDocument], rejects: list[Reject], max_bytes: int
) -> tuple[Batch, float]:
    """Parse and fingerprint one page; also return the seconds spent in the stages."""
    started = time.perf_counter()
    batch = prepare_batch(run_id, source, documents, rejects, ParseOptions(max_bytes=max_bytes))
    return batch, time.perf_counter() - started


@task(name="append", cache_policy=NONE, persist_result=False)
def append_task(db: str, batch: Batch, extractor: str = DEFAULT_EXTRACTOR) -> tuple[AppendResult, float]:
    """Append one batch to DuckDB in one transaction, with the events of new stories; also return the seconds."""
    started = time.perf_counter()
    options = StoryOptions()
    result = append_batch(
        db,
        batch,
        assign=story_assigner(options),
        extract=events_extractor(extractor),
        min_bands=options.min_bands,
    )
    return result, time.perf_counter() - started


def summary_markdown(summary: RunSummary) -> str:
    """The run summary as the markdown artifact shows it."""
    lines = [
        f"# newsflow ingest: {summary.status}",
        "",
        "| seen | new | of them copies | duplicates | rejected | events | seconds |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {summary.n_seen} | {summary.n_new} | {summary.n_copies} | {summary.n_duplicates} "
        f"| {summary.n_rejected} | {summary.n_events} | {summary.seconds:.2f} |",
        "",
        f"Database: `{summary.database}`; sources: {', '.join(f'`{s}`' for s in summary.sources)}.",
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
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    extractor: str = DEFAULT_EXTRACTOR,
    config: str | None = None,
    allow_hosts: list[str] | None = None,
) -> RunSummary:
    """Ingest files and folders of articles into DuckDB.

    Each page of a source (`batch_size` inputs) is parsed and fingerprinted by one task and
    appended by another in one transaction with the run's counts and the source's cursor, so a
    crash loses at most the batch in flight. The append of one batch runs while the next is
    parsed; appends never overlap. Every input ends as an article, a duplicate or a reject.

    Args:
        sources: files or folders; when None, the sources of the config file, else `seeds`.
        db: the DuckDB file; `$NEWSFLOW_DB`, the config's `db`, or data/newsflow.duckdb when None.
        batch_size: inputs per batch and per transaction.
        max_bytes: documents larger than this are rejected as `too_large`.
        extractor: the events extractor (entry-point group `newsflow.extractors`), or `none`.
        config: the config file; `$NEWSFLOW_CONFIG` or ./newsflow.toml when None.
        allow_hosts: hosts live sources may reach at private addresses, besides the config's.

    Returns:
        The run summary, also published as the markdown artifact `ingest-summary`.

    The flow is async because a sync Prefect flow ends on a one-second wait for its run to be
    reported, paid by every run; `run_ingest` calls it from synchronous code.
    """
    logger = get_run_logger()
    database = str(Path(db or default_db(config)))
    events_extractor(extractor)  # an unknown name fails here, before anything is read
    hosts = allowed_hosts(allow_hosts, config)
    adapters = [build_source(spec, batch_size, max_bytes, hosts) for spec in run_sources(sources, config)]
    run_id = uuid.uuid4().hex
    summary = RunSummary(run_id=run_id, flow_run_id=flow_run.id, database=database, sources=[a.name for a in adapters])
    reasons: Counter[str] = Counter()
    # One append in flight at a time (a single writer), while the next page is read and parsed.
    in_flight: tuple[PrefectFuture[tuple[AppendResult, float]], Batch] | None = None

    def settle() -> None:
        nonlocal in_flight
        if in_flight is None:
            return
        future, batch = in_flight
        in_flight = None
        waited = time.perf_counter()
        result, store_seconds = future.result()
        summary.seconds_store_wait += time.perf_counter() - waited
        summary.seconds_store += store_seconds
        summary.n_batches += 1
        summary.n_seen += batch.n_seen
        summary.n_new += result.n_new
        summary.n_copies += result.n_copies
        summary.n_duplicates += result.n_duplicates
        summary.n_rejected += result.n_rejected
        summary.n_events += result.n_events
        summary.seconds_extract += result.seconds_extract
        reasons.update(r.reason for r in batch.rejects)
        report_batch(batch.n_seen, result)
        logger.info(
            "batch %d: %d seen, %d new, %d duplicates, %d rejected, %d events",
            summary.n_batches,
            batch.n_seen,
            result.n_new,
            result.n_duplicates,
            result.n_rejected,
            result.n_events,
        )

    started = time.perf_counter()
    start_run(database, run_id, flow_run_id=flow_run.id, sources=summary.sources)
    try:
        # Sync tasks called from an async flow would otherwise each build a Prefect client, with
        # a TLS context loaded from the CA bundle: tens of milliseconds of CPU a task run.
        with SyncClientContext.get_or_create():
            for adapter in adapters:
                pages = prefetched(adapter.pages(read_cursor(database, adapter.name)))
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
                    batch, parse_seconds = parse_task(
                        run_id, adapter.name, _quoted(page.documents), _quoted(page.rejects), max_bytes
                    )
                    summary.seconds_parse += parse_seconds
                    batch.cursor = page.cursor
                    settle()
                    in_flight = (append_task.submit(database, _quoted(batch), extractor), batch)
                settle()
    except Exception as exc:
        summary.status = "failed"
        summary.error = f"{type(exc).__name__}: {exc}"
        if in_flight is not None:  # count the append already under way; the first error is raised
            with contextlib.suppress(Exception):
                settle()
        raise
    finally:
        summary.seconds = time.perf_counter() - started
        summary.rejects_by_reason = dict(reasons)
        finish_run(database, run_id, status=summary.status, error=summary.error)
        await acreate_markdown_artifact(markdown=summary_markdown(summary), key="ingest-summary")
    return summary


def run_ingest(
    sources: list[str] | None = None,
    db: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    extractor: str = DEFAULT_EXTRACTOR,
    config: str | None = None,
    allow_hosts: list[str] | None = None,
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
    )
    return asyncio.run(flow_run)
