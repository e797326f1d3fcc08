"""Tests of store/turns.py with real processes on real DuckDB files: a waiting reader goes before a
writer's next batch, writers take turns, and waits that run out say who held the file.

Writers here are processes that hold their turn a set time, as a long batch would; no timing is
asserted but that a reader answers while the writers still have turns to go.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from schemas import DatabaseBusyError
from store import Holder, query, seconds_waited, start_run, writer
from store.turns import turn_files

# Takes `turns` write turns, each holding the file `seconds`, and says so on stdout; the first
# `held` turns last until a line comes on stdin instead.
WRITER = textwrap.dedent(
    """
    import sys, time
    from store import Holder, writer
    db, run_id, turns, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    held = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    for i in range(turns):
        with writer(db, wait=120, holder=Holder(run_id, "its batch")) as con:
            con.execute(
                "INSERT INTO rejects (run_id, source, uri, reason, \\"at\\") VALUES (?, 's', ?, 'empty', now())",
                [run_id, str(i)],
            )
            print("turn", i, flush=True)
            if i < held:
                sys.stdin.readline()
            else:
                time.sleep(seconds)
    print("done", flush=True)
    """
)


# Holds a read turn `seconds` (a long query), then says it is done.
READER = textwrap.dedent(
    """
    import sys, time
    from store import reader
    with reader(sys.argv[1], wait=120) as con:
        con.execute("select count(*) from rejects").fetchall()
        print("reading", flush=True)
        time.sleep(float(sys.argv[2]))
    print("done", flush=True)
    """
)


# Reads in a loop, 40 turns of `seconds` each.
LOOPING_READER = textwrap.dedent(
    """
    import sys, time
    from store import reader
    for i in range(40):
        with reader(sys.argv[1], wait=120) as con:
            con.execute("select count(*) from rejects").fetchall()
            if i == 0:
                print("reading", flush=True)
            time.sleep(float(sys.argv[2]))
    print("done", flush=True)
    """
)


class Processes:
    """Child processes started by a test, killed at its end."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[str]] = []

    def start(self, script: str, *args: object) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", script, *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.started.append(process)
        return process


@pytest.fixture
def processes() -> Iterator[Processes]:
    started = Processes()
    yield started
    for process in started.started:
        process.kill()
        process.wait()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "n.duckdb"
    start_run(path, "setup", flow_run_id=None, sources=["s"])
    return path


def first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip()


def queued(db: Path) -> bool:
    """Whether a reader waits in the queue of `db`."""
    _, _, queue = turn_files(db)
    return held_by_another(queue, shared=True)


def wait_until_queued(db: Path, *, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not queued(db):
        assert time.monotonic() < deadline, "no reader came to the queue"
        time.sleep(0.01)


def go_on(process: subprocess.Popen[str]) -> None:
    """Let a writer end a turn it holds until told."""
    assert process.stdin is not None
    process.stdin.write("\n")
    process.stdin.flush()


def held_by_another(path: Path, *, shared: bool = False) -> bool:
    """Whether another process holds the lock file `path`: exclusively, or also `shared`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if shared else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def turns_taken(db: Path) -> list[str]:
    """The writers' run ids in the order their turns committed."""
    rows = query(db, "select run_id from rejects where run_id like 'w%' order by \"at\"").rows
    return [run_id for (run_id,) in rows]


def test_a_reader_goes_before_the_writers_next_batch(db: Path, processes: Processes) -> None:
    batch_writer = processes.start(WRITER, db, "w1", 40, 0.5, 1)
    assert first_line(batch_writer) == "turn 0"
    told: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(
            query, db, "select count(*) from rejects where run_id = 'w1'", wait=60, on_wait=told.append
        )
        wait_until_queued(db)
        go_on(batch_writer)
        rows = answer.result().rows
    # The answer comes after the turn under way, not after half the run (DuckDB's lock alone
    # answered this after 38 of the 40 turns: the writer took the file again at once each time).
    assert 1 <= rows[0][0] < 20
    assert told == ["waiting for the run w1 to finish its batch…"]


def test_writers_take_turns_and_a_reader_gets_one_between_them(db: Path, processes: Processes) -> None:
    first = processes.start(WRITER, db, "w1", 20, 0.2)
    assert first_line(first) == "turn 0"
    second = processes.start(WRITER, db, "w2", 20, 0.2)
    assert first_line(second).startswith("turn")
    told: list[str] = []
    [(n_first, n_second)] = query(
        db,
        "select count(*) filter (run_id = 'w1'), count(*) filter (run_id = 'w2') from rejects",
        wait=60,
        on_wait=told.append,
    ).rows
    assert 1 <= n_first + n_second < 20, "the reader waited for half the turns or more"
    assert set(told) <= {"waiting for the run w1 to finish its batch…", "waiting for the run w2 to finish its batch…"}
    assert told
    for process in (first, second):
        assert process.stdout is not None
        assert process.stdout.read().splitlines()[-1] == "done"
        process.wait()
    order = turns_taken(db)
    assert len(order) == 40
    # Once both wait, the one at the gate goes next: they alternate, but for the turn after the
    # reader's, which either may take (both let the reader go first).
    both = order[order.index("w2") : len(order) - order[::-1].index("w1")]
    assert sum(a == b for a, b in itertools.pairwise(both)) <= 1, order


def test_a_wait_that_runs_out_names_the_writers_that_took_turns(db: Path, processes: Processes) -> None:
    first = processes.start(WRITER, db, "w1", 1, 4.0)
    assert first_line(first) == "turn 0"
    second = processes.start(WRITER, db, "w2", 1, 6.0)
    _, gate, _ = turn_files(db)
    deadline = time.monotonic() + 60
    while not held_by_another(gate):  # w2 is next in line
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    told: list[str] = []
    # w1 lets go within 4 s, then w2 holds the file 6 s: a 5 s wait runs out during w2's turn.
    with pytest.raises(DatabaseBusyError) as raised:
        query(db, "select 1", wait=5, on_wait=told.append)
    assert first_line(second) == "turn 0"
    assert str(raised.value) == (
        f"could not read {db} within 5 s: the run w1 (pid {first.pid}) and the run w2 (pid {second.pid}) "
        "held it in turn; try again later"
    )
    assert told == ["waiting for the run w1 to finish its batch…", "waiting for the run w2 to finish its batch…"]


def test_a_writer_waits_for_the_query_under_way_and_says_so_when_it_runs_out(db: Path, processes: Processes) -> None:
    long_query = processes.start(READER, db, 30)
    assert first_line(long_query) == "reading"
    with pytest.raises(DatabaseBusyError) as raised, writer(db, wait=0.5):
        pass
    assert str(raised.value) == (
        f"could not write to {db} within 0.5 s: queries held it the whole time; try again when it has finished"
    )


def test_a_writer_goes_after_the_query_under_way_and_counts_the_wait(db: Path, processes: Processes) -> None:
    long_query = processes.start(READER, db, 2.0)
    assert first_line(long_query) == "reading"
    before = seconds_waited()
    with writer(db, wait=60):
        assert first_line(long_query) == "done"  # the reader let go before the writer opened the file
    assert seconds_waited() - before > 0.5


def test_a_stream_of_queries_does_not_keep_a_writer_out(db: Path, processes: Processes) -> None:
    # Three readers, each holding a turn 1 s, one after another without a break: a read turn is
    # always under way, and a writer that only waited for none would wait for ever.
    readers = []
    for _ in range(3):
        readers.append(processes.start(LOOPING_READER, db, 1.0))
        assert first_line(readers[-1]) == "reading"
        time.sleep(0.3)
    with writer(db, wait=60) as con:
        con.execute("select 1")
    assert any(process.poll() is None for process in readers), "the writer waited for every reader to stop"


def test_a_writer_in_its_turn_may_open_the_file_again(db: Path) -> None:
    with writer(db, wait=1, holder=Holder("r", "its batch")) as outer:
        with writer(db, wait=1) as inner:
            inner.execute("select 1")
        outer.execute("select 1")
