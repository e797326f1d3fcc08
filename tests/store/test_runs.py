"""Tests of store/runs.py on real DuckDB files and real processes: runs that died are found and
marked `interrupted`, live ones never are."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from dedup import identify
from schemas import Batch, DatabaseBusyError, ParsedArticle, migrations
from store import Heartbeat, append_batch, dead_runs, finish_run, mark_dead_runs, query, start_run, writer
from store.runs import LEASE_SECONDS, ProcessIdentity, RunningRun, is_alive, process_key, renew_run, this_process
from tests.store.test_db import hold

# Starts a run in its own process and then waits, as a run between two batches does.
RUNNER = textwrap.dedent(
    """
    import sys, time
    from store import start_run
    start_run(sys.argv[1], sys.argv[2], flow_run_id=None, sources=["s"])
    print("started", flush=True)
    time.sleep(120)
    """
)


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A process that recorded the run `other` in tmp_path/n.duckdb and is still alive."""
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(tmp_path / "n.duckdb"), "other"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "started"
    yield process
    process.kill()
    process.wait()


def statuses(db: Path) -> dict[str, str]:
    return dict(query(db, "select run_id, status from runs").rows)


def test_a_run_records_the_process_that_runs_it(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    before = datetime.now(UTC)
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    [(host, pid, key, beat)] = query(db, "select host, pid, process_key, heartbeat_at from runs").rows
    me = this_process()
    assert (host, pid, key) == (me.host, os.getpid(), me.key)
    assert beat >= before


def test_a_killed_run_is_marked_interrupted_by_the_next_run(tmp_path: Path, runner: subprocess.Popen[str]) -> None:
    db = tmp_path / "n.duckdb"
    assert start_run(db, "alive-check", flow_run_id=None, sources=["s"]) == []  # its process lives
    finish_run(db, "alive-check", status="completed")
    assert statuses(db)["other"] == "running"

    runner.send_signal(signal.SIGKILL)
    runner.wait()
    found = datetime.now(UTC)
    assert start_run(db, "next", flow_run_id=None, sources=["s"]) == ["other"]
    [(status, found_dead_at, finished_at, error)] = query(
        db, "select status, found_dead_at, finished_at, error from runs where run_id = 'other'"
    ).rows
    assert status == "interrupted"
    assert found_dead_at >= found
    assert finished_at is None
    assert f"process {runner.pid} on {this_process().host} is gone" in error
    assert statuses(db)["next"] == "running"  # the run that found it is not itself judged


def test_a_zombie_counts_as_dead(tmp_path: Path, runner: subprocess.Popen[str]) -> None:
    db = tmp_path / "n.duckdb"
    os.kill(runner.pid, signal.SIGKILL)  # not reaped yet: its /proc entry is left, state Z
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while "Z" not in Path(f"/proc/{runner.pid}/stat").read_text().rsplit(")", 1)[1][:3]:
        assert datetime.now(UTC) < deadline
    assert mark_dead_runs(db, wait=5) == ["other"]


def run_of(host: str | None, pid: int | None, key: str | None, silent_for: float) -> RunningRun:
    return RunningRun("r", host, pid, key, datetime.now(UTC) - timedelta(seconds=silent_for))


def test_a_pid_taken_by_another_process_is_not_the_run() -> None:
    me = this_process()
    assert me.key is not None, "this test needs /proc"
    machine, _, started = me.key.rpartition("/")
    reused = f"{machine}/{int(started) - 1}"  # our pid, but a process started earlier than us
    assert is_alive(run_of(me.host, os.getpid(), me.key, 0), me, datetime.now(UTC))
    assert not is_alive(run_of(me.host, os.getpid(), reused, 0), me, datetime.now(UTC))


def test_a_run_on_another_machine_is_judged_by_its_heartbeat_not_its_pid() -> None:
    me = this_process()
    now = datetime.now(UTC)
    gone = 2**22 + 12345  # above pid_max: no process here has it
    # A live pid here says nothing about another machine; a pid missing here says nothing either.
    assert not is_alive(run_of("elsewhere", os.getpid(), me.key, LEASE_SECONDS + 60), me, now)
    assert is_alive(run_of("elsewhere", gone, "other-machine/1", 60), me, now)
    # Same host name, another boot or pid namespace (a container, a reboot): the heartbeat decides too.
    assert is_alive(run_of(me.host, gone, "another-boot:pid:[1]/1", 60), me, now)
    assert not is_alive(run_of(me.host, gone, "another-boot:pid:[1]/1", LEASE_SECONDS + 60), me, now)


def test_without_proc_the_pid_alone_decides_on_the_same_host() -> None:
    me = ProcessIdentity(this_process().host, os.getpid(), None)
    now = datetime.now(UTC)
    assert is_alive(run_of(me.host, os.getpid(), None, LEASE_SECONDS + 60), me, now)
    assert not is_alive(run_of(me.host, 2**22 + 12345, None, 0), me, now)


def old_database(db: Path) -> None:
    """A file at schema version 6, before runs recorded their process, with one run left `running`
    an hour ago and one that wrote a reject a minute ago."""
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)"
        )
        for migration in migrations()[:6]:
            con.execute(migration.sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [migration.version, migration.name])
        con.execute(
            "INSERT INTO runs (run_id, started_at, status) VALUES "
            "('stuck', now() - INTERVAL 1 HOUR, 'running'), ('busy', now() - INTERVAL 1 HOUR, 'running')"
        )
        con.execute(
            'INSERT INTO rejects (run_id, source, uri, reason, "at") '
            "VALUES ('busy', 's', 'u', 'empty', now() - INTERVAL 1 MINUTE)"
        )


def test_runs_from_before_the_migration_are_judged_by_their_last_write(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    old_database(db)
    with duckdb.connect(str(db), read_only=True) as con:  # as `stats` reads a file not yet migrated
        assert [run.run_id for run in dead_runs(con)] == ["stuck"]
    assert start_run(db, "new", flow_run_id=None, sources=["s"]) == ["stuck"]
    assert statuses(db) == {"stuck": "interrupted", "busy": "running", "new": "running"}
    [(error,)] = query(db, "select error from runs where run_id = 'stuck'").rows
    assert error.startswith("interrupted: it recorded no process and wrote nothing after")


def test_marking_waits_a_bounded_time_for_the_file(tmp_path: Path, runner: subprocess.Popen[str]) -> None:
    db = tmp_path / "n.duckdb"
    runner.kill()
    runner.wait()
    holder = hold(db, 30)
    try:
        with pytest.raises(DatabaseBusyError, match=r"within 0.5 s: process \d+ \(python.*\) held it the whole time"):
            mark_dead_runs(db, wait=0.5)
    finally:
        holder.kill()
        holder.wait()
    assert statuses(db) == {"other": "running"}
    assert mark_dead_runs(db, wait=5) == ["other"]


def test_the_heartbeat_renews_the_run_and_revives_one_marked_while_alive(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    with writer(db) as con:  # as a machine that could not see this one for a whole lease would mark it
        con.execute(
            "UPDATE runs SET status = 'interrupted', found_dead_at = now(), error = 'interrupted: no sign of life', "
            "heartbeat_at = now() - INTERVAL 1 HOUR"
        )
    renew_run(db, "r1")
    [(status, found, error, beat)] = query(db, "select status, found_dead_at, error, heartbeat_at from runs").rows
    assert (status, found, error) == ("running", None, None)
    assert datetime.now(UTC) - beat < timedelta(minutes=1)


def articles(n: int, tag: str) -> list[ParsedArticle]:
    return [
        ParsedArticle(source="s", uri=f"file:///{tag}{i}.txt", title=f"t{i}", text=f"text {tag} {i}", word_count=3)
        for i in range(n)
    ]


def test_heartbeats_and_batches_of_one_process_never_conflict(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    problems: list[str] = []
    beat = Heartbeat(db, "r1", every=0.005, log=problems.append).start()
    try:
        for i in range(30):
            append_batch(db, Batch(run_id="r1", source="s", articles=identify(articles(5, f"b{i}-")), n_seen=5))
    finally:
        beat.stop()
    assert problems == []
    assert query(db, "select n_seen, n_new from runs").rows == [(150, 150)]
    [(beat_at,)] = query(db, "select heartbeat_at from runs").rows
    [(started_at,)] = query(db, "select started_at from runs").rows
    assert beat_at > started_at


def test_a_heartbeat_that_cannot_get_the_file_is_skipped_not_fatal(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "r1", flow_run_id=None, sources=["s"])
    problems: list[str] = []
    skipped = threading.Event()

    def log(message: str) -> None:
        problems.append(message)
        skipped.set()

    holder = hold(db, 30)
    beat = Heartbeat(db, "r1", every=0.1, log=log).start()
    try:
        assert skipped.wait(20)
    finally:
        beat.stop()
        holder.kill()
        holder.wait()
    assert "heartbeat of run r1 skipped: DatabaseBusyError" in problems[0]


def test_the_key_of_a_process_that_is_gone_is_none(runner: subprocess.Popen[str]) -> None:
    assert process_key(runner.pid) is not None
    runner.kill()
    runner.wait()
    assert process_key(runner.pid) is None
