"""Web pages and sitemaps: article addresses given, listed in a file or in (news) sitemaps, each page fetched once."""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urljoin

from lxml import etree  # type: ignore[import-untyped]
from pydantic import BaseModel, Field, field_validator, model_validator

from schemas import DEFAULT_PAGE_BYTES, Precision, RawDocument, Reject
from sources import progress
from sources.feeds import normalise_link
from sources.fetch import BoundedDecoder, Fetched, FetchOptions, HostMemory, TooMuchOutputError, fetch_all, fetch_each
from sources.registry import Page, register_source
from sources.seen import Seen, fetch_reject

__all__ = [
    "MAX_DEPTH",
    "NEWS_NAMESPACE",
    "ParsedSitemap",
    "SitemapEntry",
    "WebConfig",
    "WebSource",
    "parse_sitemap",
    "read_url_list",
    "unpack",
    "w3c_time",
]

logger = logging.getLogger(__name__)

NEWS_NAMESPACE = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_DEPTH = 2
"""Levels of sitemap indexes followed below a configured sitemap; an index found deeper is a reject."""

_GZIP = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_SITEMAP_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:urlset|sitemapindex)[\s>/]")
# An "&" that starts no entity: the commonest fault of hand-made sitemaps (a query string left unescaped).
_BARE_AMPERSAND = re.compile(rb"&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);)")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"\d{2}:\d{2}(:\d{2})?")
# The first element of what a feed or a sitemap opens with; an article page is none of these.
_NOT_A_PAGE = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*<(?:[\w.-]+:)?(rss|feed|rdf|urlset|sitemapindex)[\s>/]", re.DOTALL | re.IGNORECASE
)


class WebConfig(BaseModel):
    """Options of a web source: article pages given by address, or found in sitemaps.

    Attributes:
        urls: article pages, http or https.
        url_file: a text file of article pages, one address a line (blank lines and lines opening
            with `#` skipped), read again at every run; a line that is no http(s) address is a
            `bad_url` reject, once.
        sitemaps: sitemaps or sitemap indexes (XML, gzip-compressed XML, or plain text, one address
            a line), http or https. At least one of `urls`, `url_file` and `sitemaps` is needed.
        name: the value of the `source` column and the key of the saved cursor; by default the first
            sitemap, else the url file (as a `file://` address), else the first url. Set it when the
            lists may be reordered, so the cursor stays.
        page_size: inputs (pages delivered or rejected) per page, and so per batch and transaction.
        page_bytes: a page also ends once its documents hold this many bytes (the one that crosses
            it stays in the page); pages are fetched a few at a time, not a whole page at once.
        max_bytes: the cap on each article page fetched; `None` keeps `fetch.max_bytes`. A sitemap
            may be as large as `fetch.max_decoded_bytes`, over the wire and unpacked.
        fetch: limits of the fetcher (timeouts, retries, per-host pacing...).
        allow_hosts: hosts exempt from the private-address check, added to `fetch.allow_hosts`.
        max_seen: page addresses remembered in the cursor (those still listed are never forgotten).
        max_attempts: runs in which a page that failed transiently (timeout, 429, 5xx) is tried; after
            the last one it counts as fetched, its reject being the record of it.
        max_sitemaps: child sitemaps (listed by an index) requested per run; the ones left wait for a
            later run, newest `lastmod` first, then those read least recently.
    """

    urls: list[str] = Field(default_factory=list)
    url_file: Path | None = None
    sitemaps: list[str] = Field(default_factory=list)
    name: str | None = Field(default=None, min_length=1)
    page_size: int = Field(default=100, ge=1)
    page_bytes: int = Field(default=DEFAULT_PAGE_BYTES, ge=1)
    max_bytes: int | None = Field(default=None, ge=1)
    fetch: FetchOptions = Field(default_factory=FetchOptions)
    allow_hosts: frozenset[str] = frozenset()
    max_seen: int = Field(default=20_000, ge=1)
    max_attempts: int = Field(default=3, ge=1)
    max_sitemaps: int = Field(default=50, ge=0)

    @field_validator("urls", "sitemaps")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        cleaned = [url.strip() for url in urls if url.strip()]
        for url in cleaned:
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError(f"pages and sitemaps are fetched over http or https, not {url!r}")
        return cleaned

    @model_validator(mode="after")
    def _something_to_read(self) -> WebConfig:
        if not self.urls and not self.sitemaps and self.url_file is None:
            raise ValueError("a web source needs at least one of `urls`, `url_file` and `sitemaps`")
        if self.url_file is not None and not self.url_file.expanduser().is_file():
            raise ValueError(f"url_file {str(self.url_file)!r} is not a file")
        return self

    def fetch_options(self) -> FetchOptions:
        """The fetcher's options for article pages: this source's byte cap and extra allowed hosts applied."""
        return self.fetch.for_source(self.allow_hosts, self.max_bytes)

    def sitemap_options(self) -> FetchOptions:
        """The fetcher's options for sitemaps: up to `fetch.max_decoded_bytes` (sitemaps may hold 50,000 addresses)."""
        return self.fetch.for_source(self.allow_hosts, self.fetch.max_decoded_bytes)


# --- reading sitemaps -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One `<url>` of a urlset, or one `<sitemap>` of a sitemap index.

    Attributes:
        loc: the address, resolved against the sitemap's; "" when it is not an http(s) address.
        raw: `<loc>` as written, trimmed.
        lastmod: `<lastmod>` as written, trimmed, or `None`.
        published: a news entry's `news:publication_date`, else its `<lastmod>` (naive when the
            sitemap gives a date alone or no zone; else zoned).
        precision: how much of `published` was written: "day", "minute" or "second".
        title: a news entry's `news:title`, or "".
    """

    loc: str
    raw: str = ""
    lastmod: str | None = None
    published: datetime | None = None
    precision: Precision = "unknown"
    title: str = ""


@dataclass(frozen=True, slots=True)
class ParsedSitemap:
    """A sitemap read: a urlset's pages or an index's child sitemaps, or why it could not be read.

    Attributes:
        kind: "urlset", "index", or "" when nothing could be read.
        entries: pages (urlset) or child sitemaps (index), in document order.
        error: `None`, `not_a_sitemap` (not XML, or another root element) or `sitemap_parse_error`
            (a urlset or index that breaks; the entries before the break are in `entries`).
        detail: what went wrong.
    """

    kind: Literal["urlset", "index", ""] = ""
    entries: list[SitemapEntry] = field(default_factory=list)
    error: str | None = None
    detail: str = ""


def unpack(content: bytes, limit: int) -> tuple[bytes | None, str, str]:
    """A gzip-compressed body (`.xml.gz` sent as application/gzip) unpacked, at most `limit` bytes.

    A body that is not gzip is returned as it is. The fetcher's bounded decoder inflates it, so a
    bomb stops one step past the cap.

    Returns:
        The bytes, or `None` with a reason (`decompression_bomb`, `decode_error`) and a detail.
    """
    if not content.startswith(_GZIP):
        return content, "", ""
    decoder = BoundedDecoder("gzip", limit)
    try:
        decoder.feed(content)
        out = decoder.finish()
    except TooMuchOutputError:
        return None, "decompression_bomb", f"a gzip body that unpacks to more than {limit} bytes"
    except zlib.error as exc:
        return None, "decode_error", f"bad gzip body: {exc}"
    if not decoder.complete:
        return None, "decode_error", "a gzip body that ends before its stream does"
    return out, "", ""


def read_url_list(text: str) -> list[tuple[int, str]]:
    """The lines of a list of addresses with their numbers: blank lines and `#` comments skipped,
    the rest stripped (whether each is an http(s) address is for the reader to judge)."""
    listed = []
    for number, line in enumerate(text.splitlines(), start=1):
        address = line.strip()
        if address and not address.startswith("#"):
            listed.append((number, address))
    return listed


def _kind(root: Any) -> Literal["urlset", "index", ""]:
    name = _local(root.tag) if root is not None else ""
    return "urlset" if name == "urlset" else "index" if name == "sitemapindex" else ""


def _read_xml(body: bytes, url: str) -> ParsedSitemap:
    """Read a urlset or an index entry by entry; on a break, the entries closed before it are kept.

    Only entries whose end tag was read count, so a sitemap cut short gives no half-read address.
    No entity is expanded, nothing is read from the network or disk, and libxml2's size limits hold.
    """
    kind: Literal["urlset", "index", ""] = ""
    root: Any = None
    entries: list[SitemapEntry] = []
    events = etree.iterparse(
        io.BytesIO(body),
        events=("end",),
        tag=("{*}url", "{*}sitemap"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in events:
            if root is None:
                root = element.getroottree().getroot()
                kind = _kind(root)
                if not kind:
                    break
            if element.getparent() is root and _local(element.tag) == ("url" if kind == "urlset" else "sitemap"):
                entries.append(_entry(element, url))
                # What is read is let go: a sitemap may hold 50,000 entries.
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del root[0]
    except etree.XMLSyntaxError as exc:
        problem = f"XMLSyntaxError: {exc}"
        if kind or (root is None and _SITEMAP_ROOT.search(body[:2048])):
            detail = f"read {len(entries)} entries up to the error: {problem}"
            return ParsedSitemap(kind, entries, error="sitemap_parse_error", detail=detail)
        if root is None:
            return ParsedSitemap(error="not_a_sitemap", detail=f"not XML ({problem})")
    root = root if root is not None else events.root
    kind = _kind(root)
    if not kind:
        detail = f"the root element is <{_local(root.tag)}>, not <urlset> or <sitemapindex>"
        return ParsedSitemap(error="not_a_sitemap", detail=detail)
    return ParsedSitemap(kind, entries)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: Any) -> str:
    text = element.text if len(element) == 0 else "".join(element.itertext())
    return " ".join(text.split()) if text else ""


def w3c_time(value: str | None) -> tuple[datetime, Precision] | None:
    """Read a sitemap's W3C datetime ("2026-02-18", "2026-02-18T10:30:00+01:00"); a year or month alone is too vague."""
    if not value:
        return None
    text = value.strip()
    if _DAY.fullmatch(text):
        return datetime.fromisoformat(text), "day"
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    clock = _CLOCK.match(text[11:])
    if clock is None:
        return stamp, "day"
    return stamp, ("second" if clock.group(1) else "minute")


def _entry(element: Any, base: str) -> SitemapEntry:
    raw = ""
    lastmod: str | None = None
    news_date = ""
    title = ""
    is_news = False
    for child in element:
        name = _local(child.tag)
        if name == "loc":
            raw = _text(child)
        elif name == "lastmod":
            lastmod = _text(child) or None
        elif name == "news":
            is_news = True
            for part in child:
                if _local(part.tag) == "publication_date":
                    news_date = _text(part)
                elif _local(part.tag) == "title":
                    title = _text(part)
    loc = raw if raw.startswith(("http://", "https://")) else urljoin(base, raw) if raw else ""
    if not loc.lower().startswith(("http://", "https://")):
        loc = ""
    stated = w3c_time(news_date) or (w3c_time(lastmod) if is_news else None)
    if stated is None:
        return SitemapEntry(loc, raw, lastmod, title=title)
    return SitemapEntry(loc, raw, lastmod, stated[0], stated[1], title)


def _text_sitemap(body: bytes, url: str) -> ParsedSitemap:
    """A plain-text sitemap: nothing but http(s) addresses, one a line (sitemaps.org allows it)."""
    try:
        lines = [line.strip() for line in body.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        lines = []
    if not lines or not all(line.lower().startswith(("http://", "https://")) for line in lines):
        return ParsedSitemap(error="not_a_sitemap", detail="neither XML nor a text sitemap (one address a line)")
    return ParsedSitemap("urlset", [SitemapEntry(urljoin(url, line), line) for line in lines])


def parse_sitemap(content: bytes, *, url: str) -> ParsedSitemap:
    """Read a sitemap's bytes: a `<urlset>` (news sitemaps included), a `<sitemapindex>`, or a text sitemap.

    lxml reads the XML without expanding entities, without the network and within libxml2's
    limits. Elements are matched by local name, so a sitemap with the namespace missing or
    misspelt is still read. A bare "&" in an address is read as written; a sitemap broken
    otherwise is read up to the break, with `error` set.

    Args:
        content: the body, unpacked (`unpack`).
        url: the sitemap's address, after redirects: relative addresses are resolved against it.

    Returns:
        The entries, or `error` `not_a_sitemap` or `sitemap_parse_error`.
    """
    body = content.removeprefix(_BOM).lstrip(b" \t\r\n")
    if not body:
        return ParsedSitemap(error="not_a_sitemap", detail="an empty body")
    if not body.startswith(b"<"):
        return _text_sitemap(body, url)
    parsed = _read_xml(body, url)
    if parsed.error == "sitemap_parse_error" and _BARE_AMPERSAND.search(body):
        # Read again with each bare "&" escaped, so that every address is read as it is written.
        repaired = _read_xml(_BARE_AMPERSAND.sub(b"&amp;", body), url)
        if repaired.error is None or len(repaired.entries) > len(parsed.entries):
            return repaired
    return parsed


# --- the adapter ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Listed:
    """A page to deliver: its normalised address, the address to fetch, and the date a news sitemap gives it."""

    uri: str
    link: str
    published: datetime | None = None
    precision: Precision = "second"
    sitemap: str | None = None  # the sitemap that listed it; None for a configured url


def _sort_time(lastmod: str | None) -> float | None:
    stated = w3c_time(lastmod)
    if stated is None:
        return None
    stamp = stated[0]
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()


def _children(state: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """The child sitemaps an index listed when it was last read, with the `lastmod` it gave each."""
    children = state.get("children")
    if not isinstance(children, dict):
        return []
    return [(url, lastmod if isinstance(lastmod, str) else None) for url, lastmod in children.items()]


class _Walk:
    """One run's reading of the sitemaps: pages listed, sitemap rejects, and each sitemap's state after it.

    A sitemap's state is what the next run needs to ask less: its ETag and Last-Modified, the
    `lastmod` its index gave it when it was last read (the same `lastmod` again: not requested
    at all), when it was read, and for an index the children it listed.
    """

    def __init__(
        self, source: WebSource, old: dict[str, dict[str, Any]], prefetched: Mapping[str, Fetched], hosts: HostMemory
    ) -> None:
        self.source = source
        self.hosts = hosts
        self.old = old
        self.states = dict(old)
        self.prefetched = prefetched
        self.listed: list[_Listed] = []
        self.rejects: list[Reject] = []
        self.requested = 0
        self.now = datetime.now(UTC).isoformat(timespec="seconds")

    def run(self, roots: Sequence[str]) -> None:
        level: list[tuple[str, str | None]] = [(url, None) for url in roots]
        visited: set[str] = set()
        for depth in range(MAX_DEPTH + 1):
            asked: list[tuple[str, str | None]] = []
            following: list[tuple[str, str | None]] = []
            for url, lastmod in level:
                if url in visited:
                    continue
                visited.add(url)
                state = self.states.get(url, {})
                if lastmod is not None and state.get("lastmod") == lastmod:
                    following += _children(state)  # unchanged; an index's children still get their turn
                else:
                    asked.append((url, lastmod))
            if depth > 0:
                asked = self._capped(asked)
            answers = self._fetch([url for url, _ in asked])
            for (url, lastmod), fetched in zip(asked, answers, strict=True):
                following += self._read(url, lastmod, depth, fetched)
            level = following

    def _capped(self, asked: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """At most `max_sitemaps` children a run: newest `lastmod` first, then those read least recently."""
        room = max(0, self.source.config.max_sitemaps - self.requested)
        if len(asked) > room:

            def priority(item: tuple[str, str | None]) -> tuple[int, float, str]:
                url, lastmod = item
                stamp = _sort_time(lastmod)
                if stamp is not None:
                    return 0, -stamp, ""
                read_at = self.states.get(url, {}).get("read_at")
                return 1, 0.0, read_at if isinstance(read_at, str) else ""

            logger.info("%s: %d child sitemaps left for a later run", self.source.name, len(asked) - room)
            asked = sorted(asked, key=priority)[:room]
        self.requested += len(asked)
        return asked

    def _fetch(self, urls: list[str]) -> list[Fetched]:
        wanted = [url for url in urls if url not in self.prefetched]
        validators: dict[str, tuple[str | None, str | None]] = {}
        for url in wanted:
            state = self.states.get(url, {})
            etag, modified = state.get("etag"), state.get("last_modified")
            if isinstance(etag, str) or isinstance(modified, str):
                validators[url] = (
                    etag if isinstance(etag, str) else None,
                    modified if isinstance(modified, str) else None,
                )
        options = self.source.config.sitemap_options()
        answers = fetch_all(wanted, options, validators=validators, respect_robots=False, hosts=self.hosts)
        fetched = dict(zip(wanted, answers, strict=True))
        return [self.prefetched[url] if url in self.prefetched else fetched[url] for url in urls]

    def _refuse(self, url: str, reason: str, detail: str, size: int = 0) -> None:
        self.rejects.append(Reject(source=self.source.name, uri=url, reason=reason, detail=detail, size_bytes=size))

    def _read(self, url: str, lastmod: str | None, depth: int, fetched: Fetched) -> list[tuple[str, str | None]]:
        """Take in one sitemap's answer; return the child sitemaps to visit next."""
        old = self.states.get(url, {})
        if fetched.not_modified:
            same = {**old, "read_at": self.now}
            if lastmod is not None:
                same["lastmod"] = lastmod
            self.states[url] = same
            return _children(same)
        if fetched.error is not None or fetched.content is None:
            self.rejects.append(fetch_reject(self.source.name, url, fetched))
            return _children(old)  # the children it listed last time are still worth asking
        content, reason, detail = unpack(fetched.content, self.source.config.fetch.max_decoded_bytes)
        if content is None:
            self._refuse(url, reason, detail, len(fetched.content))
            return _children(old)
        parsed = parse_sitemap(content, url=fetched.final_url)
        if parsed.error is not None:
            self._refuse(url, parsed.error, parsed.detail, len(fetched.content))
            if not parsed.kind:
                return _children(old)
        state: dict[str, Any] = {
            "etag": fetched.headers.get("etag"),
            "last_modified": fetched.headers.get("last-modified"),
            "lastmod": lastmod,
            "read_at": self.now,
        }
        if parsed.kind == "index":
            if depth >= MAX_DEPTH:
                detail = f"a sitemap index {depth} levels below {self.source.name}; {MAX_DEPTH} are followed"
                self._refuse(url, "sitemap_too_deep", detail, len(fetched.content))
                return []
            children: dict[str, str | None] = {}
            for n, entry in enumerate(parsed.entries):
                if entry.loc:
                    children.setdefault(entry.loc, entry.lastmod)
                else:
                    self._refuse(entry.raw or f"{url}#{n}", "bad_url", f"a child sitemap of {url} that is not http(s)")
            state["children"] = children
            self.states[url] = state
            return list(children.items())
        self.states[url] = state
        for n, entry in enumerate(parsed.entries):
            uri = normalise_link(entry.loc) if entry.loc else entry.raw or f"{url}#{n}"
            precision: Precision = entry.precision if entry.published is not None else "second"
            self.listed.append(_Listed(uri, entry.loc, entry.published, precision, url))
        return []

    def final(self, roots: Sequence[str], retry: Mapping[str, int], listed: Sequence[_Listed]) -> dict[str, Any]:
        """The states to save after the last page: those still reachable from `roots`, and none for a
        sitemap that listed a page waiting for a retry (so that the next run reads it whole again)."""
        waiting = {item.sitemap for item in listed if item.uri in retry and item.sitemap is not None}
        kept: dict[str, Any] = {}
        stack = list(roots)
        while stack:
            url = stack.pop()
            if url in kept or url not in self.states:
                continue
            kept[url] = self.states[url]
            stack += [child for child, _ in _children(self.states[url])]
        return {url: state for url, state in kept.items() if url not in waiting}


def _unique(items: Sequence[_Listed]) -> list[_Listed]:
    """One item per address, the first; a later listing lends its date to a first that has none."""
    found: dict[str, _Listed] = {}
    for item in items:
        first = found.get(item.uri)
        if first is None:
            found[item.uri] = item
        elif first.published is None and item.published is not None:
            first.published, first.precision = item.published, item.precision
    return list(found.values())


def _states(cursor: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    saved = cursor.get("sitemaps")
    if not isinstance(saved, dict):
        return {}
    return {url: state for url, state in saved.items() if isinstance(url, str) and isinstance(state, dict)}


@register_source("web")
class WebSource:
    """Article pages by address and from sitemaps: each normalised address fetched once, robots.txt honoured.

    Sitemaps (urlsets, indexes, news sitemaps, gzip-compressed or not) are asked conditionally
    and a child whose `lastmod` in its index is the one it had when last read is not asked at
    all. Sitemaps are read without asking robots.txt (a sitemap is published to be read, and
    robots.txt often names it); pages are fetched with robots.txt honoured and delivered as
    HTML, with a news sitemap's publication date as `published_hint`.

    The cursor: `{"sitemaps": {url: {"etag", "last_modified", "lastmod", "read_at", "children"?}},
    "seen": [normalised page addresses, oldest first], "retry": {address: attempts}}`. Sitemap
    states are saved only with the last page of a run (a crash part-way leaves the last run's),
    and a sitemap that listed a page waiting for a retry is saved with none, to be read again.
    """

    config_model: ClassVar[type[BaseModel]] = WebConfig

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.options = config.fetch_options()

    @property
    def name(self) -> str:
        config = self.config
        if config.name:
            return config.name
        if config.sitemaps:
            return config.sitemaps[0]
        if config.url_file is not None:
            return config.url_file.expanduser().resolve().as_uri()
        return config.urls[0]

    def _from_file(self) -> list[_Listed]:
        """The pages the url file lists now; a line that is no http(s) address is listed to be a `bad_url` reject."""
        path = self.config.url_file
        if path is None:
            return []
        where = path.expanduser().resolve().as_uri()
        listed = []
        for number, address in read_url_list(path.expanduser().read_bytes().decode("utf-8", "replace")):
            if address.lower().startswith(("http://", "https://")):
                listed.append(_Listed(normalise_link(address), address))
            else:
                listed.append(_Listed(address, "", sitemap=f"{where} line {number}"))
        return listed

    def pages(
        self,
        cursor: dict[str, Any] | None,
        *,
        prefetched: Mapping[str, Fetched] | None = None,
        hosts: HostMemory | None = None,
    ) -> Iterator[Page]:
        """Yield pages of at most `page_size` inputs (pages and unreadable sitemaps), each with its cursor.

        A page also ends once its documents hold `page_bytes`; pages are fetched a few ahead.

        Args:
            cursor: what the last page saved, `None` on a first run.
            prefetched: answers already in hand, by the address asked (a sitemap's or a page's);
                used instead of fetching that address (`sources.url` sniffs it first).
            hosts: what this run knows of hosts (robots.txt, unreachable ones); a new one when `None`.
        """
        hosts = hosts or HostMemory()  # one call reads one run: what it learns of hosts lasts that long
        saved = cursor or {}
        old = _states(saved)
        walk = _Walk(self, old, prefetched or {}, hosts)
        walk.run(self.config.sitemaps)
        given = [_Listed(normalise_link(url), url) for url in self.config.urls]
        listed = _unique([*given, *self._from_file(), *walk.listed])
        seen = Seen.load(saved, self.config.max_seen)
        seen.refresh([item.uri for item in listed])
        new = [item for item in listed if item.uri not in seen.ids]
        inputs: list[Reject | _Listed] = [*walk.rejects, *new]
        progress.expect(len(inputs))
        for page, last in self._pages(inputs, seen, prefetched or {}, hosts):
            states = walk.final(self.config.sitemaps, seen.retry, listed) if last else old
            page.cursor = _cursor(states, seen)
            yield page
        if not inputs:
            yield Page(cursor=_cursor(walk.final(self.config.sitemaps, seen.retry, listed), seen))

    def _pages(
        self, inputs: Sequence[Reject | _Listed], seen: Seen, prefetched: Mapping[str, Fetched], hosts: HostMemory
    ) -> Iterator[tuple[Page, bool]]:
        """Fetch the pages listed a few ahead (robots.txt honoured) and deliver or reject each, in
        pages with whether each is the last. A page ends at `page_size` inputs or once its
        documents hold `page_bytes`; `seen` then holds exactly the inputs of the pages so far."""
        source = self.name
        links = [i.link for i in inputs if isinstance(i, _Listed) and i.link and i.link not in prefetched]
        progress.advance(len(inputs) - len(links))  # not fetched here: sitemaps' rejects, no address, already fetched
        answers = fetch_each(
            links, self.options, respect_robots=True, hosts=hosts, on_fetched=lambda _: progress.advance()
        )
        try:
            page, n_bytes, given_up = Page(), 0, seen.given_up
            for n, item in enumerate(inputs, start=1):
                if isinstance(item, Reject):
                    page.rejects.append(item)
                elif not item.link:
                    detail = f"listed in {item.sitemap} as {item.uri!r}, not an http(s) address"
                    page.rejects.append(Reject(source=source, uri=item.uri, reason="bad_url", detail=detail))
                    seen.add(item.uri)
                else:
                    result = prefetched[item.link] if item.link in prefetched else next(answers)
                    what = _what_else(result.content) if result.error is None and result.content is not None else None
                    if what is not None:
                        hint = "give its address as a SOURCE of `newsflow run`, or as a source of its own kind"
                        detail = f"a {what}, not an article page: {hint}"
                        size = len(result.content or b"")
                        page.rejects.append(
                            Reject(source=source, uri=item.uri, reason="not_a_page", detail=detail, size_bytes=size)
                        )
                        seen.add(item.uri)
                    elif result.error is None and result.content is not None:
                        page.documents.append(
                            RawDocument(
                                source=source,
                                uri=item.uri,
                                content=result.content,
                                kind="html",
                                fetched_at=datetime.now(UTC),
                                published_hint=item.published,
                                published_hint_precision=item.precision,
                            )
                        )
                        n_bytes += len(result.content)
                        seen.add(item.uri)
                    else:
                        reject = fetch_reject(source, item.uri, result)
                        page.rejects.append(seen.failed(item.uri, reject, result, self.config.max_attempts))
                if n == len(inputs) or len(page) >= self.config.page_size or n_bytes >= self.config.page_bytes:
                    page.n_given_up = seen.given_up - given_up
                    yield page, n == len(inputs)
                    page, n_bytes, given_up = Page(), 0, seen.given_up
        finally:
            answers.close()


def _what_else(content: bytes) -> str | None:
    """What a page's address answered with when it is no page: "feed" or "sitemap", else None."""
    head = content[:4096].removeprefix(_BOM)
    found = _NOT_A_PAGE.match(head)
    if found is None:
        return None
    return "sitemap" if found.group(1).lower() in {b"urlset", b"sitemapindex"} else "feed"


def _cursor(states: Mapping[str, Any], seen: Seen) -> dict[str, Any]:
    return {"sitemaps": dict(states), "seen": list(seen.ids), "retry": dict(seen.retry)}
