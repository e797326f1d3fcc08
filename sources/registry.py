"""The source registry: adapters by name, fed by the entry-point group `newsflow.sources`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel

from schemas import RawDocument, Reject, TerminalError

ENTRY_POINT_GROUP = "newsflow.sources"


@dataclass
class Page:
    """A page of a source: documents to parse, inputs already rejected, and the cursor after them."""

    documents: list[RawDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    cursor: dict[str, Any] | None = None

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


def register_source(kind: str) -> Callable[[_T], _T]:
    """Class decorator: make an adapter available under `kind`."""

    def decorate(cls: _T) -> _T:
        _registry[kind] = cls
        return cls

    return decorate


def available_sources() -> dict[str, Any]:
    """Return every registered adapter by kind, loading those declared as entry points."""
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name not in _registry:
            _registry[point.name] = point.load()
    return dict(_registry)


def create_source(kind: str, options: dict[str, Any]) -> Source:
    """Build the adapter registered as `kind` from its options, validated by its config model.

    Raises:
        TerminalError: no adapter is registered under that kind.
    """
    adapters = available_sources()
    if kind not in adapters:
        known = ", ".join(sorted(adapters)) or "none"
        raise TerminalError(f"no source adapter named {kind!r} (known: {known})")
    cls = adapters[kind]
    source: Source = cls(cls.config_model.model_validate(options))
    return source
