"""Tests of extractors/records.py: JSON Lines article records."""

from __future__ import annotations

import json
from datetime import datetime

from extractors.plaintext import ParsedText
from extractors.records import RecordError, parse_published, parse_record


def test_a_full_record() -> None:
    line = json.dumps(
        {
            "title": "Shelling in Kharkiv",
            "text": "Russian forces shelled Kharkiv, killing two civilians.\n\nPhoto: AP/dpa\n\nMore text here.",
            "url": "https://example.org/a/1",
            "outlet": "Example Times",
            "published_at": "2022-03-03T18:30:00+01:00",
        }
    )
    outcome = parse_record(line)
    assert not isinstance(outcome, RecordError)
    parts, uri = outcome
    assert isinstance(parts, ParsedText)
    assert uri == "https://example.org/a/1"
    assert parts.title == "Shelling in Kharkiv"
    assert parts.outlet == "Example Times"
    assert parts.published_at == datetime(2022, 3, 3, 17, 30)
    assert parts.published_precision == "second"
    assert parts.body == "Russian forces shelled Kharkiv, killing two civilians.\n\nMore text here."


def test_a_record_without_title_takes_the_first_line() -> None:
    outcome = parse_record(json.dumps({"body": "The headline\n\nThe body text."}))
    assert not isinstance(outcome, RecordError)
    parts, uri = outcome
    assert parts.title == "The headline"
    assert parts.body == "The body text."
    assert uri is None


def test_bad_records() -> None:
    assert parse_record("{not json") == RecordError(
        "unparseable", "invalid JSON: Expecting property name enclosed in double quotes at column 2"
    )
    missing = parse_record(json.dumps({"title": "only a title"}))
    assert isinstance(missing, RecordError) and missing.reason == "no_text"
    listed = parse_record("[1, 2]")
    assert isinstance(listed, RecordError) and listed.reason == "unparseable"


def test_published_values() -> None:
    assert parse_published("2024-10-25") == (datetime(2024, 10, 25), "day")
    assert parse_published("2024-10-25T10:48Z") == (datetime(2024, 10, 25, 10, 48), "minute")
    assert parse_published("October 25, 2024") == (datetime(2024, 10, 25), "day")
    assert parse_published("soon") is None
