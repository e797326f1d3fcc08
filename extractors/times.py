"""Published times as sources write them: ISO 8601 and RFC 2822 stamps to UTC, with how much was written."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from schemas import Precision

__all__ = ["FIRST_YEAR", "FUTURE_TOLERANCE", "implausible", "read_stamp", "to_utc"]

FIRST_YEAR = 1900
"""A published time before this year is a placeholder ("0001-01-01"), not a date."""
FUTURE_TOLERANCE = timedelta(days=1)
"""A published time more than this after the document was fetched is wrong (a zone read twice, a typo)."""

_CLOCK = re.compile(r"[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_RFC_CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
_DAY_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_utc(stamp: datetime) -> datetime:
    """A zoned time as naive UTC (how the tables keep times); a time without a zone as it is written.

    Raises:
        OverflowError: the zone moves the time out of the years 1-9999.
    """
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo is not None else stamp


def read_stamp(value: str | None) -> tuple[datetime, Precision] | None:
    """Read a published time as pages, feeds and records write it, to naive UTC with its precision.

    ISO 8601 (`2026-02-16`, `2026-02-16T20:00+01:00`, `2026-02-16 20:00:14.5Z`) and RFC 2822
    (`Mon, 16 Feb 2026 20:00:14 +0000`). The precision is what is written: `day` for a date alone,
    `minute` for hours and minutes, `second` with seconds. A time with a zone becomes UTC; one
    without a zone stays as written (its zone is not known). `None` when it cannot be read.
    """
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    if _DAY_ONLY.fullmatch(text):
        try:
            return datetime.fromisoformat(text), "day"
        except ValueError:
            return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        clock = _CLOCK.search(text[10:])
    except ValueError:
        try:
            stamp = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        rfc = _RFC_CLOCK.search(text)
        precision: Precision = "second" if rfc and rfc.group(1) else "minute" if rfc else "day"
        return _utc(stamp, precision)
    if clock is None:
        return _utc(stamp, "day")
    return _utc(stamp, "second" if clock.group(3) else "minute")


def _utc(stamp: datetime, precision: Precision) -> tuple[datetime, Precision] | None:
    try:
        return to_utc(stamp), precision
    except OverflowError:
        return None


def implausible(stamp: datetime, fetched_at: datetime) -> str | None:
    """Why a published time (naive UTC) cannot be right for a document fetched at `fetched_at`, or None."""
    if stamp.year < FIRST_YEAR:
        return f"before {FIRST_YEAR}"
    fetched = to_utc(fetched_at) if fetched_at.tzinfo is not None else fetched_at
    if stamp > fetched + FUTURE_TOLERANCE:
        return f"more than a day after the document was fetched ({fetched.isoformat(timespec='seconds')} UTC)"
    return None
