"""Regular-expression building blocks shared by the events rules."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["trie_pattern"]


def trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` factored by prefix: far fewer branch attempts per position than a flat one.

    It matches what the flat alternation matches wherever no word of the list can stop at a point
    where a longer one goes on, e.g. whenever the alternation is closed by ``\\b`` and no word goes
    on from another with a space ("spoke" and "spoke of"): then at most one word can match at a
    position, and the order of the alternatives does not matter.

    Args:
        words: the literal words (escaped here).

    Returns:
        The pattern, without a group of its own around the whole; "" for no words.
    """
    groups: dict[str, list[str]] = {}
    optional = False
    for word in sorted(set(words)):
        if word:
            groups.setdefault(word[0], []).append(word[1:])
        else:
            optional = True
    if not groups:
        return ""
    branches = [re.escape(char) + trie_pattern(rest) for char, rest in groups.items()]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if optional else body
