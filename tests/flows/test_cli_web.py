"""`newsflow run` given a sitemap's address on a local server, as a user types it, on a temporary database."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEEDS
from tests.flows.commands import newsflow, query_json
from tests.http_server import serving
from tests.sources.feed_server import Resource, Server, article_page, seed_page
from tests.sources.web_server import XML, news_urlset, page_hits


def test_a_sitemap_on_a_local_server_ingests_every_listed_page_once(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    with serving(Server()) as server:
        entries = []
        for i, seed in enumerate(seeds):
            server.resources[f"/news/{i}"] = Resource(seed_page(seed))
            entries.append((server.url(f"/news/{i}?utm_source=sitemap"), f"2026-02-1{i}T08:00:00Z", f"t{i}"))
        server.resources["/news/undated"] = Resource(article_page("/news/undated"))  # a page that states no date
        entries.append((server.url("/news/undated"), "2026-02-13T08:00:00+01:00", "Undated"))
        sitemap = server.feed("/sitemaps/news.xml", news_urlset(entries), XML)
        db = tmp_path / "web.duckdb"

        first = newsflow("run", sitemap, "--allow-host", "127.0.0.1", "--db", str(db))
        assert first.returncode == 0, first.stderr
        assert "4 seen, 4 new, 0 duplicates, 0 rejected" in first.stdout
        rows = query_json(db, "select source, uri, title, text, published_at from articles order by uri")
        *seeded, undated = rows
        assert [r["uri"] for r in seeded] == [server.url(f"/news/{i}") for i in range(3)]  # tracking parameters dropped
        assert {r["source"] for r in rows} == {sitemap}
        assert undated["published_at"] == "2026-02-13T07:00:00"  # the news sitemap's date, in UTC
        for row, seed in zip(seeded, seeds, strict=True):
            lines = [line.strip() for line in seed.read_text("utf-8").splitlines() if line.strip()]
            text = str(row["text"])
            assert row["title"] == lines[0]
            assert "<" not in text and "Home World" not in text and "Contact us" not in text
            assert lines[-1] in text
            assert str(row["published_at"]).startswith("2024-")  # the page's own date wins over the sitemap's

        second = newsflow("run", sitemap, "--allow-host", "127.0.0.1", "--db", str(db))
        assert second.returncode == 0, second.stderr
        assert "0 seen, 0 new" in second.stdout
        assert page_hits(server) == {**{f"/news/{i}": 1 for i in range(3)}, "/news/undated": 1}
        assert server.seen_headers["/sitemaps/news.xml"].get("if-none-match") == '"v1"'
        (state,) = query_json(db, "select cursor from source_state")
        cursor = state["cursor"]  # a JSON column comes out as its object
        assert isinstance(cursor, dict) and cursor["kind"] == "sitemap"
