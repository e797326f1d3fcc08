"""The events stage on a batch of articles: each article extracted apart, so one failure is one row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from schemas import Article, Extraction

if TYPE_CHECKING:
    from extractors.events.extractor import Extractor

# An error message is kept whole enough to act on, short enough for a table cell.
_MAX_ERROR_CHARS = 2000

# An extractor reads at most this many characters of an article, cut at the last line or space
# before it: 17 times the longest article of the news pages in ../shared/eval (28,820). The rules'
# time and memory grow with the text (a text of 4.5 million one-letter lines took 17 s and 450 MB),
# so a document of megabytes would otherwise hold a worker for minutes and its memory for all of them.
MAX_EXTRACT_CHARS = 500_000


def extractor_label(extractor: Extractor) -> str:
    """The `name@version` that events, entities and `extractions` rows carry."""
    return f"{extractor.name}@{extractor.version}"


def extract_batch(extractor: Extractor, articles: Sequence[Article]) -> list[Extraction]:
    """Run `extractor` over a batch of articles, one extraction per article, in order.

    An article on which the extractor raises gets an extraction with status `error`, the
    exception's type and message, and no events; the other articles of the batch are unaffected.
    Of an article longer than `MAX_EXTRACT_CHARS` the beginning is coded, with status `partial`.
    """
    label = extractor_label(extractor)
    extractions = []
    for article in articles:
        try:
            if len(article.text) <= MAX_EXTRACT_CHARS:
                extractions.append(extractor.extract(article))
                continue
            cut = _cut(article.text)
            coded = extractor.extract(article.model_copy(update={"text": article.text[:cut]}))
            note = f"coded the first {cut:,} of {len(article.text):,} characters"
            extractions.append(coded.model_copy(update={"status": "partial", "error": note}))
        except Exception as exc:  # one article's fault is that article's error row
            error = f"{type(exc).__name__}: {exc}"[:_MAX_ERROR_CHARS]
            extractions.append(Extraction(article_id=article.article_id, extractor=label, status="error", error=error))
    return extractions


def _cut(text: str) -> int:
    """Where to cut a text longer than `MAX_EXTRACT_CHARS`: after its last line break, else its last
    space, before the limit; at the limit in a text with neither."""
    for mark in ("\n", " "):
        at = text.rfind(mark, MAX_EXTRACT_CHARS // 2, MAX_EXTRACT_CHARS)
        if at > 0:
            return at + 1
    return MAX_EXTRACT_CHARS
