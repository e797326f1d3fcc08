"""Story assignment: each new article joins the story of the stored or earlier copy it repeats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from dedup.minhash import Signatures, containment, jaccard


@dataclass(frozen=True)
class StoryOptions:
    """When a candidate counts as a copy.

    Attributes:
        min_jaccard: estimated Jaccard similarity that makes a copy on its own (rewrites, added
            datelines, footers, captions).
        min_containment: estimated share of the shorter text found in the longer one that makes
            a copy (cut copies that keep the first part of a story).
        min_shingles: texts with fewer shingles than this need `min_jaccard` to match: a
            containment estimate of a few shingles is noise.
        min_bands: band keys two texts must share to be compared at all: unrelated texts on
            one topic share one now and then, copies share several (a cut copy at Jaccard 0.27
            shares two or more of 64 two-row bands with probability 0.95).
    """

    min_jaccard: float = 0.5
    min_containment: float = 0.7
    min_shingles: int = 20
    min_bands: int = 2


@dataclass(frozen=True)
class Known:
    """Stored articles that are candidates for a batch: their ids, stories, signatures and sizes."""

    article_ids: Sequence[str]
    story_ids: Sequence[str]
    signatures: Signatures
    sizes: npt.NDArray[np.int64]
    content_hashes: Sequence[str]


@dataclass(frozen=True)
class Assignment:
    """The story of one new article, the article it repeats (if any) and how much of it."""

    story_id: str
    dup_of: str | None
    similarity: float | None


def assign_stories(
    article_ids: Sequence[str],
    content_hashes: Sequence[str],
    signatures: Signatures,
    sizes: npt.NDArray[np.int64],
    band_keys: npt.NDArray[np.int64],
    known: Known,
    candidate_pairs: Sequence[tuple[int, int]],
    options: StoryOptions | None = None,
) -> list[Assignment]:
    """Assign each article of a batch to a story, in batch order.

    An article repeats the candidate it resembles most: a stored article sharing a band key
    (`candidate_pairs` holds (batch index, known index) pairs) or an earlier article of the same
    batch sharing one. An equal content hash is a copy outright. A candidate counts when its
    estimated Jaccard reaches `min_jaccard` or its estimated containment reaches
    `min_containment`; the best by containment, then Jaccard, wins. An article that repeats none
    starts a story of its own, named by its id.

    Args:
        article_ids: ids of the batch's articles.
        content_hashes: their exact-copy hashes.
        signatures: their MinHash signatures (n × num_perm).
        sizes: their shingle counts.
        band_keys: their LSH band keys (n × bands); -1 for texts without words.
        known: the stored candidates.
        candidate_pairs: which stored articles share a band key with which batch article.
        options: thresholds; the defaults when None.

    Returns:
        One assignment per article, in order.
    """
    opts = options or StoryOptions()
    stored_for: defaultdict[int, list[int]] = defaultdict(list)
    for batch_index, known_index in candidate_pairs:
        stored_for[batch_index].append(known_index)
    stored_hash = {h: i for i, h in enumerate(known.content_hashes)}
    earlier_for = _earlier_sharing(band_keys, opts.min_bands)
    seen_hash: dict[str, int] = {}
    assignments: list[Assignment] = []
    for i, article in enumerate(article_ids):
        match: tuple[float, float, str, str] | None = None  # containment, jaccard, story, article
        if content_hashes[i] in stored_hash:
            k = stored_hash[content_hashes[i]]
            match = (1.0, 1.0, known.story_ids[k], known.article_ids[k])
        elif content_hashes[i] in seen_hash:
            j = seen_hash[content_hashes[i]]
            match = (1.0, 1.0, assignments[j].story_id, article_ids[j])
        else:
            earlier = earlier_for.get(i, [])
            stored = sorted(set(stored_for[i])) if i in stored_for else []
            pools = () if not (earlier or stored) else (
                (known.signatures[stored], known.sizes[stored], [known.story_ids[k] for k in stored],
                 [known.article_ids[k] for k in stored]),
                (signatures[earlier], sizes[earlier], [assignments[j].story_id for j in earlier],
                 [article_ids[j] for j in earlier]),
            )  # fmt: skip
            for sigs, pool_sizes, stories, ids in pools:
                if not len(ids):
                    continue
                similarity = jaccard(sigs, signatures[i][None, :])
                contained = containment(similarity, pool_sizes, np.full(len(ids), sizes[i]))
                small = np.minimum(pool_sizes, sizes[i]) < opts.min_shingles
                contained = np.where(small, 0.0, contained)
                qualified = np.flatnonzero((similarity >= opts.min_jaccard) | (contained >= opts.min_containment))
                if not len(qualified):
                    continue
                best = qualified[np.lexsort((similarity[qualified], contained[qualified]))[-1]]
                if match is None or (contained[best], similarity[best]) > (match[0], match[1]):
                    match = (float(contained[best]), float(similarity[best]), stories[best], ids[best])
        if match is None:
            assignments.append(Assignment(story_id=article, dup_of=None, similarity=None))
        else:
            assignments.append(Assignment(story_id=match[2], dup_of=match[3], similarity=round(match[0], 4)))
        seen_hash.setdefault(content_hashes[i], i)
    return assignments


@cache
def _pairs(length: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Index pairs (earlier, later) of a run of `length`; runs of one length recur, so cached."""
    earlier, later = np.triu_indices(length, 1)
    return earlier, later


def _earlier_sharing(band_keys: npt.NDArray[np.int64], min_bands: int) -> dict[int, list[int]]:
    """For each article, the earlier articles of the batch that share at least `min_bands` band keys.

    Found for the whole batch at once: band keys sorted, and pairs taken within each run of
    equal keys, so the cost follows the shared keys, not the articles times their bands.
    """
    n, bands = band_keys.shape if band_keys.ndim == 2 else (0, 0)
    if n < 2:
        return {}
    keys = band_keys.ravel()
    positions = np.repeat(np.arange(n, dtype=np.int64), bands)
    usable = keys != -1
    keys, positions = keys[usable], positions[usable]
    order = np.lexsort((positions, keys))
    keys, positions = keys[order], positions[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    lengths = np.diff(np.concatenate((starts, [len(keys)])))
    # Runs of two, the usual case, in one step; longer runs one by one.
    pair_starts = starts[lengths == 2]
    codes = [positions[pair_starts + 1] * n + positions[pair_starts]]
    for start, length in zip(starts[lengths > 2].tolist(), lengths[lengths > 2].tolist(), strict=True):
        members = positions[start : start + length]  # ascending
        earlier, later = _pairs(length)
        codes.append(members[later] * n + members[earlier])
    pairs, counts = np.unique(np.concatenate(codes), return_counts=True)
    found: defaultdict[int, list[int]] = defaultdict(list)
    for code in pairs[counts >= min_bands].tolist():
        found[code // n].append(code % n)
    return found
