"""DuckDB storage: migrations, one-transaction batch appends, read-only queries."""

from store.db import (
    DEFAULT_WAIT_SECONDS,
    AssignStories,
    Candidates,
    ExtractEvents,
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

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "AssignStories",
    "Candidates",
    "ExtractEvents",
    "QueryResult",
    "StoryAssignment",
    "append_batch",
    "finish_run",
    "migrate",
    "query",
    "read_cursor",
    "reader",
    "start_run",
    "writer",
]
