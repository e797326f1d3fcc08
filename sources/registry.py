"""The source registry: adapters by name, fed by the entry-point group `newsflow.sources`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from schemas import RawDocument, Reject, TerminalError

ENTRY_POINT_GROUP = "newsflow.sources"


@dataclass
class Page:
    """A page of a source: documents to parse, inputs already rejected, and the cursor after them.

    `n_given_up` counts the inputs of the page whose fetching the source gave up for good after
    `max_attempts` runs (each is still a document of feed text or a reject of the page).
    """

    documents: list[RawDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    cursor: dict[str, Any] | None = None
    n_given_up: int = 0

    def __len__(self) -> int:
        return len(self.documents) + len(self.rejects)


class Source(Protocol):
    """What every adapter offers: a config model, a stable name, and pages after a cursor."""

    config_model: ClassVar[type[BaseModel]]

    @property
    def name(self) -> str:
        """The value of the `source` column for what this adapter delivers."""
        ...

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Yield pages of what is new after `cursor`; each page carries the cursor to save with it."""
        ...


_T = TypeVar("_T")
_registry: dict[str, Any] = {}
_from_entry_points: set[str] = set()


def register_source(kind: str) -> Callable[[_T], _T]:
    """Class decorator: make an adapter available under `kind`."""

    def decorate(cls: _T) -> _T:
        _registry[kind] = cls
        return cls

    return decorate


def available_sources() -> dict[str, Any]:
    """Return every registered adapter by kind, loading those declared as entry points.

    Entry points are looked up on every call, so a package installed (or a folder put on
    `sys.path`) since the last call is found; one loaded before stays until `reload_sources`.
    """
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name not in _registry:
            _registry[point.name] = point.load()
            _from_entry_points.add(point.name)
    return dict(_registry)


def source_class(kind: str) -> Any | None:
    """The adapter registered as `kind`, or None; loads that entry point only, not every adapter's
    module (a run of files needs neither the feed parser nor the fetcher)."""
    if kind not in _registry:
        for point in entry_points(group=ENTRY_POINT_GROUP, name=kind):
            _registry[kind] = point.load()
            _from_entry_points.add(kind)
            break
    return _registry.get(kind)


def reload_sources() -> dict[str, Any]:
    """Forget the adapters loaded from entry points and look them up again; return them all, as `available_sources`.

    For a long-lived process or a test whose `sys.path` changed: an adapter whose package is gone
    from it disappears. Adapters registered in this process with `register_source` stay.
    """
    for kind in _from_entry_points:
        _registry.pop(kind, None)
    _from_entry_points.clear()
    return available_sources()


def create_source(kind: str, options: dict[str, Any]) -> Source:
    """Build the adapter registered as `kind` from its options, validated by its config model.

    Raises:
        TerminalError: no adapter is registered under that kind, or its options are invalid
            (the message names the kind and each bad option).
    """
    cls = source_class(kind)
    if cls is None:
        known = ", ".join(sorted(available_sources())) or "none"
        raise TerminalError(f"no source adapter named {kind!r} (known: {known})")
    try:
        config = cls.config_model.model_validate(options)
    except ValidationError as exc:
        problems = "; ".join(_problem(error, cls.config_model) for error in exc.errors())
        raise TerminalError(f"invalid options for a source of kind {kind!r}: {problems}") from exc
    source: Source = cls(config)
    return source


def _problem(error: ErrorDetails, model: type[BaseModel]) -> str:
    """One validation error as `option: message`, the option's path dotted (`fetch.retries`); an
    unknown option of the adapter lists the options it has."""
    where = ".".join(str(part) for part in error["loc"]) or "options"
    if error["type"] == "extra_forbidden" and len(error["loc"]) == 1:
        return f"{where}: unknown option (options: {', '.join(model.model_fields)})"
    return f"{where}: {error['msg']}"
