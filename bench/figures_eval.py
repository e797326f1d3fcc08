"""Figures on general news: the killed, injured, troop and money figures of the 84 real pages of
news-html-gold, against an exhaustive gold written by hand from their texts
(`tests/fixtures/news_figures_gold.jsonl`, its rules in `news_figures_gold.md`).

Each page's gold title and body go to the extractor as one article (its address as the source,
so the outlet is known). A figure the extractor states (a row of `event_figures`) matches a gold
figure of the same page when both count the same thing and have the same value (a vague count
matches a vague one of the same kind, whatever its conventional value). Each gold figure
matches at most one extracted figure; a figure told several times counts once in the gold.

- figure precision: the share of extracted figures that match; recall: the share of gold
  figures matched; both per kind and over all four.
- currency: of the matched money figures, the share with the gold's currency.
- country: of the matched figures whose gold names a country, the share whose event has it.
- claimant: of the matched figures whose gold names a claimant, the share whose event's
  `claimed_by` is it (either contains the other, ignoring case).

The pages fall in two parts by a hash of their file names, `tune` (about two thirds) and
`held-out`, reported apart.

Run: `.venv/bin/python -m bench.figures_eval`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.html_eval import DEFAULT_ROOT, GOLD_FILE
from dedup import identify
from extractors import parse_plaintext
from extractors.events import RuleExtractor
from schemas import Article, Event, Figure, ParsedArticle

GOLD_FIGURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "news_figures_gold.jsonl"
KINDS = ("killed", "injured", "troops", "amount")


@dataclass(frozen=True)
class GoldFigure:
    """One figure of the gold."""

    counted: str
    value: float
    vague: bool
    currency: str | None
    country: str | None
    claimant: str | None


@dataclass(frozen=True)
class Page:
    """One page: its text and its gold figures."""

    html_file: str
    url: str
    title: str
    body: str
    figures: tuple[GoldFigure, ...]


def part_of(html_file: str) -> str:
    """`held-out` for about a third of the pages, chosen by a hash of the file name; else `tune`."""
    return "held-out" if int(hashlib.sha1(html_file.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def load(root: Path = DEFAULT_ROOT, gold: Path = GOLD_FIGURES) -> list[Page]:
    """The pages of news-html-gold with their gold figures, in file order."""
    texts: dict[str, dict[str, Any]] = {}
    with (root / GOLD_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["html_file"]] = row
    pages = []
    with gold.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            page = texts[row["html_file"]]
            figures = tuple(
                GoldFigure(f["counted"], float(f["value"]), bool(f.get("vague")), f.get("currency"), f.get("country"),
                           f.get("claimant"))
                for f in row["figures"]
            )  # fmt: skip
            pages.append(Page(row["html_file"], page["url"], page["title"], page["body_text"], figures))
    return pages


@dataclass
class Counts:
    """Matches of one kind."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0

    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0


@dataclass
class Score:
    """Counts behind the figures."""

    kinds: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    currency_scored: int = 0
    currency_right: int = 0
    country_scored: int = 0
    country_right: int = 0
    claimant_scored: int = 0
    claimant_right: int = 0
    misses: list[str] = field(default_factory=list)

    def all(self) -> Counts:
        return Counts(
            sum(c.predicted for c in self.kinds.values()),
            sum(c.gold for c in self.kinds.values()),
            sum(c.matched for c in self.kinds.values()),
        )


def _same_value(figure: Figure, gold: GoldFigure) -> bool:
    if figure.counted != gold.counted:
        return False
    if gold.vague or figure.vague:
        return gold.vague and figure.vague
    return abs(figure.value - gold.value) <= 1e-6 * max(1.0, abs(gold.value))


def _same_claimant(claimed: str | None, gold: str) -> bool:
    if not claimed:
        return False
    a, b = claimed.casefold(), gold.casefold()
    return a in b or b in a


def score_page(page: Page, events: Sequence[Event], score: Score) -> None:
    """Add one page's matches to `score`."""
    extracted = [(figure, event) for event in events for figure in event.figures]
    left = list(page.figures)
    for figure, event in extracted:
        score.kinds[figure.counted].predicted += 1
        match = next((g for g in left if _same_value(figure, g)), None)
        if match is None:
            score.misses.append(f"{page.html_file}: extra {figure.counted} {figure.value:g} | {event.evidence[:100]}")
            continue
        left.remove(match)
        score.kinds[figure.counted].matched += 1
        if match.counted == "amount":
            score.currency_scored += 1
            score.currency_right += figure.currency == match.currency
            if figure.currency != match.currency:
                score.misses.append(f"{page.html_file}: {figure.currency} for {match.currency} {match.value:g}")
        if match.country:
            score.country_scored += 1
            score.country_right += event.country == match.country
        if match.claimant:
            score.claimant_scored += 1
            score.claimant_right += _same_claimant(event.claimed_by, match.claimant)
    for gold in page.figures:
        score.kinds[gold.counted].gold += 1
    score.misses.extend(f"{page.html_file}: missed {g.counted} {g.value:g}" for g in left)


def articles(pages: Sequence[Page]) -> list[Article]:
    """The pages as articles: gold title and body read as plain text, the page's address as source."""
    parsed = []
    for page in pages:
        text = parse_plaintext(page.title + "\n\n" + page.body)
        parsed.append(
            ParsedArticle(source="gold", uri=page.url, title=text.title, text=text.body,
                          word_count=len(text.body.split()))
        )  # fmt: skip
    return identify(parsed)


def evaluate(pages: Sequence[Page]) -> Score:
    """Run the extractor over the pages and score them."""
    extractor = RuleExtractor()
    score = Score()
    for page, article in zip(pages, articles(pages), strict=True):
        score_page(page, extractor.extract(article).events, score)
    return score


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def report(label: str, pages: Sequence[Page], score: Score) -> Iterator[str]:
    """The figures as printed."""
    total = score.all()
    yield f"{label}: {len(pages)} pages, {total.gold} gold figures, {total.predicted} extracted"
    yield f"  all figures   precision {total.precision():.3f}  recall {total.recall():.3f}"
    for kind, counts in score.kinds.items():
        yield (
            f"  {kind:<13} precision {counts.precision():.3f}  recall {counts.recall():.3f}  "
            f"({counts.matched} matched, {counts.predicted} extracted, {counts.gold} gold)"
        )
    yield (
        f"  currency {_share(score.currency_right, score.currency_scored):.3f} "
        f"of {score.currency_scored} matched sums; "
        f"country {_share(score.country_right, score.country_scored):.3f} of {score.country_scored}; "
        f"claimant {_share(score.claimant_right, score.claimant_scored):.3f} of {score.claimant_scored}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the scores of all pages and of both parts; exit 1 when the data is missing."""
    parser = argparse.ArgumentParser(prog="python -m bench.figures_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the news-html-gold folder")
    parser.add_argument("--misses", action="store_true", help="list every extra and missed figure")
    args = parser.parse_args(argv)
    if not (args.root / GOLD_FILE).is_file():
        print(f"bench.figures_eval: no news-html-gold at {args.root}", file=sys.stderr)
        return 1
    pages = load(args.root)
    print("newsflow figures on general news (news-html-gold, 84 pages, gold figures written by hand)")
    whole = evaluate(pages)
    print("\n".join(report("all", pages, whole)))
    for part in ("tune", "held-out"):
        chosen = [p for p in pages if part_of(p.html_file) == part]
        print("\n".join(report(part, chosen, evaluate(chosen))))
    if args.misses:
        print("\n".join(whole.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
