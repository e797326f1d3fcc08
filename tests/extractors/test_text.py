"""Tests of extractors/text.py: a batch of raw documents to articles and rejects."""

from __future__ import annotations

import json
from datetime import UTC, datetime

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
