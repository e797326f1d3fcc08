"""The DuckDB schema as an ordered list of numbered migrations shipped with the package."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered migration: additive DDL that moves the schema from `version - 1` to `version`."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Return every migration shipped in `schemas/migrations`, ordered by version.

    Raises:
        ValueError: two files claim the same version, or the versions have a gap.
    """
    found: list[Migration] = []
    for entry in resources.files("schemas.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found
