"""Sentence spans: abbreviations, initials and times do not end a sentence; lines are paragraphs."""

from __future__ import annotations

from extractors.events.sentences import MAX_SENTENCE_CHARS, split_sentences


def spans(text: str) -> list[tuple[int, str]]:
    return [(s.paragraph, text[s.start : s.end]) for s in split_sentences(text)]


def test_sentences_and_paragraphs() -> None:
    text = (
        "Headline here\nThe U.S. said on Oct. 31 that Gen. Smith arrived. At 7.30 p.m. it began!\n\nMore. 3,000 came."
    )
    assert spans(text) == [
        (0, "Headline here"),
        (1, "The U.S. said on Oct. 31 that Gen. Smith arrived."),
        (1, "At 7.30 p.m. it began!"),
        (2, "More."),
        (2, "3,000 came."),
    ]


def test_quotes_close_with_their_sentence_and_initials_stay_inside() -> None:
    text = '"We are ready." J. Doe left. She said "never." Then it rained.'
    assert [t for _, t in spans(text)] == ['"We are ready."', "J. Doe left.", 'She said "never."', "Then it rained."]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence() -> None:
    assert len(split_sentences("It cost approx. five million. and more")) == 1
    assert split_sentences("") == []


def test_a_text_without_full_stops_is_cut_into_bounded_sentences() -> None:
    words = "troops said the village was shelled and " * 2000
    sentences = split_sentences("Headline\n" + words)
    assert sentences[0].end == len("Headline")
    body = sentences[1:]
    assert len(body) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in body)
    # Cut at spaces: every word is whole in exactly one sentence, in order.
    assert " ".join(("Headline\n" + words)[s.start : s.end] for s in body).split() == words.split()


def test_a_long_word_is_cut_hard() -> None:
    text = "x" * (2 * MAX_SENTENCE_CHARS + 5)
    assert [(s.start, s.end) for s in split_sentences(text)] == [
        (0, MAX_SENTENCE_CHARS),
        (MAX_SENTENCE_CHARS, 2 * MAX_SENTENCE_CHARS),
        (2 * MAX_SENTENCE_CHARS, len(text)),
    ]
