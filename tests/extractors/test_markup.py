"""Tests of extractors/markup.py: raw markup refused before lxml and trafilatura see it."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from extractors.markup import MAX_ATTRIBUTES, MAX_TAGS, check_markup
from extractors.text import ParseOptions, parse_batch
from schemas import RawDocument
from tests.conftest import ROOT

NEWS_PAGE = ROOT / "tests" / "fixtures" / "ninenews_2024_05_02.html.gz"


def attributes_page(n: int, *, valued: bool = True) -> str:
    attributes = " ".join(f'data-a{i}="v"' if valued else f"a{i}" for i in range(n))
    return f"<html><body><div {attributes}>x</div><p>{'Some words of the page. ' * 20}</p></body></html>"


def test_the_page_of_200000_attributes_is_refused_by_its_tag() -> None:
    reason = check_markup(attributes_page(200_000))
    assert reason == "a <div> tag with 200,000 attributes, over the limit of 1,000"


def test_attributes_without_values_count_too() -> None:
    assert check_markup(attributes_page(MAX_ATTRIBUTES + 1, valued=False)) is not None
    assert check_markup(attributes_page(MAX_ATTRIBUTES, valued=False)) is None


def test_a_long_value_is_one_attribute() -> None:
    # An inlined image or a framework's state in one attribute: long, with spaces, but few attributes.
    page = '<img alt="a photo" src="data:image/png;base64,' + "iVBORw0KGgo" * 100_000 + '">'
    page += "<div data-state='" + '{"a": 1, "b": [1, 2, 3]} ' * 20_000 + "'>x</div>"
    assert check_markup(page) is None


def test_too_many_tags_are_refused() -> None:
    assert check_markup("<p>x</p>" * (MAX_TAGS + 1)) == "100,001 tags, over the limit of 100,000"
    assert check_markup("<p>x</p>" * MAX_TAGS) is None
    # Angle brackets in text do not count as tags.
    assert check_markup("<p>" + "a < b " * (MAX_TAGS + 1) + "</p>") is None


def test_scripts_styles_and_comments_hold_no_tags() -> None:
    # Minified script, as three real pages of news-html-gold carry it: `e<a` is a comparison, and a
    # run of 2,000 characters without `<` or `>` after it once read as a tag of 1,094 attributes.
    script = "for(var d=0;e<a.length;++d)if(c===a[d].toLowerCase())return!0;" + "var x = y ; " * 2_000
    for wrapped in (f"<script>{script}</script>", f"<SCRIPT type='text/javascript'>{script}</SCRIPT >"):
        assert check_markup(f"<html><body>{wrapped}<p>Text.</p></body></html>") is None
    assert check_markup("<style>" + "a<b{} " * (MAX_TAGS + 1) + "</style>") is None
    assert check_markup("<!-- " + "<p>" * (MAX_TAGS + 1) + " -->") is None
    # An unclosed script runs to the end of the page, for the parser as here; tags before it count.
    assert check_markup("<p>x</p>" * (MAX_TAGS + 1) + "<script>" + "<b>" * 10) is not None
    # The same tags outside any script are refused.
    assert check_markup(f"<div {script}>x</div>".replace("<a", " a")) is not None


def test_a_real_news_page_passes() -> None:
    assert check_markup(gzip.decompress(NEWS_PAGE.read_bytes()).decode("utf-8")) is None


def test_the_limits_are_options_of_the_text_stage() -> None:
    page = attributes_page(50).encode()
    doc = RawDocument(source="t", uri="file:///a.html", content=page, kind="html", fetched_at=datetime.now(UTC))
    (kept,) = parse_batch([doc])
    (refused,) = parse_batch([doc], options=ParseOptions(max_attributes=10))
    assert kept.article is not None
    assert refused.reject is not None and refused.reject.reason == "too_complex"
    assert refused.reject.detail == "a <div> tag with 50 attributes, over the limit of 10; not parsed"
    assert refused.reject.size_bytes == len(page)
    (many,) = parse_batch([doc], options=ParseOptions(max_tags=3))
    assert many.reject is not None and many.reject.detail.startswith("4 tags, over the limit of 3")
