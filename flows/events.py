"""The events stage in a flow: canonical articles out to the workers, their extractions back to the
one writer, in order; and the `extract` flow that codes stored articles again."""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from prefect import get_client, get_run_logger, task
from prefect.artifacts import acreate_markdown_artifact
from prefect.cache_policies import NONE
from prefect.context import SyncClientContext
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.settings import get_current_settings

from extractors.events import Extractor, create_extractor, extract_batch, extractor_label
from flows.flow import flow
from flows.heap import bound_heap
from flows.progress import report_events
from flows.settings import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_SIZE, DEFAULT_EXTRACTOR, NO_EXTRACTOR, default_db
from flows.workers import Parcel, Workers
from schemas import Article, RunSummary, TerminalError
from schemas.config import load_settings
from store import (
    EventRows,
    Heartbeat,
    append_extractions,
    concat_rows,
    count_pending,
    event_rows,
    finish_run,
    read_pending,
    seconds_waited,
    start_run,
)

# A worker gets at least this many articles a task: a task run costs tens of milliseconds.
MIN_CHUNK = 50

# The extractors a worker process has built, by name: built once per process (the gazetteers load
# on first use), not once per batch.
_extractors: dict[str, Extractor] = {}


def cached_extractor(name: str) -> Extractor:
    """The extractor registered as `name`, built once per process."""
    if name not in _extractors:
        _extractors[name] = create_extractor(name)
    return _extractors[name]


def resolve_extractor(name: str) -> str:
    """The `name@version` of the extractor registered as `name` (which fails here if unknown)."""
    return extractor_label(cached_extractor(name))


def lean(article: Article) -> Article:
    """The article as a worker needs it: without its fingerprint, which extraction never reads."""
    return article.model_copy(update={"signature": b"", "band_keys": []})


# Characters of text extracted at a time within a task (at least one article): a slice's
# extractions, as models about 20 times larger than the text they come from, become Arrow rows
# before the next slice is extracted. Holding a whole batch's models took 160 MiB for 500 texts of
# 16,000 characters that repeat their sentences (each sentence an event). On 6,000 such files the
# run process peaked at 447 and 477 MiB with slices of 65,536 characters, 532 and 497 with 262,144.
SLICE_CHARS = 65_536


def extract_rows(extractor: Extractor, articles: Sequence[Article], slice_chars: int = SLICE_CHARS) -> EventRows:
    """The rows the extractions of `articles` append, extracted `slice_chars` characters at a time."""
    parts: list[EventRows] = []
    start = 0
    while start < len(articles):
        end, size = start + 1, len(articles[start].text)
        while end < len(articles) and size + len(articles[end].text) <= slice_chars:
            size += len(articles[end].text)
            end += 1
        parts.append(event_rows(extract_batch(extractor, articles[start:end])))
        start = end
    return concat_rows(parts)


@task(name="extract", cache_policy=NONE, persist_result=False)
def extract_task(extractor: str, articles: Parcel[list[Article]]) -> tuple[EventRows, float]:
    """Extract the events and entities of a batch of articles, as the rows they append (a few Arrow
    tables travel back from a worker, not thousands of models); also return the seconds it took."""
    started = time.perf_counter()
    rows = extract_rows(cached_extractor(extractor), articles.value)
    return rows, time.perf_counter() - started


def chunks(articles: Sequence[Article], workers: int, min_size: int = MIN_CHUNK) -> list[list[Article]]:
    """Split a batch so every worker gets a share, but no share is smaller than `min_size`."""
    if not articles:
        return []
    size = max(min_size, math.ceil(len(articles) / max(workers, 1)))
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


class EventsStage:
    """Sends canonical articles to the workers for extraction and writes what comes back.

    Extractions are written in the order their batches were sent, each batch in one transaction
    (`store.append_extractions`), by the flow's own thread: the single writer. At most twice as
    many batches are out as the workers run at once, so memory stays bounded while every worker
    is busy.
    """

    def __init__(
        self,
        workers: Workers,
        database: str,
        extractor: str,
        run_id: str,
        summary: RunSummary,
        *,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.database = database
        self.extractor = extractor
        self.label = resolve_extractor(extractor)
        self.run_id = run_id
        self.summary = summary
        self.workers = workers
        self.log = log
        self.in_flight: deque[PrefectFuture[tuple[EventRows, float]]] = deque()

    def submit(self, articles: Sequence[Article]) -> None:
        """Send articles to be extracted, split over the workers; write finished batches meanwhile."""
        slots = self.workers.slots(len(articles))
        for part in chunks([lean(a) for a in articles], slots):
            while len(self.in_flight) >= 2 * self.workers.parallel:
                self.write_next()
            future = self.workers.submit(extract_task, {"extractor": self.extractor, "articles": Parcel(part)})
            self.in_flight.append(future)
        self.write_done()

    def write_next(self) -> None:
        """Wait for the oldest batch out and write its extractions."""
        future = self.in_flight.popleft()
        waited = time.perf_counter()
        rows, seconds = future.result()
        started = time.perf_counter()
        self.summary.seconds_extract_wait += started - waited
        result = append_extractions(self.database, rows, self.run_id)
        self.summary.seconds_events += time.perf_counter() - started
        self.summary.seconds_extract += seconds
        self.summary.n_events += result.n_events
        self.summary.n_extracted += result.n_articles
        self.summary.n_extract_errors += result.n_errors
        if self.log is not None:
            for error in result.errors:
                self.log(f"extraction failed: {error}")
        report_events(result)

    def write_done(self) -> None:
        """Write the batches at the head of the queue that have finished, without waiting."""
        while self.in_flight and self.in_flight[0].state.is_final():
            self.write_next()

    def finish(self) -> None:
        """Write everything still out."""
        while self.in_flight:
            self.write_next()

    def code_stored(
        self,
        *,
        redo: bool = False,
        since: date | None = None,
        story_ids: Sequence[str] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        batch_bytes: int = DEFAULT_BATCH_BYTES,
    ) -> None:
        """Code the stored canonical articles this extractor version has not coded (all with `redo`).

        Pages through them in article-id order, `batch_size` articles or `batch_bytes` characters
        of text at a time, so each is read once.
        """
        after: str | None = None
        while True:
            page = read_pending(
                self.database,
                self.label,
                after=after,
                limit=batch_size,
                max_chars=batch_bytes,
                redo=redo,
                since=since,
                story_ids=story_ids,
                run_id=self.run_id,
            )
            if not page:
                break
            after = page[-1].article_id
            self.submit(page)
        self.finish()


def events_markdown(summary: RunSummary) -> str:
    """The summary of an `extract` run as its markdown artifact shows it."""
    lines = [
        f"# newsflow extract: {summary.status}",
        "",
        "| extractor | articles coded | errors | events | workers | seconds |",
        "|---|---:|---:|---:|---|---:|",
        f"| {summary.extractor} | {summary.n_extracted} | {summary.n_extract_errors} | {summary.n_events} "
        f"| {summary.workers} | {summary.seconds:.2f} |",
        "",
        f"Database: `{summary.database}`.",
    ]
    if summary.error:
        lines += ["", f"Error: {summary.error}"]
    return "\n".join(lines)


async def prefect_api_url() -> str:
    """The Prefect API this flow run reports to (a temporary server's, when none is configured)."""
    configured = get_current_settings().api.url
    if configured:  # no client needed (building one loads the CA bundle: tens of milliseconds)
        return str(configured)
    async with get_client() as client:
        return str(client.api_url)


@flow(name="extract", persist_result=False)
async def extract(
    db: str | None = None,
    extractor: str = DEFAULT_EXTRACTOR,
    since: date | None = None,
    stories: list[str] | None = None,
    redo: bool = False,
    batch_size: int | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
    config: str | None = None,
) -> RunSummary:
    """Code stored articles with an events extractor: each story's canonical copy that the
    extractor's current `name@version` has not coded, or every one with `redo`.

    A new version's events replace the older version's of the same article, in one transaction
    per batch. Extraction fans out to `workers` processes or a Dask cluster; writing stays here.

    Args:
        db: the DuckDB file; `$NEWSFLOW_DB`, the config's `db`, or data/newsflow.duckdb when None.
        extractor: the extractor's name (entry-point group `newsflow.extractors`).
        since: only articles published on or after this day (stored on or after it, when undated).
        stories: only the canonical copies of these stories.
        redo: code every selected article again, even those this version has coded.
        batch_size: articles read, and written, per transaction; when None, the config's
            `batch_size` (`$NEWSFLOW_BATCH_SIZE`), else 1,000. A page also ends once its texts hold
            the config's `batch_bytes` characters (`$NEWSFLOW_BATCH_BYTES`).
        workers: local worker processes (default: the machine's cores, once the run is big enough
            to pay for starting them; 1 runs in this process).
        dask_address: a Dask scheduler (`tcp://HOST:PORT`) to run extraction on instead.
        config: the config file; `$NEWSFLOW_CONFIG` or ./newsflow.toml when None.

    Returns:
        The run summary, also published as the markdown artifact `extract-summary`.
    """
    if extractor == NO_EXTRACTOR:
        raise TerminalError("`newsflow extract` needs an extractor; `none` codes nothing")
    bound_heap()  # as the command line does, for a run a deployment or a worker starts
    database = str(Path(db or default_db(config)))
    settings = load_settings(config)
    batch_size = batch_size or settings.batch_size
    if not Path(database).exists():
        raise TerminalError(f"no database at {database}: run `newsflow run` first, or pass --db")
    label = resolve_extractor(extractor)
    run_id = uuid.uuid4().hex
    summary = RunSummary(
        run_id=run_id,
        flow_run_id=flow_run.id,
        database=database,
        sources=[],
        extractor=label,
    )
    logger = get_run_logger()
    started = time.perf_counter()
    waited_before = seconds_waited()
    marked = start_run(database, run_id, flow_run_id=flow_run.id, sources=[], flow="extract", extractor=label)
    if marked:
        logger.warning("marked %d earlier runs interrupted (no longer running): %s", len(marked), ", ".join(marked))
    heartbeat = Heartbeat(database, run_id, log=logger.warning).start()
    try:
        api_url = await prefect_api_url()
        with SyncClientContext.get_or_create(), Workers(workers, dask_address, api_url) as pool:
            stage = EventsStage(pool, database, extractor, run_id, summary, log=logger.warning)
            stage.code_stored(
                redo=redo, since=since, story_ids=stories, batch_size=batch_size, batch_bytes=settings.batch_bytes
            )
            summary.workers = pool.describe()
    except Exception as exc:
        summary.status = "failed"
        summary.error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        heartbeat.stop()
        summary.seconds = time.perf_counter() - started
        summary.seconds_turn_wait = seconds_waited() - waited_before
        finish_run(database, run_id, status=summary.status, error=summary.error)
        await acreate_markdown_artifact(markdown=events_markdown(summary), key="extract-summary")
    logger.info(
        "%d articles coded by %s: %d events, %d errors", summary.n_extracted, label, summary.n_events,
        summary.n_extract_errors,
    )  # fmt: skip
    return summary


def pending_total(
    db: str, extractor: str, *, redo: bool = False, since: date | None = None, stories: list[str] | None = None
) -> int:
    """How many articles `newsflow extract` with these options would code (for a progress bar)."""
    return count_pending(db, resolve_extractor(extractor), redo=redo, since=since, story_ids=stories)


def run_extract(
    db: str | None = None,
    extractor: str = DEFAULT_EXTRACTOR,
    since: date | None = None,
    stories: list[str] | None = None,
    redo: bool = False,
    batch_size: int | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
    config: str | None = None,
) -> RunSummary:
    """Run the `extract` flow from synchronous code and return its summary (arguments as `extract`)."""
    flow_run = extract(
        db=db,
        extractor=extractor,
        since=since,
        stories=stories,
        redo=redo,
        batch_size=batch_size,
        workers=workers,
        dask_address=dask_address,
        config=config,
    )
    return asyncio.run(flow_run)
