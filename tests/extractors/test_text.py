"""Tests of extractors/text.py: a batch of raw documents to articles and rejects."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from extractors.text import ParseOptions, detect_language, parse_batch
from schemas import DocumentKind, RawDocument
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
