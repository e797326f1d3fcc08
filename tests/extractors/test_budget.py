"""Tests of extractors/budget.py: parsing in a parse process that is ended when a document overruns.

The parse process is real (`python -m extractors.budget`); a page of 60,000 short paragraphs
takes trafilatura about 40 s here (its time grows faster than their number: 3.6 s for 20,000),
far beyond the budgets of these tests.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest

from dedup import identify_apart, identify_result
from extractors.budget import parse_within, start_parser, stop_parsers
from extractors.text import ParseOptions, parse_batch
from schemas import Article, DocumentKind, ParseResult, RawDocument
from tests.conftest import SEEDS

SLOW_PAGE = ("<html><body>" + "<p>word word</p>" * 60_000 + "</body></html>").encode()


def doc(content: bytes, kind: DocumentKind = "text", uri: str = "file:///x.txt") -> RawDocument:
    return RawDocument(source="test", uri=uri, content=content, kind=kind, fetched_at=datetime.now(UTC))


def seed_docs() -> list[RawDocument]:
    return [doc(p.read_bytes(), uri=p.as_uri()) for p in sorted(SEEDS.glob("*.txt"))]


def parse_children() -> list[psutil.Process]:
    return [c for c in psutil.Process().children() if "extractors.budget" in " ".join(c.cmdline())]


def test_the_parse_process_gives_what_parsing_here_gives() -> None:
    docs = [*seed_docs(), doc(b""), doc(b"<html><body><p>short</p></body></html>", "html", "file:///p.html")]
    options = ParseOptions(min_words=3)
    assert parse_within(docs, options=options, timeout=60) == parse_batch(docs, options=options)


def test_a_step_given_to_the_parse_process_runs_there_on_each_result() -> None:
    docs = [*seed_docs(), doc(b"")]
    results = parse_within(docs, timeout=60, then=identify_result)
    here, unfit = identify_apart([r.article for r in parse_batch(docs) if r.article is not None])
    assert not unfit and all(isinstance(r.article, Article) for r in results[:-1])
    assert [r.article for r in results[:-1]] == here
    assert results[-1].article is None and results[-1].reject is not None and results[-1].reject.reason == "empty"


def fail_on_second_seed(result: ParseResult) -> ParseResult:
    """A step that raises on one document (the parse process imports it from this module)."""
    if result.article is not None and result.article.uri.endswith(sorted(SEEDS.glob("*.txt"))[1].name):
        raise ValueError("cannot fingerprint this one")
    return result


def test_a_step_that_raises_on_a_document_makes_only_that_document_a_reject() -> None:
    docs = seed_docs()
    results = parse_within(docs, timeout=60, then=fail_on_second_seed)
    assert [r.article is not None for r in results] == [True, False, *[True] * (len(docs) - 2)]
    reject = results[1].reject
    assert reject is not None and reject.reason == "parse_error" and reject.uri == docs[1].uri
    assert reject.detail == "ValueError: cannot fingerprint this one"


def test_a_folder_of_the_users_named_like_a_package_is_not_what_the_parse_process_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoy = tmp_path / "extractors"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("")
    (decoy / "budget.py").write_text("raise SystemExit('not newsflow')\n")
    monkeypatch.chdir(tmp_path)
    stop_parsers()  # a new parse process, started from this folder
    (result,) = parse_within(seed_docs()[:1], timeout=60)
    assert result.article is not None


def test_a_document_over_the_budget_is_stopped_and_the_others_are_parsed() -> None:
    seeds = seed_docs()
    docs = [*seeds[:2], doc(SLOW_PAGE, "html", "file:///slow.html"), *seeds[2:]]
    start_parser()
    started = time.monotonic()
    results = parse_within(docs, timeout=1.0)
    assert time.monotonic() - started < 30  # stopped: parsing it whole takes about 40 s here
    assert [r.article.uri for r in results if r.article] == [d.uri for d in seeds]
    reject = results[2].reject
    assert reject is not None and reject.reason == "timeout" and reject.uri == "file:///slow.html"
    assert reject.detail == "parsing took longer than the budget of 1 s and was stopped"
    assert reject.size_bytes == len(SLOW_PAGE)
    # The process that overran is gone; the one that parsed the rest waits for the next batch.
    assert len(parse_children()) == 1


def test_a_parse_process_that_dies_costs_only_its_document() -> None:
    # The out-of-memory killer, or a crash inside a library, ends the process mid-document.
    seeds = seed_docs()
    docs = [seeds[0], doc(SLOW_PAGE, "html", "file:///slow.html"), seeds[1]]
    parse_within(seeds[:1], timeout=60)  # a ready process, so the kill below lands on the slow page

    def kill_when_busy() -> None:
        time.sleep(1.0)
        for child in parse_children():
            os.kill(child.pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    results = parse_within(docs, timeout=120)
    killer.join()
    reject = results[1].reject
    assert reject is not None and reject.reason == "parse_error"
    assert reject.detail == "the parse process ended (signal SIGKILL) while parsing this document"
    assert [r.article.uri for r in results if r.article] == [seeds[0].uri, seeds[1].uri]


def test_stopped_parse_processes_are_gone() -> None:
    parse_within(seed_docs()[:1], timeout=60)
    assert parse_children()
    stop_parsers()
    assert not parse_children()
