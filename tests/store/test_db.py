"""Tests of store/db.py on real DuckDB files: migrations, one-transaction appends, bounded waits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

import store.db
from dedup import identify
from schemas import (
    Batch,
    DatabaseBusyError,
    DatabaseMissingError,
    ParsedArticle,
    QueryTimeoutError,
    Reject,
    migrations,
)
from store import append_batch, query, read_cursor, reader, start_run, stream_arrow, stream_rows, writer


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


def _other_process_writes(db: Path) -> bool:
    """Whether another process can open `db` for writing now (DuckDB's lock is not held)."""
    code = f"import duckdb; duckdb.connect({str(db)!r}).execute('select 1')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, check=False).returncode == 0


def test_each_write_turn_lets_go_of_the_file(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    assert _other_process_writes(db)
    with pytest.raises(RuntimeError, match="mid-transaction"), writer(db) as con:
        con.begin()
        con.execute("DELETE FROM runs")
        raise RuntimeError("a fault mid-transaction")
    assert _other_process_writes(db)
    assert query(db, "select count(*) from runs").rows == [(1,)]  # rolled back, as on closing


class _RefusesDetach:
    """A turn's connection on which DuckDB refuses DETACH (injected: no real input makes it fail)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith("DETACH"):
            raise duckdb.InvalidInputException("cannot detach")
        return self.con.execute(sql, *args)


def test_a_file_duckdb_will_not_detach_is_let_go_with_the_host_database(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    con = store.db._attach(db)
    assert not _other_process_writes(db)
    store.db._detach(_RefusesDetach(con))  # type: ignore[arg-type]
    assert _other_process_writes(db)
    assert query(db, "select count(*) from runs").rows == [(1,)]
    start_run(db, "r2", flow_run_id=None, sources=["s"])  # a new host database for the next turn
    assert query(db, "select count(*) from runs").rows == [(2,)]


FORKS = """
import os, subprocess, sys
from pathlib import Path
import store.db
from store import start_run, writer

db = Path(sys.argv[1])
start_run(db, "r1", flow_run_id=None, sources=["s"])
with writer(db) as con:
    con.execute("SELECT count(*) FROM runs").fetchall()
assert store.db._host is not None
print(sorted({subprocess.run(["true"], preexec_fn=lambda: None).returncode for _ in range(5)}))
pid = os.fork()
if pid == 0:  # the child writes through a host database of its own, then exits as Python does
    start_run(db, "r2", flow_run_id=None, sources=["s"])
    sys.exit(0)
_, status = os.waitpid(pid, 0)
print(os.WIFEXITED(status) and os.WEXITSTATUS(status))
"""


def test_processes_forked_after_a_write_turn_run_and_exit_cleanly(tmp_path: Path) -> None:
    # The host database stays open between turns; a child forked meanwhile must neither touch
    # its threads (every child forked with a preexec_fn crashed) nor abort when it exits.
    db = tmp_path / "n.duckdb"
    done = subprocess.run([sys.executable, "-c", FORKS, str(db)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[0]", "0"]
    assert query(db, "select run_id from runs order by run_id").rows == [("r1",), ("r2",)]


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


def test_a_streamed_result_comes_in_batches_with_its_types(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    sql = "select range as n, '{\"a\": 1}'::json as j from range(5000)"
    with stream_rows(db, sql, batch_rows=2000) as rows:
        assert (rows.columns, rows.types) == (["n", "j"], ["BIGINT", "JSON"])
        assert [len(batch) for batch in rows.batches] == [2000, 2000, 1000]
    with stream_arrow(db, sql, batch_rows=2000) as arrow:
        assert (arrow.columns, arrow.types) == (["n", "j"], ["BIGINT", "JSON"])
        assert sum(batch.num_rows for batch in arrow.reader) == 5000
    # The same result as `query`, the sandbox included.
    with stream_rows(db, "select count(*) from runs") as rows:
        assert list(rows.batches) == [query(db, "select count(*) from runs").rows]
    with pytest.raises(duckdb.PermissionException), stream_arrow(db, "select * from read_csv('/etc/passwd')"):
        pass


@pytest.mark.parametrize("stream", [stream_rows, stream_arrow])
def test_the_timeout_counts_while_a_slow_reader_takes_the_rows(tmp_path: Path, stream: Callable[..., Any]) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    taken = 0
    with (
        pytest.raises(QueryTimeoutError, match=r"stopped after 0\.3 s"),
        stream(db, "select range from range(100000000)", timeout=0.3, batch_rows=1000) as result,
    ):
        for _ in result.reader if stream is stream_arrow else result.batches:
            taken += 1
            time.sleep(0.05)  # a pipe that reads slowly: DuckDB waits, the clock does not
    assert 0 < taken < 100_000


# --- an article stored from its feed entry, then from its page ---------------------------------

FEED = "https://example.org/feed.xml"
PAGE = "https://example.org/world/shelling"
SUMMARY = "Russian forces shelled Kharkiv overnight, officials said on Tuesday."
FULL = (
    SUMMARY + " Two people were killed and nine injured when missiles struck a residential district, the regional "
    "governor said. Emergency crews worked through the night to clear the rubble of a five-storey building. "
) * 3


def one(text: str, text_from: str, *, authors: tuple[str, ...] = (), source: str = FEED, uri: str = PAGE) -> Batch:
    parsed = ParsedArticle(
        source=source,
        uri=uri,
        title="Kharkiv shelled",
        text=text,
        word_count=len(text.split()),
        text_from=text_from,  # type: ignore[arg-type]
        authors=list(authors),
    )
    return Batch(run_id="r1", source=source, articles=identify([parsed]), n_seen=1)


def test_a_pages_text_upgrades_the_article_stored_from_its_feed_entry_in_place(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=[FEED])
    first = append_batch(db, one(SUMMARY, "feed"))
    (stored_id,) = first.new_article_ids
    with writer(db) as con:  # as if the events stage had coded the summary
        con.execute(
            "INSERT INTO extractions (article_id, story_id, extractor, status, n_events, run_id, extracted_at) "
            "VALUES (?, ?, 'rules@1.3', 'ok', 1, 'r1', now())",
            [stored_id, stored_id],
        )
    page = one(FULL, "page", authors=("Ana Lopez",))
    result = append_batch(db, page)
    assert (result.n_new, result.n_duplicates, result.n_upgraded) == (0, 1, 1)
    assert result.upgraded == {page.articles[0].article_id: stored_id}
    assert result.canonical_article_ids == [stored_id]  # to be coded again from the page's text
    rows = query(db, "select article_id, story_id, text, text_from, authors, word_count, content_hash from articles")
    [(article_id, story_id, text, text_from, authors, words, digest)] = rows.rows
    assert (article_id, story_id, text, text_from, authors) == (stored_id, stored_id, FULL, "page", ["Ana Lopez"])
    assert words == len(FULL.split()) and digest == page.articles[0].content_hash
    assert query(db, "select content_hash from signatures").rows == [(digest,)]
    n_bands = sum(1 for key in page.articles[0].band_keys if key != -1)
    assert query(db, "select count(*) from fingerprints").rows == [(n_bands,)]
    assert query(db, "select count(*) from extractions").rows == [(0,)]
    assert query(db, "select n_articles, canonical_article_id from stories").rows == [(1, stored_id)]
    assert query(db, "select n_seen, n_new, n_duplicates, n_upgraded from runs").rows == [(2, 1, 1, 1)]

    # The page delivered again, or the feed's text again (edited or not): duplicates, nothing changes.
    for again in (one(FULL, "page"), one(SUMMARY, "feed"), one(SUMMARY + " Updated.", "feed")):
        repeat = append_batch(db, again)
        assert (repeat.n_new, repeat.n_duplicates, repeat.n_upgraded) == (0, 1, 0)
    assert query(db, "select count(*), any_value(text) from articles").rows == [(1, FULL)]


def test_a_changed_document_at_a_stored_address_is_still_a_new_article(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    append_batch(db, one(SUMMARY, "page", source="s", uri="file:///a.txt"))
    edited = append_batch(db, one(FULL, "page", source="s", uri="file:///a.txt"))
    assert (edited.n_new, edited.n_upgraded) == (1, 0)
    assert query(db, "select count(*) from articles where text_from = 'page'").rows == [(2,)]


def test_articles_stored_before_schema_8_say_nothing_of_authors_or_text_origin(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:  # a file at schema version 7
        con.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)"
        )
        for migration in migrations()[:7]:
            con.execute(migration.sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [migration.version, migration.name])
        con.execute(
            "INSERT INTO articles (article_id, source, uri, title, published_precision, text, content_hash, "
            "word_count, run_id, ingested_at) VALUES ('a1', 's', 'u', 'Old', 'unknown', 'old text', 'h', 2, 'r', now())"
        )
    start_run(db, "r2", flow_run_id=None, sources=["s"])
    assert query(db, "select authors, text_from from articles").rows == [(None, None)]
    append_batch(db, batch("r2", ("alpha text",)))
    assert query(db, "select authors, text_from from articles where article_id <> 'a1'").rows == [([], "page")]
    assert query(db, "select max(version) from schema_version").rows == [(len(migrations()),)]


def _long_text(words: int, marker: str) -> str:
    """A text of many words, with characters outside the BMP (two UTF-16 units, four UTF-8 bytes)."""
    return " ".join(f"{marker}{n}\U0001f30d" for n in range(words))


def test_long_texts_are_stored_in_parts_and_read_back_whole(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    part = store.db.TEXT_PART_CHARS
    exact = ("x" * (part - 1) + " ")[:part]  # as long as a part: stays in its row
    longer = _long_text(3 * part // 7, "w")  # about three parts
    texts = ("short text", exact, longer)
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    result = append_batch(db, batch("r1", texts))
    assert result.n_new == 3
    rows = dict(query(db, "select text, length(text) from articles").rows)
    assert set(rows) == set(texts) and rows[longer] == len(longer) > part
    inline = query(db, "select count(*) from article_rows where text is not null").rows
    parts = query(db, "select part, length(text) from text_parts order by part").rows
    assert inline == [(2,)]
    assert [n for n, _ in parts] == list(range(-(-len(longer) // part)))
    assert all(length == part for _, length in parts[:-1]) and sum(length for _, length in parts) == len(longer)
    # A page's long text upgrading a feed entry's text replaces its parts; a shorter one removes them.
    feed = one(SUMMARY, "feed")
    append_batch(db, feed)
    page_text = _long_text(part // 4, "p")
    upgraded = append_batch(db, one(page_text, "page"))
    assert upgraded.n_upgraded == 1
    [(stored,)] = query(db, f"select text from articles where uri = '{PAGE}'").rows
    assert stored == page_text
    assert query(db, "select count(*) from text_parts").rows == [(len(parts) + -(-len(page_text) // part),)]


def test_a_file_from_before_text_parts_has_its_long_texts_moved_into_parts(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    part = 16_384  # the length migration 0009 splits at
    longer = _long_text(part // 3, "m")
    with duckdb.connect(str(db)) as con:  # a file at schema version 8
        con.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)"
        )
        for migration in migrations()[:8]:
            con.execute(migration.sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [migration.version, migration.name])
        for article_id, text in (("a1", "old text"), ("a2", longer)):
            con.execute(
                "INSERT INTO articles (article_id, source, uri, title, published_precision, text, content_hash, "
                "word_count, run_id, ingested_at) VALUES (?, 's', ?, 'Old', 'unknown', ?, 'h', 2, 'r', now())",
                [article_id, f"file:///{article_id}", text],
            )
        before = con.execute("select * from articles order by article_id").fetchall()
        columns = [row[0] for row in con.execute("describe articles").fetchall()]
    start_run(db, "r2", flow_run_id=None, sources=["s"])
    assert query(db, "select * from articles where run_id = 'r' order by article_id").rows == before
    assert [row[0] for row in query(db, "describe articles").rows] == columns
    n_parts = -(-len(longer) // part)
    assert query(db, "select article_id, count(*) from text_parts group by all").rows == [("a2", n_parts)]
    assert query(db, "select article_id from article_rows where text is null").rows == [("a2",)]
