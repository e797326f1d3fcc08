"""Tests of store/report.py on a real DuckDB file whose rows are written by SQL: which day each row
counts on, what --since keeps, and which extractor's events are shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from schemas import DatabaseMissingError, TerminalError
from schemas.report import CasualtyDay, EventDay, Outlet, RejectCount, StoryDay
from store import read_report, writer

STORED = "2024-12-01 09:00:00+00"


def _article(
    con: duckdb.DuckDBPyConnection, article_id: str, story_id: str, outlet: str | None, published: str | None
) -> None:
    con.execute(
        "insert into article_rows (article_id, source, uri, outlet, title, published_at, published_precision, text, "
        "content_hash, word_count, run_id, ingested_at, story_id) values (?, 's', ?, ?, ?, ?, 'minute', 'text', ?, 1, "
        "'r1', ?, ?)",
        [article_id, f"file:///{article_id}", outlet, f"title {article_id}", published, article_id, STORED, story_id],
    )


def _event(
    con: duckdb.DuckDBPyConnection,
    event_id: str,
    article_id: str,
    event_type: str,
    *,
    day: str | None = None,
    precision: str | None = None,
    killed: int | None = None,
    injured: int | None = None,
    claimed_by: str | None = None,
    place: tuple[str, float, float] | None = None,
    extractor: str = "rules@1.3",
) -> None:
    location, lat, lon = place if place else (None, None, None)
    con.execute(
        "insert into events (event_id, story_id, article_id, event_type, event_date, date_precision, location, "
        "country, claimed_by, killed, injured, evidence, char_start, char_end, confidence, extractor, run_id, "
        "extracted_at, latitude, longitude) "
        "values (?, (select story_id from articles where article_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, 'e', 0, 1, 1.0, "
        "?, 'r1', ?, ?, ?)",
        [
            event_id,
            article_id,
            article_id,
            event_type,
            day,
            precision,
            location,
            "UKR" if location else None,
            claimed_by,
            killed,
            injured,
            extractor,
            STORED,
            lat,
            lon,
        ],
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three stories (one carried by two outlets), events dated by their sentence, by a month, by
    their article only, and not at all; two rejects; an event of a second extractor."""
    path = tmp_path_factory.mktemp("report") / "news.duckdb"
    with writer(path) as con:
        _article(con, "a1", "s1", "SDA", "2024-11-02 10:00:00")
        _article(con, "a4", "s1", "dpa", "2024-11-03 08:00:00")
        _article(con, "a2", "s2", None, "2024-10-20 12:00:00")
        _article(con, "a3", "s3", None, None)
        con.execute(
            "insert into stories values ('s1', 'a1', 'title a1', ?, ?, 2, 2), ('s2', 'a2', 'title a2', ?, ?, 1, 0), "
            "('s3', 'a3', 'title a3', ?, ?, 1, 0)",
            [STORED] * 6,
        )
        kharkiv = ("Kharkiv", 49.98, 36.25)
        _event(
            con, "e1", "a1", "ASSAULT", day="2024-11-01", precision="day", killed=3, claimed_by="police", place=kharkiv
        )
        _event(
            con, "e2", "a1", "ASSAULT", day="2024-11-01", precision="day", injured=5, claimed_by="mayor", place=kharkiv
        )
        _event(con, "e3", "a1", "MOBILIZE", day="2024-10-01", precision="month")  # "in October": counts on 2 November
        _event(con, "e4", "a2", "AID")
        _event(con, "e5", "a3", "ACCUSE")
        _event(con, "e6", "a2", "ASSAULT", killed=100, extractor="other@1")
        con.execute(
            "insert into rejects values ('r1', 's', 'file:///x', 'empty', null, 0, '2024-10-15 00:00:00+00'), "
            "('r1', 's', 'file:///y', 'binary', null, 9, '2024-11-05 00:00:00+00')"
        )
        con.execute("insert into runs (run_id, started_at, status) values ('r1', ?, 'completed')", [STORED])
    return path


def test_each_row_counts_on_its_own_day_else_its_publication(db: Path) -> None:
    data = read_report(db)
    assert data.extractor == "rules" and data.other_extractors == ["other"]
    t = data.totals
    assert (t.articles, t.stories, t.events, t.events_dated, t.events_located, t.rejects, t.runs) == (
        4,
        3,
        5,
        2,
        2,
        2,
        1,
    )
    assert data.event_days == [
        EventDay(day=date(2024, 10, 20), event_type="AID", dated=False, events=1),
        EventDay(day=date(2024, 11, 1), event_type="ASSAULT", dated=True, events=2),
        EventDay(day=date(2024, 11, 2), event_type="MOBILIZE", dated=False, events=1),
        EventDay(day=None, event_type="ACCUSE", dated=False, events=1),
    ]
    assert data.story_days == [
        StoryDay(day=date(2024, 10, 20), stories=1),
        StoryDay(day=date(2024, 11, 2), stories=1),
        StoryDay(day=None, stories=1),
    ]
    assert data.casualties == [
        CasualtyDay(day=date(2024, 11, 1), claimed_by="mayor", killed=0, injured=5),
        CasualtyDay(day=date(2024, 11, 1), claimed_by="police", killed=3, injured=0),
    ]
    largest = data.stories[0]
    assert (largest.story_id, largest.n_articles, largest.day) == ("s1", 2, date(2024, 11, 2))
    assert largest.outlets == [Outlet(outlet="SDA", copies=1), Outlet(outlet="dpa", copies=1)]
    assert [(p.location, p.events, p.killed, p.injured) for p in data.places] == [("Kharkiv", 2, 3, 5)]
    assert data.rejects == [RejectCount(reason="binary", rejects=1), RejectCount(reason="empty", rejects=1)]


def test_since_keeps_what_happened_from_that_day(db: Path) -> None:
    data = read_report(db, since=date(2024, 11, 1))
    t = data.totals
    # a2 (published 20 October) and its story, event and the October reject go; a3 was stored in December.
    assert (t.articles, t.stories, t.events, t.rejects) == (3, 2, 4, 1)
    assert {row.event_type for row in data.event_days} == {"ASSAULT", "MOBILIZE", "ACCUSE"}
    assert [s.story_id for s in data.stories] == ["s1", "s3"]
    assert data.rejects == [RejectCount(reason="binary", rejects=1)]

    later = read_report(db, since=date(2024, 11, 2))
    # The attack is dated 1 November by its sentence: it goes, though its article is of 2 November.
    assert {row.event_type for row in later.event_days} == {"MOBILIZE", "ACCUSE"}
    assert later.casualties == [] and later.places == []


def test_a_file_too_old_or_missing_is_one_clear_error(db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    old.write_bytes(db.read_bytes())
    with duckdb.connect(str(old)) as con:
        con.execute("delete from schema_version where version >= 5")
    with pytest.raises(TerminalError, match="schema version 4; newsflow report needs 5"):
        read_report(old)
    with pytest.raises(DatabaseMissingError):
        read_report(tmp_path / "none.duckdb")
