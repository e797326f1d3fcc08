"""Fingerprints of article text and the recognition of copies."""

from dedup.exact import (
    article_id,
    content_hash,
    drop_redelivered,
    identify,
    identify_apart,
    identify_result,
    normalise,
)
from dedup.minhash import (
    Fingerprints,
    MinHashOptions,
    containment,
    fingerprint,
    jaccard,
    pack_signature,
    unpack_signatures,
)
from dedup.stories import Assignment, Known, StoryOptions, assign_stories

__all__ = [
    "Assignment",
    "Fingerprints",
    "Known",
    "MinHashOptions",
    "StoryOptions",
    "article_id",
    "assign_stories",
    "containment",
    "content_hash",
    "drop_redelivered",
    "fingerprint",
    "identify",
    "identify_apart",
    "identify_result",
    "jaccard",
    "normalise",
    "pack_signature",
    "unpack_signatures",
]
