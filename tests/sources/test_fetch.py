"""Tests of sources/fetch.py against a real HTTP server on 127.0.0.1 that misbehaves on purpose."""

from __future__ import annotations

import gzip
import ipaddress
import random
import socket
import tracemalloc
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import ThreadingHTTPServer

import pytest

from sources.fetch import (
    USER_AGENT,
    BoundedDecoder,
    Fetched,
    FetchOptions,
    HostMemory,
    TooMuchOutputError,
    _backoff_delay,
    _BlockedAddressError,
    _is_forbidden,
    _parse_retry_after,
    _vetted_addresses,
    fetch_all,
)
from tests.http_server import QuietHandler, serving
from tests.sources.fault_server import BOMB, LAST_MODIFIED, LOCAL, Server


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


def fast(**changes: object) -> FetchOptions:
    """Options with the waits of a test: short timeouts, tiny backoff, the test server allowed."""
    values: dict[str, object] = {
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "total_timeout": 3.0,
        "host_delay": 0.0,
        "backoff_factor": 0.01,
        "retries": 2,
        "allow_hosts": LOCAL,
    }
    values.update(changes)
    return FetchOptions.model_validate(values)


def one(
    url: str,
    options: FetchOptions,
    *,
    validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    respect_robots: bool = False,
) -> Fetched:
    [result] = fetch_all([url], options, validators=validators, respect_robots=respect_robots)
    return result


# --- plain fetching ---------------------------------------------------------------------------


def test_results_come_back_in_input_order_with_our_user_agent(server: Server) -> None:
    urls = [server.url(f"/ok?i={i}") for i in range(6)] + [server.url("/status/404")]
    results = fetch_all(urls, fast(), respect_robots=False)
    assert [r.url for r in results] == urls
    assert [r.content for r in results[:6]] == [f"hello /ok?i={i}".encode() for i in range(6)]
    assert results[0].headers["content-type"] == "text/plain"
    assert results[0].ok and results[0].status == 200 and results[0].attempts == 1
    assert server.seen_headers["/ok?i=0"]["user-agent"] == USER_AGENT
    assert "newsflow" in USER_AGENT
    assert results[6].error == "http_404"


def test_an_empty_batch_is_an_empty_list() -> None:
    assert fetch_all([], FetchOptions()) == []


@pytest.mark.parametrize("url", ["ftp://example.org/file", "not a url at all", "http://"])
def test_urls_we_do_not_fetch_are_bad_url(url: str) -> None:
    result = one(url, fast())
    assert result.error == "bad_url"
    assert result.content is None


# --- retries ----------------------------------------------------------------------------------


def test_a_500_then_200_is_retried_to_success(server: Server) -> None:
    result = one(server.url("/flaky"), fast())
    assert result.ok and result.content == b"second time lucky"
    assert result.attempts == 2 and server.hits["/flaky"] == 2


def test_a_persistent_503_gives_up_after_the_retries(server: Server) -> None:
    result = one(server.url("/status/503"), fast(retries=2))
    assert result.error == "http_503" and result.status == 503
    assert result.transient
    assert result.attempts == 3 and server.hits["/status/503"] == 3


def test_a_404_is_not_retried(server: Server) -> None:
    result = one(server.url("/status/404"), fast(retries=3))
    assert result.error == "http_404" and result.status == 404
    assert not result.transient
    assert result.attempts == 1 and server.hits["/status/404"] == 1


def test_retry_after_in_seconds_is_honoured(server: Server) -> None:
    result = one(server.url("/ra-seconds"), fast())
    assert result.ok and result.attempts == 2
    assert result.elapsed >= 0.95  # the server asked for 1 s; the backoff alone would be ~10 ms


def test_retry_after_as_an_http_date_is_honoured(server: Server) -> None:
    result = one(server.url("/ra-date"), fast())
    assert result.ok and result.attempts == 2
    gap = server.starts[1] - server.starts[0]
    assert 0.0 < gap < 2.5


def test_a_retry_after_over_the_cap_is_not_waited_for(server: Server) -> None:
    result = one(server.url("/ra-long"), fast(retry_after_cap=5))
    assert result.error == "http_429" and result.transient
    assert result.attempts == 1 and result.elapsed < 2
    assert "over the cap" in result.detail


# --- deadlines and broken connections -------------------------------------------------------


def test_a_slow_drip_of_body_is_cut_at_the_total_deadline(server: Server) -> None:
    result = one(server.url("/drip"), fast(total_timeout=0.4, retries=0))
    assert result.error == "timeout" and result.transient
    assert "total deadline" in result.detail
    assert result.elapsed < 2  # the drip would take 50 s; no read ever waits 0.4 s


def test_a_slow_drip_of_headers_is_cut_at_the_total_deadline(server: Server) -> None:
    result = one(server.url("/drip-headers"), fast(total_timeout=0.4, retries=0))
    assert result.error == "timeout"
    assert result.elapsed < 2


def test_a_slow_drip_is_retried_like_any_timeout(server: Server) -> None:
    result = one(server.url("/drip"), fast(total_timeout=0.2, retries=1))
    assert result.error == "timeout" and result.attempts == 2 and server.hits["/drip"] == 2


def test_a_connection_reset_is_a_transient_read_error(server: Server) -> None:
    result = one(server.url("/reset"), fast(retries=1))
    assert result.error == "read_error" and result.transient
    assert result.status is None and result.attempts == 2


def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = one(f"http://127.0.0.1:{port}/", fast(retries=0))
    assert result.error == "connect_error" and result.transient


# --- redirects and addresses ------------------------------------------------------------------


def test_five_redirects_are_followed_and_a_sixth_is_too_many(server: Server) -> None:
    ok, too_far = fetch_all([server.url("/chain/5"), server.url("/chain/6")], fast(), respect_robots=False)
    assert ok.ok and ok.content == b"end of chain"
    assert ok.final_url == server.url("/chain/0")
    assert too_far.error == "too_many_redirects" and too_far.status == 302
    assert server.hits["/chain/0"] == 1  # only the first chain reached the end


def test_a_redirect_loop_stops_at_the_first_repeat(server: Server) -> None:
    result = one(server.url("/loop-a"), fast())
    assert result.error == "too_many_redirects" and "loop" in result.detail
    assert server.hits["/loop-a"] == 1 and server.hits["/loop-b"] == 1
    assert result.attempts == 1


def test_a_redirect_to_a_private_address_is_refused_before_connecting(server: Server) -> None:
    result = one(server.url("/to-private"), fast())
    assert result.error == "blocked_address"
    assert result.final_url == "http://10.0.0.1/"
    assert "10.0.0.1" in result.detail
    assert result.elapsed < 1  # refused, not a connect attempt timing out


def test_a_redirect_to_loopback_is_refused_when_only_localhost_is_allowed(server: Server) -> None:
    result = one(server.url("/to-ip", host="localhost"), fast(allow_hosts={"LOCALHOST."}))
    assert server.hits["/to-ip"] == 1  # the allowed name was fetched ...
    assert result.error == "blocked_address"  # ... and the hop to its address by number was not
    assert server.hits["/ok"] == 0


def test_loopback_is_refused_unless_allowed(server: Server) -> None:
    result = one(server.url("/ok"), fast(allow_hosts=frozenset()))
    assert result.error == "blocked_address" and not result.transient
    assert result.attempts == 1
    assert sum(server.hits.values()) == 0


def test_a_redirect_to_another_scheme_is_refused(server: Server) -> None:
    result = one(server.url("/to-file"), fast())
    assert result.error == "bad_url" and result.final_url.startswith("file:")


def test_resolved_names_are_checked_address_by_address() -> None:
    with pytest.raises(_BlockedAddressError, match="non-public"):
        _vetted_addresses("localhost", 80)
    assert _vetted_addresses("8.8.8.8", 80) == ["8.8.8.8"]


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
        "2002:a00:1::1",
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_forbidden(address: str) -> None:
    assert _is_forbidden(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_not(address: str) -> None:
    assert not _is_forbidden(ipaddress.ip_address(address))


def test_allowed_hosts_are_normalised() -> None:
    assert FetchOptions(allow_hosts=frozenset({" Example.ORG. ", "[::1]", ""})).allow_hosts == {"example.org", "::1"}
    assert FetchOptions(allow_hosts=frozenset({"LocalHost:0080", "[::1]:8080"})).allow_hosts == {
        "localhost:80",
        "[::1]:8080",
    }
    with pytest.raises(ValueError, match="the port after the host must be a number"):
        FetchOptions(allow_hosts=frozenset({"127.0.0.1:x"}))


def test_a_host_allowed_on_one_port_is_refused_on_another(server: Server) -> None:
    assert one(server.url("/ok"), fast(allow_hosts={f"127.0.0.1:{server.port}"})).ok
    with serving(Server()) as other:
        refused = one(other.url("/ok"), fast(allow_hosts={f"127.0.0.1:{server.port}"}))
        assert refused.error == "blocked_address"
        assert other.hits == {}
        assert one(other.url("/ok"), fast(allow_hosts={"127.0.0.1"})).ok  # a host alone: every port


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True


class _Hello(QuietHandler):
    def do_GET(self) -> None:
        self.send(200, b"hello over IPv6")


def test_an_ipv6_host_is_allowed_on_one_port_in_brackets() -> None:
    with serving(_V6Server(("::1", 0), _Hello)) as v6:
        port = v6.server_address[1]
        url = f"http://[::1]:{port}/"
        assert one(url, fast(allow_hosts={f"[::1]:{port}"})).content == b"hello over IPv6"
        assert one(url, fast(allow_hosts={f"[::1]:{port + 1}"})).error == "blocked_address"
        assert one(url, fast(allow_hosts={"::1"})).ok


# --- bodies -----------------------------------------------------------------------------------


def test_a_body_over_the_declared_cap_is_not_read(server: Server) -> None:
    result = one(server.url("/big-declared"), fast(max_bytes=1000))
    assert result.error == "too_large" and "Content-Length 5000" in result.detail
    assert result.content is None and not result.transient


def test_a_body_over_the_cap_without_a_length_is_cut_while_streaming(server: Server) -> None:
    result = one(server.url("/big-chunked"), fast(max_bytes=1000))
    assert result.error == "too_large" and "more than 1000 bytes" in result.detail
    assert one(server.url("/big-chunked"), fast(max_bytes=5000)).content == b"x" * 5000


def test_a_gzip_bomb_is_stopped_at_the_decoded_cap(server: Server) -> None:
    result = one(server.url("/bomb"), fast(max_decoded_bytes=256 * 1024))
    assert result.error == "decompression_bomb" and result.content is None
    assert len(BOMB) < 1000 * 1024 / 50  # it is a bomb: a tiny body for 10 MiB


def test_the_decoder_never_holds_more_than_the_cap() -> None:
    decoder = BoundedDecoder("gzip", 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(TooMuchOutputError):
            for start in range(0, len(BOMB), 4096):
                decoder.feed(BOMB[start : start + 4096])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # the whole bomb would be 10 MiB


def test_gzip_and_deflate_bodies_are_decoded(server: Server) -> None:
    zipped, deflated = fetch_all([server.url("/gzip"), server.url("/deflate")], fast(), respect_robots=False)
    assert zipped.content == b"zipped text" and zipped.headers["content-encoding"] == "gzip"
    assert deflated.content == b"deflated text"
    assert server.seen_headers["/gzip"]["accept-encoding"] == "gzip, deflate"


def test_an_encoding_we_did_not_offer_is_refused(server: Server) -> None:
    assert one(server.url("/br"), fast()).error == "unsupported_encoding"


def test_concatenated_gzip_members_are_one_body() -> None:
    decoder = BoundedDecoder("gzip", 100)
    decoder.feed(gzip.compress(b"one ") + gzip.compress(b"two"))
    assert decoder.finish() == b"one two"


# --- conditional requests ---------------------------------------------------------------------


def test_validators_are_sent_and_a_304_is_not_modified(server: Server) -> None:
    url = server.url("/etag")
    first = one(url, fast())
    assert first.content == b"fresh"
    validators = {url: (first.headers["etag"], first.headers["last-modified"])}
    again = one(url, fast(), validators=validators)
    assert again.ok and again.not_modified and again.status == 304 and again.content is None
    assert server.seen_headers["/etag"]["if-none-match"] == '"v1"'
    assert server.seen_headers["/etag"]["if-modified-since"] == LAST_MODIFIED
    by_date = one(url, fast(), validators={url: (None, LAST_MODIFIED)})
    assert by_date.not_modified
    assert "if-none-match" not in server.seen_headers["/etag"]


# --- robots.txt -------------------------------------------------------------------------------


def test_robots_disallow_is_honoured_and_read_once_per_host(server: Server) -> None:
    server.robots = (200, b"User-agent: *\nDisallow: /private/\n")
    urls = [server.url("/private/a"), server.url("/ok"), server.url("/private/b"), server.url("/ok?2")]
    results = fetch_all(urls, fast(), respect_robots=True)
    assert [r.error for r in results] == ["robots", None, "robots", None]
    assert server.hits["/robots.txt"] == 1
    assert not any(path.startswith("/private/") for path in server.hits)


def test_robots_rules_for_newsflow_apply_to_us(server: Server) -> None:
    server.robots = (200, b"User-agent: newsflow\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    refused = one(server.url("/ok"), fast(), respect_robots=True)
    assert refused.error == "robots" and not refused.transient


def test_robots_are_skipped_when_asked(server: Server) -> None:
    server.robots = (200, b"User-agent: *\nDisallow: /\n")
    assert one(server.url("/ok"), fast(), respect_robots=False).ok
    assert server.hits["/robots.txt"] == 0


def test_a_missing_robots_txt_allows_everything(server: Server) -> None:
    server.robots = (404, b"")
    assert one(server.url("/private/a"), fast(), respect_robots=True).ok


def test_a_failing_robots_txt_refuses_the_host_for_the_run(server: Server) -> None:
    server.robots = (503, b"")
    results = fetch_all([server.url("/ok"), server.url("/ok?2")], fast(retries=1), respect_robots=True)
    assert [r.error for r in results] == ["robots_unavailable", "robots_unavailable"]
    assert "could not be read (http_503" in results[0].detail
    assert all(r.transient and r.attempts == 1 for r in results)  # a later run may read it
    assert server.hits["/robots.txt"] == 2  # one attempt and one retry, then cached for the call
    assert server.hits["/ok"] == 0


# --- politeness -------------------------------------------------------------------------------


def test_no_more_than_per_host_requests_at_once(server: Server) -> None:
    urls = [server.url(f"/slow?{i}") for i in range(6)]
    results = fetch_all(urls, fast(per_host=2, workers=6), respect_robots=False)
    assert all(r.ok for r in results)
    assert server.max_in_flight == 2


def test_requests_to_one_host_start_a_delay_apart(server: Server) -> None:
    urls = [server.url(f"/ok?{i}") for i in range(3)]
    results = fetch_all(urls, fast(per_host=3, host_delay=0.15), respect_robots=False)
    assert all(r.ok for r in results)
    gaps = [b - a for a, b in zip(server.starts, server.starts[1:], strict=False)]
    assert min(gaps) >= 0.14


# --- retry arithmetic -------------------------------------------------------------------------


def test_retry_after_parsing() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert _parse_retry_after("120", now) == 120.0
    assert _parse_retry_after(" 0 ", now) == 0.0
    assert _parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert _parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0.0  # in the past: go now
    for unreadable in (None, "", "-5", "1.5", "soon"):
        assert _parse_retry_after(unreadable, now) is None


def test_backoff_grows_exponentially_within_jitter_bounds_and_the_cap() -> None:
    options = FetchOptions(backoff_factor=0.5, backoff_max=3.0)
    rng = random.Random(7)
    for attempt, step in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 3.0), (10, 3.0)]:
        waits = [_backoff_delay(attempt, options, rng) for _ in range(200)]
        assert step / 2 <= min(waits) and max(waits) <= step
        assert max(waits) - min(waits) > step / 4  # the jitter is real


def test_an_unreachable_host_is_a_connect_error_not_a_robots_failure() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = one(f"http://127.0.0.1:{port}/news/1", fast(retries=0), respect_robots=True)
    assert result.error == "connect_error" and "robots.txt" in result.detail
    assert result.transient


# --- hosts that cannot be reached -------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:  # a port nobody listens on: connections are refused
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every TCP connection httpcore opens, by (host, port); the real `socket.create_connection` makes it."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def counting(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        made.append((address[0], int(address[1])))
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", counting)
    return made


def test_a_refusing_host_costs_one_urls_retries_not_each_urls(connects: list[tuple[str, int]]) -> None:
    port = _closed_port()
    urls = [f"http://127.0.0.1:{port}/news/{i}" for i in range(12)]
    results = fetch_all(urls, fast(retries=2, workers=6), respect_robots=False)
    assert [r.error for r in results] == ["connect_error"] * 12
    assert len([c for c in connects if c[1] == port]) == 3  # one URL's attempt and two retries, no more
    tried = [r for r in results if r.attempts]
    assert len(tried) == 1 and tried[0].attempts == 3
    skipped = [r for r in results if not r.attempts]
    assert all(f"127.0.0.1:{port} could not be reached earlier in this run" in r.detail for r in skipped)
    assert all(r.transient for r in results)  # a later run tries the host again


def test_what_a_run_learnt_about_a_host_lasts_across_calls(connects: list[tuple[str, int]]) -> None:
    port = _closed_port()
    memory = HostMemory()
    first = fetch_all([f"http://127.0.0.1:{port}/a"], fast(retries=1), respect_robots=True, hosts=memory)
    assert first[0].error == "connect_error" and "robots.txt" in first[0].detail
    made = len(connects)
    assert made == 2  # robots.txt: an attempt and a retry
    later = fetch_all([f"http://127.0.0.1:{port}/b", f"http://127.0.0.1:{port}/c"], fast(), hosts=memory)
    assert [r.error for r in later] == ["connect_error", "connect_error"] and len(connects) == made
    assert memory.unreachable(f"127.0.0.1:{port}") is not None
    # Without the memory, a new call asks again.
    fetch_all([f"http://127.0.0.1:{port}/d"], fast(retries=0), respect_robots=False)
    assert len(connects) == made + 1


def test_an_unresolvable_host_is_looked_up_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    lookups: list[str] = []
    real = socket.getaddrinfo

    def counting(host: str, *args: object, **kwargs: object) -> object:
        lookups.append(host)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    urls = [f"http://news.example.invalid/story/{i}" for i in range(20)]
    started = datetime.now(UTC)
    results = fetch_all(urls, fast(retries=3, backoff_factor=0.05, allow_hosts=frozenset()), respect_robots=True)
    elapsed = (datetime.now(UTC) - started).total_seconds()
    assert {r.error for r in results} == {"connect_error"}
    assert "could not resolve news.example.invalid" in results[0].detail
    assert lookups.count("news.example.invalid") == 4  # robots.txt: one attempt and three retries
    assert elapsed < 20  # generous: 20 URLs each retrying the host would take far longer with real backoff


def test_a_reachable_host_is_not_held_up_by_an_unreachable_one(server: Server) -> None:
    port = _closed_port()
    urls = [f"http://127.0.0.1:{port}/a", server.url("/ok?x=1"), f"http://127.0.0.1:{port}/b", server.url("/ok?x=2")]
    results = fetch_all(urls, fast(retries=1), respect_robots=False)
    assert [r.error for r in results] == ["connect_error", None, "connect_error", None]


# --- robots.txt as RFC 9309 reads it ------------------------------------------------------------


def test_robots_wildcards_and_the_longest_match_are_honoured(server: Server) -> None:
    server.robots = (
        200,
        b"User-agent: github\nDisallow: /\n\n"  # our User-Agent names github.com; this group is not ours
        b"User-agent: *\nDisallow: /*.pdf$\nDisallow: /news/*/draft\nDisallow: /live\nAllow: /live/open\n",
    )
    paths = ["/doc.pdf", "/doc.pdf.html", "/news/2026/draft/1", "/news/2026/final/1", "/live/feed", "/live/open/1"]
    for path in paths:
        server.pages[path] = (b"<p>page</p>", "text/html")
    results = fetch_all([server.url(p) for p in paths], fast(), respect_robots=True)
    # The standard library's parser compared prefixes only: it fetched the pdf and the draft.
    assert [r.error for r in results] == ["robots", None, "robots", None, "robots", None]
    assert server.hits["/robots.txt"] == 1
