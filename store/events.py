"""The events stage's side of DuckDB: which canonical articles an extractor version has not coded,
and one transaction per batch of extractions (events, figures, entities, `extractions` rows)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from schemas import Article, EventsResult, Extraction
from store.db import TEXT_PART_CHARS, writer
from store.turns import Holder

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("story_id", pa.string()),
        ("article_id", pa.string()),
        ("event_type", pa.string()),
        ("mode", pa.string()),
        ("event_date", pa.date32()),
        ("date_precision", pa.string()),
        ("location", pa.string()),
        ("country", pa.string()),
        ("actor", pa.string()),
        ("target", pa.string()),
        ("claimed_by", pa.string()),
        ("killed", pa.int64()),
        ("injured", pa.int64()),
        ("troop_count", pa.int64()),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("qualifier", pa.string()),
        ("evidence", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("confidence", pa.float64()),
        ("extractor", pa.string()),
        ("admin1", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("mentions", pa.int32()),
    ]
)
FIGURE_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("story_id", pa.string()),
        ("article_id", pa.string()),
        ("counted", pa.string()),
        ("value", pa.float64()),
        ("qualifier", pa.string()),
        ("vague", pa.bool_()),
        ("currency", pa.string()),
        ("noun", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
    ]
)
ENTITY_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("name", pa.string()),
        ("canonical", pa.string()),
        ("kind", pa.string()),
        ("country", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("extractor", pa.string()),
    ]
)
EXTRACTION_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("story_id", pa.string()),
        ("extractor", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("n_events", pa.int32()),
        ("run_id", pa.string()),
        ("extracted_at", pa.timestamp("us", tz="UTC")),
    ]
)
# What a worker ships back for `extractions`: the stored row less the run and the time.
_EXTRACTION_ROW_SCHEMA = pa.schema(
    [field for field in EXTRACTION_SCHEMA if field.name not in ("run_id", "extracted_at")]
)
_ENTITY_COLUMNS = ", ".join(ENTITY_SCHEMA.names)
_EXTRACTION_COLUMNS = ", ".join(EXTRACTION_SCHEMA.names)
# The stored fields an extractor reads of an article (everything but the fingerprint); `p` holds
# the long texts' parts put together (`read_pending`).
_ARTICLE_FIELDS = (
    "a.article_id, a.source, a.uri, coalesce(a.title, '') AS title, coalesce(a.text, p.text) AS text, "
    "a.outlet, a.published_at, a.published_precision, a.language, a.word_count, "
    "coalesce(a.size_bytes, 0) AS size_bytes, a.encoding, a.content_hash"
)


def _selection(
    extractor: str, *, redo: bool, since: date | None, story_ids: Sequence[str] | None
) -> tuple[str, list[Any]]:
    """The FROM and WHERE clauses (with their parameters) that pick the canonical articles to code."""
    # `article_rows`, not the view `articles`: the view would put every long text together first.
    clauses = ["FROM stories s JOIN article_rows a ON a.article_id = s.canonical_article_id WHERE true"]
    parameters: list[Any] = []
    if not redo:
        clauses.append(
            "AND NOT EXISTS (SELECT 1 FROM extractions x WHERE x.article_id = a.article_id AND x.extractor = ?)"
        )
        parameters.append(extractor)
    if since is not None:
        # The published day, else (no date stated) the day newsflow stored it, in UTC.
        clauses.append("AND coalesce(a.published_at::DATE, timezone('UTC', a.ingested_at)::DATE) >= ?")
        parameters.append(since)
    if story_ids is not None:
        clauses.append("AND list_contains(?, s.story_id)")
        parameters.append(list(story_ids))
    return " ".join(clauses), parameters


def count_pending(
    path: str | Path,
    extractor: str,
    *,
    redo: bool = False,
    since: date | None = None,
    story_ids: Sequence[str] | None = None,
) -> int:
    """How many canonical articles `extractor` (`name@version`) has not coded (all of them with `redo`).

    Args:
        path: the DuckDB file.
        extractor: the extractor's `name@version`.
        redo: count every canonical article, coded or not.
        since: only articles published on or after this day (stored on or after it, when undated).
        story_ids: only the canonical articles of these stories.
    """
    where, parameters = _selection(extractor, redo=redo, since=since, story_ids=story_ids)
    with writer(path, holder=Holder(None, "counting articles to code")) as con:
        row = con.execute(f"SELECT count(*) {where}", parameters).fetchone()
    return int(row[0]) if row else 0


def read_pending(
    path: str | Path,
    extractor: str,
    *,
    after: str | None = None,
    limit: int = 1000,
    max_chars: int | None = None,
    redo: bool = False,
    since: date | None = None,
    story_ids: Sequence[str] | None = None,
    run_id: str | None = None,
) -> list[Article]:
    """The next canonical articles to code, in article-id order after `after`: at most `limit` of
    them and, with `max_chars`, no more text than that (but always one article, however long).

    Arguments as `count_pending`; `after` is the last article id of the previous page, so a
    caller pages through the selection once even when codings fail or are redone. `run_id` names
    the run that reads, for readers waiting meanwhile. Only the page's own long texts are put
    back together from `text_parts`, so memory follows the page, not the database.
    """
    where, parameters = _selection(extractor, redo=redo, since=since, story_ids=story_ids)
    if after is not None:
        where += " AND a.article_id > ?"
        parameters.append(after)
    # A long text's size is known from its parts' count, without reading them.
    parts = "(SELECT count(*) FROM text_parts t WHERE t.article_id = a.article_id)"
    size = f"coalesce(length(a.text), {TEXT_PART_CHARS} * {parts})"
    with writer(path, holder=Holder(run_id, "reading articles to code")) as con:
        sized = con.execute(
            f"SELECT a.article_id, {size} {where} ORDER BY a.article_id LIMIT {int(limit)}", parameters
        ).fetchall()
        ids = _within_chars(sized, max_chars)
        if not ids:
            return []
        cursor = con.execute(
            f"SELECT {_ARTICLE_FIELDS} FROM article_rows a LEFT JOIN ("
            "SELECT article_id, string_agg(text, '' ORDER BY part) AS text FROM text_parts "
            "WHERE article_id IN (SELECT unnest(?)) GROUP BY article_id"
            ") p ON p.article_id = a.article_id WHERE a.article_id IN (SELECT unnest(?)) ORDER BY a.article_id",
            [ids, ids],
        )
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    return [Article.model_validate(dict(zip(names, row, strict=True))) for row in rows]


def _within_chars(sized: Sequence[tuple[str, int]], max_chars: int | None) -> list[str]:
    """The ids of the leading articles whose texts add up to at most `max_chars` (at least the first)."""
    ids: list[str] = []
    total = 0
    for article_id, chars in sized:
        total += int(chars or 0)
        if ids and max_chars is not None and total > max_chars:
            break
        ids.append(article_id)
    return ids


@dataclass(frozen=True)
class EventRows:
    """A batch of extractions as the rows they append: built where the extraction ran, so what
    travels back from a worker is a few Arrow tables (cheap to pickle), not thousands of models.

    `story_id` is left empty: the writer takes it from the story each article is canonical for
    at the time of writing.
    """

    extractions: pa.Table
    events: pa.Table
    figures: pa.Table
    entities: pa.Table

    @property
    def n_articles(self) -> int:
        """Articles in the batch."""
        return int(self.extractions.num_rows)


def event_rows(extractions: Sequence[Extraction]) -> EventRows:
    """The rows a batch of extractions appends to `extractions`, `events`, `event_figures` and `entities`.

    An extraction whose values do not fit the tables (a figure beyond a 64-bit count, a value of
    the wrong type from a third-party extractor) becomes that article's `error` row; the rest of
    the batch is unaffected.
    """
    try:
        return _rows(extractions)
    except _UNFIT as exc:
        whole = exc
    kept: list[Extraction] = []
    for extraction in extractions:
        try:
            _rows([extraction])
            kept.append(extraction)
        except _UNFIT as exc:
            error = f"{type(exc).__name__} storing its events: {exc}"[:_MAX_ERROR_CHARS]
            kept.append(
                Extraction(
                    article_id=extraction.article_id, extractor=extraction.extractor, status="error", error=error
                )
            )
    if all(a is b for a, b in zip(kept, extractions, strict=True)):
        raise whole  # no one extraction is at fault: a fault of the batch, not of a document
    return _rows(kept)


def concat_rows(parts: Sequence[EventRows]) -> EventRows:
    """The rows of several batches as one (the tables' chunks side by side, not copied)."""
    if not parts:
        return event_rows([])
    if len(parts) == 1:
        return parts[0]
    return EventRows(
        extractions=pa.concat_tables([p.extractions for p in parts]),
        events=pa.concat_tables([p.events for p in parts]),
        figures=pa.concat_tables([p.figures for p in parts]),
        entities=pa.concat_tables([p.entities for p in parts]),
    )


# What a value that does not fit its column raises while the rows are built.
_UNFIT = (pa.ArrowException, OverflowError, ValueError, TypeError)
_MAX_ERROR_CHARS = 2000


def _rows(extractions: Sequence[Extraction]) -> EventRows:
    events = [event for x in extractions for event in x.events]
    figures = [(event, figure) for event in events for figure in event.figures]
    entities = [(x.extractor, entity) for x in extractions for entity in x.entities]
    owner = {"event_id", "story_id", "article_id"}
    return EventRows(
        extractions=pa.table(
            {
                "article_id": [x.article_id for x in extractions],
                "story_id": [None] * len(extractions),
                "extractor": [x.extractor for x in extractions],
                "status": [x.status for x in extractions],
                "error": [x.error for x in extractions],
                "n_events": [len(x.events) for x in extractions],
            },
            schema=_EXTRACTION_ROW_SCHEMA,
        ),
        events=pa.table(
            {name: [None if name == "story_id" else getattr(e, name) for e in events] for name in EVENT_SCHEMA.names},
            schema=EVENT_SCHEMA,
        ),
        figures=pa.table(
            {
                name: [
                    None if name == "story_id" else getattr(e, name) if name in owner else getattr(f, name)
                    for e, f in figures
                ]
                for name in FIGURE_SCHEMA.names
            },
            schema=FIGURE_SCHEMA,
        ),
        entities=pa.table(
            {
                name: [extractor if name == "extractor" else getattr(entity, name) for extractor, entity in entities]
                for name in ENTITY_SCHEMA.names
            },
            schema=ENTITY_SCHEMA,
        ),
    )


def append_extractions(path: str | Path, extractions: Sequence[Extraction] | EventRows, run_id: str) -> EventsResult:
    """Store a batch of extractions in one transaction, each replacing what it supersedes.

    An extraction of an article that is still its story's canonical copy replaces, for the same
    extractor name (any version), the story's events and figures (those of an earlier canonical
    copy, or of an older version), the article's entities and its `extractions` row; then its
    events, figures, entities and a new `extractions` row (status `ok` or `error`) are appended,
    and the run's counts grow. An extraction of an article that a fuller copy has displaced
    meanwhile is stale: it is not stored (the fuller copy is coded instead).

    Args:
        path: the DuckDB file.
        extractions: what the extractor made of each article, as models or as `event_rows`.
        run_id: the run that coded them.

    Returns:
        Articles coded, events stored, failed codings, and stale extractions left out.
    """
    rows = extractions if isinstance(extractions, EventRows) else event_rows(extractions)
    now = datetime.now(UTC)
    with writer(path, holder=Holder(run_id, "writing events")) as con:
        con.begin()
        try:
            con.register("incoming_extractions", rows.extractions)
            # The articles still canonical, with their story and the extractor's name.
            con.execute(
                "CREATE OR REPLACE TEMP TABLE coded_now AS "
                "SELECT x.article_id, s.story_id, split_part(x.extractor, '@', 1) AS name "
                "FROM incoming_extractions x JOIN stories s ON s.canonical_article_id = x.article_id"
            )
            _replace(con)
            stamp = [run_id, now]
            con.execute(
                f"INSERT INTO extractions ({_EXTRACTION_COLUMNS}) "
                "SELECT x.article_id, c.story_id, x.extractor, x.status, x.error, x.n_events, ?, ? "
                "FROM incoming_extractions x JOIN coded_now c USING (article_id)",
                stamp,
            )
            n_events = _insert_with_story(con, "events", rows.events, EVENT_SCHEMA.names, stamp)
            _insert_with_story(con, "event_figures", rows.figures, FIGURE_SCHEMA.names, [])
            con.register("incoming_entities", rows.entities)
            con.execute(
                f"INSERT INTO entities ({_ENTITY_COLUMNS}) SELECT {_ENTITY_COLUMNS} FROM incoming_entities "
                "WHERE article_id IN (SELECT article_id FROM coded_now)"
            )
            con.unregister("incoming_entities")
            n_articles, n_errors = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE x.status = 'error') "
                "FROM incoming_extractions x JOIN coded_now c USING (article_id)"
            ).fetchone() or (0, 0)
            errors = [
                f"{article}: {error}"
                for article, error in con.execute(
                    "SELECT x.article_id, x.error FROM incoming_extractions x JOIN coded_now c USING (article_id) "
                    "WHERE x.status = 'error' ORDER BY 1"
                ).fetchall()
            ]
            con.execute(
                "UPDATE runs SET n_events = n_events + ?, n_extracted = n_extracted + ?, "
                "n_extract_errors = n_extract_errors + ? WHERE run_id = ?",
                [n_events, n_articles, n_errors, run_id],
            )
            con.execute("DROP TABLE coded_now")
            con.unregister("incoming_extractions")
            con.commit()
        except Exception:
            con.rollback()
            raise
    return EventsResult(
        n_articles=n_articles,
        n_events=n_events,
        n_errors=n_errors,
        n_stale=rows.n_articles - n_articles,
        errors=errors,
    )


def _replace(con: duckdb.DuckDBPyConnection) -> None:
    """Delete what the batch in `coded_now` supersedes: its stories' events and figures, its articles'
    entities and `extractions` rows, each of the same extractor name."""
    by_story = (
        "EXISTS (SELECT 1 FROM coded_now r WHERE r.story_id = {table}.story_id "
        "AND r.name = split_part({table}.extractor, '@', 1))"
    )
    by_article = (
        "EXISTS (SELECT 1 FROM coded_now r WHERE r.article_id = {table}.article_id "
        "AND r.name = split_part({table}.extractor, '@', 1))"
    )
    con.execute(
        "DELETE FROM event_figures WHERE event_id IN "
        f"(SELECT event_id FROM events WHERE {by_story.format(table='events')})"
    )
    con.execute(f"DELETE FROM events WHERE {by_story.format(table='events')}")
    con.execute(f"DELETE FROM entities WHERE {by_article.format(table='entities')}")
    con.execute(f"DELETE FROM extractions WHERE {by_article.format(table='extractions')}")


def _insert_with_story(
    con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, names: Sequence[str], stamp: list[Any]
) -> int:
    """Insert the rows of articles still canonical, with their story; `stamp` fills run_id and extracted_at."""
    columns = [*names, "run_id", "extracted_at"] if stamp else list(names)
    chosen = ", ".join("c.story_id" if name == "story_id" else f"i.{name}" for name in names)
    chosen += ", ?, ?" if stamp else ""
    con.register("incoming", rows)
    row = con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} "
        "FROM incoming i JOIN coded_now c USING (article_id)",
        stamp,
    ).fetchone()
    con.unregister("incoming")
    return int(row[0]) if row else 0
