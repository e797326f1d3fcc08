"""Prefix-factored alternations match exactly what the flat alternation matches."""

from __future__ import annotations

import re

from extractors.events.patterns import trie_pattern

WORDS = ["said", "says", "say", "spoke of", "speaks of", "estimate", "estimated", "estimates", "told"]
TEXT = (
    "Officials SAID on Monday, and the ministry says it estimated 300 were hurt; "
    "Kyiv Says nothing, sayings aside; she spoke of losses, Speaks Of more, and told no one. Estimates vary."
)


def test_trie_matches_the_flat_alternation() -> None:
    flat = re.compile(r"\b(?:" + "|".join(WORDS) + r")\b", re.IGNORECASE)
    trie = re.compile(r"\b(?:" + trie_pattern(WORDS) + r")\b", re.IGNORECASE)
    expected = [m.span() for m in flat.finditer(TEXT)]
    assert expected  # the text holds matches
    assert [m.span() for m in trie.finditer(TEXT)] == expected


def test_trie_of_a_word_that_is_a_prefix_of_another() -> None:
    pattern = re.compile(trie_pattern(["ten", "tens", "a.b"]) + "$")
    assert pattern.match("ten") and pattern.match("tens") and pattern.match("a.b")
    assert not pattern.match("te") and not pattern.match("axb")
    assert trie_pattern([]) == ""
