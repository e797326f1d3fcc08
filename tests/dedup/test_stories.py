"""Tests of dedup/stories.py: copies join stories, different stories stay apart, in batch order."""

from __future__ import annotations

import numpy as np

from dedup.exact import content_hash
from dedup.minhash import fingerprint
from dedup.stories import Known, StoryOptions, assign_stories
from extractors import parse_plaintext
from tests.conftest import SEEDS

BODIES = [parse_plaintext(p.read_text("utf-8")).body for p in sorted(SEEDS.glob("*.txt"))]


def nothing_known(width: int = 128) -> Known:
    return Known([], [], np.zeros((0, width), dtype=np.uint32), np.zeros(0, dtype=np.int64), [])


def assign_batch(
    texts: list[str], known: Known | None = None, pairs: list[tuple[int, int]] | None = None
) -> list[tuple[str, str | None]]:
    prints = fingerprint(texts)
    ids = [f"a{i}" for i in range(len(texts))]
    decided = assign_stories(
        ids, [content_hash(t) for t in texts], prints.signatures, prints.sizes, prints.band_keys,
        known or nothing_known(), pairs or [],
    )  # fmt: skip
    return [(d.story_id, d.dup_of) for d in decided]


def test_stories_within_one_batch() -> None:
    half = "\n\n".join(BODIES[0].split("\n\n")[:5])
    exact = BODIES[1].replace("  ", " ")
    result = assign_batch([BODIES[0], BODIES[1], half, exact, BODIES[2]])
    assert result == [("a0", None), ("a1", None), ("a0", "a0"), ("a1", "a1"), ("a4", None)]


def test_a_stored_candidate_is_matched_and_a_weak_one_is_not() -> None:
    stored = fingerprint([BODIES[0], BODIES[3]])
    known = Known(["s0", "s3"], ["story0", "story3"], stored.signatures, stored.sizes,
                  [content_hash(BODIES[0]), content_hash(BODIES[3])])  # fmt: skip
    cut = "\n\n".join(BODIES[0].split("\n\n")[:4])
    # Both stored articles offered as candidates of both batch articles: only the real copy sticks.
    result = assign_batch([cut, BODIES[2]], known, [(0, 0), (0, 1), (1, 0), (1, 1)])
    assert result == [("story0", "s0"), ("a1", None)]


def test_thresholds_are_options() -> None:
    prints = fingerprint([BODIES[0], "\n\n".join(BODIES[0].split("\n\n")[:3])])
    strict = StoryOptions(min_jaccard=0.99, min_containment=1.01)
    decided = assign_stories(["a", "b"], ["h1", "h2"], prints.signatures, prints.sizes, prints.band_keys,
                             nothing_known(), [], strict)  # fmt: skip
    assert [d.story_id for d in decided] == ["a", "b"]
