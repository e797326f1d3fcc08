"""DuckDB storage: migrations, one-transaction batch appends, the events stage's reads and writes,
read-only queries, the report's reads, and the turns readers and writers take on the file."""

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
from store.events import EventRows, append_extractions, concat_rows, count_pending, event_rows, read_pending
from store.report import read_report
from store.runs import Heartbeat, dead_runs, finish_run, mark_dead_runs, start_run
from store.turns import TURN_SUFFIXES, Holder, seconds_waited

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "TURN_SUFFIXES",
    "AssignStories",
    "Candidates",
    "EventRows",
    "Heartbeat",
    "Holder",
    "QueryArrow",
    "QueryResult",
    "QueryRows",
    "StoryAssignment",
    "append_batch",
    "append_extractions",
    "concat_rows",
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
    "seconds_waited",
    "start_run",
    "stream_arrow",
    "stream_rows",
    "writer",
]
