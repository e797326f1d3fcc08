"""How well the events extractor reads the seeds: precision and recall against a hand-written gold.

The gold (`tests/extractors/events/seeds_gold.json`) lists every killed, injured, troop and money
figure of the five seed articles with its place, claimant and date. Three scores:

- (a) the figure: what it counts and its value;
- (b) the figure with its place and its claimant;
- (c) its date, within one day (of the figures matched in (a) that have a date on either side).

Run: `.venv/bin/python -m bench.events_eval [--verbose]`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dedup import identify
from extractors import parse_batch
from extractors.events import RuleExtractor
from schemas import Article, Event, Figure
from sources import FilesConfig, FilesSource

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "extractors" / "events" / "seeds_gold.json"
SEEDS = ROOT / "seeds"
_FIELD = {"killed": "killed", "injured": "injured", "troops": "troop_count", "amount": "amount"}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Score:
    """Matches out of predictions (precision) and out of gold items (recall)."""

    matched_predicted: int = 0
    predicted: int = 0
    matched_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0


@dataclass
class Report:
    """The three scores and what went wrong, line by line."""

    figure: Score = field(default_factory=Score)
    located: Score = field(default_factory=Score)
    dated: Score = field(default_factory=Score)
    misses: list[str] = field(default_factory=list)


def seed_articles(folder: Path = SEEDS) -> list[Article]:
    """The seed files parsed and identified as the flow would store them."""
    (page,) = list(FilesSource(FilesConfig(path=folder, page_size=1000)).pages(None))
    parsed = [r.article for r in parse_batch(page.documents) if r.article is not None]
    return identify(parsed)


def _words(name: str | None) -> frozenset[str]:
    return frozenset(_WORD.findall((name or "").lower().replace("'s", "")))


def _names_match(predicted: str | None, accepted: Sequence[str]) -> bool:
    """A name matches when its words equal, or contain, or are contained in those of an accepted name."""
    if not accepted:
        return predicted is None
    words = _words(predicted)
    if not words:
        return False
    return any(words <= _words(name) or _words(name) <= words for name in accepted if _words(name))


def _within_a_day(predicted: date | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return False
    return abs((predicted - date.fromisoformat(gold)).days) <= 1


def _predicted(events: Sequence[Event]) -> list[tuple[Event, Figure]]:
    return [(event, figure) for event in events for figure in event.figures]


def evaluate(gold_path: Path = GOLD, folder: Path = SEEDS) -> Report:
    """Extract events from the seeds and score them against the gold."""
    gold: dict[str, Any] = json.loads(gold_path.read_text("utf-8"))["articles"]
    extractor = RuleExtractor()
    report = Report()
    for article in seed_articles(folder):
        name = Path(article.uri).name
        expected = gold.get(name, {"figures": []})["figures"]
        predicted = _predicted(extractor.extract(article).events)
        _score_article(name, expected, predicted, report)
    return report


def _score_article(
    name: str, expected: list[dict[str, Any]], predicted: list[tuple[Event, Figure]], report: Report
) -> None:
    report.figure.gold += len(expected)
    report.located.gold += len(expected)
    report.figure.predicted += len(predicted)
    report.located.predicted += len(predicted)
    free = list(range(len(expected)))
    located_free = list(range(len(expected)))
    for event, figure in predicted:
        kind = _FIELD[figure.counted]
        same = [i for i in free if expected[i]["field"] == kind and float(expected[i]["value"]) == figure.value]
        if not same:
            report.misses.append(
                f"{name}: extra {kind}={figure.value:g} ({figure.qualifier}) by {event.claimed_by} "
                f"in {event.location}: {event.evidence[:110]}"
            )
            continue
        located = [
            i
            for i in same
            if i in located_free
            and _names_match(event.location, expected[i]["location"])
            and _names_match(event.claimed_by, expected[i]["claimed_by"])
        ]
        chosen = located[0] if located else same[0]
        free.remove(chosen)
        report.figure.matched_predicted += 1
        report.figure.matched_gold += 1
        gold_item = expected[chosen]
        if located:
            located_free.remove(chosen)
            report.located.matched_predicted += 1
            report.located.matched_gold += 1
        else:
            report.misses.append(
                f"{name}: {kind}={figure.value:g} place {event.location!r} / claimant {event.claimed_by!r}, "
                f"gold {gold_item['location'][:2]} / {gold_item['claimed_by'][:2]}"
            )
        if event.event_date is not None:
            report.dated.predicted += 1
        if gold_item["event_date"] is not None:
            report.dated.gold += 1
        if _within_a_day(event.event_date, gold_item["event_date"]):
            report.dated.matched_predicted += 1
            report.dated.matched_gold += 1
        elif event.event_date is not None or gold_item["event_date"] is not None:
            report.misses.append(
                f"{name}: {kind}={figure.value:g} date {event.event_date}, gold {gold_item['event_date']}"
            )
    for i in free:
        item = expected[i]
        report.misses.append(f"{name}: missed {item['field']}={item['value']}: {item['evidence'][:110]}")


def main(argv: Sequence[str]) -> int:
    """Print the three scores (and with --verbose, every miss)."""
    parser = argparse.ArgumentParser(prog="python -m bench.events_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="print every miss and extra figure")
    args = parser.parse_args(argv)
    report = evaluate()
    print(f"newsflow events on the seeds: {report.figure.gold} gold figures, {report.figure.predicted} extracted")
    for label, score in (
        ("(a) figure", report.figure),
        ("(b) figure + place + claimant", report.located),
        ("(c) date within one day", report.dated),
    ):
        print(f"  {label:32} precision {score.precision:.3f}  recall {score.recall:.3f}")
    if args.verbose:
        for line in report.misses:
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
