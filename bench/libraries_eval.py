"""Well-kept libraries against newsflow's own code, measured on real text: sentence splitting
(pysbd, syntok against `split_sentences`), number words (text2num against `find_quantities` and
`parse_number`), prices and currencies (price-parser against `find_quantities`).

The libraries are not dependencies of newsflow: install them into the checkout's environment to
measure them (`.venv/bin/pip install pysbd syntok text2num price-parser`); a library that is not
installed is skipped with a note.

- `sentences`: each splitter over the 84 pages of news-html-gold (the text the extractor sees),
  within newsflow's paragraphs (one a line), so a library only decides where a paragraph's
  sentences end. Counted: sentences; splits right after a title, a month or "No." ("Sen.",
  "Gov.", "Jan.", "No."), which never end a sentence before the name or number that follows;
  splits after a capital initial ("J.", "I.") and after "U.S.", "U.K.", "U.N." (a sentence may
  end there: read them); likely missed splits (a full stop after a word or a digit, then a
  capital, inside one sentence); the time to split the pages (median of 3 rounds, the splitters
  taking turns). Then the boundaries on which the splitters disagree, scored against two samples
  judged by reading (`tests/fixtures/sentence_boundaries_judged.jsonl`): 40 drawn at random from
  all of them (`--draw 40` prints that draw) and every one where newsflow and syntok differ.
- `swap LIBRARY BENCH [ARGS]`: runs one of the benches (`acled_eval`, `polnear_eval`,
  `figures_eval`, `events_eval`, `judged_eval`, `extract`) with the library's splitter in place
  of `split_sentences`, so its figures compare with the bench run as it is.
- `numbers`: the gold figures of `tests/fixtures/news_figures_gold.jsonl` whose quote writes the
  number in words (no digits for it): does `find_quantities` count it, and is a number in words
  of the quote read to its value by newsflow's `parse_number` and by text2num's `text2num`?
  Then every number in words within six words of a word of killing or wounding in the 1,500
  ACLED notes of acled-dev: the two readers side by side, how many `find_quantities` takes for a
  count, and in the notes with deaths whether one such number is ACLED's `fatalities`.
- `money`: the gold sums (counted = amount, with a currency): price-parser's amount and
  currency on the quote (its first price, and the best of windows around each number, newsflow's
  scale words applied after it) against `find_quantities`' value and currency, before the
  outlet's-dollar rule (a bare "$" read as any dollar counts as the gold's dollar).

Run: `.venv/bin/python -m bench.libraries_eval [sentences|numbers|money] [--show] [--draw N]`,
`.venv/bin/python -m bench.libraries_eval swap syntok acled_eval`.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import itertools
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.acled_eval import DEFAULT_FILE as ACLED_FILE
from bench.figures_eval import GOLD_FIGURES, articles, load
from extractors.events.numbers import find_quantities, parse_number
from extractors.events.sentences import Sentence, split_sentences

JUDGED_BOUNDARIES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "sentence_boundaries_judged.jsonl"
BENCHES = ("acled_eval", "polnear_eval", "figures_eval", "events_eval", "judged_eval", "extract")

Splitter = Callable[[str], list[Sentence]]


def _library(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _skipped(package: str, module: str) -> bool:
    if _library(module) is None:
        print(f"  {package}: not installed, skipped (.venv/bin/pip install {package})")
        return True
    return False


# ---------------------------------------------------------------------------------------------------
# Sentence splitters with newsflow's contract: spans without surrounding whitespace, paragraph = line.

_PARAGRAPH = re.compile(r"\n\s*")


def _within_paragraphs(ends_of: Callable[[str], Iterable[int]]) -> Splitter:
    """A splitter that cuts each paragraph where `ends_of(paragraph)` says sentences end."""

    def split(text: str) -> list[Sentence]:
        sentences: list[Sentence] = []
        paragraph, start = 0, 0
        for bound in [*(m.start() for m in _PARAGRAPH.finditer(text)), len(text)]:
            block = text[start:bound]
            if block.strip():
                cut = start
                for end in sorted({start + e for e in ends_of(block) if 0 < e < len(block)}):
                    _add(sentences, text, cut, end, paragraph)
                    cut = end
                _add(sentences, text, cut, bound, paragraph)
                paragraph += 1
            start = bound
        return sentences

    return split


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, paragraph))


def pysbd_splitter() -> Splitter | None:
    """pysbd's segmenter (English, text kept as it is); its sentences found in order in the paragraph."""
    pysbd = _library("pysbd")
    if pysbd is None:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def ends(block: str) -> Iterator[int]:
        at = 0
        for segment in segmenter.segment(block):
            found = block.find(segment.strip(), at)
            if found >= 0:
                at = found + len(segment.strip())
                yield at

    return _within_paragraphs(ends)


def syntok_splitter() -> Splitter | None:
    """syntok's segmenter; a sentence ends after its last token."""
    segmenter = _library("syntok.segmenter")
    if segmenter is None:
        return None

    def ends(block: str) -> Iterator[int]:
        for paragraph in segmenter.analyze(block):
            for sentence in paragraph:
                if sentence:
                    yield sentence[-1].offset + len(sentence[-1].value)

    return _within_paragraphs(ends)


def splitters() -> dict[str, Splitter]:
    """newsflow's splitter and the installed libraries'."""
    found: dict[str, Splitter] = {"newsflow": split_sentences}
    for name, make in (("pysbd", pysbd_splitter), ("syntok", syntok_splitter)):
        splitter = make()
        if splitter is not None:
            found[name] = splitter
    return found


# Words after which a full stop never ends a sentence before a capital or a number.
_NEVER_FINAL = frozenset(
    "Mr. Mrs. Ms. Dr. Prof. Sen. Sens. Rep. Reps. Gov. Gen. Lt. Col. Maj. Capt. Sgt. Cpl. Pvt. Adm. Cmdr. "
    "Det. Insp. Supt. Atty. Rev. Hon. Fr. St. Mt. Ft. No. Nos. Jan. Feb. Mar. Apr. Aug. Sep. Sept. Oct. "
    "Nov. Dec. vs. v. approx. est. e.g. i.e.".split()
)
_COUNTRY_INITIALS = frozenset("U.S. U.K. U.N. E.U.".split())
_INITIAL = re.compile(r"[A-Z]\.")
_MISSED = re.compile(r"(?P<word>\b[A-Za-z][a-z]+|\d)[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z]")
_MISSED_EXCEPT = frozenset("approx etc vs est al".split())


@dataclass
class SplitCounts:
    """What one splitter did to the pages."""

    sentences: int = 0
    never_final: int = 0
    initials: int = 0
    country_initials: int = 0
    missed: int = 0


def _last_word(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip("\"'“‘(")


def boundaries(text: str, sentences: Sequence[Sentence]) -> set[int]:
    """Where sentences end inside a paragraph (not at its end)."""
    return {a.end for a, b in itertools.pairwise(sentences) if a.paragraph == b.paragraph}


def count_splits(texts: Sequence[str], splitter: Splitter) -> SplitCounts:
    """Split the texts and count the splits inside abbreviations and the likely missed ones."""
    counts = SplitCounts()
    for text in texts:
        sentences = splitter(text)
        counts.sentences += len(sentences)
        for end in boundaries(text, sentences):
            word = _last_word(text, end)
            counts.never_final += word in _NEVER_FINAL
            counts.initials += _INITIAL.fullmatch(word) is not None
            counts.country_initials += word in _COUNTRY_INITIALS
        for sentence in sentences:
            # Past its first character: "1. Consume ..." opening a paragraph is a list marker.
            for match in _MISSED.finditer(text, sentence.start + 1, sentence.end):
                word = _last_word(text, match.end("word"))
                counts.missed += word.lower() not in _MISSED_EXCEPT and word + "." not in _NEVER_FINAL
    return counts


def time_splitters(texts: Sequence[str], found: dict[str, Splitter], rounds: int = 3) -> dict[str, float]:
    """Seconds each splitter takes over the texts: the median of `rounds`, the splitters taking turns."""
    for splitter in found.values():
        splitter(texts[0])  # build the library's rules once
    times: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(rounds):
        for name, splitter in found.items():
            started = time.perf_counter()
            for text in texts:
                splitter(text)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


@dataclass(frozen=True)
class Disagreement:
    """A place where some splitters end a sentence and others do not."""

    page: str
    offset: int
    context: str
    split_by: tuple[str, ...]


def disagreements(
    names: Sequence[str], texts: Sequence[str], pages: Sequence[str], split: dict[str, list[list[Sentence]]]
) -> list[Disagreement]:
    """Every boundary that not all splitters make, with the text around it (`|` marks the place)."""
    found = []
    for index, (page, text) in enumerate(zip(pages, texts, strict=True)):
        by = {name: boundaries(text, split[name][index]) for name in names}
        for offset in sorted(set().union(*by.values())):
            makers = tuple(name for name in names if offset in by[name])
            # A boundary one splitter puts after the closing quote and another before it is one place.
            near = [n for n in names if n not in makers and any(abs(o - offset) <= 2 for o in by[n])]
            if len(makers) < len(names) and not near:
                context = text[max(0, offset - 70) : offset] + " | " + text[offset : offset + 50].lstrip()
                found.append(Disagreement(page, offset, context.replace("\n", " / "), makers))
    return found


def sentences_report(draw: int) -> None:
    """Print the sentence-splitting comparison."""
    print("sentence splitting on news-html-gold (84 pages, the text the extractor sees)")
    for package, module in (("pysbd", "pysbd"), ("syntok", "syntok")):
        _skipped(package, module)
    pages = load()
    texts = [article.text for article in articles(pages)]
    names = [p.html_file for p in pages]
    found = splitters()
    split: dict[str, list[list[Sentence]]] = {}
    print(f"  {'splitter':10} {'sentences':>9} {'after Sen./Jan./No.':>19} {'after J.':>8} {'after U.S.':>10} "
          f"{'likely missed':>13} {'ms a page':>9}")  # fmt: skip
    seconds = time_splitters(texts, found)
    for name, splitter in found.items():
        counts = count_splits(texts, splitter)
        split[name] = [splitter(text) for text in texts]
        print(f"  {name:10} {counts.sentences:9,} {counts.never_final:19} {counts.initials:8} "
              f"{counts.country_initials:10} {counts.missed:13} {1000 * seconds[name] / len(texts):9.2f}")  # fmt: skip
    differing = disagreements(list(found), texts, names, split)
    print(f"  boundaries where the splitters disagree: {len(differing)}")
    if JUDGED_BOUNDARIES.is_file():
        _score_judged(found, dict(zip(names, texts, strict=True)), split, names)
    if draw:
        for item in random.Random(11).sample(differing, min(draw, len(differing))):
            print(json.dumps({"page": item.page, "offset": item.offset, "split_by": item.split_by,
                              "context": item.context}, ensure_ascii=False))  # fmt: skip


def _score_judged(
    found: dict[str, Splitter], texts: dict[str, str], split: dict[str, list[list[Sentence]]], names: list[str]
) -> None:
    rows = [json.loads(line) for line in JUDGED_BOUNDARIES.read_text("utf-8").splitlines() if line.strip()]
    order = {name: index for index, name in enumerate(names)}
    for sample, label in (
        ("random-40", "a random sample of them"),
        ("newsflow-vs-syntok", "all where newsflow and syntok differ"),
    ):
        judged = [row for row in rows if row["sample"] == sample]
        real = sum(row["boundary"] for row in judged)
        scores = []
        for name in found:
            right = 0
            for row in judged:
                ends = boundaries(texts[row["page"]], split[name][order[row["page"]]])
                right += any(abs(end - row["offset"]) <= 2 for end in ends) == row["boundary"]
            scores.append(f"{name} {right}")
        print(f"  judged by reading, {label}: {len(judged)} ({real} real sentence ends); right: {', '.join(scores)}")


def swap(library: str, bench: str, argv: Sequence[str]) -> int:
    """Run a bench with a library's splitter in place of newsflow's."""
    make = {"pysbd": pysbd_splitter, "syntok": syntok_splitter}.get(library)
    if make is None or bench not in BENCHES:
        print(f"bench.libraries_eval swap: LIBRARY is pysbd or syntok, BENCH one of {', '.join(BENCHES)}",
              file=sys.stderr)  # fmt: skip
        return 2
    splitter = make()
    if splitter is None:
        print(f"bench.libraries_eval swap: {library} is not installed (.venv/bin/pip install {library})",
              file=sys.stderr)  # fmt: skip
        return 2
    extractor = importlib.import_module("extractors.events.extractor")
    extractor.split_sentences = splitter  # type: ignore[attr-defined]
    print(f"(sentences split by {library})")
    result: int = importlib.import_module(f"bench.{bench}").main(list(argv))
    return result


# ---------------------------------------------------------------------------------------------------
# Number words.

_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|trillion|dozen|dozens|hundreds|thousands)"
)
_WORDS_PHRASE = re.compile(rf"\b(?:a\s+)?{_NUMBER_WORD}(?:[\s-]+(?:and\s+)?{_NUMBER_WORD})*\b", re.IGNORECASE)
_VAGUE_WORD = re.compile(r"\b(?:dozens|hundreds|thousands)\b", re.IGNORECASE)
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "crore": 1e7, "lakh": 1e5}  # fmt: skip
_SCALE_WORD = r"(thousand|million|billion|trillion|crore|lakh|mn|mln|bn|tn|[mkb])\b"
_DIGITS = re.compile(rf"(\d[\d,]*(?:\.\d+)?)(?:[\s-]*{_SCALE_WORD})?", re.IGNORECASE)
_KILLED = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|died|deaths?|fatalit(?:y|ies)|bodies|lives)\b", re.IGNORECASE)
_WOUNDED = re.compile(r"\b(?:injur(?:ed|ing|ies|y)|wound(?:ed|ing|s)?|hurt)\b", re.IGNORECASE)


def digit_values(text: str) -> list[float]:
    """The numbers written in digits, with a scale word after them ("5 billion", "$100M", "2,000")."""
    values = []
    for match in _DIGITS.finditer(text):
        number = float(match.group(1).rstrip(",").replace(",", ""))
        scale = _SCALE.get((match.group(2) or "").lower(), 1.0)
        values.append(number * scale)
    return values


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _gold_rows() -> Iterator[tuple[str, dict[str, Any]]]:
    with GOLD_FIGURES.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for figure in row["figures"]:
                yield row["html_file"], figure


def numbers_report(show: bool) -> None:
    """Print the number-words comparison."""
    print("number words: newsflow (find_quantities, parse_number) against text2num (text2num)")
    has_text2num = not _skipped("text2num", "text_to_num")
    in_words = []
    for page, figure in _gold_rows():
        quote, value = figure["quote"], float(figure["value"])
        if _WORDS_PHRASE.search(quote) and not any(_same(v, value) for v in digit_values(quote)):
            in_words.append((page, figure))
    exact = [(page, f) for page, f in in_words if not f.get("vague")]
    counted = parsed = theirs = vague_counted = 0
    for page, figure in in_words:
        quote, value = figure["quote"], float(figure["value"])
        vague = bool(figure.get("vague"))
        got = any(_same(q.value, value) and q.vague == vague for q in find_quantities(quote))
        if vague:
            vague_counted += got
            continue
        phrases = [p.group() for p in _WORDS_PHRASE.finditer(quote)]
        ours = any((v := parse_number(p)) is not None and _same(v, value) for p in phrases)
        library = has_text2num and any((v := _text2num(p)) is not None and _same(v, value) for p in phrases)
        counted += got
        parsed += ours
        theirs += library
        if show and not (got and ours and library):
            readings = f"find_quantities={got} parse_number={ours} text2num={library}"
            print(f"    {page}: {figure['counted']} {value:g} {readings} | {quote[:110]}")
    print(f"  gold figures written in words (news_figures_gold.jsonl): {len(in_words)}, "
          f"{len(in_words) - len(exact)} of them vague counts")  # fmt: skip
    print(f"    {len(exact)} exact: counted by find_quantities {counted}; a number in words of the quote read to "
          f"the value by parse_number {parsed}" + (f", by text2num {theirs}" if has_text2num else ""))  # fmt: skip
    print(f"    {len(in_words) - len(exact)} vague: find_quantities flags {vague_counted} vague with the gold's value; "
          "text2num has no vague reading ('hundreds' is 100, 'dozens' an error)")  # fmt: skip
    _acled_numbers(has_text2num, show)


def _text2num(phrase: str) -> float | None:
    text_to_num = importlib.import_module("text_to_num")
    try:
        return float(text_to_num.text2num(phrase, "en"))
    except ValueError:
        return None


@dataclass
class PhraseCounts:
    """Readings of the numbers in words next to one kind of word."""

    phrases: int = 0
    vague: int = 0
    agree: int = 0
    ours_only: int = 0
    theirs_only: int = 0
    differ: int = 0
    counted: int = 0  # find_quantities takes the phrase for a count

    def neither(self) -> int:
        return self.phrases - self.vague - self.agree - self.ours_only - self.theirs_only - self.differ


def _acled_numbers(has_text2num: bool, show: bool) -> None:
    if not ACLED_FILE.is_file():
        print(f"  ACLED notes: no {ACLED_FILE}, skipped")
        return
    with ACLED_FILE.open(encoding="utf-8", newline="") as handle:
        notes = [(row["notes"], int(row["fatalities"] or 0)) for row in csv.DictReader(handle)]
    counts = {"killing": PhraseCounts(), "wounding": PhraseCounts()}
    killed = killed_ours = killed_parsed = killed_theirs = 0
    for text, fatalities in notes:
        quantities = find_quantities(text)
        for label, pattern in (("killing", _KILLED), ("wounding", _WOUNDED)):
            phrases = [p for p in _WORDS_PHRASE.finditer(text) if _near(pattern, text, p)]
            read: list[float | None] = []
            for phrase in phrases:
                count = counts[label]
                count.phrases += 1
                ours = parse_number(phrase.group())
                counted = [q.value for q in quantities if q.number_start <= phrase.start() < q.number_end]
                count.counted += bool(counted)
                read.extend(counted)
                if _VAGUE_WORD.search(phrase.group()):
                    count.vague += 1  # newsflow's value is a convention: not compared
                    continue
                if not has_text2num:
                    continue
                theirs = _text2num(phrase.group())
                if ours is not None and theirs is not None and _same(ours, theirs):
                    count.agree += 1
                    continue
                count.ours_only += ours is not None and theirs is None
                count.theirs_only += theirs is not None and ours is None
                count.differ += ours is not None and theirs is not None
                if show:
                    print(f"    by {label}: {phrase.group()!r} newsflow {ours} text2num {theirs}")
            if label == "killing" and fatalities and phrases:
                killed += 1
                killed_ours += float(fatalities) in read
                killed_parsed += any(parse_number(p.group()) == fatalities for p in phrases)
                if has_text2num:
                    killed_theirs += any(_text2num(p.group()) == fatalities for p in phrases)
    for label, count in counts.items():
        print(f"  ACLED notes (acled-dev), numbers in words within six words of a word of {label}: {count.phrases} "
              f"({count.vague} vague: dozens, hundreds...)")  # fmt: skip
        if has_text2num:
            print(f"    the others read alike by newsflow's parse_number and text2num: {count.agree}; only newsflow "
                  f"reads {count.ours_only}, only text2num {count.theirs_only}, they differ on {count.differ}, "
                  f"neither reads {count.neither()}")  # fmt: skip
        print(f"    find_quantities takes {count.counted} of them for a count")
    print(f"  notes with deaths and such a number by a word of killing: {killed}; ACLED's fatalities is the value "
          f"of one: by find_quantities' count {killed_ours}, parse_number {killed_parsed}"
          + (f", text2num {killed_theirs}" if has_text2num else ""))  # fmt: skip


def _near(pattern: re.Pattern[str], text: str, phrase: re.Match[str]) -> bool:
    """A word of the pattern within six words before or after the number."""
    before = text[max(0, phrase.start() - 60) : phrase.start()].split()[-6:]
    after = text[phrase.end() : phrase.end() + 60].split()[:6]
    return pattern.search(" ".join([*before, *after])) is not None


# ---------------------------------------------------------------------------------------------------
# Money.

_SIGNS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
          "£": "GBP", "gbp": "GBP", "¥": "JPY", "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR",
          "r": "ZAR", "zar": "ZAR", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "a$": "AUD", "au$": "AUD",
          "aud": "AUD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "chf": "CHF", "₦": "NGN", "ngn": "NGN",
          "₩": "KRW", "₽": "RUB", "rub": "RUB", "kes": "KES", "ksh": "KES", "r$": "BRL", "rm": "MYR",
          "tsh": "TZS"}  # fmt: skip
_DOLLARS = frozenset("USD CAD AUD NZD HKD SGD".split())
_AMOUNT_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _same_currency(read: str | None, gold: str | None, quote: str) -> bool:
    """The gold's currency, a bare "$" counting as the gold's dollar (the outlet's rule comes later)."""
    if read == gold:
        return True
    bare = re.search(r"(?<![A-Za-z])\$", quote) is not None
    return bare and read in _DOLLARS and gold in _DOLLARS


def _price_readings(quote: str) -> Iterator[tuple[float, str | None]]:
    """price-parser's amount (times a scale word right after it) and currency, in windows around
    each number of the quote."""
    price_parser = importlib.import_module("price_parser")
    for match in _AMOUNT_NUMBER.finditer(quote):
        window = quote[max(0, match.start() - 12) : match.end() + 12]
        price = price_parser.Price.fromstring(window)
        if price.amount_float is None:
            continue
        after = quote[match.end() : match.end() + 12]
        scale = re.match(rf"[\s-]*{_SCALE_WORD}", after, re.IGNORECASE)
        amount = price.amount_float * (_SCALE[scale.group(1).lower()] if scale else 1.0)
        yield amount, _SIGNS.get((price.currency or "").strip().lower())


def money_report(show: bool) -> None:
    """Print the money comparison."""
    print("money: find_quantities against price-parser on the gold sums' quotes")
    has_parser = not _skipped("price-parser", "price_parser")
    sums = [(page, f) for page, f in _gold_rows() if f["counted"] == "amount" and f.get("currency")]
    ours_value = ours_both = first_value = first_both = any_value = any_both = 0
    for page, figure in sums:
        quote, value, currency = figure["quote"], float(figure["value"]), figure["currency"]
        read = [q for q in find_quantities(quote) if q.kind == "money" and _same(q.value, value)]
        ours_value += bool(read)
        ours_both += any(_same_currency(q.currency, currency, quote) for q in read)
        if not has_parser:
            continue
        price = importlib.import_module("price_parser").Price.fromstring(quote)
        first = price.amount_float is not None and _same(price.amount_float, value)
        first_value += first
        first_both += first and _same_currency(_SIGNS.get((price.currency or "").strip().lower()), currency, quote)
        windows = [(a, c) for a, c in _price_readings(quote) if _same(a, value)]
        any_value += bool(windows)
        any_both += any(_same_currency(c, currency, quote) for _, c in windows)
        if show and bool(read) != bool(windows):
            print(f"    {page}: {currency} {value:g} newsflow={'yes' if read else 'no'} "
                  f"price-parser={'yes' if windows else 'no'} | {quote[:110]}")  # fmt: skip
    print(f"  gold sums with a currency: {len(sums)}")
    print(f"    newsflow find_quantities: value {ours_value}, value and currency {ours_both}")
    if has_parser:
        print(f"    price-parser, first price of the quote: value {first_value}, value and currency {first_both}")
        print(f"    price-parser, best window around a number (scale word applied): value {any_value}, "
              f"value and currency {any_both}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Print the comparisons asked for (all three by default), or run a bench with a swapped splitter."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["swap"]:
        if len(args_in) < 3:
            print("usage: python -m bench.libraries_eval swap LIBRARY BENCH [ARGS]", file=sys.stderr)
            return 2
        return swap(args_in[1], args_in[2], args_in[3:])
    parser = argparse.ArgumentParser(prog="python -m bench.libraries_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", metavar="sentences|numbers|money", help="what to compare (all three)")
    parser.add_argument("--show", action="store_true", help="list each item where the readers differ")
    parser.add_argument("--draw", type=int, default=0, help="print N random disagreeing sentence boundaries")
    args = parser.parse_args(args_in)
    parts = args.parts or ["sentences", "numbers", "money"]
    unknown = sorted(set(parts) - {"sentences", "numbers", "money"})
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}: sentences, numbers or money (or swap LIBRARY BENCH)")
    if "sentences" in parts:
        sentences_report(args.draw)
    if "numbers" in parts:
        numbers_report(args.show)
    if "money" in parts:
        money_report(args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
