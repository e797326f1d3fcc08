"""Defaults shared by the flow, the command line and the bench; importing this loads no Prefect."""

from __future__ import annotations

import os

from schemas import DEFAULT_MAX_BYTES

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_DB", "DEFAULT_EXTRACTOR", "DEFAULT_MAX_BYTES", "DEFAULT_SOURCE", "default_db"]

DEFAULT_DB = "data/newsflow.duckdb"
DEFAULT_SOURCE = "seeds"
# A Prefect task run costs tens of milliseconds and each DuckDB commit a checkpoint: a thousand
# articles a batch keeps both small per article (measured in bench/).
DEFAULT_BATCH_SIZE = 1000
# The events extractor: a name in the entry-point group `newsflow.extractors`, or "none".
DEFAULT_EXTRACTOR = "rules"
NO_EXTRACTOR = "none"


def default_db() -> str:
    """The database path: `$NEWSFLOW_DB`, else data/newsflow.duckdb under the working folder."""
    return os.environ.get("NEWSFLOW_DB") or DEFAULT_DB
