"""Files and folders of articles: .txt (and other plain text), .html and .jsonl."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from schemas import DEFAULT_MAX_BYTES, DocumentKind, RawDocument, Reject, SourceNotFoundError
from sources.registry import Page, register_source

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})


class FilesConfig(BaseModel):
    """Options of a files source.

    Attributes:
        path: a file or a folder (read recursively; hidden files and folders are skipped).
        page_size: inputs per page, and so per batch and per transaction.
        max_bytes: files larger than this are rejected as `too_large` without being read.
    """

    path: Path
    page_size: int = Field(default=1000, ge=1)
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1)


def kind_of(path: Path, head: bytes) -> DocumentKind:
    """Decide how to read a file: by its suffix, else HTML when it opens like a page, else text."""
    suffix = path.suffix.casefold()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    opening = head.lstrip()[:64].lower()
    if opening.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def list_files(root: Path) -> list[Path]:
    """Return the files under `root` in a stable order, skipping hidden files and folders."""
    if root.is_file():
        return [root]
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder) / f for f in sorted(files) if not f.startswith("."))
    return found


@register_source("files")
class FilesSource:
    """Reads every file under a path on each run; exact-copy detection makes rereads no-ops.

    The cursor records how far the last run read (files and the last path), so a run that
    stopped part-way shows where it stopped.
    """

    config_model: ClassVar[type[BaseModel]] = FilesConfig

    def __init__(self, config: BaseModel) -> None:
        if not isinstance(config, FilesConfig):
            config = FilesConfig.model_validate(config.model_dump())
        self.config = config
        self.root = config.path.expanduser().resolve()
        if not self.root.exists():
            raise SourceNotFoundError(f"no such file or folder: {config.path}")

    @property
    def name(self) -> str:
        return str(self.root)

    def _inputs(self, path: Path, fetched_at: datetime) -> Iterator[RawDocument | Reject]:
        """Yield the documents of one file, or the reject that stands for it."""
        uri = path.as_uri()
        try:
            if path.suffix.casefold() in JSONL_SUFFIXES:
                # A JSON Lines file is a stream of records: each record is one document, capped
                # on its own by the text stage, so a large export is read line by line.
                with path.open("rb") as lines:
                    n_records = 0
                    for number, line in enumerate(lines, start=1):
                        if line.strip():
                            n_records += 1
                            yield RawDocument(
                                source=self.name,
                                uri=f"{uri}#L{number}",
                                content=line,
                                kind="jsonl",
                                fetched_at=fetched_at,
                            )
                if n_records == 0:
                    yield Reject(
                        source=self.name, uri=uri, reason="empty", detail="no records", size_bytes=path.stat().st_size
                    )
                return
            size = path.stat().st_size
            if size > self.config.max_bytes:
                detail = f"{size} bytes, over the cap of {self.config.max_bytes}"
                yield Reject(source=self.name, uri=uri, reason="too_large", detail=detail, size_bytes=size)
                return
            content = path.read_bytes()
        except OSError as exc:
            yield Reject(source=self.name, uri=uri, reason="unreadable", detail=str(exc), size_bytes=0)
            return
        yield RawDocument(
            source=self.name, uri=uri, content=content, kind=kind_of(path, content[:256]), fetched_at=fetched_at
        )

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Yield pages of at most `page_size` inputs, in path order."""
        page = Page()
        n_files = 0
        last_path: str | None = None
        fetched_at = datetime.now(UTC)
        for path in list_files(self.root):
            n_files += 1
            last_path = str(path)
            for item in self._inputs(path, fetched_at):
                if isinstance(item, Reject):
                    page.rejects.append(item)
                else:
                    page.documents.append(item)
                if len(page) >= self.config.page_size:
                    page.cursor = {"files_read": n_files, "last_path": last_path}
                    yield page
                    page = Page()
        if len(page) or n_files == 0:
            page.cursor = {"files_read": n_files, "last_path": last_path}
            yield page
