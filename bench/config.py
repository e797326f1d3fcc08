"""The options of a bench run and their defaults, importable before Prefect is configured."""

from __future__ import annotations

from dataclasses import dataclass

from bench.corpus import DEFAULT_DUPLICATE_SHARE, DEFAULT_WORDS
from flows.settings import DEFAULT_BATCH_SIZE

DEFAULT_ARTICLES = 10_000
DEFAULT_REPEAT = 3
DEFAULT_SEED = 20241102


@dataclass(frozen=True)
class BenchConfig:
    """What to measure.

    Attributes:
        articles: articles in the corpus.
        words: average body length in words.
        batch_size: inputs per page, batch and transaction, as `newsflow run --batch-size`.
        repeat: measurements of each kind; the table shows the median.
        seed: seed of the corpus generator.
        duplicate_share: share of articles that repeat an earlier article's text.
        keep: keep the work folder (corpus and databases) instead of removing it.
        flow: also time the whole `ingest` flow under Prefect.
        harness: run the flow under `prefect_test_harness()` (a throwaway Prefect database)
            rather than the temporary server on PREFECT_HOME's database that `newsflow run` uses.
        profile: when above 0, profile `prepare_batch` on this many documents and print the top functions.
    """

    articles: int = DEFAULT_ARTICLES
    words: int = DEFAULT_WORDS
    batch_size: int = DEFAULT_BATCH_SIZE
    repeat: int = DEFAULT_REPEAT
    seed: int = DEFAULT_SEED
    duplicate_share: float = DEFAULT_DUPLICATE_SHARE
    keep: bool = False
    flow: bool = True
    harness: bool = False
    profile: int = 0
