"""News feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed): new entries as HTML documents, their pages fetched when needed."""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin

import feedparser  # type: ignore[import-untyped]
from courlan import normalize_url
from pydantic import BaseModel, Field, field_validator

from schemas import DEFAULT_PAGE_BYTES, RawDocument, Reject
from sources import progress
from sources.fetch import Fetched, FetchOptions, HostMemory, fetch_all, fetch_each
from sources.registry import Page, register_source
from sources.seen import Seen, fetch_reject

__all__ = [
    "FeedConfig",
    "FeedEntry",
    "FeedSource",
    "ParsedFeed",
    "entry_html",
    "normalise_link",
    "parse_feed",
]

logger = logging.getLogger(__name__)

JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_TAG = re.compile(r"<[^>]*>")
_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>/]")


class FeedConfig(BaseModel):
    """Options of a feeds source.

    Attributes:
        url: the feed, http or https.
        page_size: inputs (entries delivered or rejected) per page, and so per batch and transaction.
        page_bytes: a page also ends once its documents hold this many bytes (the one that crosses
            it stays in the page); pages are fetched a few at a time, not a whole page at once.
        max_bytes: the cap on each body fetched, the feed's and every page's; `None` keeps `fetch.max_bytes`.
        fetch: limits of the fetcher (timeouts, retries, per-host pacing...).
        follow_links: fetch the page of an entry whose feed text is short; when `False` the
            feed's own text (full or summary) is delivered for every entry.
        allow_hosts: hosts exempt from the private-address check, added to `fetch.allow_hosts`.
        min_content_words: feed text of at least this many words counts as the full article.
        max_seen: entry ids remembered in the cursor (ids still in the feed are never forgotten).
        max_attempts: runs in which an entry whose page failed transiently (timeout, 429, 5xx, a
            host that cannot be reached) is tried; meanwhile, and after the last one, the entry is
            stored from its feed text (or, without any, is the page's reject), and it counts among
            the run's `n_given_up` when the last attempt fails.
    """

    url: str
    page_size: int = Field(default=100, ge=1)
    page_bytes: int = Field(default=DEFAULT_PAGE_BYTES, ge=1)
    max_bytes: int | None = Field(default=None, ge=1)
    fetch: FetchOptions = Field(default_factory=FetchOptions)
    follow_links: bool = True
    allow_hosts: frozenset[str] = frozenset()
    min_content_words: int = Field(default=150, ge=0)
    max_seen: int = Field(default=5000, ge=1)
    max_attempts: int = Field(default=3, ge=1)

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"a feed is fetched over http or https, not {url!r}")
        return url

    def fetch_options(self) -> FetchOptions:
        """The fetcher's options with this source's byte cap and extra allowed hosts applied."""
        return self.fetch.for_source(self.allow_hosts, self.max_bytes)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, as much as the adapter needs of it.

    Attributes:
        key: what identifies the entry across runs: its id (guid), else its link, else a hash of its text;
            an id that is a URL is normalised like a link.
        link: the article's address as the feed gives it (absolute), or "".
        uri: `link` normalised (`normalise_link`), or "" without a link.
        title: the entry's title, or "".
        published: when the feed says it was published (else updated), in UTC.
        content: the longest HTML the feed carries for it (content, content:encoded, description).
        words: words of text in `content`.
        authors: the entry's authors as the feed names them (author, dc:creator, JSON Feed authors).
    """

    key: str
    link: str
    uri: str
    title: str = ""
    published: datetime | None = None
    content: str = ""
    words: int = 0
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed read: its entries, or the reason it could not be read.

    Attributes:
        version: feedparser's name of the format (`rss20`, `atom10`, `rss10`...), or `json1`/`json1.1`.
        entries: the entries in feed order, duplicates of a key dropped.
        error: `None`, `not_a_feed` or `feed_parse_error`.
        detail: what went wrong; for a malformed feed that was still read, the parser's complaint.
    """

    version: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    error: str | None = None
    detail: str = ""


def normalise_link(url: str) -> str:
    """The address an article is known by, so that tracking parameters do not make a new article.

    courlan's `normalize_url`: lower-case scheme and host, no default port, the query sorted and
    without tracking parameters (utm_*, fbclid, gclid...). The fragment goes too: it never reaches
    the server. courlan's `clean_url` is not used: it may swap a link for a URL found inside it.
    A link that cannot be read is kept as it is, trimmed.
    """
    url = url.strip()
    try:
        normalised = normalize_url(url)
    except ValueError:  # a malformed netloc or port
        return url
    return normalised.split("#", 1)[0]


def _text_words(markup: str) -> int:
    return len(html.unescape(_TAG.sub(" ", markup)).split())


def _plain_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


def author_names(values: Sequence[Any]) -> tuple[str, ...]:
    """Names from a feed's author fields: strings, or objects with a `name` (else an `email`); each once.

    Markup and a leading "By" are dropped; nothing else is split or changed.
    """
    names: dict[str, None] = {}
    for value in values:
        if isinstance(value, Mapping):
            value = value.get("name") or value.get("email")
        if not isinstance(value, str):
            continue
        name = " ".join(html.unescape(_TAG.sub(" ", _BY.sub("", value))).split())
        if name:
            names.setdefault(name, None)
    return tuple(names)


def _entry(
    raw_id: str,
    link: str,
    title: str,
    published: datetime | None,
    candidates: Sequence[str],
    authors: tuple[str, ...] = (),
) -> FeedEntry | None:
    content = max(candidates, key=_text_words, default="")
    uri = normalise_link(link) if link else ""
    raw_id = raw_id.strip()
    if raw_id:
        key = normalise_link(raw_id) if raw_id.lower().startswith(("http://", "https://")) else raw_id
    elif uri:
        key = uri
    elif title or content:
        key = "sha256:" + hashlib.sha256(f"{title}\n{content}".encode()).hexdigest()[:32]
    else:
        return None  # an entry with nothing in it: nothing to deliver and nothing to tell it by
    title = " ".join(html.unescape(_TAG.sub(" ", title)).split())
    return FeedEntry(key, link.strip(), uri, title, published, content, _text_words(content), authors)


def _struct_time(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)  # feedparser's times are UTC
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _iso_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _unique(entries: list[FeedEntry | None]) -> list[FeedEntry]:
    found: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry is not None and entry.key not in found:
            found[entry.key] = entry
    return list(found.values())


def _parse_json_feed(content: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (feedparser 6 does not read it). Relative `url`s are resolved against the feed."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return ParsedFeed(error="feed_parse_error", detail=f"not valid JSON: {exc}")
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith(JSON_FEED_VERSION):
        return ParsedFeed(error="not_a_feed", detail="JSON without a https://jsonfeed.org/version/ marker")
    items = data.get("items")
    if not isinstance(items, list):
        return ParsedFeed(
            version="json" + version.removeprefix(JSON_FEED_VERSION),
            error="feed_parse_error",
            detail="JSON Feed without an items list",
        )
    entries: list[FeedEntry | None] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url") or ""
        link = _absolute(link, url) if isinstance(link, str) else ""
        body = item.get("content_html")
        candidates: list[str] = []
        if isinstance(body, str):
            # Some generators escape the HTML twice; it would reach the page as visible tags.
            if "<" not in body and "&lt;" in body:
                body = html.unescape(body)
            candidates.append(body)
        for key in ("content_text", "summary"):
            if isinstance(item.get(key), str):
                candidates.append(_plain_to_html(item[key]))
        item_id = item.get("id")
        people: list[Any] = item["authors"] if isinstance(item.get("authors"), list) else [item.get("author")]
        entries.append(
            _entry(
                str(item_id) if isinstance(item_id, str | int) else "",
                link,
                item["title"] if isinstance(item.get("title"), str) else "",
                _iso_time(item.get("date_published")) or _iso_time(item.get("date_modified")),
                candidates,
                author_names(people),
            )
        )
    return ParsedFeed(version="json" + version.removeprefix(JSON_FEED_VERSION), entries=_unique(entries))


def _absolute(link: str, base: str) -> str:
    return urljoin(base, link.strip()) if link.strip() else ""


# A character reference to a lone surrogate (`&#xD800;`, `&#55296;`) names no character, and
# feedparser raises where it encodes one: it is read as U+FFFD instead.
_SURROGATE_REFERENCE = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:5529[6-9]|55[3-9]\d\d|56\d{3}|57[0-2]\d\d|573[0-3]\d|5734[0-3]));"
)


def parse_feed(content: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Read a feed's bytes: RSS and Atom through feedparser, JSON Feed with `json`.

    feedparser is given a byte stream, never a string (a string may be read as a path or a URL),
    and the HTTP Content-Type (it decides the encoding, as RFC 3023 says) and the feed's address
    (relative links are resolved against it). A malformed feed that feedparser still reads in
    part ("bozo") gives the entries it read.

    Args:
        content: the body as fetched.
        url: the address the feed came from, after redirects.
        content_type: the Content-Type header, if any.

    Returns:
        The entries, or `error` `not_a_feed` (no feed format recognised: an HTML page, other JSON)
        or `feed_parse_error` (a feed that breaks before any entry can be read).
    """
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):  # by the body, not the Content-Type: servers label feeds loosely
        return _parse_json_feed(content, url)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    if b"&#" in content:
        content = _SURROGATE_REFERENCE.sub(b"&#xFFFD;", content)
    try:
        parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    except Exception as exc:  # the feed is the document here: its fault is its reject, not the source's
        return ParsedFeed(error="feed_parse_error", detail=f"{type(exc).__name__}: {exc}"[:500])
    version = str(parsed.get("version") or "")
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # Encoding overrides and unexpected media types are notes, not damage.
    damaged = problem is not None and not isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe)
    detail = f"{type(problem).__name__}: {problem}" if damaged else ""
    entries: list[FeedEntry | None] = []
    for item in parsed.get("entries", []):
        candidates = [str(c.get("value") or "") for c in item.get("content", [])]
        candidates.append(str(item.get("summary") or ""))
        link = str(item.get("link") or "")
        if item.get("guidislink") and not link.lower().startswith(("http://", "https://")):
            link = ""  # feedparser lends the id as the link when there is none; a urn: id is no page
        # feedparser gives `authors` (Atom's, dc:creator, RSS author parsed into name and email) and `author`.
        people = list(item.get("authors") or []) or [item.get("author_detail") or item.get("author")]
        entries.append(
            _entry(
                str(item.get("id") or ""),
                link,
                str(item.get("title") or ""),
                _struct_time(item.get("published_parsed")) or _struct_time(item.get("updated_parsed")),
                candidates,
                author_names(people),
            )
        )
    found = _unique(entries)
    if found:
        if damaged:
            logger.warning("feed %s is malformed (%s); read %d entries", url, detail, len(found))
        return ParsedFeed(version=version, entries=found, detail=detail)
    if damaged and (version or _FEED_ROOT.search(head)):
        return ParsedFeed(version=version, error="feed_parse_error", detail=detail)
    if not version:
        shown = f" ({detail})" if detail else ""
        return ParsedFeed(error="not_a_feed", detail=f"no RSS, Atom or JSON Feed found{shown}")
    return ParsedFeed(version=version)  # a well-formed feed with no entries yet


def entry_html(entry: FeedEntry) -> bytes:
    """A small HTML page holding an entry's feed text, with its title and date where the HTML
    extractor looks for them (a schema.org NewsArticle in JSON-LD, `<title>`, `<h1>`)."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle"}
    if entry.title:
        data["headline"] = entry.title
    if entry.published is not None:
        data["datePublished"] = entry.published.isoformat()
    if entry.uri:
        data["url"] = entry.uri
    if entry.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in entry.authors]
    # "</" inside the script would end it early; JSON allows "<\/" for the same two characters.
    ld = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    title = html.escape(entry.title)
    canonical = f'<link rel="canonical" href="{html.escape(entry.uri)}">' if entry.uri else ""
    page = (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>{canonical}'
        f'<script type="application/ld+json">{ld}</script></head>\n'
        f"<body><article><h1>{title}</h1>\n{entry.content}\n</article></body></html>\n"
    )
    return page.encode("utf-8")


@register_source("feeds")
class FeedSource:
    """Polls one feed: conditional requests, only entries not delivered before, pages fetched for short entries.

    The cursor holds the ids delivered (the last `max_seen`), the entries to try again after a
    transient failure, and the feed's ETag and Last-Modified. Those validators are saved only
    with the last page of a run and only when no entry waits for a retry: after a crash part-way,
    or with a retry pending, the next run reads the whole feed again instead of hearing "304".
    """

    config_model: ClassVar[type[BaseModel]] = FeedConfig

    def __init__(self, config: FeedConfig) -> None:
        self.config = config
        self.options = config.fetch_options()

    @property
    def name(self) -> str:
        return self.config.url

    def pages(
        self,
        cursor: dict[str, Any] | None,
        *,
        prefetched: Mapping[str, Fetched] | None = None,
        hosts: HostMemory | None = None,
    ) -> Iterator[Page]:
        """Yield pages of at most `page_size` new entries (and `page_bytes`), each with the cursor to save after it.

        A feed that cannot be fetched or read is one reject and the cursor as it was; a 304 is
        one empty page.

        Args:
            cursor: what the last page saved, `None` on a first run.
            prefetched: answers already in hand, by the address asked; the feed's, when there,
                is read instead of fetching it again (`sources.url` sniffs it first).
            hosts: what this run knows of hosts (robots.txt, unreachable ones); a new one when `None`.
        """
        hosts = hosts or HostMemory()  # one call reads one run: what it learns of hosts lasts that long
        url = self.config.url
        etag = cursor.get("etag") if cursor else None
        modified = cursor.get("last_modified") if cursor else None
        validators = {url: (etag, modified)} if etag or modified else None
        fetched = (prefetched or {}).get(url)
        if fetched is None:
            [fetched] = fetch_all([url], self.options, validators=validators, respect_robots=False, hosts=hosts)
        if fetched.not_modified:
            yield Page(cursor=cursor)
            return
        if fetched.error is not None or fetched.content is None:
            yield Page(rejects=[fetch_reject(url, url, fetched)], cursor=cursor)
            return
        parsed = parse_feed(fetched.content, url=fetched.final_url, content_type=fetched.headers.get("content-type"))
        if parsed.error is not None:
            reject = Reject(
                source=url, uri=url, reason=parsed.error, detail=parsed.detail, size_bytes=len(fetched.content)
            )
            yield Page(rejects=[reject], cursor=cursor)
            return
        seen = Seen.load(cursor, self.config.max_seen)
        seen.refresh([e.key for e in parsed.entries])
        new = [e for e in parsed.entries if e.key not in seen.ids]
        progress.expect(len(new))
        new_etag = fetched.headers.get("etag")
        new_modified = fetched.headers.get("last-modified")
        for page, last in self._pages(new, seen, hosts):
            done = last and not seen.retry
            page.cursor = seen.cursor(new_etag, new_modified) if done else seen.cursor(None, None)
            yield page
        if not new:  # entries waiting for a retry are new, so none waits here
            yield Page(cursor=seen.cursor(new_etag, new_modified))

    def _pages(self, entries: Sequence[FeedEntry], seen: Seen, hosts: HostMemory) -> Iterator[tuple[Page, bool]]:
        """Deliver entries in pages, each with whether it is the last: feed text when it is the
        article, else the page, fetched a few ahead. A page ends at `page_size` entries or once its
        documents hold `page_bytes`; `seen` then holds exactly the entries of the pages so far.

        An entry whose page cannot be fetched (a failure, robots.txt, a blocked address) is
        delivered from its own title, summary, date and authors, as `text_from` `feed`, standing in
        for the page's reject (recorded instead when that text is too short to keep). An entry whose
        page failed transiently is asked again on later runs, up to `max_attempts`: the page's text,
        once fetched, replaces the feed's in the store.
        """
        source = self.config.url
        follow = [e for e in entries if self.config.follow_links and e.link and e.words < self.config.min_content_words]
        followed = {e.key for e in follow}
        progress.advance(len(entries) - len(follow))  # read from the feed itself
        answers = fetch_each(
            [e.link for e in follow], self.options, hosts=hosts, on_fetched=lambda _: progress.advance()
        )
        try:
            page, n_bytes, given_up = Page(), 0, seen.given_up
            for n, entry in enumerate(entries, start=1):
                uri = entry.uri or f"{source}#{entry.key}"
                result = next(answers) if entry.key in followed else None
                now = datetime.now(UTC)
                before = len(page.documents)
                if result is None:
                    if entry.content.strip():
                        page.documents.append(self._from_feed(entry, uri, now))
                    else:
                        detail = "the entry has no text, and " + ("links are not followed" if entry.link else "no link")
                        page.rejects.append(Reject(source=source, uri=uri, reason="empty", detail=detail))
                    seen.add(entry.key)
                elif result.error is None and result.content is not None:
                    # The page may state no date or author of its own; the feed's then stand in.
                    page.documents.append(
                        RawDocument(
                            source=source,
                            uri=uri,
                            content=result.content,
                            kind="html",
                            fetched_at=now,
                            published_hint=entry.published,
                            authors_hint=entry.authors,
                        )
                    )
                    seen.add(entry.key)
                else:
                    reject = fetch_reject(source, uri, result)
                    reject = seen.failed(entry.key, reject, result, self.config.max_attempts)
                    if entry.content.strip():
                        page.documents.append(self._from_feed(entry, uri, now, reject))
                    else:
                        page.rejects.append(reject)
                n_bytes += sum(len(doc.content) for doc in page.documents[before:])
                if n == len(entries) or len(page) >= self.config.page_size or n_bytes >= self.config.page_bytes:
                    page.n_given_up = seen.given_up - given_up
                    yield page, n == len(entries)
                    page, n_bytes, given_up = Page(), 0, seen.given_up
        finally:
            answers.close()

    def _from_feed(self, entry: FeedEntry, uri: str, now: datetime, page_failure: Reject | None = None) -> RawDocument:
        return RawDocument(
            source=self.config.url,
            uri=uri,
            content=entry_html(entry),
            kind="html",
            fetched_at=now,
            published_hint=entry.published,
            authors_hint=entry.authors,
            text_from="feed",
            page_failure=page_failure,
        )
