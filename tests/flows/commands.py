"""The `newsflow` command run as a user types it, in a subprocess, for the command-line tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import ROOT

NEWSFLOW = Path(sys.executable).with_name("newsflow")


def newsflow(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, wrapper: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Run `newsflow ARGS` and return what it printed; the environment is this one plus `env`.

    `wrapper` is a command that runs it (`setpriv ...`), as a user would type it before `newsflow`.
    """
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [*wrapper, str(NEWSFLOW), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def query_json(db: Path, sql: str) -> list[dict[str, object]]:
    """The rows `newsflow query --format json` gives for `sql`."""
    done = newsflow("query", sql, "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows
