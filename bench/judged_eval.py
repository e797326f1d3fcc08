"""Event precision on general news, judged by reading: two samples of 50 events drawn at random from
what the rules found in news-html-gold's 84 pages, each judged from its evidence sentence and
paragraph. The first (`tests/fixtures/news_events_judged.jsonl`, rules@1.2 before its claimant rule)
was read while the rules were changed: in-sample. The second (`news_events_judged_heldout.jsonl`,
rules@1.2, other events of the same pages) was judged before the rules of 1.3 and not read while
they were written: held-out.

For the judged sample it prints the share of real events of the stated type (`event_ok`), and of
right figures, places and claimants among the events that give one, with event precision by
confidence band: the check that `confidence` means something. It then codes the pages again
with the current rules and reports which judged events they still give (same page, sentence and
type) and the precision of those: a rule that drops events shows here whether it dropped the
wrong ones (their places, figures and claimants may have changed since: events only).

Run: `.venv/bin/python -m bench.judged_eval`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.figures_eval import articles, load
from bench.html_eval import DEFAULT_ROOT, GOLD_FILE
from extractors.events import RuleExtractor

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
JUDGED = FIXTURES / "news_events_judged.jsonl"
HELD_OUT = FIXTURES / "news_events_judged_heldout.jsonl"
SAMPLES = (("in-sample", JUDGED), ("held-out", HELD_OUT))
# Bands of `confidence`: below 0.6, 0.6 to 0.75, above 0.75.
BANDS = ((0.0, 0.6), (0.6, 0.75 + 1e-9), (0.75 + 1e-9, 1.01))


def read_judged(path: Path = JUDGED) -> list[dict[str, Any]]:
    """The judged events, one dict each."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _share(rows: Sequence[dict[str, Any]], key: str) -> tuple[int, int]:
    scored = [r[key] for r in rows if r[key] is not None]
    return sum(bool(v) for v in scored), len(scored)


def report(rows: Sequence[dict[str, Any]], fields: bool = True) -> Iterator[str]:
    """Precision of events (and with `fields`, of figures, places and claimants), and event
    precision by confidence band."""
    judged = (("event_ok", "events"), ("figures_ok", "figures"), ("place_ok", "places"), ("claimant_ok", "claimants"))
    for key, label in judged if fields else judged[:1]:
        right, scored = _share(rows, key)
        yield f"  {label:<10} {right:3d} of {scored:3d} right  ({right / scored if scored else 0:.2f})"
    for low, high in BANDS:
        band = [r for r in rows if low <= r["confidence"] < high]
        right, scored = _share(band, "event_ok")
        label = f"{low:.2f}–{min(high, 1.0):.2f}"
        yield f"  confidence {label}: {right} of {scored} events right ({right / scored if scored else 0:.2f})"


def still_given(rows: Sequence[dict[str, Any]], root: Path = DEFAULT_ROOT) -> list[dict[str, Any]]:
    """The judged events the current rules still give: same page, sentence start and type."""
    wanted = {r["html_file"] for r in rows}
    extractor = RuleExtractor()
    given: set[tuple[str, int, str | None]] = set()
    pages = [p for p in load(root) if p.html_file in wanted]
    for page, article in zip(pages, articles(pages), strict=True):
        given |= {(page.html_file, e.char_start, e.event_type) for e in extractor.extract(article).events}
    return [r for r in rows if (r["html_file"], r["char_start"], r["event_type"]) in given]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the judged sample's precision, then that of the judged events the rules still give."""
    parser = argparse.ArgumentParser(prog="python -m bench.judged_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the news-html-gold folder")
    args = parser.parse_args(argv)
    scored = (args.root / GOLD_FILE).is_file()
    for label, path in SAMPLES:
        rows = read_judged(path)
        print(f"{label}: {len(rows)} events of {rows[0]['extractor']} on news-html-gold, judged by reading")
        print("\n".join(report(rows)))
        if scored:
            kept = still_given(rows, args.root)
            # Their places, figures and claimants may have changed since they were judged: events only.
            print(f"  the current rules ({RuleExtractor().version}) still give {len(kept)} of them:")
            print("\n".join("  " + line for line in report(kept, fields=False)))
    if not scored:
        print(f"bench.judged_eval: no news-html-gold at {args.root}; the current rules are not scored", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
