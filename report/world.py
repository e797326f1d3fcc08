"""Country outlines for the report's map, read from the data the `countryinfo` package ships.

countryinfo carries a GeoJSON outline for 173 countries (Natural Earth's 1:110m countries, public
domain): coarse, which is what a page-sized map wants, and already installed for the entity finder.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

Ring = list[tuple[float, float]]
"""One closed ring of (longitude, latitude) points."""
Polygon = list[Ring]
"""An outer ring and its holes."""


@lru_cache(maxsize=1)
def country_outlines() -> tuple[Polygon, ...]:
    """Every country polygon countryinfo ships; empty if its data cannot be read (the map then has points only)."""
    try:
        folder = resources.files("countryinfo") / "data"
        files = [entry for entry in folder.iterdir() if entry.name.endswith(".json")]
    except (ModuleNotFoundError, OSError):
        return ()
    polygons: list[Polygon] = []
    for entry in sorted(files, key=lambda e: e.name):
        try:
            record = json.loads(entry.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        geo = record.get("geoJSON") if isinstance(record, dict) else None
        for feature in (geo or {}).get("features") or []:
            polygons.extend(_polygons((feature or {}).get("geometry") or {}))
    return tuple(polygons)


def _polygons(geometry: dict[str, object]) -> list[Polygon]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return []
    parts = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    found: list[Polygon] = []
    for part in parts:
        rings = [[(float(p[0]), float(p[1])) for p in ring if len(p) >= 2] for ring in part if isinstance(ring, list)]
        rings = [ring for ring in rings if len(ring) >= 3]
        if rings:
            found.append(rings)
    return found
