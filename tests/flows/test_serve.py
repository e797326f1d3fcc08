"""`newsflow serve` as a user starts it: a real Prefect server child, scheduled runs, a live feed.

The command runs in a subprocess with its own PREFECT_HOME, so the server it starts has a fresh
database; the feed and its pages come from a real HTTP server on 127.0.0.1 in this process.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.http_server import serving
from tests.sources.feed_server import Resource, Server

NEWSFLOW = Path(sys.executable).with_name("newsflow")
WAIT_SECONDS = 240.0


def rss(server: Server, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{p}</title><link>{server.url(p)}</link><guid>{p}</guid>"
        "<description>A short summary.</description></item>"
        for p in paths
    )
    return f'<rss version="2.0"><channel><title>News</title>{items}</channel></rss>'.encode()


def completed_runs(db: Path) -> list[tuple[int, int]]:
    """(seen, new) of each completed run, oldest first; [] while the file is missing or held by a run."""
    if not db.exists():
        return []
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(
                "select n_seen, n_new from runs where status = 'completed' order by started_at"
            ).fetchall()
    except duckdb.Error:  # the serving process is writing: DuckDB lets one process hold the file
        return []
    return [(int(seen), int(new)) for seen, new in rows]


def wait_for(check: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if process.poll() is not None:
            raise AssertionError(f"newsflow serve exited ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {WAIT_SECONDS:.0f} s")
        time.sleep(1)


def test_serve_runs_on_its_schedule_and_each_run_fetches_only_new_entries(tmp_path: Path) -> None:
    db = tmp_path / "served.duckdb"
    config = tmp_path / "newsflow.toml"
    log = tmp_path / "serve.log"
    with serving(Server()) as server:
        first_pages = ["/news/first-report", "/news/second-report"]
        feed = server.feed("/feeds/news.xml", rss(server, first_pages))
        config.write_text(
            f'db = "{db}"\n\n[fetch]\nallow_hosts = ["127.0.0.1"]\n\n'
            f'[[sources]]\nname = "news"\nkind = "feeds"\nurl = "{feed}"\n',
            "utf-8",
        )
        env = {
            **os.environ,
            "PREFECT_HOME": str(tmp_path / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        }
        env.pop("PREFECT_API_URL", None)
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(NEWSFLOW), "serve", "--config", str(config), "--interval", "5"],
                cwd=tmp_path,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        try:
            wait_for(lambda: any(new == 2 for _, new in completed_runs(db)), process, "first scheduled run")
            # A new story appears in the feed (and the feed's validator changes with it).
            server.resources["/feeds/news.xml"] = Resource(
                rss(server, [*first_pages, "/news/third-report"]),
                server.resources["/feeds/news.xml"].content_type,
                etag='"v2"',
            )
            wait_for(lambda: sum(new for _, new in completed_runs(db)) == 3, process, "run with the new entry")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        output = log.read_text("utf-8", errors="replace")

    runs = completed_runs(db)
    assert len(runs) >= 2, output
    # Every page was fetched once, in whichever run first saw its entry.
    assert server.article_hits() == {p: 1 for p in [*first_pages, "/news/third-report"]}, output
    # Runs between the two news events asked for the feed conditionally and got nothing new.
    assert [new for _, new in runs if new] == [2, 1], runs
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {row[0] for row in con.execute("select uri from articles").fetchall()}
    assert stored == {server.url(p) for p in [*first_pages, "/news/third-report"]}
    assert "newsflow-ingest" in output
    # The Prefect server started for the schedule stopped with the command.
    started = re.search(r"starting a Prefect server at (http://127\.0\.0\.1:\d+)", output)
    assert started, output
    with pytest.raises(httpx.ConnectError):
        httpx.get(started.group(1) + "/api/health", timeout=5)
