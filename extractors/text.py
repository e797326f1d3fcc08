"""Raw documents to parsed articles: decode, read by kind, detect the language, or say why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pycld2

from extractors.decode import decode_bytes
from extractors.html import parse_html
from extractors.markup import MAX_ATTRIBUTES, MAX_TAGS, check_markup
from extractors.plaintext import ParsedText, parse_plaintext
from extractors.records import RecordError, parse_record
from schemas import DEFAULT_MAX_BYTES, ParsedArticle, ParseResult, Precision, RawDocument, Reject, valid_unicode

_MAX_DETAIL_CHARS = 500


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


def _published(parts: ParsedText, doc: RawDocument, notes: list[str]) -> tuple[datetime | None, Precision]:
    """The time the document states, else the source's hint (naive UTC, as the other stages give it)."""
    if parts.published_at is not None or doc.published_hint is None:
        return parts.published_at, parts.published_precision
    hint = doc.published_hint
    if hint.tzinfo is not None:
        try:
            hint = hint.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            notes.append(f"the source's published time {hint.isoformat()} is out of the range of times; ignored")
            return None, "unknown"
    return hint, doc.published_hint_precision


def parse_document(doc: RawDocument, options: ParseOptions) -> ParseResult:
    """Turn one raw document into a parsed article, or a reject with its reason.

    The published time is the one the document states; when it states none, the source's
    `published_hint` (a feed entry's or a news sitemap's date) stands in. Lone surrogates in what
    the document yields (a JSON escape, a character reference) are replaced by U+FFFD before
    language detection, and counted in the result's notes. A document on which a step raises is
    a `parse_error` reject holding the exception: it never costs the other documents of a batch.
    """
    try:
        return _parse(doc, options)
    except Exception as exc:  # one document's fault is that document's reject
        return _reject(doc, "parse_error", f"{type(exc).__name__}: {exc}"[:_MAX_DETAIL_CHARS])


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
        parts = parse_html(decoded.text)
        if parts is None:
            return _reject(doc, "no_text", "no main text found in the HTML page")
    elif doc.kind == "jsonl":
        record = parse_record(decoded.text)
        if isinstance(record, RecordError):
            return _reject(doc, record.reason, record.detail)
        parts, uri, notes = record.parts, record.uri or uri, list(record.notes)
    else:
        parts = parse_plaintext(decoded.text)
    words = len(parts.body.split())
    if words < options.min_words:
        left = "no body text" if not words else f"only {words} word{'s' if words > 1 else ''}"
        return _reject(doc, "no_text", f"{left} after removing title and boilerplate")
    published_at, precision = _published(parts, doc, notes)
    fields, n_repaired = _valid(doc.source, uri, parts.title, parts.body, parts.outlet)
    if n_repaired:
        notes.append(f"{n_repaired} lone surrogate{'s' if n_repaired > 1 else ''} replaced by U+FFFD")
    source, uri, title, body, outlet = fields
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
        ),
        notes=tuple(notes),
    )


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
