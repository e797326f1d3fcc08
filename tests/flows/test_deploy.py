"""deploy/prefect.yaml on a real Prefect server: `prefect deploy`, a run, and a process worker that runs it.

The commands are the ones deploy/README.md gives, run in subprocesses against a server started
for the test with its own PREFECT_HOME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.serve import local_prefect_server
from tests.conftest import ROOT, SEEDS

PREFECT = Path(sys.executable).with_name("prefect")


@pytest.fixture
def server_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The environment of a user whose PREFECT_API_URL points at a server of their own."""
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with local_prefect_server() as url:
        yield {**os.environ, "PREFECT_API_URL": url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def prefect(*args: str, env: dict[str, str], cwd: Path = ROOT) -> str:
    done = subprocess.run(
        [str(PREFECT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_deployment_file_deploys_and_a_process_worker_runs_it(tmp_path: Path, server_env: dict[str, str]) -> None:
    db = tmp_path / "deployed.duckdb"
    prefect("work-pool", "create", "newsflow", "--type", "process", env=server_env)
    prefect("--no-prompt", "deploy", "--all", "--prefect-file", "deploy/prefect.yaml", env=server_env)

    described = prefect("deployment", "inspect", "ingest/newsflow-ingest", env=server_env)
    assert "*/15 * * * *" in described and "set_working_directory" in described

    params = json.dumps({"db": str(db), "sources": [str(SEEDS)]})
    prefect("deployment", "run", "ingest/newsflow-ingest", "--params", params, env=server_env)
    # The worker starts elsewhere; the pull step takes it to the checkout named by NEWSFLOW_HOME.
    worker_env = {**server_env, "NEWSFLOW_HOME": str(ROOT)}
    prefect("worker", "start", "--pool", "newsflow", "--run-once", env=worker_env, cwd=tmp_path)

    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("select status, n_seen, n_new from runs").fetchall()
        n_articles = con.execute("select count(*) from articles").fetchone()
    assert runs == [("completed", 5, 5)]
    assert n_articles == (5,)
