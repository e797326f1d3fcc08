"""Source adapters and their registry (entry-point group `newsflow.sources`)."""

from sources.files import FilesConfig, FilesSource, list_files
from sources.registry import (
    ENTRY_POINT_GROUP,
    Page,
    Source,
    available_sources,
    create_source,
    register_source,
    reload_sources,
    source_class,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "FilesConfig",
    "FilesSource",
    "Page",
    "Source",
    "available_sources",
    "create_source",
    "list_files",
    "register_source",
    "reload_sources",
    "source_class",
]
