"""Turns on the database file: a query that waits goes before a run's next batch, and writers in
several processes take the file in turn.

DuckDB lets one process open a file for writing and no other process open it meanwhile, and it
keeps no queue: a reader that retries usually finds the file taken again by the writer's next
batch. So newsflow's readers and writers take turns through three small lock files beside the
database (`flock`, which the kernel releases when a process dies):

- `<db>.turn`: the turn itself. The writer that has the file open holds it exclusively and writes
  in it who it is and what it is doing; readers hold it shared while they have the file open.
- `<db>.turn-gate`: the writer next in line holds it exclusively while it waits for the turn, so
  readers arriving meanwhile wait behind it and a stream of queries cannot keep a run out.
- `<db>.turn-queue`: each reader holds it shared from the moment it asks until it has its turn.
  A writer about to open the file for its next batch lets such readers go first, for at most
  `YIELD_SECONDS`.

A reader so waits for the batch being written (and, with two writers, for the batch of the one
already next in line), never for the whole run; a writer waits for the queries under way, not
for the ones that come after it. Processes that do not take turns (DuckDB's own command line, a
notebook) are still kept out by DuckDB's lock, and waited for as before.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from schemas import DatabaseBusyError

__all__ = [
    "TURN_SUFFIXES",
    "YIELD_SECONDS",
    "Holder",
    "Waiting",
    "add_waited",
    "read_turn",
    "seconds_waited",
    "turn_files",
    "write_turn",
]

YIELD_SECONDS = 2.0
"""How long a writer lets readers that are waiting go before its next batch, at most."""
TURN_SUFFIXES = (".turn", ".turn-gate", ".turn-queue")
"""The lock files beside a database, by suffix of its name."""
# Polling a lock costs a system call; a turn is handed over within this many seconds.
_POLL_FIRST = 0.001
_POLL_MAX = 0.005
QUERIES = "queries"
"""How a waiter names readers that hold the file."""

_waited = [0.0]  # seconds this process's writers have waited for their turn
_waited_lock = threading.Lock()


def seconds_waited() -> float:
    """Seconds the writers of this process have waited for their turn so far, for queries and for
    other processes' writers (a run reports the difference over its own time)."""
    with _waited_lock:
        return _waited[0]


def add_waited(seconds: float) -> None:
    """Count seconds a writer of this process waited for the file (DuckDB's lock counts too)."""
    with _waited_lock:
        _waited[0] += seconds


@dataclass(frozen=True)
class Holder:
    """Who writes to the database and what for, as a waiting reader is told."""

    run_id: str | None = None
    doing: str = "writing"
    pid: int = field(default_factory=os.getpid)

    @property
    def name(self) -> str:
        """`the run <id> (pid N)`, or `newsflow process N` for a writer that is no run."""
        return f"the run {self.run_id} (pid {self.pid})" if self.run_id else f"newsflow process {self.pid}"

    @property
    def message(self) -> str:
        """What a reader waiting for this writer is told."""
        who = f"the run {self.run_id}" if self.run_id else f"newsflow process {self.pid}"
        return f"waiting for {who} to finish {self.doing}…"

    def dumps(self) -> bytes:
        return json.dumps({"run_id": self.run_id, "doing": self.doing, "pid": self.pid}).encode()

    @classmethod
    def loads(cls, data: bytes) -> Holder | None:
        """The holder written in a turn file, or None when it is empty or half written."""
        try:
            fields = json.loads(data)
            return cls(run_id=fields["run_id"], doing=str(fields["doing"]), pid=int(fields["pid"]))
        except (ValueError, KeyError, TypeError):
            return None


class Waiting:
    """One wait for the file: its deadline, what the waiter was told, and whom it waited for."""

    def __init__(self, wait: float, on_wait: Callable[[str], None] | None = None) -> None:
        self.wait = wait
        self.deadline = time.monotonic() + wait
        self.on_wait = on_wait
        self.seen: list[str] = []
        self._told: str | None = None

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))

    def waiting_for(self, name: str, message: str) -> None:
        """Record that the file is held by `name`, and tell the waiter when that is news."""
        if name not in self.seen:
            self.seen.append(name)
        if message != self._told:
            self._told = message
            if self.on_wait is not None:
                self.on_wait(message)

    def busy(self, file: Path, *, reading: bool) -> DatabaseBusyError:
        """The error of a wait that ran out, naming whoever held the file meanwhile."""
        verb = "read" if reading else "write to"
        names = self.seen or ["another process"]
        if len(names) == 1:
            held = f"{names[0]} held it the whole time; try again when it has finished"
        else:
            held = f"{', '.join(names[:-1])} and {names[-1]} held it in turn; try again later"
        return DatabaseBusyError(f"could not {verb} {file} within {self.wait:g} s: {held}")


def turn_files(db: Path) -> tuple[Path, Path, Path]:
    """The turn, gate and queue lock files of the database `db`."""
    turn, gate, queue = (db.with_name(db.name + suffix) for suffix in TURN_SUFFIXES)
    return turn, gate, queue


class _Lock:
    """One lock file opened on its own, so that two threads of one process exclude each other too."""

    def __init__(self, path: Path) -> None:
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError:  # another user's database, a read-only disk: reading needs no write access
            self.fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)

    def take(self, *, exclusive: bool) -> bool:
        try:
            fcntl.flock(self.fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        os.close(self.fd)

    def read(self) -> bytes:
        return os.pread(self.fd, 4096, 0)

    def write(self, data: bytes) -> None:
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)


@contextmanager
def _locks(db: Path) -> Iterator[tuple[_Lock, _Lock, _Lock] | None]:
    """The turn, gate and queue locks of `db`, closed (and so released) on exit; None when they
    cannot be made (a folder this user may not write, and no one made them before)."""
    opened: list[_Lock] = []
    try:
        for path in turn_files(db):
            opened.append(_Lock(path))
    except OSError:
        for lock in opened:
            lock.close()
        yield None
        return
    try:
        turn, gate, queue = opened
        yield turn, gate, queue
    finally:
        for lock in opened:
            lock.close()


def _note_turn(turn: _Lock, waiting: Waiting) -> None:
    """Record who holds the turn now: readers (it can be shared) or the writer named in its file."""
    if turn.take(exclusive=False):
        turn.release()
        # Free, or shared by readers: a writer waits for their queries, and so does a reader
        # behind the gate of the writer next in line.
        if not turn.take(exclusive=True):
            waiting.waiting_for(QUERIES, "waiting for queries to finish…")
        else:
            turn.release()
        return
    holder = Holder.loads(turn.read())
    if holder is not None:
        waiting.waiting_for(holder.name, holder.message)


def _take(lock: _Lock, *, exclusive: bool, waiting: Waiting, until: float | None = None,
          meanwhile: Callable[[], None] | None = None) -> bool:  # fmt: skip
    """Poll `lock` until it is taken (True) or the wait runs out (False)."""
    end = waiting.deadline if until is None else min(until, waiting.deadline)
    delay = _POLL_FIRST
    while not lock.take(exclusive=exclusive):
        if meanwhile is not None:
            meanwhile()
        if time.monotonic() >= end:
            return False
        time.sleep(max(0.0, min(delay, end - time.monotonic())))
        delay = min(delay * 2, _POLL_MAX)
    return True


@contextmanager
def write_turn(db: Path, holder: Holder, waiting: Waiting) -> Iterator[None]:
    """Hold the write turn of `db` for the `with` block, after letting waiting readers go first.

    Raises:
        DatabaseBusyError: the turn did not come within the wait.
    """
    with _locks(db) as locks:
        if locks is None:  # no lock files here: DuckDB's own lock is all there is
            yield
            return
        turn, gate, queue = locks
        started = time.monotonic()
        # Readers that asked before this batch go first; taking the queue lock means none is left.
        if _take(queue, exclusive=True, waiting=waiting, until=time.monotonic() + YIELD_SECONDS):
            queue.release()

        def note() -> None:
            _note_turn(turn, waiting)

        if not _take(gate, exclusive=True, waiting=waiting, meanwhile=note):
            raise waiting.busy(db, reading=False)
        try:
            if not _take(turn, exclusive=True, waiting=waiting, meanwhile=note):
                raise waiting.busy(db, reading=False)
        finally:
            gate.release()
            add_waited(time.monotonic() - started)
        try:
            turn.write(holder.dumps())
            yield
        finally:
            turn.write(b"")
            turn.release()


@contextmanager
def read_turn(db: Path, waiting: Waiting) -> Iterator[None]:
    """Hold a read turn of `db` for the `with` block: wait in the queue, pass the gate behind any
    writer next in line, and share the turn with other readers.

    Raises:
        DatabaseBusyError: the turn did not come within the wait.
    """
    with _locks(db) as locks:
        if locks is None:
            yield
            return
        turn, gate, queue = locks

        def note() -> None:
            _note_turn(turn, waiting)

        queued = _take(queue, exclusive=False, waiting=waiting)
        passed = queued and _take(gate, exclusive=False, waiting=waiting, meanwhile=note)
        got = passed and _take(turn, exclusive=False, waiting=waiting, meanwhile=note)
        if passed:
            gate.release()
        if queued:
            queue.release()
        if not got:
            raise waiting.busy(db, reading=True)
        try:
            yield
        finally:
            turn.release()
