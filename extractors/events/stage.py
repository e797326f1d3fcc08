"""The events stage on a batch of articles: each article extracted apart, so one failure is one row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from schemas import Article, Extraction

if TYPE_CHECKING:
    from extractors.events.extractor import Extractor

# An error message is kept whole enough to act on, short enough for a table cell.
_MAX_ERROR_CHARS = 2000


def extractor_label(extractor: Extractor) -> str:
    """The `name@version` that events, entities and `extractions` rows carry."""
    return f"{extractor.name}@{extractor.version}"


def extract_batch(extractor: Extractor, articles: Sequence[Article]) -> list[Extraction]:
    """Run `extractor` over a batch of articles, one extraction per article, in order.

    An article on which the extractor raises gets an extraction with status `error`, the
    exception's type and message, and no events; the other articles of the batch are unaffected.
    """
    label = extractor_label(extractor)
    extractions = []
    for article in articles:
        try:
            extractions.append(extractor.extract(article))
        except Exception as exc:  # one article's fault is that article's error row
            error = f"{type(exc).__name__}: {exc}"[:_MAX_ERROR_CHARS]
            extractions.append(Extraction(article_id=article.article_id, extractor=label, status="error", error=error))
    return extractions
