"""A real `newsflow run` killed with SIGKILL mid-run: `newsflow stats` and the next run mark it
`interrupted`; while it lives, neither does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from flows.cli import _mark_dead, _show_interrupted
from store import QueryResult, finish_run, reader, start_run
from tests.flows.commands import NEWSFLOW, newsflow, query_json
from tests.store.test_db import hold

N_ARTICLES = 2000
# A run of 1,000 commits, each with its task run: tens of seconds on any machine, far longer than
# the checks made while it lives (a run of 200 commits ended before them on a quiet machine).
SMALL_BATCHES = ("--batch-size", "2", "--workers", "1", "--extractor", "none")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_corpus(folder, n_articles=N_ARTICLES, words=80, duplicate_share=0.0)
    return folder


@pytest.fixture
def running(corpus: Path, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`newsflow run` on the corpus in small batches, in a session of its own (its Prefect server too)."""
    process = subprocess.Popen(
        [str(NEWSFLOW), "run", str(corpus), "--db", str(tmp_path / "news.duckdb"), *SMALL_BATCHES],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def first_batch(db: Path, process: subprocess.Popen[bytes]) -> tuple[str, int]:
    """Wait until the run has committed a batch; return its run id and pid."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be killed"
        if db.exists():
            with reader(db, wait=60) as con:
                rows = con.execute("select run_id, pid from runs where status = 'running' and n_seen > 0").fetchall()
            if rows:
                [(run_id, pid)] = rows
                return str(run_id), int(pid)
        time.sleep(0.2)
    raise AssertionError("no batch committed in 300 s")


def status_in_stats(output: str, run_id: str) -> str:
    [line] = [line for line in output.splitlines() if run_id in line]
    return line.split("│")[3].strip()


def test_a_killed_run_is_marked_interrupted_by_stats_and_by_the_next_run(
    tmp_path: Path, corpus: Path, running: subprocess.Popen[bytes]
) -> None:
    db = tmp_path / "news.duckdb"
    run_id, pid = first_batch(db, running)
    assert pid == running.pid

    # While it lives, neither `stats` nor a run starting beside it marks it.
    alive = newsflow("stats", "--db", str(db), "--runs", "10")
    assert alive.returncode == 0, alive.stderr
    assert status_in_stats(alive.stdout, run_id) == "running"
    assert "interrupted" not in alive.stdout
    assert start_run(db, "beside", flow_run_id=None, sources=[]) == []
    finish_run(db, "beside", status="completed")
    assert running.poll() is None, "the run ended before it could be killed: make the corpus larger"

    os.killpg(running.pid, signal.SIGKILL)
    running.wait()
    copy = tmp_path / "copy.duckdb"  # the same killed state, for the next run to find
    for suffix in ("", ".wal"):
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", f"{copy}{suffix}")

    stats = newsflow("stats", "--db", str(db), "--runs", "10")
    assert stats.returncode == 0, stats.stderr
    assert status_in_stats(stats.stdout, run_id) == "interrupted"
    assert "marked 1 run(s) interrupted" in stats.stdout
    [row] = query_json(db, f"select status, found_dead_at, error from runs where run_id = '{run_id}'")
    assert row["status"] == "interrupted" and row["found_dead_at"] is not None
    assert f"process {pid} on " in str(row["error"])
    again = newsflow("stats", "--db", str(db), "--runs", "10")
    assert status_in_stats(again.stdout, run_id) == "interrupted" and "run(s) interrupted" not in again.stdout

    # The next run marks it too, and reads what the killed run had not committed.
    nxt = newsflow("run", str(corpus), "--db", str(copy), "--workers", "1", "--extractor", "none")
    assert nxt.returncode == 0, nxt.stderr
    runs = query_json(copy, "select run_id, status, n_seen from runs where run_id <> 'beside' order by started_at")
    assert [(r["run_id"] == run_id, r["status"]) for r in runs] == [(True, "interrupted"), (False, "completed")]
    assert sum(int(str(r["n_seen"])) for r in runs) == N_ARTICLES
    assert query_json(copy, "select count(*) as n from articles") == [{"n": N_ARTICLES}]


def test_stats_shows_a_dead_run_it_cannot_record_yet_as_interrupted_with_a_question_mark(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    recorded = "import sys; from store import start_run; start_run(sys.argv[1], 'gone', flow_run_id=None, sources=[])"
    subprocess.run([sys.executable, "-c", recorded, str(db)], check=True)  # its process has exited since
    holder = hold(db, 30)  # a writer holds the file when `stats` would record it
    try:
        assert _mark_dead(db) == []
    finally:
        holder.kill()
        holder.wait()
    recent = QueryResult(["run_id", "flow", "status"], [("gone", "ingest", "running"), ("done", "ingest", "completed")])
    assert _show_interrupted(recent, [], ["gone"]).rows == [
        ("gone", "ingest", "interrupted?"),
        ("done", "ingest", "completed"),
    ]
    assert query_json(db, "select status from runs") == [{"status": "running"}]
    assert _mark_dead(db) == ["gone"]
    assert _show_interrupted(recent, ["gone"], []).rows[0] == ("gone", "ingest", "interrupted")
