"""Date expressions in English article text, resolved to calendar dates against the published time."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a text and the calendar date it stands for.

    A week is given by its Monday, a month by its first day, a year by 1 January.
    """

    start: int
    end: int
    date: datetime.date | None  # None when a relative expression has nothing to anchor it
    precision: Precision
    relative: bool  # True when the date is counted from the published date or an earlier mention


# How it works, and why: three scans find anchors (capitalised month and weekday names; the
# lower-case unit words "day", "week", "night"...; digits). Each scan starts with a literal or a
# character class, so `re` skips ahead in C to the next candidate. Each anchor is then read in
# place with small patterns matched just before and after it. One alternation of every phrase
# would try each branch at every position: measured, it costs several times more.

_MONTH_NUMBERS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
# Abbreviations are a month only beside a day or a year ("Oct. 31", "Oct 2024"): alone, "Jan",
# "Mar" or "Dec" are more often names.
_FULL_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_WEEKDAYS = {
    name: index
    for index, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_NUMBER = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|\d{1,2})"
_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:tember|t)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY_NAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_ORDINAL = r"(?:st|nd|rd|th)?"
_TIME_OF_DAY = r"(?:morning|afternoon|evening|night|noon|midday|lunchtime)"

# --- the three scans ----------------------------------------------------------------------------

# The first two letters of a month or weekday name; the word is then looked up whole.
_CAPS_SCAN = re.compile(r"[ADFJMNOSTW](?:an|eb|ar|pr|ay|un|ul|ug|ep|ct|ov|ec|on|ue|ed|hu|ri|at)[a-z]*")
_CAPS_WORDS: dict[str, tuple[bool, int]] = {
    **{name.capitalize(): (False, number) for name, number in _MONTH_NUMBERS.items()},
    **{name.capitalize(): (True, index) for name, index in _WEEKDAYS.items()},
}
_HYPHEN_OK = re.compile(r"(?:\b[Mm]id|[0-9])-$")
_UNIT_SCAN = re.compile(r"day|week|month|year|night|morning|afternoon|evening|omorrow")
# Led by a bare digit class so the scan skips in C to the next digit; the groups tell the forms apart.
_DIGIT_SCAN = re.compile(
    r"[0-9](?:(?P<iso>[0-9]{3}-[0-9]{1,2}-[0-9]{1,2})"
    r"|(?P<dmy>[0-9]?[./][0-9]{1,2}[./][0-9]{4})"
    r"|(?P<year>[0-9]{3}))(?![0-9])"
)

# --- months -------------------------------------------------------------------------------------

# After a month name: "Oct. 31", "March 3, 2022", "October 27th or 28th", "October 2024", "June last year".
_MONTH_AFTER = re.compile(
    r"(?P<dot>\.)?"
    r"(?:\s+(?:the\s+)?(?P<day>[0-9]{1,2})" + _ORDINAL + r"(?![0-9]|[.,:][0-9])"
    r"(?P<range>\s*(?:-|–|—|/|\s(?:or|and|to|until|till|through)\s)\s*[0-9]{1,2}" + _ORDINAL
    + r"(?![0-9]|[.,:/][0-9]))?)?"
    r"(?:,?\s+(?P<year>(?:19|20)[0-9]{2})(?![0-9]|[.,][0-9])|\s+(?:of\s+)?(?P<rely>last|this|next)\s+year\b)?"
)  # fmt: skip
# Before a month name: "3 March", "31. October", "the 1st of October", "27-28 October".
_MONTH_BEFORE = re.compile(
    r"(?<![0-9.,])(?:the\s+)?(?P<day>[0-9]{1,2})" + _ORDINAL
    + r"(?:\s*(?:-|–|—|\s(?:or|and|to|until|till)\s)\s*[0-9]{1,2}" + _ORDINAL + r")?\.?\s+(?:of\s+)?$"
)  # fmt: skip
# A month named alone is a date only after a word that brings in a time ("in May", "since the
# beginning of October", "mid-October"), never after a name ("Theresa May").
_MONTH_CUE = re.compile(
    r"(?:\b(?P<cue>in|since|during|until|till|through|throughout|by|from|before|after|between|around|last|next|"
    r"this|past|early|mid|late|and|or|to|of)\s+(?P<the>the\s+)?|\bmid-)$",
    re.IGNORECASE,
)
_MAY_CUES = frozenset("in since during until till through throughout last next this early mid late of".split())
_OF_FRAME = re.compile(
    r"\b(?:beginning|start|end|middle|course|month|half|part|spring|summer|autumn|fall|winter)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_MONTH_IN_REACH = re.compile(r"\b" + _MONTH_NAME + r"\b")
# A number after "in March" that counts something is not a day: "in March 12 people died".
_COUNTED = re.compile(
    r"\s+(?:(?:[a-z]+\s+)?(?:people|persons|men|women|children|police|staff|personnel)\b"
    r"|(?!(?:was|has|this|its|his|as|is|across|always|alone)\b)[a-z]{2,}s\b)"
)

# --- weekdays -----------------------------------------------------------------------------------

_WEEKDAY_BEFORE = re.compile(
    r"(?:\b(?P<mod>last|next|this\s+coming|this\s+past|this|coming|past)\s+)?(?:(?:early|late)\s+(?:on\s+)?)?$",
    re.IGNORECASE,
)
_WEEKDAY_MODES = {"": "", "last": "last", "past": "last", "this past": "last", "this": "this", "next": "next",
                  "coming": "next", "this coming": "next"}  # fmt: skip
# Holidays and newspapers that carry a weekday's name.
_WEEKDAY_NAME_BEFORE = re.compile(
    r"(?:\b(?:Good|Black|Bloody|Easter|Ash|Holy|Palm|Super|Cyber|Maundy|Shrove|Whit|Giving|Blue|Mad|Manic|Casual)"
    r"|\b(?:Mail|Independent|Herald|Sport|Star|People|Express|Observer)\s+on)\s+$"
)
_WEEKDAY_NAME_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Mail|Tribune|Independent|Star|Sport|People|Record|Business"
    r"|Review|Observer|Mass|School|Club|League|Night\s+(?:Live|Football|Fever)|Morning\s+(?:Post|Herald|Show))\b"
)
_HABITUAL = re.compile(r"\b(?:every|each|most|all|other|a|any)\s+$", re.IGNORECASE)
_THAT_BEFORE = re.compile(r"\b(?:that|the)\s+$", re.IGNORECASE)
_LOWER_WEEKDAY_CUE = re.compile(r"\b(?:on|last|next|this|since|until|by)\s+$", re.IGNORECASE)
_WEEKDAY_AFTER = re.compile(
    r"(?:'s|’s)?(?:\s+(?:early\s+|late\s+)?" + _TIME_OF_DAY + r")?"
    r"(?:\s+(?:of\s+)?(?P<week>last|this|next)\s+week\b)?"
    r"(?P<range>\s*(?:-|–|—|/|\s(?:or|and|to|into|through|until|till)\s)\s*(?:early\s+|late\s+)?"
    + _WEEKDAY_NAME + r"(?:\s+" + _TIME_OF_DAY + r")?)?"
)  # fmt: skip
# "Thursday, 31 October": the explicit date that follows is the mention.
_WEEKDAY_THEN_DATE = re.compile(
    r",?\s+\(?(?:the\s+)?(?:[0-9]{1,2}" + _ORDINAL + r"(?:\s+of)?\s+" + _MONTH_NAME
    + r"|[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4}|" + _MONTH_NAME + r"\.?\s+[0-9]{1,2}(?![0-9]))"
)  # fmt: skip

# --- unit words: day, week, month, year, night, time of day -------------------------------------

# Before "day", "week", ...: a count ("two days ago") or a determiner ("last week", "the previous
# day"), maybe framed ("at the end of last month", "earlier this year").
_UNIT_BEFORE = re.compile(
    r"(?:(?<![\w-])(?P<num>" + _NUMBER + r")\s+(?:more\s+|full\s+)?"
    r"|(?P<frame>\b(?:early|late|earlier|later)\s+|\b(?:the\s+)?(?:beginning|start|end|middle|course|rest"
    r"|first\s+half|second\s+half)\s+of\s+)?"
    r"\b(?P<det>the\s+(?:very\s+)?same|that\s+(?:very\s+)?same|the\s+(?:last|past|previous|preceding|prior|coming"
    r"|following|next|current)|this\s+(?:past|coming)|the|that|this|last|next|past|previous|coming|following"
    r"|current)\s+)$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?P<rel>before\s+yesterday|after\s+tomorrow|ago|earlier|later|before|after|previously|prior"
    r"|beforehand|afterwards?)\b"
)
# "the day before, ..." counts from the last date; "the day before the vote" from the vote.
_BEFORE_AFTER_ALONE = re.compile(r"\s*(?:[,.;:!?)\"”’'—–]|$|-\s|\s+(?:and|but|in|on|at)\b)")
_TIME_AFTER = re.compile(r"\s+(?:early\s+|late\s+)?" + _TIME_OF_DAY + r"\b")
_EARLY_LATE_BEFORE = re.compile(r"\b(?:early|late|earlier|later)\s+$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’(\n]|--|[—–])\s*$")
_OVERNIGHT_AFTER = re.compile(
    r"\s*(?:[,.;:!?)]|$|\s+(?:into|to|on|in|and|from|the|that|as|when|before|after|while|near|at|across|against"
    r"|with|by|said|killing|injuring|wounding|targeting|hitting)\b)"
)
_UNIT_LENGTHS: dict[str, str] = {
    "day": "day", "days": "day", "night": "day", "morning": "day", "afternoon": "day", "evening": "day",
    "week": "week", "weeks": "week", "weekend": "weekend", "month": "month", "months": "month",
    "year": "year", "years": "year",
}  # fmt: skip
_WEEKEND_MODES = {"last": "last", "past": "last", "previous": "last", "this past": "last", "this": "this",
                  "current": "this", "next": "next", "coming": "next", "this coming": "next", "the": ""}  # fmt: skip
_DEICTIC_DAYS = {"today": 0, "tonight": 0, "overnight": 0, "yesterday": -1, "tomorrow": 1}
# Determiners that count from the published date, and those that count from the last date told.
_FROM_PUBLISHED = {"last": -1, "past": -1, "this past": -1, "this": 0, "current": 0, "next": 1, "coming": 1,
                   "this coming": 1}  # fmt: skip
_FROM_EARLIER = {"previous": -1, "preceding": -1, "prior": -1, "the next": 1, "following": 1, "same": 0,
                 "the same": 0, "that same": 0, "that": 0}  # fmt: skip

# --- years --------------------------------------------------------------------------------------

_YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|during|until|till|through|throughout)\s+(?:(?:early|mid|late)[\s-]+|the\s+(?:beginning|start"
    r"|end|middle|course|first\s+half|second\s+half|spring|summer|autumn|fall|winter)\s+of\s+)?"
    r"|\b(?:(?:early|late)\s+|mid-)"
    r"|\b(?:beginning|start|end|middle|spring|summer|autumn|fall|winter)\s+of\s+)$",
    re.IGNORECASE,
)
_YEAR_PREPOSITION = re.compile(r"(?:in|since|during|until|till|through|throughout)\s+", re.IGNORECASE)
# "in 2000 cases" counts cases: a year is not followed by a plural noun.
_PLURAL_NEXT = re.compile(r"\s+(?P<word>[a-z]{3,}s)\b")
_NOT_PLURAL = frozenset(
    "was has this its his hers ours yours theirs as is thus across plus versus unless towards afterwards whereas "
    "always sometimes perhaps less news alone series chaos congress status process".split()
)

# --- announced events ---------------------------------------------------------------------------

# "will meet on Thursday", "is set to take effect on March 12", "ahead of Friday's election":
# a weekday or a date without a year then lies ahead of the published date, not behind it.
_FUTURE_CUE = re.compile(
    r"(?P<past>\b(?:was|were|had\s+been)\s+)?"
    r"(?:\b(?:will|shall|won't|set\s+to|scheduled|(?:is|are)\s+due|due\s+(?:on|for)|(?:is|are)\s+to"
    r"|plans?\s+to|(?:is|are|'s)\s+expected\s+(?:to|on|in)|expects|intends?\s+to|ahead\s+of|upcoming"
    r"|forthcoming|no\s+later\s+than)\b"
    r"|'ll\b|’ll\b)",
    re.IGNORECASE,
)
# A report of what someone said about the future dates the saying, which is past.
_REPORTING = re.compile(
    r"(?<!\bbe )\b(?:said|says|told|announced|reported|stated|claimed|confirmed|added|wrote|declared)\b"
)  # "will be announced" is still ahead
_CLAUSE_END = (". ", "? ", "! ", "; ", ", ", "\n")
# Future reading of a weekday or a date: on or after the published date; else the past reading
# may still run this far ahead of it (announced events).
_AHEAD = datetime.timedelta(days=7)
_MONTH_AHEAD = datetime.timedelta(days=31)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A date expression found but not yet resolved: what it says, not what date it is."""

    start: int
    end: int
    kind: Literal["date", "month", "year", "pub", "prev", "weekday", "weekend", "units"]
    precision: Precision
    offset: int = 0  # days (pub, prev), units (units) or a weekday's index (weekday)
    year: int | None = None
    year_offset: int | None = None  # "in June last year": a year counted from the published one
    month: int = 0
    day: int = 0
    mode: str = ""  # month, weekday, weekend: last/next/this/future; units: pub or prev


def find_dates(text: str, published: datetime.datetime | None) -> list[DateMention]:
    """Find the date expressions in a text and resolve each to a calendar date.

    A day and month without a year take the year that puts them nearest on or before the
    published date (up to a week after it); a weekday is the latest on or before it. Both look
    ahead instead when the clause announces something ("will meet on Thursday", "ahead of
    Friday's vote"). "Yesterday", "last week", "two days ago" count from the published date;
    "the day before", "a week later", "the following year" from the last date mentioned before
    them that is fine enough (or from the published date when there is none).

    Args:
        text: English text: a whole article or one sentence.
        published: when the article was published (its own local date is used), or None.

    Returns:
        The mentions in text order, never overlapping. A mention's date is None when it needs an
        anchor that is missing: no published date, and no earlier date for "the day before".
    """
    candidates: list[_Candidate] = []
    for match in _CAPS_SCAN.finditer(text):
        known = _CAPS_WORDS.get(match.group())
        if known is None:
            continue
        start, end = match.span()
        if start and (
            text[start - 1].isalnum()
            or (text[start - 1] == "-" and not _HYPHEN_OK.search(text, max(0, start - 5), start))
        ):
            continue  # "Mar-a-Lago" and "pre-October" are not dates; "mid-October", "July 30-Aug. 14" are
        if end < len(text) and text[end].isalpha():
            continue  # "MayDay", "Marchés"
        is_weekday, number = known
        found = _read_weekday(text, start, end, number) if is_weekday else _read_month(text, start, end, number)
        if found is not None:
            candidates.append(found)
    for match in _UNIT_SCAN.finditer(text):
        found = _read_unit(text, match.start(), match.end())
        if found is not None:
            candidates.append(found)
    for match in _DIGIT_SCAN.finditer(text):
        found = _read_number(text, match)
        if found is not None:
            candidates.append(found)
    kept = _years_from_range_ends(text, _non_overlapping(candidates))
    return _resolve(kept, published.date() if published is not None else None)


def sentence_date(
    mentions: Sequence[DateMention], start: int, end: int, published: datetime.datetime | None
) -> tuple[datetime.date | None, Precision | None]:
    """The date of an event told in text[start:end], from the mentions inside that span.

    The first mention with a date is taken, except that a day or a week named anywhere in the
    span wins over a month or a year named before it: in "Since 2014 Russia has ..., and on
    Thursday it shelled ..." the year is background and the day is the event's.

    Args:
        mentions: what `find_dates` returned for the text the span points into.
        start: the span's first character.
        end: one past the span's last character.
        published: the article's published time. Unused: the caller decides on a fallback; it is
            taken so that the date functions share one signature.

    Returns:
        The date and its precision, or (None, None) when no dated mention lies inside the span.
    """
    del published
    coarse: DateMention | None = None
    for mention in mentions:
        if mention.start < start or mention.end > end or mention.date is None:
            continue
        if mention.precision in ("day", "week"):
            return mention.date, mention.precision
        if coarse is None:
            coarse = mention
    if coarse is None:
        return None, None
    return coarse.date, coarse.precision


# --- reading anchors ----------------------------------------------------------------------------


def _before(text: str, start: int, reach: int = 48) -> str:
    return text[max(0, start - reach) : start]


def _announced(text: str, start: int) -> bool:
    """Whether the clause before `start` announces something ahead ("will", "is set to", ...)."""
    clause = _before(text, start, 100)
    clause = clause[max(clause.rfind(stop) for stop in _CLAUSE_END) + 1 :]
    cue = _FUTURE_CUE.search(clause)
    if cue is None:
        return False
    while (following := _FUTURE_CUE.search(clause, cue.end())) is not None:
        cue = following
    # "was set to", "were expected to" look ahead from a past time, not from the published date.
    return not cue.group("past") and _REPORTING.search(clause, cue.end()) is None


def _read_month(text: str, start: int, end: int, month: int) -> _Candidate | None:
    name = text[start:end].lower()
    after = _MONTH_AFTER.match(text, end)
    assert after is not None  # every part of the pattern is optional
    year = int(after.group("year")) if after.group("year") else None
    year_offset = {"last": -1, "this": 0, "next": 1}.get(after.group("rely") or "")
    year_end = after.end() if year is not None or year_offset is not None else None
    before = _before(text, start, 32)
    if after.group("day"):
        cue = _MONTH_CUE.search(before)
        counted = (
            year_end is None
            and after.end("day") == after.end()
            and cue is not None
            and not cue.group("the")
            and (cue.group("cue") or "").lower() in ("in", "since", "during")
            and _COUNTED.match(text, after.end())
        )
        if not counted:
            day_end = year_end or (after.end("range") if after.group("range") else after.end("day"))
            while day_end < len(text) and text[day_end].isalpha():  # "27th"
                day_end += 1
            day = int(after.group("day"))
            return _day_candidate(text, start, day_end, month, day, year, year_offset)
        year_end = None  # "in March 12 people died": the month alone
    else:
        day_before = _MONTH_BEFORE.search(before)
        if day_before is not None:
            first_start = start - len(before) + day_before.start("day")
            day_end = year_end or end + (1 if after.group("dot") and name not in _FULL_MONTHS else 0)
            return _day_candidate(text, first_start, day_end, month, int(day_before.group("day")), year, year_offset)
    if year_end is not None:
        return _Candidate(start, year_end, "month", "month", year=year, year_offset=year_offset, month=month)
    if name not in _FULL_MONTHS or (month == 5 and text.startswith(("'s", "’s"), end)):  # "May's cabinet"
        return None
    cue = _MONTH_CUE.search(before)
    if cue is None:
        return None
    word = (cue.group("cue") or "mid").lower()
    if word == "of" and not _OF_FRAME.search(before):
        return None
    if word in ("and", "or", "to") and not _MONTH_IN_REACH.search(before[: cue.start()]):
        return None
    if month == 5 and word not in _MAY_CUES:
        return None
    mode = {"last": "last", "past": "last", "next": "next", "this": "this"}.get(word, "")
    if not mode and _announced(text, start):
        mode = "future"
    moved = mode in ("last", "next", "this") or word in ("early", "mid", "late")
    mention_start = start - len(before) + cue.start() if moved else start
    return _Candidate(mention_start, end, "month", "month", month=month, mode=mode)


def _day_candidate(
    text: str, start: int, end: int, month: int, day: int, year: int | None, year_offset: int | None
) -> _Candidate:
    mode = "future" if year is None and year_offset is None and _announced(text, start) else ""
    return _Candidate(start, end, "date", "day", year=year, year_offset=year_offset, month=month, day=day, mode=mode)


def _read_weekday(text: str, start: int, end: int, weekday: int) -> _Candidate | None:
    before = _before(text, start, 32)
    if _WEEKDAY_NAME_BEFORE.search(before) or _WEEKDAY_NAME_AFTER.match(text, end) or _HABITUAL.search(before):
        return None
    if _WEEKDAY_THEN_DATE.match(text, end):
        return None
    return _weekday_candidate(text, start, end, weekday, before)


def _weekday_candidate(text: str, start: int, end: int, weekday: int, before: str) -> _Candidate:
    mod = _WEEKDAY_BEFORE.search(before)
    after = _WEEKDAY_AFTER.match(text, end)
    assert mod is not None and after is not None  # every part of the patterns is optional
    mode = _WEEKDAY_MODES[" ".join((mod.group("mod") or "").lower().split())]
    if after.group("week"):
        mode = "week" + after.group("week")  # "on Friday last week"
    elif not mode and not _THAT_BEFORE.search(before) and _announced(text, start):
        mode = "future"  # but "I will never forget that Saturday" looks back
    mention_start = start - len(before) + mod.start() if mod.group() else start
    return _Candidate(mention_start, after.end(), "weekday", "day", offset=weekday, mode=mode)


def _read_unit(text: str, start: int, end: int) -> _Candidate | None:
    n = len(text)
    while start and text[start - 1].isalpha():
        start -= 1
    while end < n and text[end].isalpha():
        end += 1
    if (end < n and text[end] == "-") or (start and text[start - 1] == "-"):
        return None  # "two-day visit", "19-year-old", "week-long"
    word = text[start:end]
    lower = word.lower()
    if lower in _DEICTIC_DAYS:
        return _read_deictic(text, start, end, word, lower)
    if lower in _WEEKDAYS:
        # A weekday in lower case (a careless translation): only after a word that makes it one.
        before = _before(text, start, 32)
        if word[0].isupper() or not _LOWER_WEEKDAY_CUE.search(before):
            return None
        return _weekday_candidate(text, start, end, _WEEKDAYS[lower], before)
    if lower not in _UNIT_LENGTHS or word[0].isupper():
        return None  # "Victory Day", "New Year"
    before = _before(text, start)
    cue = _UNIT_BEFORE.search(before)
    if cue is None:
        return None
    after = _UNIT_AFTER.match(text, end)
    rel = after.group("rel") if after is not None else None
    if rel in ("before", "after") and after is not None and not _BEFORE_AFTER_ALONE.match(text, after.end()):
        return None  # "the day before the vote"
    mention_start = start - len(before) + cue.start()
    mention_end = after.end() if after is not None else end
    if _UNIT_LENGTHS[lower] == "day":
        time = _TIME_AFTER.match(text, mention_end) if lower == "day" else None
        return _read_days(mention_start, time.end() if time else mention_end, lower, cue, rel)
    return _read_period(mention_start, mention_end, lower, cue, rel)


def _read_deictic(text: str, start: int, end: int, word: str, lower: str) -> _Candidate | None:
    before = _before(text, start, 32)
    if word[0].isupper() and lower in ("today", "tonight") and not _SENTENCE_START.search(before):
        return None  # "USA Today", "Russia Today", "The Tonight Show"
    if lower == "overnight" and not _OVERNIGHT_AFTER.match(text, end):
        return None  # "an overnight stay"
    early = _EARLY_LATE_BEFORE.search(before)
    mention_start = start - len(before) + early.start() if early is not None else start
    time = _TIME_AFTER.match(text, end) if lower in ("yesterday", "tomorrow", "today") else None
    return _Candidate(mention_start, time.end() if time else end, "pub", "day", offset=_DEICTIC_DAYS[lower])


def _determiner(cue: re.Match[str]) -> str:
    """The determiner before a unit word, normalised: "the previous" -> "previous"; "the next" stays."""
    det = " ".join((cue.group("det") or "").lower().split()).replace("very ", "")
    return det if det in ("the", "the same", "the next") else det.removeprefix("the ")


def _read_days(start: int, end: int, unit: str, cue: re.Match[str], rel: str | None) -> _Candidate | None:
    det = _determiner(cue)
    if rel in ("before yesterday", "after tomorrow"):
        if unit != "day" or det != "the":
            return None
        return _Candidate(start, end, "pub", "day", offset=-2 if rel == "before yesterday" else 2)
    if cue.group("num") is not None:
        if (unit != "day" and unit != "days") or rel is None:
            return None  # "two nights", "three days" are durations
        count = _count(cue.group("num"))
        if rel == "ago":
            return _Candidate(start, end, "pub", "day", offset=-count)
        return _Candidate(start, end, "prev", "day", offset=count * _direction(rel))
    if unit == "days":
        return None  # "the coming days"
    if det == "this":
        return _Candidate(start, end, "pub", "day") if unit in ("morning", "afternoon", "evening") else None
    if det == "last":
        return _Candidate(start, end, "pub", "day", offset=-1) if unit in ("night", "evening") else None
    if det == "the" and rel is not None and rel != "ago":
        return _Candidate(start, end, "prev", "day", offset=_direction(rel))  # "the day before"
    step = _FROM_EARLIER.get(det)
    if step is not None and rel is None:
        return _Candidate(start, end, "prev", "day", offset=step)  # "the previous day", "that night"
    return None


def _read_period(start: int, end: int, unit: str, cue: re.Match[str], rel: str | None) -> _Candidate | None:
    det = _determiner(cue)
    length = _UNIT_LENGTHS[unit]
    if length == "weekend":
        if cue.group("num") is not None or rel is not None:
            return None
        mode = _WEEKEND_MODES.get(det)
        return None if mode is None else _Candidate(start, end, "weekend", "week", mode=mode)
    precision: Precision = "week" if length == "week" else "month" if length == "month" else "year"
    if cue.group("num") is not None:
        if rel is None or rel in ("before yesterday", "after tomorrow"):
            return None  # "two years" is a duration
        count = _count(cue.group("num"))
        if rel == "ago":
            return _Candidate(start, end, "units", precision, offset=-count, mode="pub")
        return _Candidate(start, end, "units", precision, offset=count * _direction(rel), mode="prev")
    if unit.endswith("s"):
        return None  # "the coming months"
    if det == "the":
        if rel is not None and rel != "ago":
            return _Candidate(start, end, "units", precision, offset=_direction(rel), mode="prev")
        if rel is None and cue.group("frame") and "of" in cue.group("frame").lower():
            return _Candidate(start, end, "units", precision, mode="pub")  # "by the end of the month"
        return None
    if rel is not None:
        return None
    if det in _FROM_PUBLISHED:
        return _Candidate(start, end, "units", precision, offset=_FROM_PUBLISHED[det], mode="pub")
    if det in _FROM_EARLIER:
        return _Candidate(start, end, "units", precision, offset=_FROM_EARLIER[det], mode="prev")
    return None


def _count(number: str) -> int:
    number = number.lower()
    return int(number) if number.isdigit() else _NUMBER_WORDS[number]


def _direction(rel: str | None) -> int:
    return 1 if rel in ("later", "after", "afterward", "afterwards") else -1


def _read_number(text: str, match: re.Match[str]) -> _Candidate | None:
    start, end = match.span()
    if start and (text[start - 1].isalnum() or text[start - 1] in ".,/-"):
        return None
    if end < len(text) and text[end].isalpha():
        return None  # "the 2010s", "2024th"
    if match.group("iso"):
        year, month, day = (int(part) for part in match.group().split("-"))
        return _Candidate(start, end, "date", "day", year=year, month=month, day=day) if year >= 1900 else None
    if match.group("dmy"):
        first, second, year = (int(part) for part in match.group().replace("/", ".").split("."))
        day, month = first, second
        if "/" in match.group():
            # 10/31/2024 in the US, 31/10/2024 elsewhere: read only when one reading is impossible.
            if second > 12 >= first:
                month, day = first, second
            elif not first > 12 >= second:
                return None
        return _Candidate(start, end, "date", "day", year=year, month=month, day=day) if year >= 1900 else None
    year = int(match.group())
    if not 1900 <= year <= 2099 or (text.startswith((",", "."), end) and text[end + 1 : end + 2].isdigit()):
        return None
    if text.startswith(("%", " %", " percent", " per cent"), end):
        return None
    plural = _PLURAL_NEXT.match(text, end)
    if plural is not None and plural.group("word") not in _NOT_PLURAL:
        return None
    before = _before(text, start, 40)
    cue = _YEAR_CUE.search(before)
    if cue is None:
        return None
    preposition = _YEAR_PREPOSITION.match(cue.group())
    mention_start = start - len(before) + cue.start() + (preposition.end() if preposition else 0)
    return _Candidate(mention_start, end, "year", "year", year=year)


# --- from candidates to mentions ----------------------------------------------------------------

_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and|until|till|through)\s*$")


def _non_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep, of candidates that overlap, the one that starts first (the longer at a tie)."""
    candidates.sort(key=lambda found: (found.start, -found.end))
    kept: list[_Candidate] = []
    for found in candidates:
        if kept and found.start < kept[-1].end:
            continue
        kept.append(found)
    return kept


def _years_from_range_ends(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Give "August 15th to September 8th, 1963" the year its end names."""
    for index in range(len(candidates) - 2, -1, -1):
        found, following = candidates[index], candidates[index + 1]
        if (
            found.kind == "date"
            and found.year is None
            and found.year_offset is None
            and following.kind in ("date", "month")
            and (following.year is not None or following.year_offset is not None)
            and following.start - found.end <= 8
            and _RANGE_GAP.match(text[found.end : following.start])
        ):
            candidates[index] = dataclasses.replace(
                found, year=following.year, year_offset=following.year_offset, mode=""
            )
    return candidates


def _resolve(candidates: list[_Candidate], today: datetime.date | None) -> list[DateMention]:
    mentions: list[DateMention] = []
    for found in candidates:
        relative = found.kind not in ("date", "month", "year") or found.year_offset is not None
        mentions.append(
            DateMention(found.start, found.end, _resolve_one(found, today, mentions), found.precision, relative)
        )
    return mentions


def _resolve_one(found: _Candidate, today: datetime.date | None, earlier: list[DateMention]) -> datetime.date | None:
    kind = found.kind
    year = found.year
    if year is None and found.year_offset is not None and today is not None:
        year = today.year + found.year_offset
    if kind == "date":
        if year is not None:
            return _valid_date(year, found.month, found.day)
        return _nearest(found.month, found.day, today, found.mode == "future") if today is not None else None
    if kind == "month":
        return datetime.date(year, found.month, 1) if year is not None else _month_date(found, today)
    if kind == "year":
        return datetime.date(year or 1, 1, 1)
    if kind == "prev" or (kind == "units" and found.mode == "prev"):
        base = _last_date(earlier, found.precision) or today
        if base is None:
            return None
        if kind == "prev":
            return base + datetime.timedelta(days=found.offset)
        return _shift(base, found.precision, found.offset)
    if today is None:
        return None
    if kind == "pub":
        return today + datetime.timedelta(days=found.offset)
    if kind == "units":
        return _shift(today, found.precision, found.offset)
    if kind == "weekday":
        return _weekday_date(today, found.offset, found.mode)
    # A weekend's week. "Over the weekend" is the latest weekend begun by the published date.
    step = {"last": -1, "this": 0, "next": 1}.get(found.mode, 0 if today.weekday() >= 5 else -1)
    return _monday(today) + datetime.timedelta(weeks=step)


def _last_date(earlier: list[DateMention], precision: Precision) -> datetime.date | None:
    """The latest earlier date at least as fine as counting in `precision` units needs."""
    finer = ("day", "week", "month", "year")[: ("day", "week", "month", "year").index(precision) + 1]
    for mention in reversed(earlier):
        if mention.date is not None and mention.precision in finer:
            return mention.date
    return None


def _shift(base: datetime.date, precision: Precision, count: int) -> datetime.date:
    if precision == "day":
        return base + datetime.timedelta(days=count)
    if precision == "week":
        return _monday(base) + datetime.timedelta(weeks=count)
    if precision == "month":
        index = base.year * 12 + base.month - 1 + count
        return datetime.date(index // 12, index % 12 + 1, 1)
    return datetime.date(base.year + count, 1, 1)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _valid_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _nearest(month: int, day: int, today: datetime.date, ahead: bool) -> datetime.date | None:
    """The date with this month and day nearest `today`: the first on or after it when `ahead`,
    else the latest not more than a week after it (news reports the past)."""
    if ahead:
        for year in range(today.year, today.year + 5):
            date = _valid_date(year, month, day)
            if date is not None and date >= today:
                return date
        return None
    for year in range(today.year + 1, today.year - 5, -1):
        date = _valid_date(year, month, day)
        if date is not None and date <= today + _AHEAD:
            return date
    return None


def _month_date(found: _Candidate, today: datetime.date | None) -> datetime.date | None:
    if today is None:
        return None
    if found.mode == "last":
        return datetime.date(today.year - (found.month >= today.month), found.month, 1)
    if found.mode == "next":
        return datetime.date(today.year + (found.month <= today.month), found.month, 1)
    if found.mode == "this":
        return datetime.date(today.year, found.month, 1)
    if found.mode == "future":
        return datetime.date(today.year + (found.month < today.month), found.month, 1)
    # A month named alone may be the coming one ("in October", said in September).
    return _nearest(found.month, 1, today - _AHEAD + _MONTH_AHEAD, ahead=False)


def _weekday_date(today: datetime.date, weekday: int, mode: str) -> datetime.date:
    back = (today.weekday() - weekday) % 7
    ahead = (weekday - today.weekday()) % 7
    if mode == "last":
        return today - datetime.timedelta(days=back or 7)
    if mode == "next":
        return today + datetime.timedelta(days=ahead or 7)
    if mode == "future":
        return today + datetime.timedelta(days=ahead)
    if mode.startswith("week"):
        step = {"weeklast": -1, "weekthis": 0, "weeknext": 1}[mode]
        return _monday(today) + datetime.timedelta(weeks=step, days=weekday)
    if mode == "this":
        return _monday(today) + datetime.timedelta(days=weekday)
    return today - datetime.timedelta(days=back)
