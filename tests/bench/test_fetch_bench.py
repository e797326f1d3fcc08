"""Tests of bench/fetch.py: the page server, the counts and the shares of a tiny run; no speed is asserted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import fetch as bench_fetch
from bench.fetch import Corpus, Encoding, gold_corpus, measure, request_paths, serving
from sources.fetch import FetchOptions, fetch_all


def test_request_paths_are_distinct_and_go_through_every_page_in_turn() -> None:
    paths = request_paths(3, 7)
    assert paths == ["/p/0?r=0", "/p/1?r=0", "/p/2?r=0", "/p/0?r=1", "/p/1?r=1", "/p/2?r=1", "/p/0?r=2"]
    assert len(set(request_paths(84, 500))) == 500


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_the_server_gives_each_page_as_it_is_and_404_elsewhere(encoding: Encoding) -> None:
    pages = [b"<html><body><p>one</p></body></html>", "<html><p>zwei – два</p></html>".encode()]
    with serving(pages, encoding) as server:
        base = f"http://127.0.0.1:{server.port}"
        urls = [f"{base}/p/1?r=0", f"{base}/p/0?r=5", f"{base}/p/2", f"{base}/other"]
        results = fetch_all(urls, FetchOptions(allow_hosts=frozenset({"127.0.0.1"}), host_delay=0, retries=0))
        assert server.cpu_seconds() >= 0
    assert [r.content for r in results[:2]] == [pages[1], pages[0]]
    assert results[0].headers.get("content-encoding", "identity") == encoding
    assert [r.error for r in results[2:]] == ["http_404", "http_404"]


def test_main_falls_back_to_generated_pages_and_counts_every_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench_fetch.main(["--requests", "10", "--repeat", "1", "--gold", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "generated article pages" in out and f"no gold_english.jsonl in {tmp_path}" in out
    counts = re.search(r"(\d+) requested, (\d+) fetched, (\d+) parsed: (\d+) articles, (\d+) rejected", out)
    assert counts is not None
    requested, fetched, parsed, articles, rejected = map(int, counts.groups())
    assert requested == fetched == parsed == 10
    assert articles + rejected == 10
    rates = re.findall(r"^  (?:fetch|extract|end to end)\s+([\d,.]+)", out, re.MULTILINE)
    assert len(rates) == 3 and all(float(r.replace(",", "")) > 0 for r in rates)
    shares = re.findall(r"^  (?:extract|end to end)\s+[\d,.]+\s+([\d.]+)%$", out, re.MULTILINE)
    assert len(shares) == 2 and all(0 <= float(share) / 100 <= 1 for share in shares)


def test_a_run_over_the_gold_pages_counts_bytes_and_shares_sanely() -> None:
    corpus = gold_corpus()
    if corpus is None:
        pytest.skip("no news-html-gold in ../shared/eval")
    report = measure(Corpus(corpus.name, corpus.pages[:5]), requests=10, repeat=1, workers=2)
    (run,) = report.runs
    assert run.requested == run.fetched == run.parsed == 10 and not run.fetch_errors
    assert run.decoded_bytes == sum(len(corpus.pages[i % 5]) for i in range(10))
    assert 0 < run.wire_bytes < run.decoded_bytes  # served gzip
    assert 0 < run.trafilatura_seconds <= run.extract_seconds
    assert 0 <= report.trafilatura_end_to_end_share <= report.trafilatura_extract_share <= 1
    assert report.server_cpu_share is not None and report.server_cpu_share >= 0


def test_addresses_on_a_host_that_does_not_resolve_are_timed_and_all_fail_to_connect() -> None:
    from bench.fetch import time_unreachable

    times = time_unreachable(4, repeat=1)  # raises unless every address is a connect_error
    assert len(times) == 1 and times[0] > 0
