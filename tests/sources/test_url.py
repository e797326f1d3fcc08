"""Tests of sources/url.py: one address recognised as a feed, a sitemap or a page, on a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from extractors.text import parse_batch
from schemas import RawDocument, Reject
from sources import create_source
from sources.fetch import FetchOptions
from sources.registry import Page
from sources.url import UrlConfig, UrlSource, recognise
from tests.http_server import serving
from tests.sources.feed_server import ATOM, FEEDS, HTML, LAST_MODIFIED, RSS, Resource, Server, article_page
from tests.sources.web_server import XML, page_hits, sitemap_index, urlset

WAPO = "https://www.washingtonpost.com"


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


def source(url: str) -> UrlSource:
    fetch = FetchOptions(connect_timeout=2.0, read_timeout=2.0, total_timeout=3.0, host_delay=0.0, retries=0)
    return UrlSource(UrlConfig(url=url, fetch=fetch, allow_hosts=frozenset({"127.0.0.1"})))


def run(adapter: UrlSource, cursor: dict[str, Any] | None = None) -> tuple[list[Page], dict[str, Any] | None]:
    pages = list(adapter.pages(cursor))
    for page in pages:  # what the store saves must survive its JSON round trip
        assert page.cursor is None or json.loads(json.dumps(page.cursor)) == page.cursor
    return pages, pages[-1].cursor


def documents(pages: list[Page]) -> list[RawDocument]:
    return [d for p in pages for d in p.documents]


def rejects(pages: list[Page]) -> list[Reject]:
    return [r for p in pages for r in p.rejects]


def test_the_adapter_is_registered_as_url(server: Server) -> None:
    made = create_source("url", {"url": server.url("/x"), "allow_hosts": ["127.0.0.1"], "page_size": 7})
    assert isinstance(made, UrlSource) and made.name == server.url("/x")
    with pytest.raises(ValueError, match="http or https"):
        UrlConfig(url="ftp://example.org/feed")


def test_a_feed_address_is_read_as_a_feed_and_asked_conditionally_next_time(server: Server) -> None:
    body = (FEEDS / "washingtonpost-world-rss20.xml").read_bytes().replace(WAPO.encode(), server.origin.encode())
    url = server.feed("/feeds/wapo.xml", body)
    adapter = source(url)
    pages, cursor = run(adapter)
    assert len(documents(pages)) == 9 and not rejects(pages)
    assert all(d.source == url for d in documents(pages))
    assert server.hits["/feeds/wapo.xml"] == 1  # recognised from the one answer, not fetched again
    assert cursor is not None and cursor["kind"] == "feeds"
    assert (cursor["state"]["etag"], cursor["state"]["last_modified"]) == ('"v1"', LAST_MODIFIED)
    hits = page_hits(server)

    pages, again = run(adapter, cursor)
    headers = server.seen_headers["/feeds/wapo.xml"]
    assert headers["if-none-match"] == '"v1"' and headers["if-modified-since"] == LAST_MODIFIED
    assert not documents(pages) and not rejects(pages) and again == cursor
    assert page_hits(server) == hits


def test_a_feed_dates_the_pages_it_links_to_that_state_no_date(server: Server) -> None:
    item = (
        f"<item><title>Talks</title><link>{server.url('/news/talks')}</link>"
        "<pubDate>Wed, 18 Feb 2026 03:00:00 +0000</pubDate><description>Short.</description></item>"
    )
    url = server.feed("/feeds/one.xml", f'<rss version="2.0"><channel>{item}</channel></rss>'.encode())
    (doc,) = documents(run(source(url))[0])
    assert doc.content == article_page("/news/talks")
    (result,) = parse_batch([doc])
    assert result.article is not None
    assert (result.article.published_at, result.article.published_precision) == (datetime(2026, 2, 18, 3), "second")


def test_a_sitemap_address_is_read_as_a_sitemap(server: Server) -> None:
    child = server.feed("/sitemaps/child.xml", urlset([server.url("/news/a"), server.url("/news/b")]), XML)
    url = server.feed("/sitemaps/index.xml", sitemap_index([(child, "2026-02-17")]), XML)
    adapter = source(url)
    pages, cursor = run(adapter)
    assert [d.uri for d in documents(pages)] == [server.url("/news/a"), server.url("/news/b")]
    assert all(d.source == url for d in documents(pages))
    assert server.hits["/sitemaps/index.xml"] == 1
    assert cursor is not None and cursor["kind"] == "sitemap" and url in cursor["state"]["sitemaps"]

    hits = server.hits.copy()
    pages, _ = run(adapter, cursor)
    assert not documents(pages) and not rejects(pages)
    assert server.hits - hits == Counter({"/sitemaps/index.xml": 1})  # a 304, and the child is unchanged
    assert server.seen_headers["/sitemaps/index.xml"]["if-none-match"] == '"v1"'


def test_a_gzip_sitemap_address_is_read_as_a_sitemap(server: Server) -> None:
    server.resources["/sitemap.xml.gz"] = Resource(gzip.compress(urlset([server.url("/news/z")])), "application/gzip")
    pages, cursor = run(source(server.url("/sitemap.xml.gz")))
    assert [d.uri for d in documents(pages)] == [server.url("/news/z")]
    assert cursor is not None and cursor["kind"] == "sitemap"


def test_a_page_address_is_read_as_a_page_and_fetched_once(server: Server) -> None:
    url = server.url("/news/one-story?utm_medium=social")
    adapter = source(url)
    pages, cursor = run(adapter)
    (doc,) = documents(pages)
    assert doc.uri == server.url("/news/one-story") and doc.source == url
    assert doc.content == article_page("/news/one-story")
    assert cursor == {"kind": "page", "state": {"sitemaps": {}, "seen": [doc.uri], "retry": {}}}
    pages, again = run(adapter, cursor)
    assert not documents(pages) and not rejects(pages) and again == cursor
    assert page_hits(server) == Counter({"/news/one-story": 1})


def test_a_page_disallowed_by_robots_is_not_read(server: Server) -> None:
    server.resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    pages, cursor = run(source(server.url("/private/page")))
    (reject,) = rejects(pages)
    assert reject.reason == "robots" and not documents(pages) and cursor is None
    assert server.hits["/private/page"] == 0


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (Resource(status=404), "http_404"),
        (Resource(status=503), "http_503"),
        (Resource(location="http://10.0.0.1/feed.xml"), "blocked_address"),
    ],
)
def test_an_address_that_cannot_be_fetched_is_one_reject_and_keeps_the_cursor(
    server: Server, resource: Resource, reason: str
) -> None:
    server.resources["/feeds/x"] = resource
    url = server.url("/feeds/x")
    for before in (None, {"unknown": True}):
        pages, cursor = run(source(url), before)
        (reject,) = rejects(pages)
        assert reject.reason == reason and reject.uri == url and reject.source == url
        assert cursor == before


def test_a_feed_that_cannot_be_read_is_recognised_again_next_run(server: Server) -> None:
    url = server.feed("/feeds/broken.xml", (FEEDS / "artsandego-broken-prolog.xml").read_bytes())
    pages, cursor = run(source(url))
    assert [r.reason for r in rejects(pages)] == ["feed_parse_error"] and cursor is None


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<rss version="2.0"><channel/></rss>', RSS, "feeds"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', ATOM, "feeds"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', "text/xml", "feeds"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "application/feed+json", "feeds"),
        (b'\xef\xbb\xbf<!-- made by hand -->\n<urlset xmlns="x"></urlset>', "text/xml", "sitemap"),
        (b"<sitemapindex></sitemapindex>", "text/html", "sitemap"),  # by the body, not the label
        (gzip.compress(b"<urlset/>"), "application/octet-stream", "sitemap"),
        (b"https://example.org/a\nhttps://example.org/b\n", "text/plain", "sitemap"),
        (b"<!DOCTYPE html>\n<html><head><title>t</title></head></html>", HTML, "page"),
        (b"<div>a fragment</div>", HTML, "page"),
        (b"just some text", "text/plain", "page"),
        (b"<html><head><link rel=alternate type=application/rss+xml href=/feed></head></html>", RSS, "page"),
    ],
)
def test_recognise(body: bytes, content_type: str, kind: str) -> None:
    assert recognise(body, url="https://example.org/x", content_type=content_type) == kind
