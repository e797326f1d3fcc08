"""Text every library takes: lone surrogates, which no UTF-8 encoder accepts, replaced."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def valid_unicode(text: str) -> tuple[str, int]:
    """Return `text` with every lone surrogate replaced by U+FFFD, and how many were replaced.

    A Python string holds surrogates only alone (JSON's `\\ud800`, a file name that is not UTF-8,
    a character reference in a page): pycld2, pyarrow and DuckDB refuse them, so the text stage
    replaces them before any library sees the text.
    """
    if text.isascii():
        return text, 0
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.subn(REPLACEMENT, text)
    return text, 0
