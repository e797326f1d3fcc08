"""Where a run's parsing and extraction tasks run: in this process, in local worker processes, or on
a Dask cluster. Appending stays in the flow's own process, one writer."""

from __future__ import annotations

import os
from contextlib import ExitStack
from typing import Any, Generic, TypeVar

from prefect.futures import PrefectFuture
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.settings import check_dask_address
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

    def take(self) -> _T:
        """The value, which the parcel then lets go of: a task run in this process frees a page's
        documents once it is done with them, though its parameters live on with its future."""
        value = self.value
        del self.value
        return value


def default_workers() -> int:
    """The machine's cores: one worker process each."""
    return os.cpu_count() or 1


def _dask_runner(address: str) -> TaskRunner[Any]:
    try:
        from prefect_dask.task_runners import DaskTaskRunner
    except ImportError as exc:  # a dependency of newsflow; missing only in a broken install
        raise TerminalError("--dask-address needs the prefect-dask package (pip install prefect-dask)") from exc
    return DaskTaskRunner(address=address)


# With the default --workers, a run hands its tasks to worker processes only once it has handed
# out this many documents and articles: starting the processes, each importing Prefect and loading
# the gazetteers, costs seconds that a smaller run would not win back (bench.workers measures both).
POOL_AFTER = 1000


class Workers:
    """Where a run's parsing and extraction tasks go: a thread of this process, a pool of worker
    processes, or a Dask cluster. Use it as a context manager; leaving it stops the workers.

    Args:
        workers: local worker processes; None for the machine's cores, started only once the run
            has handed out `POOL_AFTER` documents and articles; 1 runs the tasks in this process.
        dask_address: a Dask scheduler (`tcp://HOST:PORT`) to run the tasks on instead.
        api_url: the Prefect API the flow reports to. Worker processes are told it, so their task
            runs are recorded with the flow run instead of each starting a temporary server.

    Raises:
        TerminalError: `workers` is below 1, or the Dask address is not one.
    """

    def __init__(self, workers: int | None, dask_address: str | None, api_url: str | None) -> None:
        if workers is not None and workers < 1:
            raise TerminalError(f"--workers must be 1 or more, not {workers}")
        if dask_address:
            check_dask_address(dask_address)
        self.count = workers or default_workers()
        self.dask_address = dask_address
        self.api_url = api_url
        self.adaptive = workers is None and not dask_address
        self.handed = 0
        self._stack = ExitStack()
        self._local: TaskRunner[Any] = ThreadPoolTaskRunner(max_workers=1)
        self._remote: TaskRunner[Any] | None = None

    def __enter__(self) -> Workers:
        # Only for a temporary server, whose address the settings do not hold: new settings cost
        # a tenth of a second to build.
        if self.api_url and get_current_settings().api.url != self.api_url:
            self._stack.enter_context(temporary_settings(updates={PREFECT_API_URL: self.api_url}))
        self._stack.enter_context(self._local)
        if self.dask_address or (self.count > 1 and not self.adaptive):
            self._start_remote()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _start_remote(self) -> None:
        runner = _dask_runner(self.dask_address) if self.dask_address else ProcessPoolTaskRunner(self.count)
        self._remote = self._stack.enter_context(runner)

    def slots(self, size: int) -> int:
        """Count `size` more items handed out and return over how many tasks to spread them.

        With the default worker count, this is where a run that has grown big enough starts the pool.
        """
        self.handed += size
        if self._remote is None and self.adaptive and self.count > 1 and self.handed >= POOL_AFTER:
            self._start_remote()
        return self.parallel

    @property
    def local(self) -> bool:
        """Whether tasks run in this process (a thread of it) now."""
        return self._remote is None

    @property
    def parallel(self) -> int:
        """How many tasks can run at once where tasks go now."""
        if self._remote is None:
            return 1
        client = getattr(self._remote, "_client", None)  # a Dask cluster: its threads
        if client is not None:
            return max(1, int(sum(client.nthreads().values())))
        return self.count

    def submit(self, task: Any, parameters: dict[str, Any]) -> PrefectFuture[Any]:
        """Run `task` with `parameters` where tasks go now."""
        runner = self._remote or self._local
        future: PrefectFuture[Any] = runner.submit(task, parameters)
        return future

    def describe(self) -> str:
        """Where the tasks ran, for the run summary."""
        if self.dask_address:
            return self.dask_address
        if self._remote is None:
            return "this process"
        return f"{self.count} processes"
