"""The queries behind `newsflow report`, on the read-only, sandboxed connection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from schemas import TerminalError
from schemas.report import (
    CasualtyDay,
    EventDay,
    LargeStory,
    Outlet,
    Place,
    RejectCount,
    ReportData,
    StoryDay,
    Totals,
)
from store.db import DEFAULT_WAIT_SECONDS, reader

MAX_PLACES = 2000
"""Places read for the map and the table of places, most events first."""
MAX_STORIES = 10
"""Largest stories listed."""
REPORT_SCHEMA_VERSION = 5
"""The first schema with everything the report reads (events with coordinates)."""

# A day for every row, so that --since can choose: an event's own date, else its article's
# publication, else the day it was stored; a story's publication, else the day it was first seen.
_ARTICLE_DAY = "coalesce(a.published_at::date, timezone('UTC', a.ingested_at)::date)"
_REJECT_DAY = "timezone('UTC', \"at\")::date"
_SINCE = "($since::date is null or {day} >= $since::date)"

# An event's own day is the date its sentence gives to the day; a month or a year ("in October",
# stored as its first day) is not a day, and such an event counts on its article's publication.
_OWN_DAY = "case when e.date_precision = 'day' then e.event_date end"
_EVENTS = f"""
    select e.*, {_OWN_DAY} as own_day, a.published_at::date as published_day
    from events e left join articles a on a.article_id = e.article_id
    where split_part(e.extractor, '@', 1) = $extractor
      and {_SINCE.format(day=f"coalesce({_OWN_DAY}, {_ARTICLE_DAY})")}
"""
_STORIES = f"""
    select s.story_id, s.title, s.n_articles, s.n_outlets, a.published_at::date as day
    from stories s left join articles a on a.article_id = s.canonical_article_id
    where {_SINCE.format(day="coalesce(a.published_at::date, timezone('UTC', s.first_seen_at)::date)")}
"""


def read_report(
    path: str | Path,
    *,
    since: date | None = None,
    wait: float = DEFAULT_WAIT_SECONDS,
    on_wait: Callable[[str], None] | None = None,
) -> ReportData:
    """Read what the report shows from the database at `path`.

    Events are those of one extractor name (the one with the most events, `rules` by default), so
    that two extractors coding the same stories do not count each event twice.

    Args:
        path: the DuckDB file.
        since: keep stories published (else first seen), events dated to the day (else published,
            else stored), articles published (else stored), rejects and runs on or after this day.
        wait: seconds to wait while a writer holds the file.
        on_wait: told what the read waits for, as `store.reader` tells it.

    Raises:
        DatabaseMissingError, NotADatabaseError, DatabaseBusyError: as `store.reader`.
        TerminalError: the file's schema is older than the report needs.
    """
    with reader(path, wait=wait, on_wait=on_wait) as con:
        (version,) = _one(con, "select coalesce(max(version), 0) from schema_version")
        if int(version) < REPORT_SCHEMA_VERSION:
            raise TerminalError(
                f"{path} is at schema version {version}; newsflow report needs {REPORT_SCHEMA_VERSION} or later "
                "(`newsflow run --db` on it upgrades it)"
            )
        names = [
            str(row[0])
            for row in con.execute(
                "select split_part(extractor, '@', 1) as name from events group by name order by count(*) desc, name"
            ).fetchall()
        ]
        params: dict[str, Any] = {"since": since, "extractor": names[0] if names else ""}
        return ReportData(
            database=str(path),
            generated_at=datetime.now(UTC),
            since=since,
            extractor=names[0] if names else None,
            other_extractors=names[1:],
            totals=_totals(con, params),
            story_days=[
                StoryDay(day=day, stories=n)
                for day, n in _rows(con, f"select day, count(*) from ({_STORIES}) group by day order by day", params)
            ],
            event_days=[
                EventDay(day=day, event_type=kind, dated=dated, events=n)
                for day, kind, dated, n in _rows(
                    con,
                    f"""select coalesce(own_day, published_day) as day, event_type, own_day is not null as dated,
                               count(*) from ({_EVENTS}) group by all order by all""",
                    params,
                )
            ],
            casualties=[
                CasualtyDay(day=day, claimed_by=who, killed=killed, injured=injured)
                for day, who, killed, injured in _rows(
                    con,
                    f"""select coalesce(own_day, published_day) as day, claimed_by,
                               coalesce(sum(killed), 0), coalesce(sum(injured), 0)
                        from ({_EVENTS}) where killed > 0 or injured > 0 group by all order by all""",
                    params,
                )
            ],
            stories=_largest_stories(con, params),
            places=[
                Place(
                    location=location,
                    admin1=admin1,
                    country=country,
                    latitude=lat,
                    longitude=lon,
                    events=n,
                    killed=killed,
                    injured=injured,
                )
                for location, admin1, country, lat, lon, n, killed, injured in _rows(
                    con,
                    f"""select location, admin1, country, latitude, longitude, count(*) as n,
                               coalesce(sum(killed), 0), coalesce(sum(injured), 0)
                        from ({_EVENTS}) where location is not null
                        group by all order by n desc, location limit {MAX_PLACES}""",
                    params,
                )
            ],
            rejects=[
                RejectCount(reason=reason, rejects=n)
                for reason, n in _rows(
                    con,
                    f"""select reason, count(*) as n from rejects
                        where {_SINCE.format(day=_REJECT_DAY)}
                        group by reason order by n desc, reason""",
                    params,
                )
            ],
        )


def _totals(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> Totals:
    articles, stories, events, dated, located, rejects, runs = _one(
        con,
        f"""select
            (select count(*) from articles a where {_SINCE.format(day=_ARTICLE_DAY)}),
            (select count(*) from ({_STORIES})),
            (select count(*) from ({_EVENTS})),
            (select count(*) from ({_EVENTS}) where own_day is not null),
            (select count(*) from ({_EVENTS}) where latitude is not null and longitude is not null),
            (select count(*) from rejects where {_SINCE.format(day=_REJECT_DAY)}),
            (select count(*) from runs where {_SINCE.format(day="timezone('UTC', started_at)::date")})""",
        params,
    )
    return Totals(
        articles=articles,
        stories=stories,
        events=events,
        events_dated=dated,
        events_located=located,
        rejects=rejects,
        runs=runs,
    )


def _largest_stories(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> list[LargeStory]:
    top = _rows(
        con,
        f"select * from ({_STORIES}) order by n_articles desc, n_outlets desc, day desc nulls last, story_id "
        f"limit {MAX_STORIES}",
        params,
    )
    if not top:
        return []
    outlets: dict[str, list[Outlet]] = {}
    for story_id, outlet, copies in con.execute(
        "select story_id, outlet, count(*) as copies from articles where story_id in (select unnest($ids)) "
        "group by all order by copies desc, outlet nulls last",
        {"ids": [row[0] for row in top]},
    ).fetchall():
        outlets.setdefault(story_id, []).append(Outlet(outlet=outlet, copies=copies))
    return [
        LargeStory(
            story_id=story_id,
            title=title,
            n_articles=n_articles,
            n_outlets=n_outlets,
            day=day,
            outlets=outlets.get(story_id, []),
        )
        for story_id, title, n_articles, n_outlets, day in top
    ]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    # DuckDB refuses named parameters a statement does not use: pass only those it names.
    used = {name: value for name, value in params.items() if f"${name}" in sql}
    return con.execute(sql, used).fetchall()


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...]:
    rows = _rows(con, sql, params or {})
    return rows[0]
