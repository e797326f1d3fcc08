"""newsflow's flows send Prefect's API the same parameters as Prefect's own encoder would."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from prefect import Flow

from flows.events import extract
from flows.flow import NewsflowFlow
from flows.ingest import ingest


def test_the_flows_are_newsflow_flows() -> None:
    assert isinstance(ingest, NewsflowFlow)
    assert isinstance(extract, NewsflowFlow)
    assert ingest.name == "ingest"
    assert extract.name == "extract"


def test_parameters_encode_as_prefect_encodes_them() -> None:
    parameters: dict[str, Any] = {
        "sources": ["seeds", "https://example.org/feed.xml"],
        "db": "/tmp/news.duckdb",
        "batch_size": 200,
        "parse_timeout": 2.5,
        "follow_symlinks": True,
        "config": None,
        "url_lists": {"file:///tmp/urls.txt": "/tmp/urls.txt"},
        "since": date(2024, 11, 1),
        "path": Path("/tmp/seeds"),
    }
    assert ingest.serialize_parameters(parameters) == Flow.serialize_parameters(ingest, parameters)


def test_a_time_encodes_as_the_same_instant() -> None:
    # pydantic writes UTC as "Z" where FastAPI writes "+00:00"; no flow of newsflow takes a time.
    at = datetime(2024, 11, 1, 12, 30, tzinfo=UTC)
    (ours,) = ingest.serialize_parameters({"at": at}).values()
    (prefects,) = Flow.serialize_parameters(ingest, {"at": at}).values()
    assert datetime.fromisoformat(ours) == datetime.fromisoformat(prefects) == at


def test_a_value_that_cannot_be_encoded_is_a_placeholder() -> None:
    lock = threading.Lock()
    assert ingest.serialize_parameters({"lock": lock, "db": "x.duckdb"}) == {
        "lock": f"<{type(lock).__name__}>",
        "db": "x.duckdb",
    }
