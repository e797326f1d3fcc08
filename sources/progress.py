"""Reading progress within a page, for whoever shows it: a source says how many inputs it expects
and reports each one it has read (a file, a feed entry, a page fetched), so a display can move per
document rather than per committed batch. Listeners are called from the reading thread and from
fetching threads."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ReadListener", "add_read_listener", "advance", "expect", "remove_read_listener"]

ReadListener = Callable[[int, int], None]
"""Called with (inputs newly expected, inputs newly read)."""

_listeners: list[ReadListener] = []


def add_read_listener(listener: ReadListener) -> None:
    """Start telling `listener` about inputs expected and read."""
    _listeners.append(listener)


def remove_read_listener(listener: ReadListener) -> None:
    """Stop telling `listener`."""
    if listener in _listeners:
        _listeners.remove(listener)


def expect(n: int) -> None:
    """Say that `n` more inputs are coming (files listed, a feed's new entries, pages to fetch)."""
    if n:
        for listener in list(_listeners):
            listener(n, 0)


def advance(n: int = 1) -> None:
    """Say that `n` more inputs have been read (or fetched, or failed to be)."""
    if n:
        for listener in list(_listeners):
            listener(0, n)
