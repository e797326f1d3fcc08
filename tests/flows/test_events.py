"""The events stage through the real flows: failures kept per article, a crash between the two
commits finished by the next run, `newsflow extract` over stored text, and the same rows whether
the stages run in this process, in worker processes, or on a Dask cluster started here."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import flows.events
from dedup import identify
from extractors import ParseOptions, parse_batch
from extractors.events import RuleExtractor, extract_batch
from flows.events import chunks, extract_rows, run_extract
from flows.ingest import run_ingest
from schemas import Article, RawDocument
from store import event_rows, query
from tests.conftest import SEEDS
from tests.flows.commands import newsflow

pytestmark = pytest.mark.usefixtures("prefect_server")

# What a run stores, less what differs between two runs of the same input (run ids and times).
SNAPSHOT = {
    "articles": "select article_id, story_id, dup_of, title, published_at from articles",
    "events": "select * exclude (run_id, extracted_at) from events",
    "figures": "select * from event_figures",
    "entities": "select * from entities",
    "extractions": "select article_id, story_id, extractor, status, error, n_events from extractions",
}


def snapshot(db: str) -> dict[str, list[tuple[Any, ...]]]:
    return {name: sorted(query(db, sql).rows, key=repr) for name, sql in SNAPSHOT.items()}


PLACEHOLDER_DATE_PAGE = """<html><head><title>Flooding closes roads | Example News</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Flooding closes roads in the north",
"datePublished": "0001-01-01T00:00:00"}</script></head><body><article>
<p>Heavy rain closed three roads in the north of the region on Tuesday, the police said.</p>
<p>Two people were injured when a bridge gave way near the village, according to the fire service.</p>
<p>Yesterday the council said it would send more pumps to the area.</p>
</article></body></html>"""


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """The seeds and a news page whose metadata gives the placeholder date 0001-01-01."""
    folder = tmp_path / "inbox"
    shutil.copytree(SEEDS, folder)
    (folder / "placeholder-date.html").write_text(PLACEHOLDER_DATE_PAGE, "utf-8")
    return folder


def test_chunks_give_every_worker_a_share_but_not_a_tiny_one() -> None:
    articles = [
        Article(source="s", uri=f"u{i}", title="t", text="x", content_hash="h", article_id=str(i)) for i in range(9)
    ]
    assert [len(c) for c in chunks(articles, 2, min_size=2)] == [5, 4]
    assert [len(c) for c in chunks(articles, 4, min_size=4)] == [4, 4, 1]
    assert [len(c) for c in chunks(articles, 1)] == [9]
    assert chunks([], 2) == []


def test_extracting_in_slices_gives_the_rows_of_the_whole_batch() -> None:
    documents = [
        RawDocument(source="s", uri=p.as_uri(), content=p.read_bytes(), kind="text", fetched_at=datetime.now(UTC))
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    articles = identify([r.article for r in parse_batch(documents, options=ParseOptions()) if r.article])
    extractor = RuleExtractor()
    whole = event_rows(extract_batch(extractor, articles))
    assert whole.events.num_rows > 10
    for slice_chars in (1, 8_000, 10**9):  # one article a slice, a few, all at once
        sliced = extract_rows(extractor, articles, slice_chars=slice_chars)
        for name in ("extractions", "events", "figures", "entities"):
            assert getattr(sliced, name).to_pylist() == getattr(whole, name).to_pylist(), name
    assert extract_rows(extractor, []).n_articles == 0


def test_a_placeholder_date_is_no_date_and_the_page_gets_its_events(tmp_path: Path, inbox: Path) -> None:
    db = str(tmp_path / "n.duckdb")
    summary = run_ingest(sources=[str(inbox)], db=db, workers=1)
    assert (summary.status, summary.n_new, summary.n_extracted, summary.n_extract_errors) == ("completed", 6, 6, 0)
    rows = query(db, "select published_at, published_precision from articles where uri like '%.html'").rows
    assert rows == [(None, "unknown")]
    injured = query(
        db, "select sum(injured) from events e join articles a using (article_id) where a.uri like '%.html'"
    )
    assert injured.rows == [(2,)]


def test_a_crash_between_the_commits_is_finished_by_the_next_run(
    tmp_path: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = str(tmp_path / "clean.duckdb")
    run_ingest(sources=[str(inbox)], db=clean, workers=1)
    db = str(tmp_path / "n.duckdb")

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the machine went down")

    with monkeypatch.context() as patch:
        patch.setattr(flows.events, "append_extractions", crash)
        with pytest.raises(OSError, match="went down"):
            run_ingest(sources=[str(inbox)], db=db, workers=1)
    assert query(db, "select count(*), (select count(*) from events) from articles").rows == [(6, 0)]
    assert query(db, "select status from runs").rows == [("failed",)]
    again = run_ingest(sources=[str(inbox)], db=db, workers=1)
    assert (again.n_seen, again.n_new, again.n_extracted) == (0, 0, 6)
    assert snapshot(db) == snapshot(clean)
    third = run_ingest(sources=[str(inbox)], db=db, workers=1)
    assert (third.n_extracted, third.n_events) == (0, 0)
    assert snapshot(db) == snapshot(clean)


def test_extract_codes_what_a_run_without_events_stored(
    tmp_path: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = str(tmp_path / "clean.duckdb")
    run_ingest(sources=[str(inbox)], db=clean, workers=1)
    db = str(tmp_path / "n.duckdb")
    bare = run_ingest(sources=[str(inbox)], db=db, extractor="none", workers=1)
    assert (bare.n_new, bare.n_extracted, bare.extractor) == (6, 0, None)
    assert query(db, "select count(*) from events").rows == [(0,)]
    first = run_extract(db=db, workers=1)
    assert (first.n_extracted, first.n_extract_errors) == (6, 0)
    assert snapshot(db) == snapshot(clean)
    assert query(db, "select flow, n_extracted, n_events from runs order by started_at").rows == [
        ("ingest", 0, 0),
        ("extract", 6, first.n_events),
    ]
    # Nothing left for this version; --all codes every story again, replacing, not doubling.
    assert run_extract(db=db, workers=1).n_extracted == 0
    redone = run_extract(db=db, workers=1, redo=True)
    assert (redone.n_extracted, redone.n_events) == (6, first.n_events)
    assert snapshot(db) == snapshot(clean)
    # A new version of the rules codes everything again and its rows replace the old version's.
    monkeypatch.setattr(RuleExtractor, "version", "1.0-next")
    flows.events._extractors.clear()
    newer = run_extract(db=db, workers=1)
    assert (newer.n_extracted, newer.extractor) == (6, "rules@1.0-next")
    for table in ("events", "entities", "extractions"):
        assert query(db, f"select distinct extractor from {table}").rows == [("rules@1.0-next",)]
    assert query(db, "select count(*) from events").rows == [(first.n_events,)]
    flows.events._extractors.clear()


def test_extract_takes_only_the_stories_and_days_asked_for(tmp_path: Path, inbox: Path) -> None:
    db = str(tmp_path / "n.duckdb")
    run_ingest(sources=[str(inbox)], db=db, extractor="none", workers=1)
    stories = [row[0] for row in query(db, "select story_id from stories order by story_id").rows]
    some = run_extract(db=db, workers=1, stories=stories[:2])
    assert some.n_extracted == 2
    assert query(db, "select story_id from extractions order by 1").rows == [(s,) for s in stories[:2]]
    # The seeds were published from 25 October 2024 to 2 November 2024; two undated seeds and the
    # placeholder-dated page count from the day they were stored (today), so they are included.
    late = run_extract(db=db, workers=1, since=date(2024, 10, 30))
    dated = query(
        db,
        "select count(*) from articles a where (published_at >= '2024-10-30' or published_at is null) "
        f"and story_id not in ('{stories[0]}', '{stories[1]}')",
    ).rows[0][0]
    assert late.n_extracted == dated


def flaky_site(folder: Path) -> Path:
    """A package with an extractor that fails on one article, declared through a real entry point."""
    package = folder / "flaky_extractor"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        '"""An extractor for the tests: the rules, except that it raises on a poisoned article."""\n\n'
        "from extractors.events import RuleExtractor\n\n\n"
        "class FlakyExtractor(RuleExtractor):\n"
        '    name = "flaky"\n'
        '    version = "1"\n\n'
        "    def extract(self, article):\n"
        '        if article.title.startswith("Poison"):\n'
        '            raise ValueError("cannot read " + article.title)\n'
        "        return super().extract(article)\n",
        "utf-8",
    )
    info = folder / "flaky_extractor-1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: flaky-extractor\nVersion: 1\n", "utf-8")
    (info / "entry_points.txt").write_text("[newsflow.extractors]\nflaky = flaky_extractor:FlakyExtractor\n", "utf-8")
    return folder


def test_an_article_the_extractor_fails_on_is_an_error_row_and_the_run_goes_on(tmp_path: Path, inbox: Path) -> None:
    (inbox / "poison.txt").write_text("Poison pill for the extractor\n\n" + "Words that read fine. " * 20, "utf-8")
    site = flaky_site(tmp_path / "site")
    db = tmp_path / "n.duckdb"
    # Worker processes find the extractor as the command does: through PYTHONPATH.
    done = newsflow("run", str(inbox), "--db", str(db), "--extractor", "flaky", "--workers", "2",
                    env={"PYTHONPATH": str(site)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "7 seen, 7 new" in done.stdout
    assert "extraction failed on 1 articles" in done.stdout
    rows = query(db, "select a.title, x.status, x.error from extractions x join articles a using (article_id)").rows
    failed = [r for r in rows if r[1] == "error"]
    assert failed == [
        ("Poison pill for the extractor", "error", "ValueError: cannot read Poison pill for the extractor")
    ]
    assert len(rows) == 7
    coded = query(db, "select count(distinct article_id) from events").rows[0][0]
    assert coded == 6
    assert query(db, "select n_extracted, n_extract_errors from runs").rows == [(7, 1)]
    stats = newsflow("stats", "--db", str(db))
    assert stats.returncode == 0 and "flaky@1" in stats.stdout


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    """A real Dask cluster of two worker processes on 127.0.0.1, for as long as the module's tests run."""
    from distributed import LocalCluster

    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield str(cluster.scheduler_address)


def test_workers_and_a_dask_cluster_store_what_one_process_stores(
    tmp_path: Path, inbox: Path, dask_cluster: str
) -> None:
    # Several batches, so pages and extractions are out on the workers at the same time.
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = seed.read_text("utf-8")
        (inbox / f"copy-{i}.txt").write_text(text.replace("\n\n", "\n\nAdvertisement\n\n", 1), "utf-8")
    one = str(tmp_path / "one.duckdb")
    two = str(tmp_path / "two.duckdb")
    dask = str(tmp_path / "dask.duckdb")
    first = run_ingest(sources=[str(inbox)], db=one, workers=1, batch_size=3)
    second = run_ingest(sources=[str(inbox)], db=two, workers=2, batch_size=3)
    third = run_ingest(sources=[str(inbox)], db=dask, dask_address=dask_cluster, batch_size=3)
    assert third.workers == dask_cluster and second.workers == "2 processes"
    counts = [(s.n_new, s.n_copies, s.n_extracted, s.n_events) for s in (first, second, third)]
    assert counts[0] == counts[1] == counts[2]
    assert first.n_copies == 5 and first.n_extracted == 6
    assert snapshot(one) == snapshot(two) == snapshot(dask)
    # Replay on the cluster gives the same rows again.
    redone = run_extract(db=dask, dask_address=dask_cluster, redo=True)
    assert redone.n_extracted == 6
    assert snapshot(dask) == snapshot(one)


def test_a_wrong_dask_address_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    done = newsflow("run", str(SEEDS), "--db", str(db), "--dask-address", "localhost:1")
    assert done.returncode == 2
    assert "not a Dask scheduler address: 'localhost:1' (expected tcp://HOST:PORT)" in done.stderr
    assert not db.exists()
    for command in ("extract", "serve"):
        done = newsflow(command, "--db", str(db), "--dask-address", "localhost:1")
        assert done.returncode == 2, (command, done.stderr)
        assert "not a Dask scheduler address" in done.stderr
