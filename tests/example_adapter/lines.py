"""A newsflow source adapter: one article per line of a text file, `headline<TAB>text`.

Declared in the package's pyproject.toml:

    [project.entry-points."newsflow.sources"]
    lines = "example_adapter.lines:LinesSource"
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from schemas import RawDocument, Reject
from sources import Page


class LinesConfig(BaseModel):
    """Options of a lines source: the file, and lines per page (per batch)."""

    path: Path
    page_size: int = Field(default=100, ge=1)


class LinesSource:
    """Delivers the lines added to the file since the last run; a line without a tab is rejected."""

    config_model: ClassVar[type[BaseModel]] = LinesConfig

    def __init__(self, config: LinesConfig) -> None:
        self.config = config
        self.path = config.path.expanduser().resolve()

    @property
    def name(self) -> str:
        return f"lines:{self.path}"  # the `source` column, and the key its cursor is saved under

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        done = cursor["lines"] if cursor else 0  # lines delivered by earlier runs
        now = datetime.now(UTC)
        page = Page()
        with self.path.open("rb") as file:
            for number, line in enumerate(file, start=1):
                if number <= done or not line.strip():
                    continue
                if not line.endswith(b"\n"):
                    break  # a last line without its newline may still be being written
                uri = f"{self.path.as_uri()}#L{number}"
                title, tab, text = line.strip().partition(b"\t")
                if tab:  # the text stage reads a plain-text article's first line as its title
                    content = title + b"\n\n" + text
                    page.documents.append(
                        RawDocument(source=self.name, uri=uri, content=content, kind="text", fetched_at=now)
                    )
                else:
                    page.rejects.append(Reject(source=self.name, uri=uri, reason="unparseable", detail="no tab"))
                done = number
                if len(page) == self.config.page_size:
                    page.cursor = {"lines": done}  # saved in the transaction that stores the page
                    yield page
                    page = Page()
        page.cursor = {"lines": done}
        yield page
