"""Sentence and paragraph spans of an article text, for evidence and for sentence-level rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A full stop ends a sentence unless the word before it is one of these (titles, months, initials
# are handled separately) or the next word starts in lower case.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cpl adm gov sen rep st mt ft jr sr no nos vs approx est "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp dept univ fig al etc "
    "a.m p.m u.s u.k u.n e.g i.e".split()
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*")
# A sentence longer than this is cut at its last space before it (a hard cut when it has none): no
# sentence of the eval sets (ACLED notes, PolNeAR, news pages) is longer than 2,500 characters,
# and rules that look back through a sentence would otherwise take time growing with the square of
# a megabyte "sentence" of a text without full stops.
MAX_SENTENCE_CHARS = 3000


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its span in the text and the paragraph it belongs to (0-based)."""

    start: int
    end: int
    paragraph: int


def _abbreviation_before(text: str, stop: int) -> bool:
    start = stop
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in '("“':
        start -= 1
    word = text[start:stop].lower()
    # "J. Smith", "U.S. officials": a single letter or a dotted acronym.
    return word in _ABBREVIATIONS or len(word) == 1 or (len(word) <= 4 and "." in word)


def split_sentences(text: str) -> list[Sentence]:
    """Split a text into sentences, one paragraph per line.

    Args:
        text: the article text.

    Returns:
        Sentences in text order, spans without surrounding whitespace.
    """
    sentences: list[Sentence] = []
    paragraph_start = 0
    bounds = [*(m.start() for m in _PARAGRAPH.finditer(text)), len(text)]
    paragraph = 0
    for bound in bounds:
        block = text[paragraph_start:bound]
        if block.strip():
            start = paragraph_start
            for match in _END.finditer(block):
                stop = paragraph_start + match.start()
                if text[stop] == "." and _abbreviation_before(text, stop):
                    continue
                end = paragraph_start + match.end()
                _add(sentences, text, start, end, paragraph)
                start = end
            _add(sentences, text, start, bound, paragraph)
            paragraph += 1
        paragraph_start = bound
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        space = text.rfind(" ", start + 1, limit)
        cut = space if space > start else limit
        _add_one(sentences, text, start, cut, paragraph)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    _add_one(sentences, text, start, end, paragraph)


def _add_one(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, paragraph))
