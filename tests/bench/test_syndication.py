"""Tests of bench/syndication.py: a deterministic corpus of labelled copies, and exact pairwise scores."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from bench.syndication import (
    DIFFERENT_STORY,
    EDITS,
    Original,
    SyndicatedDoc,
    load_originals,
    make_corpus,
    pairwise_scores,
    write_corpus,
)
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def originals() -> list[Original]:
    return load_originals(SEEDS, None)


@pytest.fixture(scope="module")
def corpus(originals: list[Original]) -> list[SyndicatedDoc]:
    # Many copies, so that every edit and the rarer combinations occur on five seeds.
    return make_corpus(originals, copies_per_story=60, negatives_per_story=3, seed=11)


_PLAIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def fold(text: str) -> str:
    """Undo what the typography edit does: curly quotes, dashes, ellipses, spaces."""
    return " ".join(text.translate(_PLAIN).replace("…", "...").split())


def body(doc: SyndicatedDoc) -> list[str]:
    """The paragraphs under the headline, as written."""
    return doc.text.rstrip("\n").split("\n\n")[1:]


def test_the_seeds_are_read_clean(originals: list[Original]) -> None:
    assert len(originals) == 5
    assert len({o.story for o in originals}) == 5
    first = originals[0]
    # parse_plaintext took the section word off the title and the agency, date and caption lines out.
    assert first.title == "Selenskyj: Need weapons against North Korean soldiers"
    assert first.outlet == "SDA"
    assert not any(p in {"SDA", "Keystone"} or p.startswith("ARCHIVE") for p in first.paragraphs)
    assert first.text == sorted(SEEDS.glob("*.txt"))[0].read_text("utf-8")


def test_the_same_seed_gives_the_same_corpus(originals: list[Original]) -> None:
    assert make_corpus(originals, seed=3) == make_corpus(originals, seed=3)
    assert make_corpus(originals, seed=3) != make_corpus(originals, seed=4)


def test_every_original_is_in_the_corpus_once_and_unchanged(
    originals: list[Original], corpus: list[SyndicatedDoc]
) -> None:
    unedited = [doc for doc in corpus if not doc.edits]
    assert sorted(doc.story for doc in unedited) == sorted(o.story for o in originals)
    by_story = {o.story: o for o in originals}
    assert all(doc.text == by_story[doc.story].text for doc in unedited)
    assert len(corpus) == 5 * (1 + 60 + 3)
    assert [doc.doc_id for doc in corpus] == [f"{i:05d}" for i in range(len(corpus))]


def test_every_copy_records_the_edits_that_made_it(originals: list[Original], corpus: list[SyndicatedDoc]) -> None:
    texts = {o.story: o.text for o in originals}
    copies = [doc for doc in corpus if doc.story in texts and doc.edits]
    assert len(copies) == 5 * 60
    for doc in copies:
        assert set(doc.edits) <= set(EDITS), doc.edits
        assert len(set(doc.edits)) == len(doc.edits)
        assert doc.text != texts[doc.story]
        assert doc.text.startswith(doc.title + "\n\n")
    # Each kind of edit occurs, and the number of edits a copy gets from its own outlet varies.
    assert {edit for doc in copies for edit in doc.edits} == set(EDITS)
    assert {len(doc.edits) for doc in copies} >= {1, 2, 3, 4}


def test_edits_leave_their_marks(originals: list[Original], corpus: list[SyndicatedDoc]) -> None:
    by_story = {o.story: o for o in originals}
    for doc in corpus:
        if doc.story not in by_story:
            continue
        original = by_story[doc.story]
        if doc.edits and not {"headline", "spelling"} & set(doc.edits):
            # Typography may retype the headline's quotes and dashes, nothing else.
            assert fold(doc.title) == fold(original.title)
        if doc.edits == ("footer",):
            assert body(doc)[: len(original.paragraphs)] == list(original.paragraphs)
            assert len(body(doc)) > len(original.paragraphs)
        if doc.edits == ("spelling",):
            assert body(doc) != list(original.paragraphs)
            assert len(body(doc)) == len(original.paragraphs)


def test_cut_copies_keep_a_prefix_of_the_paragraphs(originals: list[Original], corpus: list[SyndicatedDoc]) -> None:
    by_story = {o.story: o for o in originals}
    cut = [doc for doc in corpus if "cut" in doc.edits and set(doc.edits) <= {"cut", "headline"}]
    assert cut
    for doc in cut:
        paragraphs = list(by_story[doc.story].paragraphs)
        kept = body(doc)
        assert 1 <= len(kept) < len(paragraphs)
        assert kept == paragraphs[: len(kept)]


def test_different_stories_carry_labels_of_their_own(originals: list[Original], corpus: list[SyndicatedDoc]) -> None:
    labels = {o.story for o in originals}
    others = [doc for doc in corpus if DIFFERENT_STORY in doc.edits]
    assert len(others) == 5 * 3
    assert len({doc.story for doc in others}) == len(others)
    by_label = {o.story: o for o in originals}
    for doc in others:
        assert doc.edits[0] == DIFFERENT_STORY
        assert doc.story not in labels
        source = by_label[doc.story.split("~")[0]]
        paragraphs = {fold(p) for p in body(doc)}
        # One paragraph of background from the original it is about; the rest from other stories.
        assert len(paragraphs & {fold(p) for p in source.paragraphs}) >= 1
        assert len(paragraphs & {fold(p) for p in source.paragraphs}) <= len(paragraphs) // 2
    stories = [doc.story for doc in corpus]
    assert all(stories.count(doc.story) == 1 for doc in others)


def test_teasers_quote_another_story(originals: list[Original], corpus: list[SyndicatedDoc]) -> None:
    titles = {o.story: o.title for o in originals}
    teased = [doc for doc in corpus if doc.edits == ("teaser",)]
    assert teased
    for doc in teased:
        others = [t for story, t in titles.items() if story != doc.story]
        assert any(other in line for line in body(doc) for other in others)
        assert not any(titles[doc.story] in line for line in body(doc))


def test_write_corpus_writes_files_and_truth(tmp_path: Path, originals: list[Original]) -> None:
    docs = make_corpus(originals, copies_per_story=2, negatives_per_story=1, seed=1)
    write_corpus(docs, tmp_path / "out")
    truth = [json.loads(line) for line in (tmp_path / "out" / "truth.jsonl").read_text("utf-8").splitlines()]
    assert [row["doc_id"] for row in truth] == [doc.doc_id for doc in docs]
    for row, doc in zip(truth, docs, strict=True):
        assert row == {
            "doc_id": doc.doc_id,
            "file": f"{doc.doc_id}.txt",
            "story": doc.story,
            "outlet": doc.outlet,
            "edits": list(doc.edits),
        }
        assert (tmp_path / "out" / row["file"]).read_text("utf-8") == doc.text
    assert len(list((tmp_path / "out").glob("*.txt"))) == len(docs) == 5 * 4


def naive_scores(truth: list[str], predicted: list[str]) -> tuple[float, float, float]:
    """The definition, pair by pair, to check the counting version against."""
    pairs = list(combinations(range(len(truth)), 2))
    same_true = {p for p in pairs if truth[p[0]] == truth[p[1]]}
    same_pred = {p for p in pairs if predicted[p[0]] == predicted[p[1]]}
    both = len(same_true & same_pred)
    precision = both / len(same_pred) if same_pred else 1.0
    recall = both / len(same_true) if same_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def test_a_perfect_clustering_scores_one_whatever_the_names() -> None:
    truth = ["a", "a", "b", "b", "b", "c"]
    assert pairwise_scores(truth, truth) == (1.0, 1.0, 1.0)
    assert pairwise_scores(truth, ["x", "x", "y", "y", "y", "z"]) == (1.0, 1.0, 1.0)


def test_everything_in_one_cluster_finds_every_pair_and_claims_too_many() -> None:
    # True pairs: a 1, b 3 = 4 of 15; all 15 claimed.
    precision, recall, f1 = pairwise_scores(["a", "a", "b", "b", "b", "c"], ["k"] * 6)
    assert (precision, recall) == (4 / 15, 1.0)
    assert f1 == pytest.approx(2 * (4 / 15) / (4 / 15 + 1))


def test_singletons_claim_nothing_and_find_nothing() -> None:
    # No predicted pair: precision is 1.0 by definition (nothing claimed wrongly), recall 0.
    assert pairwise_scores(["a", "a", "b"], ["1", "2", "3"]) == (1.0, 0.0, 0.0)
    # No true pair either: nothing to find, nothing claimed.
    assert pairwise_scores(["a", "b", "c"], ["1", "2", "3"]) == (1.0, 1.0, 1.0)
    # No true pair but some claimed: precision 0, recall 1.0 by definition.
    assert pairwise_scores(["a", "b", "c"], ["1", "1", "3"]) == (0.0, 1.0, 0.0)
    assert pairwise_scores([], []) == (1.0, 1.0, 1.0)


def test_a_split_and_a_merge_count_exactly() -> None:
    truth = ["a", "a", "a", "a", "b", "b"]
    predicted = ["1", "1", "2", "2", "2", "2"]
    # True pairs 6 + 1 = 7. Predicted pairs 1 + 6 = 7. Both: (0,1), (2,3), (4,5) = 3.
    precision, recall, f1 = pairwise_scores(truth, predicted)
    assert precision == 3 / 7
    assert recall == 3 / 7
    assert f1 == pytest.approx(3 / 7)


@pytest.mark.parametrize("seed", range(5))
def test_the_counting_matches_the_pairwise_definition(seed: int) -> None:
    import random

    rng = random.Random(seed)
    truth = [rng.choice("abcde") for _ in range(40)]
    predicted = [rng.choice("vwxyz") if rng.random() < 0.3 else t for t in truth]
    assert pairwise_scores(truth, predicted) == pytest.approx(naive_scores(truth, predicted))


def test_labels_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="2 true labels but 1"):
        pairwise_scores(["a", "a"], ["a"])


def test_write_corpus_refuses_a_folder_with_other_documents(tmp_path: Path, originals: list[Original]) -> None:
    write_corpus(make_corpus(originals, copies_per_story=3, seed=1), tmp_path)
    write_corpus(make_corpus(originals, copies_per_story=3, seed=2), tmp_path)  # the same names: overwritten
    with pytest.raises(FileExistsError, match=r"other \.txt files"):
        write_corpus(make_corpus(originals, copies_per_story=1, seed=1), tmp_path)
