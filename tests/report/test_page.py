"""Tests of report/page.py: the page built from report data, as pure function calls."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from report import build_page
from schemas.report import CasualtyDay, EventDay, LargeStory, Outlet, Place, RejectCount, ReportData, StoryDay, Totals

NOW = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
SECTIONS = ("summary", "per-day", "places", "types", "casualties", "stories", "rejects")


def charts(page: str) -> list[str]:
    return re.findall(r'<svg class="chart" data-chart="([^"]+)"', page)


def test_an_empty_database_gives_a_page_that_says_so() -> None:
    page = build_page(ReportData(database="empty.duckdb", generated_at=NOW))
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for anchor in SECTIONS:
        assert f'id="{anchor}"' in page
    assert charts(page) == []
    assert "No stories yet: run <code>newsflow run</code>" in page
    assert "Nothing was rejected." in page
    # Nothing to run and nothing to load, whatever the data.
    assert "<script" not in page
    assert "default-src 'none'" in page


def test_text_from_the_database_is_shown_not_run() -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    data = ReportData(
        database="news.duckdb",
        generated_at=NOW,
        totals=Totals(articles=1, stories=1, events=1, events_dated=1, events_located=1),
        story_days=[StoryDay(day=date(2024, 11, 1), stories=1)],
        event_days=[EventDay(day=date(2024, 11, 1), event_type=hostile, dated=True, events=1)],
        casualties=[CasualtyDay(day=date(2024, 11, 1), claimed_by=hostile, killed=1, injured=0)],
        stories=[
            LargeStory(
                story_id="s1",
                title=hostile,
                n_articles=1,
                n_outlets=1,
                day=None,
                outlets=[Outlet(outlet=hostile, copies=1)],
            )
        ],
        places=[
            Place(
                location=hostile,
                admin1=hostile,
                country="UKR",
                latitude=50.0,
                longitude=30.0,
                events=1,
                killed=1,
                injured=0,
            )
        ],
        rejects=[RejectCount(reason=hostile, rejects=1)],
    )
    page = build_page(data)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img" in page


def test_every_chart_of_a_database_with_events() -> None:
    day = date(2024, 11, 1)
    data = ReportData(
        database="news.duckdb",
        generated_at=NOW,
        totals=Totals(articles=3, stories=2, events=4, events_dated=2, events_located=1, rejects=1, runs=1),
        story_days=[StoryDay(day=day, stories=1), StoryDay(day=None, stories=1)],
        event_days=[
            EventDay(day=day, event_type="ASSAULT", dated=True, events=2),
            EventDay(day=day + timedelta(days=1), event_type="AID", dated=False, events=1),
            EventDay(day=None, event_type="ACCUSE", dated=False, events=1),
        ],
        casualties=[
            CasualtyDay(day=day, claimed_by="police", killed=3, injured=0),
            CasualtyDay(day=day, claimed_by="mayor", killed=4, injured=5),
        ],
        stories=[LargeStory(story_id="s1", title="Shelling", n_articles=2, n_outlets=2, day=day, outlets=[])],
        places=[
            Place(
                location="Kharkiv",
                admin1="Kharkiv",
                country="UKR",
                latitude=49.98,
                longitude=36.25,
                events=2,
                killed=7,
                injured=5,
            ),
            Place(
                location="Ukraine",
                admin1=None,
                country="UKR",
                latitude=None,
                longitude=None,
                events=1,
                killed=0,
                injured=0,
            ),
        ],
        rejects=[RejectCount(reason="empty", rejects=1)],
    )
    page = build_page(data)
    assert charts(page) == [
        "stories-per-day",
        "events-per-day",
        "events-map",
        "events-by-type",
        "killed-by-claimant",
        "injured-by-claimant",
        "largest-stories",
        "rejects-by-reason",
    ]
    # Competing claims of one day stand side by side, each with its claimant.
    assert "2024-11-01 · police: 3</title>" in page and "2024-11-01 · mayor: 4</title>" in page
    assert "2024-11-01 · mayor: 5</title>" in page
    # The undated column, and the split of events by where their day comes from.
    assert "undated · by publication day: 1</title>" in page
    assert "2 dated to the day by their sentence, 1 counted on their article's publication day, 1 undated" in page
    # Countries and areas have no coordinates: in the table, not on the map.
    table = page[page.index('<table id="top-places"') :]
    assert "<td>Ukraine</td>" in table
    assert len(re.findall(r"<circle ", page)) == 1


def test_long_spans_are_drawn_a_column_a_week_then_a_month() -> None:
    def titles(days: int) -> str:
        start = date(2020, 1, 1)
        page = build_page(
            ReportData(
                database="x",
                generated_at=NOW,
                event_days=[
                    EventDay(day=start, event_type="AID", dated=True, events=1),
                    EventDay(day=start + timedelta(days=days), event_type="AID", dated=True, events=1),
                ],
            )
        )
        match = re.search(r"<h2>(Events by type per \w+)</h2>", page)
        assert match is not None
        return match.group(1)

    assert titles(100) == "Events by type per day"
    assert titles(400) == "Events by type per week"
    assert titles(2000) == "Events by type per month"


def test_claimants_past_the_seventh_add_up_as_others() -> None:
    day = date(2024, 11, 1)
    many = [CasualtyDay(day=day, claimed_by=f"source {i}", killed=10 - i, injured=0) for i in range(9)]
    page = build_page(ReportData(database="x", generated_at=NOW, casualties=many))
    assert "source 6: 4</title>" in page
    assert "source 7" not in page and "other claimants: 5</title>" in page  # 3 + 2
    eight = build_page(ReportData(database="x", generated_at=NOW, casualties=many[:8]))
    assert "source 7: 3</title>" in eight and "other claimants" not in eight  # no 'others' of one
