"""One address, whatever it serves: a feed, a sitemap or an article page, recognised from the answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, field_validator

from schemas import DEFAULT_PAGE_BYTES
from sources.feeds import FeedConfig, FeedSource, parse_feed
from sources.fetch import FetchOptions, HostMemory, fetch_all
from sources.registry import Page, register_source
from sources.seen import fetch_reject
from sources.web import WebConfig, WebSource, parse_sitemap

__all__ = ["KINDS", "UrlConfig", "UrlKind", "UrlSource", "recognise"]

UrlKind = Literal["feeds", "sitemap", "page"]
KINDS: frozenset[str] = frozenset({"feeds", "sitemap", "page"})

# The first element's name, past an XML declaration, processing instructions, comments and a doctype.
_ROOT = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)", re.DOTALL | re.IGNORECASE
)
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json", "application/json"}
)


class UrlConfig(BaseModel):
    """Options of a source given by one address, of a kind found out on the first run.

    Attributes:
        url: the address, http or https: a feed, a sitemap (or sitemap index) or an article page.
        page_size: inputs per page, and so per batch and transaction.
        page_bytes: a page also ends once its documents hold this many bytes.
        max_bytes: the cap on each article page fetched, and on a feed; `None` keeps `fetch.max_bytes`.
        fetch: limits of the fetcher (timeouts, retries, per-host pacing...).
        allow_hosts: hosts exempt from the private-address check, added to `fetch.allow_hosts`.
    """

    url: str
    page_size: int = Field(default=100, ge=1)
    page_bytes: int = Field(default=DEFAULT_PAGE_BYTES, ge=1)
    max_bytes: int | None = Field(default=None, ge=1)
    fetch: FetchOptions = Field(default_factory=FetchOptions)
    allow_hosts: frozenset[str] = frozenset()

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"an address is fetched over http or https, not {url!r}")
        return url


def recognise(content: bytes, *, url: str, content_type: str | None = None) -> UrlKind:
    """What a body is: a feed, a sitemap or a page, by its first element, else by its Content-Type.

    gzip is a compressed sitemap (`.xml.gz`); `<rss>`, `<feed>`, `<rdf:RDF>` and JSON are feeds
    (JSON that is no JSON Feed becomes the feed adapter's `not_a_feed` reject); `<urlset>`,
    `<sitemapindex>` and a text file of addresses are sitemaps; everything else is a page, which
    the HTML stage reads or rejects.
    """
    if content.startswith(b"\x1f\x8b"):
        return "sitemap"
    head = content[:8192].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"{", b"[")):
        return "feeds"
    found = _ROOT.match(head)
    if found is not None:
        name = found.group(1).rsplit(b":", 1)[-1].lower()
        if name in {b"urlset", b"sitemapindex"}:
            return "sitemap"
        if name in {b"rss", b"feed", b"rdf"}:
            return "feeds"
        if name == b"html":
            return "page"
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in _FEED_TYPES and parse_feed(content, url=url, content_type=content_type).error is None:
        return "feeds"
    if media == "text/plain" and parse_sitemap(content, url=url).error is None:
        return "sitemap"
    return "page"


@register_source("url")
class UrlSource:
    """An address whose kind is found on the first run, then read by the adapter for that kind.

    The first run fetches the address once (robots.txt honoured: until it is known to be a feed
    or a sitemap, it may be a page), recognises it (`recognise`) and hands the answer to
    `FeedSource`, or to `WebSource` with it as the one sitemap or the one page, so nothing is
    fetched twice. Later runs go straight to that adapter, which asks conditionally as it always does.

    The cursor: `{"kind": "feeds" | "sitemap" | "page", "state": <that adapter's cursor>}`. An
    address that cannot be fetched is one reject and the cursor as it was; so is one whose
    adapter saved nothing (a feed that could not be read), and the next run recognises it again.
    """

    config_model: ClassVar[type[BaseModel]] = UrlConfig

    def __init__(self, config: UrlConfig) -> None:
        self.config = config

    @property
    def name(self) -> str:
        return self.config.url

    def adapter(self, kind: UrlKind) -> FeedSource | WebSource:
        """The adapter that reads this address as `kind`; its name, and so its documents' source, is the address."""
        config = self.config
        common: dict[str, Any] = {
            "page_size": config.page_size,
            "page_bytes": config.page_bytes,
            "max_bytes": config.max_bytes,
            "fetch": config.fetch,
            "allow_hosts": config.allow_hosts,
        }
        adapter: FeedSource | WebSource
        if kind == "feeds":
            adapter = FeedSource(FeedConfig.model_validate({"url": config.url, **common}))
        else:
            listed = {"sitemaps": [config.url]} if kind == "sitemap" else {"urls": [config.url]}
            adapter = WebSource(WebConfig.model_validate({**listed, "name": config.url, **common}))
        return adapter

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Yield the pages of the adapter for this address's kind, each cursor wrapped with the kind."""
        kind = cursor.get("kind") if cursor else None
        hosts = HostMemory()  # one run's knowledge of hosts, handed to the adapter that reads on
        if cursor is not None and kind in KINDS:
            state = cursor.get("state")
            inner = self.adapter(kind)
            yield from _wrapped(kind, inner.pages(state if isinstance(state, dict) else None, hosts=hosts), cursor)
            return
        url = self.config.url
        [fetched] = fetch_all([url], self._sniff_options(), respect_robots=True, hosts=hosts)
        if fetched.error is not None or fetched.content is None:
            yield Page(rejects=[fetch_reject(url, url, fetched)], cursor=cursor)
            return
        found = recognise(fetched.content, url=fetched.final_url, content_type=fetched.headers.get("content-type"))
        adapter = self.adapter(found)
        yield from _wrapped(found, adapter.pages(None, prefetched={url: fetched}, hosts=hosts), cursor)

    def _sniff_options(self) -> FetchOptions:
        """The first fetch's limits: those of a sitemap, the largest thing the address may turn out to be."""
        config = self.config
        largest = max(config.max_bytes or config.fetch.max_bytes, config.fetch.max_decoded_bytes)
        return config.fetch.for_source(config.allow_hosts, largest)


def _wrapped(kind: str, pages: Iterator[Page], cursor: dict[str, Any] | None) -> Iterator[Page]:
    for page in pages:
        page.cursor = {"kind": kind, "state": page.cursor} if page.cursor is not None else cursor
        yield page
