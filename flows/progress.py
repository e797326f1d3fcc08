"""Progress of a run, reported to whoever listens, and the live line the command line draws from it
on a terminal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from schemas import AppendResult, EventsResult

if TYPE_CHECKING:
    from rich.console import Console

BatchListener = Callable[[int, AppendResult], None]
"""Called after each committed batch with the inputs it covered and what it added."""

EventsListener = Callable[[EventsResult], None]
"""Called after each committed batch of extractions with what it stored."""

_listeners: list[BatchListener] = []
_events_listeners: list[EventsListener] = []


def add_listener(listener: BatchListener) -> None:
    """Start telling `listener` about committed batches."""
    _listeners.append(listener)


def remove_listener(listener: BatchListener) -> None:
    """Stop telling `listener`."""
    if listener in _listeners:
        _listeners.remove(listener)


def report_batch(n_inputs: int, result: AppendResult) -> None:
    """Tell every listener that a batch of `n_inputs` inputs was committed."""
    for listener in list(_listeners):
        listener(n_inputs, result)


def add_events_listener(listener: EventsListener) -> None:
    """Start telling `listener` about committed batches of extractions."""
    _events_listeners.append(listener)


def remove_events_listener(listener: EventsListener) -> None:
    """Stop telling `listener`."""
    if listener in _events_listeners:
        _events_listeners.remove(listener)


def report_events(result: EventsResult) -> None:
    """Tell every events listener that a batch of extractions was committed."""
    for listener in list(_events_listeners):
        listener(result)


class RunDisplay:
    """The live line of `newsflow run` on a terminal: a bar of inputs read against those expected
    (a total once a source knows it: files listed, a feed's new entries, pages to fetch), and the
    counts committed so far. Log lines print above it, never over it; it is gone when the run ends,
    leaving the summary.
    """

    def __init__(self, console: Console, status: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TextColumn("read"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task(status, total=None)
        self.expected = 0
        self.read = 0
        self.counts = {"new": 0, "duplicates": 0, "rejected": 0, "coded": 0, "events": 0}
        self.started = False
        self._handlers: list[tuple[logging.Handler, logging.Handler]] = []

    def status(self, text: str) -> None:
        """Say what is happening before the first input is read (starting a server, the flow)."""
        self.progress.update(self.task, description=text)

    def start(self) -> None:
        """Show the line and start listening to the run."""
        from sources.progress import add_read_listener

        self.progress.start()
        add_read_listener(self.on_read)
        add_listener(self.on_batch)
        add_events_listener(self.on_events)

    def adopt_logging(self) -> None:
        """Print Prefect's console log lines above the live line instead of over it.

        Prefect's console handler (set up here, if Prefect has not yet) writes to the terminal
        itself; while the line shows, a handler with its level and format prints through the
        display's console instead.
        """
        from prefect.logging.configuration import ensure_logging_setup

        ensure_logging_setup()
        root = logging.getLogger()
        for handler in list(root.handlers):
            if type(handler).__name__ == "PrefectConsoleHandler":
                above = _AboveDisplay(self.progress.console, handler.level)
                above.setFormatter(handler.formatter)
                root.removeHandler(handler)
                root.addHandler(above)
                self._handlers.append((handler, above))

    def stop(self) -> None:
        """Stop listening and take the line away."""
        from sources.progress import remove_read_listener

        remove_read_listener(self.on_read)
        remove_listener(self.on_batch)
        remove_events_listener(self.on_events)
        root = logging.getLogger()
        for handler, above in self._handlers:
            root.removeHandler(above)
            root.addHandler(handler)
        self._handlers.clear()
        self.progress.stop()

    def _show(self) -> None:
        c = self.counts
        self.progress.update(
            self.task,
            description=(
                f"{c['new']} new · {c['duplicates']} duplicates · {c['rejected']} rejected · "
                f"{c['coded']} coded · {c['events']} events"
            ),
            total=max(self.expected, self.read) or None,
            completed=self.read,
        )

    def on_read(self, expected: int, read: int) -> None:
        """A source expects or has read inputs."""
        self.expected += expected
        self.read += read
        self._show()

    def on_batch(self, n_inputs: int, result: AppendResult) -> None:
        """A batch was committed."""
        self.counts["new"] += result.n_new
        self.counts["duplicates"] += result.n_duplicates
        self.counts["rejected"] += result.n_rejected
        self._show()

    def on_events(self, result: EventsResult) -> None:
        """A batch of extractions was committed."""
        self.counts["coded"] += result.n_articles
        self.counts["events"] += result.n_events
        self._show()


class _AboveDisplay(logging.Handler):
    """Log lines printed through a console with a live display: above it, as plain text."""

    def __init__(self, console: Console, level: int) -> None:
        super().__init__(level)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        from rich.text import Text

        try:
            self.console.print(Text(self.format(record)), soft_wrap=True)
        except Exception:
            self.handleError(record)
