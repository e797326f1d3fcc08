"""Tests of flows/ingest.py: the real flow under a temporary Prefect server, on real DuckDB files."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import psutil
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
    FlowRunFilter,
    FlowRunFilterId,
)
from prefect.client.schemas.objects import Artifact

from bench.torture_corpus import remove_corpus
from extractors import ParseOptions
from extractors.budget import stop_parsers
from flows.ingest import parse_task, prefetched, prepare_batch, run_ingest, summary_markdown
from flows.workers import Parcel
from schemas import DEFAULT_PAGE_BYTES, RunSummary
from sources import Page, create_source, register_source, registry
from sources.files import FilesConfig, FilesSource
from store import query
from tests.conftest import SEEDS

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_prepare_batch_accounts_for_every_input(bad_folder: tuple[Path, dict[str, str]]) -> None:
    folder, expected = bad_folder
    (folder / "copy.txt").write_bytes((folder / "good.txt").read_bytes())
    source = create_source("files", {"path": folder})
    (page,) = list(source.pages(None))
    batch = prepare_batch("r", source.name, page.documents, page.rejects, ParseOptions())
    assert batch.n_seen == 6
    # The copy at another address stays: it is stored as a copy of the same story.
    assert len(batch.articles) == 2 and batch.n_batch_duplicates == 0
    assert sorted(r.reason for r in batch.rejects) == sorted(expected.values())


def test_the_parse_task_runs_without_the_flow() -> None:
    source = create_source("files", {"path": SEEDS})
    (page,) = list(source.pages(None))
    batch, seconds = parse_task.fn("r", source.name, Parcel(page.documents), Parcel(page.rejects), 5_000_000)
    assert len(batch.articles) == 5 and seconds > 0


def test_the_seeds_go_in_once(tmp_path: Path) -> None:
    db = str(tmp_path / "n.duckdb")
    first = run_ingest(sources=[str(SEEDS)], db=db, batch_size=2)
    assert (first.status, first.n_seen, first.n_new, first.n_duplicates, first.n_rejected) == ("completed", 5, 5, 0, 0)
    assert first.n_batches == 3
    assert first.flow_run_id is not None
    assert query(db, "select len(json_keys(cursor, '$.files')) from source_state").rows == [(5,)]
    second = run_ingest(sources=[str(SEEDS)], db=db)  # the cursor: files unchanged are not read again
    assert (second.n_seen, second.n_new, second.n_duplicates) == (0, 0, 0)
    # Read again regardless of the cursor, each file is a duplicate of its stored article, not a second row.
    config = tmp_path / "rescan.toml"
    config.write_text(f"[[sources]]\nname = 'seeds'\npath = '{SEEDS}'\nrescan = true\n", "utf-8")
    third = run_ingest(db=db, config=str(config))
    assert (third.n_seen, third.n_new, third.n_duplicates) == (5, 0, 5)
    runs = query(db, "select n_seen, n_new, n_duplicates, status, flow_run_id from runs order by started_at").rows
    assert runs == [
        (5, 5, 0, "completed", first.flow_run_id),
        (0, 0, 0, "completed", second.flow_run_id),
        (5, 0, 5, "completed", third.flow_run_id),
    ]
    assert query(db, "select count(*), count(distinct article_id) from articles").rows == [(5, 5)]


def test_every_input_is_accounted_for(tmp_path: Path, bad_folder: tuple[Path, dict[str, str]]) -> None:
    folder, expected = bad_folder
    db = str(tmp_path / "n.duckdb")
    summary = run_ingest(sources=[str(folder)], db=db)
    assert summary.n_seen == summary.n_new + summary.n_duplicates + summary.n_rejected == 5
    assert summary.n_new == 1
    assert summary.rejects_by_reason == {reason: 1 for reason in expected.values()}
    rows = query(db, "select uri, reason, size_bytes from rejects").rows
    assert {Path(uri).name: reason for uri, reason, _ in rows} == expected
    assert all(size is not None for _, _, size in rows)


def test_the_summary_is_published_as_an_artifact(tmp_path: Path) -> None:
    summary = run_ingest(sources=[str(SEEDS)], db=str(tmp_path / "n.duckdb"))

    async def read() -> list[Artifact]:
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(str(summary.flow_run_id))])),
            )

    artifacts = asyncio.run(read())
    mine = [a for a in artifacts if str(a.flow_run_id) == summary.flow_run_id]
    assert len(mine) == 1
    assert "| 5 | 5 | 0 | 0 | 0 |" in str(mine[0].data)


def test_a_failing_store_fails_the_run_and_records_it(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    run_ingest(sources=[str(SEEDS)], db=str(db))
    # A table of the contract that another tool dropped: the append fails, the run says so.
    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute("drop table rejects")
        con.execute("create table rejects (x integer)")
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    with pytest.raises(Exception, match="rejects"):
        run_ingest(sources=[str(folder)], db=str(db))
    assert query(db, "select status from runs order by started_at").rows == [("completed",), ("failed",)]


def test_prefetched_keeps_order_and_raises_where_the_source_failed() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise OSError("disk gone")

    seen: list[int] = []
    with pytest.raises(OSError, match="disk gone"):
        for item in prefetched(source()):
            seen.append(item)
    assert seen == [1, 2]


def test_prefetched_reads_one_item_ahead_of_the_consumer() -> None:
    # Each page of a source holds its documents' bytes: one waiting is the overlap wanted, more
    # would be memory held for nothing.
    started: list[int] = []

    def source() -> Iterator[int]:
        for i in range(10):
            started.append(i)
            yield i

    pages = prefetched(source())
    assert next(pages) == 0
    time.sleep(0.2)  # time for the thread to run ahead, were it to
    assert started == [0, 1]
    assert next(pages) == 1
    time.sleep(0.2)
    assert started == [0, 1, 2]
    pages.close()


def test_prefetched_stops_its_thread_when_the_consumer_stops() -> None:
    pages = prefetched(iter(range(1000)))
    assert next(pages) == 0
    pages.close()
    assert not any(t.name == "newsflow-prefetch" and t.is_alive() for t in threading.enumerate())


class BreaksAfterOnePage:
    """A source whose reading raises after its first page, as a bug or a vanished disk would."""

    config_model = FilesConfig

    def __init__(self, config: FilesConfig) -> None:
        self.files = FilesSource(config)

    @property
    def name(self) -> str:
        return "breaks-after-one-page"

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        first = next(iter(self.files.pages(None)))
        yield Page([d.model_copy(update={"source": self.name}) for d in first.documents[:2]], cursor={"pages": 1})
        raise OSError("the disk went away")


def test_a_source_that_breaks_part_way_is_a_reject_and_the_other_sources_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))  # the kind exists for this test only
    register_source("breaks")(BreaksAfterOnePage)
    config = tmp_path / "newsflow.toml"
    config.write_text(
        f'[[sources]]\nname = "broken"\nkind = "breaks"\npath = "{SEEDS}"\n\n'
        f'[[sources]]\nname = "seeds"\nkind = "files"\npath = "{SEEDS}"\n',
        "utf-8",
    )
    db = str(tmp_path / "n.duckdb")

    summary = run_ingest(db=db, config=str(config))

    assert summary.status == "completed"
    assert summary.rejects_by_reason == {"source_error": 1}
    # The broken source's first page is stored with its cursor; the seeds after it all went in.
    assert (summary.n_seen, summary.n_rejected) == (2 + 1 + 5, 1)
    rejects = query(db, "select source, reason, detail from rejects").rows
    assert rejects == [("breaks-after-one-page", "source_error", "OSError: the disk went away")]
    cursors = dict(query(db, "select source, cursor from source_state").rows)
    assert cursors["breaks-after-one-page"] == '{"pages": 1}'
    assert query(db, "select count(*) from articles where source = 'breaks-after-one-page'").rows == [(2,)]
    assert query(db, f"select count(*) from articles where source = '{SEEDS}'").rows == [(5,)]


# --- inputs that once failed every run ------------------------------------------------------------

BODY = "Russian forces shelled Kharkiv overnight, killing two civilians, the regional governor said."


def good_record(n: int) -> str:
    return json.dumps({"title": f"Report {n}", "text": f"{BODY} Report number {n} of the night."})


def pill_folder(tmp_path: Path, pill: str) -> Path:
    """A folder of one good text file and a .jsonl file whose second line is `pill`."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(f"Kharkiv shelled\n\n{BODY}\n", "utf-8")
    (folder / "records.jsonl").write_text("\n".join([good_record(1), pill, good_record(3)]) + "\n", "utf-8")
    return folder


def ingest_twice(folder: Path, db: str) -> RunSummary:
    """Run the flow on `folder`, check that a second run reads nothing again, return the first run."""
    first = run_ingest(sources=[str(folder)], db=db, extractor="none")
    assert first.status == "completed"
    assert first.n_seen == first.n_new + first.n_duplicates + first.n_rejected
    again = run_ingest(sources=[str(folder)], db=db, extractor="none")
    assert (again.status, again.n_seen) == ("completed", 0)
    return first


def stored_titles(db: str) -> set[str]:
    return {str(title) for (title,) in query(db, "select title from articles").rows}


def test_a_record_nested_100000_deep_is_a_reject_and_its_batch_goes_in(tmp_path: Path) -> None:
    deep = '{"title": "Deep", "text": "' + BODY + '", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    db = str(tmp_path / "n.duckdb")
    summary = ingest_twice(pill_folder(tmp_path, deep), db)
    assert (summary.n_new, summary.rejects_by_reason) == (3, {"unparseable": 1})
    (uri, detail), *_ = query(db, "select uri, detail from rejects").rows
    assert str(uri).endswith("records.jsonl#L2") and "nested deeper than 64 levels" in str(detail)
    assert stored_titles(db) == {"Kharkiv shelled", "Report 1", "Report 3"}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('"date": NaN', "date nan is not a finite number"),
        ('"date": Infinity', "date inf is not a finite number"),
        ('"date": 1e400', "date inf is not a finite number"),
        ('"published_at": "9999-12-31T23:59:59-23:59"', "'9999-12-31T23:59:59-23:59' is out of the range of times"),
    ],
)
def test_an_impossible_date_leaves_published_at_null_and_the_article_goes_in(
    tmp_path: Path, value: str, shown: str, caplog: pytest.LogCaptureFixture
) -> None:
    pill = '{"title": "Dated", "text": "' + BODY + '", ' + value + "}"
    db = str(tmp_path / "n.duckdb")
    summary = ingest_twice(pill_folder(tmp_path, pill), db)
    assert (summary.n_new, summary.n_rejected) == (4, 0)
    assert query(db, "select published_at, published_precision from articles where title = 'Dated'").rows == [
        (None, "unknown")
    ]
    assert any(shown in record.getMessage() and "records.jsonl#L2" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("field", ["text", "title"])
def test_a_lone_surrogate_is_replaced_and_the_article_goes_in(
    tmp_path: Path, field: str, caplog: pytest.LogCaptureFixture
) -> None:
    values = {"title": "Surrogate", "text": BODY}
    values[field] += " \\ud800 end"  # written as JSON writes it: the escape, not the character
    pill = "{" + ", ".join(f'"{key}": "{value}"' for key, value in values.items()) + "}"
    db = str(tmp_path / "n.duckdb")
    summary = ingest_twice(pill_folder(tmp_path, pill), db)
    assert (summary.n_new, summary.n_rejected) == (4, 0)
    (title, text, language), *_ = query(
        db, "select title, text, language from articles where title like 'Surrogate%'"
    ).rows
    assert "\ufffd end" in str(title if field == "title" else text)
    assert language == "en"  # the language is still told: CLD2 saw valid text
    assert any("1 lone surrogate replaced by U+FFFD" in record.getMessage() for record in caplog.records)


def test_a_file_name_that_is_not_utf8_is_read_and_held_by_the_cursor(tmp_path: Path) -> None:
    folder = pill_folder(tmp_path, good_record(2))
    with open(os.path.join(os.fsencode(folder), b"caf\xe9-report.txt"), "wb") as latin1_name:
        latin1_name.write(f"Latin-1 name\n\n{BODY} Named in Latin-1.\n".encode())
    db = str(tmp_path / "n.duckdb")
    summary = ingest_twice(folder, db)
    assert (summary.n_new, summary.n_rejected) == (5, 0)
    assert query(db, "select uri from articles where title = 'Latin-1 name'").rows == [
        ((folder / "caf").as_uri() + "%E9-report.txt",)
    ]
    (cursor,) = query(db, "select cursor from source_state").rows[0]
    assert "/caf\\xe9-report.txt" in json.loads(str(cursor))["files"]


def deep_folders(top: Path, depth: int) -> Path:
    """A chain of `depth` folders named `d` under `top` (made relative to each other: the whole path
    may be longer than the system lets one call name); return the path of the deepest."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            below = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = below
    finally:
        os.close(fd)
    return top.joinpath(*["d"] * depth)


def test_a_chain_of_folders_1500_deep_is_read_to_its_bottom(tmp_path: Path) -> None:
    folder = pill_folder(tmp_path, good_record(2))
    try:
        bottom = deep_folders(folder, 1500)  # deeper than Python's recursion limit, within PATH_MAX
        (bottom / "deep.txt").write_text(f"Deep down\n\n{BODY} Found at the bottom.\n", "utf-8")
        (folder / "z-last.txt").write_text(f"Last file\n\n{BODY} Listed after the chain.\n", "utf-8")
        db = str(tmp_path / "n.duckdb")
        summary = ingest_twice(folder, db)
        assert (summary.n_seen, summary.n_new, summary.n_rejected) == (6, 6, 0)
        titles = {"Kharkiv shelled", "Report 1", "Report 2", "Report 3", "Deep down", "Last file"}
        assert stored_titles(db) == titles
        deep = query(db, "select uri from articles where title = 'Deep down'").rows
        assert deep == [((bottom / "deep.txt").as_uri(),)]
    finally:
        # One folder at a time: shutil.rmtree, and so pytest's clean-up of old temporary folders,
        # recurses once per level and would fail on it.
        remove_corpus(folder)


def test_a_jsonl_line_of_a_gigabyte_is_a_reject_and_the_records_after_it_go_in(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    with (folder / "export.jsonl").open("wb") as export:
        export.write(good_record(1).encode() + b"\n")
        export.seek(2**30, os.SEEK_CUR)  # a hole: a line of a gigabyte of NUL bytes, no room on disk
        export.write(b"\n" + good_record(3).encode() + b"\n")
    db = str(tmp_path / "n.duckdb")
    summary = ingest_twice(folder, db)
    assert (summary.n_seen, summary.n_new, summary.rejects_by_reason) == (3, 2, {"too_large": 1})
    [(uri, size)] = query(db, "select uri, size_bytes from rejects").rows
    assert str(uri).endswith("export.jsonl#L2") and size == 2**30 + 1
    assert stored_titles(db) == {"Report 1", "Report 3"}


def test_links_out_of_the_folder_special_files_and_dangling_links_are_rejects(tmp_path: Path) -> None:
    folder = pill_folder(tmp_path, good_record(2))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"Secret\n\n{BODY} Not for this source.\n", "utf-8")
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "environ").symlink_to("/proc/self/environ")
    (folder / "secrets").symlink_to(outside, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "same.txt").symlink_to(folder / "good.txt")  # inside: read, as the file it names
    os.mkfifo(folder / "pipe.txt")
    db = str(tmp_path / "n.duckdb")
    summary = ingest_twice(folder, db)
    assert summary.rejects_by_reason == {"outside_source": 3, "special_file": 1, "unreadable": 1}
    assert (summary.n_new, summary.n_duplicates) == (4, 1)
    rejects = {Path(str(uri)).name: reason for uri, reason in query(db, "select uri, reason from rejects").rows}
    assert rejects == {
        "passwd": "outside_source",
        "environ": "outside_source",
        "secrets": "outside_source",
        "dangling.txt": "unreadable",
        "pipe.txt": "special_file",
    }
    assert stored_titles(db) == {"Kharkiv shelled", "Report 1", "Report 2", "Report 3"}


def test_links_out_of_the_folder_are_read_when_the_run_follows_them(tmp_path: Path) -> None:
    folder = pill_folder(tmp_path, good_record(2))
    outside = tmp_path / "outside"
    (outside / "deeper").mkdir(parents=True)
    (outside / "deeper" / "secret.txt").write_text(f"Secret\n\n{BODY} Read on purpose.\n", "utf-8")
    (outside / "deeper" / "loop").symlink_to(outside, target_is_directory=True)  # walked once, not forever
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    summary = run_ingest(sources=[str(folder)], db=str(tmp_path / "n.duckdb"), extractor="none", follow_symlinks=True)
    assert (summary.status, summary.n_new, summary.n_rejected) == ("completed", 5, 0)
    assert "Secret" in stored_titles(str(tmp_path / "n.duckdb"))


def test_the_summary_artifact_counts_entries_tried_again_and_given_up() -> None:
    summary = RunSummary(run_id="r", database="d", sources=["s"], n_rejected=3, n_retry_later=2, n_given_up=1)
    assert "2 rejects failed for now and are tried again next run; 1 inputs were given up" in summary_markdown(summary)
    assert "tried again" not in summary_markdown(RunSummary(run_id="r", database="d", sources=["s"]))


# --- the time budget and the byte budget ------------------------------------------------------------

ATTRIBUTES_PAGE = "<html><body><div " + " ".join(f'a{i}="v"' for i in range(200_000)) + ">x</div></body></html>"
# trafilatura takes about 40 s here on a page of 60,000 short paragraphs; the budget below is 1 s.
PARAGRAPHS_PAGE = "<html><body>" + "<p>word word</p>" * 60_000 + "</body></html>"


def test_pages_over_the_parse_budget_are_rejects_and_the_rest_of_their_batch_goes_in(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    for seed in seeds:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "attributes.html").write_text(ATTRIBUTES_PAGE, "utf-8")  # 2.6 MB, under the size cap
    (folder / "paragraphs.html").write_text(PARAGRAPHS_PAGE, "utf-8")
    db = str(tmp_path / "n.duckdb")
    first = run_ingest(sources=[str(folder)], db=db, extractor="none", parse_timeout=1.0)
    assert (first.status, first.n_batches, first.n_seen, first.n_new) == ("completed", 1, 5, 3)
    assert first.rejects_by_reason == {"too_complex": 1, "timeout": 1}
    rows = query(db, "select uri, reason, detail from rejects order by reason").rows
    assert [(str(uri).rsplit("/", 1)[-1], reason) for uri, reason, _ in rows] == [
        ("paragraphs.html", "timeout"),
        ("attributes.html", "too_complex"),
    ]
    assert rows[0][2] == "parsing took longer than the budget of 1 s and was stopped"
    assert rows[1][2] == "a <div> tag with 200,000 attributes, over the limit of 1,000; not parsed"
    assert len(query(db, "select * from articles").rows) == 3
    again = run_ingest(sources=[str(folder)], db=db, extractor="none", parse_timeout=1.0)
    assert (again.status, again.n_seen) == ("completed", 0)


def _parse_processes() -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process().children()
        if child.is_running() and "extractors.budget" in " ".join(child.cmdline())
    ]


def test_a_run_with_nothing_new_starts_no_parse_process(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    db = str(tmp_path / "n.duckdb")
    first = run_ingest(sources=[str(folder)], db=db, extractor="none", parse_timeout=5.0)
    assert first.n_new == 2
    stop_parsers()
    assert not _parse_processes()
    again = run_ingest(sources=[str(folder)], db=db, extractor="none", parse_timeout=5.0)
    assert (again.status, again.n_seen) == ("completed", 0)
    assert not _parse_processes()
    (folder / "new.txt").write_text("Fresh news\n\nA third article arrives with a line of text.\n", "utf-8")
    third = run_ingest(sources=[str(folder)], db=db, extractor="none", parse_timeout=5.0)
    assert third.n_new == 1
    assert len(_parse_processes()) == 1  # started by the page that had a document, kept for the next run


def test_a_run_over_large_inputs_stays_within_a_bound_of_memory(tmp_path: Path) -> None:
    # 1.3 GB of records of 3 MB each, all in one file, plus two articles: without a byte budget the
    # run's first page held all of it. Each record has no text, so it is rejected as soon as it is read.
    folder = tmp_path / "large"
    folder.mkdir()
    record = json.dumps({"title": "Filler", "notes": "x" * (3 * 1024 * 1024)}).encode() + b"\n"
    n_records = 450
    with (folder / "exports.jsonl").open("wb") as exports:
        for _ in range(n_records):
            exports.write(record)
    (folder / "good.txt").write_text(f"Kharkiv shelled\n\n{BODY}\n", "utf-8")
    db = str(tmp_path / "n.duckdb")
    this = psutil.Process()
    peak, done = 0, threading.Event()

    def sample() -> None:  # this process and its parse process (Prefect's test server excluded)
        nonlocal peak
        while not done.is_set():
            tree = [this, *(c for c in this.children() if "extractors.budget" in " ".join(c.cmdline()))]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        summary = run_ingest(sources=[str(folder)], db=db, extractor="none")
    finally:
        done.set()
        sampler.join()
    assert (summary.status, summary.n_seen, summary.n_new) == ("completed", n_records + 1, 1)
    assert summary.rejects_by_reason == {"no_text": n_records}
    # Pages cut by their bytes: a page ends with the record that takes it past the budget.
    per_page = DEFAULT_PAGE_BYTES // len(record) + 1
    assert summary.n_batches >= -(-n_records // per_page)
    # A bound far above what such a run takes (README, Time and memory), far below the input.
    assert peak < 1536 * 1024 * 1024, f"peak RSS {peak >> 20} MiB"
