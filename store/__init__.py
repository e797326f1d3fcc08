"""DuckDB storage: migrations, one-transaction batch appends, the events stage's reads and writes,
read-only queries and the report's reads."""

from store.db import (
    DEFAULT_WAIT_SECONDS,
    AssignStories,
    Candidates,
    QueryArrow,
    QueryResult,
    QueryRows,
    StoryAssignment,
    append_batch,
    migrate,
    query,
    read_cursor,
    reader,
    stream_arrow,
    stream_rows,
    writer,
)
from store.events import EventRows, append_extractions, count_pending, event_rows, read_pending
from store.report import read_report
from store.runs import Heartbeat, dead_runs, finish_run, mark_dead_runs, start_run

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "AssignStories",
    "Candidates",
    "EventRows",
    "Heartbeat",
    "QueryArrow",
    "QueryResult",
    "QueryRows",
    "StoryAssignment",
    "append_batch",
    "append_extractions",
    "count_pending",
    "dead_runs",
    "event_rows",
    "finish_run",
    "mark_dead_runs",
    "migrate",
    "query",
    "read_cursor",
    "read_pending",
    "read_report",
    "reader",
    "start_run",
    "stream_arrow",
    "stream_rows",
    "writer",
]
