"""HTML pages to article parts through trafilatura and the page's schema.org data: text, title, date, site name."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import trafilatura

from extractors.plaintext import ParsedText
from extractors.times import read_stamp
from schemas import Precision

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
        data = _json_ld(script.decode("utf-8", "replace") if isinstance(script, bytes) else script)
        for node in _walk(data):
            if _is_article(node):
                return node
    return {}


def _json_ld(script: str) -> Any:
    """One JSON-LD script read as extruct reads it: control characters allowed in strings, then, when
    that fails, HTML and JavaScript comments, CDATA markers and trailing commas forgiven. None when broken.

    The scripts are found by a regular expression on the page's text, not in an lxml tree as
    extruct's `JsonLdExtractor` finds them: the same nodes on news-html-gold in a fifth of the time
    (`python -m bench.html_eval`). extruct is imported only for a script that needs its repairs:
    importing it costs 0.3 s (rdflib, mf2py) that a run should not pay at start-up.
    """
    try:
        return json.loads(script, strict=False)
    except (ValueError, RecursionError):
        pass
    import jstyleson  # type: ignore[import-untyped]
    from extruct.jsonld import HTML_OR_JS_COMMENTLINE  # type: ignore[import-untyped]

    try:
        return jstyleson.loads(HTML_OR_JS_COMMENTLINE.sub("", script), strict=False)
    except (ValueError, RecursionError, TypeError, IndexError):  # broken JSON-LD is common; the page may still be read
        return None


def _stated(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else ""


def _time(value: str | None) -> tuple[datetime, Precision] | None:
    """A stated published time (JSON-LD, htmldate's reading of `<meta>` and the page) as naive UTC."""
    stated = read_stamp(value)
    if stated is None:
        return None
    stamp, precision = stated
    # htmldate writes a date it found without a time as midnight with no zone.
    if value and value.endswith("T00:00:00") and precision == "second":
        return stamp, "day"
    return stamp, precision


def _person(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else ""


def _authors(node: dict[str, Any], found: str | None) -> tuple[str, ...]:
    """The article's authors: its JSON-LD `author` (a name, a Person or Organization, or a list of
    them), else what trafilatura found in `<meta>` tags and the byline ("A; B")."""
    stated = node.get("author")
    people = stated if isinstance(stated, list) else [stated]
    names = [part for person in people for part in _split_names(_person(person))]
    if not any(names) and found:
        names = [part for name in found.split(";") for part in _split_names(name.strip())]
    kept: dict[str, str] = {}
    for name in names:
        # "Sophie Foster" and its slug "Sophie-Foster" are one person.
        if name and not name.startswith(("http://", "https://")):
            kept.setdefault(_NAME_KEY.sub(" ", name.casefold()), name)
    return tuple(kept.values())


_NAME_KEY = re.compile(r"[\s_-]+")
_NAME_LIST = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")


def _split_names(name: str) -> list[str]:
    """One field naming several people ("Ana Lopez and Ben Ode", "A B, C D and E F") as its names;
    a field whose parts are not each a name of two words or more ("AFP, Manila") stays whole."""
    parts = _NAME_LIST.split(name)
    if len(parts) > 1 and all(len(part.split()) >= 2 for part in parts):
        return parts
    return [name]


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

    The main text is trafilatura's; the title, published time, authors and, where trafilatura lost
    much of the article, the body come first from the page's own schema.org Article (JSON-LD
    `headline`, `datePublished`, `author`, `articleBody`), then from trafilatura's metadata
    (og:title; htmldate, which reads `<meta>` and the page, for the time; `<meta>` and the byline
    for authors). Times keep their clock and zone where stated, as naive UTC with the precision
    written (`second`, `minute`, `day`). A headline repeated at the top of the text is not body.
    trafilatura runs without its process-global deduplication cache, so the result depends on the
    page alone.

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
        date_extraction_params=_date_params(),
    )
    extracted = str(getattr(document, "text", None) or "")
    found_title = " ".join(str(getattr(document, "title", None) or "").split())
    title = _stated(node, "headline") or found_title
    text = _stated_body(node, extracted) or extracted
    titles = {" ".join(_words(t)) for t in (title, found_title) if t}
    body = "\n\n".join(_paragraphs(text, titles))
    if not body:
        return None
    published = _time(_stated(node, "datePublished")) or _time(getattr(document, "date", None))
    return ParsedText(
        title=title,
        body=body,
        outlet=getattr(document, "sitename", None) or None,
        published_at=published[0] if published else None,
        published_precision=published[1] if published else "unknown",
        authors=_authors(node, getattr(document, "author", None)),
    )


def _date_params() -> dict[str, Any]:
    """htmldate's options as trafilatura passes them, with the time and zone kept when the page states them."""
    return {
        "original_date": True,
        "extensive_search": True,
        "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        # A page published today in a zone ahead of this machine's is still today's.
        "max_date": (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d"),
    }
