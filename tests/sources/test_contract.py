"""The contract every source adapter keeps, checked on each registered kind against real inputs.

A kind registered without a case in `CASES` fails here: add a case for it. A case is one entry:
a function that plants inputs (files in a temporary folder, resources on the local HTTP server)
and returns working options, the number of inputs planted, and options `create_source` must refuse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from schemas import RawDocument, Reject, TerminalError
from sources import Page, available_sources, create_source
from tests.conftest import SEEDS
from tests.http_server import serving
from tests.sources.example_site import example_on_path, write_wire
from tests.sources.feed_server import LAST_MODIFIED, Resource, Server
from tests.sources.runs import run

XML = "application/xml; charset=utf-8"
FAST = {"connect_timeout": 2.0, "read_timeout": 2.0, "total_timeout": 3.0, "host_delay": 0.0, "retries": 0}
LIVE = {"fetch": FAST, "allow_hosts": ["127.0.0.1"]}


@dataclass
class Case:
    """What a case planted: options that build a working source, and options that must not.

    Attributes:
        options: a source of the kind built from these reads the planted inputs.
        inputs: how many inputs the first run must account for (documents plus rejects).
        bad_options: options `create_source` must refuse with a TerminalError.
        bad_option: the option that refusal must name.
    """

    options: dict[str, Any]
    inputs: int
    bad_options: dict[str, Any]
    bad_option: str


@dataclass
class Place:
    """Where a case plants its inputs: a folder of its own and the local HTTP server."""

    folder: Path
    server: Server


def files_case(place: Place) -> Case:
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        (place.folder / seed.name).write_bytes(seed.read_bytes())
    (place.folder / "huge.txt").write_bytes(b"word " * 4000)  # rejected: too large
    records = [json.dumps({"title": f"Record {i}", "text": "Some words of a record. " * 5}) for i in range(2)]
    (place.folder / "records.jsonl").write_text("\n".join(records) + "\n", "utf-8")
    options = {"path": str(place.folder), "page_size": 2, "max_bytes": 10_000}
    return Case(options, inputs=6, bad_options={**options, "page_size": 0}, bad_option="page_size")


def feeds_case(place: Place) -> Case:
    items = "".join(
        f"<item><title>Story {i}</title><link>{place.server.url(f'/news/contract-story-{i}')}</link>"
        f"<guid>contract-{i}</guid><description>A short summary.</description></item>"
        for i in range(3)
    )
    place.server.resources["/news/contract-story-2"] = Resource(status=404)  # one rejected
    url = place.server.feed("/feeds/contract.xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
    return Case({"url": url, "page_size": 2, **LIVE}, inputs=3, bad_options={"url": "ftp://x/feed"}, bad_option="url")


def web_case(place: Place) -> Case:
    urls = "".join(f"<url><loc>{place.server.url(f'/news/sitemap-story-{i}')}</loc></url>" for i in range(3))
    place.server.resources["/news/sitemap-story-1"] = Resource(status=404)
    sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()
    place.server.resources["/sitemaps/contract.xml"] = Resource(sitemap, XML, etag='"s1"', last_modified=LAST_MODIFIED)
    options = {"sitemaps": [place.server.url("/sitemaps/contract.xml")], "page_size": 2, **LIVE}
    return Case(options, inputs=3, bad_options={"sitemaps": ["ftp://x/sitemap.xml"]}, bad_option="sitemaps")


def url_case(place: Place) -> Case:
    options = {"url": place.server.url("/news/one-page-by-address"), **LIVE}
    return Case(options, inputs=1, bad_options={"url": "file:///etc/passwd"}, bad_option="url")


def lines_case(place: Place) -> Case:
    texts = [seed.read_text("utf-8") for seed in sorted(SEEDS.glob("*.txt"))[:2]]
    wire = write_wire(place.folder / "wire.txt", [(t.splitlines()[0], t) for t in texts], extra="no tab here\n\n")
    return Case({"path": str(wire), "page_size": 2}, inputs=3, bad_options={"page_size": 2}, bad_option="path")


CASES: dict[str, Callable[[Place], Case]] = {
    "files": files_case,
    "feeds": feeds_case,
    "web": web_case,
    "url": url_case,
    "lines": lines_case,  # the example third-party adapter, on the path for this module
}


@pytest.fixture(scope="module", autouse=True)
def example_adapter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with example_on_path(tmp_path_factory.mktemp("site")):
        yield


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


def _run(source: Any, cursor: dict[str, Any] | None) -> list[Page]:
    pages = run(source, cursor).pages  # checks each cursor survives the store's JSON round trip
    assert pages and all(isinstance(page, Page) for page in pages)
    return pages


def test_every_registered_kind_has_a_case() -> None:
    missing = sorted(set(available_sources()) - set(CASES))
    assert not missing, f"source kinds without a case in {__file__}: {missing}; add a case for each to CASES"


@pytest.mark.parametrize("kind", sorted(set(available_sources()) | set(CASES)))
def test_the_adapter_keeps_the_contract(kind: str, tmp_path: Path, server: Server) -> None:
    adapters = available_sources()
    if kind not in CASES:
        pytest.fail(f"source kind {kind!r} is registered but has no case in {__file__}: add a case for it to CASES")
    assert kind in adapters, f"CASES has a case for {kind!r}, but no adapter is registered under that name"
    cls = adapters[kind]
    assert isinstance(cls.config_model, type) and issubclass(cls.config_model, BaseModel)
    case = CASES[kind](Place(tmp_path, server))

    source = create_source(kind, case.options)
    assert isinstance(source.name, str) and source.name
    assert create_source(kind, case.options).name == source.name  # stable: it keys the saved cursor

    first = _run(source, None)
    documents = [d for page in first for d in page.documents]
    rejects = [r for page in first for r in page.rejects]
    assert all(isinstance(d, RawDocument) and d.source == source.name for d in documents)
    assert all(isinstance(r, Reject) and r.source == source.name for r in rejects)
    assert len(documents) + len(rejects) == case.inputs, [d.uri for d in documents] + [r.uri for r in rejects]
    assert documents, "a case plants at least one input that is delivered"

    # The next run starts from the last cursor saved (a page with None saves nothing).
    saved = [page.cursor for page in first if page.cursor is not None]
    again = _run(create_source(kind, case.options), saved[-1] if saved else None)
    delivered_again = {d.uri for page in again for d in page.documents} & {d.uri for d in documents}
    assert not delivered_again

    with pytest.raises(TerminalError) as refused:
        create_source(kind, case.bad_options)
    assert kind in str(refused.value) and case.bad_option in str(refused.value)


BUILT_IN = ("files", "feeds", "web", "url")


def test_the_built_in_adapters_take_a_byte_budget() -> None:
    adapters = available_sources()
    assert all("page_bytes" in adapters[kind].config_model.model_fields for kind in BUILT_IN)


@pytest.mark.parametrize("kind", BUILT_IN)
def test_a_page_ends_at_its_byte_budget_and_every_cursor_resumes_after_it(
    kind: str, tmp_path: Path, server: Server
) -> None:
    case = CASES[kind](Place(tmp_path, server))
    whole = [d.uri for page in _run(create_source(kind, case.options), None) for d in page.documents]
    options = {**case.options, "page_size": 100, "page_bytes": 1}
    pages = _run(create_source(kind, options), None)
    # One byte: every document ends its page, so no page holds two.
    assert all(len(page.documents) <= 1 for page in pages)
    delivered = [d.uri for page in pages for d in page.documents]
    assert len(delivered) == len(whole)
    assert sum(len(page) for page in pages) == case.inputs
    # From the cursor of each page a new run delivers every document after it; only the records of
    # a .jsonl file cut by that page come again (the file enters the cursor once it is finished).
    for n, page in enumerate(pages):
        if page.cursor is None:
            continue
        after = [d.uri for later in pages[n + 1 :] for d in later.documents]
        resumed = [d.uri for p in _run(create_source(kind, options), page.cursor) for d in p.documents]
        assert set(after) <= set(resumed)
        assert all("#L" in uri for uri in set(resumed) - set(after)), resumed
