"""Events extraction speed on one core: real articles through the rule-based extractor.

The texts are the five seeds and, when ../shared/eval is present, the 84 gold news articles of
news-html-gold (real reports of many kinds and lengths), repeated to `--articles`. Speed is given
per article and per 600 words (the length the aim is stated for), median of `--repeat` runs.

Run: `.venv/bin/python -m bench.extract [--articles 1000] [--repeat 3]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.events_eval import seed_articles
from bench.html_eval import DEFAULT_ROOT, GOLD_FILE, load_gold
from dedup import identify
from extractors import parse_plaintext
from extractors.events import RuleExtractor
from schemas import Article, ParsedArticle


def gold_articles(root: Path = DEFAULT_ROOT) -> list[Article]:
    """The gold news articles as plain-text articles (title, paragraphs), when the eval data is here."""
    if not (root / GOLD_FILE).exists():
        return []
    parsed = []
    for i, page in enumerate(load_gold(root)):
        text = parse_plaintext(page.title + "\n\n" + page.body)
        parsed.append(
            ParsedArticle(
                source="gold",
                uri=f"gold:{i}",
                title=text.title,
                text=text.body,
                published_at=text.published_at,
                word_count=len(text.body.split()),
            )
        )
    return identify(parsed)


def main(argv: Sequence[str]) -> int:
    """Print extraction articles/s and 600-word articles/s."""
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="measurements (median shown)")
    args = parser.parse_args(argv)
    texts = [*seed_articles(), *gold_articles()]
    articles = (texts * (args.articles // len(texts) + 1))[: args.articles]
    words = sum(len(a.text.split()) for a in articles)
    extractor = RuleExtractor()
    extractor.extract(articles[0])  # load the gazetteers once, as a run does
    times = []
    events = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        events = sum(len(extractor.extract(a).events) for a in articles)
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    print(
        f"newsflow events extraction: {len(articles):,} real articles ({words / len(articles):,.0f} words on average), "
        f"one core, median of {args.repeat}"
    )
    print(f"  {len(articles) / seconds:8,.0f} articles/s   {words / seconds:10,.0f} words/s   "
          f"{words / 600 / seconds:8,.0f} 600-word articles/s   {events:,} events a pass")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
