"""Events scored on ACLED's coded notes: killed figures, invented deaths, place, type and date.

Each of the 1,500 notes of acled-dev (2022, many countries) is one event as ACLED's analysts
coded it; the note goes to the extractor as an article with no published date (notes state
their dates). For each note:

- killed: the largest `killed` of the note's events, against ACLED's `fatalities` (the lowest
  credible figure). Recall is the share of notes with deaths where it equals the gold; found is
  the share where any death is reported at all. Invented deaths: notes with 0 fatalities where
  the extractor reports any killed (ACLED's 0 can mean "none reported").
- place: the share of notes where an event's `location` is ACLED's `location` (the most specific
  place), and where it is that or one of the note's admin areas or its country.
- country: of the notes where an event has a country, the share where the first such event's
  `country` is ACLED's.
- map: the share of notes where an event's `latitude`/`longitude` lies within 25 km of ACLED's
  coordinates, and of the notes where an event has coordinates at all, the share within 25 km.
- type: the note's first event with a type, against ACLED's type mapped to PLOVER (battles,
  explosions and violence against civilians are ASSAULT, abductions and arrests COERCE, protests
  and riots PROTEST; strategic developments are not scored).
- date: the share of notes with an event dated within a day of ACLED's `event_date`.

The notes fall in two parts by a hash of their ids: `tune` (about two thirds) and `held-out`,
reported apart.

Run: `.venv/bin/python -m bench.acled_eval [--file ../shared/eval/acled-dev/acled_2022h1_dev.csv]`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dedup import identify
from extractors.events import RuleExtractor
from extractors.events.entities import find_entities
from schemas import Event, ParsedArticle

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "acled-dev" / "acled_2022h1_dev.csv"

_COERCE_SUBTYPES = frozenset({"Abduction/forced disappearance", "Arrests"})
_ASSAULT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_PROTEST_TYPES = frozenset({"Protests", "Riots"})


@dataclass(frozen=True)
class Note:
    """One coded ACLED event."""

    event_id: str
    text: str
    fatalities: int
    event_date: date
    plover: str | None
    location: str
    areas: tuple[str, ...]  # admin1-3 and the country
    country: str | None = None  # ISO 3166-1 alpha-3
    latitude: float | None = None
    longitude: float | None = None


def plover_type(event_type: str, sub_event_type: str) -> str | None:
    """ACLED's type as PLOVER's, or None for strategic developments."""
    if sub_event_type in _COERCE_SUBTYPES:
        return "COERCE"
    if event_type in _ASSAULT_TYPES:
        return "ASSAULT"
    if event_type in _PROTEST_TYPES:
        return "PROTEST"
    return None


def part_of(event_id: str) -> str:
    """`held-out` for about a third of the notes, chosen by a hash of the id; else `tune`."""
    return "held-out" if int(hashlib.sha1(event_id.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def load(path: Path) -> list[Note]:
    """The notes of the CSV file, in file order."""
    notes = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            notes.append(
                Note(
                    event_id=row["event_id_cnty"],
                    text=row["notes"],
                    fatalities=int(row["fatalities"] or 0),
                    event_date=date.fromisoformat(row["event_date"]),
                    plover=plover_type(row["event_type"], row["sub_event_type"]),
                    location=row["location"],
                    areas=tuple(a for a in (row["admin3"], row["admin2"], row["admin1"], row["country"]) if a),
                    country=_iso3(row["country"]),
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                )
            )
    return notes


@dataclass
class Score:
    """Counts behind the figures."""

    notes: int = 0
    with_deaths: int = 0
    killed_exact: int = 0
    killed_found: int = 0
    without_deaths: int = 0
    invented: int = 0
    place_exact: int = 0
    place_area: int = 0
    with_country: int = 0
    country_right: int = 0
    with_coordinates: int = 0
    near: int = 0
    typed: int = 0
    type_right: int = 0
    date_right: int = 0

    def share(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0


def _same(a: str | None, b: str) -> bool:
    return a is not None and a.casefold().strip() == b.casefold().strip()


def score_note(note: Note, events: Sequence[Event], score: Score) -> None:
    """Add one note's outcome to `score`."""
    score.notes += 1
    killed = max((e.killed for e in events if e.killed is not None), default=0)
    if note.fatalities > 0:
        score.with_deaths += 1
        score.killed_exact += killed == note.fatalities
        score.killed_found += killed > 0
    else:
        score.without_deaths += 1
        score.invented += killed > 0
    if any(_same(e.location, note.location) for e in events):
        score.place_exact += 1
        score.place_area += 1
    elif any(_same(e.location, area) for e in events for area in note.areas):
        score.place_area += 1
    country = next((e.country for e in events if e.country is not None), None)
    if country is not None:
        score.with_country += 1
        score.country_right += country == note.country
    located = [e for e in events if e.latitude is not None and e.longitude is not None]
    if located:
        score.with_coordinates += 1
        if note.latitude is not None and note.longitude is not None:
            score.near += any(
                _km(e.latitude or 0.0, e.longitude or 0.0, note.latitude, note.longitude) <= _NEAR_KM for e in located
            )
    if note.plover is not None:
        score.typed += 1
        first = next((e.event_type for e in events if e.event_type is not None), None)
        score.type_right += first == note.plover
    score.date_right += any(
        e.event_date is not None and abs((e.event_date - note.event_date).days) <= 1 for e in events
    )


_NEAR_KM = 25.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _iso3(country: str) -> str | None:
    """ACLED's country name as ISO 3166-1 alpha-3, through the entity finder's own gazetteer."""
    found = [m.country for m in find_entities(country) if m.kind == "country"]
    return found[0] if found else None


def evaluate(notes: Sequence[Note]) -> Score:
    """Run the extractor over the notes and score them."""
    extractor = RuleExtractor()
    parsed = [
        ParsedArticle(source="acled", uri=f"acled:{n.event_id}", title="", text=n.text, word_count=len(n.text.split()))
        for n in notes
    ]
    score = Score()
    for note, article in zip(notes, identify(parsed), strict=True):
        score_note(note, extractor.extract(article).events, score)
    return score


def report(label: str, score: Score) -> Iterator[str]:
    """The figures as printed."""
    s = score
    yield f"{label}: {s.notes} notes ({s.with_deaths} with deaths)"
    yield (
        f"  killed recall {s.share(s.killed_exact, s.with_deaths):.3f} (the gold figure), "
        f"{s.share(s.killed_found, s.with_deaths):.3f} (any death found); invented deaths in "
        f"{s.share(s.invented, s.without_deaths):.1%} of {s.without_deaths} notes without"
    )
    yield (
        f"  place {s.share(s.place_exact, s.notes):.3f} (ACLED's location), {s.share(s.place_area, s.notes):.3f} "
        "(it, or one of its admin areas or country)"
    )
    yield (
        f"  country {s.share(s.country_right, s.with_country):.3f} of {s.with_country} notes with one; "
        f"on the map within {_NEAR_KM:.0f} km {s.share(s.near, s.notes):.3f} of all notes, "
        f"{s.share(s.near, s.with_coordinates):.3f} of {s.with_coordinates} with coordinates"
    )
    yield (
        f"  type {s.share(s.type_right, s.typed):.3f} of {s.typed} typed notes; "
        f"date within a day {s.share(s.date_right, s.notes):.3f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the scores of both parts and of all notes; exit 1 when the data is missing."""
    parser = argparse.ArgumentParser(prog="python -m bench.acled_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the acled-dev CSV file")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"bench.acled_eval: no ACLED notes at {args.file}", file=sys.stderr)
        return 1
    notes = load(args.file)
    print("newsflow events on ACLED notes (acled-dev, 2022 H1)")
    print("\n".join(report("all", evaluate(notes))))
    for part in ("tune", "held-out"):
        print("\n".join(report(part, evaluate([n for n in notes if part_of(n.event_id) == part]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
