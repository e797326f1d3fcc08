"""Tests of bench/judged_eval.py: the judged sample is whole, and its report counts what it says."""

from __future__ import annotations

from bench.judged_eval import read_judged, report


def test_the_judged_sample_is_whole() -> None:
    rows = read_judged()
    assert len(rows) == 50
    assert all(isinstance(r["event_ok"], bool) and r["evidence"] for r in rows)
    assert all(r[key] is None or isinstance(r[key], bool) for r in rows for key in ("figures_ok", "place_ok"))


def test_the_report_counts_right_events_per_confidence_band() -> None:
    rows = [
        {"event_ok": True, "figures_ok": None, "place_ok": True, "claimant_ok": None, "confidence": 0.8},
        {"event_ok": False, "figures_ok": False, "place_ok": None, "claimant_ok": None, "confidence": 0.5},
    ]
    lines = list(report(rows))
    assert lines[0].split()[:4] == ["events", "1", "of", "2"]
    assert "0 of 1 events right" in lines[4] and "1 of 1 events right" in lines[6]
