"""The bench command line: `python -m bench --articles 10000` (what `make bench` runs)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.config import DEFAULT_ARTICLES, DEFAULT_REPEAT, DEFAULT_SEED, BenchConfig
from bench.corpus import DEFAULT_DUPLICATE_SHARE, DEFAULT_WORDS
from flows.settings import DEFAULT_BATCH_SIZE


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, not {value}")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Measure newsflow on a generated corpus of plain-text articles, in one process: reading, "
            "parsing (prepare_batch) and storing (append_batch) without Prefect, then the whole `ingest` "
            "flow under Prefect's temporary local server after a warm-up run. Prints articles/s (median "
            "of --repeat runs), Prefect's share of the flow's wall time, and the bench process's peak RSS."
        ),
        epilog=(
            "The corpus and databases go to a temporary folder, removed at the end unless --keep. "
            "PREFECT_HOME defaults to the checkout's .prefect folder and analytics to off, as in the Makefile."
        ),
    )
    parser.add_argument(
        "--articles",
        type=_positive,
        default=DEFAULT_ARTICLES,
        metavar="N",
        help="articles to generate (default: %(default)s)",
    )
    parser.add_argument(
        "--words",
        type=_positive,
        default=DEFAULT_WORDS,
        metavar="N",
        help="average article length in words (default: %(default)s)",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help="inputs per batch and transaction (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=DEFAULT_REPEAT,
        metavar="N",
        help="runs of each measurement; the median is shown (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="seed of the corpus generator (default: %(default)s)"
    )
    parser.add_argument(
        "--duplicates",
        type=_share,
        default=DEFAULT_DUPLICATE_SHARE,
        metavar="SHARE",
        help="share of articles that repeat an earlier one's text (default: %(default)s)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folder (corpus and databases) and print where it is"
    )
    parser.add_argument("--no-flow", action="store_true", help="skip the Prefect flow; time the stages only")
    parser.add_argument(
        "--harness",
        action="store_true",
        help=(
            "run the flow under prefect_test_harness() (a throwaway Prefect database) "
            "instead of the temporary server on PREFECT_HOME's database"
        ),
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also print a cProfile of prepare_batch on N documents (top 15 by cumulative time)",
    )
    return parser.parse_args(argv)


def use_local_prefect() -> None:
    """Keep Prefect's state in the checkout and its analytics off unless the caller said otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(Path(__file__).resolve().parents[1] / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench; the exit status is 1 when a run's counts differ from the corpus."""
    args = parse_args(argv)
    use_local_prefect()
    # Only now: Prefect reads its settings when first imported.
    from bench.run import run_bench

    config = BenchConfig(
        articles=args.articles,
        words=args.words,
        batch_size=args.batch_size,
        repeat=args.repeat,
        seed=args.seed,
        duplicate_share=args.duplicates,
        keep=args.keep,
        flow=not args.no_flow,
        harness=args.harness,
        profile=args.profile,
    )
    return run_bench(config)


if __name__ == "__main__":
    sys.exit(main())
