"""DuckDB at the edge: open, migrate, append one batch in one transaction, read without writing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from schemas import (
    AppendResult,
    Article,
    Batch,
    DatabaseBusyError,
    DatabaseMissingError,
    Reject,
    migrations,
)

DEFAULT_WAIT_SECONDS = 30.0

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


def _connect(path: Path, *, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting up to `wait` seconds while another process holds it."""
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                mode = "read" if read_only else "write to"
                raise DatabaseBusyError(
                    f"could not {mode} {path}: another process has held it for {wait:.0f} s "
                    "(a running `newsflow run`?); try again when it has finished"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations the file lacks, each in its own transaction; return the schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    current = int(row[0]) if row else 0
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
def writer(path: str | Path, *, wait: float = DEFAULT_WAIT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for writing, migrated to the current schema; close it on exit.

    The file is held only inside the `with` block, so readers can open it between batches.

    Raises:
        DatabaseBusyError: another process held the file for longer than `wait` seconds.
    """
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(file, read_only=False, wait=wait)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


@contextmanager
def reader(path: str | Path, *, wait: float = DEFAULT_WAIT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database read-only, waiting a bounded time for a writer to let go of it.

    Raises:
        DatabaseMissingError: there is no database file at `path`.
        DatabaseBusyError: a writer held the file for longer than `wait` seconds.
    """
    file = Path(path)
    if not file.exists():
        raise DatabaseMissingError(f"no database at {file}: run `newsflow run` first, or pass --db")
    con = _connect(file, read_only=True, wait=wait)
    try:
        yield con
    finally:
        con.close()


def _articles_table(articles: Sequence[Article], run_id: str, now: datetime) -> pa.Table:
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
            "text": [a.text for a in articles],
            "content_hash": [a.content_hash for a in articles],
            "word_count": [a.word_count for a in articles],
            "size_bytes": [a.size_bytes for a in articles],
            "encoding": [a.encoding for a in articles],
            "run_id": [run_id] * len(articles),
            "ingested_at": [now] * len(articles),
        },
        schema=ARTICLE_SCHEMA,
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


def start_run(path: str | Path, run_id: str, *, flow_run_id: str | None, sources: Sequence[str]) -> None:
    """Record a run as started; its counts grow with each committed batch."""
    with writer(path) as con:
        con.execute(
            "INSERT INTO runs (run_id, flow_run_id, started_at, status, sources) VALUES (?, ?, ?, 'running', ?)",
            [run_id, flow_run_id, datetime.now(UTC), list(sources)],
        )


def finish_run(path: str | Path, run_id: str, *, status: str, error: str | None = None) -> None:
    """Record how a run ended: `completed` or `failed`, with the error that ended it."""
    with writer(path) as con:
        con.execute(
            "UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE run_id = ?",
            [status, datetime.now(UTC), error, run_id],
        )


def append_batch(path: str | Path, batch: Batch) -> AppendResult:
    """Append one batch in one transaction: new articles, rejects, run counts and source cursor.

    An article whose content hash is already stored (or whose id is) is a duplicate and makes no
    row; the check runs inside the transaction that appends, so two batches cannot both add the
    same text. A failure rolls the whole batch back.

    Returns:
        What the batch added: new articles (with their ids), duplicates and rejects.
    """
    now = datetime.now(UTC)
    with writer(path) as con:
        con.begin()
        try:
            new_ids: list[str] = []
            if batch.articles:
                con.register("incoming_articles", _articles_table(batch.articles, batch.run_id, now))
                rows = con.execute(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) "
                    f"SELECT {_ARTICLE_COLUMNS} FROM incoming_articles i "
                    # Two equality anti-joins, not one OR: each stays a hash join whose cost
                    # follows the batch, where an OR turns into a nested loop over the table.
                    "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.content_hash = i.content_hash) "
                    "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = i.article_id) "
                    "RETURNING article_id"
                ).fetchall()
                new_ids = [row[0] for row in rows]
                con.unregister("incoming_articles")
            if batch.rejects:
                con.register("incoming_rejects", _rejects_table(batch.rejects, batch.run_id, now))
                con.execute(f"INSERT INTO rejects ({_REJECT_COLUMNS}) SELECT {_REJECT_COLUMNS} FROM incoming_rejects")
                con.unregister("incoming_rejects")
            n_new = len(new_ids)
            n_duplicates = len(batch.articles) - n_new + batch.n_batch_duplicates
            con.execute(
                "UPDATE runs SET n_seen = n_seen + ?, n_new = n_new + ?, n_duplicates = n_duplicates + ?, "
                "n_rejected = n_rejected + ? WHERE run_id = ?",
                [batch.n_seen, n_new, n_duplicates, len(batch.rejects), batch.run_id],
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
    return AppendResult(n_new=n_new, n_duplicates=n_duplicates, n_rejected=len(batch.rejects), new_article_ids=new_ids)


def read_cursor(path: str | Path, source: str) -> dict[str, Any] | None:
    """Return the cursor saved for `source`, or None when it has never committed a batch."""
    if not Path(path).exists():
        return None
    with writer(path) as con:
        row = con.execute("SELECT cursor FROM source_state WHERE source = ?", [source]).fetchone()
    return json.loads(row[0]) if row and row[0] else None


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows of a read-only query."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def query(path: str | Path, sql: str, *, wait: float = DEFAULT_WAIT_SECONDS) -> QueryResult:
    """Run SQL on a read-only connection and return every row."""
    with reader(path, wait=wait) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return QueryResult(columns, cursor.fetchall())
