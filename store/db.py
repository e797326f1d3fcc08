"""DuckDB at the edge: open, migrate, append one batch in one transaction, read without writing."""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from schemas import (
    AppendResult,
    Article,
    Batch,
    DatabaseMissingError,
    EmptyQueryError,
    NotADatabaseError,
    QueryRefusedError,
    QueryTimeoutError,
    Reject,
    migrations,
)
from store.turns import Holder, Waiting, add_waited, read_turn, write_turn


def _arrow_pool() -> pa.MemoryPool:
    """The Arrow memory pool this process builds its batches in: jemalloc, which hands freed memory
    back, where pyarrow has it, else the C library's allocator.

    pyarrow's default on Linux, mimalloc, keeps what a batch's tables held: a 40 MB column of texts
    left 113 MiB resident after it was freed, under jemalloc 7 MiB (bench.memory has whole runs).
    """
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow built without jemalloc
        return pa.system_memory_pool()


pa.set_memory_pool(_arrow_pool())

DEFAULT_WAIT_SECONDS = 30.0
# One writer at a time in this process too: a run's heartbeat thread and its batches would
# otherwise conflict on the run's row, and a CHECKPOINT fails while another transaction is open.
_WRITING = threading.RLock()
# The files whose write turn this process holds (by the thread holding _WRITING), with their connection.
_TURNS_HELD: dict[Path, duckdb.DuckDBPyConnection] = {}

ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("uri", pa.string()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("published_precision", pa.string()),
        ("language", pa.string()),
        ("text", pa.string()),
        ("content_hash", pa.string()),
        ("word_count", pa.int32()),
        ("size_bytes", pa.int64()),
        ("encoding", pa.string()),
        ("run_id", pa.string()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        ("story_id", pa.string()),
        ("dup_of", pa.string()),
        ("similarity", pa.float64()),
        ("authors", pa.list_(pa.string())),
        ("text_from", pa.string()),
    ]
)
REJECT_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("source", pa.string()),
        ("uri", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("size_bytes", pa.int64()),
        ("at", pa.timestamp("us", tz="UTC")),
    ]
)
_ARTICLE_COLUMNS = ", ".join(ARTICLE_SCHEMA.names)
_REJECT_COLUMNS = ", ".join(f'"{name}"' for name in REJECT_SCHEMA.names)


def _is_lock_error(exc: Exception) -> bool:
    return "lock" in str(exc).casefold()


_LOCK_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _foreign_holder(exc: Exception) -> tuple[str, str]:
    """Name and waiting message for a process DuckDB says holds the file without taking turns."""
    found = _LOCK_HOLDER.search(str(exc))
    name = f"process {found['pid']} ({Path(found['program']).name})" if found else "another process"
    return name, f"waiting for {name} to let go of the file…"


# Rows per row group of a file opened for writing (DuckDB's default is 122,880). A checkpoint
# rewrites the whole last row group, not only the rows a batch added: with the default, every
# batch's checkpoint re-compressed up to 122,880 stored texts, so its time and the writer's memory
# grew with the texts already stored (600 MB of 5,000-character texts in batches of 30 MB: peak
# 1,817 MiB, last checkpoint 51 s; with 2,048 rows: 328 MiB and under 0.1 s, `bench.duckdb_strings`).
# DuckDB does not keep the setting in the file: each writing connection gives it again.
ROW_GROUP_SIZE = 2048
# Texts longer than this (in characters) are stored in parts of this length (`text_parts`; the
# view `articles` puts them back whole): with 2,048 rows in a row group, a checkpoint then
# rewrites at most 2,048 × 8,192 characters of a table's text, whatever the inputs' sizes. The
# checkpoint's memory follows that bound (`bench.duckdb_strings --row-group-size 2048 --parts N`,
# 200 MB of text in batches of 8 MB, peak of the process): 5 MB texts 339 MiB with parts of
# 16,384 characters, 213 with 8,192, 221 with 4,096; texts of 16,000 characters 380, 282 and 201.
# 8,192 keeps 80 % of news-html-gold's texts in their row. Parts stored at another length (16,384
# by migration 0009) read back the same.
TEXT_PART_CHARS = 8_192
_RESERVED_CATALOGS = {"memory", "main", "system", "temp"}  # names ATTACH refuses in an in-memory connection


# One in-memory DuckDB database per process, to which each write turn attaches its file and from
# which it detaches it after: starting a database took 15-20 ms a turn, attaching a file takes 3
# (a run with nothing new takes five turns). Detaching lets go of the file as closing did. After
# a turn longer than KEEP_HOST_SECONDS the host is closed too: DuckDB keeps what a database's
# threads allocated until it closes, and kept across the batches of 6,000 files of 16 KB the
# run process peaked at 474 and 472 MiB instead of 432 and 431 (435 closing it after every
# turn); a turn that long has no use for the 15 ms saved.
KEEP_HOST_SECONDS = 0.1
_HOST_LOCK = threading.Lock()
_host: duckdb.DuckDBPyConnection | None = None


def _host_database() -> duckdb.DuckDBPyConnection:
    global _host
    with _HOST_LOCK:
        if _host is None:
            _host = duckdb.connect(":memory:")
        return _host


def _forget_host() -> None:
    """In a forked child: set the parent's host database aside, untouched, for a new one.

    It is never closed or freed there (one reference more, never given back): DuckDB's
    destructor would stop threads that stayed in the parent, a segmentation fault in every child
    forked with a preexec_fn before it could exec, and an abort when a forked child exits.
    """
    global _host
    if _host is not None:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(_host))
    _host = None


os.register_at_fork(after_in_child=_forget_host)


def _close_host_at_exit() -> None:
    """Close the host database before the interpreter tears DuckDB's module down (which reports a
    database still open then as leaked), unless a thread is still writing through it."""
    if not _WRITING.acquire(timeout=1.0):
        return
    try:
        host = _host
        if host is not None:
            _close_host(host)
    finally:
        _WRITING.release()


atexit.register(_close_host_at_exit)


def _close_host(host: duckdb.DuckDBPyConnection) -> None:
    """Close the host database (and with it every file attached to it)."""
    global _host
    with _HOST_LOCK:
        if _host is host:
            _host = None
    host.close()


def _attach(path: Path) -> duckdb.DuckDBPyConnection:
    """Open `path` for writing with newsflow's row group size, under the catalog name DuckDB would
    give it, in the process's host database (`_detach` lets go of it)."""
    host = _host_database()
    con = host.cursor()
    try:
        file = str(path).replace("'", "''")
        name = path.stem if path.stem.casefold() not in _RESERVED_CATALOGS else "newsflow"
        name = name.replace('"', '""')
        con.execute(f"ATTACH '{file}' AS \"{name}\" (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute(f'USE "{name}"')
    except BaseException:
        con.close()
        raise
    return con


def _detach(con: duckdb.DuckDBPyConnection, *, keep_host: bool = True) -> None:
    """Let go of the file `_attach` opened on `con`: what is not committed is rolled back, as on
    closing a connection. The host database is closed as well without `keep_host`, or if DuckDB
    refuses, so that the file is never left held."""
    try:
        with suppress(duckdb.Error):  # no transaction open: nothing to roll back
            con.rollback()
        (name,) = con.execute("SELECT current_database()").fetchone() or ("",)
        con.execute("USE memory")
        con.execute(f'DETACH "{str(name).replace(chr(34), chr(34) * 2)}"')
    except duckdb.Error:
        keep_host = False
    host = _host
    con.close()
    if not keep_host and host is not None:
        _close_host(host)


def _connect(
    path: Path, *, read_only: bool, waiting: Waiting, config: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while a process that takes no turns holds it (DuckDB's own lock)."""
    delay = 0.05
    refused_at: float | None = None
    while True:
        try:
            con = duckdb.connect(str(path), read_only=True, config=config or {}) if read_only else _attach(path)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            refused_at = refused_at or time.monotonic()
            waiting.waiting_for(*_foreign_holder(exc))
            if waiting.expired():
                raise waiting.busy(path, reading=read_only) from exc
            waiting.sleep(delay)
            delay = min(delay * 2, 1.0)
            continue
        if refused_at is not None and not read_only:
            add_waited(time.monotonic() - refused_at)
        return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations the file lacks, each in its own transaction; return the schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)"
    )
    (row,) = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()
    current = int(row[0])
    for migration in migrations():
        if migration.version <= current:
            continue
        con.begin()
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [migration.version, migration.name, datetime.now(UTC)],
            )
            con.commit()
        except Exception:
            con.rollback()
            raise
        current = migration.version
    return current


@contextmanager
def writer(
    path: str | Path, *, wait: float = DEFAULT_WAIT_SECONDS, holder: Holder | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for writing, migrated to the current schema; close it on exit.

    The file is held only inside the `with` block, and only in turn (`store.turns`): readers
    waiting when the block is entered go first, and they can read between batches.

    Args:
        path: the DuckDB file.
        wait: seconds to wait for the turn.
        holder: who writes and what for, as a reader waiting meanwhile is told.

    Raises:
        DatabaseBusyError: others held the file for longer than `wait` seconds.
    """
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    with _WRITING:
        key = file.resolve()
        if key in _TURNS_HELD:  # this thread is already writing to it: the turn (and the file) are ours
            con = _TURNS_HELD[key].cursor()
            try:
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            return
        waiting = Waiting(wait)
        with write_turn(file, holder or Holder(), waiting), _open_writer(file, waiting) as con:
            _TURNS_HELD[key] = con
            try:
                yield con
            finally:
                del _TURNS_HELD[key]


@contextmanager
def _open_writer(file: Path, waiting: Waiting) -> Iterator[duckdb.DuckDBPyConnection]:
    con = _connect(file, read_only=False, waiting=waiting)
    opened = time.monotonic()
    try:
        migrate(con)
        yield con
        # Closing the last connection checkpoints the file; an explicit CHECKPOINT does the same
        # work through execute(), which lets other Python threads run meanwhile (measured in bench/).
        con.execute("CHECKPOINT")
    finally:
        _detach(con, keep_host=time.monotonic() - opened < KEEP_HOST_SECONDS)


# What SQL on a reader reaches: the database's own tables and nothing else on the machine. Measured
# with DuckDB 2.0: with external access off, reading or listing files (read_csv, read_text,
# read_blob, glob, a path as a table), COPY, EXPORT and IMPORT DATABASE, ATTACH, INSTALL, LOAD,
# http(s) paths and persistent secrets are refused, while the file opened here (and its WAL) stays
# readable. The locked configuration refuses turning any of it back on; unlocked, `SET
# autoinstall_known_extensions` passes and `CALL enable_logging(storage = 'file', ...)` to a
# forbidden path aborts the whole process. Known extensions are never installed or loaded on a
# query's behalf (reading an http address or attaching a SQLite file would fetch one).
_NO_EXTENSIONS: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_SANDBOX: dict[str, Any] = {**_NO_EXTENSIONS, "enable_external_access": False, "lock_configuration": True}
# Files allowed: every directory is, through DuckDB's allow-list, so that external access can stay
# off and with it LOAD and http(s) paths. INSTALL would still download from DuckDB's own
# repository; an extension directory that cannot be created stops it before any connection.
# DuckDB takes allowed_directories only once the database is open, hence the statements.
_FILES_ALLOWED: dict[str, Any] = {**_NO_EXTENSIONS, "extension_directory": "/dev/null/extensions"}
_FILES_ALLOWED_THEN = (
    "SET allowed_directories = ['/']",
    "SET enable_external_access = false",
    "SET lock_configuration = true",
)
# A file is newsflow's when it holds these (the first migration makes both).
_NEWSFLOW_TABLES = ("articles", "schema_version")


def _open_reader(file: Path, *, waiting: Waiting, allow_files: bool) -> duckdb.DuckDBPyConnection:
    """Open `file` read-only in the sandbox, or fail with one line saying why it is not a database."""
    try:
        con = _connect(file, read_only=True, waiting=waiting, config=_FILES_ALLOWED if allow_files else _SANDBOX)
    except duckdb.PermissionException as exc:  # a SQLite file, say: DuckDB wants an extension to read it
        raise NotADatabaseError(f"{file} is not a newsflow database (not a DuckDB file)") from exc
    except duckdb.IOException as exc:
        if "not a valid DuckDB database file" in str(exc):
            raise NotADatabaseError(f"{file} is not a newsflow database (not a DuckDB file)") from exc
        raise NotADatabaseError(f"could not read {file}: {str(exc).splitlines()[0]}") from exc
    try:
        for statement in _FILES_ALLOWED_THEN if allow_files else ():
            con.execute(statement)
        present = {
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() AND table_schema = 'main'"
            ).fetchall()
        }
        missing = [name for name in _NEWSFLOW_TABLES if name not in present]
        if missing:
            raise NotADatabaseError(f"{file} is not a newsflow database (no table {missing[0]})")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def reader(
    path: str | Path,
    *,
    wait: float = DEFAULT_WAIT_SECONDS,
    allow_files: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database read-only in its turn: after the batch being written, before the next.

    SQL on the connection reaches the database's tables and nothing else: no files, no network,
    no extensions, no way to change that. `allow_files` lets it read and write files (a user's
    own exports); extensions and the network stay off. Writers wait while the connection is open.

    Args:
        path: the DuckDB file.
        wait: seconds to wait for the turn.
        allow_files: let SQL on the connection read and write files.
        on_wait: called with a line saying what the reader waits for ("waiting for the run … to
            finish its batch…"), each time that changes.

    Raises:
        DatabaseMissingError: there is no database file at `path`.
        NotADatabaseError: `path` is a folder, not a DuckDB file, or a DuckDB file without newsflow's tables.
        DatabaseBusyError: writers held the file for longer than `wait` seconds (the message names them).
    """
    file = Path(path)
    if not file.exists():
        raise DatabaseMissingError(f"no database at {file}: run `newsflow run` first, or pass --db")
    if file.is_dir():
        raise NotADatabaseError(f"{file} is not a newsflow database (a folder)")
    waiting = Waiting(wait, on_wait)
    with read_turn(file, waiting):
        con = _open_reader(file, waiting=waiting, allow_files=allow_files)
        try:
            yield con
        finally:
            con.close()


_STORY_COLUMNS = ("story_id", "dup_of", "similarity")
_DOCUMENT_SCHEMA = pa.schema([f for f in ARTICLE_SCHEMA if f.name not in _STORY_COLUMNS])
_MAX_DETAIL_CHARS = 500


def _document_table(articles: Sequence[Article], run_id: str, now: datetime) -> pa.Table:
    """The articles' own columns, without the story columns decided in the transaction."""
    return pa.table(
        {
            "article_id": [a.article_id for a in articles],
            "source": [a.source for a in articles],
            "uri": [a.uri for a in articles],
            "outlet": [a.outlet for a in articles],
            "title": [a.title for a in articles],
            "published_at": [a.published_at for a in articles],
            "published_precision": [a.published_precision for a in articles],
            "language": [a.language for a in articles],
            "text": [a.text if len(a.text) <= TEXT_PART_CHARS else None for a in articles],
            "content_hash": [a.content_hash for a in articles],
            "word_count": [a.word_count for a in articles],
            "size_bytes": [a.size_bytes for a in articles],
            "encoding": [a.encoding for a in articles],
            "run_id": [run_id] * len(articles),
            "ingested_at": [now] * len(articles),
            "authors": [list(a.authors) for a in articles],
            "text_from": [a.text_from for a in articles],
        },
        schema=_DOCUMENT_SCHEMA,
    )


def _parts_table(articles: Sequence[Article]) -> pa.Table:
    """The `text_parts` rows of the articles whose text is longer than TEXT_PART_CHARS."""
    ids: list[str] = []
    numbers: list[int] = []
    parts: list[str] = []
    for article in articles:
        if len(article.text) > TEXT_PART_CHARS:
            for number, at in enumerate(range(0, len(article.text), TEXT_PART_CHARS)):
                ids.append(article.article_id)
                numbers.append(number)
                parts.append(article.text[at : at + TEXT_PART_CHARS])
    return pa.table(
        {
            "article_id": pa.array(ids, pa.string()),
            "part": pa.array(numbers, pa.int32()),
            "text": pa.array(parts, pa.string()),
        }
    )


def _insert_parts(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> None:
    """Store the long texts of `articles` in parts (their `article_rows.text` is NULL)."""
    table = _parts_table(articles)
    if table.num_rows:
        con.register("incoming_parts", table)
        con.execute("INSERT INTO text_parts (article_id, part, text) SELECT article_id, part, text FROM incoming_parts")
        con.unregister("incoming_parts")


def _storable(articles: Sequence[Article], run_id: str, now: datetime) -> tuple[pa.Table, list[Article], list[Reject]]:
    """Convert the articles for DuckDB: the table of those that convert, those articles, and a
    `store_error` reject for each of the others (converted one by one only when the batch fails)."""
    try:
        return _document_table(articles, run_id, now), list(articles), []
    except Exception:  # found below, article by article
        pass
    tables: list[pa.Table] = []
    kept: list[Article] = []
    rejects: list[Reject] = []
    for article in articles:
        try:
            tables.append(_document_table([article], run_id, now))
            kept.append(article)
        except Exception as exc:  # one article's fault is that article's reject
            detail = f"{type(exc).__name__}: {exc}"[:_MAX_DETAIL_CHARS]
            rejects.append(
                Reject(
                    source=article.source,
                    uri=article.uri,
                    reason="store_error",
                    detail=detail,
                    size_bytes=article.size_bytes,
                )
            )
    table = pa.concat_tables(tables) if tables else _DOCUMENT_SCHEMA.empty_table()
    return table, kept, rejects


def _with_stories(table: pa.Table, stories: Sequence[StoryAssignment]) -> pa.Table:
    """The articles' table with the story columns the transaction decided, in the articles' order."""
    columns = {
        "story_id": pa.array([story for story, _, _ in stories], pa.string()),
        "dup_of": pa.array([dup_of for _, dup_of, _ in stories], pa.string()),
        "similarity": pa.array([similarity for _, _, similarity in stories], pa.float64()),
    }
    for name, column in columns.items():
        table = table.append_column(name, column)
    return table


def article_key(article_id: str) -> int:
    """The signed 64-bit number an article id spells (ids are 16 hexadecimal digits)."""
    return int(article_id[:16], 16) - 2**63


def _band_rows(articles: Sequence[Article]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every usable band key of a batch and the batch position of the article it belongs to."""
    keys = np.array([a.band_keys for a in articles], dtype=np.int64).reshape(len(articles), -1)
    positions = np.repeat(np.arange(len(articles), dtype=np.int64), keys.shape[1])
    flat = keys.ravel()
    usable = flat != -1
    return flat[usable], positions[usable]


def _index_table(articles: Sequence[Article]) -> pa.Table:
    keys, positions = _band_rows(articles)
    owners = np.array([article_key(a.article_id) for a in articles], dtype=np.int64)
    return pa.table({"band_key": pa.array(keys), "article_key": pa.array(owners[positions])})


def _signatures_table(articles: Sequence[Article], stories: Sequence[StoryAssignment]) -> pa.Table:
    return pa.table(
        {
            "article_key": pa.array([article_key(a.article_id) for a in articles], pa.int64()),
            "article_id": [a.article_id for a in articles],
            "story_id": [story for story, _, _ in stories],
            "content_hash": [a.content_hash for a in articles],
            "n_shingles": pa.array([a.n_shingles for a in articles], pa.int32()),
            "signature": pa.array([a.signature for a in articles], pa.binary()),
        }
    )


def _rejects_table(rejects: Sequence[Reject], run_id: str, now: datetime) -> pa.Table:
    return pa.table(
        {
            "run_id": [run_id] * len(rejects),
            "source": [r.source for r in rejects],
            "uri": [r.uri for r in rejects],
            "reason": [r.reason for r in rejects],
            "detail": [r.detail for r in rejects],
            "size_bytes": [r.size_bytes for r in rejects],
            "at": [now] * len(rejects),
        },
        schema=REJECT_SCHEMA,
    )


@dataclass(frozen=True)
class Candidates:
    """Stored articles that share a band key or a content hash with articles of a batch.

    `pairs` holds (batch position, candidate position); the other fields describe candidates.
    """

    article_ids: list[str]
    story_ids: list[str]
    content_hashes: list[str]
    n_shingles: list[int]
    signatures: list[bytes]
    pairs: list[tuple[int, int]]


StoryAssignment = tuple[str, str | None, float | None]
"""(story_id, dup_of, similarity) of one new article."""

AssignStories = Callable[[Sequence[Article], Candidates], Sequence[StoryAssignment]]
"""Decides the stories of a batch's new articles from their stored candidates (dedup does)."""


def _own_stories(articles: Sequence[Article], candidates: Candidates) -> list[StoryAssignment]:
    return [(a.article_id, None, None) for a in articles]


def _find_candidates(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], min_bands: int) -> Candidates:
    """One join against the index (band keys) and one against stored hashes: never a scan of texts."""
    keys, positions = _band_rows(articles)
    con.register("incoming_bands", pa.table({"pos": pa.array(positions), "band_key": pa.array(keys)}))
    con.register(
        "incoming_hashes",
        pa.table(
            {"pos": pa.array(range(len(articles)), pa.int32()), "content_hash": [a.content_hash for a in articles]}
        ),
    )
    # A candidate shares at least `min_bands` band keys (or the content hash): one shared band
    # is what unrelated texts on one topic produce now and then; copies share several.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE candidate AS "
        "SELECT b.pos, f.article_key FROM incoming_bands b JOIN fingerprints f USING (band_key) "
        f"GROUP BY ALL HAVING count(*) >= {int(min_bands)} "
        "UNION SELECT h.pos, s.article_key FROM incoming_hashes h JOIN signatures s USING (content_hash)"
    )
    pairs = con.execute("SELECT pos, article_key FROM candidate ORDER BY 1, 2").fetchall()
    rows = con.execute(
        "SELECT s.article_key, s.article_id, s.story_id, s.content_hash, s.n_shingles, s.signature "
        "FROM signatures s WHERE s.article_key IN (SELECT article_key FROM candidate) ORDER BY s.article_id"
    ).fetchall()
    con.execute("DROP TABLE candidate")
    con.unregister("incoming_bands")
    con.unregister("incoming_hashes")
    found = Candidates([], [], [], [], [], [])
    index: dict[int, int] = {}
    for key, article, story, digest, n_shingles, signature in rows:
        index[key] = len(found.article_ids)
        found.article_ids.append(article)
        found.story_ids.append(story)
        found.content_hashes.append(digest)
        found.n_shingles.append(n_shingles)
        found.signatures.append(bytes(signature))
    found.pairs.extend((pos, index[key]) for pos, key in pairs)
    return found


@dataclass(frozen=True)
class _Versions:
    """What the store holds of a batch's new articles at their address (same source and uri).

    `duplicates`: batch positions that repeat a stored article under another id (a feed's text
    when the article is stored, or a page's text already stored as an upgrade). `upgrades`: batch
    position -> the stored article of feed text that the page's text at that position replaces.
    """

    duplicates: set[int]
    upgrades: dict[int, str]


def _stored_versions(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> _Versions:
    """One join of the batch's addresses against the stored ones: which new articles are another
    version of a stored article (see `append_batch`)."""
    con.register(
        "incoming_versions",
        pa.table(
            {
                "pos": pa.array(range(len(articles)), pa.int32()),
                "source": [a.source for a in articles],
                "uri": [a.uri for a in articles],
                "content_hash": [a.content_hash for a in articles],
                "text_from": [a.text_from for a in articles],
            }
        ),
    )
    rows = con.execute(
        "SELECT i.pos, a.article_id, a.text_from, a.content_hash = i.content_hash "
        "FROM incoming_versions i JOIN article_rows a ON a.uri = i.uri AND a.source = i.source "
        "WHERE i.text_from = 'feed' OR a.text_from = 'feed' OR a.content_hash = i.content_hash "
        "ORDER BY i.pos, a.ingested_at, a.article_id"
    ).fetchall()
    con.unregister("incoming_versions")
    duplicates: set[int] = set()
    upgrades: dict[int, str] = {}
    for pos, stored_id, stored_from, same_text in rows:
        if same_text or articles[pos].text_from == "feed":
            duplicates.add(pos)
        elif stored_from == "feed":
            upgrades.setdefault(pos, stored_id)
    return _Versions(duplicates, {pos: stored for pos, stored in upgrades.items() if pos not in duplicates})


def _upgrade(con: duckdb.DuckDBPyConnection, pages: Sequence[Article], table: pa.Table) -> list[str]:
    """Replace stored articles of feed text by their page's text, in place; return the stories touched.

    `pages` carry the stored article's id. The row keeps its id, story, run and time of arrival;
    its text and what is read from it change, and so do its fingerprint rows and signature. Its
    `extractions` rows go, so that its events are coded again from the page's text.
    """
    con.register("upgrades", table)
    con.execute(
        "UPDATE article_rows SET title = u.title, outlet = u.outlet, published_at = u.published_at, "
        "published_precision = u.published_precision, language = u.language, text = u.text, "
        "content_hash = u.content_hash, word_count = u.word_count, size_bytes = u.size_bytes, "
        "encoding = u.encoding, authors = u.authors, text_from = u.text_from "
        "FROM upgrades u WHERE article_rows.article_id = u.article_id"
    )
    con.unregister("upgrades")
    con.register("upgraded_ids", pa.table({"article_id": pa.array([a.article_id for a in pages], pa.string())}))
    con.execute("DELETE FROM text_parts WHERE article_id IN (SELECT article_id FROM upgraded_ids)")
    con.unregister("upgraded_ids")
    _insert_parts(con, pages)
    con.register(
        "upgraded_keys", pa.table({"article_key": pa.array([article_key(a.article_id) for a in pages], pa.int64())})
    )
    con.execute("DELETE FROM fingerprints WHERE article_key IN (SELECT article_key FROM upgraded_keys)")
    con.unregister("upgraded_keys")
    con.register("incoming_index", _index_table(pages))
    con.execute("INSERT INTO fingerprints SELECT band_key, article_key FROM incoming_index")
    con.unregister("incoming_index")
    con.register("upgraded_signatures", _signatures_table(pages, [("", None, None)] * len(pages)))
    con.execute(
        "UPDATE signatures SET content_hash = u.content_hash, n_shingles = u.n_shingles, signature = u.signature "
        "FROM upgraded_signatures u WHERE signatures.article_id = u.article_id"
    )
    con.unregister("upgraded_signatures")
    con.register("upgraded_ids", pa.table({"article_id": pa.array([a.article_id for a in pages], pa.string())}))
    con.execute("DELETE FROM extractions WHERE article_id IN (SELECT article_id FROM upgraded_ids)")
    stories = [row[0] for row in con.execute(
        "SELECT DISTINCT story_id FROM article_rows WHERE article_id IN (SELECT article_id FROM upgraded_ids)"
    ).fetchall()]  # fmt: skip
    con.unregister("upgraded_ids")
    return stories


def append_batch(
    path: str | Path,
    batch: Batch,
    assign: AssignStories | None = None,
    *,
    min_bands: int = 2,
) -> AppendResult:
    """Append one batch in one transaction: articles, stories, events, the index, rejects, counts, cursor.

    An article whose id is already stored (the same document delivered again) is a duplicate
    and makes no row. So is a feed entry's text (`text_from` `feed`) at an address the source has
    stored, and a text already stored at its address. A page's text at an address whose stored
    article holds only its feed entry's text upgrades that article in place (`_upgrade`): it
    keeps its id and story, counts as a duplicate, and is returned in `upgraded`; when it is its
    story's canonical copy it is among `canonical_article_ids`, to be coded again.
    Every other article is stored: `assign` places it in the story of the
    stored or earlier article it copies (from candidates found by one join on the band-key
    index and one on content hashes), or in a story of its own. The index rows, the stories it
    touches, the run's counts and the source's cursor are written in the same transaction, so a
    failure anywhere rolls the whole batch back and index and articles stay in step. Events are
    not written here: the events stage codes the new canonical copies afterwards
    (`store.append_extractions`), in transactions of their own.

    Args:
        path: the DuckDB file.
        batch: what to append.
        assign: decides stories; without it every new article is a story of its own.
        min_bands: band keys a stored article must share with a new one to be its candidate.

    Returns:
        What the batch added: new articles (with their ids, and those now canonical), copies among
        them, duplicates, rejects.
    """
    now = datetime.now(UTC)
    decide = assign or _own_stories
    canonical: list[str] = []
    with writer(path, holder=Holder(batch.run_id, "its batch")) as con:
        con.begin()
        try:
            fresh: list[Article] = []
            if batch.articles:
                con.register("incoming_ids", pa.table({"article_id": [a.article_id for a in batch.articles]}))
                stored = {row[0] for row in con.execute(
                    "SELECT i.article_id FROM incoming_ids i JOIN article_rows a USING (article_id)"
                ).fetchall()}  # fmt: skip
                con.unregister("incoming_ids")
                fresh = [a for a in batch.articles if a.article_id not in stored]
            stories: list[StoryAssignment] = []
            unstorable: list[Reject] = []
            upgraded: dict[str, str] = {}
            if fresh:
                versions = _stored_versions(con, fresh)
                pages = [
                    a.model_copy(update={"article_id": versions.upgrades[pos]})
                    for pos, a in enumerate(fresh)
                    if pos in versions.upgrades
                ]
                if pages:
                    page_table, kept_pages, unstorable = _storable(pages, batch.run_id, now)
                    if kept_pages:
                        upgraded_stories = _upgrade(con, kept_pages, page_table)
                        _refresh_stories(con, upgraded_stories)
                        canonical += _now_canonical(con, kept_pages)
                        kept = {a.article_id for a in kept_pages}
                        upgraded = {
                            a.article_id: versions.upgrades[pos]
                            for pos, a in enumerate(fresh)
                            if versions.upgrades.get(pos) in kept
                        }
                skip = versions.duplicates | set(versions.upgrades)
                fresh = [a for pos, a in enumerate(fresh) if pos not in skip]
            if fresh:
                table, fresh, unfit = _storable(fresh, batch.run_id, now)
                unstorable += unfit
            if fresh:
                stories = list(decide(fresh, _find_candidates(con, fresh, min_bands)))
                con.register("incoming_articles", _with_stories(table, stories))
                con.execute(
                    f"INSERT INTO article_rows ({_ARTICLE_COLUMNS}) SELECT {_ARTICLE_COLUMNS} FROM incoming_articles"
                )
                con.unregister("incoming_articles")
                _insert_parts(con, fresh)
                con.register("incoming_index", _index_table(fresh))
                con.execute("INSERT INTO fingerprints SELECT band_key, article_key FROM incoming_index")
                con.unregister("incoming_index")
                con.register("incoming_signatures", _signatures_table(fresh, stories))
                con.execute(
                    "INSERT INTO signatures (article_key, article_id, story_id, content_hash, n_shingles, signature) "
                    "SELECT article_key, article_id, story_id, content_hash, n_shingles, signature "
                    "FROM incoming_signatures"
                )
                con.unregister("incoming_signatures")
                _refresh_stories(con, sorted({story for story, _, _ in stories}))
                canonical += _now_canonical(con, fresh)
            rejects = [*batch.rejects, *unstorable]
            if rejects:
                con.register("incoming_rejects", _rejects_table(rejects, batch.run_id, now))
                con.execute(f"INSERT INTO rejects ({_REJECT_COLUMNS}) SELECT {_REJECT_COLUMNS} FROM incoming_rejects")
                con.unregister("incoming_rejects")
            n_new = len(fresh)
            n_copies = sum(1 for _, dup_of, _ in stories if dup_of is not None)
            n_duplicates = len(batch.articles) - n_new - len(unstorable) + batch.n_batch_duplicates
            con.execute(
                f"UPDATE runs SET n_seen = n_seen + {int(batch.n_seen)}, n_new = n_new + ?, n_copies = n_copies + ?, "
                "n_duplicates = n_duplicates + ?, n_rejected = n_rejected + ?, "
                "n_upgraded = coalesce(n_upgraded, 0) + ?, n_given_up = coalesce(n_given_up, 0) + ? WHERE run_id = ?",
                [n_new, n_copies, n_duplicates, len(rejects), len(upgraded), batch.n_given_up, batch.run_id],
            )
            if batch.cursor is not None:
                con.execute(
                    "INSERT OR REPLACE INTO source_state (source, cursor, updated_at) VALUES (?, ?, ?)",
                    [batch.source, json.dumps(batch.cursor), now],
                )
            con.commit()
        except Exception:
            con.rollback()
            raise
    return AppendResult(
        n_new=n_new,
        n_copies=n_copies,
        n_duplicates=n_duplicates,
        n_rejected=len(rejects),
        n_upgraded=len(upgraded),
        upgraded=upgraded,
        new_article_ids=[a.article_id for a in fresh],
        canonical_article_ids=canonical,
        store_rejects=unstorable,
    )


# The canonical copy of a story is the first one seen, unless a fuller copy arrives: one with at
# least FULLER times its words (the whole story after a cut copy came first). Footers, ads and
# datelines add a few words and do not move it.
FULLER = 1.2


def _refresh_stories(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> None:
    """Recompute the rows of `stories` that a batch touched, from their articles."""
    con.register("touched", pa.table({"story_id": pa.array(story_ids, pa.string())}))
    con.execute(
        "INSERT OR REPLACE INTO stories "
        "SELECT story_id, "
        f"  CASE WHEN max(word_count) >= {FULLER} * first(word_count ORDER BY ingested_at, article_id) "
        "       THEN first(article_id ORDER BY word_count DESC, ingested_at, article_id) "
        "       ELSE first(article_id ORDER BY ingested_at, article_id) END AS canonical_article_id, "
        "  NULL AS title, min(ingested_at), max(ingested_at), count(*), count(DISTINCT outlet) "
        "FROM article_rows WHERE story_id IN (SELECT story_id FROM touched) GROUP BY story_id"
    )
    con.execute(
        "UPDATE stories SET title = a.title FROM article_rows a "
        "WHERE a.article_id = stories.canonical_article_id AND stories.story_id IN (SELECT story_id FROM touched)"
    )
    con.unregister("touched")


def _now_canonical(con: duckdb.DuckDBPyConnection, fresh: Sequence[Article]) -> list[str]:
    """The new articles that are their story's canonical copy once the batch is in, in batch order."""
    con.register("fresh_ids", pa.table({"article_id": pa.array([a.article_id for a in fresh], pa.string())}))
    canonical = {row[0] for row in con.execute(
        "SELECT s.canonical_article_id FROM stories s JOIN fresh_ids f ON f.article_id = s.canonical_article_id"
    ).fetchall()}  # fmt: skip
    con.unregister("fresh_ids")
    return [a.article_id for a in fresh if a.article_id in canonical]


def read_cursor(path: str | Path, source: str, *, run_id: str | None = None) -> dict[str, Any] | None:
    """Return the cursor saved for `source`, or None when it has never committed a batch."""
    if not Path(path).exists():
        return None
    with writer(path, holder=Holder(run_id, f"reading the cursor of {source}")) as con:
        rows = con.execute("SELECT cursor FROM source_state WHERE source = ?", [source]).fetchall()
    row = rows[0] if rows else None
    return json.loads(row[0]) if row and row[0] else None


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows of a read-only query, and the columns' SQL types when known."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    types: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QueryRows:
    """A query's result read as it is produced: column names, SQL types, and rows in batches."""

    columns: list[str]
    types: list[str]
    batches: Iterator[list[tuple[Any, ...]]]


@dataclass(frozen=True)
class QueryArrow:
    """A query's result read as it is produced, as Arrow record batches (a `pyarrow.RecordBatchReader`)."""

    columns: list[str]
    types: list[str]
    reader: pa.RecordBatchReader


# Rows fetched at a time while streaming: small enough that a batch of long texts stays a few MB.
STREAM_BATCH_ROWS = 2048


def _statements(sql: str) -> list[duckdb.StatementType] | None:
    """The kinds of statement `sql` holds, parsed apart from the database (~15 ms); None if it does not parse."""
    with duckdb.connect(":memory:", config=_SANDBOX) as parser:
        try:
            return [statement.type for statement in parser.extract_statements(sql)]
        except duckdb.Error:
            return None  # running it says where the syntax is wrong


def _interrupted(exc: BaseException) -> bool:
    """Whether `exc` is DuckDB's interrupt, raised as such or passed on by an Arrow reader as an OSError."""
    return isinstance(exc, duckdb.InterruptException) or (
        isinstance(exc, OSError) and str(exc).startswith("INTERRUPT Error")
    )


@contextmanager
def _sandboxed(
    path: str | Path,
    sql: str,
    *,
    wait: float,
    timeout: float | None,
    allow_files: bool,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A sandboxed reader for `sql`, stopped after `timeout` seconds, counted until the `with` block ends."""
    kinds = _statements(sql)
    if kinds == []:
        raise EmptyQueryError("no SQL to run: the query is empty or only comments")
    if kinds and duckdb.StatementType.LOAD in kinds:  # the sandbox refuses them too, in less plain words
        raise QueryRefusedError("INSTALL and LOAD are refused: newsflow query loads no extensions")
    with reader(path, wait=wait, allow_files=allow_files, on_wait=on_wait) as con:
        stopped = threading.Event()

        def stop() -> None:
            stopped.set()
            con.interrupt()

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            yield con
        except Exception as exc:
            if not (stopped.is_set() and _interrupted(exc)):
                raise
            raise QueryTimeoutError(f"the query was stopped after {timeout:g} s") from exc
        finally:
            if timer is not None:
                timer.cancel()


def query(
    path: str | Path,
    sql: str,
    *,
    wait: float = DEFAULT_WAIT_SECONDS,
    timeout: float | None = None,
    allow_files: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> QueryResult:
    """Run SQL on a read-only, sandboxed connection (see `reader`) and return every row.

    Args:
        path: the DuckDB file.
        sql: one or more statements; the rows are the last one's.
        wait: seconds to wait for a turn while writers hold the file.
        timeout: seconds the SQL may run (waiting for the file aside); None for no limit.
        allow_files: let the SQL read and write files.
        on_wait: told what the query waits for, as `reader` tells it.

    Raises:
        EmptyQueryError: the SQL holds no statement (empty, blank, only comments).
        QueryRefusedError: the SQL installs or loads an extension.
        QueryTimeoutError: the SQL ran longer than `timeout` and was stopped.
    """
    with _sandboxed(path, sql, wait=wait, timeout=timeout, allow_files=allow_files, on_wait=on_wait) as con:
        cursor = con.execute(sql)
        description = cursor.description or []
        return QueryResult([d[0] for d in description], cursor.fetchall(), [str(d[1]) for d in description])


@contextmanager
def stream_rows(
    path: str | Path,
    sql: str,
    *,
    wait: float = DEFAULT_WAIT_SECONDS,
    timeout: float | None = None,
    allow_files: bool = False,
    batch_rows: int = STREAM_BATCH_ROWS,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[QueryRows]:
    """Run SQL as `query` does and read its rows in batches of Python values while the `with` block lasts.

    The rows are those `query` returns, fetched `batch_rows` at a time, so a result larger than
    memory can be written out. The file stays held, and `timeout` counts, until the block ends.

    Raises:
        The errors of `query`.
    """
    with _sandboxed(path, sql, wait=wait, timeout=timeout, allow_files=allow_files, on_wait=on_wait) as con:
        cursor = con.execute(sql)
        description = cursor.description or []

        def batches() -> Iterator[list[tuple[Any, ...]]]:
            while rows := cursor.fetchmany(batch_rows):
                yield rows

        yield QueryRows([d[0] for d in description], [str(d[1]) for d in description], batches())


@contextmanager
def stream_arrow(
    path: str | Path,
    sql: str,
    *,
    wait: float = DEFAULT_WAIT_SECONDS,
    timeout: float | None = None,
    allow_files: bool = False,
    batch_rows: int = STREAM_BATCH_ROWS,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[QueryArrow]:
    """Run SQL as `query` does and read its result as Arrow record batches while the `with` block lasts.

    Arrow keeps DuckDB's types (for Parquet) and costs a fraction of converting every value to
    Python (a million rows of ten columns: 0.85 s against 16.5 s here, most of it time zones).

    Raises:
        The errors of `query`.
    """
    with _sandboxed(path, sql, wait=wait, timeout=timeout, allow_files=allow_files, on_wait=on_wait) as con:
        # The relation API streams; DB-API results copy every row before the first batch (DuckDB 2.0).
        relation = con.sql(sql)
        if relation is None:
            yield QueryArrow([], [], pa.RecordBatchReader.from_batches(pa.schema([]), []))
            return
        batches = relation.to_arrow_reader(batch_rows)
        yield QueryArrow(list(relation.columns), [str(t) for t in relation.types], batches)
