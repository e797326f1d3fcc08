"""The events stage's side of DuckDB: which canonical articles an extractor version has not coded,
and one transaction per batch of extractions (events, figures, entities, `extractions` rows)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from schemas import Article, Event, EventsResult, Extraction
from store.db import writer

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
_EVENT_COLUMNS = ", ".join([*EVENT_SCHEMA.names, "run_id", "extracted_at"])
_FIGURE_COLUMNS = ", ".join(FIGURE_SCHEMA.names)
_ENTITY_COLUMNS = ", ".join(ENTITY_SCHEMA.names)
_EXTRACTION_COLUMNS = ", ".join(EXTRACTION_SCHEMA.names)
# The stored fields an extractor reads of an article (everything but the fingerprint).
_ARTICLE_FIELDS = (
    "a.article_id, a.source, a.uri, coalesce(a.title, '') AS title, a.text, a.outlet, a.published_at, "
    "a.published_precision, a.language, a.word_count, coalesce(a.size_bytes, 0) AS size_bytes, a.encoding, "
    "a.content_hash"
)


def extractor_name(label: str) -> str:
    """The name part of an extractor's `name@version` label."""
    return label.partition("@")[0]


def _selection(
    extractor: str, *, redo: bool, since: date | None, story_ids: Sequence[str] | None
) -> tuple[str, list[Any]]:
    """The FROM and WHERE clauses (with their parameters) that pick the canonical articles to code."""
    clauses = ["FROM stories s JOIN articles a ON a.article_id = s.canonical_article_id WHERE true"]
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
    with writer(path) as con:
        row = con.execute(f"SELECT count(*) {where}", parameters).fetchone()
    return int(row[0]) if row else 0


def read_pending(
    path: str | Path,
    extractor: str,
    *,
    after: str | None = None,
    limit: int = 1000,
    redo: bool = False,
    since: date | None = None,
    story_ids: Sequence[str] | None = None,
) -> list[Article]:
    """The next `limit` canonical articles to code, in article-id order after `after`.

    Arguments as `count_pending`; `after` is the last article id of the previous page, so a
    caller pages through the selection once even when codings fail or are redone.
    """
    where, parameters = _selection(extractor, redo=redo, since=since, story_ids=story_ids)
    if after is not None:
        where += " AND a.article_id > ?"
        parameters.append(after)
    with writer(path) as con:
        cursor = con.execute(f"SELECT {_ARTICLE_FIELDS} {where} ORDER BY a.article_id LIMIT {int(limit)}", parameters)
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
    return [Article.model_validate(dict(zip(names, row, strict=True))) for row in rows]


def _events_table(events: Sequence[Event], run_id: str, now: datetime) -> pa.Table:
    columns = {name: [getattr(e, name) for e in events] for name in EVENT_SCHEMA.names}
    table = pa.table(columns, schema=EVENT_SCHEMA)
    table = table.append_column("run_id", pa.array([run_id] * len(events), pa.string()))
    return table.append_column("extracted_at", pa.array([now] * len(events), pa.timestamp("us", tz="UTC")))


def _figures_table(events: Sequence[Event]) -> pa.Table:
    rows = [(e, f) for e in events for f in e.figures]
    owner = {"event_id", "story_id", "article_id"}
    return pa.table(
        {
            name: [getattr(e, name) if name in owner else getattr(f, name) for e, f in rows]
            for name in FIGURE_SCHEMA.names
        },
        schema=FIGURE_SCHEMA,
    )


def _entities_table(extractions: Sequence[Extraction]) -> pa.Table:
    rows = [(x.extractor, entity) for x in extractions for entity in x.entities]
    return pa.table(
        {
            name: [extractor if name == "extractor" else getattr(entity, name) for extractor, entity in rows]
            for name in ENTITY_SCHEMA.names
        },
        schema=ENTITY_SCHEMA,
    )


def _extractions_table(
    extractions: Sequence[Extraction], stories: dict[str, str], run_id: str, now: datetime
) -> pa.Table:
    return pa.table(
        {
            "article_id": [x.article_id for x in extractions],
            "story_id": [stories[x.article_id] for x in extractions],
            "extractor": [x.extractor for x in extractions],
            "status": [x.status for x in extractions],
            "error": [x.error for x in extractions],
            "n_events": [len(x.events) for x in extractions],
            "run_id": [run_id] * len(extractions),
            "extracted_at": [now] * len(extractions),
        },
        schema=EXTRACTION_SCHEMA,
    )


def append_extractions(path: str | Path, extractions: Sequence[Extraction], run_id: str) -> EventsResult:
    """Store a batch of extractions in one transaction, each replacing what it supersedes.

    An extraction of an article that is still its story's canonical copy replaces, for the same
    extractor name (any version), the story's events and figures (those of an earlier canonical
    copy, or of an older version), the article's entities and its `extractions` row; then its
    events, figures, entities and a new `extractions` row (status `ok` or `error`) are appended,
    and the run's counts grow. An extraction of an article that a fuller copy has displaced
    meanwhile is stale: it is not stored (the fuller copy is coded instead).

    Args:
        path: the DuckDB file.
        extractions: what the extractor made of each article.
        run_id: the run that coded them.

    Returns:
        Articles coded, events stored, failed codings, and stale extractions left out.
    """
    now = datetime.now(UTC)
    with writer(path) as con:
        con.begin()
        try:
            con.register("coded", pa.table({"article_id": pa.array([x.article_id for x in extractions], pa.string())}))
            stories = dict(con.execute(
                "SELECT s.canonical_article_id, s.story_id FROM stories s "
                "JOIN coded c ON c.article_id = s.canonical_article_id"
            ).fetchall())  # fmt: skip
            con.unregister("coded")
            current = [x for x in extractions if x.article_id in stories]
            events = [
                event.model_copy(update={"story_id": stories[x.article_id]}) for x in current for event in x.events
            ]
            if current:
                _replace(con, current, stories)
                _insert(con, "extractions", _EXTRACTION_COLUMNS, _extractions_table(current, stories, run_id, now))
            if events:
                _insert(con, "events", _EVENT_COLUMNS, _events_table(events, run_id, now))
                _insert(con, "event_figures", _FIGURE_COLUMNS, _figures_table(events))
            if any(x.entities for x in current):
                _insert(con, "entities", _ENTITY_COLUMNS, _entities_table(current))
            failed = [x for x in current if x.status == "error"]
            con.execute(
                "UPDATE runs SET n_events = n_events + ?, n_extracted = n_extracted + ?, "
                "n_extract_errors = n_extract_errors + ? WHERE run_id = ?",
                [len(events), len(current), len(failed), run_id],
            )
            con.commit()
        except Exception:
            con.rollback()
            raise
    return EventsResult(
        n_articles=len(current),
        n_events=len(events),
        n_errors=len(failed),
        n_stale=len(extractions) - len(current),
        errors=[f"{x.article_id}: {x.error}" for x in failed],
    )


def _replace(con: Any, extractions: Sequence[Extraction], stories: dict[str, str]) -> None:
    """Delete what the extractions supersede: their stories' events and figures, their articles'
    entities and `extractions` rows, each of the same extractor name."""
    con.register(
        "superseded",
        pa.table(
            {
                "story_id": pa.array([stories[x.article_id] for x in extractions], pa.string()),
                "article_id": pa.array([x.article_id for x in extractions], pa.string()),
                "name": pa.array([extractor_name(x.extractor) for x in extractions], pa.string()),
            }
        ),
    )
    by_story = (
        "EXISTS (SELECT 1 FROM superseded r WHERE r.story_id = {table}.story_id "
        "AND r.name = split_part({table}.extractor, '@', 1))"
    )
    by_article = (
        "EXISTS (SELECT 1 FROM superseded r WHERE r.article_id = {table}.article_id "
        "AND r.name = split_part({table}.extractor, '@', 1))"
    )
    con.execute(
        "DELETE FROM event_figures WHERE event_id IN "
        f"(SELECT event_id FROM events WHERE {by_story.format(table='events')})"
    )
    con.execute(f"DELETE FROM events WHERE {by_story.format(table='events')}")
    con.execute(f"DELETE FROM entities WHERE {by_article.format(table='entities')}")
    con.execute(f"DELETE FROM extractions WHERE {by_article.format(table='extractions')}")
    con.unregister("superseded")


def _insert(con: Any, table: str, columns: str, rows: pa.Table) -> None:
    con.register("incoming", rows)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    con.unregister("incoming")
