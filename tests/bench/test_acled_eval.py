"""Tests of bench/acled_eval.py: ACLED types as PLOVER's, one note's score, and floors on acled-dev
(skipped when the shared evaluation data is absent)."""

from __future__ import annotations

from datetime import date

import pytest

from bench import acled_eval
from bench.acled_eval import Note, Score, plover_type, score_note
from schemas import Event

# Measured by `python -m bench.acled_eval` on the 1,500 notes (rules 1.1): killed recall 0.775,
# any death found 0.869, invented deaths 0.8%, place 0.521 / 0.731, type 0.852, date 0.965.
# The floors sit a little below, the ceiling on invented deaths above.
FLOOR_KILLED_RECALL = 0.75
FLOOR_DEATH_FOUND = 0.84
CEILING_INVENTED = 0.015
FLOOR_PLACE_AREA = 0.71
FLOOR_PLACE_EXACT = 0.50
FLOOR_TYPE = 0.83
FLOOR_DATE = 0.94


def test_acled_types_map_to_plover() -> None:
    assert plover_type("Battles", "Armed clash") == "ASSAULT"
    assert plover_type("Violence against civilians", "Abduction/forced disappearance") == "COERCE"
    assert plover_type("Riots", "Mob violence") == "PROTEST"
    assert plover_type("Strategic developments", "Agreement") is None


def test_a_note_is_scored_on_its_deaths_place_type_and_date() -> None:
    note = Note("X1", "text", 2, date(2022, 1, 3), "ASSAULT", "Mosul", ("Ninewa", "Iraq"))
    event = Event(
        event_id="e", article_id="a", event_type="ASSAULT", killed=2, location="Ninewa", event_date=date(2022, 1, 4),
        evidence="text", char_start=0, char_end=4, confidence=1, extractor="t",
    )  # fmt: skip
    score = Score()
    score_note(note, [event], score)
    assert (score.killed_exact, score.killed_found, score.place_exact, score.place_area) == (1, 1, 0, 1)
    assert (score.type_right, score.date_right) == (1, 1)
    quiet = Note("X2", "text", 0, date(2022, 1, 3), None, "Mosul", ())
    score_note(quiet, [event], score)
    assert (score.without_deaths, score.invented, score.typed) == (1, 1, 1)


def test_acled_dev_stays_above_its_floors() -> None:
    if not acled_eval.DEFAULT_FILE.is_file():
        pytest.skip(f"acled-dev is not at {acled_eval.DEFAULT_FILE} (shared evaluation data)")
    notes = acled_eval.load(acled_eval.DEFAULT_FILE)
    assert len(notes) == 1500
    s = acled_eval.evaluate(notes)
    assert s.share(s.killed_exact, s.with_deaths) >= FLOOR_KILLED_RECALL
    assert s.share(s.killed_found, s.with_deaths) >= FLOOR_DEATH_FOUND
    assert s.share(s.invented, s.without_deaths) <= CEILING_INVENTED
    assert s.share(s.place_area, s.notes) >= FLOOR_PLACE_AREA
    assert s.share(s.place_exact, s.notes) >= FLOOR_PLACE_EXACT
    assert s.share(s.type_right, s.typed) >= FLOOR_TYPE
    assert s.share(s.date_right, s.notes) >= FLOOR_DATE
