"""`newsflow query` as a sandbox, run as a user types it: the database answers, nothing else does.

One `newsflow run` of the seeds makes the database every test here queries.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

from tests.conftest import ROOT
from tests.flows.commands import newsflow, query_json
from tests.http_server import QuietHandler, serving

SECRET = "newsflow-sandbox-secret-4417"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "news.duckdb"
    done = newsflow("run", "--db", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the database with a file holding a secret, and a SQLite and a DuckDB file."""
    (tmp_path / "secret.csv").write_text(f"name,value\nkey,{SECRET}\n")
    with sqlite3.connect(tmp_path / "other.sqlite") as lite:
        lite.execute(f"create table t as select '{SECRET}' as a")
    with duckdb.connect(str(tmp_path / "other.duckdb")) as other:
        other.execute(f"create table t as select '{SECRET}' as a")
    return tmp_path


def refused(db: Path, sql: str, *args: str, cwd: Path = ROOT) -> str:
    """Run SQL that the sandbox must refuse; return the one line of error it printed."""
    done = newsflow("query", sql, "--db", str(db), *args, cwd=cwd, env={"NEWSFLOW_TEST_MARKER": SECRET})
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert SECRET not in done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def test_the_tables_and_views_answer(db: Path) -> None:
    tables = ["articles", "stories", "extractions", "events", "entities", "runs", "rejects", "claims", "events_daily"]
    counts = ", ".join(f"(select count(*) from {name}) as {name}" for name in tables)
    (row,) = query_json(db, f"select {counts}")
    assert (row["articles"], row["stories"], row["runs"], row["rejects"]) == (5, 5, 1, 0)
    assert all(int(str(row[name])) > 0 for name in ("extractions", "events", "entities", "claims", "events_daily"))
    # A temporary table lives in memory, not in a file: it is allowed.
    assert query_json(db, "create temp table t as select 2 as n; select n from t") == [{"n": 2}]


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('{dir}/secret.csv')",
        "select * from read_text('{dir}/secret.csv')",
        "select * from read_blob('/proc/self/environ')",
        "select * from glob('{dir}/*')",
        "select * from '{dir}/secret.csv'",
        "copy (select 1) to '{dir}/out.csv'",
        "copy (select 1) to 'out.csv'",
        "export database '{dir}/export'",
        "attach '{dir}/other.duckdb' as other; select * from other.t",
        "attach '{dir}/other.sqlite' as other; select * from other.t",
        "attach '{dir}/other.sqlite' as other (type sqlite); select * from other.t",
        "create persistent secret s (type s3, key_id 'k', secret 's')",
    ],
)
def test_files_outside_the_database_are_refused(db: Path, outside: Path, sql: str) -> None:
    line = refused(db, sql.format(dir=outside), cwd=outside)
    assert "Permission Error" in line and "newsflow query reaches only its database (--allow-files" in line
    assert sorted(p.name for p in outside.iterdir()) == ["other.duckdb", "other.sqlite", "secret.csv"]


class Counting(QuietHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send(200, f"name,value\nkey,{SECRET}\n".encode())

    do_HEAD = do_GET


@pytest.mark.parametrize("allow_files", [False, True])
def test_the_network_is_refused(db: Path, allow_files: bool) -> None:
    Counting.requests = []
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Counting)) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        args = ["--allow-files"] if allow_files else []
        line = refused(db, f"select * from read_csv('{url}/data.csv')", *args)
        assert "Permission Error" in line and "disabled by configuration" in line
        assert "refused" in refused(db, f"install httpfs from '{url}'", *args)
    assert Counting.requests == []


@pytest.mark.parametrize("sql", ["install httpfs", "force install sqlite_scanner from core", "load httpfs"])
def test_extensions_are_neither_installed_nor_loaded(db: Path, sql: str) -> None:
    assert "INSTALL and LOAD are refused" in refused(db, sql)
    assert "INSTALL and LOAD are refused" in refused(db, sql, "--allow-files")


@pytest.mark.parametrize(
    "sql",
    [
        "set enable_external_access = true",
        "reset enable_external_access",
        "set lock_configuration = false",
        "set autoinstall_known_extensions = true",
        "set allowed_directories = ['/']",
        "set temp_directory = '/tmp'",
        "call enable_logging(storage = 'file', storage_config = {'path': '/tmp'})",
    ],
)
def test_the_settings_cannot_be_changed_back(db: Path, sql: str) -> None:
    assert "the configuration has been locked" in refused(db, sql)


def test_a_slow_query_is_stopped_by_the_timeout(db: Path) -> None:
    slow = "select sum(a.range * b.range) from range(1000000) a, range(1000000) b"  # 10^12 rows: an hour here
    started = time.monotonic()
    line = refused(db, slow, "--timeout", "1")
    assert line == "error: the query was stopped after 1 s: give it longer with --timeout SECONDS (0 for no limit)"
    assert time.monotonic() - started < 60


def test_allow_files_lets_a_query_export_and_read_files(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "titles.csv"
    done = newsflow("query", f"copy (select title from articles order by title) to '{out}'", "--db", str(db))
    assert done.returncode == 1 and not out.exists()
    done = newsflow(
        "query", f"copy (select title from articles order by title) to '{out}'", "--db", str(db), "--allow-files"
    )
    assert done.returncode == 0, done.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "title" and len(lines) == 6
    again = newsflow(
        "query", f"select count(*) as n from read_csv('{out}')", "--db", str(db), "-f", "csv", "--allow-files"
    )
    assert again.stdout.splitlines() == ["n", "5"]
    assert "the configuration has been locked" in refused(db, "set enable_external_access = true", "--allow-files")


@pytest.mark.parametrize("sql", ["", "   \n\t", "/* nothing */", "-- only a comment", ";"])
def test_sql_without_a_statement_is_a_usage_error(db: Path, sql: str) -> None:
    done = newsflow("query", "--db", str(db), "--", sql)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no SQL to run: the query is empty or only comments"


@pytest.mark.parametrize("command", [["stats"], ["sources"], ["query", "select count(*) from articles"]])
def test_what_is_not_a_newsflow_database_is_one_line(command: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    lite = tmp_path / "other.sqlite"
    with sqlite3.connect(lite) as con:
        con.execute("create table articles (a)")
    bare = tmp_path / "bare.duckdb"
    with duckdb.connect(str(bare)) as con:
        con.execute("create table stories (a int)")
    expected = {
        folder: f"error: {folder} is not a newsflow database (a folder)",
        text: f"error: {text} is not a newsflow database (not a DuckDB file)",
        lite: f"error: {lite} is not a newsflow database (not a DuckDB file)",
        bare: f"error: {bare} is not a newsflow database (no table articles)",
    }
    for path, message in expected.items():
        done: subprocess.CompletedProcess[str] = newsflow(*command, "--db", str(path))
        assert (done.returncode, done.stderr.strip()) == (1, message), done.stderr
