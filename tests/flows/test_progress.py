"""Tests of flows/progress.py: listeners hear of every committed batch of a real flow run."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest import run_ingest
from flows.progress import add_listener, remove_listener
from schemas import AppendResult
from tests.conftest import SEEDS

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_a_listener_hears_each_batch_until_removed(tmp_path: Path) -> None:
    heard: list[tuple[int, int]] = []

    def listener(n_inputs: int, result: AppendResult) -> None:
        heard.append((n_inputs, result.n_new))

    add_listener(listener)
    try:
        run_ingest(sources=[str(SEEDS)], db=str(tmp_path / "n.duckdb"), batch_size=2)
    finally:
        remove_listener(listener)
    assert heard == [(2, 2), (2, 2), (1, 1)]
    run_ingest(sources=[str(SEEDS)], db=str(tmp_path / "n.duckdb"))
    assert len(heard) == 3
