"""HTML pages to article parts through trafilatura and the page's schema.org data: text, title, date, site name."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import trafilatura

from extractors.plaintext import ParsedText

_WORD = re.compile(r"\w+")
# JSON-LD is read from the page's text rather than from a parsed tree: trafilatura is faster given
# the text than given a tree it must copy (measured: 31 against 24 pages/s on news-html-gold).
_JSON_LD = re.compile(r"<script[^>]*ld\+json[^>]*>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_JSON_LD_BYTES = re.compile(_JSON_LD.pattern.encode(), re.DOTALL | re.IGNORECASE)
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>")
# A stated body replaces trafilatura's text only when it is much longer and holds nearly all of it:
# then trafilatura lost part of the article (measured on news-html-gold: a long feature cut in half).
_LONGER = 1.5
_CONTAINS = 0.9


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a JSON-LD document, parents before their children."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _is_article(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.endswith(("Article", "Posting")) for kind in kinds)


def _article_node(page: bytes | str) -> dict[str, Any]:
    """The first schema.org Article (NewsArticle, ReportageNewsArticle, LiveBlogPosting...) of the page.

    Parents come before children, so a live blog wins over its own updates. Empty when there is none.
    """
    if isinstance(page, bytes):
        scripts: list[bytes] | list[str] = _JSON_LD_BYTES.findall(page) if b"ld+json" in page else []
    else:
        scripts = _JSON_LD.findall(page) if "ld+json" in page else []
    for script in scripts:
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):  # broken JSON-LD is common; the page may still be read
            continue
        for node in _walk(data):
            if _is_article(node):
                return node
    return {}


def _stated(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else ""


# Pages state placeholder dates in their metadata ("0001-01-01", "9999-12-31"): a published day
# outside these years is no date at all, and one that would break date arithmetic downstream.
_FIRST_YEAR, _LAST_YEAR = 1900, 2199


def _day(value: str | None) -> datetime | None:
    """The calendar day of an ISO date or timestamp, in the offset it is written with; None for a
    placeholder date outside the years news is published in."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            stamp = datetime.strptime(value.strip()[:10], "%Y-%m-%d")
        except ValueError:
            return None
    if not _FIRST_YEAR <= stamp.year <= _LAST_YEAR:
        return None
    return datetime(stamp.year, stamp.month, stamp.day)


def _stated_body(node: dict[str, Any], extracted: str) -> str | None:
    """The article's own articleBody when it holds what trafilatura found and much more; else None."""
    stated = node.get("articleBody")
    if not isinstance(stated, str) or _MARKUP.search(stated):
        return None
    stated = html.unescape(stated)
    ours, theirs = Counter(_words(extracted)), Counter(_words(stated))
    found = sum(ours.values())
    if sum(theirs.values()) < max(_LONGER * found, 1):
        return None
    if found and sum((ours & theirs).values()) / found < _CONTAINS:
        return None
    return stated


def _paragraphs(text: str, titles: set[str]) -> list[str]:
    """Non-empty lines of the text, less the headline where the page repeats it at the top."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while lines and " ".join(_words(lines[0])) in titles:
        lines.pop(0)
    return lines


def parse_html(data: bytes | str) -> ParsedText | None:
    """Extract the main text and metadata of an HTML page.

    The main text is trafilatura's; the title, published date and, where trafilatura lost much of
    the article, the body come first from the page's own schema.org Article (JSON-LD `headline`,
    `datePublished`, `articleBody`), then from trafilatura's metadata (og:title, htmldate). A
    headline repeated at the top of the text is not body. trafilatura runs without its
    process-global deduplication cache, so the result depends on the page alone.

    Args:
        data: the page, as bytes (trafilatura reads the declared charset) or decoded text.

    Returns:
        The parts, or None when neither trafilatura nor the page's articleBody gives main text.
    """
    node = _article_node(data)
    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    extracted = str(getattr(document, "text", None) or "")
    found_title = " ".join(str(getattr(document, "title", None) or "").split())
    title = _stated(node, "headline") or found_title
    text = _stated_body(node, extracted) or extracted
    titles = {" ".join(_words(t)) for t in (title, found_title) if t}
    body = "\n\n".join(_paragraphs(text, titles))
    if not body:
        return None
    published = _day(_stated(node, "datePublished")) or _day(getattr(document, "date", None))
    return ParsedText(
        title=title,
        body=body,
        outlet=getattr(document, "sitename", None) or None,
        published_at=published,
        published_precision="day" if published else "unknown",
    )
