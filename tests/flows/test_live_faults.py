"""A feed whose pages misbehave, through the whole ingest flow: every entry ends as an article or a reject.

The feed and its pages come from a real HTTP server on 127.0.0.1 (tests/sources/fault_server.py)
that answers 429 with Retry-After, 500 then 200, drips, resets connections, loops redirects,
redirects to a private address, sends too much, sends a gzip bomb and mislabels its charset.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.ingest import run_ingest
from tests.http_server import serving
from tests.sources.fault_server import Server
from tests.sources.feed_server import article_page

pytestmark = pytest.mark.usefixtures("prefect_server")

# path -> what the entry must end as: "article" or the reject reason.
EXPECTED = {
    "/news/plain": "article",
    "/ra-seconds": "article",  # 429 with Retry-After: 1, then the page
    "/flaky": "article",  # 500, then the page
    "/news/latin1": "article",  # Latin-1 bytes sent as UTF-8
    "/drip": "timeout",
    "/reset": "read_error",
    "/loop-a": "too_many_redirects",
    "/to-private": "blocked_address",
    "/news/huge": "too_large",
    "/bomb": "decompression_bomb",
    "/status/404": "http_404",
}
LATIN1_TEXT = "Le café du marché a rouvert ses portes après les bombardements de la nuit dernière. " * 12


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


def test_every_entry_of_a_misbehaving_site_ends_as_an_article_or_a_reject(server: Server, tmp_path: Path) -> None:
    server.recovered = {"/ra-seconds": article_page("/news/after-a-429"), "/flaky": article_page("/news/after-a-500")}
    server.pages["/news/huge"] = (article_page("/news/huge") * 60, "text/html; charset=utf-8")  # ~100 KB
    server.pages["/news/plain"] = (article_page("/news/plain"), "text/html; charset=utf-8")
    latin1 = f"<html><head><title>Marché</title></head><body><article><h1>Marché</h1><p>{LATIN1_TEXT}</p></article>"
    server.pages["/news/latin1"] = ((latin1 + "</body></html>").encode("latin-1"), "text/html; charset=utf-8")
    items = "".join(
        f"<item><title>{path}</title><link>{server.url(path)}</link><description>Summary.</description></item>"
        for path in EXPECTED
    )
    feed = f'<rss version="2.0"><channel><title>Faults</title>{items}</channel></rss>'.encode()
    server.pages["/feed.xml"] = (feed, "application/rss+xml")
    config = tmp_path / "newsflow.toml"
    config.write_text(
        f'[[sources]]\nname = "faults"\nkind = "feeds"\nurl = "{server.url("/feed.xml")}"\nmax_bytes = 50000\n'
        "fetch = { max_decoded_bytes = 1000000, total_timeout = 1.5, read_timeout = 1.0, retries = 1,"
        " backoff_factor = 0.01, host_delay = 0.0, per_host = 8 }\n",
        "utf-8",
    )
    db = tmp_path / "faults.duckdb"

    summary = run_ingest(db=str(db), config=str(config), allow_hosts=["127.0.0.1"])

    assert summary.status == "completed"
    assert summary.n_seen == len(EXPECTED) == summary.n_new + summary.n_duplicates + summary.n_rejected
    with duckdb.connect(str(db), read_only=True) as con:
        articles = {row[0]: row[1] for row in con.execute("select uri, text from articles").fetchall()}
        rejects = dict(con.execute("select uri, reason from rejects").fetchall())
    outcome = {**{uri: "article" for uri in articles}, **rejects}
    assert outcome == {server.url(path): expected for path, expected in EXPECTED.items()}
    assert "Le café du marché" in articles[server.url("/news/latin1")]
    assert "After a 429" in articles[server.url("/ra-seconds")]

    # The failures that may pass (timeouts, resets) are tried again next run; the others are not.
    again = run_ingest(db=str(db), config=str(config), allow_hosts=["127.0.0.1"])
    assert again.n_seen == 2 and again.n_new == 0
    assert again.rejects_by_reason == {"timeout": 1, "read_error": 1}


def _page_with_metadata(title: str, text: str) -> bytes:
    data = '{"@type": "NewsArticle", "datePublished": "2026-02-16T21:30:00+01:00", "author": {"name": "Ben Ode"}}'
    return (
        f'<html><head><title>{title}</title><script type="application/ld+json">{data}</script></head>'
        f"<body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    ).encode()


def test_a_feed_keeps_what_it_gave_and_a_later_run_upgrades_it(tmp_path: Path) -> None:
    from tests.sources.feed_server import Resource
    from tests.sources.feed_server import Server as FeedServer

    page_text = "Rescue teams searched the rubble of the school in Kharkiv through the night, officials said. " * 12
    with serving(FeedServer()) as server:
        server.resources["/world/school"] = Resource(_page_with_metadata("School hit", page_text), fail_first=2)
        entries = [
            (server.url("/world/school"), "School hit", "A school in Kharkiv was hit overnight, officials said."),
            ("http://wire.example.invalid/story/1", "Wire story", "Shelling continued along the front, the army said."),
            (server.url("/world/market-reopens"), "Market reopens", "The market reopened on Monday."),
        ]
        items = "".join(
            f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><description>{summary}</description>"
            "<author>desk@example.org (Ana Lopez)</author><pubDate>Mon, 16 Feb 2026 20:00:14 +0000</pubDate></item>"
            for link, title, summary in entries
        )
        url = server.feed("/feeds/world.xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
        config = tmp_path / "newsflow.toml"
        config.write_text(
            f'[[sources]]\nname = "world"\nkind = "feeds"\nurl = "{url}"\nmax_attempts = 2\n'
            "fetch = { retries = 1, backoff_factor = 0.01, host_delay = 0.0 }\n",
            "utf-8",
        )
        db = tmp_path / "feeds.duckdb"

        first = run_ingest(db=str(db), config=str(config), allow_hosts=["127.0.0.1"])
        assert (first.n_seen, first.n_new, first.n_rejected, first.n_given_up) == (3, 3, 0, 0)
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(
                "select uri, text_from, published_at, published_precision, authors, text from articles"
            ).fetchall()
        stored = {uri: row for uri, *row in rows}
        school, wire, market = (stored[link] for link, _, _ in entries)
        # The feed's own title, summary, full time (UTC) and author, marked as feed text.
        assert wire[0] == "feed" and wire[3] == ["Ana Lopez"] and "front" in wire[4]
        assert (wire[1], wire[2]) == (datetime(2026, 2, 16, 20, 0, 14), "second")
        assert school[0] == "feed" and "A school in Kharkiv was hit" in school[4]
        assert market[0] == "page" and market[3] == ["Ana Lopez"]  # the page names none: the feed's stands in

        second = run_ingest(db=str(db), config=str(config), allow_hosts=["127.0.0.1"])
        # The school's page came: it replaced the feed's text. The wire host is given up after 2 runs.
        assert (second.n_seen, second.n_new, second.n_duplicates, second.n_upgraded) == (2, 0, 2, 1)
        assert second.n_given_up == 1
        with duckdb.connect(str(db), read_only=True) as con:
            [(text_from, text, published, authors, coded_by)] = con.execute(
                "select a.text_from, a.text, a.published_at, a.authors, x.run_id from articles a "
                "join extractions x using (article_id) where a.uri = ?",
                [entries[0][0]],
            ).fetchall()
            counts = con.execute("select count(*), count(distinct story_id) from articles").fetchall()
            runs = con.execute("select n_upgraded, n_given_up from runs order by started_at").fetchall()
        assert text_from == "page" and "Rescue teams searched the rubble" in text
        assert (published, authors) == (datetime(2026, 2, 16, 20, 30), ["Ben Ode"])
        assert coded_by == second.run_id  # coded again from the page's text
        assert counts == [(3, 3)]
        assert runs == [(0, 0), (1, 1)]
