"""Tests of extractors/text.py: a batch of raw documents to articles and rejects."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from extractors.text import ParseOptions, detect_language, parse_batch
from schemas import DocumentKind, RawDocument, Reject
from tests.conftest import SEEDS


def doc(content: bytes, kind: DocumentKind = "text", uri: str = "file:///x.txt") -> RawDocument:
    return RawDocument(source="test", uri=uri, content=content, kind=kind, fetched_at=datetime.now(UTC))


def test_one_result_per_document_in_order() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    docs = [doc(p.read_bytes(), uri=p.as_uri()) for p in seeds]
    docs.insert(2, doc(b""))
    results = parse_batch(docs)
    assert len(results) == 6
    assert results[2].reject is not None and results[2].reject.reason == "empty"
    articles = [r.article for r in results if r.article]
    assert [a.uri for a in articles] == [p.as_uri() for p in seeds]
    assert all(a.language == "en" for a in articles)
    assert all(a.word_count > 400 for a in articles)
    assert all(a.encoding == "utf-8" for a in articles)


def test_the_size_cap_rejects_before_reading() -> None:
    (result,) = parse_batch([doc(b"x" * 101)], options=ParseOptions(max_bytes=100))
    assert result.reject is not None
    assert result.reject.reason == "too_large"
    assert result.reject.size_bytes == 101


def test_a_title_without_body_is_no_text() -> None:
    (result,) = parse_batch([doc(b"Only a headline\n\nSDA\n")])
    assert result.reject is not None and result.reject.reason == "no_text"


def test_a_jsonl_record_keeps_its_own_url() -> None:
    record = {
        "title": "Aid package",
        "text": "The USA pledged a new package of military aid worth 425 million dollars.",
        "url": "https://example.org/aid",
    }
    (result,) = parse_batch([doc(json.dumps(record).encode(), kind="jsonl", uri="file:///f.jsonl#L1")])
    assert result.article is not None
    assert result.article.uri == "https://example.org/aid"
    assert result.article.title == "Aid package"


def test_languages_are_detected() -> None:
    assert detect_language("Der Präsident sagte am Donnerstag, die Lage im Osten sei sehr schwierig.") == "de"
    assert detect_language("Le président a déclaré jeudi que la situation à l'est était très difficile.") == "fr"
    assert detect_language("short") is None


class BrokenZone(tzinfo):
    """A time zone that fails when asked for its offset: a step of the text stage raises."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("no offset today")

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "broken"


def test_a_document_a_step_raises_on_is_a_parse_error_and_the_batch_goes_on() -> None:
    text = b"Headline\n\nRussian forces shelled Kharkiv overnight, killing two civilians."
    broken = doc(text).model_copy(update={"published_hint": datetime(2024, 1, 1, tzinfo=BrokenZone())})
    results = parse_batch([doc(text, uri="file:///a.txt"), broken, doc(text, uri="file:///c.txt")])
    assert [r.article.uri if r.article else None for r in results] == ["file:///a.txt", None, "file:///c.txt"]
    reject = results[1].reject
    assert reject is not None and (reject.reason, reject.detail) == ("parse_error", "RuntimeError: no offset today")


def test_a_source_date_out_of_range_is_ignored_with_a_note() -> None:
    text = b"Headline\n\nRussian forces shelled Kharkiv overnight, killing two civilians."
    late = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59)))
    (result,) = parse_batch([doc(text).model_copy(update={"published_hint": late})])
    assert result.article is not None and result.article.published_at is None
    assert result.notes == (
        "the source's published time 9999-12-31T23:59:00-23:59 is out of the range of times; ignored",
    )


def test_lone_surrogates_a_page_states_are_replaced_before_language_detection() -> None:
    body = "Russian forces shelled Kharkiv overnight, killing two civilians, the regional governor said."
    ld = '{"@type": "NewsArticle", "headline": "Kharkiv \\ud800 shelled"}'
    page = (
        f'<html><head><script type="application/ld+json">{ld}</script></head>'
        f"<body><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    (result,) = parse_batch([doc(page.encode(), kind="html", uri="file:///p.html")])
    assert result.article is not None
    assert result.article.title == "Kharkiv \ufffd shelled" and result.article.language == "en"
    assert result.notes == ("1 lone surrogate replaced by U+FFFD",)


def test_an_article_on_one_line_is_stored_with_a_title_as_text_and_as_a_record() -> None:
    line = (
        "Pentagon: 10,000 soldiers from North Korea in Russia. Washington (dpa) - According to the US "
        "Department of Defense, around 10,000 North Korean soldiers are in Russia."
    )
    plain, record = parse_batch(
        [doc(line.encode()), doc(json.dumps({"text": line}).encode(), kind="jsonl", uri="file:///f.jsonl#L1")]
    )
    for result in (plain, record):
        assert result.article is not None, result.reject
        assert result.article.title == "Pentagon: 10,000 soldiers from North Korea in Russia"
        assert result.article.text.startswith("Washington (dpa) - According to the US Department")


def test_a_text_of_web_addresses_is_a_url_list_not_an_article() -> None:
    listing = b"# pages to read\nhttps://example.org/a/1\n\nhttp://example.org/a/2?x=1#top\n"
    mixed = b"https://example.org/a/1\nRussian forces shelled Kharkiv overnight, officials said.\n"
    (listed, article) = parse_batch([doc(listing), doc(mixed + b"More words of the article follow here.\n")])
    assert listed.reject is not None and listed.reject.reason == "url_list"
    assert listed.reject.detail.startswith("a list of 2 web addresses") and "newsflow run -i" in listed.reject.detail
    assert article.article is not None  # an article that opens with its address stays an article


_SENTENCE = "Officials in Kharkiv said the shelling went on through the night and into the morning. "
_PAGE_TEXT = f"<p>{_SENTENCE * 8}</p>"


def _page(head: str = "") -> bytes:
    page = f"<html><head><title>Shelling</title>{head}</head><body><article>{_PAGE_TEXT}</article></body></html>"
    return page.encode()


def test_placeholder_and_future_times_are_left_null_with_a_note() -> None:
    fetched = datetime(2026, 2, 17, 12, 0, tzinfo=UTC)
    for stated, kept in (
        ("0001-01-01T00:00:00Z", None),  # a placeholder, stored as 0001-01-01 before
        ("1899-12-31", None),
        ("2026-02-18T13:00:00Z", None),  # a day and an hour after it was fetched
        ("2026-02-18T11:00:00+00:00", datetime(2026, 2, 18, 11, 0)),  # within a day: a zone ahead of ours
        ("2026-02-16T20:00:14+01:00", datetime(2026, 2, 16, 19, 0, 14)),
    ):
        head = f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{stated}"}}</script>'
        document = RawDocument(source="s", uri="https://x.org/a", content=_page(head), kind="html", fetched_at=fetched)
        (result,) = parse_batch([document])
        assert result.article is not None and result.article.published_at == kept, stated
        if kept is None:
            assert result.article.published_precision == "unknown"
            assert any("left NULL" in note for note in result.notes), stated


def test_a_feed_time_completes_a_page_that_states_its_day_alone() -> None:
    fetched = datetime(2026, 2, 17, 12, 0, tzinfo=UTC)
    hint = datetime(2026, 2, 16, 20, 0, 14, tzinfo=UTC)
    for head, expected in (
        ('<meta name="date" content="2026-02-16">', (datetime(2026, 2, 16, 20, 0, 14), "second")),
        ('<meta name="date" content="2026-02-15">', (datetime(2026, 2, 15), "day")),  # another day: the page's
        ("", (datetime(2026, 2, 16, 20, 0, 14), "second")),
    ):
        document = RawDocument(
            source="s", uri="https://x.org/a", content=_page(head), kind="html", fetched_at=fetched, published_hint=hint
        )
        (result,) = parse_batch([document])
        assert result.article is not None
        assert (result.article.published_at, result.article.published_precision) == expected, head


def test_a_feed_entrys_authors_stand_in_for_a_page_that_names_none() -> None:
    base: dict[str, Any] = {"source": "s", "uri": "https://x.org/a", "kind": "html", "fetched_at": datetime.now(UTC)}
    (plain,) = parse_batch([RawDocument(content=_page(), authors_hint=("Ana Lopez",), **base)])
    assert plain.article is not None and plain.article.authors == ["Ana Lopez"]
    named = _page('<meta name="author" content="Ben Ode">')
    (own,) = parse_batch([RawDocument(content=named, authors_hint=("Ana Lopez",), **base)])
    assert own.article is not None and own.article.authors == ["Ben Ode"]


def test_feed_text_standing_in_for_a_page_is_marked_or_gives_the_pages_reject() -> None:
    failure = Reject(source="s", uri="https://x.org/a", reason="http_503", detail="HTTP 503; tried again next run")
    base: dict[str, Any] = {"source": "s", "uri": "https://x.org/a", "kind": "html", "fetched_at": datetime.now(UTC)}
    (kept,) = parse_batch([RawDocument(content=_page(), text_from="feed", page_failure=failure, **base)])
    assert kept.article is not None and kept.article.text_from == "feed"
    assert any("could not be fetched (http_503" in note for note in kept.notes)
    empty = b"<html><head><title>Shelling</title></head><body><h1>Shelling</h1></body></html>"
    (lost,) = parse_batch([RawDocument(content=empty, text_from="feed", page_failure=failure, **base)])
    assert lost.article is None and lost.reject is not None
    assert lost.reject.reason == "http_503" and "the feed's own text was not kept either" in lost.reject.detail
