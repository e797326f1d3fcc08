"""The local Prefect server newsflow commands share, driven as a user drives it: `newsflow run`,
`newsflow server start|status|stop`, in subprocesses, each test with a PREFECT_HOME of its own
(its server stopped when the test ends)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from flows.local_server import APP, STATE_FILE, ServerState, read_state, stop_server
from tests.conftest import SEEDS, SESSION_PREFECT_HOME
from tests.flows.commands import NEWSFLOW, newsflow


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A PREFECT_HOME of the test's own; whatever server it gets is stopped after."""
    folder = tmp_path / "prefect"
    try:
        yield folder
    finally:
        stop_server(folder)


def servers_of(home: Path) -> list[psutil.Process]:
    """The Prefect server processes started with `home` as PREFECT_HOME."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if APP in (process.info["cmdline"] or []) and process.environ().get("PREFECT_HOME") == str(home):
                found.append(process)
        except psutil.Error:
            continue
    return found


def one_seed(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_bytes((SEEDS / "002_25f37b80fda35444.txt").read_bytes())
    return folder


def test_a_second_run_reuses_the_server_and_server_stop_stops_it(tmp_path: Path, home: Path) -> None:
    env = {"PREFECT_HOME": str(home)}
    news = one_seed(tmp_path)
    first = newsflow("run", str(news), "--db", str(tmp_path / "a.duckdb"), "--extractor", "none", env=env)
    assert first.returncode == 0, first.stderr
    assert "s of it starting the local Prefect server)" in first.stdout
    assert "starting a local Prefect server at http://127.0.0.1:" in first.stderr
    state = read_state(home)
    assert state is not None and state.status == "ready" and state.home == str(home)
    assert [p.pid for p in servers_of(home)] == [state.pid]
    assert (home / "prefect.db").is_file()  # the server's database is under this PREFECT_HOME

    second = newsflow("run", str(news), "--db", str(tmp_path / "b.duckdb"), "--extractor", "none", env=env)
    assert second.returncode == 0, second.stderr
    assert "1 seen, 1 new" in second.stdout and "starting" not in second.stdout + second.stderr
    again = read_state(home)
    assert again is not None and (again.pid, again.port) == (state.pid, state.port)

    # The command ends without Python's finalisation: its last logs and events still reach the server.
    api = f"http://127.0.0.1:{state.port}/api"
    [run] = httpx.post(f"{api}/flow_runs/filter", json={"sort": "EXPECTED_START_TIME_DESC", "limit": 1}).json()
    assert run["state_type"] == "COMPLETED"
    tasks = httpx.post(f"{api}/task_runs/filter", json={"flow_runs": {"id": {"any_": [run["id"]]}}}).json()
    assert sorted(t["state_type"] for t in tasks) == ["COMPLETED", "COMPLETED"]  # parse, append
    logs = httpx.post(f"{api}/logs/filter", json={"logs": {"flow_run_id": {"any_": [run["id"]]}}}).json()
    assert logs[-1]["message"] == "Finished in state Completed()"

    status = newsflow("server", "status", env=env)
    assert status.returncode == 0 and f"pid: {state.pid}" in status.stdout and "answering: yes" in status.stdout

    stopped = newsflow("server", "stop", env=env)
    assert stopped.returncode == 0, stopped.stderr
    address = f"http://127.0.0.1:{state.port}"
    assert stopped.stdout.strip() == f"stopped the local Prefect server at {address} (pid {state.pid})"
    assert not psutil.pid_exists(state.pid) or psutil.Process(state.pid).status() == psutil.STATUS_ZOMBIE
    assert not (home / STATE_FILE).exists() and servers_of(home) == []

    assert newsflow("server", "status", env=env).returncode == 1
    nothing = newsflow("server", "stop", env=env)
    assert nothing.returncode == 0 and "no local Prefect server is running" in nothing.stdout

    # Its runs were kept: a new server on the same database knows the flow runs of both.
    restarted = newsflow("server", "start", env=env)
    assert restarted.returncode == 0 and "started in" in restarted.stdout, restarted.stderr
    port = json.loads((home / STATE_FILE).read_text("utf-8"))["port"]
    runs = httpx.post(f"http://127.0.0.1:{port}/api/flow_runs/count", json={}, timeout=30).json()
    assert runs == 2


def test_commands_started_together_start_one_server(tmp_path: Path, home: Path) -> None:
    news = one_seed(tmp_path)
    env = {**os.environ, "PREFECT_HOME": str(home)}
    commands = [
        subprocess.Popen(
            [str(NEWSFLOW), "run", str(news), "--db", str(tmp_path / f"{n}.duckdb"), "--extractor", "none"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    outputs = [command.communicate(timeout=600) for command in commands]
    assert [command.returncode for command in commands] == [0, 0, 0], outputs
    assert sum("of it starting the local Prefect server" in out for out, _ in outputs) == 1
    state = read_state(home)
    assert state is not None and [p.pid for p in servers_of(home)] == [state.pid]


def test_a_server_of_another_home_or_a_dead_one_is_not_reused(tmp_path: Path, home: Path) -> None:
    # The session's server (another PREFECT_HOME) answers on its port: a state file here naming it
    # is not this home's server, so it is neither reused nor stopped.
    assert newsflow("server", "start").returncode == 0
    theirs = read_state(SESSION_PREFECT_HOME)
    assert theirs is not None
    home.mkdir()
    forged = ServerState(theirs.pid, theirs.port, str(home), theirs.prefect, "ready", time.time())
    (home / STATE_FILE).write_text(json.dumps(forged.__dict__), "utf-8")
    done = newsflow("server", "start", env={"PREFECT_HOME": str(home)})
    assert done.returncode == 0 and "started in" in done.stdout, done.stderr
    ours = read_state(home)
    assert ours is not None and ours.port != theirs.port and ours.pid != theirs.pid
    assert psutil.pid_exists(theirs.pid) and newsflow("server", "status").returncode == 0

    # A state whose process is gone: a new server starts in its place.
    stop_server(home)
    gone = ServerState(99_999_999, 9, str(home), ours.prefect, "ready", time.time())
    (home / STATE_FILE).write_text(json.dumps(gone.__dict__), "utf-8")
    again = newsflow("server", "start", env={"PREFECT_HOME": str(home)})
    assert again.returncode == 0 and "started in" in again.stdout, again.stderr
    fresh = read_state(home)
    assert fresh is not None and fresh.status == "ready" and [p.pid for p in servers_of(home)] == [fresh.pid]


def test_a_server_that_cannot_start_is_not_left_behind(tmp_path: Path, home: Path) -> None:
    # Its database cannot be created: the server exits while starting.
    env = {"PREFECT_HOME": str(home), "PREFECT_API_DATABASE_CONNECTION_URL": "sqlite+aiosqlite:////proc/no/prefect.db"}
    done = newsflow("run", str(one_seed(tmp_path)), "--db", str(tmp_path / "a.duckdb"), "-q", env=env)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: the local Prefect server stopped while starting; its output is in {home / 'newsflow-server.log'}"
    ]
    assert not (home / STATE_FILE).exists() and servers_of(home) == []
    assert not (tmp_path / "a.duckdb").exists()


def test_a_server_whose_starter_was_killed_is_taken_over(tmp_path: Path, home: Path) -> None:
    env = {**os.environ, "PREFECT_HOME": str(home)}
    starter = subprocess.Popen(
        [str(NEWSFLOW), "server", "start"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while (state := read_state(home)) is None:
        assert time.monotonic() < deadline and starter.poll() is None
        time.sleep(0.02)
    assert state.status == "starting"
    starter.send_signal(signal.SIGKILL)
    starter.wait()
    assert [p.pid for p in servers_of(home)] == [state.pid]  # still coming up, with nobody waiting on it

    done = newsflow("server", "start", env={"PREFECT_HOME": str(home)})
    assert done.returncode == 0 and "already running" in done.stdout, done.stderr
    taken = read_state(home)
    assert taken is not None and (taken.pid, taken.status) == (state.pid, "ready")
    assert [p.pid for p in servers_of(home)] == [state.pid]
