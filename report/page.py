"""The report page: one self-contained HTML file built from what `store.report` read, no script in it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from html import escape

from report import svg
from report.svg import PALETTE, Bar, Point, Segment
from report.world import country_outlines
from schemas.report import ReportData

UNDATED = "undated"
DAILY_UP_TO = 120
"""Days spanned that are still drawn a column a day; longer spans a column a week, past three years a month."""
TOP_PLACES = 15
TOP_CLAIMANTS = 7
"""Claimants drawn by name in the casualties chart; the rest add up as 'other claimants'."""
TOP_TYPES = 16

# Nothing on the page may load anything: no script, no image, no font, no frame, no form target.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0;
       background: #fafafa; }
main { max-width: 1140px; margin: 0 auto; padding: 18px 20px 40px; }
h1 { font-size: 22px; margin: 4px 0 2px; }
h2 { font-size: 16px; margin: 0 0 6px; }
p.meta, p.note, p.empty { color: #666; font-size: 12px; margin: 4px 0 8px; }
p.empty { font-style: italic; padding: 18px 0; }
section { background: #fff; border: 1px solid #e6e6e6; border-radius: 6px; padding: 14px 16px; margin: 14px 0; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 0; }
.tile { background: #fff; border: 1px solid #e6e6e6; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.tile b { display: block; font-size: 22px; }
.tile span { color: #666; font-size: 12px; }
.legend { font-size: 12px; color: #444; margin: 0 0 4px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: -1px; }
.legend i:first-child { margin-left: 0; }
.row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.row > div { flex: 1 1 400px; min-width: 0; }
svg.chart { max-width: 100%; height: auto; display: block; }
h3 { font-size: 13px; margin: 10px 0 2px; color: #444; }
table { border-collapse: collapse; font-size: 12px; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
footer { color: #777; font-size: 11px; margin-top: 18px; }
code { font-size: 11px; }
"""


def build_page(data: ReportData) -> str:
    """Return the report as one HTML document: summary, stories and events over time, where events happen,
    events by type, killed and injured by claimant, the largest stories, rejects."""
    axis = _TimeAxis.around(
        [row.day for row in data.story_days]
        + [row.day for row in data.event_days]
        + [row.day for row in data.casualties]
    )
    sections = [
        _summary(data),
        _stories_and_events(data, axis),
        _places(data),
        _types_over_time(data, axis),
        _casualties(data, axis),
        _largest_stories(data),
        _rejects(data),
    ]
    title = "newsflow report"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body><main>\n"
        + "\n".join(sections)
        + "\n"
        + _footer(data)
        + "\n</main></body></html>\n"
    )


class _TimeAxis:
    """The columns of the charts over time: days, weeks or months from the first dated row to the last."""

    def __init__(self, unit: str, keys: list[date], key: Callable[[date], date]) -> None:
        self.unit = unit
        self.keys = keys
        self.key = key

    @classmethod
    def around(cls, days: Iterable[date | None]) -> _TimeAxis:
        dated = [d for d in days if d is not None]
        if not dated:
            return cls("day", [], lambda d: d)
        first, last = min(dated), max(dated)
        span = (last - first).days
        key: Callable[[date], date]
        if span <= DAILY_UP_TO:
            unit, key = "day", lambda d: d
        elif span <= 3 * 366:
            unit, key = "week", lambda d: d - timedelta(days=d.weekday())
        else:
            unit, key = "month", lambda d: d.replace(day=1)
        keys, current = [], key(first)
        while current <= last:
            keys.append(current)
            current = key(current + timedelta(days=32 if unit == "month" else 7 if unit == "week" else 1))
        return cls(unit, keys, key)

    def only(self, days: Iterable[date | None]) -> _TimeAxis:
        """The same unit, with the columns that hold one of `days` only."""
        return _TimeAxis(self.unit, sorted({self.key(d) for d in days if d is not None}), self.key)

    def labels(self, undated: bool) -> list[str]:
        names = [self._name(k) for k in self.keys]
        return [*names, UNDATED] if undated else names

    def index(self, day: date | None, undated: bool) -> int | None:
        """The column of `day`: its bucket, or the undated column last (None when there is none)."""
        if day is None:
            return len(self.keys) if undated else None
        return self.keys.index(self.key(day))

    def _name(self, key: date) -> str:
        """A column's label: the day, the week's Monday, or the month."""
        if self.unit == "month":
            return key.strftime("%Y-%m")
        return key.isoformat()  # a week by its Monday


def _summary(data: ReportData) -> str:
    t = data.totals
    by_publication = sum(row.events for row in data.event_days if not row.dated and row.day is not None)
    undated = t.events - t.events_dated - by_publication
    since = f" · from {data.since.isoformat()} on" if data.since else ""
    coder = f" · events coded by <b>{escape(data.extractor)}</b>" if data.extractor else ""
    tiles = [
        ("articles", t.articles, "articles"),
        ("stories", t.stories, "stories"),
        ("events", t.events, "events"),
        ("located", t.events_located, "events on the map"),
        ("rejects", t.rejects, "rejected inputs"),
        ("runs", t.runs, "runs"),
    ]
    return (
        '<header id="summary">'
        "<h1>newsflow report</h1>"
        f'<p class="meta">{escape(data.database)}{since}{coder} · made '
        f"{data.generated_at.strftime('%Y-%m-%d %H:%M UTC')}</p>"
        '<div class="tiles">'
        + "".join(
            f'<div class="tile" data-total="{key}" data-value="{value}">'
            f"<b>{value:,}</b><span>{escape(label)}</span></div>"
            for key, value, label in tiles
        )
        + "</div>"
        f'<p class="note">Events: {t.events_dated:,} dated to the day by their sentence, {by_publication:,} '
        f"counted on their article's publication day, {undated:,} undated.</p></header>"
    )


def _legend(items: Sequence[tuple[str, str]]) -> str:
    return '<p class="legend">' + "".join(f'<i style="background:{c}"></i>{escape(n)}' for n, c in items) + "</p>"


def _section(anchor: str, title: str, body: str, note: str = "") -> str:
    return (
        f'<section id="{anchor}"><h2>{escape(title)}</h2>'
        + (f'<p class="note">{note}</p>' if note else "")
        + body
        + "</section>"
    )


def _nothing(data: ReportData, what: str, hint: str = "") -> str:
    if data.since is not None:
        return f"No {what} from {data.since.isoformat()} on."
    return f"No {what} yet" + (f": {hint}." if hint else ".")


def _from(data: ReportData) -> str:
    return f" from {data.since.isoformat()} on." if data.since is not None else "."


def _empty(text: str) -> str:
    """A chart's place when it has nothing to draw; `command` in backquotes is set as code."""
    return '<p class="empty">' + re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)) + "</p>"


def _stories_and_events(data: ReportData, axis: _TimeAxis) -> str:
    unit = axis.unit
    title = f"Stories and events per {unit}"
    if not data.story_days and not data.event_days:
        return _section("per-day", title, _empty(_nothing(data, "stories", "run `newsflow run` to ingest articles")))
    undated = any(r.day is None for r in data.story_days) or any(r.day is None for r in data.event_days)
    labels = axis.labels(undated)
    stories = [0.0] * len(labels)
    for story_row in data.story_days:
        at = axis.index(story_row.day, undated)
        if at is not None:
            stories[at] += story_row.stories
    dated, published = [0.0] * len(labels), [0.0] * len(labels)
    for row in data.event_days:
        at = axis.index(row.day, undated)
        if at is not None:
            (dated if row.dated else published)[at] += row.events
    story_chart = svg.columns(
        "stories-per-day",
        f"Stories per {unit}",
        labels,
        [[Segment("stories", PALETTE[0], stories)]],
        height=150,
        last_apart=undated,
    )
    event_chart = (
        svg.columns(
            "events-per-day",
            f"Events per {unit}",
            labels,
            [
                [
                    Segment("dated to the day by their sentence", PALETTE[1], dated),
                    Segment("by publication day", "#f7c08a", published),
                ]
            ],
            height=190,
            last_apart=undated,
        )
        if data.event_days
        else _empty(
            _nothing(data, "events")
            if data.since
            else "No events: this database has articles but no coded events (`newsflow extract` codes them)."
        )
    )
    note = (
        f"A story counts on the {unit} its canonical copy was published. An event counts on the day its "
        "sentence gives, else on the day its article was published; <i>undated</i> holds what has neither."
    )
    legend = _legend([("dated to the day by their sentence", PALETTE[1]), ("by publication day", "#f7c08a")])
    body = "<h3>Stories</h3>" + story_chart + "<h3>Events</h3>" + (legend if data.event_days else "") + event_chart
    return _section("per-day", title, body, note)


def _types_over_time(data: ReportData, axis: _TimeAxis) -> str:
    title = f"Events by type per {axis.unit}"
    if not data.event_days:
        return _section("types", title, _empty(_nothing(data, "events")))
    undated = any(r.day is None for r in data.event_days)
    labels = axis.labels(undated)
    totals: dict[str, int] = defaultdict(int)
    for row in data.event_days:
        totals[row.event_type] += row.events
    types = sorted(totals, key=lambda k: (-totals[k], k))[:TOP_TYPES]
    grid = {kind: [0.0] * len(labels) for kind in types}
    for row in data.event_days:
        at = axis.index(row.day, undated)
        if row.event_type in grid and at is not None:
            grid[row.event_type][at] += row.events
    chart = svg.heatmap(
        "events-by-type",
        title,
        [f"{kind} ({totals[kind]:,})" for kind in types],
        labels,
        [grid[kind] for kind in types],
        last_apart=undated,
    )
    return _section("types", title, chart, "PLOVER event types, most frequent first; a darker cell holds more events.")


def _casualties(data: ReportData, axis: _TimeAxis) -> str:
    title = f"Killed and injured per {axis.unit}, by who claims them"
    if not data.casualties:
        return _section(
            "casualties", title, _empty("No event states a number of people killed or injured" + _from(data))
        )
    undated = any(r.day is None for r in data.casualties)
    axis = axis.only([r.day for r in data.casualties])  # a column where there are figures, not one a day
    labels = axis.labels(undated)
    weight: dict[str, int] = defaultdict(int)
    for row in data.casualties:
        weight[_claimant(row.claimed_by)] += row.killed + row.injured
    named = sorted(weight, key=lambda k: (-weight[k], k))
    shown = named if len(named) <= TOP_CLAIMANTS + 1 else named[:TOP_CLAIMANTS]  # no 'other' of one
    other = "other claimants"
    columns = [*shown, *([other] if len(named) > len(shown) else [])]
    colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(columns)}
    panels = []
    for counted in ("killed", "injured"):
        values = {name: [0.0] * len(labels) for name in columns}
        for row in data.casualties:
            name = _claimant(row.claimed_by)
            at = axis.index(row.day, undated)
            if at is not None:
                values[name if name in values else other][at] += getattr(row, counted)
        if not any(v for series in values.values() for v in series):
            panels.append(f"<h3>{counted.capitalize()}</h3>" + _empty(f"No figure of people {counted}."))
            continue
        panels.append(
            f"<h3>{counted.capitalize()}</h3>"
            + svg.columns(
                f"{counted}-by-claimant",
                f"{counted.capitalize()} per {axis.unit} by claimant",
                labels,
                [[Segment(name, colors[name], values[name])] for name in columns],
                height=170,
                last_apart=undated,
            )
        )
    note = (
        f"Each claimant's figures side by side, on the {axis.unit} of the event (else of its article's "
        f"publication); only {axis.unit}s with figures are shown. Competing counts of one incident stand next "
        "to each other. These are each event's own figures (events.killed, events.injured); the claims view "
        "holds every figure with its qualifier."
    )
    return _section("casualties", title, _legend([(n, colors[n]) for n in columns]) + "".join(panels), note)


def _claimant(name: str | None) -> str:
    return name if name else "nobody named"


def _largest_stories(data: ReportData) -> str:
    title = "Largest stories"
    if not data.stories:
        return _section("stories", title, _empty(_nothing(data, "stories")))
    items = []
    for story in data.stories:
        outlets = ", ".join(
            f"{o.outlet or 'no outlet named'}" + (f" ×{o.copies}" if o.copies > 1 else "") for o in story.outlets
        )
        day = story.day.isoformat() if story.day else "undated"
        items.append(
            Bar(
                label=story.title or story.story_id,
                value=story.n_articles,
                note=f"{day} · {outlets}",
                detail=f"{story.n_outlets} outlets · story {story.story_id}",
            )
        )
    chart = svg.bars("largest-stories", title, items, width=1100, label_width=640)
    return _section(
        "stories",
        title,
        chart,
        "Copies of each story (the bar), with the day its canonical copy was published and the outlets "
        "that carried it (×copies).",
    )


def _places(data: ReportData) -> str:
    title = "Where events happen"
    if not data.places:
        return _section("places", title, _empty("No event names a place" + _from(data)))
    points = [
        Point(
            longitude=p.longitude,
            latitude=p.latitude,
            value=p.events,
            label=p.location,
            detail=", ".join(x for x in (p.admin1, p.country) if x)
            + f" · {p.events} events, {p.killed} killed, {p.injured} injured",
        )
        for p in data.places
        if p.latitude is not None and p.longitude is not None
    ]
    t = data.totals
    map_part = (
        svg.world_map("events-map", "Events on the map", points, country_outlines())
        if points
        else _empty("No event has coordinates (only towns the gazetteer knows have them)" + _from(data))
    )
    rows = "".join(
        "<tr>"
        f"<td>{escape(p.location)}</td><td>{escape(p.admin1 or '')}</td><td>{escape(p.country or '')}</td>"
        f'<td class="n">{p.events:,}</td><td class="n">{p.killed:,}</td><td class="n">{p.injured:,}</td>'
        "</tr>"
        for p in data.places[:TOP_PLACES]
    )
    table = (
        '<table id="top-places"><thead><tr><th>place</th><th>area</th><th>country</th>'
        '<th class="n">events</th><th class="n">killed</th><th class="n">injured</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    note = (
        f"{t.events_located:,} of {t.events:,} events have coordinates: those whose place is a town the "
        "gazetteer knows (a circle's area follows its events). Countries and areas are in the table only."
    )
    body = f'<div class="row"><div>{map_part}</div><div><h3>Top places</h3>{table}</div></div>'
    return _section("places", title, body, note)


def _rejects(data: ReportData) -> str:
    title = "Rejected inputs by reason"
    if not data.rejects:
        return _section("rejects", title, _empty("Nothing was rejected" + _from(data)))
    items = [Bar(label=r.reason, value=r.rejects, color=PALETTE[2]) for r in data.rejects]
    chart = svg.bars("rejects-by-reason", title, items, width=700, label_width=180)
    return _section(
        "rejects",
        title,
        chart,
        "Every input that did not become an article; the README's Rejects table says what each reason means.",
    )


def _footer(data: ReportData) -> str:
    others = (
        f" Events of {', '.join(escape(n) for n in data.other_extractors)} are in the database too, not shown."
        if data.other_extractors
        else ""
    )
    return (
        "<footer>Made by <code>newsflow report</code> from the database's tables; ask them more with "
        "<code>newsflow query</code>. Hover over a bar, a cell or a circle for its numbers. Country outlines: "
        f"Natural Earth (public domain), as the countryinfo package ships them.{others}</footer>"
    )
