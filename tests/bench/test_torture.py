"""The torture bench in quick mode: a few malformed inputs of every category through one real
`newsflow run`, each accounted for in DuckDB; and the checks catch a row that goes missing."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from bench.torture import (
    Accounting,
    Observed,
    Options,
    account,
    commit_times,
    compare_rows,
    parse_args,
    permission_wrapper,
    read_rows,
    torture_runs,
)
from bench.torture_corpus import CATEGORY_NAMES, QUICK, Input, TortureCorpus, remove_corpus, write_torture_corpus

INPUTS = 60  # three or so of each category


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TortureCorpus, Accounting, Path]]:
    work = tmp_path_factory.mktemp("torture")
    wrapper, permissions_hold = permission_wrapper()
    try:  # the corpus holds folder chains too deep for shutil.rmtree (and pytest's clean-up)
        corpus = write_torture_corpus(
            work / "corpus", n_inputs=INPUTS, seed=7, sizes=QUICK, permissions_hold=permissions_hold
        )
        options = parse_args(["--quick", "--one-run", "--trials", "0", "--work", str(work)])
        [result] = torture_runs(corpus, work, options, wrapper, io.StringIO())
        yield corpus, result, work / "db" / "all.duckdb"
    finally:
        remove_corpus(work / "corpus")


def test_every_malformed_input_is_an_article_a_duplicate_or_a_reject(
    ran: tuple[TortureCorpus, Accounting, Path],
) -> None:
    corpus, result, _ = ran
    assert {c.name for c in corpus.categories} == set(CATEGORY_NAMES) and len(CATEGORY_NAMES) >= 15
    assert all(len(c.inputs) >= 2 for c in corpus.categories)
    assert not result.failed_run, result.observed.tail()
    assert (result.lost, result.twice, result.unexpected, result.problems) == ([], [], [], [])
    assert result.n_seen == result.n_inputs == len(corpus.inputs)
    assert result.n_articles + result.n_duplicates + result.n_rejects == result.n_inputs
    assert result.n_articles > 0 and result.n_duplicates > 0  # links to a file inside are duplicates of it
    expected = {
        "binary",
        "empty",
        "no_text",
        "outside_source",
        "special_file",
        "too_large",
        "undecodable",
        "unparseable",
    }
    if corpus.permissions_hold:
        expected.add("unreadable")
    assert expected <= set(result.reasons), result.reasons
    assert result.observed.peak_tree > 0 and result.observed.peak_process > 0


def test_a_row_that_goes_missing_or_twice_is_caught(
    ran: tuple[TortureCorpus, Accounting, Path], tmp_path: Path
) -> None:
    corpus, result, db = ran
    inputs = corpus.inputs
    changed = tmp_path / "changed.duckdb"
    shutil.copy(db, changed)
    with duckdb.connect(str(changed)) as con:
        [(lost_uri,)] = con.execute("SELECT uri FROM rejects WHERE reason = 'special_file' LIMIT 1").fetchall()
        con.execute("DELETE FROM rejects WHERE uri = ?", [lost_uri])
        [(twice_uri,)] = con.execute("SELECT uri FROM rejects WHERE reason = 'binary' LIMIT 1").fetchall()
        con.execute("INSERT INTO rejects SELECT * FROM rejects WHERE uri = ?", [twice_uri])
    checked = account("changed", changed, inputs, result.observed)
    assert [item.uris[0] for item in checked.lost] == [lost_uri]
    assert [uri for uri, _, _ in checked.twice] == [twice_uri]
    with duckdb.connect(str(changed)) as con:
        con.execute("DELETE FROM article_rows WHERE article_id IN (SELECT article_id FROM article_rows LIMIT 1)")
    assert account("fewer articles", changed, inputs, result.observed).problems  # counts and tables disagree
    # An input the run never saw is lost too, and a row no input explains is unexpected.
    ghost = Input("empties", ("file:///nowhere/ghost.txt",), "an input the run was not given")
    assert account("ghost", db, [*inputs, ghost], result.observed).lost == [ghost]
    special = next(i for i in inputs if i.category == "special_files")
    assert account("fewer", db, [i for i in inputs if i != special], result.observed).unexpected == [
        (special.uris[0], "reject special_file")
    ]


def test_the_kill_loop_compares_rows_cursor_and_run_status(ran: tuple[TortureCorpus, Accounting, Path]) -> None:
    _, _, db = ran
    clean = read_rows(db)
    assert compare_rows(clean, clean, killed_run=None) == []
    some = next(iter(clean.articles))
    fewer = read_rows(db)
    fewer.articles.subtract({some: 1})
    fewer.stories[some[0]] = ("another story", None)
    assert compare_rows(clean, fewer, killed_run=None)[:2] == [
        "1 articles lost",
        "1 articles in another story or copying another article",
    ]
    doubled = read_rows(db)
    doubled.articles.update({some: 1})
    assert "1 articles extra or doubled" in compare_rows(clean, doubled, killed_run=None)
    moved = read_rows(db)
    source = next(iter(moved.cursors))
    files = moved.cursors[source]["files"]
    files[next(iter(files))][2] = "0" * 16
    assert "the cursor differs for 1 files" in compare_rows(clean, moved, killed_run=None)
    killed = read_rows(db)
    killed.runs.insert(0, ("k1", "running", 10, 0))
    assert compare_rows(clean, killed, killed_run="k1") == ["the killed run is running, not interrupted"]
    killed.runs[0] = ("k1", "interrupted", 10, 0)
    assert compare_rows(clean, killed, killed_run="k1") == []


def test_the_command_line_has_quick_defaults_and_refuses_unknown_categories(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quick: Options = parse_args(["--quick"])
    assert (quick.inputs, quick.trials, quick.sizes) == (400, 5, QUICK)
    assert parse_args(["--categories", "symlinks,empties"]).categories == ["symlinks", "empties"]
    with pytest.raises(SystemExit):
        parse_args(["--categories", "nonsense"])
    assert "unknown categories nonsense" in capsys.readouterr().err


def test_the_kill_moments_come_from_the_times_a_run_logged_its_commits(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text(
        "23:59:58.500 | INFO    | prefect - Starting temporary server on http://127.0.0.1:8734\n"
        "23:59:59.000 | INFO    | Flow run 'x' - batch 1: 100 seen, 100 new, 0 duplicates, 0 rejected\n"
        "00:00:01.250 | INFO    | Flow run 'x' - batch 2: 100 seen, 99 new, 1 duplicates, 0 rejected\n"
        "00:00:02.000 | INFO    | Flow run 'x' - Finished in state Completed()\n",
        "utf-8",
    )
    observed = Observed(0, 4.0, 1, 1, log=log, started_at=datetime(2024, 11, 2, 23, 59, 58))
    assert commit_times(observed) == [1.0, 3.25]
