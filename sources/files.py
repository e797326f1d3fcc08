"""Files and folders of articles: .txt (and other plain text), .html and .jsonl, each also gzip-compressed (.gz)."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import stat
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from schemas import DEFAULT_MAX_BYTES, DEFAULT_PAGE_BYTES, DocumentKind, RawDocument, Reject, SourceNotFoundError
from sources import progress
from sources.registry import Page, register_source

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
GZIP_MAGIC = b"\x1f\x8b"
"""A file that opens with these bytes is gzip-compressed, whatever its name; it is read unpacked."""
UNPACKED_OVER = ">"
"""Opens the hash of a cursor entry whose compressed file unpacked past the cap (`">5242880:HASH"`,
the cap and the content's hash): it is read again once the cap is larger, and skipped while it is
not, by its hash when its mtime was too recent to trust."""
_CHUNK = 1 << 16
# A line with something on it besides white space; runs of blank lines between are skipped unread by Python.
_RECORD_LINE = re.compile(rb"^[ \t\r\f\v]*\S[^\n]*\n", re.MULTILINE)
MAX_RATIO = 200
"""A `.jsonl.gz` may unpack to this many times its size (news text packs 3 to 10 times, repetitive
records some 50), or to `max_bytes` if that is more; beyond, it is a bomb: `too_large`, its records
before that point kept. Memory is bounded anyway (a record over the cap is never held); this bounds time."""
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)
HASH_CHARS = 16
"""Hex characters of SHA-256 kept in the cursor: 64 bits tell a touched file from a changed one at one path."""
RACY_NS = 2_000_000_000
"""A file modified this close to its reading may be written again without its mtime moving
(a coarse clock, FAT's 2-second steps): its mtime is not trusted and the next run checks its hash."""


class FilesConfig(BaseModel):
    """Options of a files source.

    Attributes:
        path: a file or a folder (read recursively; hidden files and folders are skipped).
        page_size: inputs per page, and so per batch and per transaction.
        page_bytes: a page also ends once its documents hold this many bytes (the document that
            crosses it stays in the page), so a folder of large files is read a few at a time.
        max_bytes: files larger than this are rejected as `too_large` without being read.
        rescan: read every file again, ignoring what the cursor says was read (what is stored
            already comes back as duplicates); the cursor is still kept up to date.
        follow_symlinks: read what symbolic links lead to outside `path` too (files, and folders
            walked recursively). Without it such a link is an `outside_source` reject. A link to a
            file inside `path` is always read; a link to a folder inside it is not walked, since
            its files are read at their own place.
    """

    # A misspelt option is an error, not a default silently used.
    model_config = ConfigDict(extra="forbid")

    path: Path
    page_size: int = Field(default=1000, ge=1)
    page_bytes: int = Field(default=DEFAULT_PAGE_BYTES, ge=1)
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1)
    rescan: bool = False
    follow_symlinks: bool = False


def kind_of(path: Path, head: bytes) -> DocumentKind:
    """Decide how to read a file: by its suffix (less a `.gz`), else HTML when it opens like a page, else text."""
    suffix = _unpacked_name(str(path))[1].casefold()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    opening = head.lstrip()[:64].lower()
    if opening.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


class _Listed(NamedTuple):
    """One input of a listing: its cursor key, the path to open, or the problem that rejects it unopened."""

    key: str
    path: str
    problem: tuple[str, str] | None = None


def storable_name(name: str) -> str:
    """A file name as the store and the cursor's JSON can hold it: bytes that are not UTF-8
    (os.fsdecode keeps them as lone surrogates) become `\\xNN`, after a `/` that marks the
    escaped form (no key below a folder starts with one) and with backslashes doubled, so that
    two names never share one form."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name).replace(b"\\", b"\\\\")
        return "/" + raw.decode("utf-8", "backslashreplace")
    return name


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _walk(root: Path, *, follow_symlinks: bool = False) -> list[_Listed]:
    """The inputs under `root` in `list_files` order; a key is the path below `root`.

    Symbolic links are judged by where they lead (see `FilesConfig.follow_symlinks`); a folder
    that cannot be listed is an `unreadable` input of its own, keyed by its path and a `/`.
    """
    if not root.is_dir():
        return [_Listed(storable_name(root.name), str(root))]
    top = str(root)
    found: list[_Listed] = []
    walked = {top}  # real paths of the folders walked: a link back to one is not walked twice

    # Strings and scandir, not Paths: a folder of 100k files is listed every run, and only the
    # links among its entries cost a realpath. A stack, not recursion: a chain of folders a few
    # thousand deep (a path can hold 2,000 one-letter folders) must not stop the listing.
    pending: list[tuple[str, str]] = [(top, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            detail = f"the folder could not be listed: {exc.strerror or exc}"
            found.append(_Listed(storable_name(prefix or "./"), folder, ("unreadable", detail)))
            continue
        folders: list[tuple[str, str]] = []
        for entry in entries:
            key = prefix + entry.name
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                inside = _inside(target, top)
                if not inside and not follow_symlinks:
                    detail = f"a symbolic link to {target}, outside the source folder {top}"
                    found.append(_Listed(storable_name(key), entry.path, ("outside_source", detail)))
                elif not os.path.lexists(target):
                    detail = f"a symbolic link to {target}, which does not exist"
                    found.append(_Listed(storable_name(key), entry.path, ("unreadable", detail)))
                elif not os.path.isdir(target):
                    found.append(_Listed(storable_name(key), target))  # read where it leads, as judged
                elif not inside and target not in walked:
                    walked.add(target)
                    folders.append((target, key + "/"))
                continue
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False  # looked at again, and rejected, as a file
            if is_folder:
                folders.append((entry.path, key + "/"))
            else:
                found.append(_Listed(storable_name(key), entry.path))
        # A folder's files come before its subfolders', each subfolder whole before the next.
        pending.extend(reversed(folders))
    return found


def list_files(root: Path) -> list[Path]:
    """Return the files under `root` in a stable order, skipping hidden files and folders."""
    return [Path(item.path) for item in _walk(root) if item.problem is None]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def _stat(path: str) -> os.stat_result | OSError:
    try:
        return os.stat(path)
    except OSError as exc:
        return exc


def _known(cursor: dict[str, Any] | None) -> dict[str, list[Any]]:
    """The per-file entries of a saved cursor; anything else in it (an older format) is ignored."""
    files = cursor.get("files") if cursor else None
    if not isinstance(files, dict):
        return {}
    return {
        key: entry
        for key, entry in files.items()
        if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], int) and isinstance(entry[2], str)
    }


@dataclass
class _Outcome:
    """What reading one file left for the cursor: its entry, and whether it was only touched."""

    entry: list[Any] = field(default_factory=list)
    touched: bool = False

    def set_hash(self, digest: str) -> None:
        """Record the content read; a racy mtime is left out so that the next run checks the hash."""
        self.entry[2] = digest
        if self.entry[1] is not None and time.time_ns() - self.entry[1] < RACY_NS:
            self.entry[1] = None


@register_source("files")
class FilesSource:
    """Reads the files under a path that are new or changed since the cursor.

    The cursor is `{"files": {key: [size, mtime_ns, sha256 prefix]}}`, the key being the path
    below the source's path. A file whose size and mtime match its entry is skipped without
    being read; one whose size or mtime changed but whose content hash did not is skipped too
    (touched only) and its entry updated. A rejected file (`too_large`, `unreadable`,
    `special_file`) has an empty hash and is skipped while its size and mtime stay the same and
    the reason still holds; an input rejected unopened (`outside_source`, a folder that cannot be
    listed, a file that cannot be looked at) has `[-1, -1, ""]` and is skipped while it stays so.
    Files gone from disk drop out. A key that is not UTF-8 is kept as `storable_name` writes it.
    Every page carries the entries of every file finished so far plus the older entries of files
    still on disk, so a run that stops part-way resumes after the last committed page. A .jsonl
    file cut across pages is entered once finished; after a crash inside it, it is read again
    whole and its committed records come back as duplicates.
    """

    config_model: ClassVar[type[BaseModel]] = FilesConfig

    def __init__(self, config: FilesConfig) -> None:
        self.config = config
        self.root = config.path.expanduser().resolve()
        if not self.root.exists():
            raise SourceNotFoundError(f"no such file or folder: {config.path}")
        self._name = storable_name(str(self.root))

    @property
    def name(self) -> str:
        return self._name

    def _unchanged(self, path: str, info: os.stat_result | OSError, entry: list[Any]) -> bool:
        """Whether a file may be skipped unread: same size and mtime, and read before or still rejected."""
        if isinstance(info, OSError):
            return bool(entry[0] == -1)  # it could not be looked at last time either
        if [info.st_size, info.st_mtime_ns] != entry[:2]:
            return False
        if entry[2].startswith(UNPACKED_OVER):
            return self.config.max_bytes <= _unpacked_cap(entry[2])
        if entry[2]:
            return True
        # Rejected last time: skipped unless a larger cap or a permission fixed since lets it in.
        too_large = info.st_size > self.config.max_bytes and not _is_jsonl(path)
        return too_large or not stat.S_ISREG(info.st_mode) or not os.access(path, os.R_OK)

    def _problem(self, listed: _Listed, out: _Outcome) -> Iterator[Reject]:
        """The reject of an input judged from its listing alone (a link out of the folder, a folder
        that cannot be listed); its entry says it was not opened, like a file that could not be."""
        assert listed.problem is not None
        reason, detail = listed.problem
        out.entry = [-1, -1, ""]
        yield Reject(source=self.name, uri=Path(listed.path).as_uri(), reason=reason, detail=detail)

    def _inputs(
        self, path: str, info: os.stat_result | OSError, old: list[Any] | None, at: datetime, out: _Outcome
    ) -> Iterator[RawDocument | Reject]:
        """Yield the documents of one file, or the reject that stands for it, and fill in `out`.

        `old` is the file's entry when the content it had then counts (not for a rescan): the
        same content again is only touched, and nothing is yielded.
        """
        file_path = Path(path)
        uri = file_path.as_uri()
        if isinstance(info, OSError):
            out.entry = [-1, -1, ""]
            yield Reject(source=self.name, uri=uri, reason="unreadable", detail=str(info), size_bytes=0)
            return
        out.entry = [info.st_size, info.st_mtime_ns, ""]
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end: not opened
            yield Reject(source=self.name, uri=uri, reason="special_file", detail=_special(info.st_mode))
            return
        try:
            with open(path, "rb", opener=_open_unblocked) as file:
                # The entry takes the size and mtime of what is read, not of the listing before it.
                opened = os.fstat(file.fileno())
                out.entry = [opened.st_size, opened.st_mtime_ns, ""]
                if not stat.S_ISREG(opened.st_mode):  # swapped for a FIFO or a device since it was listed
                    yield Reject(source=self.name, uri=uri, reason="special_file", detail=_special(opened.st_mode))
                    return
                compressed = file.peek(len(GZIP_MAGIC))[: len(GZIP_MAGIC)] == GZIP_MAGIC
                if _is_jsonl(path):
                    yield from self._records(file, uri, old, at, out, compressed=compressed)
                    return
                content = self._content(file, opened.st_size)
        except OSError as exc:
            out.entry[2] = ""  # read in part: a reject, tried again when it changes
            yield Reject(source=self.name, uri=uri, reason="unreadable", detail=str(exc), size_bytes=info.st_size)
            return
        size = max(opened.st_size, len(content))  # it may have grown since the fstat
        if size > self.config.max_bytes:
            detail = f"{size} bytes, over the cap of {self.config.max_bytes}"
            yield Reject(source=self.name, uri=uri, reason="too_large", detail=detail, size_bytes=size)
            return
        out.set_hash(_digest(content))
        if old is not None and old[2] == out.entry[2]:
            out.touched = True
            return
        if old is not None and old[2] == f"{UNPACKED_OVER}{self.config.max_bytes}:{out.entry[2]}":
            out.entry[2] = old[2]  # the same gzip file, still over the cap (its mtime was racy): not unpacked again
            out.touched = True
            return
        if compressed:
            unpacked = self._unpacked(content, uri, out)
            if isinstance(unpacked, Reject):
                yield unpacked
                return
            content = unpacked
        kind = kind_of(file_path, content[:256])
        yield RawDocument(source=self.name, uri=uri, content=content, kind=kind, fetched_at=at)

    def _unpacked(self, packed: bytes, uri: str, out: _Outcome) -> bytes | Reject:
        """A gzip file's content, never more than the cap and one byte unpacked (a bomb stops there), or its reject.

        Unpacking past the cap is `too_large`, tried again when the cap grows; a broken stream is
        `decode_error`, tried again when the file changes.
        """
        cap = self.config.max_bytes
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(packed), mode="rb") as stream:
                content = stream.read(cap + 1)
        except _GZIP_ERRORS as exc:
            detail = f"a broken gzip file: {exc}"
            return Reject(source=self.name, uri=uri, reason="decode_error", detail=detail, size_bytes=len(packed))
        if len(content) > cap:
            out.entry[2] = f"{UNPACKED_OVER}{cap}:{out.entry[2]}"  # the cap, and the content's hash
            detail = f"a gzip file of {len(packed)} bytes that unpacks to more than the cap of {cap}"
            return Reject(source=self.name, uri=uri, reason="too_large", detail=detail, size_bytes=len(packed))
        return content

    def _content(self, file: io.BufferedReader, size: int) -> bytes:
        """The file's bytes, never more than the cap and one: a file that grew since its fstat, or
        one that says it is empty and is not (/proc), is read only that far."""
        cap = self.config.max_bytes
        if size > cap:
            return b""
        # Not read(max_bytes + 1) at once: that allocates the whole cap for every small file.
        content = file.read(size + 1)
        if len(content) > size:
            content += file.read(cap - len(content) + 1)
        return content

    def _records(
        self,
        file: io.BufferedReader,
        uri: str,
        old: list[Any] | None,
        at: datetime,
        out: _Outcome,
        *,
        compressed: bool = False,
    ) -> Iterator[RawDocument | Reject]:
        """A JSON Lines file is a stream of records: each record is one document, so a large export
        is read line by line and never held whole, gzip-compressed or not. A record over the cap is
        a `too_large` reject read no further than its end; a gzip stream that breaks part-way is a
        `decode_error` reject after the records before the break."""
        digest = ""
        if compressed or (old is not None and old[2]):
            digest = hashlib.file_digest(file, "sha256").hexdigest()[:HASH_CHARS]
            if old is not None and digest == old[2]:
                out.set_hash(digest)
                out.touched = True
                return
            file.seek(0)
        hasher = None if digest else hashlib.sha256()
        stream: io.BufferedIOBase = gzip.GzipFile(fileobj=file, mode="rb") if compressed else file
        cap = self.config.max_bytes
        most = max(cap, MAX_RATIO * out.entry[0]) if compressed else None
        n_records = 0
        lines = _Lines(stream, cap, hasher, most)
        try:
            for number, line, size in lines:
                n_records += 1
                if line is None:
                    detail = f"a record of {size} bytes, over the cap of {cap}"
                    yield Reject(
                        source=self.name, uri=f"{uri}#L{number}", reason="too_large", detail=detail, size_bytes=size
                    )
                else:
                    yield RawDocument(
                        source=self.name, uri=f"{uri}#L{number}", content=line, kind="jsonl", fetched_at=at
                    )
        except _UnpackedTooFarError:
            out.set_hash(digest)
            detail = (
                f"a gzip file of {out.entry[0]} bytes that unpacks to more than {most} bytes "
                f"({MAX_RATIO} times its size); its {lines.number} lines before that point are read"
            )
            yield Reject(source=self.name, uri=uri, reason="too_large", detail=detail, size_bytes=out.entry[0])
            return
        except _GZIP_ERRORS as exc:
            out.set_hash(digest)
            detail = f"a broken gzip file after {lines.number} lines: {exc}"
            yield Reject(source=self.name, uri=uri, reason="decode_error", detail=detail, size_bytes=out.entry[0])
            return
        out.set_hash(digest or (hasher.hexdigest()[:HASH_CHARS] if hasher else ""))
        if n_records == 0:
            yield Reject(source=self.name, uri=uri, reason="empty", detail="no records", size_bytes=out.entry[0])

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Yield pages of at most `page_size` inputs from the files new or changed since `cursor`, in path order.

        A page also ends at the input that brings its documents to `page_bytes` or more.

        A file only touched counts towards a page too, so a folder of touched files still saves
        its progress. The first page is always yielded, empty if nothing changed.
        """
        size, budget = self.config.page_size, self.config.page_bytes
        known = _known(cursor)
        listing = _walk(self.root, follow_symlinks=self.config.follow_symlinks)
        # Entries of files gone from disk are dropped here; the others stay until their file is reached.
        state = {item.key: known[item.key] for item in listing if item.key in known}
        changed = len(state) != len(known)
        yielded = False
        page, n_touched, n_bytes = Page(), 0, 0
        at = datetime.now(UTC)
        progress.expect(len(listing))
        for listed in listing:
            progress.advance()
            key, path = listed.key, listed.path
            old = None if self.config.rescan else state.get(key)
            out = _Outcome()
            if listed.problem is not None:
                if old is not None and old[0] == -1 and not old[2]:
                    continue  # rejected unopened last time, for this reason or another
                inputs: Iterator[RawDocument | Reject] = self._problem(listed, out)
            else:
                info = _stat(path)
                if old is not None and self._unchanged(path, info, old):
                    continue
                inputs = self._inputs(path, info, old, at, out)
            for item in inputs:
                # Only a .jsonl file fills a page part-way: that page goes out without the file in its cursor.
                if len(page) + n_touched >= size or n_bytes >= budget:
                    yield _with_cursor(page, state)
                    yielded, changed = True, False
                    page, n_touched, n_bytes = Page(), 0, 0
                if isinstance(item, Reject):
                    page.rejects.append(item)
                else:
                    page.documents.append(item)
                    n_bytes += len(item.content)
            state[key] = out.entry
            changed = True
            n_touched += out.touched
            if len(page) + n_touched >= size or n_bytes >= budget:
                yield _with_cursor(page, state)
                yielded, changed = True, False
                page, n_touched, n_bytes = Page(), 0, 0
        if len(page) or changed or not yielded:
            yield _with_cursor(page, state)


def _open_unblocked(path: str, flags: int) -> int:
    """Open without waiting: a FIFO swapped in since the listing must not hang the run (its fstat
    rejects it), and a link swapped in for a listed file fails instead of being followed."""
    return os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))


_SPECIAL = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def _special(mode: int) -> str:
    kind = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
    return f"{kind}; not read"


def _unpacked_name(path: str) -> tuple[str, str]:
    """A path split into root and suffix, a `.gz` taken off first: `a.html.gz` reads as `a.html`."""
    root, suffix = os.path.splitext(path)
    if suffix.casefold() == ".gz":
        root, suffix = os.path.splitext(root)
    return root, suffix


def _unpacked_cap(mark: str) -> int:
    """The cap a gzip file unpacked past, from its entry's mark (`>CAP`, or `>CAP:HASH`)."""
    return int(mark[len(UNPACKED_OVER) :].partition(":")[0] or 0)


def _is_jsonl(path: str) -> bool:
    return _unpacked_name(path)[1].casefold() in JSONL_SUFFIXES


class _UnpackedTooFarError(Exception):
    """A compressed stream unpacked past its bound."""


class _Lines:
    """The records of a JSON Lines stream as (line number, line, size), read a chunk at a time.

    Lines of nothing but white space are skipped (their numbers counted) by a regular expression,
    so a million blank lines cost no Python loop. A line over `cap` bytes comes as `None` with its
    size, read no further than the cap and never held whole (one line of a gigabyte must not be).
    `hasher` sees every byte; `number` is the count of lines finished so far.

    Raises:
        _UnpackedTooFarError: the stream (a GzipFile) went past `most` bytes unpacked.
    """

    def __init__(self, stream: io.BufferedIOBase, cap: int, hasher: Any = None, most: int | None = None) -> None:
        self.stream, self.cap, self.hasher, self.most = stream, cap, hasher, most
        self.number = 0

    def __iter__(self) -> Iterator[tuple[int, bytes | None, int]]:
        head = bytearray()  # the start of a line that goes on in the next chunk, up to the cap and one
        head_size = 0
        while chunk := self.stream.read(_CHUNK):
            if self.hasher is not None:
                self.hasher.update(chunk)
            if self.most is not None and self.stream.tell() > self.most:
                raise _UnpackedTooFarError
            first = chunk.find(b"\n")
            if first < 0:
                head_size += len(chunk)
                if len(head) <= self.cap:
                    head += chunk[: self.cap + 1 - len(head)]
                continue
            head += chunk[: first + 1] if len(head) <= self.cap else b""
            head_size += first + 1
            self.number += 1
            if head_size > self.cap:
                yield self.number, None, head_size
            elif head.strip():
                yield self.number, bytes(head), head_size
            head.clear()
            last = chunk.rfind(b"\n")
            position = first + 1
            for match in _RECORD_LINE.finditer(chunk, first + 1, last + 1):
                self.number += chunk.count(b"\n", position, match.start()) + 1
                position = match.end()
                line = match.group()
                yield self.number, (line if len(line) <= self.cap else None), len(line)
            self.number += chunk.count(b"\n", position, last + 1)
            head += chunk[last + 1 : last + 2 + self.cap]
            head_size = len(chunk) - last - 1
        if head_size:
            self.number += 1
            if head_size > self.cap:
                yield self.number, None, head_size
            elif head.strip():
                yield self.number, bytes(head), head_size


def _with_cursor(page: Page, state: dict[str, list[Any]]) -> Page:
    # A copy: the reader goes on (in a prefetching thread) while the page waits to be committed.
    page.cursor = {"files": dict(state)}
    return page
