"""Tests of bench/polnear_eval.py: reading brat standoff, matching claimants to gold sources, and
floors on PolNeAR dev (skipped when the shared evaluation data is absent)."""

from __future__ import annotations

import pytest

from bench import polnear_eval
from bench.polnear_eval import Attribution, is_pronoun, looks_like_fragment, names_same, parse_ann
from schemas import Event

# Measured by `python -m bench.polnear_eval` on the 84 articles (rules 1.3: precision 0.795,
# recall 0.453, fragments 4.2%); the floors sit a little below, the fragment ceiling above.
FLOOR_PRECISION = 0.76
FLOOR_RECALL = 0.42
CEILING_FRAGMENTS = 0.06

ANN = (
    "T1\tSource 89 106\tThe New York Post\n"
    "T2\tCue 107 114\treports\n"
    "T3\tContent 115 290\tthat Hillary Clinton’s team avoided taking her to the emergency room\n"
    "T4\tAttribution 107 114\treports\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 300 320;330 340\ta quote in two parts\n"
    "T6\tCue 321 325\tsaid\n"
    "T7\tAttribution 321 325\tsaid\n"
    "E2\tAttribution:T7 Content:T5 Cue:T6\n"
)


def test_attributions_are_read_with_their_source_and_content_spans() -> None:
    assert parse_ann(ANN) == [
        Attribution(source="The New York Post", content=((115, 290),), cue=((107, 114),)),
        Attribution(source=None, content=((300, 320), (330, 340)), cue=((321, 325),)),
    ]


@pytest.mark.parametrize(
    ("claimant", "source", "same"),
    [
        ("Pentagon", "the Pentagon", True),
        ("Trump", "Donald Trump", True),
        ("health ministry", "the Health Ministry", True),
        ("Clinton", "the source", False),
        ("the", "the Pentagon", False),
        ("IAEA", "The International Atomic Energy Agency", True),
        ("FBI", "the CIA director", False),
    ],
)
def test_a_claimant_names_the_source_when_its_words_are_the_sources(claimant: str, source: str, same: bool) -> None:
    assert names_same(claimant, source) is same


def test_pronouns_are_not_scored_and_fragments_are_told_from_names_and_descriptions() -> None:
    assert is_pronoun("he") and is_pronoun("They") and not is_pronoun("his campaign")
    for name in ("Pat Caddell", "FBI", "the health ministry", "two medical officials", "Committee for a Budget"):
        assert not looks_like_fragment(name), name
    for fragment in ("he really", "Every time you", "speaking to a veterans group in Virginia", "forcefully"):
        assert looks_like_fragment(fragment), fragment


def test_an_event_takes_the_attribution_that_holds_most_of_its_sentence() -> None:
    event = Event(
        event_id="e", article_id="a", evidence="x" * 20, char_start=100, char_end=120, confidence=1, extractor="t"
    )
    inside = Attribution("Police", ((95, 115),))  # 15 of 20 characters
    edge = Attribution("Reuters", ((115, 200),))  # 5 of 20
    assert polnear_eval._gold(event, [edge, inside]) == inside
    assert polnear_eval._gold(event, [edge]) is None  # less than half
    said = Attribution("Reuters", ((10, 90),), cue=((112, 116),))  # "said" is in the sentence
    assert polnear_eval._gold(event, [inside, said]) == said


def test_polnear_dev_stays_above_its_floors() -> None:
    if not (polnear_eval.DEFAULT_ROOT / "text").is_dir():
        pytest.skip(f"PolNeAR dev is not at {polnear_eval.DEFAULT_ROOT} (shared evaluation data)")
    documents = polnear_eval.load(polnear_eval.DEFAULT_ROOT)
    assert len(documents) == 84
    score, _ = polnear_eval.evaluate(documents)
    assert score.precision >= FLOOR_PRECISION
    assert score.recall >= FLOOR_RECALL
    assert score.fragment_share <= CEILING_FRAGMENTS
