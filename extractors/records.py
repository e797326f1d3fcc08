"""JSON Lines records to article parts: one JSON object per line with the article's fields."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from extractors.plaintext import ParsedText, parse_date_line, parse_plaintext
from schemas import Precision

TEXT_FIELDS = ("text", "body", "content")
TITLE_FIELDS = ("title", "headline")
OUTLET_FIELDS = ("outlet", "source", "sitename", "publisher")
DATE_FIELDS = ("published_at", "published", "date", "pubDate")
URI_FIELDS = ("url", "uri", "link", "id")


@dataclass(frozen=True)
class RecordError:
    """Why a record is not an article: `unparseable` (not a JSON object) or `no_text`."""

    reason: str
    detail: str


def _first(record: dict[str, Any], fields: tuple[str, ...]) -> Any:
    for field in fields:
        value = record.get(field)
        if value not in (None, ""):
            return value
    return None


def parse_published(value: str) -> tuple[datetime, Precision] | None:
    """Read an ISO 8601 timestamp or a stated date; zoned times are converted to naive UTC."""
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


def parse_record(line: str) -> tuple[ParsedText, str | None] | RecordError:
    """Read one JSON Lines record as an article.

    Fields (first present wins): text from `text`, `body` or `content` (required); title from
    `title` or `headline` (else the text's first line); outlet from `outlet`, `source`,
    `sitename` or `publisher`; published time from `published_at`, `published`, `date` or
    `pubDate`; the article's address from `url`, `uri`, `link` or `id`. The text is cleaned of
    boilerplate lines as plain text is; stated fields win over what the text says of itself.

    Args:
        line: one line of a .jsonl file, decoded.

    Returns:
        The parts and the record's own address (or None), or a RecordError.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return RecordError("unparseable", f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(record, dict):
        return RecordError("unparseable", f"a JSON {type(record).__name__}, not an object")
    text = _first(record, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        return RecordError("no_text", f"no text in any of the fields {', '.join(TEXT_FIELDS)}")
    title = _first(record, TITLE_FIELDS)
    parsed = parse_plaintext(f"{title}\n\n{text}" if isinstance(title, str) and title.strip() else text)
    outlet = _first(record, OUTLET_FIELDS)
    published = None
    date = _first(record, DATE_FIELDS)
    if isinstance(date, str):
        published = parse_published(date)
    elif isinstance(date, (int, float)):
        published = parse_date_line(str(int(date)))
    uri = _first(record, URI_FIELDS)
    return (
        ParsedText(
            title=parsed.title,
            body=parsed.body,
            outlet=str(outlet) if outlet else parsed.outlet,
            published_at=published[0] if published else parsed.published_at,
            published_precision=published[1] if published else parsed.published_precision,
        ),
        str(uri) if uri is not None else None,
    )
