"""`newsflow serve`: the ingest deployment run on its schedule by one long-running process.

Prefect's temporary (ephemeral) server has no scheduler, so a schedule needs a real one: the
server PREFECT_API_URL names, else a `prefect server start` child on 127.0.0.1 that lives as long
as this process, with its state under PREFECT_HOME.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from schemas import TerminalError

__all__ = ["DEFAULT_INTERVAL_SECONDS", "DEPLOYMENT_NAME", "local_prefect_server", "serve_ingest"]

DEPLOYMENT_NAME = "newsflow-ingest"
DEFAULT_INTERVAL_SECONDS = 15 * 60
SERVER_START_SECONDS = 180.0
# The server's scheduler creates runs ahead of time on this loop; Prefect's 60 s default would let
# a short interval's first run wait a minute. Only for the server started here.
SCHEDULER_LOOP_SECONDS = "5"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the server child gets SIGTERM when this process dies, even by SIGKILL."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@contextmanager
def local_prefect_server(announce: Callable[[str], None] | None = None) -> Iterator[str]:
    """Yield the API URL of a Prefect server: PREFECT_API_URL's, else one started here for the block.

    The started server listens on a free port of 127.0.0.1, writes its output to
    $PREFECT_HOME/server.log and is stopped when the block ends; `announce` is told
    when it starts and where it writes.

    Raises:
        TerminalError: the server did not answer its health check in time.
    """
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "server.log"
    port = _free_port()
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", SCHEDULER_LOOP_SECONDS)
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/api"
    if announce is not None:
        announce(f"starting a Prefect server at http://127.0.0.1:{port} (output in {log_path})…")
    with log_path.open("ab") as log:
        server = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    try:
        _wait_healthy(url, server, log_path)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise TerminalError(f"the Prefect server exited with code {server.returncode}; its output is in {log_path}")
        if time.monotonic() > deadline:
            raise TerminalError(
                f"the Prefect server did not answer within {SERVER_START_SECONDS:.0f} s; its output is in {log_path}"
            )
        time.sleep(0.5)


def serve_ingest(
    parameters: dict[str, Any],
    *,
    interval: int | None = None,
    cron: str | None = None,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve the ingest flow as the deployment `ingest/newsflow-ingest` until interrupted.

    Runs never overlap (the runner's limit is one): DuckDB takes one writer, and a run that
    starts late still reads from where the last one stopped.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with local_prefect_server(announce=announce) as url, temporary_settings(updates={PREFECT_API_URL: url}):
        # The runner starts each flow run in a child process, which reads the server from here.
        os.environ["PREFECT_API_URL"] = url
        from flows.ingest import ingest

        ingest.serve(
            name=DEPLOYMENT_NAME,
            interval=interval,
            cron=cron,
            parameters=parameters,
            limit=1,
            description="newsflow: pull what is new from the configured sources into DuckDB.",
            print_starting_message=True,
        )
