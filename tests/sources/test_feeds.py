"""Tests of sources/feeds.py against a real HTTP server on 127.0.0.1 serving real feeds and article pages."""

from __future__ import annotations

import gzip
import html
import json
import socket
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from extractors.text import ParseOptions, parse_document
from schemas import RawDocument
from sources import create_source
from sources.feeds import FeedConfig, FeedSource, normalise_link, parse_feed
from sources.fetch import FetchOptions
from sources.seen import Seen
from tests.http_server import serving
from tests.sources.feed_server import ATOM, FEEDS, FIXTURES, HTML, LAST_MODIFIED, RSS, Resource, Server, article_page
from tests.sources.runs import run


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


def fixture(name: str, server: Server, origin: str | None = None) -> bytes:
    """A fixture feed, its links moved from the publisher's site to the test server."""
    body = (FEEDS / name).read_bytes()
    return body.replace(origin.encode(), server.origin.encode()) if origin else body


def source(url: str, **changes: Any) -> FeedSource:
    fetch = FetchOptions(connect_timeout=2.0, read_timeout=2.0, total_timeout=3.0, host_delay=0.0, retries=0)
    values: dict[str, Any] = {"url": url, "fetch": fetch, "allow_hosts": ["127.0.0.1"]}
    values.update(changes)
    return FeedSource(FeedConfig.model_validate(values))


def parsed(doc: RawDocument) -> Any:
    result = parse_document(doc, ParseOptions())
    assert result.article is not None, result.reject
    return result.article


WAPO = "https://www.washingtonpost.com"


# --- reading feeds ----------------------------------------------------------------------------


def test_the_adapter_is_registered_as_feeds(server: Server) -> None:
    url = server.feed("/feeds/wapo.xml", fixture("washingtonpost-world-rss20.xml", server, WAPO))
    made = create_source("feeds", {"url": url, "allow_hosts": ["127.0.0.1"]})
    assert isinstance(made, FeedSource) and made.name == url
    assert "127.0.0.1" in made.options.allow_hosts


def test_a_feed_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http or https"):
        FeedConfig(url="file:///etc/passwd")


@pytest.mark.parametrize(
    ("name", "origin", "content_type", "n_entries"),
    [
        ("washingtonpost-world-rss20.xml", WAPO, RSS, 9),  # RSS 2.0, summaries only
        ("dw-rss10.xml", "https://www.dw.com", "application/rdf+xml", 3),  # RSS 1.0 (RDF)
    ],
)
def test_summary_only_entries_are_followed_to_their_pages(
    server: Server, name: str, origin: str, content_type: str, n_entries: int
) -> None:
    body = fixture(name, server, origin)
    url = server.feed(f"/feeds/{name}", body, content_type)
    result = run(source(url))
    assert not result.rejects and len(result.documents) == n_entries
    # DW's own tracking parameter (maca=en-rss-...) is not one courlan knows, so it stays in the uri.
    assert {urlsplit(d.uri).path for d in result.documents} == set(server.article_hits())
    assert all(n == 1 for n in server.article_hits().values())
    for doc in result.documents:
        assert doc.kind == "html" and doc.source == url
        assert doc.content == article_page(urlsplit(doc.uri).path)  # the page's bytes, untouched
    assert server.hits["/robots.txt"] == 1  # asked for the pages, not for the feed
    assert server.seen_headers[f"/feeds/{name}"]["user-agent"].startswith("newsflow/")


def test_a_followed_page_is_read_by_the_html_extractor(server: Server) -> None:
    page = gzip.decompress((FIXTURES / "ninenews_2024_05_02.html.gz").read_bytes())
    gold = json.loads((FIXTURES / "ninenews_2024_05_02.json").read_text())
    server.resources["/world/epstein"] = Resource(page)
    item = f"<item><title>Epstein papers</title><link>{server.url('/world/epstein')}</link></item>"
    url = server.feed("/feeds/one.xml", f'<rss version="2.0"><channel>{item}</channel></rss>'.encode())
    (doc,) = run(source(url)).documents
    assert doc.content == page
    assert parsed(doc).title == gold["title"]


@pytest.mark.parametrize(
    ("name", "content_type", "version"),
    [
        ("dawn-world-rss20-content.xml", RSS, "rss20"),  # content:encoded
        ("aivarsk-atom10.xml", ATOM, "atom10"),  # atom:content type="html"
        ("humanwhocodes-jsonfeed10.json", "application/feed+json", "json1"),  # content_html, escaped twice
    ],
)
def test_full_content_in_the_feed_is_delivered_without_fetching(
    server: Server, name: str, content_type: str, version: str
) -> None:
    body = (FEEDS / name).read_bytes()
    feed = parse_feed(body, url="https://example.org/feed", content_type=content_type)
    assert feed.version == version and feed.entries and feed.error is None
    url = server.feed(f"/feeds/{name}", body, content_type)
    result = run(source(url))
    assert not server.article_hits() and server.hits["/robots.txt"] == 0
    assert [d.uri for d in result.documents] == [e.uri for e in feed.entries]
    for doc, entry in zip(result.documents, feed.entries, strict=True):
        article = parsed(doc)
        assert doc.kind == "html" and entry.words >= 150
        assert article.title == entry.title and article.word_count >= 150
        assert entry.published is not None and article.published_at is not None
        assert article.published_at.date() == entry.published.date()
        assert "<p>" not in article.text and "&lt;" not in article.text


def test_follow_links_off_delivers_the_feed_text(server: Server) -> None:
    url = server.feed("/feeds/wapo.xml", fixture("washingtonpost-world-rss20.xml", server, WAPO))
    result = run(source(url, follow_links=False))
    assert len(result.documents) == 9 and not server.article_hits()
    article = parsed(result.documents[0])
    assert article.title == "U.S. offers more details on claim China conducted secret nuclear weapons test"
    assert "dispelling skepticism" in article.text


def test_a_malformed_feed_yields_what_it_can(server: Server) -> None:
    body = fixture("oscard0m-rss20-malformed.xml", server, "https://web-oscard0m.vercel.app")
    feed = parse_feed(body, url=server.url("/feeds/bad.xml"), content_type=RSS)
    assert feed.error is None and "SAXParseException" in feed.detail  # a bare "&" on line 46
    url = server.feed("/feeds/bad.xml", body)
    result = run(source(url))
    assert len(result.documents) == 15 and not result.rejects
    assert len(server.article_hits()) == 15


def test_a_reference_to_a_lone_surrogate_is_read_as_a_replacement_character() -> None:
    # feedparser raised UnicodeEncodeError on `&#xD800;`: the feed failed as a source every run.
    items = "".join(
        f"<item><title>Shelling {ref} in Kharkiv</title><link>https://example.org/{n}</link></item>"
        for n, ref in enumerate(("&#xD800;", "&#57343;", "&#x2014;"))
    )
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
    feed = parse_feed(body, url="https://example.org/feed", content_type=RSS)
    assert feed.error is None
    assert [e.title for e in feed.entries] == ["Shelling \ufffd in Kharkiv"] * 2 + ["Shelling \u2014 in Kharkiv"]


# --- what cannot be read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ((FEEDS / "artsandego-broken-prolog.xml").read_bytes(), RSS, "feed_parse_error"),
        ((FEEDS / "rss_empty_document.xml").read_bytes(), "application/xml", "not_a_feed"),
        (article_page("/news/not-a-feed"), HTML, "not_a_feed"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"',
            "application/feed+json",
            "feed_parse_error",
        ),
        (b'{"hello": "world"}', "application/json", "not_a_feed"),
    ],
)
def test_an_unreadable_feed_is_one_reject_and_keeps_the_cursor(
    server: Server, body: bytes, content_type: str, reason: str
) -> None:
    url = server.feed("/feeds/x", body, content_type)
    before: dict[str, Any] = {"etag": '"v0"', "last_modified": None, "seen": ["a"], "retry": {}}
    result = run(source(url), before)
    (reject,) = result.rejects
    assert reject.reason == reason and reject.uri == url and reject.size_bytes == len(body)
    assert not result.documents and result.cursor == before


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (Resource(status=404), "http_404"),
        (Resource(location="http://10.0.0.1/feed.xml"), "blocked_address"),
        (Resource(b"<rss>" + b" " * 5000 + b"</rss>", RSS), "too_large"),
    ],
)
def test_a_feed_that_cannot_be_fetched_is_one_reject(server: Server, resource: Resource, reason: str) -> None:
    server.resources["/feeds/x"] = resource
    result = run(source(server.url("/feeds/x"), max_bytes=4000))
    (reject,) = result.rejects
    assert reject.reason == reason and reject.uri == server.url("/feeds/x")
    assert result.cursor is None  # nothing to save on a first run


def test_an_empty_feed_is_one_empty_page_with_its_validators(server: Server) -> None:
    url = server.feed("/feeds/empty.xml", b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    (page,) = run(source(url)).pages
    assert len(page) == 0 and page.cursor == {"etag": '"v1"', "last_modified": LAST_MODIFIED, "seen": [], "retry": {}}


def test_an_entry_whose_page_cannot_be_fetched_is_delivered_from_the_feed(server: Server) -> None:
    body = fixture("washingtonpost-world-rss20.xml", server, WAPO)
    feed = parse_feed(body, url=server.url("/feeds/wapo.xml"))
    gone, moved, private = (urlsplit(e.link).path for e in feed.entries[:3])
    server.resources[gone] = Resource(status=404)
    server.resources[moved] = Resource(location="http://10.0.0.1/stolen")
    server.resources["/robots.txt"] = Resource(f"User-agent: *\nDisallow: /feeds/\nDisallow: {private}\n".encode())
    url = server.feed("/feeds/wapo.xml", body)
    result = run(source(url))
    assert not result.rejects and len(result.documents) == 9 and server.hits[private] == 0
    from_feed = {d.uri: d for d in result.documents if d.text_from == "feed"}
    assert list(from_feed) == [e.uri for e in feed.entries[:3]]
    failures = {uri: d.page_failure.reason for uri, d in from_feed.items() if d.page_failure is not None}
    assert failures == {
        feed.entries[0].uri: "http_404",
        feed.entries[1].uri: "blocked_address",
        feed.entries[2].uri: "robots",
    }
    # The feed's title, summary and date make the article, marked as feed text.
    article = parsed(from_feed[feed.entries[0].uri])
    assert article.text_from == "feed" and article.title == feed.entries[0].title
    assert article.published_at is not None and feed.entries[0].published is not None
    assert article.published_at == feed.entries[0].published.replace(tzinfo=None)
    assert article.published_precision == "second"
    assert all(d.text_from == "page" for d in result.documents if d.uri not in from_feed)
    # Failures that another run would repeat are done with: the feed is not asked again in full.
    assert result.cursor is not None and len(result.cursor["seen"]) == 9 and result.cursor["etag"] == '"v1"'


def test_an_entry_with_no_feed_text_whose_page_fails_is_the_pages_reject(server: Server) -> None:
    item = f"<item><title>Gone</title><link>{server.url('/world/gone')}</link></item>"
    server.resources["/world/gone"] = Resource(status=404)
    url = server.feed("/feeds/one.xml", f'<rss version="2.0"><channel>{item}</channel></rss>'.encode())
    (reject,) = run(source(url)).rejects
    assert reject.reason == "http_404" and reject.uri == server.url("/world/gone")


def test_a_transient_failure_is_stored_from_the_feed_tried_again_next_run_then_given_up(server: Server) -> None:
    body = fixture("washingtonpost-world-rss20.xml", server, WAPO)
    feed = parse_feed(body, url=server.url("/feeds/wapo.xml"))
    flaky, down = (urlsplit(e.link).path for e in feed.entries[:2])
    server.resources[flaky] = Resource(article_page(flaky), fail_first=1)
    server.resources[down] = Resource(article_page(down), fail_first=99)
    url = server.feed("/feeds/wapo.xml", body)
    feeds = source(url, max_attempts=2)

    first = run(feeds)
    assert not first.rejects and len(first.documents) == 9
    assert [d.uri for d in first.documents if d.text_from == "feed"] == [e.uri for e in feed.entries[:2]]
    assert {d.page_failure.reason for d in first.documents if d.page_failure is not None} == {"http_503"}
    assert first.cursor is not None and first.cursor["etag"] is None and len(first.cursor["retry"]) == 2
    assert sum(p.n_given_up for p in first.pages) == 0

    second = run(feeds, first.cursor)
    assert "if-none-match" not in server.seen_headers["/feeds/wapo.xml"]  # the whole feed, to find them again
    page_text, feed_text = second.documents
    assert (page_text.uri, page_text.text_from) == (feed.entries[0].uri, "page")
    assert (feed_text.uri, feed_text.text_from) == (feed.entries[1].uri, "feed")
    assert feed_text.page_failure is not None and "gave up after 2 runs" in feed_text.page_failure.detail
    assert sum(p.n_given_up for p in second.pages) == 1
    assert second.cursor is not None and second.cursor["retry"] == {} and second.cursor["etag"] == '"v1"'

    third = run(feeds, second.cursor)
    assert not third.documents and not third.rejects and server.hits[down] == 2


def test_entries_on_a_host_that_cannot_be_reached_cost_one_failure(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups: list[str] = []
    real = socket.getaddrinfo

    def counting(host: str, *args: Any, **kwargs: Any) -> Any:
        lookups.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)  # the real lookup, counted
    items = "".join(
        f"<item><title>Story {n}</title><link>http://news.example.invalid/story/{n}</link>"
        f"<description>The summary of story {n}, as the feed gives it, with enough words.</description></item>"
        for n in range(12)
    )
    url = server.feed("/feeds/dead.xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
    fetch = FetchOptions(connect_timeout=2.0, read_timeout=2.0, total_timeout=3.0, host_delay=0.0, retries=2)
    result = run(source(url, fetch=fetch, page_size=5))
    assert not result.rejects and len(result.documents) == 12
    failures = [d.page_failure for d in result.documents]
    assert all(f is not None and f.reason == "connect_error" for f in failures)
    # robots.txt paid the lookup and its two retries, over three pages; no entry asked again.
    assert lookups.count("news.example.invalid") == 3
    assert all(f is not None and "could not resolve news.example.invalid" in f.detail for f in failures)


# --- cursors ----------------------------------------------------------------------------------


def test_a_second_run_asks_conditionally_and_fetches_no_article_again(server: Server) -> None:
    url = server.feed("/feeds/wapo.xml", fixture("washingtonpost-world-rss20.xml", server, WAPO))
    feeds = source(url)
    first = run(feeds)
    assert first.cursor is not None and first.cursor["etag"] == '"v1"'
    assert first.cursor["last_modified"] == LAST_MODIFIED
    hits = server.article_hits()

    (page,) = run(feeds, first.cursor).pages
    headers = server.seen_headers["/feeds/wapo.xml"]
    assert headers["if-none-match"] == '"v1"' and headers["if-modified-since"] == LAST_MODIFIED
    assert len(page) == 0 and page.cursor == first.cursor
    assert server.article_hits() == hits


def test_a_server_without_validators_still_gets_no_article_fetched_twice(server: Server) -> None:
    url = server.feed("/feeds/wapo.xml", fixture("washingtonpost-world-rss20.xml", server, WAPO), etag=None)
    feeds = source(url)
    first = run(feeds)
    second = run(feeds, first.cursor)
    assert server.hits["/feeds/wapo.xml"] == 2 and "if-none-match" not in server.seen_headers["/feeds/wapo.xml"]
    assert not second.documents and not second.rejects and all(n == 1 for n in server.article_hits().values())
    assert second.cursor is not None and second.cursor["seen"] == first.cursor["seen"]  # type: ignore[index]


def test_a_new_entry_is_the_only_one_fetched(server: Server) -> None:
    body = fixture("washingtonpost-world-rss20.xml", server, WAPO)
    url = server.feed("/feeds/wapo.xml", body)
    feeds = source(url)
    first = run(feeds)
    hits = server.article_hits()

    new_item = (
        f"<item><title>Fresh story</title><link>{server.url('/world/fresh-story')}</link>"
        f"<guid>{server.url('/world/fresh-story')}</guid><pubDate>Wed, 18 Feb 2026 03:00:00 +0000</pubDate>"
        "<description>Short.</description></item>"
    ).encode()
    server.feed("/feeds/wapo.xml", body.replace(b"<item>", new_item + b"<item>", 1), etag='"v2"')
    second = run(feeds, first.cursor)
    assert server.seen_headers["/feeds/wapo.xml"]["if-none-match"] == '"v1"'
    assert [d.uri for d in second.documents] == [server.url("/world/fresh-story")] and not second.rejects
    assert server.article_hits() - hits == Counter({"/world/fresh-story": 1})
    assert second.cursor is not None and second.cursor["etag"] == '"v2"' and len(second.cursor["seen"]) == 10


def test_pages_hold_page_size_inputs_and_only_the_last_saves_the_validators(server: Server) -> None:
    url = server.feed("/feeds/wapo.xml", fixture("washingtonpost-world-rss20.xml", server, WAPO))
    pages = run(source(url, page_size=4)).pages
    assert [len(p) for p in pages] == [4, 4, 1]
    cursors = [p.cursor or {} for p in pages]
    assert [len(c["seen"]) for c in cursors] == [4, 8, 9]
    # A crash after page one must not leave an ETag that would make the rest of the feed a 304.
    assert [c["etag"] for c in cursors] == [None, None, '"v1"']


def test_tracking_parameters_do_not_make_a_new_article(server: Server) -> None:
    def feed_with(link: str) -> bytes:
        item = (
            f"<item><title>Ceasefire talks</title><link>{html.escape(link)}</link><description>x</description></item>"
        )
        return f'<rss version="2.0"><channel><title>T</title>{item}</channel></rss>'.encode()

    url = server.feed("/feeds/t.xml", feed_with(server.url("/world/talks?utm_source=rss&utm_medium=feed&id=7")))
    feeds = source(url)
    first = run(feeds)
    (doc,) = first.documents
    assert doc.uri == server.url("/world/talks?id=7")
    assert server.requests[-1] == "/world/talks?utm_source=rss&utm_medium=feed&id=7"  # the link as published

    server.feed("/feeds/t.xml", feed_with(server.url("/world/talks?id=7&fbclid=abc&utm_campaign=x#top")), etag='"v2"')
    second = run(feeds, first.cursor)
    assert not second.documents and server.hits["/world/talks"] == 1


def test_entries_without_a_link(server: Server) -> None:
    text = "<p>" + "Negotiators met again on Tuesday in Geneva. " * 30 + "</p>"
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id><updated>2026-02-18T00:00:00Z</updated>'
        f"<entry><id>urn:uuid:1</id><title>Talks resume</title><updated>2026-02-17T10:00:00Z</updated>"
        f'<content type="html">{html.escape(text)}</content></entry>'
        "<entry><id>urn:uuid:2</id><title>Nothing here</title><updated>2026-02-17T11:00:00Z</updated></entry>"
        "</feed>"
    ).encode()
    url = server.feed("/feeds/a.xml", atom, ATOM)
    result = run(source(url))
    (doc,) = result.documents
    assert doc.uri == f"{url}#urn:uuid:1" and parsed(doc).title == "Talks resume"
    (reject,) = result.rejects
    assert reject.reason == "empty" and reject.uri == f"{url}#urn:uuid:2"


# --- pure functions ---------------------------------------------------------------------------


def test_normalise_link() -> None:
    assert normalise_link(" HTTPS://Example.COM:443/a/b?utm_source=rss&b=2&a=1&gclid=x#comments ") == (
        "https://example.com/a/b?a=1&b=2"
    )
    assert normalise_link("http://[::1/broken") == "http://[::1/broken"


def test_the_seen_ids_are_bounded_but_keep_those_still_in_the_feed() -> None:
    seen = Seen.load({"seen": [f"old{i}" for i in range(10)], "retry": {"gone": 1}}, limit=5)
    seen.refresh(["old0", "new1", "new2"])
    assert seen.retry == {}  # an entry gone from the feed is not waited for
    seen.add("new1")
    seen.add("new2")
    assert list(seen.ids) == ["old8", "old9", "old0", "new1", "new2"]
    many = Seen.load(None, limit=2)
    many.refresh([f"e{i}" for i in range(4)])
    for i in range(4):
        many.add(f"e{i}")
    assert len(many.ids) == 4  # a feed longer than the limit is remembered whole
