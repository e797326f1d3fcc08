"""Charts as inline SVG, drawn by hand: columns over time, a heatmap, horizontal bars and a map.

No script and no fonts or tiles to fetch: the page shows the same thing in any browser, offline,
and a chart's numbers are in its `<title>` tooltips. Every function returns one `<svg>` element
with `class="chart"` and `data-chart` naming it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from report.world import Polygon

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
"""Colours for categories (Tableau 10): distinct in print and for most colour-blind readers."""
INK = "#333"
GRID = "#e3e3e3"
MUTED = "#888"
LABEL_SPACE = 84.0
"""Pixels between the centres of two labels of a time axis (a date is some 60 wide)."""


@dataclass(frozen=True)
class Segment:
    """One series of a column chart: a value per label, drawn in one colour."""

    name: str
    color: str
    values: Sequence[float]


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart; `note` is a second, smaller line under the label."""

    label: str
    value: float
    color: str = PALETTE[0]
    note: str = ""
    detail: str = ""
    """Extra text for the tooltip."""


@dataclass(frozen=True)
class Point:
    """A place on the map, its circle sized by `value`."""

    longitude: float
    latitude: float
    value: float
    label: str
    detail: str = ""
    color: str = PALETTE[2]


@dataclass
class _Svg:
    chart: str
    width: float
    height: float
    label: str
    parts: list[str] = field(default_factory=list)

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x: float, y: float, content: str, *, anchor: str = "start", size: int = 11, fill: str = INK) -> None:
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(content)}</text>"
        )

    def rect(self, x: float, y: float, w: float, h: float, fill: str, tip: str) -> None:
        self.add(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{max(h, 0.5):.1f}" fill="{fill}">'
            f"<title>{escape(tip)}</title></rect>"
        )

    def render(self) -> str:
        return (
            f'<svg class="chart" data-chart="{escape(self.chart)}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {self.width:.0f} {self.height:.0f}" width="{self.width:.0f}" height="{self.height:.0f}" '
            f'role="img" aria-label="{escape(self.label)}" font-family="system-ui, sans-serif">'
            + "".join(self.parts)
            + "</svg>"
        )


def number(value: float) -> str:
    """A count as people read it: 12,000; 2.5 for a fraction."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `top`: steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)  # counts: no tick between whole numbers
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def columns(
    chart: str,
    label: str,
    labels: Sequence[str],
    stacks: Sequence[Sequence[Segment]],
    *,
    width: float = 1100,
    height: float = 200,
    last_apart: bool = False,
) -> str:
    """Columns over time: at each label, one column per stack, side by side, each stacked from its segments.

    Args:
        chart: the chart's name (`data-chart`).
        label: what it shows, for screen readers.
        labels: the x axis (days, weeks or months), oldest first.
        stacks: the columns drawn side by side at each label; a stack's segments pile up.
        width: width in pixels; height likewise.
        last_apart: the last label (undated) stands apart after a dashed line.
    """
    svg = _Svg(chart, width, height, label)
    left, right, top, bottom = 44.0, 8.0, 8.0, 22.0
    plot_w, plot_h = width - left - right, height - top - bottom
    slots = len(labels) + (0.6 if last_apart else 0.0)
    slot = plot_w / max(slots, 1.0)
    totals = [sum(segment.values[i] for segment in stack) for stack in stacks for i in range(len(labels))] or [0.0]
    ticks = nice_ticks(max(totals))
    y_max = ticks[-1]
    for tick in ticks:
        y = top + plot_h * (1 - tick / y_max)
        svg.add(f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        svg.text(left - 6, y + 4, number(tick), anchor="end", size=10, fill=MUTED)
    group = slot * (0.84 if len(stacks) > 1 else 0.7)
    bar_w = group / max(len(stacks), 1)
    step = max(1, math.ceil(LABEL_SPACE / slot))
    apart_x = left + slot * (len(labels) - 0.4) if last_apart else math.inf
    for i, name in enumerate(labels):
        apart = last_apart and i == len(labels) - 1
        x0 = left + slot * (i + (0.6 if apart else 0.0)) + (slot - group) / 2
        if apart:
            line_x = left + slot * (i + 0.3)
            svg.add(
                f'<line x1="{line_x:.1f}" x2="{line_x:.1f}" y1="{top:.1f}" y2="{top + plot_h:.1f}" '
                f'stroke="{MUTED}" stroke-dasharray="3 3"/>'
            )
        for j, stack in enumerate(stacks):
            base = 0.0
            for segment in stack:
                value = segment.values[i]
                if value <= 0:
                    continue
                y = top + plot_h * (1 - (base + value) / y_max)
                svg.rect(
                    x0 + j * bar_w,
                    y,
                    bar_w * 0.92,
                    plot_h * value / y_max,
                    segment.color,
                    f"{name} · {segment.name}: {number(value)}",
                )
                base += value
        if apart or (i % step == 0 and apart_x - (x0 + group / 2) > LABEL_SPACE * 0.9):
            svg.text(x0 + group / 2, height - 6, name, anchor="middle", size=10, fill=INK if apart else MUTED)
    svg.add(
        f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{top + plot_h:.1f}" y2="{top + plot_h:.1f}" '
        f'stroke="{INK}"/>'
    )
    return svg.render()


def heatmap(
    chart: str,
    label: str,
    rows: Sequence[str],
    cols: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    width: float = 1100,
    last_apart: bool = False,
) -> str:
    """A grid of counts: a row per category, a column per time label; darker is more."""
    left, right, top, bottom, cell_h = 128.0, 8.0, 4.0, 22.0, 18.0
    height = top + cell_h * len(rows) + bottom
    svg = _Svg(chart, width, height, label)
    gap = 0.6 if last_apart else 0.0
    cell_w = (width - left - right) / max(len(cols) + gap, 1.0)
    peak = max((v for row in values for v in row), default=0.0) or 1.0
    step = max(1, math.ceil(LABEL_SPACE / cell_w))
    for r, name in enumerate(rows):
        y = top + r * cell_h
        svg.text(left - 6, y + cell_h - 5, name, anchor="end", size=10)
        for c, col in enumerate(cols):
            value = values[r][c]
            x = left + cell_w * (c + (gap if last_apart and c == len(cols) - 1 else 0.0))
            if value <= 0:
                svg.add(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 1:.1f}" height="{cell_h - 1:.1f}" fill="#f6f6f6"/>'
                )
                continue
            shade = math.sqrt(value / peak)
            svg.rect(
                x, y, cell_w - 1, cell_h - 1, _blend("#dbe9f6", "#08306b", shade), f"{name} · {col}: {number(value)}"
            )
            if cell_w >= 18:
                svg.text(
                    x + (cell_w - 1) / 2,
                    y + cell_h - 5,
                    number(value),
                    anchor="middle",
                    size=9,
                    fill="#fff" if shade > 0.55 else INK,
                )
    apart_x = left + cell_w * (len(cols) - 1 + gap) + cell_w / 2 if last_apart else math.inf
    for c, col in enumerate(cols):
        apart = last_apart and c == len(cols) - 1
        x = left + cell_w * (c + (gap if apart else 0.0)) + cell_w / 2
        if apart or (c % step == 0 and apart_x - x > LABEL_SPACE * 0.9):
            svg.text(x, height - 6, col, anchor="middle", size=10, fill=INK if apart else MUTED)
    return svg.render()


def bars(chart: str, label: str, items: Sequence[Bar], *, width: float = 540, label_width: float = 250) -> str:
    """Horizontal bars, one per item, longest first as given; the value is written after each bar."""
    with_notes = any(item.note for item in items)
    row_h = 34.0 if with_notes else 22.0
    height = row_h * len(items) + 6
    svg = _Svg(chart, width, height, label)
    peak = max((item.value for item in items), default=0.0) or 1.0
    bar_space = width - label_width - 52
    for i, item in enumerate(items):
        y = 3 + i * row_h
        svg.text(label_width - 8, y + 14, _clip(item.label, label_width / 6.2), anchor="end", size=11)
        if item.note:
            svg.text(label_width - 8, y + 27, _clip(item.note, label_width / 5.6), anchor="end", size=9, fill=MUTED)
        w = bar_space * item.value / peak
        tip = f"{item.label}: {number(item.value)}" + (f" · {item.detail}" if item.detail else "")
        svg.rect(label_width, y + 3, w, 14, item.color, tip)
        svg.text(label_width + w + 5, y + 14, number(item.value), size=10, fill=MUTED)
    return svg.render()


def world_map(
    chart: str,
    label: str,
    points: Sequence[Point],
    outlines: Sequence[Polygon],
    *,
    width: float = 560,
    height: float = 380,
    labelled: int = 8,
) -> str:
    """Places as circles over country outlines, framed on the points (the whole world when there are none).

    An equirectangular projection, its longitude scaled by the cosine of the middle latitude so
    that shapes near the frame's centre keep their proportions. Circle areas follow the values.
    """
    west, east, south, north = _frame(points, width / height)
    mid = math.radians((south + north) / 2)
    scale = min(width / ((east - west) * math.cos(mid)), height / (north - south))
    kx, ky = scale * math.cos(mid), scale
    x_off = (width - (east - west) * kx) / 2
    y_off = (height - (north - south) * ky) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return x_off + (lon - west) * kx, y_off + (north - lat) * ky

    svg = _Svg(chart, width, height, label)
    svg.add(f'<defs><clipPath id="{chart}-frame"><rect width="{width:.0f}" height="{height:.0f}"/></clipPath></defs>')
    svg.add(f'<rect width="{width:.0f}" height="{height:.0f}" fill="#eaf2f8"/>')
    paths = []
    for polygon in outlines:
        lons = [p[0] for p in polygon[0]]
        lats = [p[1] for p in polygon[0]]
        if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
            continue
        paths.append("".join(_ring_path([project(lon, lat) for lon, lat in ring]) for ring in polygon))
    svg.add(
        f'<g clip-path="url(#{chart}-frame)"><path d="{"".join(paths)}" fill="#fbfbf8" stroke="#9aa5ad" '
        'stroke-width="0.6" fill-rule="evenodd"/>'
    )
    peak = max((p.value for p in points), default=1.0) or 1.0
    # The largest circle shrinks as places grow many, so that together they cover some 12% of the map.
    r_max = min(max(math.sqrt(width * height * 0.12 / (math.pi * max(len(points), 1))), 4.0), 14.0)
    r_min = min(3.0, r_max / 2)

    def radius(value: float) -> float:
        return r_min + (r_max - r_min) * math.sqrt(value / peak)

    for point in sorted(points, key=lambda p: -p.value):
        x, y = project(point.longitude, point.latitude)
        r = radius(point.value)
        tip = f"{point.label}: {number(point.value)}" + (f" · {point.detail}" if point.detail else "")
        svg.add(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{point.color}" fill-opacity="0.55" '
            f'stroke="#fff" stroke-width="0.8"><title>{escape(tip)}</title></circle>'
        )
    written: list[tuple[float, float, float, float]] = []
    for point in sorted(points, key=lambda p: -p.value):
        if len(written) == labelled:
            break
        x, y = project(point.longitude, point.latitude)
        r = radius(point.value)
        text_w = 6.0 * len(point.label)
        left_side = x + r + 2 + text_w > width  # past the right edge: the label goes left of its circle
        start = x - r - 2 - text_w if left_side else x + r + 2
        box = (start, y - 7, start + text_w, y + 5)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in written):
            continue  # it would cover a label of a place with more events
        written.append(box)
        svg.add(
            f'<text x="{start + (text_w if left_side else 0):.1f}" y="{y + 4:.1f}" font-size="10" fill="{INK}" '
            f'text-anchor="{"end" if left_side else "start"}" stroke="#fff" stroke-width="2.5" '
            f'paint-order="stroke">{escape(point.label)}</text>'
        )
    svg.add("</g>")
    svg.add(f'<rect width="{width:.0f}" height="{height:.0f}" fill="none" stroke="{GRID}"/>')
    return svg.render()


def _frame(points: Sequence[Point], aspect: float) -> tuple[float, float, float, float]:
    """West, east, south, north around the points with a margin, at least a region's size; the world without points."""
    if not points:
        return -180.0, 180.0, -58.0, 84.0
    west, east = min(p.longitude for p in points), max(p.longitude for p in points)
    south, north = min(p.latitude for p in points), max(p.latitude for p in points)
    lon_span = max(east - west, 12.0) * 1.3
    lat_span = max(north - south, 8.0) * 1.3
    mid_lat = max(min((south + north) / 2, 80.0), -80.0)
    # Widen the shorter side so that the frame has the chart's proportions once projected.
    cos = math.cos(math.radians(mid_lat))
    if lon_span * cos / lat_span < aspect:
        lon_span = lat_span * aspect / cos
    else:
        lat_span = lon_span * cos / aspect
    lon_mid = (west + east) / 2
    lon_span, lat_span = min(lon_span, 360.0), min(lat_span, 170.0)
    west, east = lon_mid - lon_span / 2, lon_mid + lon_span / 2
    south, north = mid_lat - lat_span / 2, mid_lat + lat_span / 2
    if north > 85.0:
        south, north = south - (north - 85.0), 85.0
    if south < -85.0:
        south, north = -85.0, north + (-85.0 - south)
    return west, east, south, north


def _ring_path(points: Sequence[tuple[float, float]]) -> str:
    kept: list[tuple[float, float]] = []
    for x, y in points:
        if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 0.7:
            kept.append((x, y))
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept) + "Z"


def _blend(light: str, dark: str, t: float) -> str:
    a = [int(light[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(dark[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def _clip(text: str, chars: float) -> str:
    limit = max(int(chars), 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
