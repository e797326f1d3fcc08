"""Progress of a run, reported to whoever listens (the command line draws a bar on a terminal)."""

from __future__ import annotations

from collections.abc import Callable

from schemas import AppendResult, EventsResult

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
