"""Tests of store/db.py on real DuckDB files: migrations, one-transaction appends, bounded waits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

import store.db
from dedup import identify
from schemas import (
    Batch,
    DatabaseBusyError,
    DatabaseMissingError,
    ParsedArticle,
    Reject,
    migrations,
)
from store import append_batch, query, read_cursor, reader, start_run, writer


def articles(*texts: str) -> list[ParsedArticle]:
    return [
        ParsedArticle(source="s", uri=f"file:///{i}.txt", title=f"t{i}", text=t, word_count=len(t.split()))
        for i, t in enumerate(texts)
    ]


def batch(run_id: str, texts: tuple[str, ...], rejects: int = 0, cursor: dict[str, int] | None = None) -> Batch:
    return Batch(
        run_id=run_id,
        source="s",
        articles=identify(articles(*texts)),
        rejects=[Reject(source="s", uri=f"file:///bad{i}", reason="empty") for i in range(rejects)],
        n_seen=len(texts) + rejects,
        cursor=cursor,
    )


def test_migrations_run_once(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    for _ in range(2):
        with writer(db) as con:
            versions = con.execute("select version from schema_version").fetchall()
    assert versions == [(m.version,) for m in migrations()]


def test_a_batch_appends_articles_rejects_counts_and_cursor(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    result = append_batch(db, batch("r1", ("alpha text", "beta text"), rejects=1, cursor={"at": 1}))
    assert (result.n_new, result.n_duplicates, result.n_rejected) == (2, 0, 1)
    again = append_batch(db, batch("r1", ("Alpha  text", "gamma text"), cursor={"at": 2}))
    assert (again.n_new, again.n_duplicates) == (1, 1)
    assert query(db, "select count(*) from articles").rows == [(3,)]
    assert query(db, "select n_seen, n_new, n_duplicates, n_rejected from runs").rows == [(5, 3, 1, 1)]
    assert query(db, "select reason, uri from rejects").rows == [("empty", "file:///bad0")]
    assert read_cursor(db, "s") == {"at": 2}


def test_a_fault_inside_the_transaction_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])

    def broken(*args: object) -> object:
        raise RuntimeError("disk gone")  # a fault injected after the articles were inserted

    monkeypatch.setattr(store.db, "_rejects_table", broken)
    with pytest.raises(RuntimeError, match="disk gone"):
        append_batch(db, batch("r1", ("alpha text",), rejects=1, cursor={"at": 1}))
    assert query(db, "select count(*) from articles").rows == [(0,)]
    assert query(db, "select n_seen from runs").rows == [(0,)]
    assert read_cursor(db, "s") is None
    monkeypatch.undo()
    assert append_batch(db, batch("r1", ("alpha text",), rejects=1)).n_new == 1


def test_query_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    with pytest.raises(duckdb.Error):
        query(db, "delete from runs")
    assert query(db, "select count(*) from runs").rows == [(1,)]


def test_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError, match="no database at"):
        query(tmp_path / "none.duckdb", "select 1")


def test_a_reader_loads_no_extension_even_with_files_allowed(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    for allow_files in (False, True):
        with reader(db, allow_files=allow_files) as con:
            with pytest.raises(duckdb.PermissionException, match="Loading external extensions is disabled"):
                con.execute("load httpfs")
            # Without the sandbox this downloads from DuckDB's repository (or fails to, offline).
            with pytest.raises(duckdb.Error) as refused:
                con.execute("install httpfs")
            assert "download" not in str(refused.value)
            assert con.execute("select count(*) from runs").fetchall() == [(1,)]


CRASHER = textwrap.dedent(
    """
    import os, signal, sys, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("insert into runs (run_id, started_at, status) values ('r2', now(), 'running')")
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_the_sandbox_reads_what_a_killed_writer_left_in_the_wal(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    subprocess.run([sys.executable, "-c", CRASHER, str(db)], check=False)
    assert db.with_name("n.duckdb.wal").exists()
    assert query(db, "select run_id from runs order by 1").rows == [("r1",), ("r2",)]


HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
    """
)


def hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Hold the file for writing from another process, as a running ingest would."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_reader_waits_for_a_writer_then_gives_up_clearly(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    holder = hold(db, 30)
    try:
        with pytest.raises(DatabaseBusyError, match=r"within 0.5 s: process \d+ \(python.*\) held it the whole time"):
            query(db, "select 1", wait=0.5)
    finally:
        holder.kill()
        holder.wait()


def test_a_reader_gets_in_when_the_writer_lets_go(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    holder = hold(db, 1.0)
    try:
        assert query(db, "select count(*) from runs", wait=60).rows == [(1,)]
    finally:
        holder.wait()


def test_a_file_from_before_stories_is_migrated_with_a_story_per_article(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    first = migrations()[0]
    with duckdb.connect(str(db)) as con:  # a file written by the trunk: schema version 1 only
        con.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)"
        )
        con.execute(first.sql)
        con.execute("INSERT INTO schema_version VALUES (1, 'trunk', now())")
        con.execute(
            "INSERT INTO articles (article_id, source, uri, outlet, title, published_precision, text, "
            "content_hash, word_count, run_id, ingested_at) "
            "VALUES ('a1', 's', 'u', 'SDA', 'Old title', 'unknown', 'old text', 'h', 2, 'r', now())"
        )
    with writer(db) as con:
        assert con.execute("select max(version) from schema_version").fetchall() == [(len(migrations()),)]
    assert query(db, "select story_id from articles").rows == [("a1",)]
    assert query(db, "select story_id, canonical_article_id, title, n_articles, n_outlets from stories").rows == [
        ("a1", "a1", "Old title", 1, 1)
    ]


def test_an_article_duckdb_cannot_take_is_a_reject_and_its_batch_goes_in(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    good = batch("r1", ("alpha text", "beta text"), rejects=1, cursor={"at": 1})
    # The text stage replaces lone surrogates; an article made elsewhere may still hold one.
    bad = good.articles[1].model_copy(update={"title": "bad \ud800 title"})
    result = append_batch(db, good.model_copy(update={"articles": [good.articles[0], bad]}))
    assert (result.n_new, result.n_duplicates, result.n_rejected) == (1, 0, 2)
    assert [(r.uri, r.reason) for r in result.store_rejects] == [("file:///1.txt", "store_error")]
    assert query(db, "select title from articles").rows == [("t0",)]
    assert query(db, "select reason from rejects order by reason").rows == [("empty",), ("store_error",)]
    assert query(db, "select n_seen, n_new, n_rejected from runs").rows == [(3, 1, 2)]
    assert read_cursor(db, "s") == {"at": 1}  # the batch committed: its cursor moved past the bad article
