"""Tests of sources/web.py against a real HTTP server on 127.0.0.1 serving sitemaps and article pages."""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pydantic import ValidationError

from extractors.text import parse_batch
from schemas.models import REJECT_REASONS
from sources import create_source
from sources.fetch import FetchOptions
from sources.web import WebConfig, WebSource, parse_sitemap, unpack, w3c_time
from tests.http_server import serving
from tests.sources.feed_server import LAST_MODIFIED, Resource, Server, article_page
from tests.sources.runs import run
from tests.sources.web_server import XML, news_urlset, page_hits, sitemap_index, urlset


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


def source(**values: Any) -> WebSource:
    fetch = FetchOptions(connect_timeout=2.0, read_timeout=2.0, total_timeout=3.0, host_delay=0.0, retries=0)
    return WebSource(WebConfig.model_validate({"fetch": fetch, "allow_hosts": ["127.0.0.1"], **values}))


def paths(server: Server, names: list[str]) -> list[str]:
    return [server.url(f"/news/{name}") for name in names]


# --- configuration ----------------------------------------------------------------------------


def test_the_adapter_is_registered_as_web(server: Server) -> None:
    made = create_source("web", {"sitemaps": [server.url("/sitemaps/a.xml")], "allow_hosts": ["127.0.0.1"]})
    assert isinstance(made, WebSource) and made.name == server.url("/sitemaps/a.xml")
    assert "127.0.0.1" in made.options.allow_hosts
    assert source(urls=["https://example.org/b", "https://example.org/c"]).name == "https://example.org/b"
    assert source(urls=["https://example.org/b"], name="wire").name == "wire"


@pytest.mark.parametrize(
    ("values", "message"),
    [({}, "at least one of"), ({"urls": ["file:///etc/passwd"]}, "http or https"), ({"sitemaps": ["  "]}, "at least")],
)
def test_a_web_source_needs_http_addresses(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        WebConfig.model_validate(values)


def test_the_new_reasons_are_known() -> None:
    assert {"not_a_sitemap", "sitemap_parse_error", "sitemap_too_deep"} <= REJECT_REASONS


# --- sitemaps and pages -----------------------------------------------------------------------


def test_a_sitemap_delivers_each_page_it_lists(server: Server) -> None:
    pages = paths(server, ["talks-resume", "floods-in-the-north", "budget-vote"])
    url = server.feed("/sitemaps/pages.xml", urlset(pages, "2026-02-17"), XML)
    result = run(source(sitemaps=[url]))
    assert not result.rejects and [d.uri for d in result.documents] == pages
    for doc in result.documents:
        assert doc.kind == "html" and doc.source == url and doc.published_hint is None
        assert doc.content == article_page(urlsplit(doc.uri).path)  # the bytes fetched, untouched
    assert page_hits(server) == Counter({urlsplit(p).path: 1 for p in pages})
    assert server.hits["/robots.txt"] == 1  # asked for the pages, not for the sitemap
    assert result.cursor is not None
    assert result.cursor["seen"] == pages and result.cursor["retry"] == {}
    state = result.cursor["sitemaps"][url]
    assert (state["etag"], state["last_modified"], state["lastmod"]) == ('"v1"', LAST_MODIFIED, None)


def test_pages_given_by_address_and_listed_pages_are_fetched_once(server: Server) -> None:
    given = server.url("/news/given?utm_source=newsletter")
    url = server.feed("/sitemaps/pages.xml", urlset([*paths(server, ["a", "b"]), server.url("/news/given")]), XML)
    result = run(source(urls=[given], sitemaps=[url]))
    assert [d.uri for d in result.documents] == [server.url("/news/given"), *paths(server, ["a", "b"])]
    assert server.requests.count("/news/given?utm_source=newsletter") == 1 and server.hits["/news/given"] == 1


def test_an_index_is_followed_and_unchanged_children_are_not_asked_again(server: Server) -> None:
    first_pages, second_pages = paths(server, ["a1", "a2"]), paths(server, ["b1", "b2", "b3"])
    one = server.feed("/sitemaps/one.xml", urlset(first_pages), XML)
    two = server.feed("/sitemaps/two.xml", urlset(second_pages), XML)
    index = server.feed("/sitemaps/index.xml", sitemap_index([(one, "2026-02-17"), (two, "2026-02-17T10:00:00Z")]), XML)
    web = source(sitemaps=[index])
    first = run(web)
    assert sorted(d.uri for d in first.documents) == sorted(first_pages + second_pages) and not first.rejects
    assert first.cursor is not None
    assert first.cursor["sitemaps"][index]["children"] == {one: "2026-02-17", two: "2026-02-17T10:00:00Z"}
    hits = server.hits.copy()

    second = run(web, first.cursor)  # the index answers 304; its children are known unchanged by lastmod
    assert not second.documents and not second.rejects
    assert server.seen_headers["/sitemaps/index.xml"]["if-none-match"] == '"v1"'
    assert server.hits - hits == Counter({"/sitemaps/index.xml": 1})

    # One child changes: the index says so, and only that child and its new page are fetched.
    server.feed("/sitemaps/two.xml", urlset([*second_pages, server.url("/news/b4")]), XML, etag='"v2"')
    server.feed("/sitemaps/index.xml", sitemap_index([(one, "2026-02-17"), (two, "2026-02-18")]), XML, etag='"v2"')
    third = run(web, second.cursor)
    assert [d.uri for d in third.documents] == [server.url("/news/b4")] and not third.rejects
    assert server.hits - hits == Counter(
        {"/sitemaps/index.xml": 2, "/sitemaps/two.xml": 1, "/news/b4": 1, "/robots.txt": 1}
    )
    assert "if-none-match" in server.seen_headers["/sitemaps/two.xml"]  # asked conditionally, as it changed
    assert third.cursor is not None and third.cursor["sitemaps"][two]["lastmod"] == "2026-02-18"


def test_a_child_without_lastmod_is_asked_conditionally(server: Server) -> None:
    child = server.feed("/sitemaps/child.xml", urlset(paths(server, ["c1"])), XML)
    index = server.feed("/sitemaps/index.xml", sitemap_index([(child, None)]), XML, etag=None)
    web = source(sitemaps=[index])
    first = run(web)
    assert len(first.documents) == 1
    second = run(web, first.cursor)
    assert not second.documents and server.hits["/sitemaps/child.xml"] == 2 and server.hits["/sitemaps/index.xml"] == 2
    assert server.seen_headers["/sitemaps/child.xml"]["if-none-match"] == '"v1"'


def test_children_beyond_max_sitemaps_wait_for_the_next_run_newest_first(server: Server) -> None:
    children = []
    for n, day in enumerate(["2026-02-10", "2026-02-12", "2026-02-11"]):
        children.append((server.feed(f"/sitemaps/{n}.xml", urlset(paths(server, [f"p{n}"])), XML), day))
    index = server.feed("/sitemaps/index.xml", sitemap_index(children), XML)
    web = source(sitemaps=[index], max_sitemaps=2)
    first = run(web)
    assert sorted(d.uri for d in first.documents) == paths(server, ["p1", "p2"])  # the two newest
    assert server.hits["/sitemaps/0.xml"] == 0
    second = run(web, first.cursor)
    assert [d.uri for d in second.documents] == paths(server, ["p0"]) and server.hits["/sitemaps/1.xml"] == 1
    third = run(web, second.cursor)
    assert not third.documents and not third.rejects


def test_an_index_inside_an_index_inside_an_index_is_too_deep(server: Server) -> None:
    leaf = server.feed("/sitemaps/leaf.xml", urlset(paths(server, ["deep"])), XML)
    third = server.feed("/sitemaps/l3.xml", sitemap_index([(leaf, None)]), XML)
    second = server.feed("/sitemaps/l2.xml", sitemap_index([(third, None)]), XML)
    top = server.feed("/sitemaps/l1.xml", sitemap_index([(second, None), (leaf, None)]), XML)
    result = run(source(sitemaps=[top]))
    assert [d.uri for d in result.documents] == paths(server, ["deep"])  # through the top index
    (reject,) = result.rejects
    assert reject.reason == "sitemap_too_deep" and reject.uri == third


def test_a_gzip_sitemap_is_unpacked(server: Server) -> None:
    pages = paths(server, ["zipped-1", "zipped-2"])
    server.resources["/sitemaps/s.xml.gz"] = Resource(gzip.compress(urlset(pages)), "application/gzip")
    result = run(source(sitemaps=[server.url("/sitemaps/s.xml.gz")]))
    assert [d.uri for d in result.documents] == pages and not result.rejects


def test_a_gzip_bomb_is_a_reject(server: Server) -> None:
    body = urlset(paths(server, ["x"])) + b"<!--" + b" " * 200_000 + b"-->"
    server.resources["/sitemaps/bomb.xml.gz"] = Resource(gzip.compress(body), "application/gzip")
    fetch = FetchOptions(host_delay=0.0, retries=0, max_decoded_bytes=100_000)
    result = run(source(sitemaps=[server.url("/sitemaps/bomb.xml.gz")], fetch=fetch))
    (reject,) = result.rejects
    assert reject.reason == "decompression_bomb" and not result.documents


def test_a_news_sitemap_dates_pages_that_state_no_date(server: Server) -> None:
    dated = server.url("/news/dated")
    server.resources["/news/dated"] = Resource(
        article_page("/news/dated").replace(
            b"</head>",
            b'<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2026-01-05"}'
            b"</script></head>",
        )
    )
    entries = [
        (server.url("/news/ceasefire-talks"), "2026-02-18T10:30:00+01:00", "Ceasefire talks"),
        (server.url("/news/storm-warning"), "2026-02-17", "Storm warning"),
        (dated, "2026-02-16T08:00:00Z", "Dated"),
    ]
    url = server.feed("/sitemaps/news.xml", news_urlset(entries), XML)
    result = run(source(sitemaps=[url]))
    assert [d.published_hint for d in result.documents] == [
        datetime.fromisoformat("2026-02-18T10:30:00+01:00"),
        datetime(2026, 2, 17),
        datetime(2026, 2, 16, 8, tzinfo=UTC),
    ]
    articles = [r.article for r in parse_batch(result.documents)]
    assert all(a is not None for a in articles)
    stamps = [(a.published_at, a.published_precision) for a in articles if a is not None]
    assert stamps == [
        (datetime(2026, 2, 18, 9, 30), "second"),  # naive UTC, as the other stages give it
        (datetime(2026, 2, 17), "day"),
        (datetime(2026, 1, 5), "day"),  # the page's own date wins
    ]


def test_tracking_parameters_do_not_make_a_second_fetch(server: Server) -> None:
    tracked = server.url("/news/talks?utm_source=sitemap&id=7")
    url = server.feed("/sitemaps/t.xml", urlset([tracked, server.url("/news/talks?id=7&fbclid=abc")]), XML)
    web = source(sitemaps=[url])
    first = run(web)
    (doc,) = first.documents
    assert doc.uri == server.url("/news/talks?id=7") and not first.rejects
    assert server.requests[-1] == "/news/talks?utm_source=sitemap&id=7"  # the address as listed

    server.feed("/sitemaps/t.xml", urlset([server.url("/news/talks?gclid=x&id=7#top")]), XML, etag='"v2"')
    second = run(web, first.cursor)
    assert not second.documents and not second.rejects and server.hits["/news/talks"] == 1


# --- what cannot be read ----------------------------------------------------------------------


def test_every_listed_page_is_a_document_or_a_reject_with_fetch_reason(server: Server) -> None:
    server.resources["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server.resources["/news/gone"] = Resource(status=404)
    server.resources["/news/moved"] = Resource(location="http://10.0.0.1/stolen")
    listed = [*paths(server, ["fine", "gone", "moved"]), server.url("/private/secret"), "ftp://example.org/file"]
    url = server.feed("/sitemaps/mixed.xml", urlset(listed), XML)
    result = run(source(sitemaps=[url]))
    reasons = {r.uri: r.reason for r in result.rejects}
    assert reasons == {
        server.url("/news/gone"): "http_404",
        server.url("/news/moved"): "blocked_address",
        server.url("/private/secret"): "robots",
        "ftp://example.org/file": "bad_url",
    }
    assert [d.uri for d in result.documents] == paths(server, ["fine"])
    assert len(result.documents) + len(result.rejects) == len(listed)
    assert server.hits["/private/secret"] == 0
    assert result.cursor is not None and len(result.cursor["seen"]) == len(listed)

    again = run(source(sitemaps=[url]), result.cursor)  # failures another run would repeat are done with
    assert not again.documents and not again.rejects


def test_a_transient_failure_is_tried_again_next_run_then_given_up(server: Server) -> None:
    server.resources["/news/flaky"] = Resource(article_page("/news/flaky"), fail_first=1)
    server.resources["/news/down"] = Resource(article_page("/news/down"), fail_first=99)
    child = server.feed("/sitemaps/child.xml", urlset(paths(server, ["fine", "flaky", "down"])), XML)
    index = server.feed("/sitemaps/index.xml", sitemap_index([(child, "2026-02-17")]), XML)
    web = source(sitemaps=[index], max_attempts=2)

    first = run(web)
    assert {r.reason for r in first.rejects} == {"http_503"} and len(first.documents) == 1
    assert first.cursor is not None and len(first.cursor["retry"]) == 2
    assert child not in first.cursor["sitemaps"]  # so that the next run reads it whole again

    second = run(web, first.cursor)
    assert [d.uri for d in second.documents] == paths(server, ["flaky"])
    (given_up,) = second.rejects
    assert given_up.uri == server.url("/news/down") and "gave up after 2 runs" in given_up.detail
    assert second.cursor is not None and second.cursor["retry"] == {} and child in second.cursor["sitemaps"]

    third = run(web, second.cursor)
    assert not third.documents and not third.rejects and server.hits["/news/down"] == 2
    assert server.hits["/sitemaps/child.xml"] == 2  # not asked a third time: its lastmod is unchanged


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'<?xml version="1.0"?><urlset><url><loc>https://example.org/a</lo', "sitemap_parse_error"),
        (article_page("/not-a-sitemap"), "not_a_sitemap"),
        (b'{"urls": []}', "not_a_sitemap"),
        (b"", "not_a_sitemap"),
    ],
)
def test_an_unreadable_sitemap_is_one_reject(server: Server, body: bytes, reason: str) -> None:
    url = server.feed("/sitemaps/bad.xml", body, XML)
    before: dict[str, Any] = {"sitemaps": {}, "seen": ["x"], "retry": {}}
    result = run(source(sitemaps=[url]), before)
    rejects = [r for r in result.rejects if r.uri == url]
    assert [r.reason for r in rejects] == [reason] and rejects[0].size_bytes == len(body)
    assert result.cursor == {**before, "seen": ["x", *(d.uri for d in result.documents)]}


def test_a_sitemap_cut_short_gives_the_pages_before_the_break(server: Server) -> None:
    body = urlset(paths(server, ["one", "two"]))[:-40]  # the second entry is cut in its <loc>
    url = server.feed("/sitemaps/cut.xml", body, XML)
    result = run(source(sitemaps=[url]))
    assert [d.uri for d in result.documents] == paths(server, ["one"])
    (reject,) = result.rejects
    assert reject.reason == "sitemap_parse_error" and "read 1 entries" in reject.detail


@pytest.mark.parametrize(
    ("resource", "reason"),
    [(Resource(status=404), "http_404"), (Resource(location="http://10.0.0.1/s"), "blocked_address")],
)
def test_a_sitemap_that_cannot_be_fetched_is_one_reject(server: Server, resource: Resource, reason: str) -> None:
    server.resources["/sitemaps/x.xml"] = resource
    result = run(source(sitemaps=[server.url("/sitemaps/x.xml")]))
    (reject,) = result.rejects
    assert reject.reason == reason and reject.uri == server.url("/sitemaps/x.xml")
    assert result.cursor == {"sitemaps": {}, "seen": [], "retry": {}}


# --- cursors ----------------------------------------------------------------------------------


def test_a_second_run_fetches_nothing_new(server: Server) -> None:
    pages = paths(server, [f"story-{n}" for n in range(5)])
    url = server.feed("/sitemaps/pages.xml", urlset(pages), XML, etag=None)  # no validators: read whole again
    web = source(sitemaps=[url])
    first = run(web)
    hits = page_hits(server)
    second = run(web, first.cursor)
    assert not second.documents and not second.rejects and page_hits(server) == hits
    assert server.hits["/sitemaps/pages.xml"] == 2
    assert first.cursor is not None and second.cursor is not None and second.cursor["seen"] == first.cursor["seen"]


def test_pages_hold_page_size_inputs_and_only_the_last_saves_the_sitemaps(server: Server) -> None:
    url = server.feed("/sitemaps/pages.xml", urlset(paths(server, [f"s{n}" for n in range(9)])), XML)
    pages = run(source(sitemaps=[url], page_size=4)).pages
    assert [len(p) for p in pages] == [4, 4, 1]
    cursors = [p.cursor or {} for p in pages]
    assert [len(c["seen"]) for c in cursors] == [4, 8, 9]
    # A crash after page one must not leave an ETag that would make the rest of the sitemap a 304.
    assert [c["sitemaps"] for c in cursors[:2]] == [{}, {}] and url in cursors[2]["sitemaps"]


def test_the_seen_pages_are_bounded_but_keep_those_still_listed(server: Server) -> None:
    url = server.feed("/sitemaps/pages.xml", urlset(paths(server, ["k1", "k2", "k3"])), XML, etag=None)
    web = source(sitemaps=[url], max_seen=2)
    old = [f"https://example.org/old{n}" for n in range(5)]
    result = run(web, {"sitemaps": {}, "seen": old, "retry": {}})
    assert result.cursor is not None and result.cursor["seen"] == paths(server, ["k1", "k2", "k3"])


# --- pure functions ---------------------------------------------------------------------------


def test_parse_sitemap_reads_news_entries_and_resolves_addresses() -> None:
    body = news_urlset([("/world/talks", "2026-02-18T10:30+01:00", "Talks & more")]).replace(
        b"</urlset>", b"<url><loc> https://example.org/b?x=1&y=2 </loc><lastmod>2026-02-01</lastmod></url></urlset>"
    )
    parsed = parse_sitemap(b"\xef\xbb\xbf\n  " + body, url="https://example.org/sitemap.xml")
    assert parsed.kind == "urlset" and parsed.error is None  # a BOM, leading space and a bare "&" are tolerated
    news, plain = parsed.entries
    assert news.loc == "https://example.org/world/talks" and news.title == "Talks & more"
    assert (news.published, news.precision) == (datetime.fromisoformat("2026-02-18T10:30+01:00"), "minute")
    assert plain.loc == "https://example.org/b?x=1&y=2" and plain.lastmod == "2026-02-01"
    assert plain.published is None  # the lastmod of a page that is no news entry is not its publication


def test_parse_sitemap_expands_no_entity_and_reads_no_file() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://example.org/&c;&xxe;</loc></url></urlset>"
    )
    (entry,) = parse_sitemap(body, url="https://example.org/s.xml").entries
    assert "aaaa" not in entry.raw and "root:" not in entry.raw


def test_parse_sitemap_reads_text_sitemaps_and_refuses_other_text() -> None:
    text = parse_sitemap(b"https://example.org/a\n\nhttps://example.org/b\n", url="https://example.org/s.txt")
    assert text.kind == "urlset" and [e.loc for e in text.entries] == ["https://example.org/a", "https://example.org/b"]
    assert parse_sitemap(b"hello\nworld", url="https://example.org/s.txt").error == "not_a_sitemap"
    assert parse_sitemap(b'<rss version="2.0"></rss>', url="https://example.org/s").error == "not_a_sitemap"


def test_unpack_and_w3c_time() -> None:
    assert unpack(b"<urlset/>", 10) == (b"<urlset/>", "", "")
    assert unpack(gzip.compress(b"a" * 50) + gzip.compress(b"b"), 100)[0] == b"a" * 50 + b"b"
    assert unpack(gzip.compress(b"a" * 101), 100)[1] == "decompression_bomb"
    assert unpack(gzip.compress(b"a" * 100)[:15], 100)[1] == "decode_error"
    assert w3c_time("2026-02-18") == (datetime(2026, 2, 18), "day")
    assert w3c_time("2026-02-18T10:30:05Z") == (datetime(2026, 2, 18, 10, 30, 5, tzinfo=UTC), "second")
    assert w3c_time("2026-02") is None and w3c_time("soon") is None


# --- a file of addresses ----------------------------------------------------------------------


def test_a_url_file_lists_pages_each_fetched_once_and_what_is_no_page_is_a_reject(
    server: Server, tmp_path: Path
) -> None:
    feed = server.feed("/feeds/wire.xml", b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    pages = paths(server, ["talks-resume", "floods-in-the-north"])
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# read these\n{pages[0]}\n\n  {pages[1]}  \nnot an address\n{feed}\n")
    made = source(url_file=str(listing))
    assert made.name == listing.as_uri()
    first = run(made)
    assert [d.uri for d in first.documents] == pages
    assert {d.kind for d in first.documents} == {"html"}
    rejects = {r.uri: r for r in first.rejects}
    assert rejects["not an address"].reason == "bad_url"
    assert f"{listing.as_uri()} line 5" in rejects["not an address"].detail
    assert rejects[feed].reason == "not_a_page" and rejects[feed].detail.startswith("a feed, not an article page")
    # The list grows: only the new address is fetched, and nothing is rejected twice.
    added = paths(server, ["budget-vote"])[0]
    listing.write_text(listing.read_text() + added + "\n")
    second = run(made, first.cursor)
    assert [d.uri for d in second.documents] == [added] and not second.rejects
    assert page_hits(server) == Counter({urlsplit(p).path: 1 for p in [*pages, added]})


def test_a_url_file_must_be_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="is not a file"):
        WebConfig.model_validate({"url_file": str(tmp_path)})
