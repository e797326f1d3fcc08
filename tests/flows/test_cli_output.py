"""What `newsflow run` prints and how it exits, run as a user types it (subprocesses): exit codes,
-q and -v, errors of config, environment and options before anything starts, the live line on a
terminal (a pseudo-terminal here), and entries given up after `max_attempts`."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from flows.local_server import STATE_FILE
from tests.conftest import PNG, SEEDS
from tests.flows.commands import NEWSFLOW, newsflow, query_json
from tests.http_server import serving
from tests.sources.feed_server import Resource, Server, seed_page

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def seeds(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt"))[:n]:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_exit_codes_0_1_3_and_quiet_output(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    good = newsflow("run", str(seeds(tmp_path / "good", 2)), "--db", str(db), "-q")
    assert good.returncode == 0, good.stderr
    assert good.stderr == ""
    lines = good.stdout.splitlines()
    # The first command of the session starts the local server, and says how long that took.
    started = r"( \(\d+\.\d\d s of it starting the local Prefect server\))?"
    counts = "2 seen, 2 new, 0 duplicates, 0 rejected"
    assert re.fullmatch(rf"newsflow run completed: {counts} in \d+\.\d\d s{started}", lines[0])
    assert lines[-1] == f"database: {db}" and all(line.startswith("  ") for line in lines[1:-1])

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "picture.txt").write_bytes(PNG + bytes(range(256)) * 8)
    rejected = newsflow("run", str(bad), "--db", str(db), "-q")
    assert rejected.returncode == 3, rejected.stderr
    assert "2 seen, 0 new, 0 duplicates, 2 rejected" in rejected.stdout and rejected.stderr == ""
    assert "rejected 1: binary" in rejected.stdout and "rejected 1: empty" in rejected.stdout

    nothing_new = newsflow("run", str(bad), "--db", str(db), "-q")  # nothing seen: nothing was rejected
    assert nothing_new.returncode == 0 and "0 seen" in nothing_new.stdout

    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("these are notes, not a database\n", "utf-8")
    failed = newsflow("run", str(seeds(tmp_path / "more", 1)), "--db", str(not_duckdb), "-q")
    assert failed.returncode == 1
    assert failed.stdout == "" and len(failed.stderr.strip().splitlines()) == 1
    assert failed.stderr.startswith("error: ")


def test_prefect_log_lines_show_only_with_verbose(tmp_path: Path) -> None:
    folder = seeds(tmp_path / "news", 1)
    default = newsflow("run", str(folder), "--db", str(tmp_path / "a.duckdb"), "--extractor", "none")
    assert default.returncode == 0, default.stderr
    assert "| INFO" not in default.stderr and "Finished in state" not in default.stderr
    verbose = newsflow("run", str(folder), "--db", str(tmp_path / "b.duckdb"), "--extractor", "none", "-v")
    assert verbose.returncode == 0, verbose.stderr
    assert "| INFO    | Flow run" in verbose.stderr and "Finished in state Completed()" in verbose.stderr
    assert "1 seen, 1 new" in verbose.stdout


README_EXAMPLE = """
db = "data/newsflow.duckdb"

[[sources]]
name = "archive"
kind = "files"
path = "/data/articles"
"""


@pytest.mark.parametrize(
    ("args", "env", "config", "message"),
    [
        (["run"], {}, README_EXAMPLE, "source 'archive' in {config}: no such file or folder: /data/articles"),
        (
            ["run"],
            {},
            "[[sources]]\nname = 'a'\npath = '.'\nmax_byts = 3\n",
            "source 'a' in {config}: invalid options for a source of kind 'files': max_byts: unknown option "
            "(options: path, page_size, page_bytes, max_bytes, rescan, follow_symlinks)",
        ),
        (
            ["run"],
            {},
            "[[sources]]\nname = 'f'\nkind = 'feeds'\nurl = 'http://127.0.0.1:9/f.xml'\nfetch = { retrys = 1 }\n",
            "source 'f' in {config}: invalid options for a source of kind 'feeds': fetch.retrys: "
            "Extra inputs are not permitted",
        ),
        (["run"], {}, "[fetch]\nretrys = 1\n", "invalid setting {config}: fetch.retrys: Extra inputs"),
        (["run"], {}, "db = ", "{config} is not valid TOML"),
        (
            ["run", "."],
            {"NEWSFLOW_FETCH__ALLOW_HOSTS": "[127.0.0.1"},
            None,
            "NEWSFLOW_FETCH__ALLOW_HOSTS: not a JSON list or comma-separated values",
        ),
        (["run", "."], {"NEWSFLOW_FETCH": "{retries: 1}"}, None, "NEWSFLOW_FETCH: not JSON"),
        (["run", "."], {"NEWSFLOW_FETCH__RETRIES": "many"}, None, "invalid setting NEWSFLOW_FETCH__RETRIES: Input"),
        (["run", "."], {"NEWSFLOW_BATCH_SIZE": "0"}, None, "invalid setting NEWSFLOW_BATCH_SIZE: Input should be"),
        (["run", ".", "--allow-host", "127.0.0.1:http"], {}, None, "--allow-host '127.0.0.1:http': the port"),
        (["run", ".", "--dask-address", "10.0.0.5:8786"], {}, None, "not a Dask scheduler address"),
        (["run", ".", "--extractor", "nope"], {}, None, "no extractor named 'nope'"),
        (["run", "nowhere"], {}, None, "no such file or folder: nowhere"),
        (["extract", "--db", "x.duckdb"], {"NEWSFLOW_BATCH_SIZE": "x"}, None, "NEWSFLOW_BATCH_SIZE"),
        (["serve", "."], {"NEWSFLOW_FETCH__ALLOW_HOSTS": "[x"}, None, "NEWSFLOW_FETCH__ALLOW_HOSTS"),
    ],
)
def test_config_environment_and_option_errors_are_one_line_before_prefect_starts(
    tmp_path: Path, args: list[str], env: dict[str, str], config: str | None, message: str
) -> None:
    home = tmp_path / "prefect"
    if config is not None:
        (tmp_path / "newsflow.toml").write_text(config, "utf-8")
    done = newsflow(*args, cwd=tmp_path, env={**env, "PREFECT_HOME": str(home)})
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: ") and message.format(config="newsflow.toml") in line, line
    assert "checkout" not in line  # the hint is for the default seeds/ only
    # Nothing started: no local Prefect server, no Prefect database, no newsflow database.
    assert not (home / STATE_FILE).exists() and not (home / "prefect.db").exists()
    assert not list(tmp_path.rglob("*.duckdb"))


def test_a_list_setting_from_the_environment_may_be_comma_separated(tmp_path: Path) -> None:
    with serving(Server()) as server:
        server.resources["/news/1"] = Resource(seed_page(SEEDS / "002_25f37b80fda35444.txt"))
        items = f"<item><title>t</title><link>{server.url('/news/1')}</link><guid>g1</guid></item>"
        feed = server.feed("/feeds/news.xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
        env = {"NEWSFLOW_FETCH__ALLOW_HOSTS": f"example.org, 127.0.0.1:{server.server_address[1]}"}
        done = newsflow("run", feed, "--db", str(tmp_path / "a.duckdb"), "--extractor", "none", env=env)
        assert done.returncode == 0, done.stderr
        assert "1 seen, 1 new, 0 duplicates, 0 rejected" in done.stdout
        listed = newsflow("sources", "--db", str(tmp_path / "a.duckdb"), env=env)
        assert listed.returncode == 0, listed.stderr


def feed_config(tmp_path: Path, server: Server, max_attempts: int) -> Path:
    items = "".join(
        f"<item><title>t{i}</title><link>{server.url(path)}</link><guid>g{i}</guid></item>"
        for i, path in enumerate(["/news/ok", "/status/down"])
    )
    server.resources["/news/ok"] = Resource(seed_page(SEEDS / "002_25f37b80fda35444.txt"))
    server.resources["/status/down"] = Resource(b"down", status=503)
    feed = server.feed("/feeds/news.xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
    config = tmp_path / f"attempts-{max_attempts}.toml"
    config.write_text(
        f'[fetch]\nallow_hosts = ["127.0.0.1"]\nretries = 0\nhost_delay = 0\n\n'
        f'[[sources]]\nname = "news"\nkind = "feeds"\nurl = "{feed}"\nmax_attempts = {max_attempts}\n',
        "utf-8",
    )
    return config


def test_entries_tried_again_and_given_up_are_counted_in_the_summary(tmp_path: Path) -> None:
    with serving(Server()) as server:
        db = tmp_path / "a.duckdb"
        config = feed_config(tmp_path, server, max_attempts=2)
        first = newsflow("run", "--config", str(config), "--db", str(db), "--extractor", "none")
        assert first.returncode == 0, first.stderr
        assert "2 seen, 1 new, 0 duplicates, 1 rejected" in first.stdout
        assert "  1 failed for now and will be tried again next run" in first.stdout
        assert "given up" not in first.stdout
        second = newsflow("run", "--config", str(config), "--db", str(db), "--extractor", "none")
        assert second.returncode == 3, second.stderr  # the one input seen is rejected again
        assert "1 seen, 0 new, 0 duplicates, 1 rejected" in second.stdout
        assert "  1 given up: they failed in each of their source's max_attempts runs" in second.stdout
        assert "tried again" not in second.stdout
        assert server.hits["/status/down"] == 2
        assert [r["detail"] for r in query_json(db, 'select detail from rejects order by "at"')] == [
            "HTTP 503 Service Unavailable; tried again next run (1 of 2)",
            "HTTP 503 Service Unavailable; gave up after 2 runs",
        ]


def in_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `newsflow ARGS` on a pseudo-terminal of 140 columns; return its exit code and everything it wrote."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    command = subprocess.Popen(
        [str(NEWSFLOW), *args], stdin=follower, stdout=follower, stderr=follower, env={**os.environ, **(env or {})}
    )
    os.close(follower)
    written = b""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command closed the terminal
                break
            if not chunk:
                break
            written += chunk
        elif command.poll() is not None:
            break
    command.wait(timeout=60)
    os.close(leader)
    return command.returncode, written.decode("utf-8", "replace")


def test_on_a_terminal_a_bar_moves_per_document_and_log_lines_print_above_it(tmp_path: Path) -> None:
    folder = seeds(tmp_path / "news", 3)
    code, written = in_terminal("run", str(folder), "--db", str(tmp_path / "a.duckdb"), "-v")
    assert code == 0, written
    plain = ANSI.sub("", written)
    # While Prefect starts nothing is known; then the bar counts the files read against the three
    # listed (that it moves file by file is tested on the sources, tests/sources/test_progress.py).
    assert "starting… ━━━━━━━━━━━━━━━━━━━━━━━━ 0/? read" in plain and re.search(r"━+ 3/3 read", plain)
    assert "3 new · 0 duplicates · 0 rejected" in plain
    # Each log line starts a line of its own: the display clears its line first ("\r" + erase).
    logged = [m.start() for m in re.finditer(r"\d\d:\d\d:\d\d\.\d{3} \| INFO", written)]
    assert logged
    assert all(written[:at].endswith(("\r\x1b[2K", "\n")) for at in logged), [written[at - 40 : at] for at in logged]
    # The line is gone at the end; the summary stays.
    assert plain.rstrip().splitlines()[-1] == f"database: {tmp_path / 'a.duckdb'}"
    assert "newsflow run completed: 3 seen, 3 new" in plain

    quiet_code, quiet = in_terminal("run", str(folder), "--db", str(tmp_path / "b.duckdb"), "-q")
    assert quiet_code == 0
    assert ANSI.sub("", quiet).replace("\r", "").splitlines()[0].startswith("newsflow run completed: 3 seen")
    assert "read" not in quiet
