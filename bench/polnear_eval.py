"""Who says so, scored on PolNeAR: the events extractor's `claimed_by` against hand-annotated
attributions (Source, Cue, Content) of 84 political news articles.

Each article's text goes to the extractor as it is in the file, so event spans and the
annotations' character offsets meet. An event reports an attribution when the attribution's Cue
("said", "according to") is in its sentence, or else when at least half of its sentence lies in
the attribution's Content (the one covering most of it).

- claimant precision: of the events with a `claimed_by` that can be scored, the share whose
  claimant names the gold Source (the same words, one inside the other: "Pentagon" and "the
  Pentagon", "Trump" and "Donald Trump"). An event outside every attribution that names a
  claimant is wrong. Events whose gold Source is a pronoun ("he", "they") are not scored.
- claimant recall: of the events inside an attribution whose Source is a name or a described
  source, the share whose `claimed_by` names it.
- fragments: claimants that are neither a name (every word capitalised: "Pat Caddell", "FBI")
  nor a described source (ending in a word such as "officials", "ministry", "police", "sources",
  "spokesman", "tally": "the health ministry", "two medical officials"). A heuristic: `--show`
  lists every claimant it counts, to check it by eye.

The articles fall in two parts by a hash of their names: `tune` (about two thirds), which rule
changes may be checked against, and `held-out`, which nobody reads while changing the rules:
its figures are the out-of-sample ones.

Run: `.venv/bin/python -m bench.polnear_eval [--root ../shared/eval/polnear-dev] [--show N] [--part all|tune|held-out]`.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dedup import identify
from extractors.events import RuleExtractor
from schemas import Event, ParsedArticle

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear-dev"

PRONOUNS = frozenset("he she they it we i you him her them his their its this that who".split())
_FUNCTION = frozenset(
    "a an the of to in on at for by with from and or but that which as is are was were be been has have had "
    "even already also just initially still not its his her their this these those".split()
)
# The last word of a described source: who or what can claim something without a name.
SOURCE_NOUNS = frozenset(
    """officials official ministry ministries police sources source spokesman spokeswoman spokesperson
    spokespeople agency agencies tally media report reports government army military office department
    council committee group groups authorities authority residents witnesses analysts experts intelligence
    services service estimate estimates figures statement statements campaign aides aide advisers adviser
    staff officers officer investigators prosecutors lawyers lawyer attorney attorneys researchers survey poll
    polls data study studies documents document records newspaper paper network channel commission
    organization organisation organizations organisations coalition forces ministry's observatory monitor
    monitors medics doctors hospital hospitals rescuers workers leaders leader members member people
    correspondent correspondents journalists reporters agency's court judge administration party businessman
    businesswoman surrogate strategist nominee candidate president senator governor mayor director chief
    executive secretary minister chairman chairwoman head commander general ambassador envoy diplomat
    diplomats""".split()
)
_WORD = re.compile(r"[\w’'-]+")


@dataclass(frozen=True)
class Attribution:
    """One annotated attribution: who (the Source's text, None when unannotated), what (Content
    spans) and the words that mark it (Cue spans)."""

    source: str | None
    content: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Document:
    """An article's text and its attributions."""

    name: str
    text: str
    attributions: tuple[Attribution, ...]


def part_of(name: str) -> str:
    """`held-out` for about a third of the articles, chosen by a hash of the name; else `tune`."""
    return "held-out" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    """Brat's "start end" or discontinuous "start end;start end" offsets."""
    spans = []
    for part in field.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return tuple(spans)


def parse_ann(text: str) -> list[Attribution]:
    """The attributions of one brat standoff file."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...], str]] = {}
    relations: list[dict[str, str]] = []
    for line in text.splitlines():
        if line.startswith("T"):
            ident, middle, words = [*line.split("\t"), ""][:3]
            kind, _, offsets = middle.partition(" ")
            spans[ident] = (kind, _spans(offsets), words)
        elif line.startswith("E"):
            _, middle = line.split("\t", 1)
            roles = {}
            for item in middle.split():
                role, _, ident = item.partition(":")
                roles[re.sub(r"\d+$", "", role)] = ident
            relations.append(roles)
    found = []
    for roles in relations:
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        source = spans.get(roles.get("Source", ""))
        cue = spans.get(roles.get("Cue", ""))
        found.append(Attribution(source[2] if source else None, content[1], cue[1] if cue else ()))
    return found


def load(root: Path) -> list[Document]:
    """Every article with the annotations of its first annotator (sorted by file name)."""
    documents = []
    for path in sorted((root / "text").glob("*.txt")):
        annotations = sorted((root / "attributions").glob(f"{path.stem}_*.ann"))
        if not annotations:
            continue
        attributions = parse_ann(annotations[0].read_text("utf-8"))
        documents.append(Document(path.stem, path.read_text("utf-8"), tuple(attributions)))
    return documents


def _words(text: str) -> list[str]:
    return [w.casefold().strip("’'") for w in _WORD.findall(text)]


def names_same(claimant: str, source: str) -> bool:
    """True when the claimant's content words all appear in the Source, or the Source's in the claimant,
    or one is the other's acronym."""
    mine = [w for w in _words(claimant) if w not in _FUNCTION]
    theirs = [w for w in _words(source) if w not in _FUNCTION]
    if not mine or not theirs:
        return False
    return set(mine) <= set(theirs) or set(theirs) <= set(mine) or _initials(claimant, source)


def _initials(claimant: str, source: str) -> bool:
    """An acronym for a name written out, either way round: "IAEA" for "The International Atomic
    Energy Agency"."""
    for short, long in ((claimant.strip(), source), (source.strip(), claimant)):
        if len(short) >= 2 and short.isupper() and short.isalpha():
            capitals = "".join(w[0] for w in _WORD.findall(long) if w[0].isupper() and w.casefold() != "the")
            if capitals == short:
                return True
    return False


def is_pronoun(source: str) -> bool:
    """A Source that is a pronoun or a possessive of one: "he", "They", "his campaign" is not."""
    words = _words(source)
    return len(words) == 1 and words[0] in PRONOUNS


def looks_like_fragment(claimant: str) -> bool:
    """A claimant that is neither a name (every word capitalised) nor a described source (ending in a
    word such as "officials" or "ministry")."""
    words = _WORD.findall(claimant)
    if not words:
        return True
    if all(w[0].isupper() or w[0].isdigit() or w in ("of", "the", "and", "for", "a", "on", "de") for w in words):
        return words[0].casefold() in PRONOUNS or words[0].casefold() in ("the", "of", "and")
    return words[-1].casefold().strip("’'") not in SOURCE_NOUNS


def _gold(event: Event, attributions: Sequence[Attribution]) -> Attribution | None:
    """The attribution the event's sentence reports: the one whose Cue ("said", "according to") is
    in the sentence, else the one whose Content holds most of it, if at least half."""
    for attribution in attributions:
        if any(event.char_start <= start < event.char_end for start, _ in attribution.cue):
            return attribution
    length = max(event.char_end - event.char_start, 1)
    best, best_overlap = None, 0
    for attribution in attributions:
        overlap = sum(
            max(0, min(end, event.char_end) - max(start, event.char_start)) for start, end in attribution.content
        )
        if overlap > best_overlap:
            best, best_overlap = attribution, overlap
    return best if best is not None and best_overlap * 2 >= length else None


@dataclass
class Score:
    """Counts behind the figures."""

    events: int = 0
    inside: int = 0
    claimed: int = 0
    correct: int = 0
    wrong: int = 0
    unscored: int = 0
    recall_total: int = 0
    recall_hit: int = 0
    fragments: int = 0

    @property
    def precision(self) -> float:
        scored = self.correct + self.wrong
        return self.correct / scored if scored else 0.0

    @property
    def recall(self) -> float:
        return self.recall_hit / self.recall_total if self.recall_total else 0.0

    @property
    def fragment_share(self) -> float:
        return self.fragments / self.claimed if self.claimed else 0.0


def evaluate(documents: Sequence[Document]) -> tuple[Score, list[str]]:
    """Score the extractor's claimants on the documents; also return a line per wrong or fragment claimant."""
    extractor = RuleExtractor()
    score = Score()
    notes: list[str] = []
    parsed = [
        ParsedArticle(source="polnear", uri=f"polnear:{d.name}", title=d.text.split("\n", 1)[0], text=d.text)
        for d in documents
    ]
    for document, article in zip(documents, identify(parsed), strict=True):
        for event in extractor.extract(article).events:
            score.events += 1
            gold = _gold(event, document.attributions)
            claimant = event.claimed_by
            if gold is not None:
                score.inside += 1
            if claimant is not None:
                score.claimed += 1
                if looks_like_fragment(claimant):
                    score.fragments += 1
                    notes.append(f"fragment  {claimant!r}  in: {event.evidence[:120]}")
            if gold is not None and gold.source is not None and not is_pronoun(gold.source):
                score.recall_total += 1
                if claimant is not None and names_same(claimant, gold.source):
                    score.recall_hit += 1
            if claimant is None:
                continue
            if gold is None:
                score.wrong += 1
                notes.append(f"no gold   {claimant!r}  in: {event.evidence[:120]}")
            elif gold.source is None or is_pronoun(gold.source):
                score.unscored += 1
            elif names_same(claimant, gold.source):
                score.correct += 1
            else:
                score.wrong += 1
                notes.append(f"wrong     {claimant!r} (gold {gold.source!r})  in: {event.evidence[:120]}")
    return score, notes


def report(score: Score, n_documents: int) -> Iterator[str]:
    """The figures as printed."""
    yield (
        f"newsflow claimants on PolNeAR dev: {n_documents} articles, {score.events} events, "
        f"{score.inside} inside an attribution"
    )
    yield (
        f"  claimant precision {score.precision:.3f} ({score.correct} of {score.correct + score.wrong} scored; "
        f"{score.unscored} with a pronoun or no Source in the gold, not scored)"
    )
    yield (
        f"  claimant recall    {score.recall:.3f} ({score.recall_hit} of {score.recall_total} events whose gold "
        "Source is a name or a description)"
    )
    yield f"  fragments          {score.fragment_share:.1%} of {score.claimed} claimants (heuristic)"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the scores; exit 1 when the data is missing."""
    parser = argparse.ArgumentParser(prog="python -m bench.polnear_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the polnear-dev folder")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="also print N wrong or fragment claimants")
    parser.add_argument(
        "--part", choices=["all", "tune", "held-out"], default="all", help="which articles to score (default: all)"
    )
    args = parser.parse_args(argv)
    if not (args.root / "text").is_dir():
        print(f"bench.polnear_eval: no PolNeAR data at {args.root}", file=sys.stderr)
        return 1
    documents = load(args.root)
    parts = ["tune", "held-out"] if args.part == "all" else [args.part]
    if args.part == "all":
        score, notes = evaluate(documents)
        print("\n".join(report(score, len(documents))))
    for part in parts:
        chosen = [d for d in documents if part_of(d.name) == part]
        score, notes = evaluate(chosen)
        print(f"{part}:")
        print("\n".join(report(score, len(chosen))))
        if args.part == "tune":
            for line in notes[: args.show]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
