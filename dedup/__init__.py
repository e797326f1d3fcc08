"""Fingerprints of article text and the recognition of copies."""

from dedup.exact import article_id, content_hash, drop_batch_duplicates, identify, normalise
from dedup.minhash import Fingerprints, MinHashOptions, containment, fingerprint, jaccard

__all__ = [
    "Fingerprints",
    "MinHashOptions",
    "article_id",
    "containment",
    "content_hash",
    "drop_batch_duplicates",
    "fingerprint",
    "identify",
    "jaccard",
    "normalise",
]
