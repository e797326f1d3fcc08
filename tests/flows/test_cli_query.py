"""`newsflow query` and `newsflow sources` output, run as a user types them, in a subprocess.

One `newsflow run` of two seed articles, given on the command line, makes the database every test
here reads.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import termios
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, SEEDS
from tests.flows.commands import NEWSFLOW, newsflow, query_json

TITLES = [
    "Pentagon: 10,000 soldiers from North Korea in Russia",
    "Selenskyj: Need weapons against North Korean soldiers",
]
ORDERED = "select title, word_count from articles order by title"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("query")
    inbox = folder / "inbox"
    inbox.mkdir()
    for seed in ("000_66649ecd6d3310b0.txt", "002_25f37b80fda35444.txt"):
        shutil.copy(SEEDS / seed, inbox / seed)
    path = folder / "news.duckdb"
    done = newsflow("run", str(inbox), "--db", str(path), "--extractor", "none")
    assert done.returncode == 0, done.stderr
    return path


def run_bytes(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`newsflow ARGS` with bytes in and out: for standard input and Parquet on standard output."""
    return subprocess.run(
        [str(NEWSFLOW), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        timeout=600,
        check=False,
    )


def test_every_format_on_standard_output(db: Path) -> None:
    word_counts = [int(str(r["word_count"])) for r in query_json(db, ORDERED)]
    assert [r["title"] for r in query_json(db, ORDERED)] == TITLES

    table = newsflow("query", ORDERED, "--db", str(db))
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[-1] == "2 rows" and all(title in table.stdout for title in TITLES)

    csv_out = newsflow("query", ORDERED, "--db", str(db), "--format", "csv")
    assert csv_out.stdout.splitlines() == [
        "title,word_count",
        *(f'"{TITLES[0]}",{word_counts[0]}', f"{TITLES[1]},{word_counts[1]}"),
    ]

    markdown = newsflow("query", ORDERED, "--db", str(db), "-f", "markdown")
    assert markdown.stdout.splitlines() == [
        "| title | word_count |",
        "|---|--:|",
        *(f"| {title} | {n} |" for title, n in zip(TITLES, word_counts, strict=True)),
    ]

    lines = newsflow("query", ORDERED, "--db", str(db), "-f", "line")
    assert lines.stdout == "".join(
        f"{'' if i == 0 else chr(10)}     title = {title}\nword_count = {n}\n"
        for i, (title, n) in enumerate(zip(TITLES, word_counts, strict=True))
    )

    # A cursor is SQL type JSON: json output gives it as an object.
    (state,) = query_json(db, "select cursor from source_state")
    assert isinstance(state["cursor"], dict) and len(state["cursor"]["files"]) == 2


def test_parquet_goes_to_a_file_or_through_a_pipe_never_to_a_terminal(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    done = newsflow("query", "select * from articles order by title", "--db", str(db), "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr.strip() == f"wrote 2 rows to {out} (parquet)"
    written = pq.read_table(out)
    assert written.column("title").to_pylist() == TITLES
    assert str(written.schema.field("ingested_at").type) == "timestamp[us, tz=Etc/UTC]"

    piped = run_bytes("query", "select title from articles order by title", "--db", str(db), "-f", "parquet")
    assert piped.returncode == 0, piped.stderr
    (tmp_path / "piped.parquet").write_bytes(piped.stdout)
    assert pq.read_table(tmp_path / "piped.parquet").column("title").to_pylist() == TITLES

    interval = newsflow("query", "select interval 1 day as i", "--db", str(db), "-o", str(tmp_path / "i.parquet"))
    assert interval.returncode == 1 and interval.stderr.startswith("error: Parquet cannot hold column i (INTERVAL)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet", "piped.parquet"]


def test_output_writes_every_row_and_replaces_a_file_only_when_complete(db: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    done = newsflow("query", "select range as n from range(1000)", "--db", str(db), "-o", str(rows))
    assert done.returncode == 0, done.stderr
    assert rows.read_text("utf-8").splitlines() == ["n", *map(str, range(1000))]
    table = tmp_path / "rows.txt"
    newsflow("query", "select range as n from range(1000)", "--db", str(db), "-o", str(table))
    assert table.read_text("utf-8").splitlines()[-1] == "1,000 rows"  # a table to a file holds every row
    as_json = tmp_path / "anything.out"
    newsflow("query", "select 1 as n", "--db", str(db), "-o", str(as_json), "--format", "json")
    assert json.loads(as_json.read_text("utf-8")) == [{"n": 1}]

    failed = newsflow("query", "select * from no_such_table", "--db", str(db), "-o", str(rows))
    assert failed.returncode == 1 and "no_such_table" in failed.stderr
    assert rows.read_text("utf-8").splitlines()[:2] == ["n", "0"]  # the file from before, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anything.out", "rows.csv", "rows.txt"]

    unknown = newsflow("query", "select 1", "--db", str(db), "-o", str(tmp_path / "out.jsonl"))
    assert (unknown.returncode, unknown.stderr.strip()) == (
        2,
        "error: say which format to write out.jsonl in with --format "
        "(.csv, .json, .parquet, .md, .markdown, .txt name one)",
    )
    itself = newsflow("query", "select 1", "--db", str(db), "-f", "csv", "-o", str(db))
    assert (itself.returncode, itself.stderr.strip()) == (
        2,
        f"error: --output {db} is the database itself: name another file",
    )
    assert query_json(db, "select count(*) as n from articles") == [{"n": 2}]


def test_sql_from_a_file_or_standard_input(db: Path, tmp_path: Path) -> None:
    sql = tmp_path / "titles.sql"
    sql.write_text("-- the titles, in order\n" + ORDERED + ";\n", "utf-8")
    from_file = newsflow("query", "--file", str(sql), "--db", str(db), "-f", "json")
    assert [r["title"] for r in json.loads(from_file.stdout)] == TITLES
    for args in (["-"], ["--file", "-"]):
        piped = run_bytes(
            "query", *args, "--db", str(db), "-f", "csv", stdin=b"\xef\xbb\xbfselect count(*) as n from articles"
        )
        assert (piped.returncode, piped.stdout.decode().splitlines()) == (0, ["n", "2"]), piped.stderr

    def error(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
        done = run_bytes("query", *args, "--db", str(db), stdin=stdin)
        return done.returncode, done.stderr.decode().strip()

    assert error("select 1", "--file", str(sql)) == (2, "error: give the SQL as an argument or with --file, not both")
    assert error() == (
        2,
        "error: no SQL given: write it as an argument, give - to read it from standard input, or --file PATH",
    )
    missing = tmp_path / "missing.sql"
    assert error("--file", str(missing)) == (2, f"error: cannot read the SQL from {missing}: No such file or directory")
    assert error("-", stdin=b"select '\xff'") == (2, "error: the SQL in standard input is not UTF-8 text")
    assert error("-", stdin=b"  -- nothing\n") == (2, "error: no SQL to run: the query is empty or only comments")


def test_a_wide_table_leaves_out_the_columns_that_do_not_fit_and_names_them(db: Path) -> None:
    narrow = newsflow("query", "select * from articles order by title", "--db", str(db), env={"COLUMNS": "80"})
    assert narrow.returncode == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines[:-2]) <= 80 and lines[-2] == "2 rows"
    notice = re.fullmatch(
        r"(\d+) of (\d+) columns do not fit in 80 characters and are not shown: (.*) "
        r"\(select fewer columns, or use --format line\)",
        lines[-1],
    )
    assert notice is not None, lines[-1]
    with duckdb.connect(str(db), read_only=True) as con:
        n_columns = len(con.execute("select * from articles limit 0").description)
    left_out = notice.group(3).split(", ")
    assert int(notice.group(2)) == n_columns
    assert int(notice.group(1)) == len(left_out) and "text" in left_out and "article_id" not in left_out
    header = lines[1]
    assert all(name not in header.split() for name in left_out) and "article_id" in header

    # Not on a terminal and no $COLUMNS: every column, for a pager such as `less -S`.
    wide = newsflow("query", "select * from articles order by title", "--db", str(db), env={"COLUMNS": ""})
    assert wide.stdout.splitlines()[-1] == "2 rows" and all(name in wide.stdout for name in left_out)


def test_a_long_table_shows_its_first_and_last_rows(db: Path) -> None:
    done = newsflow("query", "select range as n from range(1000)", "--db", str(db))
    cells = [line.strip("│ ") for line in done.stdout.splitlines() if line.startswith("│")]
    assert cells == [*map(str, range(20)), "…", *map(str, range(980, 1000))]
    assert done.stdout.splitlines()[-1] == "1,000 rows (40 shown: the first 20 and the last 20; --max-rows 0 shows all)"
    every = newsflow("query", "select range as n from range(1000)", "--db", str(db), "--max-rows", "0")
    assert every.stdout.splitlines()[-1] == "1,000 rows" and "│ 500 │" in every.stdout


def test_on_a_terminal_the_table_fits_it_and_parquet_is_refused(db: Path) -> None:
    def on_terminal(*args: str) -> tuple[int, str]:
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 64, 0, 0))
        env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
        process = subprocess.Popen(
            [str(NEWSFLOW), *args, "--db", str(db)], cwd=ROOT, env=env, stdout=follower, stderr=follower
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        code = process.wait(timeout=600)
        return code, re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode())  # without colours

    code, shown = on_terminal("query", "select * from articles order by title")
    assert code == 0
    lines = shown.splitlines()
    assert max(len(line) for line in lines if line.startswith(("┏", "│", "└"))) <= 64
    assert "columns do not fit in 64 characters" in shown
    code, shown = on_terminal("query", "select 1", "-f", "parquet")
    assert code == 2 and "error: Parquet is binary: write it to a file with --output FILE" in shown


def test_a_reader_that_stops_early_ends_the_command_quietly(db: Path) -> None:
    process = subprocess.Popen(
        [str(NEWSFLOW), "query", "select range as n from range(10000000)", "--db", str(db), "-f", "csv"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"n\r\n"  # CSV lines end in CR LF (RFC 4180)
    process.stdout.close()
    code = process.wait(timeout=600)
    assert (code, process.stderr.read()) == (0, b"")


def test_sources_lists_every_cursor_in_the_database(db: Path, tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    config = tmp_path / "newsflow.toml"
    config.write_text(f'[[sources]]\nname = "archive"\nkind = "files"\npath = "{tmp_path / "archive"}"\n', "utf-8")
    listed = newsflow("sources", "--config", str(config), "--db", str(db), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    archive, given = json.loads(listed.stdout)
    assert archive == {
        "name": "archive",
        "kind": "files",
        "source": str((tmp_path / "archive").resolve()),
        "options": {"path": str(tmp_path / "archive")},
        "cursor": None,
        "updated_at": None,
    }
    inbox = (db.parent / "inbox").resolve()
    assert (given["name"], given["kind"], given["source"], given["options"]) == (None, "files", str(inbox), None)
    assert sorted(given["cursor"]["files"]) == ["000_66649ecd6d3310b0.txt", "002_25f37b80fda35444.txt"]
    assert given["updated_at"] is not None

    table = newsflow("sources", "--config", str(config), "--db", str(db), env={"COLUMNS": ""})
    assert table.returncode == 0, table.stderr
    rows = [line for line in table.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 2 and "never run" in rows[0] and str(inbox) in rows[1] and '{"files": ' in rows[1]


def test_version_and_help() -> None:
    done = newsflow("--version")
    assert done.returncode == 0
    assert re.fullmatch(r"newsflow \d+\.\d+\.\d+\S* \(Python 3\.\d+\.\d+, DuckDB \S+, Prefect \S+\)\n", done.stdout)
    helped = newsflow("query", "--help", env={"COLUMNS": "200"})
    assert "table, csv, json, parquet, markdown or line" in helped.stdout and "--output" in helped.stdout
    assert "--file" in helped.stdout and "--max-rows" in helped.stdout
