"""Raw documents to parsed articles: decode, read by kind, detect the language, or say why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pycld2

from extractors.decode import decode_bytes
from extractors.html import parse_html
from extractors.plaintext import ParsedText, parse_plaintext
from extractors.records import RecordError, parse_record
from schemas import DEFAULT_MAX_BYTES, ParsedArticle, ParseResult, Precision, RawDocument, Reject


@dataclass(frozen=True)
class ParseOptions:
    """Limits of the text stage.

    Attributes:
        max_bytes: documents larger than this are rejected as `too_large` unread.
        language_sample: characters of the body given to language detection (CLD2).
        min_words: bodies shorter than this are rejected as `no_text` (a menu, a stub).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    min_words: int = 5
    language_sample: int = 1000


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


def _published(parts: ParsedText, doc: RawDocument) -> tuple[datetime | None, Precision]:
    """The time the document states, else the source's hint (naive UTC, as the other stages give it)."""
    if parts.published_at is not None or doc.published_hint is None:
        return parts.published_at, parts.published_precision
    hint = doc.published_hint
    if hint.tzinfo is not None:
        hint = hint.astimezone(UTC).replace(tzinfo=None)
    return hint, doc.published_hint_precision


def parse_document(doc: RawDocument, options: ParseOptions) -> ParseResult:
    """Turn one raw document into a parsed article, or a reject with its reason.

    The published time is the one the document states; when it states none, the source's
    `published_hint` (a feed entry's or a news sitemap's date) stands in.
    """
    size = len(doc.content)
    if size > options.max_bytes:
        return _reject(doc, "too_large", f"{size} bytes, over the cap of {options.max_bytes}")
    decoded = decode_bytes(doc.content)
    if decoded.text is None:
        return _reject(doc, decoded.reason or "undecodable", decoded.detail)
    uri = doc.uri
    parts: ParsedText | None
    if doc.kind == "html":
        parts = parse_html(decoded.text)
        if parts is None:
            return _reject(doc, "no_text", "no main text found in the HTML page")
    elif doc.kind == "jsonl":
        outcome = parse_record(decoded.text)
        if isinstance(outcome, RecordError):
            return _reject(doc, outcome.reason, outcome.detail)
        parts, record_uri = outcome
        uri = record_uri or uri
    else:
        parts = parse_plaintext(decoded.text)
    words = len(parts.body.split())
    if words < options.min_words:
        left = "no body text" if not words else f"only {words} word{'s' if words > 1 else ''}"
        return _reject(doc, "no_text", f"{left} after removing title and boilerplate")
    published_at, precision = _published(parts, doc)
    return ParseResult(
        article=ParsedArticle(
            source=doc.source,
            uri=uri,
            title=parts.title,
            text=parts.body,
            outlet=parts.outlet,
            published_at=published_at,
            published_precision=precision,
            language=detect_language(parts.body[: options.language_sample]),
            word_count=words,
            size_bytes=size,
            encoding=decoded.encoding,
        )
    )


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
