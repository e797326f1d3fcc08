"""Tests of extractors/events/places.py: geonames' towns with their areas and coordinates."""

from __future__ import annotations

import pytest

from extractors.events.places import area_countries, area_key, town, town_within, towns_named


@pytest.mark.parametrize(
    ("name", "key"),
    [("Kayah State", "kayah"), ("Provincia di Lecco", "lecco"), ("Bakhmut Raion", "bakhmut"), ("Donetsk", "donetsk")],
)
def test_an_area_is_compared_without_its_type_word(name: str, key: str) -> None:
    assert area_key(name) == key


def test_the_town_of_a_name_inside_a_named_area() -> None:
    birmingham = town_within("Birmingham", ["Alabama"], ["GBR"])
    assert birmingham is not None
    assert (birmingham.country, birmingham.admin1) == ("USA", "Alabama")
    assert 33 < birmingham.latitude < 34 and -87 < birmingham.longitude < -86
    # No town of the name in the area: the one in the given country, else none.
    other = town_within("Birmingham", ["Nowhere"], ["GBR"])
    assert other is not None and other.country == "GBR"
    assert town_within("Birmingham", ["Nowhere"], ["FRA"]) is None


def test_the_most_populous_town_of_a_name_and_spellings_without_marks() -> None:
    found = town("Pokrovsk")
    assert found is not None and (found.country, found.admin1) == ("UKR", "Donetsk")
    assert town("Pokrovsk", "RUS") is not None
    assert [t.country for t in towns_named("Bialystok")] == [t.country for t in towns_named("Białystok")] == ["POL"]


def test_areas_know_their_countries() -> None:
    assert "BRA" in area_countries("Pernambuco")
    assert "UKR" in area_countries("Donetsk Oblast")
    assert area_countries("Pernambuco Street Band") == frozenset()
