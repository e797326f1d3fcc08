"""Tests of bench/libraries_eval.py: a library's splitter keeps newsflow's sentence contract, the
counts of splits inside abbreviations, digits read with their scale word, and the hand-judged
sentence boundaries (checked against the pages when the shared evaluation data is present)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bench import libraries_eval
from bench.html_eval import DEFAULT_ROOT, GOLD_FILE
from bench.libraries_eval import JUDGED_BOUNDARIES, boundaries, count_splits, digit_values, splitters
from extractors.events.sentences import Sentence, split_sentences


def _at_full_stops(block: str) -> Iterator[int]:
    """Every full stop ends a sentence: the naive splitter the counts must catch."""
    return (m.end() for m in re.finditer(r"\.", block))


def test_a_library_splitter_keeps_paragraphs_and_trims_its_spans() -> None:
    split = libraries_eval._within_paragraphs(_at_full_stops)
    text = "  Sen. Smith came. He left.\n\n \nNew paragraph here.  "
    assert [(s.paragraph, text[s.start : s.end]) for s in split(text)] == [
        (0, "Sen."),
        (0, "Smith came."),
        (0, "He left."),
        (1, "New paragraph here."),
    ]
    assert split("") == []


def test_the_counts_catch_a_split_after_a_title_and_a_missed_split() -> None:
    text = "Sen. Smith met Gov. Jones in the U.S. on Monday. They spoke\nLt. Gen. Doe"
    naive = count_splits([text], libraries_eval._within_paragraphs(_at_full_stops))
    assert (naive.never_final, naive.initials, naive.country_initials) == (4, 1, 1)  # "U." of "U.S." too
    assert naive.missed == 0
    whole = count_splits(["They met on Monday. They spoke."], lambda t: [Sentence(0, len(t), 0)])
    assert whole.missed == 1 and whole.sentences == 1
    # newsflow's own splitter keeps the titles and "U.S." inside the sentence.
    assert count_splits([text], split_sentences).never_final == 0


def test_boundaries_are_sentence_ends_inside_a_paragraph() -> None:
    sentences = [Sentence(0, 5, 0), Sentence(6, 10, 0), Sentence(11, 15, 1)]
    assert boundaries("", sentences) == {5}


def test_digits_are_read_with_their_scale_word() -> None:
    assert digit_values("$100M revamp, more than $2B, 1,200 people, R4.5bn and 3 million") == [
        100e6, 2e9, 1200.0, 4.5e9, 3e6
    ]  # fmt: skip


def test_installed_library_splitters_cover_every_sentence_of_newsflow() -> None:
    found = splitters()
    if len(found) == 1:
        pytest.skip("neither pysbd nor syntok is installed")
    text = "The U.S. said on Oct. 31 that 12 died.\nA second paragraph. It has two sentences."
    for name, split in found.items():
        sentences = split(text)
        assert [s.paragraph for s in sentences][-1] == 1, name
        assert "".join(text[s.start : s.end] for s in sentences).replace(" ", "") == text.replace("\n", "").replace(
            " ", ""
        ), name


def test_swap_refuses_an_unknown_library_or_bench(capsys: pytest.CaptureFixture[str]) -> None:
    assert libraries_eval.main(["swap", "nltk", "acled_eval"]) == 2
    assert libraries_eval.main(["swap", "syntok", "nothing"]) == 2
    assert "LIBRARY is pysbd or syntok" in capsys.readouterr().err


def test_the_judged_boundaries_point_into_their_pages() -> None:
    rows = [json.loads(line) for line in JUDGED_BOUNDARIES.read_text("utf-8").splitlines()]
    assert {row["sample"] for row in rows} == {"random-40", "newsflow-vs-syntok"}
    assert sum(row["sample"] == "random-40" for row in rows) == 40
    assert all(isinstance(row["boundary"], bool) and row["note"] for row in rows)
    if not (DEFAULT_ROOT / GOLD_FILE).is_file():
        pytest.skip("no news-html-gold in ../shared/eval")
    from bench.figures_eval import articles, load

    pages = load()
    texts = {page.html_file: article.text for page, article in zip(pages, articles(pages), strict=True)}
    for row in rows:
        before = row["context"].split(" | ")[0].replace(" / ", "\n")
        assert texts[row["page"]][: row["offset"]].endswith(before[-30:]), row
