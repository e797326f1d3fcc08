"""HTML pages to article parts through trafilatura: main text, title, date and site name."""

from __future__ import annotations

from datetime import datetime

import trafilatura

from extractors.plaintext import ParsedText


def parse_html(data: bytes | str) -> ParsedText | None:
    """Extract the main text and metadata of an HTML page.

    trafilatura runs without its process-global deduplication cache, so the result depends on the
    page alone and not on what was extracted before it.

    Args:
        data: the page, as bytes (trafilatura reads the declared charset) or decoded text.

    Returns:
        The parts, or None when trafilatura finds no main text.
    """
    document = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
        as_dict=True,
    )
    if not isinstance(document, dict) or not document.get("text"):
        return None
    published = None
    date = document.get("date")
    if date:
        try:
            published = datetime.strptime(date[:10], "%Y-%m-%d")
        except ValueError:
            published = None
    body = "\n\n".join(line.strip() for line in str(document["text"]).splitlines() if line.strip())
    return ParsedText(
        title=str(document.get("title") or "").strip(),
        body=body,
        outlet=document.get("sitename") or None,
        published_at=published,
        published_precision="day" if published else "unknown",
    )
