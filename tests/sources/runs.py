"""One run of a source in a test: its pages, with what they delivered and the cursor after them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from schemas import RawDocument, Reject
from sources import Page, Source


@dataclass
class Run:
    """The pages of one run."""

    pages: list[Page]

    @property
    def documents(self) -> list[RawDocument]:
        return [d for p in self.pages for d in p.documents]

    @property
    def rejects(self) -> list[Reject]:
        return [r for p in self.pages for r in p.rejects]

    @property
    def cursor(self) -> dict[str, Any] | None:
        return self.pages[-1].cursor


def run(source: Source, cursor: dict[str, Any] | None = None) -> Run:
    """Read every page of `source` after `cursor`, checking each cursor survives the store's JSON."""
    pages = list(source.pages(cursor))
    for page in pages:  # what the store saves must survive its JSON round trip
        assert page.cursor is None or json.loads(json.dumps(page.cursor)) == page.cursor
    return Run(pages)
