"""Tests of extractors/records.py: JSON Lines article records."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from extractors.plaintext import ParsedText
from extractors.records import MAX_DEPTH, Record, RecordError, parse_published, parse_record


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
    parts, uri = outcome.parts, outcome.uri
    assert isinstance(parts, ParsedText) and outcome.notes == ()
    assert uri == "https://example.org/a/1"
    assert parts.title == "Shelling in Kharkiv"
    assert parts.outlet == "Example Times"
    assert parts.published_at == datetime(2022, 3, 3, 17, 30)
    assert parts.published_precision == "second"
    assert parts.body == "Russian forces shelled Kharkiv, killing two civilians.\n\nMore text here."


def test_a_record_without_title_takes_the_first_line() -> None:
    outcome = parse_record(json.dumps({"body": "The headline\n\nThe body text."}))
    assert not isinstance(outcome, RecordError)
    parts, uri = outcome.parts, outcome.uri
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


BODY = "Russian forces shelled Kharkiv, killing two civilians, officials said."


def test_nesting_deeper_than_the_limit_is_unparseable_without_recursing() -> None:
    deep = '{"text": "' + BODY + '", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert parse_record(deep) == RecordError("unparseable", f"arrays or objects nested deeper than {MAX_DEPTH} levels")
    # Brackets inside strings are text, not structure; nesting up to the limit is read.
    shallow = json.dumps({"title": "[" * 500, "text": BODY, "extra": [[[[1]]]]})
    assert isinstance(parse_record(shallow), Record)
    at_limit = '{"text": "' + BODY + '", "extra": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    assert isinstance(parse_record(at_limit), Record)


@pytest.mark.parametrize(
    ("date", "note"),
    [
        ("NaN", "date nan is not a finite number; ignored"),
        ("Infinity", "date inf is not a finite number; ignored"),
        ("-Infinity", "date -inf is not a finite number; ignored"),
        ("1e400", "date inf is not a finite number; ignored"),
        ("9" * 5000, "date inf is not a finite number; ignored"),
        ('"9999-12-31T23:59:59-23:59"', "date '9999-12-31T23:59:59-23:59' is out of the range of times; ignored"),
        ('"0001-01-01T00:00:00+01:00"', "date '0001-01-01T00:00:00+01:00' is out of the range of times; ignored"),
    ],
)
def test_an_impossible_date_is_ignored_and_the_article_kept(date: str, note: str) -> None:
    line = '{"title": "Shelling", "text": "' + BODY + '\\n\\n2.11.2024 - 05:39", "date": ' + date + "}"
    outcome = parse_record(line)
    assert isinstance(outcome, Record)
    assert outcome.notes == (note,)
    # The text's own date line stands in for the ignored field.
    assert outcome.parts.published_at == datetime(2024, 11, 2, 5, 39)


def test_lone_surrogates_are_replaced_and_counted() -> None:
    line = '{"title": "bad \\ud800 title", "text": "' + BODY + ' \\udfff", "url": "https://e.org/\\ud800"}'
    outcome = parse_record(line)
    assert isinstance(outcome, Record)
    assert outcome.parts.title == "bad \ufffd title" and outcome.parts.body.endswith("\ufffd")
    assert outcome.uri == "https://e.org/\ufffd"
    assert outcome.notes == ("3 lone surrogates replaced by U+FFFD",)
    # A surrogate pair is one character, not two lone halves: nothing to repair.
    paired = parse_record('{"title": "\\ud83d\\ude00", "text": "' + BODY + '"}')
    assert isinstance(paired, Record) and paired.parts.title == "\U0001f600" and paired.notes == ()
