"""Sources report their reading within a page: what they expect, then each input as it is read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sources import FilesConfig, FilesSource, progress
from sources.feeds import FeedConfig, FeedSource
from tests.conftest import SEEDS
from tests.http_server import serving
from tests.sources.feed_server import Resource, Server, seed_page


@pytest.fixture
def heard() -> Iterator[list[str]]:
    """What sources report, in order, as `expect N` and `read N`."""
    said: list[str] = []

    def listen(expected: int, read: int) -> None:
        said.append(f"expect {expected}" if expected else f"read {read}")

    progress.add_read_listener(listen)
    try:
        yield said
    finally:
        progress.remove_read_listener(listen)


def test_a_folder_reports_its_files_then_each_one_before_the_page(tmp_path: Path, heard: list[str]) -> None:
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, tmp_path / seed.name)
    pages = FilesSource(FilesConfig(path=tmp_path, page_size=1000)).pages(None)
    page = next(pages)
    assert len(page.documents) == 3
    assert heard == ["expect 3", "read 1", "read 1", "read 1"]  # one page, three steps within it
    heard.clear()
    assert [len(p) for p in FilesSource(FilesConfig(path=tmp_path)).pages(page.cursor)] == [0]
    assert heard == ["expect 3", "read 1", "read 1", "read 1"]  # unchanged files are looked at, not read


def test_a_feed_reports_its_new_entries_then_each_page_fetched(tmp_path: Path, heard: list[str]) -> None:
    with serving(Server()) as server:
        items = ""
        for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))[:3]):
            server.resources[f"/news/{i}"] = Resource(seed_page(seed))
            items += f"<item><title>t{i}</title><link>{server.url(f'/news/{i}')}</link><guid>g{i}</guid></item>"
        items += "<item><title>in full</title><guid>g9</guid><description>" + "word " * 300 + "</description></item>"
        url = server.feed("/feeds/news.xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
        config = FeedConfig.model_validate({"url": url, "allow_hosts": ["127.0.0.1"], "fetch": {"host_delay": 0}})
        [page] = list(FeedSource(config).pages(None))
    assert len(page.documents) == 4
    # Four new entries; the one whose text is in the feed is read at once, each page as it comes.
    assert heard == ["expect 4", "read 1", "read 1", "read 1", "read 1"]
