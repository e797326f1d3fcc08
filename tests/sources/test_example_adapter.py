"""The example third-party adapter (tests/example_adapter), found through a real entry point.

Nothing is pip-installed: a folder holding the package and its dist-info (tests/sources/example_site.py)
goes on `sys.path`, or on PYTHONPATH for the `newsflow` command run in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sources import available_sources, create_source
from tests.sources.example_site import KIND, example_on_path, make_site, write_wire

NEWSFLOW = Path(sys.executable).with_name("newsflow")


ARTICLES = [
    ("Port of Odesa reopens after night of drone strikes", "The port resumed loading grain on Tuesday. " * 8),
    ("Parliament passes budget after long debate", "Lawmakers voted 240 to 190 for the budget late on Monday. " * 8),
    ("Floods cut roads in the north", "Rescue teams reached three villages cut off by the water. " * 8),
]


def test_the_example_is_found_through_its_entry_point_and_forgotten_after(tmp_path: Path) -> None:
    wire = write_wire(tmp_path / "wire.txt", ARTICLES, extra="no tab on this line\n")
    assert KIND not in available_sources()
    with example_on_path(tmp_path / "site"):
        cls = available_sources()[KIND]
        assert (cls.__module__, cls.__name__) == ("example_adapter.lines", "LinesSource")
        source = create_source(KIND, {"path": str(wire), "page_size": 2})
        pages = list(source.pages(None))
        assert [len(p) for p in pages] == [2, 2, 0]
        assert [p.cursor for p in pages] == [{"lines": 2}, {"lines": 4}, {"lines": 4}]
        assert [r.reason for p in pages for r in p.rejects] == ["unparseable"]
        with wire.open("a", encoding="utf-8") as more:
            more.write("Headline\tA new line, added after the first run.\n")
        (page,) = list(create_source(KIND, {"path": str(wire)}).pages(pages[-1].cursor))
        assert [d.uri.rsplit("#", 1)[-1] for d in page.documents] == ["L5"] and page.cursor == {"lines": 5}
    assert KIND not in available_sources()


def newsflow(*args: str, cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    # PREFECT_HOME and the analytics switch come from tests/conftest.py through the environment.
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(NEWSFLOW), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_newsflow_run_reads_a_configured_source_of_the_example_kind(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    write_wire(tmp_path / "wire.txt", ARTICLES, extra="no tab on this line\n")
    (tmp_path / "newsflow.toml").write_text(
        f'db = "news.duckdb"\n\n[[sources]]\nname = "wire"\nkind = "{KIND}"\npath = "wire.txt"\n', "utf-8"
    )
    first = newsflow("run", "--extractor", "none", cwd=tmp_path, pythonpath=site)
    assert first.returncode == 0, first.stderr
    assert "4 seen, 3 new, 0 duplicates, 1 rejected" in first.stdout

    sql = "select source, title from articles order by uri"
    done = newsflow("query", sql, "--format", "json", cwd=tmp_path, pythonpath=site)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["title"] for row in rows] == [title for title, _ in ARTICLES]
    assert {row["source"] for row in rows} == {f"lines:{(tmp_path / 'wire.txt').resolve()}"}

    second = newsflow("run", "--extractor", "none", cwd=tmp_path, pythonpath=site)
    assert second.returncode == 0, second.stderr
    assert "0 seen, 0 new" in second.stdout
