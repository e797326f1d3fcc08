"""Tests of bench/figures_eval.py: matching one page's figures, the gold file's own consistency, and
floors on news-html-gold (the floors skipped when the shared evaluation data is absent)."""

from __future__ import annotations

import json

import pytest

from bench import figures_eval
from bench.figures_eval import GoldFigure, Page, Score, score_page
from bench.html_eval import DEFAULT_ROOT, GOLD_FILE
from schemas import Event, Figure

# Measured by `python -m bench.figures_eval` on the 84 pages (rules 1.2): precision 0.958, recall
# 0.677 over all figures; currency 0.943 of matched sums. The floors sit a little below.
FLOOR_PRECISION = 0.93
FLOOR_RECALL = 0.64
FLOOR_CURRENCY = 0.90


def _event(*figures: Figure, country: str | None = None, claimed_by: str | None = None) -> Event:
    return Event(
        event_id="e", article_id="a", evidence="text", char_start=0, char_end=4, confidence=1, extractor="t",
        country=country, claimed_by=claimed_by, figures=list(figures),
    )  # fmt: skip


def test_a_figure_matches_one_gold_figure_of_its_kind_and_value() -> None:
    page = Page(
        "x.html.gz", "https://example.org/x", "t", "b",
        (GoldFigure("killed", 7, False, None, "PAK", "police"), GoldFigure("amount", 5e9, False, "CAD", None, None),
         GoldFigure("injured", 24, True, None, None, None)),
    )  # fmt: skip
    score = Score()
    score_page(
        page,
        [
            _event(Figure(counted="killed", value=7, char_start=0, char_end=1), country="PAK", claimed_by="Police"),
            _event(Figure(counted="killed", value=7, char_start=5, char_end=6)),  # told again: no second match
            _event(Figure(counted="amount", value=5e9, currency="USD", char_start=0, char_end=1)),
            _event(Figure(counted="injured", value=200, vague=True, char_start=0, char_end=1)),
        ],
        score,
    )
    assert (score.kinds["killed"].predicted, score.kinds["killed"].matched, score.kinds["killed"].gold) == (2, 1, 1)
    assert (score.kinds["injured"].matched, score.kinds["amount"].matched) == (1, 1)
    assert (score.currency_scored, score.currency_right) == (1, 0)
    assert (score.country_right, score.claimant_right) == (1, 1)


def test_the_gold_quotes_are_in_the_page_texts() -> None:
    if not (DEFAULT_ROOT / GOLD_FILE).is_file():
        pytest.skip(f"news-html-gold is not at {DEFAULT_ROOT} (shared evaluation data)")
    texts = {}
    with (DEFAULT_ROOT / GOLD_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["html_file"]] = row["title"] + "\n" + row["body_text"]
    with figures_eval.GOLD_FIGURES.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    assert [r["html_file"] for r in rows] == list(texts)
    for row in rows:
        for figure in row["figures"]:
            assert figure["counted"] in figures_eval.KINDS
            assert figure["quote"] in texts[row["html_file"]], figure["quote"]


def test_news_html_gold_stays_above_its_floors() -> None:
    if not (DEFAULT_ROOT / GOLD_FILE).is_file():
        pytest.skip(f"news-html-gold is not at {DEFAULT_ROOT} (shared evaluation data)")
    score = figures_eval.evaluate(figures_eval.load())
    total = score.all()
    assert total.gold == 201
    assert total.precision() >= FLOOR_PRECISION
    assert total.recall() >= FLOOR_RECALL
    assert score.currency_right / score.currency_scored >= FLOOR_CURRENCY
