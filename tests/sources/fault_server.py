"""A real HTTP server on 127.0.0.1 that misbehaves on purpose: retries, drips, resets, loops, bombs.

Paths it knows (see `Handler.routes`) misbehave as named; `Server.pages` adds paths answered
as set (a feed, article pages), and `Server.recovered` what /flaky and /ra-* answer once they
recover.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from email.utils import formatdate
from http.server import ThreadingHTTPServer

from tests.http_server import QuietHandler

LOCAL = frozenset({"127.0.0.1"})
BOMB = gzip.compress(bytes(10 * 1024 * 1024), compresslevel=9)  # 10 MiB of zeros in ~10 KB
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


class Server(ThreadingHTTPServer):
    """The test server's state: hits per path, request headers and start times, concurrency seen."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self.seen_headers: dict[str, dict[str, str]] = {}
        self.starts: list[float] = []
        self.robots: tuple[int, bytes] = (404, b"")
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.pages: dict[str, tuple[bytes, str]] = {}  # path -> (body, content type), answered 200
        self.recovered: dict[str, bytes] = {}  # route -> body answered once it recovers

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up on purpose are the point of these tests


class Handler(QuietHandler):
    server: Server

    def redirect(self, location: str) -> None:
        self.send(302, headers={"Location": location})

    def do_GET(self) -> None:
        path = self.path
        srv = self.server
        with srv.lock:
            srv.hits[path] += 1
            hits = srv.hits[path]
            srv.seen_headers[path] = {k.lower(): v for k, v in self.headers.items()}
            srv.starts.append(time.monotonic())
        if path.split("?", 1)[0] in srv.pages:
            body, content_type = srv.pages[path.split("?", 1)[0]]
            self.send(200, body, {"Content-Type": content_type})
            return
        route: Callable[[int], None] | None = None
        for prefix, handler in self.routes().items():
            if path == prefix or path.startswith(prefix + "?") or (prefix.endswith("/") and path.startswith(prefix)):
                route = handler
                break
        if route is None:
            self.send(404, b"not here")
        else:
            route(hits)

    def routes(self) -> dict[str, Callable[[int], None]]:
        return {
            "/robots.txt": lambda _: self.send(*self.server.robots),
            "/ok": lambda _: self.send(200, b"hello " + self.path.encode(), {"Content-Type": "text/plain"}),
            "/private/": lambda _: self.send(200, b"secret"),
            "/slow": lambda _: self.slow(),
            "/status/": lambda _: self.send(int(self.path.rsplit("/", 1)[1])),
            "/flaky": lambda n: self.send(500) if n == 1 else self.recover("/flaky", b"second time lucky"),
            "/ra-seconds": lambda n: (
                self.send(429, headers={"Retry-After": "1"}) if n == 1 else self.recover("/ra-seconds", b"ok")
            ),
            "/ra-date": lambda n: (
                self.send(429, headers={"Retry-After": formatdate(time.time() + 1, usegmt=True)})
                if n == 1
                else self.recover("/ra-date", b"ok")
            ),
            "/ra-long": lambda _: self.send(429, headers={"Retry-After": "3600"}),
            "/drip": lambda _: self.drip(),
            "/drip-headers": lambda _: self.drip_headers(),
            "/reset": lambda _: self.reset(),
            "/loop-a": lambda _: self.redirect("/loop-b"),
            "/loop-b": lambda _: self.redirect("/loop-a"),
            "/chain/": lambda _: self.chain(),
            "/to-private": lambda _: self.redirect("http://10.0.0.1/"),
            "/to-ip": lambda _: self.redirect(f"http://127.0.0.1:{self.server.port}/ok"),
            "/to-file": lambda _: self.redirect("file:///etc/passwd"),
            "/big-declared": lambda _: self.send(200, b"x" * 5000),
            "/big-chunked": lambda _: self.chunked(b"x" * 500, 10),
            "/bomb": lambda _: self.send(200, BOMB, {"Content-Encoding": "gzip"}),
            "/gzip": lambda _: self.send(200, gzip.compress(b"zipped text"), {"Content-Encoding": "gzip"}),
            "/deflate": lambda _: self.send(200, raw_deflate(b"deflated text"), {"Content-Encoding": "deflate"}),
            "/br": lambda _: self.send(200, b"\x0b\x02\x80hi\x03", {"Content-Encoding": "br"}),
            "/etag": lambda _: self.conditional(),
        }

    def recover(self, route: str, body: bytes) -> None:
        self.send(200, self.server.recovered.get(route, body), {"Content-Type": "text/html; charset=utf-8"})

    def slow(self) -> None:
        srv = self.server
        with srv.lock:
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
        time.sleep(0.15)
        with srv.lock:
            srv.in_flight -= 1
        self.send(200, b"slow")

    def drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.05)

    def drip_headers(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(1000):
            self.wfile.write(f"X-Drip-{i}: x\r\n".encode())
            self.wfile.flush()
            time.sleep(0.05)

    def reset(self) -> None:
        # SO_LINGER with a zero timeout makes close() send a RST instead of a FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def chain(self) -> None:
        left = int(self.path.rsplit("/", 1)[1])
        if left == 0:
            self.send(200, b"end of chain")
        else:
            self.redirect(f"/chain/{left - 1}")

    def chunked(self, piece: bytes, count: int) -> None:
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for _ in range(count):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")

    def conditional(self) -> None:
        if self.headers.get("If-None-Match") == '"v1"' or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.send(304, headers={"ETag": '"v1"'})
        else:
            self.send(200, b"fresh", {"ETag": '"v1"', "Last-Modified": LAST_MODIFIED})


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()
