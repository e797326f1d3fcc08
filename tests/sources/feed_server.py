"""The feeds tests' HTTP server on 127.0.0.1: feeds with validators, article pages, and a log of hits."""

from __future__ import annotations

import html
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from tests.http_server import QuietHandler

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FEEDS = FIXTURES / "feeds"
LAST_MODIFIED = "Wed, 18 Feb 2026 02:09:34 GMT"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


@dataclass
class Resource:
    """What the server answers for one path; a feed has validators and answers 304 to them."""

    body: bytes = b""
    content_type: str = HTML
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    fail_first: int = 0  # answer 503 to this many requests first


class Server(ThreadingHTTPServer):
    """Paths it knows answer as set; any other path is an article page made from the path."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.resources: dict[str, Resource] = {"/robots.txt": Resource(status=404)}
        self.hits: Counter[str] = Counter()
        self.requests: list[str] = []
        self.seen_headers: dict[str, dict[str, str]] = {}
        self.lock = threading.Lock()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + path

    def feed(self, path: str, body: bytes, content_type: str = RSS, etag: str | None = '"v1"') -> str:
        self.resources[path] = Resource(body, content_type, etag=etag, last_modified=LAST_MODIFIED if etag else None)
        return self.url(path)

    def article_hits(self) -> Counter[str]:
        return Counter({p: n for p, n in self.hits.items() if not p.startswith(("/feeds/", "/robots.txt"))})


class Handler(QuietHandler):
    server: Server

    def do_GET(self) -> None:
        srv = self.server
        path = urlsplit(self.path).path
        with srv.lock:
            srv.hits[path] += 1
            hits = srv.hits[path]
            srv.requests.append(self.path)
            srv.seen_headers[path] = {k.lower(): v for k, v in self.headers.items()}
        res = srv.resources.get(path) or Resource(article_page(path))
        if hits <= res.fail_first:
            self.send(503)
        elif res.location is not None:
            self.send(302, headers={"Location": res.location})
        elif res.etag is not None and self.fresh(res):
            self.send(304, headers={"ETag": res.etag})
        else:
            headers = {"Content-Type": res.content_type}
            if res.etag:
                headers["ETag"] = res.etag
            if res.last_modified:
                headers["Last-Modified"] = res.last_modified
            self.send(res.status, res.body, headers)

    def fresh(self, res: Resource) -> bool:
        """RFC 9110: If-None-Match decides when it is sent; If-Modified-Since only without it."""
        if "If-None-Match" in self.headers:
            return self.headers["If-None-Match"] == res.etag
        return self.headers.get("If-Modified-Since") == res.last_modified


def article_page(path: str) -> bytes:
    """A small news page whose headline and text are made from its path."""
    title = html.escape(path.strip("/").rsplit("/", 1)[-1].replace("-", " ").capitalize() or "Front page")
    paragraph = f"<p>Reporters followed the story of {title} through the day, speaking to officials and witnesses. </p>"
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><nav>Home World</nav>"
        f"<article><h1>{title}</h1>{paragraph * 12}</article><footer>Contact us</footer></body></html>"
    ).encode()


def seed_page(seed: Path) -> bytes:
    """A seed article as a news page: its first line the headline, the rest paragraphs."""
    title, *paragraphs = [line for line in seed.read_text("utf-8").splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body><nav>Home World</nav>"
        f"<article><h1>{html.escape(title)}</h1>{body}</article><footer>Contact us</footer></body></html>"
    ).encode()
