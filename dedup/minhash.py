"""MinHash signatures of word shingles and their LSH band keys, for a whole batch at once (numpy).

Signatures are one-permutation MinHash with densification (Li, Owen & Zhang 2012; Shrivastava
2017): each shingle is hashed once, its high bits choose one of `num_perm` bins and the rest is
a value, and each bin keeps its smallest value; a bin no shingle fell into borrows from the next
filled bin. That is one hash per shingle instead of `num_perm`, and it runs over the bytes of a
whole batch in a few numpy passes, with no Python loop per word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_U64 = np.uint64
_EMPTY = np.uint64(0xFFFFFFFF)
# Odd 64-bit multipliers (golden ratio, murmur and splitmix constants).
_MIX = (_U64(0x9E3779B97F4A7C15), _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB))
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD,
     0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)  # fmt: skip
_BASE = 0x100000001B3  # odd, so its powers are invertible modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 2**64)
# Bytes that belong to words: ASCII letters and digits, and every byte of a multi-byte UTF-8
# character (letters of other scripts). Punctuation and spacing split words.
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[[*range(ord("0"), ord("9") + 1), *range(ord("a"), ord("z") + 1), *range(0x80, 0x100)]] = True
# A byte's weight in its word's hash: the byte plus one, and nothing for the bytes between words.
_WORD_WEIGHT = np.where(_WORD_BYTE, np.arange(1, 257), 0).astype(np.uint64)
# Typographic variants that copies differ by: folded before hashing so they do not split words.
_FOLD = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00ad": ""}

# The bytes of a batch are hashed in pieces of at most this many (a piece ends between words): the
# arrays of a piece take some 40 bytes per byte, so a page of 32 MiB of text at once took 1.3 GB.
_PIECE_BYTES = 1 << 18
# Documents are fingerprinted in groups of about this many characters: the word and shingle arrays
# take some 80 bytes per word, about 15 per character of news text. A document is never split; one
# longer than this is a group of its own, its shingles binned a run at a time (`_SHINGLE_RUN`).
_GROUP_CHARS = 1 << 20
# Shingles are hashed and binned this many at a time.
_SHINGLE_RUN = 1 << 17
# Texts longer than this many characters are folded a piece at a time (`text_pieces`).
_FOLD_CHARS = 1 << 18

Signatures = npt.NDArray[np.uint32]
"""One row per document, `num_perm` values per row."""


@dataclass(frozen=True)
class MinHashOptions:
    """How documents are fingerprinted.

    Attributes:
        num_perm: values per signature (a power of two); more is more exact.
        shingle_words: words per shingle.
        bands: LSH bands; `num_perm` must divide into them. Two documents become candidates when
            any band agrees: with 64 bands of 2 rows, a pair at Jaccard 0.1 does with
            probability 0.47, at 0.2 with 0.93, at 0.3 with 0.998. Candidates are confirmed by
            their signatures, so a low banding threshold costs a few comparisons and catches cut
            copies, whose Jaccard with the full story is low while their containment is high.
        seed: seed of the hash; signatures compare only under the same seed.
    """

    num_perm: int = 128
    shingle_words: int = 5
    bands: int = 64
    seed: int = 1

    def __post_init__(self) -> None:
        if self.num_perm < 2 or self.num_perm & (self.num_perm - 1):
            raise ValueError(f"num_perm must be a power of two, not {self.num_perm}")
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")
        if not 1 <= self.shingle_words <= len(_POSITION):
            raise ValueError(f"shingle_words must be 1 to {len(_POSITION)}")


@dataclass(frozen=True)
class Fingerprints:
    """Signatures of a batch, each document's shingle count, and its LSH band keys."""

    signatures: Signatures
    sizes: npt.NDArray[np.int64]
    band_keys: npt.NDArray[np.int64]


def text_pieces(text: str) -> Iterator[str]:
    """`text` in consecutive pieces of about `_FOLD_CHARS` characters, each ending after
    a space where one is near: NFKC and case folding never join characters across a space, and no
    word spans two pieces, so what is folded or split piece by piece equals what the whole gives.

    Case folding holds twelve bytes a character while it runs: a text of 5 MB folded at once
    took 60 MiB.
    """
    begin = 0
    while begin < len(text):
        end = begin + _FOLD_CHARS
        if end < len(text):
            space = text.rfind(" ", begin, end)
            end = space + 1 if space >= begin else (text.find(" ", end) + 1 or len(text))
        yield text[begin:end]
        begin = end


def fold(text: str) -> str:
    """Case-fold a text and fold the typographic variants copies differ by (NFKC, quotes, dashes)."""
    if len(text) > _FOLD_CHARS:
        return "".join(_fold(piece) for piece in text_pieces(text))
    return _fold(text)


def _fold(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold()
    for variant, plain in _FOLD.items():
        if variant in folded:
            folded = folded.replace(variant, plain)
    return folded


def _mix(values: npt.NDArray[np.uint64], seed: int) -> npt.NDArray[np.uint64]:
    """A splitmix64 finaliser: every input bit moves every output bit."""
    with np.errstate(over="ignore"):
        x = values ^ _U64(seed * 0x9E3779B97F4A7C15 % 2**64)
        x = (x ^ (x >> _U64(30))) * _MIX[1]
        x = (x ^ (x >> _U64(27))) * _MIX[2]
        return x ^ (x >> _U64(31))


_power_cache: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]] = []


def _powers(length: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """BASE**k and BASE**-k modulo 2**64 for k below `length`, kept and grown between batches."""
    if not _power_cache or len(_power_cache[0][0]) < length:
        size = max(length, 2 * len(_power_cache[0][0]) if _power_cache else _PIECE_BYTES)
        with np.errstate(over="ignore"):
            powers = np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64) * _U64(_BASE_INVERSE)
            inverses = np.cumprod(np.full(size, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64) * _U64(_BASE)
        _power_cache[:] = [(powers, inverses)]
    powers, inverses = _power_cache[0]
    return powers[:length], inverses[:length]


def _word_hashes(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Hash every word of every text; return the hashes and the document each word belongs to."""
    encoded = [fold(text).encode("utf-8") for text in texts]
    doc_starts = np.cumsum([0, *(len(e) + 1 for e in encoded[:-1])]) if encoded else np.zeros(0, dtype=np.int64)
    data = np.frombuffer(b"\x00".join(encoded), dtype=np.uint8)
    del encoded
    hashes: list[npt.NDArray[np.uint64]] = []
    docs: list[npt.NDArray[np.int64]] = []
    begin = 0
    while begin < len(data):
        end = _piece_end(data, begin)
        piece_hashes, piece_starts = _piece_word_hashes(data[begin:end])
        hashes.append(piece_hashes)
        docs.append((np.searchsorted(doc_starts, piece_starts + begin, side="right") - 1).astype(np.int64))
        begin = end
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(hashes), np.concatenate(docs)


def _piece_end(data: npt.NDArray[np.uint8], begin: int) -> int:
    """Where the piece of `data` from `begin` ends: after its last byte between words within
    `_PIECE_BYTES`, so no word is split (past that bound only for a word longer than it)."""
    end = begin + _PIECE_BYTES
    if end >= len(data):
        return len(data)
    between = np.flatnonzero(~_WORD_BYTE[data[begin:end]])
    if len(between):
        return begin + int(between[-1]) + 1
    after = np.flatnonzero(~_WORD_BYTE[data[end:]])
    return end + int(after[0]) + 1 if len(after) else len(data)


def _piece_word_hashes(data: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The hashes of the words of a piece of the batch's bytes, and where each word starts in it."""
    in_word = _WORD_BYTE[data]
    edges = np.diff(np.concatenate(([False], in_word, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if not len(starts):
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    # A word's hash is sum(byte_k * BASE**k) over its bytes, k counted from the word's start:
    # prefix sums of byte * BASE**position over the whole piece give every word at once, and
    # multiplying by BASE**-start moves each back to its own first byte (all modulo 2**64).
    powers, inverses = _powers(len(data))
    # In place, in few passes: the arrays hold eight bytes per input byte, and fresh ones cost
    # more in page faults than the arithmetic.
    prefix = np.empty(len(data) + 1, dtype=np.uint64)
    prefix[0] = 0
    weighted = prefix[1:]
    np.take(_WORD_WEIGHT, data, out=weighted)
    with np.errstate(over="ignore"):
        np.multiply(weighted, powers, out=weighted)
        np.cumsum(weighted, out=weighted)
        hashes = (prefix[ends] - prefix[starts]) * inverses[starts]
    return hashes, starts.astype(np.int64)


def _window_shingles(
    word_hashes: npt.NDArray[np.uint64], word_docs: npt.NDArray[np.int64], k: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Combine each run of `k` words of one document into a shingle hash."""
    n = max(len(word_hashes) - k + 1, 0)
    shingles = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(k):
            shingles += word_hashes[offset : offset + n] * _POSITION[offset]
    docs = word_docs[:n]
    whole = docs == word_docs[k - 1 : k - 1 + n]
    return shingles[whole], docs[whole]


def _short_shingles(
    word_hashes: npt.NDArray[np.uint64], word_docs: npt.NDArray[np.int64], n_docs: int, k: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """One shingle of all the words of each text of fewer than `k` words."""
    words_per_doc = np.bincount(word_docs, minlength=n_docs)
    short = np.flatnonzero((words_per_doc > 0) & (words_per_doc < k))
    extra = np.zeros(len(short), dtype=np.uint64)
    if len(short):
        first_word = np.searchsorted(word_docs, short)
        with np.errstate(over="ignore"):
            for offset in range(k - 1):
                present = offset < words_per_doc[short]
                index = np.minimum(first_word + offset, len(word_hashes) - 1)
                extra += np.where(present, word_hashes[index] * _POSITION[offset], _U64(0))
    return extra, short.astype(np.int64)


def _keep_smallest(
    flat: npt.NDArray[np.uint64],
    sizes: npt.NDArray[np.int64],
    shingles: npt.NDArray[np.uint64],
    docs: npt.NDArray[np.int64],
    opts: MinHashOptions,
) -> None:
    """Hash shingles into their documents' bins in `flat`, each bin keeping its smallest value,
    and count them in `sizes`."""
    hashed = _mix(shingles, opts.seed)
    bits = opts.num_perm.bit_length() - 1
    bins = (hashed >> _U64(64 - bits)).astype(np.int64) if bits else np.zeros(len(hashed), dtype=np.int64)
    values = hashed & _EMPTY
    values[values == _EMPTY] -= _U64(1)  # keep all-ones to mean "empty"
    np.minimum.at(flat, docs * opts.num_perm + bins, values)
    sizes += np.bincount(docs, minlength=len(sizes))


def _densify(signatures: npt.NDArray[np.uint64], seed: int) -> None:
    """Fill each empty bin from the next filled bin to its right (wrapping), marked by the distance."""
    m = signatures.shape[1]
    empty = signatures == _EMPTY
    rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if not len(rows):
        return
    part = signatures[rows]
    filled = ~empty[rows]
    index = np.where(filled, np.arange(m)[None, :], 2 * m)
    doubled = np.concatenate((index, index + m), axis=1)
    doubled[doubled >= 2 * m] = 3 * m
    nearest = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :m]
    distance = (nearest - np.arange(m)[None, :]).astype(np.uint64)
    borrowed = np.take_along_axis(part, nearest % m, axis=1)
    with np.errstate(over="ignore"):
        marked = _mix(borrowed + distance * _MIX[0], seed + 1) >> _U64(32)
    signatures[rows] = np.where(filled, part, marked)


def fingerprint(texts: Sequence[str], options: MinHashOptions | None = None) -> Fingerprints:
    """Compute signatures and LSH band keys for a batch of texts.

    Args:
        texts: the documents (article bodies).
        options: signature parameters; the defaults when None.

    Returns:
        Signatures (n × num_perm, uint32); each document's shingle count (shingles repeated in
        one text count each time, which is rare with five-word shingles); band keys
        (n × bands, int64) that include the band number, so one column can index them all. A
        text without words has an all-ones signature and band keys of -1.
    """
    opts = options or MinHashOptions()
    groups = _groups(texts)
    if len(groups) == 1:
        return _fingerprint_group(texts, opts)
    parts = [_fingerprint_group(texts[start:end], opts) for start, end in groups]
    return Fingerprints(
        np.concatenate([p.signatures for p in parts]),
        np.concatenate([p.sizes for p in parts]),
        np.concatenate([p.band_keys for p in parts]),
    )


def _groups(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Consecutive spans of `texts` of about `_GROUP_CHARS` characters each (one at least)."""
    spans = []
    start, size = 0, 0
    for i, text in enumerate(texts):
        if i > start and size + len(text) > _GROUP_CHARS:
            spans.append((start, i))
            start, size = i, 0
        size += len(text)
    spans.append((start, len(texts)))
    return spans


def _fingerprint_group(texts: Sequence[str], opts: MinHashOptions) -> Fingerprints:
    """`fingerprint` of texts few enough to hash at once."""
    n_docs = len(texts)
    k = opts.shingle_words
    word_hashes, word_docs = _word_hashes(texts)
    flat = np.full(n_docs * opts.num_perm, _EMPTY, dtype=np.uint64)
    sizes = np.zeros(n_docs, dtype=np.int64)
    # Shingles are made and binned a run of words at a time (runs overlap by k - 1 words, so each
    # shingle is made once): their arrays stay small however long one text is.
    for begin in range(0, len(word_hashes), _SHINGLE_RUN):
        end = begin + _SHINGLE_RUN + k - 1
        _keep_smallest(flat, sizes, *_window_shingles(word_hashes[begin:end], word_docs[begin:end], k), opts)
    _keep_smallest(flat, sizes, *_short_shingles(word_hashes, word_docs, n_docs, k), opts)
    signatures = flat.reshape(n_docs, opts.num_perm)
    _densify(signatures, opts.seed)
    rows = opts.num_perm // opts.bands
    bands = signatures.reshape(n_docs, opts.bands, rows)
    keys = np.full((n_docs, opts.bands), _MIX[1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = (keys ^ bands[:, :, row]) * _U64(0x100000001B3)
        keys = _mix(keys + np.arange(opts.bands, dtype=np.uint64)[None, :] * _MIX[0], opts.seed)
    band_keys = keys.view(np.int64)
    band_keys[sizes == 0] = -1
    return Fingerprints(signatures.astype(np.uint32), sizes, band_keys)


def pack_signature(row: Signatures) -> bytes:
    """One signature as stored: its values as little-endian uint32."""
    return row.astype("<u4").tobytes()


def unpack_signatures(blobs: Sequence[bytes], num_perm: int) -> Signatures:
    """Stored signatures back to rows (n × num_perm), the inverse of `pack_signature`."""
    if not blobs:
        return np.zeros((0, num_perm), dtype=np.uint32)
    return np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), num_perm).astype(np.uint32)


def jaccard(a: Signatures, b: Signatures) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of signature rows `a[i]` and `b[i]` (or one row against many)."""
    return np.asarray(np.mean(a == b, axis=-1), dtype=np.float64)


def containment(
    similarity: npt.NDArray[np.float64], size_a: npt.NDArray[np.int64], size_b: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Estimated share of the smaller shingle set found in the larger, from Jaccard and set sizes.

    |A ∩ B| = J (|A| + |B|) / (1 + J): a copy cut to the first half of a story has a Jaccard of
    about 0.5 with the full story but a containment near 1.
    """
    inter = similarity * (size_a + size_b) / (1.0 + similarity)
    smaller = np.maximum(np.minimum(size_a, size_b), 1)
    return np.asarray(np.minimum(inter / smaller, 1.0), dtype=np.float64)
