"""Rows of the `runs` table: a run started, kept alive by a heartbeat, finished, or found dead.

A run records the process that runs it (host name, pid, and on Linux a key of the machine's
boot, the pid namespace and the process's start time) and renews `heartbeat_at` while it lives.
A `running` row is judged dead when

- it was recorded on this machine (same host name, boot and pid namespace) and its process is
  gone, a zombie, or its pid now belongs to a process started at another time; or
- it cannot be checked that way (another machine, another container, no /proc here, a row from
  before runs recorded their process) and it has given no sign of life for `LEASE_SECONDS`.

A run on another machine is never judged by its pid: the same number there says nothing here.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import duckdb

from store.db import writer
from store.turns import Holder

__all__ = [
    "HEARTBEAT_SECONDS",
    "LEASE_SECONDS",
    "Heartbeat",
    "ProcessIdentity",
    "RunningRun",
    "dead_runs",
    "finish_run",
    "is_alive",
    "mark_dead_runs",
    "process_key",
    "renew_run",
    "running_runs",
    "start_run",
    "this_process",
]

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0
"""How often a running run renews `heartbeat_at`."""
LEASE_SECONDS = 600.0
"""How long a run that cannot be checked by its process may stay silent before it counts as dead:
twenty missed heartbeats, so a busy database or a long batch never makes a live run look dead."""
_RENEW_WAIT = 5.0  # seconds a heartbeat waits for the file; a missed beat is made up by the next


@dataclass(frozen=True)
class ProcessIdentity:
    """Where a process runs: host name, pid, and (on Linux) `machine/start time`, None elsewhere."""

    host: str
    pid: int
    key: str | None

    @property
    def machine(self) -> str | None:
        """The part of `key` that names the machine's boot and pid namespace."""
        return None if self.key is None else self.key.rsplit("/", 1)[0]


@dataclass(frozen=True)
class RunningRun:
    """A `runs` row whose status is `running`, with what tells whether its process lives.

    `last_seen` is the heartbeat; for a row from before runs recorded one, its last write
    (the latest article, reject or extraction it added, else its start).
    """

    run_id: str
    host: str | None
    pid: int | None
    process_key: str | None
    last_seen: datetime


@cache
def _machine() -> str | None:
    """This machine's boot id and this process's pid namespace, or None without /proc."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return None
    return f"{boot}:{namespace}"


def _stat(pid: int) -> tuple[str, str] | None:
    """The state letter and start time (clock ticks since boot) of process `pid`, None when there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii", errors="replace")
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()  # the name in parentheses may hold spaces
    return (fields[0], fields[19]) if len(fields) > 19 else None


def process_key(pid: int) -> str | None:
    """The key of the process that has `pid` on this machine now (`machine/start time`), or None
    when there is no such process or this machine has no /proc to tell."""
    machine = _machine()
    stat = _stat(pid)
    if machine is None or stat is None:
        return None
    return f"{machine}/{stat[1]}"


def this_process() -> ProcessIdentity:
    """This process's identity, as a run records it."""
    pid = os.getpid()
    return ProcessIdentity(socket.gethostname(), pid, process_key(pid))


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_alive(run: RunningRun, me: ProcessIdentity, now: datetime, lease: float = LEASE_SECONDS) -> bool:
    """Whether the process of a `running` row may still be running, as seen from process `me`.

    On the machine that recorded it the process is checked; anywhere else (or for a row that
    recorded no process) only the heartbeat counts: silent for more than `lease` seconds is dead.
    """
    if run.host == me.host and run.pid is not None:
        if run.process_key is not None and me.machine is not None:
            machine, _, started = run.process_key.rpartition("/")
            if machine == me.machine:
                stat = _stat(run.pid)
                return stat is not None and stat[0] not in {"Z", "X"} and stat[1] == started
        elif run.process_key is None and me.machine is None:  # no /proc here or there: the pid alone
            return _pid_exists(run.pid)
    return now - run.last_seen <= timedelta(seconds=lease)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?", [table]
    ).fetchall()
    return {str(row[0]) for row in rows}


def _last_write(con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime) -> datetime:
    """The latest row a run added (article, reject, extraction), for rows that record no heartbeat."""
    latest = started_at
    for table, column in (("articles", "ingested_at"), ("rejects", '"at"'), ("extractions", "extracted_at")):
        if not _columns(con, table):
            continue
        (row,) = con.execute(f"SELECT max({column}) FROM {table} WHERE run_id = ?", [run_id]).fetchall()
        if row[0] is not None and row[0] > latest:
            latest = row[0]
    return latest


def running_runs(con: duckdb.DuckDBPyConnection) -> list[RunningRun]:
    """The rows of `runs` whose status is `running`, on a connection that may be read-only and may
    be of a file not yet migrated to the columns that record a run's process."""
    if "pid" not in _columns(con, "runs"):
        rows = con.execute("SELECT run_id, started_at FROM runs WHERE status = 'running'").fetchall()
        return [RunningRun(run_id, None, None, None, _last_write(con, run_id, started)) for run_id, started in rows]
    found = con.execute(
        "SELECT run_id, host, pid, process_key, started_at, heartbeat_at FROM runs WHERE status = 'running'"
    ).fetchall()
    return [
        RunningRun(run_id, host, pid, key, beat if beat is not None else _last_write(con, run_id, started))
        for run_id, host, pid, key, started, beat in found
    ]


def dead_runs(
    con: duckdb.DuckDBPyConnection,
    now: datetime | None = None,
    me: ProcessIdentity | None = None,
    lease: float = LEASE_SECONDS,
) -> list[RunningRun]:
    """The `running` rows whose process is dead (see `is_alive`)."""
    now = now or datetime.now(UTC)
    me = me or this_process()
    return [run for run in running_runs(con) if not is_alive(run, me, now, lease)]


def _describe(run: RunningRun, me: ProcessIdentity) -> str:
    if run.host is None:
        return f"interrupted: it recorded no process and wrote nothing after {run.last_seen:%Y-%m-%d %H:%M:%S} UTC"
    if run.host == me.host:
        return f"interrupted: its process {run.pid} on {run.host} is gone"
    return (
        f"interrupted: no sign of life from process {run.pid} on {run.host} "
        f"after {run.last_seen.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
    )


def _mark(con: duckdb.DuckDBPyConnection, now: datetime, me: ProcessIdentity, lease: float) -> list[str]:
    """Mark the dead `running` rows `interrupted`, on a migrated connection; return their run ids."""
    dead = dead_runs(con, now, me, lease)
    for run in dead:
        con.execute(
            "UPDATE runs SET status = 'interrupted', found_dead_at = ?, error = coalesce(error, ?) "
            "WHERE run_id = ? AND status = 'running'",
            [now, _describe(run, me), run.run_id],
        )
    return [run.run_id for run in dead]


def mark_dead_runs(path: str | Path, *, wait: float, lease: float = LEASE_SECONDS) -> list[str]:
    """Mark every dead `running` run of the database `interrupted`; return their run ids.

    Takes the write lock, waiting at most `wait` seconds for it (the file is migrated first, as
    by any writer).

    Raises:
        DatabaseBusyError: another process held the file for longer than `wait`.
    """
    with writer(path, wait=wait, holder=Holder(None, "marking runs that died")) as con:
        return _mark(con, datetime.now(UTC), this_process(), lease)


def start_run(
    path: str | Path,
    run_id: str,
    *,
    flow_run_id: str | None,
    sources: Sequence[str],
    flow: str = "ingest",
    extractor: str | None = None,
) -> list[str]:
    """Record a run as started by this process, after marking the runs found dead `interrupted`.

    `flow` is `ingest` or `extract`; `extractor` the `name@version` that codes its events, if any.
    The counts grow with each committed batch; `Heartbeat` keeps the row alive meanwhile.

    Returns:
        The run ids this call found dead and marked `interrupted`.
    """
    me = this_process()
    now = datetime.now(UTC)
    with writer(path, holder=Holder(run_id, "recording its start")) as con:
        marked = _mark(con, now, me, LEASE_SECONDS)
        con.execute(
            "INSERT INTO runs (run_id, flow_run_id, started_at, status, sources, flow, extractor, host, pid, "
            "process_key, heartbeat_at) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)",
            [run_id, flow_run_id, now, list(sources), flow, extractor, me.host, me.pid, me.key, now],
        )
    return marked


def renew_run(path: str | Path, run_id: str, *, wait: float = _RENEW_WAIT) -> None:
    """Renew a run's heartbeat. A run marked `interrupted` while it was alive (its heartbeat could not
    get to the file for a whole lease) is `running` again: it has just shown it lives."""
    now = datetime.now(UTC)
    with writer(path, wait=wait, holder=Holder(run_id, "its heartbeat")) as con:
        con.execute(
            "UPDATE runs SET status = 'running', found_dead_at = NULL, error = NULL "
            "WHERE run_id = ? AND status = 'interrupted'",
            [run_id],
        )
        con.execute("UPDATE runs SET heartbeat_at = ? WHERE run_id = ?", [now, run_id])


def finish_run(path: str | Path, run_id: str, *, status: str, error: str | None = None) -> None:
    """Record how a run ended: `completed` or `failed`, with the error that ended it."""
    now = datetime.now(UTC)
    with writer(path, holder=Holder(run_id, "recording its end")) as con:
        con.execute(
            "UPDATE runs SET status = ?, finished_at = ?, error = ?, heartbeat_at = ?, found_dead_at = NULL "
            "WHERE run_id = ?",
            [status, now, error, now, run_id],
        )


class Heartbeat:
    """Renews a run's heartbeat every `every` seconds from a thread, between `start` and `stop`.

    The beat goes through the same writer as the batches (one at a time in this process); a beat
    that cannot get the file within a few seconds is skipped, and the next one tries again.
    """

    def __init__(
        self,
        path: str | Path,
        run_id: str,
        *,
        every: float = HEARTBEAT_SECONDS,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self._path = path
        self._run_id = run_id
        self._every = every
        self._log = log or logger.warning
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="newsflow-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self._every):
            try:
                renew_run(self._path, self._run_id, wait=min(self._every, _RENEW_WAIT))
            except Exception as exc:  # a missed beat must not end the run; the lease allows for many
                self._log(f"heartbeat of run {self._run_id} skipped: {type(exc).__name__}: {exc}")
