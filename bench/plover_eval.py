"""How well the event-type classifier reads PLOVER's gold sentences: accuracy, per-type P/R/F1, speed.

The gold file (PLOVER_GSR_CAMEO.txt, the CAMEO manual's examples coded in PLOVER) uses older names:
DEMAND is scored as REQUEST, DISAPPROVE as ACCUSE, FIGHT as ASSAULT (PLOVER folds CAMEO 18-20 into
ASSAULT). Gold types outside POLECAT's sixteen (INVESTIGATE; CRIME and DOCUMENT where present) are
left out of the accuracy and reported apart: POLECAT folds investigations into ACCUSE, so the report
shows how many of those the classifier called ACCUSE. Every scored sentence tells one event, so a
None answer counts as wrong. Run: `.venv/bin/python -m bench.plover_eval [PATH/TO/PLOVER_GSR_CAMEO.txt]`.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import html_eval
from extractors.events.types import EVENT_TYPES, TypeMatch, classify_all, classify_sentence

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "plover"
DEFAULT_GOLD = DEFAULT_DIR / "gold_standard_records" / "PLOVER_GSR_CAMEO.txt"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"

RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT"}
# Gold modes (PLOVER manual names) that a classifier mode stands for, for the mode agreement figure.
GOLD_MODES: dict[str, frozenset[str]] = {
    "missile": frozenset({"heavy-weapons"}),
    "artillery": frozenset({"heavy-weapons"}),
    "air-strike": frozenset({"heavy-weapons"}),
    "drone": frozenset({"heavy-weapons"}),
    "shooting": frozenset({"firearms"}),
    "explosive": frozenset({"explosives", "suicide-attack"}),
    "beating": frozenset({"beat"}),
    "demo": frozenset({"demo", "demo-org", "demo-spon"}),
    "riot": frozenset({"riot", "riot-spon", "riot-org"}),
    "strike-lim": frozenset({"strike-lim", "strike-gen"}),
    "visit": frozenset({"visit", "host"}),
    "arrest": frozenset({"arrest", "detain"}),
}


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One gold record: its text, its type under POLECAT's names, and its mode if coded."""

    text: str
    event_type: str
    mode: str | None


@dataclass(frozen=True, slots=True)
class Scores:
    """What one pass over the gold sentences found."""

    n: int
    correct: int
    none: int
    per_type: dict[str, tuple[int, int, int]]  # type -> (true positives, predicted, gold)
    confusions: Counter[tuple[str, str]]
    modes_compared: int
    modes_agreeing: int
    outside: Counter[tuple[str, str]]  # (gold type outside the sixteen, prediction)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0


def load_gold(path: Path) -> list[GoldSentence]:
    """Read the gold records that have a sentence, with their types renamed to POLECAT's."""
    records = json.loads(path.read_text("utf-8"))
    return [
        GoldSentence(record["text"], RENAMED.get(record["event"], record["event"]), record.get("mode") or None)
        for record in records
        if record.get("text")
    ]


def score(gold: Sequence[GoldSentence], classify: Callable[[str], TypeMatch | None] = classify_sentence) -> Scores:
    """Score a classifier over the gold sentences (see the module docstring for the rules)."""
    n = correct = none = modes_compared = modes_agreeing = 0
    true_positives: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    outside: Counter[tuple[str, str]] = Counter()
    for sentence in gold:
        match = classify(sentence.text)
        guess = match.event_type if match else "None"
        if sentence.event_type not in EVENT_TYPES:
            outside[(sentence.event_type, guess)] += 1
            continue
        n += 1
        expected[sentence.event_type] += 1
        if match is None:
            none += 1
        else:
            predicted[guess] += 1
        if guess == sentence.event_type:
            correct += 1
            true_positives[guess] += 1
            if match is not None and match.mode is not None and sentence.mode is not None:
                modes_compared += 1
                modes_agreeing += sentence.mode in GOLD_MODES.get(match.mode, frozenset({match.mode}))
        else:
            confusions[(sentence.event_type, guess)] += 1
    per_type = {kind: (true_positives[kind], predicted[kind], expected[kind]) for kind in EVENT_TYPES}
    return Scores(n, correct, none, per_type, confusions, modes_compared, modes_agreeing, outside)


def _f1(true_positives: int, predicted: int, expected: int) -> tuple[float, float, float]:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _news_sentences() -> list[str]:
    """Sentences of real articles (seeds, news-html-gold) for the speed figure; a rough split is enough."""
    texts = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    if (html_eval.DEFAULT_ROOT / html_eval.GOLD_FILE).exists():
        texts += [page.body for page in html_eval.load_gold(html_eval.DEFAULT_ROOT)]
    sentences: list[str] = []
    for text in texts:
        for paragraph in text.splitlines():
            sentences.extend(part.strip() for part in paragraph.replace("? ", "?\n").replace(". ", ".\n").split("\n"))
    return [sentence for sentence in sentences if sentence]


def speed(sentences: Sequence[str], repeat: int = 5) -> float:
    """Sentences per second through classify_all (the best of a few runs, after a warm-up)."""
    for sentence in sentences:
        classify_all(sentence)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for sentence in sentences:
            classify_all(sentence)
        best = min(best, time.perf_counter() - started)
    return len(sentences) / best if best > 0 else float("inf")


def main(argv: list[str]) -> int:
    """Print the figures; skip (exit 0, with a message) when the gold data is not there."""
    path = Path(argv[0]) if argv else DEFAULT_GOLD
    if not path.exists():
        print(f"bench.plover_eval skipped: no gold file at {path} (the PLOVER data in ../shared/eval/plover)")
        return 0
    gold = load_gold(path)
    scores = score(gold)
    print(f"{len(gold)} gold sentences; scored over POLECAT's 16 types: n={scores.n}")
    print(f"accuracy {scores.correct}/{scores.n} = {scores.accuracy:.3f}")
    print(f"no event returned (None): {scores.none}/{scores.n} = {scores.none / max(scores.n, 1):.1%}")
    if scores.modes_compared:
        print(
            f"mode agrees with the gold mode: {scores.modes_agreeing}/{scores.modes_compared} "
            "(type right and both modes given)"
        )
    print(f"\n{'type':<10} {'prec':>6} {'rec':>6} {'f1':>6} {'tp':>4} {'pred':>5} {'gold':>5}")
    for kind in EVENT_TYPES:
        true_positives, predicted, expected = scores.per_type[kind]
        precision, recall, f1 = _f1(true_positives, predicted, expected)
        print(f"{kind:<10} {precision:6.2f} {recall:6.2f} {f1:6.2f} {true_positives:4d} {predicted:5d} {expected:5d}")
    print("\nmost frequent errors (gold -> predicted):")
    for (expected_type, guess), count in scores.confusions.most_common(15):
        print(f"  {count:3d}  {expected_type} -> {guess}")
    if scores.outside:
        print("\ngold types outside the 16, not scored (gold -> predicted):")
        for (expected_type, guess), count in sorted(scores.outside.items(), key=lambda item: -item[1]):
            print(f"  {count:3d}  {expected_type} -> {guess}")
    gold_rate = speed([sentence.text for sentence in gold])
    news = _news_sentences()
    news_rate = speed(news)
    print(f"\nspeed: {gold_rate:,.0f} gold sentences/s; {news_rate:,.0f} news sentences/s ({len(news)} sentences)")
    print(f"  = {30 / news_rate * 1000:.3f} ms per 30-sentence article")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
