"""The local Prefect server that newsflow commands share when PREFECT_API_URL is unset.

The first command that needs Prefect starts it in the background under PREFECT_HOME; later ones
find it through a state file there, check that it answers and that its database is the one under
that PREFECT_HOME, and use it; `newsflow server stop` stops it. Starting is done under a lock
file, so commands started together start one server between them, and a server that never
answered is stopped, never left half-started. It runs like Prefect's temporary server (the API
and the services a run needs, no UI), which uses no CPU while idle.

Nothing here imports Prefect: the command sets PREFECT_API_URL before Prefect is first imported,
which is when Prefect reads its settings.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from schemas import TerminalError

__all__ = [
    "LOG_FILE",
    "STATE_FILE",
    "LocalServer",
    "ServerState",
    "answers",
    "default_home",
    "open_server",
    "prefect_home",
    "prepare_environment",
    "read_state",
    "stop_server",
]

STATE_FILE = "newsflow-server.json"
LOCK_FILE = "newsflow-server.lock"
LOG_FILE = "newsflow-server.log"
APP = "prefect.server.api.server:create_app"
# The first start creates and migrates the database: seconds when the machine is idle, far more
# when it is busy. A server that has not answered by then is stopped.
START_SECONDS = 180.0
# A running server that takes longer than this to answer its health check is taken for hung.
CHECK_SECONDS = 10.0
STOP_SECONDS = 15.0

Announce = Callable[[str], None]


def _user_data_dir() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "newsflow"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "newsflow"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "newsflow"


def default_home() -> Path:
    """Where Prefect keeps newsflow's state when PREFECT_HOME is unset: `.prefect/` of the checkout
    when newsflow runs from its source folder (`pip install -e .`, `make`), else a folder in the
    user's data folder (`~/.local/share/newsflow/prefect` on Linux)."""
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "seeds").is_dir():
        return checkout / ".prefect"
    return _user_data_dir() / "prefect"


def prepare_environment() -> Path:
    """Set what Prefect reads when first imported: PREFECT_HOME (absolute; `default_home()` when
    unset), and analytics and telemetry off. Returns PREFECT_HOME."""
    home = Path(os.environ.get("PREFECT_HOME") or default_home()).expanduser().resolve()
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The client's own telemetry (a first-run notice on a terminal, usage events) is off too.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    return home


def prefect_home() -> Path:
    """PREFECT_HOME as the server and the command see it (absolute)."""
    return Path(os.environ.get("PREFECT_HOME") or default_home()).expanduser().resolve()


@dataclass
class ServerState:
    """What the state file records of the server: its process, its port, the PREFECT_HOME it was
    started with, the Prefect version it runs, and whether it has answered yet."""

    pid: int
    port: int
    home: str
    prefect: str
    status: str  # "starting" until it has answered, then "ready"
    started_at: float

    @property
    def url(self) -> str:
        """The API address, as PREFECT_API_URL takes it."""
        return f"http://127.0.0.1:{self.port}/api"


def _prefect_version() -> str:
    try:
        return version("prefect")
    except PackageNotFoundError:  # pragma: no cover - prefect is a dependency
        return "unknown"


def read_state(home: Path | None = None) -> ServerState | None:
    """The state file of PREFECT_HOME's server, or None when there is none (or it is unreadable)."""
    path = (home or prefect_home()) / STATE_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
        return ServerState(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_state(home: Path, state: ServerState) -> None:
    path = home / STATE_FILE
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(asdict(state)), "utf-8")
    partial.replace(path)


def _remove_state(home: Path) -> None:
    (home / STATE_FILE).unlink(missing_ok=True)


def _get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def answers(state: ServerState, timeout: float) -> bool:
    """Whether the server answers its health check and is the one whose home (and so database,
    `prefect.db` there) is `state.home`."""
    try:
        status, _ = _get(state.port, "/api/health", timeout)
        if status != 200:
            return False
        status, body = _get(state.port, "/api/admin/settings", timeout)
        if status != 200:
            return False
        home = json.loads(body).get("home")
    except (OSError, http.client.HTTPException, ValueError):
        return False
    return isinstance(home, str) and Path(home).resolve() == Path(state.home).resolve()


def _is_ours(state: ServerState) -> bool:
    """Whether `state.pid` is still the server process this state file describes: a Prefect
    server on its port, started with its PREFECT_HOME."""
    import psutil

    try:
        process = psutil.Process(state.pid)
        command = process.cmdline()
        if APP not in command or str(state.port) not in command:
            return False
        home = process.environ().get("PREFECT_HOME")
    except (psutil.Error, OSError):  # gone, or another user's: not to be stopped from here
        return False
    return home is None or Path(home).resolve() == Path(state.home).resolve()


def _terminate(pid: int) -> None:
    """Stop a server process and wait for it: SIGTERM, then SIGKILL if it lingers."""
    import psutil

    try:
        process = psutil.Process(pid)
        process.terminate()
        process.wait(STOP_SECONDS)
    except psutil.TimeoutExpired:
        with suppress(psutil.Error):
            process.kill()
            process.wait(STOP_SECONDS)
    except psutil.Error:
        pass


class _Lock:
    """PREFECT_HOME's server lock: one command at a time starts or stops the server. The system
    releases it when the process holding it dies, however it dies."""

    def __init__(self, home: Path) -> None:
        self.path = home / LOCK_FILE
        self._file: IO[str] | None = None

    def acquire(self, announce: Announce | None = None) -> None:
        self._file = self.path.open("a")
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: commands started together may race there
            return
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if announce is not None:
                announce("waiting for another newsflow command starting the Prefect server…")
            fcntl.flock(self._file, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the lock
            self._file = None

    def __enter__(self) -> _Lock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _spawn(home: Path, log: IO[bytes]) -> tuple[subprocess.Popen[bytes], ServerState]:
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # The services a run needs (task run recorder, event persister, ...), as Prefect's temporary
        # server runs them: no scheduler loops waking the machine while nothing runs.
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    env.pop("PREFECT_API_URL", None)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        APP,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--lifespan",
        "on",
    ]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=home,
        start_new_session=True,  # Ctrl-C in the terminal stops the command, not the shared server
    )
    state = ServerState(
        pid=process.pid,
        port=port,
        home=str(home),
        prefect=_prefect_version(),
        status="starting",
        started_at=time.time(),
    )
    return process, state


def _wait_until_answering(state: ServerState, alive: Callable[[], bool], log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not answers(state, timeout=CHECK_SECONDS):
        if not alive():
            raise TerminalError(f"the local Prefect server stopped while starting; its output is in {log_path}")
        if time.monotonic() > deadline:
            raise TerminalError(
                f"the local Prefect server did not answer within {START_SECONDS:.0f} s; its output is in {log_path}"
            )
        time.sleep(0.1)


class LocalServer:
    """A connection to PREFECT_HOME's local server: `url` at once, `wait()` before the first call.

    When this command starts the server, it holds the lock until the server answers (or is
    stopped for not answering), so that a command started meanwhile waits and then reuses it.
    """

    def __init__(
        self,
        home: Path,
        state: ServerState,
        *,
        process: subprocess.Popen[bytes] | None = None,
        release: Callable[[], None] | None = None,
    ) -> None:
        self.home = home
        self.state = state
        self.url = state.url
        self.started = process is not None
        self.seconds_starting = 0.0
        self._process = process
        self._release = release
        self._began = time.monotonic()

    def wait(self) -> None:
        """Return once the server answers; a server started here that does not is stopped.

        Raises:
            TerminalError: the server started here exited or did not answer in time.
        """
        if self._process is None:
            return
        process = self._process
        try:
            _wait_until_answering(self.state, lambda: process.poll() is None, self.home / LOG_FILE)
            self.state.status = "ready"
            _write_state(self.home, self.state)
        except BaseException:
            _terminate(process.pid)
            _remove_state(self.home)
            raise
        finally:
            self._process = None
            self.seconds_starting = time.monotonic() - self._began
            if self._release is not None:
                self._release()


def _reusable(home: Path, state: ServerState, timeout: float) -> bool:
    return (
        state.status == "ready"
        and Path(state.home) == home
        and state.prefect == _prefect_version()
        and answers(state, timeout)
    )


def open_server(announce: Announce | None = None) -> LocalServer:
    """Connect to PREFECT_HOME's local Prefect server, starting it in the background if none answers.

    A server is reused when its state file says it is ready, it answers its health check, its
    home is this PREFECT_HOME and it runs the installed Prefect version; a state file that fails
    any of these is stale: its process, if it is still the server, is stopped, and a new server
    starts. Call `wait()` on the result before using Prefect; the import of Prefect can go on
    meanwhile. `announce` is told when a server starts.
    """
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    state = read_state(home)
    if state is not None and _reusable(home, state, timeout=2.0):
        return LocalServer(home, state)
    lock = _Lock(home)
    lock.acquire(announce)
    try:
        state = read_state(home)  # another command may have started one while this one waited
        if state is not None and _reusable(home, state, timeout=CHECK_SECONDS):
            lock.release()
            return LocalServer(home, state)
        if state is not None and _adopted(home, state):
            lock.release()
            return LocalServer(home, state)
        if state is not None:
            if _is_ours(state):
                _terminate(state.pid)
            _remove_state(home)
        with (home / LOG_FILE).open("ab") as log:
            process, state = _spawn(home, log)
        _write_state(home, state)
        if announce is not None:
            address = f"http://127.0.0.1:{state.port}"
            announce(f"starting a local Prefect server at {address} (`newsflow server stop` stops it)")
    except BaseException:
        lock.release()
        raise
    return LocalServer(home, state, process=process, release=lock.release)


def _adopted(home: Path, state: ServerState) -> bool:
    """Whether a server left `starting` by a command that died before it answered has come up
    since (it is then marked ready and reused); one that does not answer in its time is not."""
    if state.status != "starting" or state.prefect != _prefect_version() or not _is_ours(state):
        return False
    try:
        _wait_until_answering(state, lambda: _is_ours(state), home / LOG_FILE)
    except TerminalError:
        return False
    state.status = "ready"
    _write_state(home, state)
    return True


def stop_server(home: Path | None = None) -> ServerState | None:
    """Stop PREFECT_HOME's local server; return its state, or None when none was recorded."""
    home = home or prefect_home()
    if not home.is_dir():
        return None
    with _Lock(home):
        state = read_state(home)
        if state is None:
            return None
        if _is_ours(state):
            _terminate(state.pid)
        _remove_state(home)
        return state


def describe(state: ServerState) -> dict[str, Any]:
    """The state as `newsflow server status` prints it."""
    return {
        "url": state.url,
        "pid": state.pid,
        "prefect_home": state.home,
        "prefect": state.prefect,
        "status": state.status,
        "up_seconds": round(time.time() - state.started_at, 1),
    }
