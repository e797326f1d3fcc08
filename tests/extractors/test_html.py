"""Tests of extractors/html.py on a real news page with gold text (fundus test data, MIT)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from extractors.html import parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_a_real_news_page_gives_its_title_time_authors_and_body() -> None:
    gold = json.loads((FIXTURES / "ninenews_2024_05_02.json").read_text("utf-8"))
    page = gzip.decompress((FIXTURES / "ninenews_2024_05_02.html.gz").read_bytes())
    parts = parse_html(page)
    assert parts is not None
    assert parts.title == gold["title"]
    # "2024-01-07 01:20:00+00:00": the time is kept, no longer cut to the day.
    assert parts.published_at == datetime.fromisoformat(gold["publishing_date"]).astimezone(UTC).replace(tzinfo=None)
    assert parts.published_at == datetime(2024, 1, 7, 1, 20)
    assert parts.published_precision == "second"
    assert parts.authors == ("Associated Press",)  # as news-html-gold has it
    gold_words = set(gold["body_text"].split())
    words = set(parts.body.split())
    assert len(gold_words & words) / len(gold_words) > 0.9


def test_a_page_without_main_text_gives_none() -> None:
    assert parse_html(b"<html><head><title>x</title></head><body></body></html>") is None


# Synthetic pages for the schema.org (JSON-LD) readings: each paragraph long enough for trafilatura.
_PARAGRAPHS = [
    f"Paragraph {n} of the report says that the council met on Tuesday and agreed, after a long debate about "
    f"roads, schools and the harbour, to publish its figures for the year before the end of the month."
    for n in range(1, 7)
]


def _page(*, head: str = "", body: str = "", paragraphs: list[str] = _PARAGRAPHS) -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>Council publishes figures | Example News</title>{head}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article>{body}{text}</article></body></html>"
    )


def _json_ld(*nodes: Mapping[str, object]) -> str:
    return "".join(f'<script type="application/ld+json">{json.dumps(node)}</script>' for node in nodes)


def test_the_articles_json_ld_date_wins_over_other_dates_on_the_page() -> None:
    head = '<meta property="article:published_time" content="2024-08-07T21:00:00Z">' + _json_ld(
        {"@type": "ImageObject", "datePublished": "2024-08-06T10:00:00Z"},
        {"@type": ["ReportageNewsArticle"], "datePublished": "2024-08-08T08:00Z", "headline": "Council figures"},
    )
    parts = parse_html(_page(head=head))
    assert parts is not None
    assert parts.published_at == datetime(2024, 8, 8, 8, 0)
    assert parts.published_precision == "minute"


def test_a_live_blog_gives_its_own_date_not_that_of_an_update() -> None:
    blog = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "LiveBlogPosting",
                "datePublished": "2024-08-04T13:23:00Z",
                "liveBlogUpdate": [{"@type": "BlogPosting", "datePublished": "2024-08-05T21:00:18+01:00"}],
            }
        ],
    }
    parts = parse_html(_page(head=_json_ld(blog)))
    assert parts is not None
    assert parts.published_at == datetime(2024, 8, 4, 13, 23)


def test_without_json_ld_the_meta_time_is_used_in_utc() -> None:
    parts = parse_html(_page(head='<meta property="article:published_time" content="2024-08-07T21:00:00+02:00">'))
    assert parts is not None
    assert (parts.published_at, parts.published_precision) == (datetime(2024, 8, 7, 19, 0), "second")


def test_a_page_stating_a_day_alone_has_day_precision() -> None:
    parts = parse_html(_page(head='<meta name="date" content="2024-08-07">'))
    assert parts is not None
    assert (parts.published_at, parts.published_precision) == (datetime(2024, 8, 7), "day")


def test_authors_come_from_json_ld_else_from_meta() -> None:
    people = {"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ana  Lopez"}, "Ben Ode", {"url": "x"}]}
    parts = parse_html(_page(head=_json_ld(people)))
    assert parts is not None and parts.authors == ("Ana Lopez", "Ben Ode")
    one = parse_html(_page(head=_json_ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "AP"}})))
    assert one is not None and one.authors == ("AP",)
    meta = parse_html(_page(head='<meta name="author" content="Carla Diaz">'))
    assert meta is not None and meta.authors == ("Carla Diaz",)
    assert parse_html(_page()) is not None and parse_html(_page()).authors == ()  # type: ignore[union-attr]


def test_json_ld_is_read_as_extruct_reads_it() -> None:
    # Raw newlines in strings, comments and trailing commas: the JSON reader refused each of these pages.
    for script in (
        '{"@type": "NewsArticle", "datePublished": "2024-08-07T21:00:00Z", "articleBody": "one\ntwo"}',
        '// generated\n{"@type": "NewsArticle", "datePublished": "2024-08-07T21:00:00Z"}',
        '{"@type": "NewsArticle", "datePublished": "2024-08-07T21:00:00Z",}',
        '/*<![CDATA[*/{"@type": "NewsArticle", "datePublished": "2024-08-07T21:00:00Z"}/*]]>*/',
    ):
        script = script.replace("\\n", "\n")
        parts = parse_html(_page(head=f'<script type="application/ld+json">{script}</script>'))
        assert parts is not None and parts.published_at == datetime(2024, 8, 7, 21, 0), script


def test_broken_json_ld_is_ignored() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": </script>'
    head += '<meta property="article:published_time" content="2024-08-07T21:00:00Z">'
    parts = parse_html(_page(head=head).encode("utf-8"))
    assert parts is not None
    assert parts.published_at == datetime(2024, 8, 7, 21, 0)
    assert parts.body.startswith("Paragraph 1")


def test_the_headline_comes_from_json_ld_and_leaves_the_top_of_the_body() -> None:
    head = '<meta property="og:title" content="Council publishes figures | Example News">' + _json_ld(
        {"@type": "NewsArticle", "headline": "Council&#8217;s figures  are out"}
    )
    parts = parse_html(_page(head=head, body="<h1>Council’s figures are out</h1>"))
    assert parts is not None
    assert parts.title == "Council’s figures are out"
    assert parts.body.startswith("Paragraph 1")


def test_the_headline_is_kept_where_it_is_not_at_the_top() -> None:
    paragraphs = [*_PARAGRAPHS[:2], "Council figures are out", *_PARAGRAPHS[2:]]
    head = _json_ld({"@type": "NewsArticle", "headline": "Council figures are out"})
    parts = parse_html(_page(head=head, paragraphs=paragraphs))
    assert parts is not None
    assert "\n\nCouncil figures are out\n\n" in parts.body


def test_a_longer_stated_article_body_replaces_a_partial_extraction() -> None:
    later = [p.replace("Paragraph", "Later paragraph") for p in _PARAGRAPHS * 2]
    stated = "\n".join([*_PARAGRAPHS[:3], *later])
    head = _json_ld({"@type": "NewsArticle", "articleBody": stated})
    parts = parse_html(_page(head=head, paragraphs=_PARAGRAPHS[:3]))
    assert parts is not None
    assert parts.body.split("\n\n") == [*_PARAGRAPHS[:3], *later]


def test_a_teaser_article_body_does_not_replace_the_text() -> None:
    teaser = _PARAGRAPHS[0][:80]
    other = "A different story about a football match, its goals, its players and a late penalty. " * 30
    for stated in (teaser, other, f"<p>{' '.join(_PARAGRAPHS * 3)}</p>"):
        parts = parse_html(_page(head=_json_ld({"@type": "NewsArticle", "articleBody": stated})))
        assert parts is not None
        assert parts.body.split("\n\n") == _PARAGRAPHS, stated[:40]
