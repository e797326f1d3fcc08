"""Shared test setup: Prefect state inside the checkout, no analytics, the seeds and a bad-files folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Set before anything imports Prefect: it reads its settings once. The session has a PREFECT_HOME
# of its own, so the local Prefect server that the `newsflow` commands of the tests share is not
# the developer's; it is stopped, and the folder removed, when the session ends.
SESSION_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="newsflow-test-prefect-"))
os.environ["PREFECT_HOME"] = str(SESSION_PREFECT_HOME)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("NEWSFLOW_DB", None)
os.environ.pop("NEWSFLOW_EVENTS__LEXICON", None)  # a lexicon of the developer's own would change what is coded
os.environ.pop("COLUMNS", None)  # tables as a pipe gets them, every column shown, whatever the developer's terminal

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture(scope="session", autouse=True)
def session_prefect_home() -> Iterator[Path]:
    """The session's PREFECT_HOME; its local Prefect server, if a command started one, is stopped after."""
    yield SESSION_PREFECT_HOME
    from flows.local_server import stop_server

    stop_server(SESSION_PREFECT_HOME)
    shutil.rmtree(SESSION_PREFECT_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """One temporary Prefect server and database for every flow test in the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def write_bad_folder(folder: Path) -> dict[str, str]:
    """Fill `folder` with one good article and four bad files; return the bad files' expected reasons."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEEDS / "002_25f37b80fda35444.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.txt").write_bytes(PNG + bytes(range(256)) * 8)
    # A UTF-8 byte-order mark declares the encoding; the bytes after it break it.
    (folder / "broken-encoding.txt").write_bytes(b"\xef\xbb\xbfTitle\n\nSome text \xff\xfe\xfa and more text.\n")
    with (folder / "huge.txt").open("wb") as huge:
        huge.write(b"Huge headline\n\n" + b"word " * (6 * 1024 * 1024 // 5))
    return {
        "empty.txt": "empty",
        "picture.txt": "binary",
        "broken-encoding.txt": "undecodable",
        "huge.txt": "too_large",
    }


@pytest.fixture
def bad_folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder with one good article and empty, binary, badly encoded and oversized files."""
    folder = tmp_path / "inbox"
    return folder, write_bad_folder(folder)
