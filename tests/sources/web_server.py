"""Sitemaps for the web and url tests, served by the feeds tests' server (tests/sources/feed_server.py)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence

from tests.sources.feed_server import Server

XML = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def urlset(locs: Sequence[str], lastmod: str | None = None) -> bytes:
    """A plain sitemap listing `locs`, each with the same `lastmod` when one is given."""
    stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    rows = "".join(f"<url><loc>{html.escape(loc)}</loc>{stamp}</url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">{rows}</urlset>\n'.encode()


def news_urlset(entries: Sequence[tuple[str, str, str]]) -> bytes:
    """A Google News sitemap: (loc, publication date, title) per entry."""
    rows = "".join(
        f"<url><loc>{html.escape(loc)}</loc><news:news><news:publication><news:name>Test Wire</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{date}</news:publication_date>"
        f"<news:title>{html.escape(title)}</news:title></news:news></url>"
        for loc, date, title in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">{rows}</urlset>\n'
    ).encode()


def sitemap_index(children: Sequence[tuple[str, str | None]]) -> bytes:
    """A sitemap index: (loc, lastmod or None) per child sitemap."""
    rows = "".join(
        f"<sitemap><loc>{html.escape(loc)}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</sitemap>"
        for loc, mod in children
    )
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">{rows}</sitemapindex>\n'
    return body.encode()


def page_hits(server: Server) -> Counter[str]:
    """Requests for article pages: every path but sitemaps, feeds and robots.txt."""
    skipped = ("/sitemaps/", "/feeds/", "/robots.txt")
    return Counter({path: n for path, n in server.hits.items() if not path.startswith(skipped)})
