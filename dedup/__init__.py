"""Fingerprints of article text and the recognition of copies."""

from dedup.exact import article_id, content_hash, drop_batch_duplicates, identify, normalise

__all__ = ["article_id", "content_hash", "drop_batch_duplicates", "identify", "normalise"]
