"""Tests of store/events.py on real DuckDB files: what is left to code, one transaction per batch of
extractions, versions that replace each other, and the migration that adds `extractions`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

import store.events
from dedup import identify
from flows.ingest import story_assigner
from schemas import Article, Batch, Entity, Event, Extraction, Figure, ParsedArticle, migrations
from store import append_batch, append_extractions, count_pending, event_rows, query, read_pending, start_run, writer
from store.db import TEXT_PART_CHARS
from tests.store.test_db import batch

STORY = " ".join(f"word{i} sentence{i % 7} about the strike" for i in range(120))


def coded(found: Sequence[Article], label: str = "test@1", killed: int = 2) -> list[Extraction]:
    """A small extractor's work: one event with one figure, and one entity, per article."""
    return [
        Extraction(
            article_id=a.article_id,
            extractor=label,
            events=[
                Event(
                    event_id=f"e-{a.article_id}-{label}",
                    article_id=a.article_id,
                    event_type="ASSAULT",
                    killed=killed,
                    evidence=a.text[:20],
                    char_start=0,
                    char_end=20,
                    confidence=0.9,
                    extractor=label,
                    figures=[Figure(counted="killed", value=killed, qualifier="at least", char_start=0, char_end=5)],
                )
            ],
            entities=[
                Entity(article_id=a.article_id, name="Kiev", canonical="Kyiv", kind="place", char_start=0, char_end=4)
            ],
        )
        for a in found
    ]


def stored(db: Path, run_id: str, *texts: str) -> list[Article]:
    """Append articles with `texts` and return those that became their story's canonical copy."""
    new = batch(run_id, texts)
    result = append_batch(db, new, story_assigner())
    return [a for a in new.articles if a.article_id in set(result.canonical_article_ids)]


def test_events_come_from_the_canonical_copy_and_follow_a_fuller_one(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    cut = " ".join(STORY.split()[:400])
    first = stored(db, "r1", cut, "another story entirely " * 20)
    assert append_extractions(db, coded(first), "r1").n_events == 2
    # A copy of the same length joins the story and is not canonical: nothing to code.
    assert stored(db, "r1", "Dateline. " + cut) == []
    # The full story takes over as canonical; its events replace the cut copy's.
    full = identify([ParsedArticle(source="s", uri="file:///full.txt", title="full", text=STORY, word_count=600)])
    result = append_batch(db, Batch(run_id="r1", source="s", articles=full, n_seen=1), story_assigner())
    assert result.canonical_article_ids == [full[0].article_id]
    assert append_extractions(db, coded(full), "r1").n_events == 1
    rows = query(db, "select e.article_id, s.canonical_article_id, e.story_id = s.story_id from events e "
                     "join stories s on s.story_id = e.story_id where s.n_articles = 3").rows  # fmt: skip
    assert rows == [(full[0].article_id, full[0].article_id, True)]
    assert query(db, "select count(*) from events").rows == [(2,)]
    assert query(db, "select count(*) from event_figures").rows == [(2,)]
    assert query(
        db, f"select counted, value, qualifier from claims where article_id = '{full[0].article_id}'"
    ).rows == [("killed", 2.0, "at least")]
    assert query(db, "select n_events, n_extracted, n_extract_errors from runs").rows == [(3, 3, 0)]
    # Entities stay with the article they were found in: all three were coded once.
    assert query(db, "select canonical, count(*) from entities group by all").rows == [("Kyiv", 3)]


def test_an_extraction_that_failed_is_a_row_with_its_error(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    good, bad = stored(db, "r1", "alpha text " * 30, "beta words " * 30)
    failed = Extraction(article_id=bad.article_id, extractor="test@1", status="error", error="OverflowError: boom")
    result = append_extractions(db, [*coded([good]), failed], "r1")
    assert (result.n_articles, result.n_events, result.n_errors) == (2, 1, 1)
    assert result.errors == [f"{bad.article_id}: OverflowError: boom"]
    assert query(db, "select article_id, status, error, n_events from extractions order by status").rows == [
        (bad.article_id, "error", "OverflowError: boom", 0),
        (good.article_id, "ok", None, 1),
    ]
    assert query(db, "select n_extracted, n_extract_errors, n_events from runs").rows == [(2, 1, 1)]
    # A failure is coded: only another version, or --all, tries it again.
    assert count_pending(db, "test@1") == 0
    assert count_pending(db, "test@2") == 2


def test_a_new_version_replaces_the_old_one_and_other_extractors_stay(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    found = stored(db, "r1", "alpha text " * 30, "beta words " * 30)
    append_extractions(db, coded(found, "test@1", killed=2), "r1")
    append_extractions(db, coded(found, "other@1", killed=5), "r1")
    append_extractions(db, coded(found, "test@2", killed=3), "r1")
    assert query(db, "select extractor, count(*), sum(killed) from events group by all order by 1").rows == [
        ("other@1", 2, 10),
        ("test@2", 2, 6),
    ]
    assert query(db, "select extractor, count(*) from extractions group by all order by 1").rows == [
        ("other@1", 2),
        ("test@2", 2),
    ]
    assert query(db, "select extractor, count(*) from entities group by all order by 1").rows == [
        ("other@1", 2),
        ("test@2", 2),
    ]
    assert query(db, "select count(*) from event_figures").rows == [(4,)]
    # The same version again (--all) replaces itself: nothing is doubled.
    append_extractions(db, coded(found, "test@2", killed=3), "r1")
    assert query(db, "select count(*) from events where extractor = 'test@2'").rows == [(2,)]


def test_an_extraction_of_a_displaced_copy_is_not_stored(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    (cut,) = stored(db, "r1", " ".join(STORY.split()[:400]))
    full = identify([ParsedArticle(source="s", uri="file:///full.txt", title="full", text=STORY, word_count=600)])
    append_batch(db, Batch(run_id="r1", source="s", articles=full, n_seen=1), story_assigner())
    # The cut copy's extraction comes back after the full copy took its place.
    result = append_extractions(db, coded([cut]), "r1")
    assert (result.n_articles, result.n_stale) == (0, 1)
    assert query(db, "select count(*) from events").rows == [(0,)]
    assert [a.article_id for a in read_pending(db, "test@1")] == [full[0].article_id]


def test_a_fault_in_the_transaction_stores_nothing_and_a_retry_stores_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    found = stored(db, "r1", "alpha text " * 30)
    insert = store.events._insert_with_story

    def failing(con: duckdb.DuckDBPyConnection, table: str, *args: Any) -> int:
        if table == "event_figures":
            raise OSError("disk full")
        return insert(con, table, *args)

    monkeypatch.setattr(store.events, "_insert_with_story", failing)
    with pytest.raises(OSError, match="disk full"):
        append_extractions(db, coded(found), "r1")
    counts = "select (select count(*) from events), (select count(*) from extractions), (select n_events from runs)"
    assert query(db, counts).rows == [(0, 0, 0)]
    assert count_pending(db, "test@1") == 1
    monkeypatch.setattr(store.events, "_insert_with_story", insert)
    append_extractions(db, coded(found), "r1")
    assert query(db, counts).rows == [(1, 1, 1)]


def test_pending_pages_through_canonical_articles_by_id(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    found = stored(db, "r1", *(f"story number {i} " * 30 for i in range(7)))
    ids = sorted(a.article_id for a in found)
    assert count_pending(db, "test@1") == 7
    first = read_pending(db, "test@1", limit=3)
    assert [a.article_id for a in first] == ids[:3]
    assert first[0].text == next(a.text for a in found if a.article_id == ids[0])
    rest = read_pending(db, "test@1", after=first[-1].article_id, limit=10)
    assert [a.article_id for a in rest] == ids[3:]
    append_extractions(db, coded(first), "r1")
    assert count_pending(db, "test@1") == 4
    assert count_pending(db, "test@1", redo=True) == 7
    assert count_pending(db, "test@1", story_ids=ids[:2]) == 0
    assert count_pending(db, "test@1", story_ids=ids[5:]) == 2
    # Undated articles count from the day they were stored.
    assert count_pending(db, "test@1", since=date(2000, 1, 1)) == 4
    assert count_pending(db, "test@1", since=date(2999, 1, 1)) == 0


def test_the_migration_keeps_the_events_a_database_holds(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMPTZ)")
        for migration in migrations()[:3]:
            con.execute(migration.sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [migration.version, migration.name])
        con.execute(
            "INSERT INTO articles (article_id, source, uri, title, published_precision, text, content_hash, "
            "word_count, run_id, ingested_at, story_id) VALUES "
            "('a1', 's', 'u1', 't', 'unknown', 'text one', 'h1', 2, 'r0', now(), 'a1'), "
            "('a2', 's', 'u2', 't', 'unknown', 'text two', 'h2', 2, 'r0', now(), 'a2')"
        )
        con.execute(
            "INSERT INTO stories VALUES ('a1', 'a1', 't', now(), now(), 1, 0), ('a2', 'a2', 't', now(), now(), 1, 0)"
        )
        con.execute(
            "INSERT INTO events (event_id, story_id, article_id, evidence, char_start, char_end, confidence, "
            "extractor, run_id, extracted_at) VALUES "
            "('e1', 'a1', 'a1', 'x', 0, 1, 0.5, 'rules@1.0', 'r0', now()), "
            "('e2', 'a1', 'a1', 'y', 2, 3, 0.5, 'rules@1.0', 'r0', now())"
        )
        # a2 was coded too, and had names but no events
        con.execute("INSERT INTO entities VALUES ('a2', 'Kiev', 'Kyiv', 'place', 'UKR', 0, 4, 'rules@1.0')")
    with writer(db) as con:
        rows = con.execute(
            "select article_id, story_id, extractor, status, n_events, run_id from extractions order by 1"
        ).fetchall()
    assert rows == [("a1", "a1", "rules@1.0", "ok", 2, "r0"), ("a2", "a2", "rules@1.0", "ok", 0, "r0")]
    assert count_pending(db, "rules@1.0") == 0
    assert query(db, "select flow, n_extracted from runs").rows == []


def test_an_extraction_that_does_not_fit_the_tables_is_that_articles_error(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    found = stored(db, "r1", "alpha text " * 30, "beta words " * 30)
    good, huge = coded(found[:1]), coded(found[1:], killed=10**30)
    rows = event_rows([*good, *huge])
    assert rows.extractions.column("status").to_pylist() == ["ok", "error"]
    (error,) = [e for e in rows.extractions.column("error").to_pylist() if e]
    assert error == "OverflowError storing its events: Python int too large to convert to C long"
    result = append_extractions(db, rows, "r1")
    assert (result.n_articles, result.n_events, result.n_errors) == (2, 1, 1)
    assert query(db, "select count(*) from events").rows == [(1,)]


def test_an_events_place_on_the_map_is_stored_and_in_claims(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    (first,) = stored(db, "r1", STORY)
    (extraction,) = coded([first])
    placed = extraction.events[0].model_copy(
        update={
            "location": "Kharkiv",
            "country": "UKR",
            "admin1": "Kharkiv Oblast",
            "latitude": 49.98,
            "longitude": 36.25,
        }
    )
    append_extractions(db, [extraction.model_copy(update={"events": [placed]})], "r1")
    assert query(db, "select location, country, admin1, latitude, longitude, mentions from events").rows == [
        ("Kharkiv", "UKR", "Kharkiv Oblast", 49.98, 36.25, 1)
    ]
    assert query(db, "select admin1, latitude, longitude from claims").rows == [("Kharkiv Oblast", 49.98, 36.25)]


def test_pending_pages_end_at_their_characters_and_long_texts_come_back_whole(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    # Two texts stored in parts (longer than TEXT_PART_CHARS) among short ones.
    texts = [f"story number {i} " * (3000 if i in (1, 4) else 30) for i in range(6)]
    found = {a.article_id: a.text for a in stored(db, "r1", *texts)}
    assert query(db, "select count(distinct article_id) from text_parts").rows == [(2,)]
    ids = sorted(found)
    seen: list[str] = []
    after = None
    while page := read_pending(db, "test@1", after=after, limit=100, max_chars=TEXT_PART_CHARS):
        assert len(page) == 1 or sum(len(a.text) for a in page) <= TEXT_PART_CHARS
        assert all(a.text == found[a.article_id] for a in page)
        seen += [a.article_id for a in page]
        after = page[-1].article_id
    assert seen == ids
    # Without a budget, one page holds them all.
    assert [a.article_id for a in read_pending(db, "test@1", limit=100)] == ids
