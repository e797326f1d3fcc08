"""Events and entities from article text: rule-based, offline, pure functions."""

from extractors.events.extractor import (
    ENTRY_POINT_GROUP,
    Extractor,
    RuleExtractor,
    available_extractors,
    create_extractor,
)
from extractors.events.stage import extract_batch, extractor_label

__all__ = [
    "ENTRY_POINT_GROUP",
    "Extractor",
    "RuleExtractor",
    "available_extractors",
    "create_extractor",
    "extract_batch",
    "extractor_label",
]
