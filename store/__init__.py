"""DuckDB storage: migrations, one-transaction batch appends, the events stage's reads and writes,
read-only queries."""

from store.db import (
    DEFAULT_WAIT_SECONDS,
    AssignStories,
    Candidates,
    QueryResult,
    StoryAssignment,
    append_batch,
    finish_run,
    migrate,
    query,
    read_cursor,
    reader,
    start_run,
    writer,
)
from store.events import EventRows, append_extractions, count_pending, event_rows, read_pending

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "AssignStories",
    "Candidates",
    "EventRows",
    "QueryResult",
    "StoryAssignment",
    "append_batch",
    "append_extractions",
    "count_pending",
    "event_rows",
    "finish_run",
    "migrate",
    "query",
    "read_cursor",
    "read_pending",
    "reader",
    "start_run",
    "writer",
]
