"""Tests of bench/report.py: the generated database is what it says, and a tiny run prints its figures;
no speed is asserted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import report as bench_report
from store import query


def test_the_generated_database_holds_what_was_asked(tmp_path: Path) -> None:
    path = tmp_path / "news.duckdb"
    bench_report.make_database(path, stories=40, events=300)
    (row,) = query(
        path,
        "select (select count(*) from stories), (select sum(n_articles) from stories), "
        "(select count(*) from articles), "
        "(select count(*) from events), (select count(*) from events where latitude is null), "
        "(select count(distinct date_precision) from events), (select count(*) from rejects)",
    ).rows
    assert row[0] == 40 and row[1] == row[2] == 100  # one to four copies a story
    assert row[3] == 300 and row[4] == 60  # one event in five is at a country, without coordinates
    assert row[5] == 2 and row[6] == 10  # dated to the day or the month (or undated); a reject per four stories


def test_a_tiny_run_prints_its_figures_and_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "page.html"
    assert bench_report.main(["--stories", "30", "--events", "200", "--repeat", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "30 stories, 200 events, 7 rejects" in printed
    assert re.search(r"read +[\d.]+ s +build +[\d.]+ s +page [\d,]+ KB", printed)
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
