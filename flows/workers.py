"""Where a run's parsing and extraction tasks run: in this process, in local worker processes, or on
a Dask cluster. Appending stays in the flow's own process, one writer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Generic, TypeVar

from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from schemas import TerminalError

_T = TypeVar("_T")


class Parcel(Generic[_T]):
    """A batch handed to a task as it is.

    Prefect walks a task's list and tuple parameters item by item looking for futures, and Dask
    rebuilds tuples (Prefect's own `quote` among them) into plain ones; neither looks inside an
    object of another class. The task takes `parcel.value`.
    """

    __slots__ = ("value",)

    def __init__(self, value: _T) -> None:
        self.value = value


def default_workers() -> int:
    """The machine's cores: one worker process each."""
    return os.cpu_count() or 1


def describe_workers(workers: int, dask_address: str | None) -> str:
    """How the run summary names where tasks ran."""
    if dask_address:
        return dask_address
    return "1 (in-process)" if workers <= 1 else f"{workers} processes"


def check_dask_address(address: str) -> None:
    """Raise TerminalError unless `address` names a Dask scheduler (`tcp://HOST:PORT` and the like)."""
    if not address.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
        raise TerminalError(f"not a Dask scheduler address: {address!r} (expected tcp://HOST:PORT)")


def _dask_runner(address: str) -> TaskRunner[Any]:
    check_dask_address(address)
    try:
        from prefect_dask.task_runners import DaskTaskRunner
    except ImportError as exc:  # a dependency of newsflow; missing only in a broken install
        raise TerminalError("--dask-address needs the prefect-dask package (pip install prefect-dask)") from exc
    return DaskTaskRunner(address=address)


@contextmanager
def task_runner(workers: int, dask_address: str | None, api_url: str | None) -> Iterator[TaskRunner[Any]]:
    """A started task runner for the stages that fan out; closed (worker processes stopped) on exit.

    Args:
        workers: local processes; 1 runs the tasks in a thread of this process.
        dask_address: a Dask scheduler (`tcp://HOST:PORT`) to run the tasks on instead.
        api_url: the Prefect API the flow reports to. Worker processes are told it, so their task
            runs are recorded with the flow run instead of each starting a temporary server.

    Raises:
        TerminalError: `workers` is below 1, or the Dask address is not one.
    """
    if workers < 1:
        raise TerminalError(f"--workers must be 1 or more, not {workers}")
    runner: TaskRunner[Any]
    if dask_address:
        runner = _dask_runner(dask_address)
    elif workers > 1:
        runner = ProcessPoolTaskRunner(max_workers=workers)
    else:
        runner = ThreadPoolTaskRunner(max_workers=1)
    with ExitStack() as stack:
        if api_url:
            stack.enter_context(temporary_settings(updates={PREFECT_API_URL: api_url}))
        stack.enter_context(runner)
        yield runner
