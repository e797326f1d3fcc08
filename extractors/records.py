"""JSON Lines records to article parts: one JSON object per line with the article's fields."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from extractors.plaintext import ParsedText, parse_date_line, parse_plaintext
from schemas import Precision, valid_unicode

TEXT_FIELDS = ("text", "body", "content")
TITLE_FIELDS = ("title", "headline")
OUTLET_FIELDS = ("outlet", "source", "sitename", "publisher")
DATE_FIELDS = ("published_at", "published", "date", "pubDate")
URI_FIELDS = ("url", "uri", "link", "id")
AUTHOR_FIELDS = ("authors", "author", "byline")


def _authors(value: Any) -> tuple[str, ...]:
    """Names from an author field: a string, an object with a `name`, or a list of either; each once."""
    people = value if isinstance(value, list) else [value]
    names: dict[str, None] = {}
    for person in people:
        if isinstance(person, dict):
            person = person.get("name")
        if isinstance(person, str) and " ".join(person.split()):
            names.setdefault(" ".join(valid_unicode(person)[0].split()), None)
    return tuple(names)

MAX_DEPTH = 64
"""Arrays and objects nested deeper than this make a record unparseable. An article is a flat
object; Python's JSON reader recurses once per level and gives up with a RecursionError near
1,000 levels, so the limit is checked before it reads."""
MAX_INT_DIGITS = 100
"""A longer integer is read as a float (infinite past 309 digits) rather than converted digit by
digit: Python refuses integers of more than 4,300 digits with a ValueError."""
_NOTE_VALUE_CHARS = 60

# A JSON string (escapes included) or one bracket: brackets inside strings are not structure.
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


@dataclass(frozen=True)
class RecordError:
    """Why a record is not an article: `unparseable` (not a JSON object) or `no_text`."""

    reason: str
    detail: str


@dataclass(frozen=True)
class Record:
    """A record read as an article: its parts, its own address (or None), and what was repaired."""

    parts: ParsedText
    uri: str | None
    notes: tuple[str, ...] = ()


def _first(record: dict[str, Any], fields: tuple[str, ...]) -> tuple[str, Any]:
    for field in fields:
        value = record.get(field)
        if value not in (None, ""):
            return field, value
    return "", None


def _nested_deeper(line: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` anywhere in the line (strings skipped)."""
    if line.count("[") + line.count("{") <= limit:
        return False
    depth = 0
    for token in _STRUCTURE.finditer(line):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif bracket in ("]", "}"):
            depth -= 1
    return False


def _integer(digits: str) -> int | float:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else float(digits)


def parse_published(value: str) -> tuple[datetime, Precision] | None:
    """Read an ISO 8601 timestamp or a stated date; zoned times are converted to naive UTC.

    Raises:
        OverflowError: a zoned time whose UTC falls outside the years 1 to 9999
            (`9999-12-31T23:59:59-23:59`).
    """
    text = value.strip()
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return parse_date_line(text)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    if len(text) <= 10:
        return stamp, "day"
    return stamp, ("second" if text.count(":") >= 2 else "minute")


def _published_field(field: str, value: Any) -> tuple[tuple[datetime, Precision] | None, str | None]:
    """The published time a record's date field states, or a note saying why the field is ignored."""
    shown = repr(value)[:_NOTE_VALUE_CHARS]
    if isinstance(value, str):
        try:
            return parse_published(value), None
        except OverflowError:
            return None, f"{field} {shown} is out of the range of times; ignored"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f"{field} {shown} is not a finite number; ignored"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_date_line(str(int(value))), None
    return None, None


def parse_record(line: str) -> Record | RecordError:
    """Read one JSON Lines record as an article.

    Fields (first present wins): text from `text`, `body` or `content` (required); title from
    `title` or `headline` (else the text's first line); outlet from `outlet`, `source`,
    `sitename` or `publisher`; published time from `published_at`, `published`, `date` or
    `pubDate`; the article's address from `url`, `uri`, `link` or `id`; authors from `authors`,
    `author` or `byline` (a name, an object with a `name`, or a list of them). The text is cleaned of
    boilerplate lines as plain text is; stated fields win over what the text says of itself.

    A field's impossible value does not cost the article: a date that is not a finite number or
    is out of the range of times is ignored (the text's own date line, if any, stands), and lone
    surrogates (`\\ud800`) in the strings are replaced by U+FFFD; the record's notes say so.

    Args:
        line: one line of a .jsonl file, decoded.

    Returns:
        The record's parts, address and notes, or a RecordError.
    """
    if _nested_deeper(line, MAX_DEPTH):
        return RecordError("unparseable", f"arrays or objects nested deeper than {MAX_DEPTH} levels")
    try:
        record = json.loads(line, parse_int=_integer)
    except json.JSONDecodeError as exc:
        return RecordError("unparseable", f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:  # a nesting the check above let through
        return RecordError("unparseable", "arrays or objects nested too deep to read")
    if not isinstance(record, dict):
        return RecordError("unparseable", f"a JSON {type(record).__name__}, not an object")
    n_repaired = 0

    def text_of(value: Any) -> str:
        nonlocal n_repaired
        valid, n = valid_unicode(value if isinstance(value, str) else str(value))
        n_repaired += n
        return valid

    _, text = _first(record, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        return RecordError("no_text", f"no text in any of the fields {', '.join(TEXT_FIELDS)}")
    text = text_of(text)
    _, title = _first(record, TITLE_FIELDS)
    title = text_of(title) if isinstance(title, str) else None
    parsed = parse_plaintext(f"{title}\n\n{text}" if title and title.strip() else text)
    _, outlet = _first(record, OUTLET_FIELDS)
    published, note = _published_field(*_first(record, DATE_FIELDS))
    _, uri = _first(record, URI_FIELDS)
    _, people = _first(record, AUTHOR_FIELDS)
    parts = ParsedText(
        title=parsed.title,
        body=parsed.body,
        outlet=text_of(outlet) if outlet else parsed.outlet,
        published_at=published[0] if published else parsed.published_at,
        published_precision=published[1] if published else parsed.published_precision,
        authors=_authors(people),
    )
    uri = text_of(uri) if uri is not None else None
    notes = [note] if note else []
    if n_repaired:
        notes.append(f"{n_repaired} lone surrogate{'s' if n_repaired > 1 else ''} replaced by U+FFFD")
    return Record(parts, uri, tuple(notes))
