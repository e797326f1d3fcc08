"""`newsflow report` as a user types it, and its page in a real browser (Debian's Chromium).

One `newsflow run` of the seeds and a folder of bad files (rejects of four reasons) makes the
database every test here reads.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import duckdb
import pytest

from store import writer
from tests.conftest import SEEDS, write_bad_folder
from tests.flows.commands import newsflow, query_json

CHROMIUM = Path(os.environ.get("NEWSFLOW_CHROMIUM", "/usr/bin/chromium"))
"""The browser the page is checked in; `make test` installs Debian's when it is missing."""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    write_bad_folder(folder / "inbox")
    # Another outlet's copy of a seed: the largest story, carried by two outlets.
    text = (SEEDS / "000_66649ecd6d3310b0.txt").read_text("utf-8")
    (folder / "inbox" / "copy.txt").write_text(text.replace("SDA", "dpa").replace("\n\n", "\n\nAdvertisement\n\n", 1))
    path = folder / "news.duckdb"
    done = newsflow("run", str(SEEDS), str(folder / "inbox"), "--db", str(path))
    assert done.returncode == 0, done.stderr
    return path


def totals(page: str) -> dict[str, int]:
    """The summary's counts, as the page states them."""
    return {key: int(value) for key, value in re.findall(r'data-total="(\w+)" data-value="(\d+)"', page)}


def test_a_report_of_the_seeds(db: Path, tmp_path: Path) -> None:
    done = newsflow("report", "--db", str(db), cwd=tmp_path)  # --out defaults to report.html here
    assert done.returncode == 0, done.stderr
    events = query_json(db, "select count(*) as n from events")[0]["n"]
    assert done.stdout.strip() == f"report: report.html (5 stories, {events} events, 4 rejects); open it in a browser"
    page = (tmp_path / "report.html").read_text("utf-8")
    (counts,) = query_json(
        db,
        "select (select count(*) from articles) as articles, (select count(*) from stories) as stories, "
        "(select count(*) from events) as events, (select count(*) from rejects) as rejects, "
        "(select count(*) from events where latitude is not null) as located",
    )
    assert totals(page) == {**counts, "runs": 1}
    # The largest story comes first, with its outlets.
    stories = page[page.index('data-chart="largest-stories"') :]
    assert stories.index("Selenskyj: Need weapons against North Korean soldiers") < stories.index("Pentagon: 10,000")
    assert "2024-11-02 · SDA, dpa</text>" in stories
    for reason in ("empty", "binary", "undecodable", "too_large"):
        assert f"{reason}: 1</title>" in page
    assert "Kharkiv: 7 · Kharkivs’ka Oblast’, UKR" in page  # a place on the map with its events
    assert "<script" not in page


def test_since_keeps_what_happened_from_that_day(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "november.html"
    done = newsflow("report", "--db", str(db), "--since", "2024-11-01", "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text("utf-8")
    # Of the seeds, one is published on 2 November; the two undated ones were stored today.
    assert "(3 stories," in done.stdout and totals(page)["stories"] == 3
    assert "Selenskyj: Need weapons against North Korean soldiers" in page
    assert "Pentagon: 10,000 soldiers from North Korea in Russia" not in page  # 29 October
    assert "2024-10-29" not in page and "2024-11-02" in page
    everything = newsflow("report", "--db", str(db), "--out", str(tmp_path / "all.html"))
    assert totals(page)["events"] < totals((tmp_path / "all.html").read_text("utf-8"))["events"], everything.stderr

    future = newsflow("report", "--db", str(db), "--since", "2999-01-01", "--out", str(out))
    assert future.returncode == 0, future.stderr
    assert "(0 stories, 0 events, 0 rejects)" in future.stdout
    assert "No stories from 2999-01-01 on." in out.read_text("utf-8")

    wrong = newsflow("report", "--db", str(db), "--since", "1.11.2024", "--out", str(out))
    assert wrong.returncode == 2 and "--since" in wrong.stderr


def test_an_empty_database_and_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    with writer(empty):  # a newsflow database no run has written to
        pass
    done = newsflow("report", "--db", str(empty), "--out", str(tmp_path / "empty.html"))
    assert done.returncode == 0, done.stderr
    assert "(0 stories, 0 events, 0 rejects)" in done.stdout
    page = (tmp_path / "empty.html").read_text("utf-8")
    assert "No stories yet: run <code>newsflow run</code> to ingest articles." in page

    missing = newsflow("report", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1
    assert (
        missing.stderr.strip()
        == f"error: no database at {tmp_path / 'none.duckdb'}: run `newsflow run` first, or pass --db"
    )
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("create table t (a int)")
    notes = newsflow("report", "--db", str(other))
    assert (
        notes.returncode == 1
        and notes.stderr.strip() == f"error: {other} is not a newsflow database (no table articles)"
    )
    folder = newsflow("report", "--db", str(empty), "--out", str(tmp_path))
    assert folder.returncode == 2 and folder.stderr.startswith(f"error: {tmp_path} is a folder")
    assert not (tmp_path / "report.html").exists()


def test_the_page_renders_in_a_browser_offline_and_without_errors(db: Path, tmp_path: Path) -> None:
    from PIL import Image, ImageChops
    from playwright.sync_api import sync_playwright

    out = tmp_path / "report.html"
    done = newsflow("report", "--db", str(db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert CHROMIUM.exists(), f"no browser at {CHROMIUM}: `make test` installs Debian's chromium"
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type != "log" else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.goto(out.as_uri(), wait_until="load")
            page.wait_for_load_state("networkidle")
            charts = page.locator("svg.chart")
            names = [charts.nth(i).get_attribute("data-chart") for i in range(charts.count())]
            shots = [charts.nth(i).screenshot() for i in range(charts.count())]
            boxes = [charts.nth(i).bounding_box() for i in range(charts.count())]
        finally:
            browser.close()
    assert problems == []
    assert requests == [out.as_uri()]  # the page itself and nothing else
    assert names == [
        "stories-per-day",
        "events-per-day",
        "events-map",
        "events-by-type",
        "killed-by-claimant",
        "injured-by-claimant",
        "largest-stories",
        "rejects-by-reason",
    ]
    for name, shot, box in zip(names, shots, boxes, strict=True):
        assert box is not None and box["width"] > 300 and box["height"] > 60, (name, box)
        image = Image.open(io.BytesIO(shot)).convert("RGB")
        background = Image.new("RGB", image.size, image.getpixel((0, 0)))
        # Pixels that differ from the chart's background by more than anti-aliasing does.
        levels = ImageChops.difference(image, background).convert("L").histogram()
        share = sum(levels[25:]) / (image.width * image.height)
        assert share > 0.01, f"{name}: only {share:.2%} of its pixels are drawn"
