"""A cheap look at a page's raw markup that refuses what lxml and trafilatura cannot read in time.

lxml's HTML parser checks each attribute of a tag against the ones before it, so its time grows
with the square of a tag's attributes (a 2.6 MB page with one tag of 200,000 attributes ran for
over ten minutes); trafilatura walks the tree in Python, several times, and on a page of tens of
thousands of paragraphs its time grows faster than their number. Both scans below run in C over
the text, at about a gigabyte a second here, against about 4 MB/s for reading the page itself.
Deep nesting needs no check: libxml2 stops nesting at a fixed depth (measured in bench/budget.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_TAGS = 100_000
"""Tags in one page. The 84 real news pages of news-html-gold have at most 3,130; a page of 40,000
short paragraphs already takes trafilatura over 15 s here, one of 100,000 links about 25 s."""

MAX_ATTRIBUTES = 1_000
"""Attributes in one tag. Real pages have at most about a hundred; lxml takes 0.6 s on a tag of
10,000 and four times as long on one of 20,000."""

_OPENING = re.compile(r"<[A-Za-z]")
# What an HTML parser reads as text, not tags: scripts, styles and comments. One left open runs to
# the end of the page, as it does for the parser (and so is scanned once, never once per opening).
_RAW_TEXT = re.compile(
    r"<(script|style)\b[^<>]*>(?:.*?</\1\s*>|.*\Z)|<!--(?:.*?-->|.*\Z)", re.IGNORECASE | re.DOTALL
)
_ATTRIBUTE = re.compile(r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]*))?""")


@lru_cache(maxsize=4)
def _long_tag(max_attributes: int) -> re.Pattern[str]:
    """Tags long enough to hold more than `max_attributes` attributes (each a space and a letter at
    least): the expression skips every shorter tag in C, and Python counts inside the few long ones."""
    return re.compile(r"<[A-Za-z][^<>]{" + str(2 * max_attributes) + ",}")
def _attributes(tag: str) -> int:
    """Attributes in a tag's text (its name excluded): names, with or without a value."""
    return max(0, len(_ATTRIBUTE.findall(tag, 1)) - 1)


def check_markup(text: str, *, max_tags: int = MAX_TAGS, max_attributes: int = MAX_ATTRIBUTES) -> str | None:
    """Why a page's markup is refused before it is parsed, or None when it may be parsed.

    Tags are counted as `<` followed by a letter outside scripts, styles and comments (an upper
    bound: a `<` in text followed by a letter counts too); attributes are counted in every such tag
    at least `2 * max_attributes` characters long. A script's `for(;e<a.length;)` is no tag.

    Args:
        text: the page, decoded.
        max_tags: the most tags a page may have.
        max_attributes: the most attributes one tag may have.

    Returns:
        A one-line reason for the `too_complex` reject, or None.
    """
    text = _RAW_TEXT.sub(" ", text)
    if text.count("<") > max_tags:
        n_tags = len(_OPENING.findall(text))
        if n_tags > max_tags:
            return f"{n_tags:,} tags, over the limit of {max_tags:,}"
    for found in _long_tag(max_attributes).finditer(text):
        n_attributes = _attributes(found.group())
        if n_attributes > max_attributes:
            name = found.group()[1:].split(None, 1)[0][:40]
            return f"a <{name}> tag with {n_attributes:,} attributes, over the limit of {max_attributes:,}"
    return None
