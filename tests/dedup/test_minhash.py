"""Tests of dedup/minhash.py: signatures estimate Jaccard, band keys find copies, edge cases hold."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dedup.minhash import MinHashOptions, containment, fingerprint, fold, jaccard
from extractors import parse_plaintext
from tests.conftest import SEEDS

BODIES = [parse_plaintext(p.read_text("utf-8")).body for p in sorted(SEEDS.glob("*.txt"))]


def shingle_set(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[0-9a-z\x80-\U0010ffff]+", fold(text))
    return {tuple(words[i : i + k]) for i in range(max(len(words) - k + 1, 1))}


def test_the_same_text_gives_the_same_signature_in_any_batch() -> None:
    alone = fingerprint([BODIES[0]])
    among = fingerprint([BODIES[3], BODIES[0], ""])
    assert np.array_equal(alone.signatures[0], among.signatures[1])
    assert np.array_equal(alone.band_keys[0], among.band_keys[1])


@pytest.mark.parametrize("share", [0.3, 0.5, 0.7, 0.9])
def test_signatures_estimate_jaccard_of_cut_copies(share: float) -> None:
    for body in BODIES:
        paragraphs = body.split("\n\n")
        cut = "\n\n".join(paragraphs[: max(1, int(len(paragraphs) * share))])
        prints = fingerprint([body, cut])
        a, b = shingle_set(body), shingle_set(cut)
        estimate = float(jaccard(prints.signatures[0], prints.signatures[1]))
        assert abs(estimate - len(a & b) / len(a | b)) < 0.12
        estimated_containment = containment(np.array(estimate), prints.sizes[0], prints.sizes[1])
        assert float(estimated_containment) > 0.9


def test_different_stories_share_no_band() -> None:
    keys = fingerprint(BODIES).band_keys
    for i in range(len(BODIES)):
        for j in range(i + 1, len(BODIES)):
            assert not set(keys[i]) & set(keys[j])


def test_typography_and_case_do_not_change_the_signature() -> None:
    text = "“This is a clear escalation,” said Zelensky – on the short message service X on Friday."
    plain = '"this is a clear escalation," said zelensky - on the short message service x on friday.'
    prints = fingerprint([text, plain])
    assert np.array_equal(prints.signatures[0], prints.signatures[1])


def test_empty_and_short_texts() -> None:
    prints = fingerprint(["", "...", "Kyiv", "Kyiv", "Kharkiv shelled"])
    assert list(prints.sizes) == [0, 0, 1, 1, 1]
    assert (prints.band_keys[:2] == -1).all()
    assert np.array_equal(prints.signatures[2], prints.signatures[3])
    assert float(jaccard(prints.signatures[2], prints.signatures[4])) < 0.5
    assert fingerprint([]).signatures.shape == (0, 128)


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="power of two"):
        MinHashOptions(num_perm=100)
    with pytest.raises(ValueError, match="multiple of bands"):
        MinHashOptions(num_perm=128, bands=48)
    prints = fingerprint(BODIES[:2], MinHashOptions(num_perm=64, bands=16))
    assert prints.signatures.shape == (2, 64) and prints.band_keys.shape == (2, 16)


def test_containment_from_jaccard_and_sizes() -> None:
    # A of 100 shingles inside B of 200: Jaccard 0.5, containment 1.
    assert float(containment(np.array(0.5), np.array(100), np.array(200))) == pytest.approx(1.0)
    assert float(containment(np.array(0.0), np.array(100), np.array(200))) == 0.0


def test_pieces_and_groups_give_the_signatures_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch is hashed in pieces of bytes, fingerprinted in groups of documents and its shingles
    # binned in runs of words to bound its memory; with pieces, groups and runs far smaller than
    # the texts every boundary case is crossed: a word longer than a piece, a run ending inside a
    # text, multi-byte characters, an empty text, a one-word text, texts shorter than a shingle.
    texts = [*BODIES, "", "Kyiv", "two words", "x" * 500 + " Київ обстріляли " * 40, BODIES[0] * 3]
    whole = fingerprint(texts)
    monkeypatch.setattr("dedup.minhash._PIECE_BYTES", 97)
    monkeypatch.setattr("dedup.minhash._GROUP_CHARS", 3000)
    monkeypatch.setattr("dedup.minhash._SHINGLE_RUN", 7)
    cut = fingerprint(texts)
    assert np.array_equal(whole.signatures, cut.signatures)
    assert np.array_equal(whole.sizes, cut.sizes)
    assert np.array_equal(whole.band_keys, cut.band_keys)
