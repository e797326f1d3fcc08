"""Tests of report/svg.py and report/world.py: axes, the map's frame and the outlines it draws."""

from __future__ import annotations

import re

from report.svg import Point, nice_ticks, world_map
from report.world import country_outlines


def test_ticks_are_round_and_reach_the_top() -> None:
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(2) == [0.0, 1.0, 2.0]
    assert nice_ticks(7) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert nice_ticks(12_000) == [0.0, 5000.0, 10000.0, 15000.0]


def test_the_outlines_are_the_worlds_countries() -> None:
    outlines = country_outlines()
    assert len(outlines) > 200  # 173 countries, some in several parts
    lons = [lon for polygon in outlines for lon, _ in polygon[0]]
    lats = [lat for polygon in outlines for _, lat in polygon[0]]
    assert min(lons) < -170 and max(lons) > 170 and min(lats) < -80 and max(lats) > 80


def circles(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)"', svg)]


def test_the_map_frames_its_points_with_the_countries_around_them() -> None:
    points = [
        Point(longitude=30.52, latitude=50.45, value=4, label="Kyiv"),
        Point(longitude=125.75, latitude=39.03, value=6, label="Pyongyang"),
        Point(longitude=36.25, latitude=49.98, value=7, label="Kharkiv"),
    ]
    svg = world_map("m", "map", points, country_outlines(), width=560, height=380)
    found = circles(svg)
    assert len(found) == 3
    assert all(20 < x < 540 and 20 < y < 360 for x, y in found)  # inside, with a margin
    by_label = dict(zip(["Kharkiv", "Pyongyang", "Kyiv"], found, strict=True))  # drawn largest first
    assert by_label["Pyongyang"][0] > by_label["Kharkiv"][0] > by_label["Kyiv"][0]  # east is right
    assert by_label["Pyongyang"][1] > by_label["Kyiv"][1]  # south is down
    outline = re.search(r'<path d="([^"]*)"', svg)
    assert outline is not None and outline.group(1).count("M") > 20  # the countries between them


def test_without_points_the_map_is_the_world() -> None:
    svg = world_map("m", "map", [], country_outlines())
    assert circles(svg) == []
    outline = re.search(r'<path d="([^"]*)"', svg)
    assert outline is not None and outline.group(1).count("M") > 150
