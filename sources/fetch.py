"""The one safe HTTP fetcher of the live sources: caps, deadlines, checked redirects, robots.txt and retries."""

from __future__ import annotations

import ipaddress
import random
import socket
import ssl
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpcore
import httpx
from protego import Protego
from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas import DEFAULT_MAX_BYTES
from schemas.config import host_exemption

__all__ = [
    "USER_AGENT",
    "BoundedDecoder",
    "FetchOptions",
    "Fetched",
    "HostMemory",
    "TooMuchOutputError",
    "fetch_all",
    "fetch_each",
    "robots_agent",
]

USER_AGENT = "newsflow/0.1 (+https://github.com/newsflow)"
"""Sent with every request; robots.txt groups are matched on its first word, `newsflow`."""

# Only what `BoundedDecoder` can bound while it decodes; brotli's decoder has no output limit we can rely on.
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt
TRANSIENT_ERRORS = frozenset({"timeout", "connect_error", "read_error", "robots_unavailable"})

_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchOptions(BaseModel):
    """Limits of a fetch batch; every one has a default fit for news sites.

    Attributes:
        connect_timeout: seconds to open a connection.
        read_timeout: seconds of silence tolerated while reading.
        total_timeout: seconds one request may take in all (one hop of a redirect chain, one attempt),
            enforced on every socket operation, so a server that drips its headers or body is cut off.
        max_bytes: bytes that may come over the wire for one body (before decompression).
        max_decoded_bytes: bytes a body may decompress to; a gzip bomb stops here.
        max_redirects: redirect hops followed before giving up.
        per_host: requests in flight at once to one host.
        host_delay: seconds between the starts of two requests to one host.
        retries: further attempts after a timeout, a network fault, a 429 or a 5xx.
        backoff_factor: the first retry waits about this long, each next one twice as long (with jitter).
        backoff_max: no backoff wait is longer than this.
        retry_after_cap: the longest Retry-After honoured; a server asking for more is not retried.
        workers: threads fetching at once, across hosts.
        allow_hosts: host names or IP literals exempt from the private-address check (`fetch.allow_hosts`),
            on every port, or `HOST:PORT` (`[IPv6]:PORT`) on that port only.
        user_agent: the User-Agent header, also the name robots.txt rules are matched against.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=10.0, gt=0)
    total_timeout: float = Field(default=30.0, gt=0)
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1)
    max_decoded_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_redirects: int = Field(default=5, ge=0)
    per_host: int = Field(default=2, ge=1)
    host_delay: float = Field(default=0.5, ge=0)
    retries: int = Field(default=3, ge=0)
    backoff_factor: float = Field(default=0.5, ge=0)
    backoff_max: float = Field(default=30.0, ge=0)
    retry_after_cap: float = Field(default=60.0, ge=0)
    workers: int = Field(default=8, ge=1)
    allow_hosts: frozenset[str] = frozenset()
    user_agent: str = USER_AGENT

    @field_validator("allow_hosts", mode="after")
    @classmethod
    def _normalise_hosts(cls, hosts: frozenset[str]) -> frozenset[str]:
        return frozenset(key for key in map(host_exemption, hosts) if key)

    def for_source(self, allow_hosts: frozenset[str], max_bytes: int | None = None) -> FetchOptions:
        """These options with a source's own allowed hosts added and, when given, its byte cap."""
        values = self.model_dump()
        values["allow_hosts"] = self.allow_hosts | allow_hosts
        if max_bytes is not None:
            values["max_bytes"] = max_bytes
        return FetchOptions.model_validate(values)


@dataclass(frozen=True, slots=True)
class Fetched:
    """What came of one URL: a body, a "not modified", or the reason it failed.

    Attributes:
        url: the URL as asked.
        final_url: the URL of the last request made, after redirects.
        status: the last HTTP status seen, `None` when no answer came.
        content: the decoded body, `None` unless the fetch succeeded with a body.
        headers: the last response's headers, lower-case names, repeated ones joined by ", ".
            `content-encoding` says how the body travelled; `content` is already decoded.
        not_modified: the server answered 304 to the validators given for this URL.
        error: `None` on success, else a reason code: `http_<status>`, `timeout`, `connect_error`,
            `read_error`, `blocked_address`, `too_many_redirects`, `too_large`, `decompression_bomb`,
            `unsupported_encoding`, `decode_error`, `robots` (disallowed), `robots_unavailable`
            (robots.txt answered 429 or 5xx or not at all: the host is skipped for this call), `bad_url`.
        detail: what exactly happened, for the `rejects` row.
        elapsed: seconds spent on this URL, waits and retries included.
        attempts: requests made for this URL (redirect hops of one attempt count once).
    """

    url: str
    final_url: str
    status: int | None
    content: bytes | None
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False
    error: str | None = None
    detail: str = ""
    elapsed: float = 0.0
    attempts: int = 1

    @property
    def ok(self) -> bool:
        """True for a body or a "not modified": nothing to reject."""
        return self.error is None

    @property
    def transient(self) -> bool:
        """True when a later run may succeed: timeouts, network faults, 429 and 5xx, robots.txt unavailable."""
        return self.error is not None and _is_transient(self.error)


def fetch_all(
    urls: Sequence[str],
    options: FetchOptions | None = None,
    *,
    validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    respect_robots: bool = True,
    hosts: HostMemory | None = None,
    on_fetched: Callable[[Fetched], None] | None = None,
) -> list[Fetched]:
    """Fetch a batch of URLs concurrently with one client; every failure is a value.

    Each host gets at most `per_host` requests at once, `host_delay` apart. Every connection,
    redirect hops included, is checked: a host that resolves to a private, loopback, link-local,
    CGNAT, multicast, reserved or unspecified address is refused unless it is in `allow_hosts`,
    and the connection goes to the address that was checked.

    A host that cannot be reached (its name does not resolve, it refuses or drops connections)
    costs one URL's retries: meanwhile the other URLs of that host wait, and afterwards they fail
    at once with the same reason and no request. `hosts` keeps that verdict and each host's
    robots.txt for as long as the caller keeps it (a source keeps one for its run); without it
    they last for this call.

    Args:
        urls: http or https URLs; duplicates are fetched once each time they appear.
        options: limits; the defaults when `None`.
        validators: per URL as asked, its (ETag, Last-Modified) from the last fetch; sent as
            If-None-Match / If-Modified-Since, and a 304 comes back with `not_modified=True`.
        respect_robots: check each host's robots.txt (fetched once per host and `hosts`) before
            each request. Feeds pass `False`: a feed is published to be polled.
        hosts: what is known of hosts from earlier calls (robots.txt rules, hosts that could not
            be reached), and where this call adds what it learns; a fresh one when `None`.
        on_fetched: called with each answer as it comes (from the fetching threads), for progress.

    Returns:
        One `Fetched` per URL, in the order of `urls`.
    """
    options = options or FetchOptions()
    if not urls:
        return []
    with _Fetcher(options, validators or {}, respect_robots, hosts or HostMemory()) as fetcher:
        workers = min(options.workers, len(urls))

        def fetch(url: str) -> Fetched:
            fetched = fetcher.fetch(url)
            if on_fetched is not None:
                on_fetched(fetched)
            return fetched

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="newsflow-fetch") as pool:
            return list(pool.map(fetch, urls))


def fetch_each(
    urls: Sequence[str],
    options: FetchOptions | None = None,
    *,
    validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    respect_robots: bool = True,
    hosts: HostMemory | None = None,
    on_fetched: Callable[[Fetched], None] | None = None,
) -> Generator[Fetched, None, None]:
    """Fetch URLs as `fetch_all` does, one client for them all, yielding each answer in order.

    At most `options.workers` URLs are fetched or waiting to be taken at once, so the bodies held
    are never more than that many, however long the list: a source can end a page by its bytes and
    go on. Closing the iterator early waits for the requests in flight, and asks nothing more.
    `hosts` and `on_fetched` are as for `fetch_all`.
    """
    options = options or FetchOptions()
    if not urls:
        return
    with (
        _Fetcher(options, validators or {}, respect_robots, hosts or HostMemory()) as fetcher,
        ThreadPoolExecutor(max_workers=min(options.workers, len(urls)), thread_name_prefix="newsflow-fetch") as pool,
    ):

        def fetch(url: str) -> Fetched:
            fetched = fetcher.fetch(url)
            if on_fetched is not None:
                on_fetched(fetched)
            return fetched

        pending: deque[Future[Fetched]] = deque()
        ahead = iter(urls)
        try:
            for url in ahead:
                pending.append(pool.submit(fetch, url))
                if len(pending) >= options.workers:
                    break
            while pending:
                result = pending.popleft().result()
                following = next(ahead, None)
                if following is not None:
                    pending.append(pool.submit(fetch, following))
                yield result
        finally:
            for future in pending:
                future.cancel()


# --- retry arithmetic -------------------------------------------------------------------------


def _is_transient(error: str) -> bool:
    if error in TRANSIENT_ERRORS:
        return True
    if error.startswith("http_"):
        status = int(error.removeprefix("http_"))
        return status == 429 or status >= 500
    return False


def _parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date; `None` if unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT; a zone-less one is read the same way
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _backoff_delay(attempt: int, options: FetchOptions, rng: random.Random) -> float:
    """The wait before retry number `attempt` (1-based): exponential, capped, with "equal jitter".

    Half the exponential step is kept so retries stay spread out; the other half is random so
    many clients that failed together do not come back together.
    """
    step = min(options.backoff_max, options.backoff_factor * 2.0 ** (attempt - 1))
    return step / 2 + rng.uniform(0, step / 2)


# --- address checks ---------------------------------------------------------------------------


def _host_key(host: str) -> str:
    return host.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")


def _is_forbidden(address: _IPAddress) -> bool:
    """True for an address a fetch from the internet must never reach (SSRF)."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 address may carry an IPv4 one that the network will reach: judge that one.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _is_forbidden(embedded)
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT)
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        or not address.is_global
    )


class _BlockedAddressError(Exception):
    """A host resolved to an address we refuse to connect to."""


_local = threading.local()  # the deadline of the request the current thread is making


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    """Shorten a per-operation timeout so that no operation runs past the request's deadline."""
    deadline: float | None = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise timeout_error("total deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the request's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Opens every connection only to an address it has just checked, within the deadline.

    Checking here rather than before the request closes the gap a DNS answer could change in
    (rebinding), and it covers every redirect hop and every new connection of the pool.
    """

    def __init__(self, allow_hosts: frozenset[str], hosts: HostMemory | None = None) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_hosts = allow_hosts
        self._hosts = hosts

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        key = _host_key(host)
        on_port = f"[{key}]:{port}" if ":" in key else f"{key}:{port}"  # as `host_exemption` writes it
        allowed = key in self._allow_hosts or on_port in self._allow_hosts
        targets = [host] if allowed else _vetted_addresses(host, port)
        failure: Exception | None = None
        for target in targets:
            try:
                stream = self._inner.connect_tcp(
                    target, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            if self._hosts is not None:  # the URLs waiting for this host's verdict may go now
                self._hosts.reached(f"{key}:{port}")
            return _DeadlineStream(stream)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _vetted_addresses(host: str, port: int) -> list[str]:
    """Resolve `host` and return its addresses, refusing the lot if any one is forbidden."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"could not resolve {host}: {exc}") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0])
        address = ipaddress.ip_address(text.split("%", 1)[0])
        # One bad address is enough: which one the connection would get is not ours to choose.
        if _is_forbidden(address):
            raise _BlockedAddressError(f"{host} resolves to {address}, a non-public address")
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise httpcore.ConnectError(f"{host} resolves to no address")
    return addresses


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a pool that connects through `_GuardedBackend`."""

    def __init__(self, backend: _GuardedBackend, limits: httpx.Limits) -> None:
        super().__init__(http2=True, limits=limits)
        # httpx takes no network backend; httpcore's pool does, so ours replaces the one httpx built.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=True,
            network_backend=backend,
        )


# --- bodies -----------------------------------------------------------------------------------


class TooMuchOutputError(Exception):
    """Decoding would pass `max_decoded_bytes`."""


class _UnsupportedEncodingError(Exception):
    """A Content-Encoding we did not offer and cannot decode with a bound."""


class BoundedDecoder:
    """Decodes gzip or deflate as the raw bytes arrive, never producing more than `limit` bytes.

    `decompress(data, max_length)` keeps what it has not inflated in `unconsumed_tail`, so a bomb
    is stopped one small step past the cap instead of being inflated whole.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self._limit = limit
        self._out = bytearray()
        self._raw_deflate = False
        self._started = False
        names = [e.strip().lower() for e in encoding.split(",") if e.strip() and e.strip().lower() != "identity"]
        if not names:
            self._kind = ""
        elif len(names) == 1 and names[0] in {"gzip", "x-gzip", "deflate"}:
            self._kind = "deflate" if names[0] == "deflate" else "gzip"
        else:
            raise _UnsupportedEncodingError(f"Content-Encoding {encoding!r} was not offered")
        self._z = self._new()

    def _new(self) -> Any:
        if self._kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self._kind == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)
        return None

    def _keep(self, piece: bytes) -> None:
        self._out += piece
        if len(self._out) > self._limit:
            raise TooMuchOutputError(f"decodes to more than {self._limit} bytes")

    def feed(self, chunk: bytes) -> None:
        if self._z is None:
            self._keep(chunk)
            return
        data = chunk
        while data:
            try:
                piece = self._z.decompress(data, self._limit - len(self._out) + 1)
            except zlib.error:
                # "deflate" is sent both zlib-wrapped (as specified) and raw (as servers often do).
                if self._kind == "deflate" and not self._started and not self._raw_deflate:
                    self._raw_deflate = True
                    self._z = self._new()
                    continue
                raise
            self._started = True
            self._keep(piece)
            data = self._z.unconsumed_tail
            if self._z.eof:
                data = self._z.unused_data
                if self._kind != "gzip" or not data:
                    return  # bytes after a complete stream are dropped, as browsers do
                self._z = self._new()  # a gzip body may be several members one after another

    def finish(self) -> bytes:
        if self._z is not None:
            self._keep(self._z.flush())
        return bytes(self._out)

    @property
    def complete(self) -> bool:
        """Whether the compressed stream ended where it says it ends (always, for a plain body)."""
        return self._z is None or bool(self._z.eof)


# --- the fetcher ------------------------------------------------------------------------------


class _HostGate:
    """At most `per_host` requests at once to a host, their starts `delay` seconds apart."""

    def __init__(self, per_host: int, delay: float) -> None:
        self._per_host = per_host
        self._delay = delay
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slots = self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with slots:
            with self._lock:
                start = max(time.monotonic(), self._next_start.get(host, 0.0))
                self._next_start[host] = start + self._delay
            wait = start - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            yield

    def hold_off(self, host: str, seconds: float) -> None:
        """Start no request to `host` for `seconds` (a Retry-After applies to the host, not one URL)."""
        with self._lock:
            until = time.monotonic() + seconds
            self._next_start[host] = max(self._next_start.get(host, 0.0), until)


@dataclass(frozen=True, slots=True)
class _Robots:
    """What a host's robots.txt allows: its rules, none (all allowed), or the failure that refuses all."""

    parser: Protego | None = None
    failure: Fetched | None = None


def robots_agent(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: the User-Agent's first word before "/".

    RFC 9309 matches the product token, not the whole header: "newsflow/0.1 (+https://github.com/...)"
    must not fall under a group for "github".
    """
    words = user_agent.split()
    return words[0].split("/", 1)[0] if words else user_agent


class HostMemory:
    """What the fetches of one run have learnt about hosts: robots.txt rules, and hosts that cannot be reached.

    A host is unreachable when a URL's last attempt could not connect to it (no DNS answer, refused,
    reset while connecting, a TLS handshake that failed, or the connect timeout) after its retries.
    Until one connection to a host has succeeded, one URL at a time tries it and the others wait
    for its verdict instead of paying the same retries; once the host is found unreachable they
    fail at once, with its reason and no request. Safe to share between threads and `fetch_all` calls.
    """

    _WAIT_SLICE = 0.5  # seconds between looks while another thread retries a host

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._down: dict[str, Fetched] = {}
        self._reached: set[str] = set()
        self._probing: dict[str, int] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def unreachable(self, host: str) -> Fetched | None:
        """The failure that showed `host` (`name:port`) cannot be reached, or `None`."""
        with self._changed:
            return self._down.get(host)

    def claim(self, host: str, patience: float) -> Fetched | None:
        """Before connecting to `host`: its failure if it is unreachable, else `None` once this thread may go.

        Until a connection to a host has succeeded, one thread at a time tries it; the others wait
        (at most `patience` seconds) for its verdict, so an unreachable host is tried by one URL only.
        """
        me = threading.get_ident()
        deadline = time.monotonic() + patience
        with self._changed:
            while True:
                if host in self._down:
                    return self._down[host]
                if host in self._reached:
                    return None
                owner = self._probing.get(host)
                left = deadline - time.monotonic()
                if owner is None:
                    # One host at a time per thread, so that no two threads wait on each other.
                    for held in [h for h, o in self._probing.items() if o == me]:
                        del self._probing[held]
                    self._probing[host] = me
                    self._changed.notify_all()
                    return None
                if owner == me or left <= 0:
                    return None
                self._changed.wait(min(left, self._WAIT_SLICE))

    def reached(self, host: str) -> None:
        """A connection to `host` succeeded: every thread may go to it from now on."""
        with self._changed:
            self._reached.add(host)
            self._probing.pop(host, None)
            self._changed.notify_all()

    def settle(self, host: str | None, failure: Fetched | None) -> None:
        """This thread is done with a URL: `failure` marks `host` unreachable; any host it was trying is freed."""
        me = threading.get_ident()
        with self._changed:
            if host is not None and failure is not None:
                self._down.setdefault(host, failure)
            for held in [h for h, owner in self._probing.items() if owner == me]:
                del self._probing[held]
            self._changed.notify_all()

    def robots(self, origin: str, load: Callable[[str], _Robots]) -> _Robots:
        """The robots.txt of `origin`, loaded once (other threads wait for the one loading it)."""
        with self._changed:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            found = self._robots.get(origin)
            if found is None:
                found = self._robots[origin] = load(origin)
            return found


@dataclass(frozen=True, slots=True)
class _Hop:
    """One request's outcome: a final result, or where a redirect points, and any Retry-After."""

    result: Fetched
    location: str | None = None
    retry_after: float | None = None
    unreachable: bool = False  # no connection could be made to the host of `result.final_url`


class _Fetcher:
    """The state of one `fetch_all` call: its client, host gate, robots cache and random source."""

    def __init__(
        self,
        options: FetchOptions,
        validators: Mapping[str, tuple[str | None, str | None]],
        respect_robots: bool,
        hosts: HostMemory,
    ) -> None:
        self.options = options
        self.validators = validators
        self.respect_robots = respect_robots
        self.hosts = hosts
        self.gate = _HostGate(options.per_host, options.host_delay)
        self.rng = random.Random()
        # How long a URL waits for another thread's retries of its host: all of them, with their backoff.
        tries = options.retries + 1
        self.patience = tries * (options.connect_timeout + options.total_timeout) + tries * options.backoff_max
        limits = httpx.Limits(max_connections=options.workers, max_keepalive_connections=options.workers)
        self.client = httpx.Client(
            transport=_GuardedTransport(_GuardedBackend(options.allow_hosts, hosts), limits),
            headers={"User-Agent": options.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(
                connect=options.connect_timeout,
                read=options.read_timeout,
                write=options.read_timeout,
                pool=options.total_timeout,
            ),
            follow_redirects=False,
            trust_env=False,  # no proxy or .netrc from the environment: the address checks must hold
        )

    def __enter__(self) -> _Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def fetch(self, url: str) -> Fetched:
        return self._fetch(url, self.respect_robots, self.options.max_bytes)

    def _fetch(self, url: str, respect_robots: bool, max_bytes: int) -> Fetched:
        """One URL with its retries: transient failures wait (Retry-After, else backoff) and go again.

        A URL whose last attempt could not connect marks its host unreachable in `self.hosts`.
        """
        started = time.monotonic()
        attempt = 0
        hop: _Hop | None = None
        try:
            while True:
                attempt += 1
                hop = self._attempt(url, respect_robots, max_bytes)
                result = hop.result
                error = result.error
                # An unavailable robots.txt is cached for the run: retrying the page would find it again.
                if error is None or not _is_transient(error) or error == "robots_unavailable":
                    break
                if attempt > self.options.retries or self.hosts.unreachable(_hop_host(result)) is not None:
                    break
                wait = self._wait_before_retry(hop, attempt)
                if wait is None:
                    result = replace(result, detail=self._over_cap(hop))
                    break
                time.sleep(wait)
        finally:
            if hop is not None:
                self.hosts.settle(_hop_host(hop.result), hop.result if hop.unreachable else None)
        if not hop.unreachable and result.detail.startswith(_SKIPPED):
            attempt -= 1  # the last attempt made no request
        return replace(result, attempts=attempt, elapsed=time.monotonic() - started)

    def _over_cap(self, hop: _Hop) -> str:
        cap = self.options.retry_after_cap
        return f"{hop.result.detail}; Retry-After {hop.retry_after:.0f} s is over the cap of {cap:.0f} s"

    def _wait_before_retry(self, hop: _Hop, attempt: int) -> float | None:
        """Seconds to wait before the next attempt: Retry-After (for the host), else backoff; None over the cap."""
        if hop.retry_after is None:
            return _backoff_delay(attempt, self.options, self.rng)
        if hop.retry_after > self.options.retry_after_cap:
            return None
        self.gate.hold_off(_host_key(httpx.URL(hop.result.final_url).host), hop.retry_after)
        return hop.retry_after

    def _attempt(self, url: str, respect_robots: bool, max_bytes: int) -> _Hop:
        """One attempt: follow redirects by hand, checking scheme, loop and robots at every hop."""
        current = url
        seen = {url}
        hops = 0
        while True:
            try:
                target = httpx.URL(current)
            except httpx.InvalidURL as exc:
                return _Hop(_failure(url, current, "bad_url", str(exc)))
            if target.scheme not in {"http", "https"} or not target.host:
                return _Hop(_failure(url, current, "bad_url", f"not an http(s) URL: {current}"))
            host = _endpoint(target)
            down = self.hosts.unreachable(host)
            if down is None and respect_robots:
                refused = self._robots_refusal(url, target)
                if refused is not None:
                    return _Hop(refused)
            down = down or self.hosts.claim(host, self.patience)
            if down is not None:
                return _Hop(_skipped(url, current, down))
            hop = self._request(url, target, max_bytes)
            if not hop.unreachable:
                self.hosts.reached(host)
            if hop.location is None:
                return hop
            try:
                following = str(target.join(hop.location))
            except httpx.InvalidURL as exc:
                return _Hop(replace(hop.result, error="bad_url", detail=f"bad redirect Location: {exc}"))
            if following in seen:
                detail = f"redirect loop back to {following}"
                return _Hop(replace(hop.result, error="too_many_redirects", detail=detail))
            hops += 1
            if hops > self.options.max_redirects:
                detail = f"more than {self.options.max_redirects} redirects"
                return _Hop(replace(hop.result, error="too_many_redirects", detail=detail))
            seen.add(following)
            current = following

    def _request(self, url: str, target: httpx.URL, max_bytes: int) -> _Hop:
        """One GET within the host gate and the total deadline; the body is capped while it streams."""
        final = str(target)
        headers: dict[str, str] = {}
        etag, modified = self.validators.get(url, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        total = self.options.total_timeout
        with self.gate.slot(_host_key(target.host)):
            deadline = time.monotonic() + total
            _local.deadline = deadline
            try:
                with self.client.stream("GET", target, headers=headers) as response:
                    return self._read(url, final, response, deadline, max_bytes)
            except _BlockedAddressError as exc:
                return _Hop(_failure(url, final, "blocked_address", str(exc)))
            except httpx.TimeoutException as exc:
                passed = time.monotonic() >= deadline
                detail = f"total deadline of {total:g} s passed" if passed else f"{type(exc).__name__}: {exc}"
                return _Hop(_failure(url, final, "timeout", detail), unreachable=isinstance(exc, httpx.ConnectTimeout))
            except httpx.UnsupportedProtocol as exc:
                return _Hop(_failure(url, final, "bad_url", str(exc)))
            except httpx.ConnectError as exc:
                return _Hop(_failure(url, final, "connect_error", str(exc) or type(exc).__name__), unreachable=True)
            except httpx.TransportError as exc:  # reset, closed early, broken protocol
                return _Hop(_failure(url, final, "read_error", f"{type(exc).__name__}: {exc}"))
            except httpx.InvalidURL as exc:
                return _Hop(_failure(url, final, "bad_url", str(exc)))
            finally:
                _local.deadline = None

    def _read(self, url: str, final: str, response: httpx.Response, deadline: float, max_bytes: int) -> _Hop:
        status = response.status_code
        headers = dict(response.headers.items())

        def failed(error: str, detail: str, retry_after: float | None = None) -> _Hop:
            return _Hop(_failure(url, final, error, detail, status, headers), retry_after=retry_after)

        if status in REDIRECT_STATUSES and headers.get("location"):
            return _Hop(Fetched(url, final, status, None, headers), location=headers["location"])
        if status == 304:
            return _Hop(Fetched(url, final, status, None, headers, not_modified=True))
        if not 200 <= status < 300:
            reason = response.reason_phrase or "error"
            return failed(f"http_{status}", f"HTTP {status} {reason}", _parse_retry_after(headers.get("retry-after")))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            return failed("too_large", f"Content-Length {declared} is over the cap of {max_bytes} bytes")
        try:
            decoder = BoundedDecoder(headers.get("content-encoding", ""), self.options.max_decoded_bytes)
        except _UnsupportedEncodingError as exc:
            return failed("unsupported_encoding", str(exc))
        received = 0
        try:
            for chunk in response.iter_raw():
                received += len(chunk)
                if received > max_bytes:
                    return failed("too_large", f"more than {max_bytes} bytes sent")
                decoder.feed(chunk)
                if time.monotonic() > deadline:
                    total = self.options.total_timeout
                    return failed("timeout", f"total deadline of {total:g} s passed after {received} bytes")
            content = decoder.finish()
        except TooMuchOutputError as exc:
            return failed("decompression_bomb", f"{received} bytes received {exc}")
        except zlib.error as exc:
            return failed("decode_error", f"bad {headers.get('content-encoding')} body: {exc}")
        return _Hop(Fetched(url, final, status, content, headers))

    def _robots_refusal(self, url: str, target: httpx.URL) -> Fetched | None:
        """The failure to return instead of fetching `target`, or `None` when robots.txt allows it."""
        origin = f"{target.scheme}://{target.netloc.decode('ascii')}"
        robots = self.hosts.robots(origin, self._load_robots)
        final = str(target)
        if robots.failure is not None:
            failure = robots.failure
            if failure.error == "blocked_address":
                return _failure(url, final, "blocked_address", failure.detail)
            if failure.status is None and failure.error in {"connect_error", "timeout"}:
                # The host cannot be reached at all: that, not its robots.txt, is why nothing came.
                return _failure(url, final, failure.error, f"{origin}/robots.txt: {failure.detail}")
            detail = f"{origin}/robots.txt could not be read ({failure.error}: {failure.detail}); host skipped"
            return _failure(url, final, "robots_unavailable", detail)
        if robots.parser is not None and not robots.parser.can_fetch(final, robots_agent(self.options.user_agent)):
            return _failure(url, final, "robots", f"disallowed by {origin}/robots.txt")
        return None

    def _load_robots(self, origin: str) -> _Robots:
        """Read robots.txt the RFC 9309 way: 2xx rules apply, 4xx allows all, anything else refuses all.

        Protego matches paths as RFC 9309 says (`*` and `$` wildcards, the longest matching rule
        wins, Allow over Disallow on a tie), where the standard library's parser compares prefixes
        in file order.
        """
        fetched = self._fetch(f"{origin}/robots.txt", False, min(self.options.max_bytes, ROBOTS_MAX_BYTES))
        if fetched.error is None and fetched.content is not None:
            text = fetched.content.decode("utf-8", errors="replace").lstrip("\ufeff")
            return _Robots(parser=Protego.parse(text))
        status = fetched.status
        if status is not None and 400 <= status < 500 and status != 429:
            return _Robots()
        return _Robots(failure=fetched)


_SKIPPED = "not tried: "


def _endpoint(target: httpx.URL) -> str:
    """Where a connection goes, `host:port`: what can be unreachable (a refused port says nothing of the others)."""
    port = target.port or (443 if target.scheme == "https" else 80)
    return f"{_host_key(target.host)}:{port}"


def _hop_host(result: Fetched) -> str:
    try:
        return _endpoint(httpx.URL(result.final_url))
    except httpx.InvalidURL:
        return ""


def _skipped(url: str, final_url: str, down: Fetched) -> Fetched:
    """The failure of a URL not asked because its host was found unreachable earlier."""
    detail = f"{_SKIPPED}{_hop_host(down)} could not be reached earlier in this run ({down.detail})"
    return _failure(url, final_url, down.error or "connect_error", detail)


def _failure(
    url: str,
    final_url: str,
    error: str,
    detail: str,
    status: int | None = None,
    headers: dict[str, str] | None = None,
) -> Fetched:
    return Fetched(url, final_url, status, None, headers or {}, error=error, detail=detail)
