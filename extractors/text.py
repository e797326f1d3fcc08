"""Raw documents to parsed articles: decode, read by kind, detect the language, or say why not."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import pycld2

from extractors.decode import decode_bytes
from extractors.markup import MAX_ATTRIBUTES, MAX_TAGS, check_markup
from extractors.plaintext import ParsedText, parse_plaintext
from extractors.records import RecordError, parse_record
from extractors.shortcodes import strip_shortcodes
from extractors.times import implausible, to_utc
from schemas import DEFAULT_MAX_BYTES, ParsedArticle, ParseResult, Precision, RawDocument, Reject, valid_unicode

_MAX_DETAIL_CHARS = 500
_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)


@dataclass(frozen=True)
class ParseOptions:
    """Limits of the text stage.

    Attributes:
        max_bytes: documents larger than this are rejected as `too_large` unread.
        language_sample: characters of the body given to language detection (CLD2).
        min_words: bodies shorter than this are rejected as `no_text` (a menu, a stub).
        max_tags: HTML pages with more tags than this are rejected as `too_complex` unparsed.
        max_attributes: HTML pages with a tag of more attributes than this are rejected as
            `too_complex` unparsed (see `extractors.markup`).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    min_words: int = 5
    language_sample: int = 1000
    max_tags: int = MAX_TAGS
    max_attributes: int = MAX_ATTRIBUTES


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the text's language, or None when CLD2 cannot tell reliably."""
    if len(text) < 20:
        return None
    try:
        reliable, _bytes, languages = pycld2.detect(text)
    except pycld2.error:  # text CLD2 will not take (lone surrogates, some control characters)
        return None
    code = str(languages[0][1])
    if not reliable or code in {"un", "xxx"}:
        return None
    return code


def _reject(doc: RawDocument, reason: str, detail: str) -> ParseResult:
    return ParseResult(
        reject=Reject(source=doc.source, uri=doc.uri, reason=reason, detail=detail, size_bytes=len(doc.content))
    )


def error_result(doc: RawDocument, exc: Exception) -> ParseResult:
    """The result of a document on which a step raised: a `parse_error` reject holding the exception."""
    return _reject(doc, "parse_error", f"{type(exc).__name__}: {exc}"[:_MAX_DETAIL_CHARS])


def _published(parts: ParsedText, doc: RawDocument, notes: list[str]) -> tuple[datetime | None, Precision]:
    """The time the document states, else the source's hint, as naive UTC; None when implausible.

    A stated day is completed by the hint's clock when the hint falls on that day (a page that
    gives its date alone, linked from a feed that gives the time). A time before 1900 (a
    placeholder such as 0001-01-01) or more than a day after the document was fetched is no
    published time: it is left NULL and the article's notes say so.
    """
    stamp, precision = parts.published_at, parts.published_precision
    hint: datetime | None = None
    if doc.published_hint is not None:
        try:
            hint = to_utc(doc.published_hint)
        except OverflowError:
            notes.append(
                f"the source's published time {doc.published_hint.isoformat()} is out of the range of times; ignored"
            )
    if hint is not None and (stamp is None or (precision == "day" and hint.date() == stamp.date())):
        stamp, precision = hint, doc.published_hint_precision
    if stamp is None:
        return None, "unknown"
    why = implausible(stamp, doc.fetched_at)
    if why is not None:
        notes.append(f"published time {stamp.isoformat()} is {why}; left NULL")
        return None, "unknown"
    return stamp, precision


def parse_document(doc: RawDocument, options: ParseOptions) -> ParseResult:
    """Turn one raw document into a parsed article, or a reject with its reason.

    The published time is the one the document states; when it states none, the source's
    `published_hint` (a feed entry's or a news sitemap's date) stands in (see `_published`), and
    the source's `authors_hint` stands in for authors the document does not name. A document
    standing in for a page that could not be fetched (`page_failure`) that gives no article is
    that page's reject. Lone surrogates in what
    the document yields (a JSON escape, a character reference) are replaced by U+FFFD before
    language detection, and counted in the result's notes. A document on which a step raises is
    a `parse_error` reject holding the exception: it never costs the other documents of a batch.
    WordPress shortcodes are taken out of the title and text (`strip_shortcodes`); a plain text
    that is nothing but web addresses, one a line, is a `url_list` reject (`newsflow run -i` reads
    such a list).
    """
    try:
        result = _parse(doc, options)
    except Exception as exc:  # one document's fault is that document's reject
        result = error_result(doc, exc)
    failure = doc.page_failure
    if failure is None:
        return result
    if result.reject is not None:  # the feed's text could not be kept: the page's failure is what happened
        detail = f"{failure.detail}; the feed's own text was not kept either ({result.reject.detail})"
        return ParseResult(reject=failure.model_copy(update={"detail": detail[:_MAX_DETAIL_CHARS * 2]}))
    note = f"the page could not be fetched ({failure.reason}: {failure.detail}); stored from the feed's text"
    return result.model_copy(update={"notes": (*result.notes, note)})


def _parse(doc: RawDocument, options: ParseOptions) -> ParseResult:
    size = len(doc.content)
    if size > options.max_bytes:
        return _reject(doc, "too_large", f"{size} bytes, over the cap of {options.max_bytes}")
    decoded = decode_bytes(doc.content)
    if decoded.text is None:
        return _reject(doc, decoded.reason or "undecodable", decoded.detail)
    uri = doc.uri
    notes: list[str] = []
    parts: ParsedText | None
    if doc.kind == "html":
        problem = check_markup(decoded.text, max_tags=options.max_tags, max_attributes=options.max_attributes)
        if problem is not None:
            return _reject(doc, "too_complex", f"{problem}; not parsed")
        # Imported on the first page, not with the stage: trafilatura and lxml take a tenth of a
        # second to import, which a run that parses in its parse process need not pay.
        from extractors.html import parse_html

        parts = parse_html(decoded.text)
        if parts is None:
            return _reject(doc, "no_text", "no main text found in the HTML page")
        parts = _without_shortcodes(parts)
    elif doc.kind == "jsonl":
        record = parse_record(decoded.text)
        if isinstance(record, RecordError):
            return _reject(doc, record.reason, record.detail)
        parts, uri, notes = _without_shortcodes(record.parts), record.uri or uri, list(record.notes)
    else:
        n_addresses = _addresses(decoded.text)
        if n_addresses:
            detail = f"a list of {n_addresses} web addresses, not an article: read it with `newsflow run -i FILE`"
            return _reject(doc, "url_list", detail)
        # Stripped before the text is split, so a shortcode on the first line never becomes the title.
        parts = parse_plaintext(strip_shortcodes(decoded.text))
    words = len(parts.body.split())
    if words < options.min_words:
        left = "no body text" if not words else f"only {words} word{'s' if words > 1 else ''}"
        return _reject(doc, "no_text", f"{left} after removing title and boilerplate")
    published_at, precision = _published(parts, doc, notes)
    named = parts.authors or doc.authors_hint
    fields, n_repaired = _valid(doc.source, uri, parts.title, parts.body, parts.outlet, *named)
    if n_repaired:
        notes.append(f"{n_repaired} lone surrogate{'s' if n_repaired > 1 else ''} replaced by U+FFFD")
    source, uri, title, body, outlet, *authors = fields
    return ParseResult(
        article=ParsedArticle(
            source=source,
            uri=uri,
            title=title,
            text=body,
            outlet=outlet if parts.outlet is not None else None,
            published_at=published_at,
            published_precision=precision,
            language=detect_language(body[: options.language_sample]),
            word_count=words,
            size_bytes=size,
            encoding=decoded.encoding,
            authors=authors,
            text_from=doc.text_from,
        ),
        notes=tuple(notes),
    )


def _addresses(text: str) -> int:
    """How many http(s) addresses a text holds when it is nothing but those, one a line (blank lines
    and `#` comments aside, as `newsflow run -i` reads them); else 0."""
    if not text.lstrip()[:8].lower().startswith(("http://", "https://", "#")):
        return 0
    n_addresses = 0
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not _ADDRESS.fullmatch(stripped):
            return 0
        n_addresses += 1
    return n_addresses


def _without_shortcodes(parts: ParsedText) -> ParsedText:
    """The parts with WordPress shortcodes taken out of the title and the body (feeds and exports carry them)."""
    title, body = strip_shortcodes(parts.title), strip_shortcodes(parts.body)
    if title is parts.title and body is parts.body:
        return parts
    return replace(parts, title=title, body=body)


def _valid(*texts: str | None) -> tuple[list[str], int]:
    """The texts with lone surrogates replaced (None as ""), and how many were replaced in all."""
    valid, n_repaired = [], 0
    for text in texts:
        fixed, n = valid_unicode(text or "")
        valid.append(fixed)
        n_repaired += n
    return valid, n_repaired


def parse_batch(docs: Sequence[RawDocument], *, options: ParseOptions | None = None) -> list[ParseResult]:
    """Parse a batch of raw documents; one result per document, in order.

    A bad document is a reject in the results, never an exception.

    Args:
        docs: documents as sources delivered them.
        options: limits; the defaults when None.

    Returns:
        A ParseResult per document holding either the article or the reject.
    """
    opts = options or ParseOptions()
    return [parse_document(doc, opts) for doc in docs]
