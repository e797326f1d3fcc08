"""Tests of flows/settings.py: every `[fetch]` key of newsflow.toml reaches the fetcher of a live
source, seen from a real HTTP server on 127.0.0.1; a source's own `fetch` table overrides it."""

from __future__ import annotations

import itertools
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.ingest import run_ingest
from flows.settings import DEFAULT_MAX_BYTES, allowed_hosts, build_source, document_cap
from schemas import TerminalError
from schemas.config import SourceSpec, load_settings
from sources import Source
from tests.http_server import serving
from tests.sources.fault_server import Server
from tests.sources.feed_server import article_page
from tests.sources.runs import Run, run

# What every test here sets, so a default of 3 retries with backoff does not slow it down.
QUICK = "retries = 0\nhost_delay = 0.0\n"
LATER = "; tried again next run (1 of 3)"  # a transient failure's reject, as the web source words it


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEWSFLOW_CONFIG", "NEWSFLOW_FETCH__MAX_BYTES", "NEWSFLOW_FETCH__ALLOW_HOSTS", "NEWSFLOW_BATCH_SIZE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


def web_source(
    tmp_path: Path, server: Server, fetch: str, *paths: str, own: str = "", allow: int | None = None
) -> Source:
    """The web source of a newsflow.toml whose `[fetch]` table holds `fetch` and allows 127.0.0.1
    on port `allow` (the server's by default), built as a run builds it; `own` adds lines to the
    source's table."""
    config = tmp_path / "newsflow.toml"
    urls = ", ".join(f'"{server.url(path)}"' for path in paths)
    config.write_text(
        f'[fetch]\nallow_hosts = ["127.0.0.1:{allow or server.port}"]\n{fetch}\n'
        f'[[sources]]\nname = "web"\nkind = "web"\nurls = [{urls}]\n{own}\n',
        "utf-8",
    )
    settings = load_settings(config)
    return build_source(settings.sources[0], 100, None, allowed_hosts(None, str(config)), settings.fetch)


def outcomes(done: Run) -> dict[str, str]:
    """What became of each address, by its last path segment: `document`, or the reject's reason and detail."""
    found = {doc.uri: "document" for doc in done.documents}
    found.update({r.uri: f"{r.reason}: {r.detail}" for r in done.rejects})
    return {uri.rsplit("/", 1)[-1]: outcome for uri, outcome in found.items()}


def test_max_bytes_caps_what_is_fetched(tmp_path: Path, server: Server) -> None:
    capped = run(web_source(tmp_path, server, QUICK + "max_bytes = 1000", "/big-declared"))
    assert outcomes(capped) == {"big-declared": "too_large: Content-Length 5000 is over the cap of 1000 bytes"}
    assert outcomes(run(web_source(tmp_path, server, QUICK, "/big-declared"))) == {"big-declared": "document"}


def test_max_bytes_from_the_environment(tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_FETCH__MAX_BYTES", "1000")
    capped = run(web_source(tmp_path, server, QUICK, "/big-declared"))
    assert outcomes(capped) == {"big-declared": "too_large: Content-Length 5000 is over the cap of 1000 bytes"}


def test_retries_is_how_often_a_transient_failure_is_tried_again(tmp_path: Path, server: Server) -> None:
    run(web_source(tmp_path, server, "host_delay = 0.0\nretries = 0", "/status/503"))
    assert server.hits["/status/503"] == 1
    run(web_source(tmp_path, server, "host_delay = 0.0\nretries = 2", "/status/503"))
    assert server.hits["/status/503"] == 1 + 3


def test_read_timeout_cuts_a_silent_server(tmp_path: Path, server: Server) -> None:
    silent = run(web_source(tmp_path, server, QUICK + "read_timeout = 0.05", "/slow"))  # /slow waits 0.15 s
    assert outcomes(silent) == {"slow": "timeout: ReadTimeout: timed out" + LATER}
    assert outcomes(run(web_source(tmp_path, server, QUICK + "read_timeout = 1.0", "/slow"))) == {"slow": "document"}


def test_total_timeout_cuts_a_drip(tmp_path: Path, server: Server) -> None:
    started = time.monotonic()
    dripped = run(web_source(tmp_path, server, QUICK + "total_timeout = 0.5", "/drip"))  # 1000 bytes, 0.05 s each
    assert outcomes(dripped) == {"drip": "timeout: total deadline of 0.5 s passed" + LATER}
    assert time.monotonic() - started < 10


def test_connect_timeout_gives_up_on_a_server_that_does_not_accept(tmp_path: Path) -> None:
    # A listening socket whose accept queue is full: Linux drops further SYNs, the connection hangs.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    queued = []
    for _ in range(3):
        client = socket.socket()
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", port))
        queued.append(client)
    time.sleep(0.2)
    try:
        config = tmp_path / "newsflow.toml"
        for timeout in (0.3, 1.5):
            config.write_text(f'[fetch]\nallow_hosts = ["127.0.0.1"]\nretries = 0\nconnect_timeout = {timeout}\n')
            settings = load_settings(config)
            spec = SourceSpec.model_validate({"name": "w", "kind": "web", "urls": [f"http://127.0.0.1:{port}/page"]})
            source = build_source(spec, 100, None, allowed_hosts(None, str(config)), settings.fetch)
            started = time.monotonic()
            [reject] = run(source).rejects
            waited = time.monotonic() - started
            detail = f"http://127.0.0.1:{port}/robots.txt: ConnectTimeout: timed out"
            assert (reject.reason, reject.detail) == ("timeout", detail + LATER)
            assert timeout <= waited < timeout + 1.0
    finally:
        for client in queued:
            client.close()
        listener.close()


def test_per_host_limits_the_requests_in_flight(tmp_path: Path, server: Server) -> None:
    slow = [f"/slow?id={i}" for i in range(6)]
    run(web_source(tmp_path, server, QUICK + "per_host = 1", *slow))
    assert server.max_in_flight == 1
    server.max_in_flight = 0
    run(web_source(tmp_path, server, QUICK + "per_host = 3", *slow))
    assert server.max_in_flight > 1


@pytest.mark.parametrize("key", ["host_delay", "delay_seconds"])  # delay_seconds: the key's former name
def test_host_delay_spaces_the_requests_to_a_host(tmp_path: Path, server: Server, key: str) -> None:
    pages = [f"/ok?id={i}" for i in range(3)]
    run(web_source(tmp_path, server, f"retries = 0\nper_host = 4\n{key} = 0.5", *pages))
    starts = sorted(server.starts)  # robots.txt and three pages
    assert len(starts) == 4
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.45
    server.starts.clear()
    run(web_source(tmp_path, server, "retries = 0\nper_host = 4\nhost_delay = 0.0", *pages))
    assert max(server.starts) - min(server.starts) < 1.0  # with the delay, the four starts span 1.5 s at least


def test_an_allowed_host_with_a_port_allows_that_port_only(tmp_path: Path, server: Server) -> None:
    assert outcomes(run(web_source(tmp_path, server, QUICK, "/ok"))) == {"ok": "document"}
    with serving(Server()) as other:
        refused = run(web_source(tmp_path, other, QUICK, "/ok", allow=server.port))
    assert outcomes(refused) == {"ok": "blocked_address: 127.0.0.1 resolves to 127.0.0.1, a non-public address"}
    assert other.hits == {}


def test_a_sources_own_fetch_table_overrides_fetch_key_by_key(tmp_path: Path, server: Server) -> None:
    source = web_source(
        tmp_path,
        server,
        QUICK + "max_bytes = 1000",
        "/big-declared",
        "/status/503",
        own="fetch = { max_bytes = 10000 }",
    )
    assert outcomes(run(source)) == {
        "big-declared": "document",
        "503": "http_503: HTTP 503 Service Unavailable" + LATER,
    }
    assert server.hits["/status/503"] == 1  # retries = 0 from [fetch] still holds


def test_an_unknown_key_in_a_sources_fetch_table_is_an_error(tmp_path: Path, server: Server) -> None:
    with pytest.raises(TerminalError, match=r"fetch\.retrys: Extra inputs are not permitted"):
        web_source(tmp_path, server, QUICK, "/ok", own="fetch = { retrys = 1 }")


def test_the_parse_stage_caps_documents_as_the_run_fetches_them(tmp_path: Path) -> None:
    config = tmp_path / "newsflow.toml"
    config.write_text("[fetch]\nmax_bytes = 9000000\n", "utf-8")
    fetch = load_settings(config).fetch
    files = SourceSpec.model_validate({"name": "f", "kind": "files", "path": "seeds"})
    feed = SourceSpec.model_validate({"name": "w", "kind": "feeds", "url": "https://example.org/feed.xml"})
    assert (document_cap(files, None, fetch), document_cap(feed, None, fetch)) == (DEFAULT_MAX_BYTES, 9_000_000)
    assert (document_cap(files, 1234, fetch), document_cap(feed, 1234, fetch)) == (1234, 1234)


@pytest.mark.usefixtures("prefect_server")
def test_a_run_fetches_with_the_limits_of_the_config(tmp_path: Path, server: Server) -> None:
    server.pages["/news/report"] = (article_page("/news/report"), "text/html; charset=utf-8")
    config = tmp_path / "newsflow.toml"
    config.write_text(
        f'[fetch]\nallow_hosts = ["127.0.0.1:{server.port}"]\nmax_bytes = 3000\n{QUICK}\n'
        f'[[sources]]\nname = "web"\nkind = "web"\n'
        f'urls = ["{server.url("/news/report")}", "{server.url("/big-declared")}"]\n',
        "utf-8",
    )
    db = tmp_path / "n.duckdb"
    summary = run_ingest(db=str(db), config=str(config), extractor="none")
    assert (summary.status, summary.n_new, summary.rejects_by_reason) == ("completed", 1, {"too_large": 1})
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select uri, detail from rejects").fetchall() == [
            (server.url("/big-declared"), "Content-Length 5000 is over the cap of 3000 bytes")
        ]
