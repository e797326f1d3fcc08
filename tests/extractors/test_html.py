"""Tests of extractors/html.py on a real news page with gold text (fundus test data, MIT)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

from extractors.html import parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_a_real_news_page_gives_its_title_date_and_body() -> None:
    gold = json.loads((FIXTURES / "ninenews_2024_05_02.json").read_text("utf-8"))
    page = gzip.decompress((FIXTURES / "ninenews_2024_05_02.html.gz").read_bytes())
    parts = parse_html(page)
    assert parts is not None
    assert parts.title == gold["title"]
    assert parts.published_at == datetime.fromisoformat(gold["publishing_date"][:10])
    assert parts.published_precision == "day"
    gold_words = set(gold["body_text"].split())
    words = set(parts.body.split())
    assert len(gold_words & words) / len(gold_words) > 0.9


def test_a_page_without_main_text_gives_none() -> None:
    assert parse_html(b"<html><head><title>x</title></head><body></body></html>") is None
