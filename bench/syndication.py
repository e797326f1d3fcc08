"""A syndication corpus: real articles, the copies outlets make of them, and story labels to score against."""

from __future__ import annotations

import argparse
import ast
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bench.text_eval import DEFAULT_GOLD
from extractors import parse_plaintext

DEFAULT_SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DEFAULT_COPIES = 6
DEFAULT_NEGATIVES = 2
DEFAULT_SEED = 7

DIFFERENT_STORY = "different_story"
# The edits a copy can receive, in the order they are applied: content first (a later edit sees the
# cut and reworded text), then the lines an outlet adds around it, typography last so that it
# reaches the added lines too.
EDITS: tuple[str, ...] = (
    "cut",
    "sentence",
    "spelling",
    "headline",
    "teaser",
    "captions",
    "ads",
    "byline",
    "dateline",
    "footer",
    "typography",
)
# Edits that change the story text itself; a copy of a copy inherits these, not the parent's dressing.
_CONTENT_EDITS = frozenset({"cut", "sentence", "spelling", "headline"})
# What a different-story document is dressed with, so that outlet boilerplate alone tells nothing.
_DRESSING = ("byline", "dateline", "footer", "ads", "captions", "typography")
# A share of copies is made from an earlier copy (an aggregator re-running a wire copy), not the original.
_CHAINED_SHARE = 0.3


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_OUTLETS = (
    "Reuters",
    "Associated Press",
    "AFP",
    "dpa",
    "Keystone-SDA",
    "Kyiv Independent",
    "Ukrinform",
    "The Guardian",
    "Yahoo News",
    "MSN",
    "Swissinfo",
    "Euronews",
    "Deutsche Welle",
    "Times of India",
    "Al Jazeera",
    "RFE/RL",
    "NZ Herald",
    "The Straits Times",
    "ABC News",
    "Newsweek",
    "The Independent",
    "blue News",
    "Korea Herald",
    "Japan Times",
    "Irish Examiner",
    "Daily Sabah",
    "The Local",
    "Yonhap",
)
_AGENCIES = _words("Reuters AP AFP dpa SDA Keystone-SDA ANSA Ukrinform Yonhap Kyodo PA Bloomberg")
_PHOTO_AGENCIES = ("AP/dpa", "Keystone", "AFP", "Reuters", "dpa", "EPA/Keystone", "AP", "Getty Images")
_CITIES = (
    "Kyiv",
    "Moscow",
    "Washington",
    "Seoul",
    "Berlin",
    "London",
    "Paris",
    "Brussels",
    "Geneva",
    "Zurich",
    "Bern",
    "Warsaw",
    "Tokyo",
    "Beijing",
    "New York",
    "Kharkiv",
    "Pyongyang",
    "Vienna",
    "Rome",
    "Sydney",
    "Johannesburg",
    "New Delhi",
    "Ottawa",
    "Toronto",
    "Los Angeles",
    "Jerusalem",
    "Cairo",
    "Mexico City",
    "Manila",
    "Taipei",
    "Lisbon",
    "Stockholm",
    "Dublin",
    "Windhoek",
    "Maseru",
    "Kuala Lumpur",
    "Nairobi",
)
_FIRST_NAMES = _words(
    "Anna Tom Olena Pavel Sarah Mark Yuliia David Elif Hyonhee Felix Lidia Andrew Gleb Max Jonathan Mari Idrees "
    "Jan Maria Dan Nomvula Kevin Priya"
)
_LAST_NAMES = _words(
    "Balmforth Stolyar Polityuk Kelly Smith Shin Kim Hunder Osborn Landay Reid Sly Heinrich Hummel Müller "
    "Baczynska Zinets Williams Kahn Ali Nkosi Tanaka Sharma O'Brien"
)
_MONTHS = _words("January February March April May June July August September October November December")
_MONTHS_WIRE = _words("Jan Feb March April May June July Aug Sept Oct Nov Dec")
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

_HEADLINE_PREFIXES = (
    "UPDATE:",
    "UPDATE 1-",
    "UPDATE 2-",
    "BREAKING:",
    "Breaking:",
    "EXCLUSIVE:",
    "LIVE:",
    "WATCH:",
    "World news:",
    "News:",
    "Latest:",
)
_HEADLINE_SUFFIXES = (" | {outlet}", " - {outlet}", " (update)", " – report", " | World News")
_HEADLINE_SYNONYMS = {
    "says": "said",
    "warns": "cautions",
    "soldiers": "troops",
    "troops": "soldiers",
    "accuses": "blames",
    "fears": "expects",
    "need": "want",
    "needs": "wants",
    "after": "following",
    "amid": "as",
    "against": "to counter",
    "killed": "dead",
    "dead": "killed",
    "deployed": "sent",
    "sending": "deploying",
    "new": "fresh",
    "major": "big",
    "urges": "calls on",
    "launch": "begin",
    "reveals": "discloses",
    "released": "published",
    "best": "top",
    "rises": "climbs",
    "gets": "receives",
    "hits": "strikes",
    "attack": "assault",
    "plans": "intends",
    "set to": "poised to",
    "government": "govt",
    "announces": "unveils",
    "people": "residents",
    "open for": "open to",
}
_HEADLINE_SYNONYM_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(_HEADLINE_SYNONYMS, key=len, reverse=True)) + r")\b",
    re.I,
)
# Capitalised words that open a headline without naming anything.
_HEADLINE_OPENERS = frozenset(
    _words("The A An How Why What Who When Where Here Here's This These Every Nearly More Most Inside New Your")
)
_SMALL_WORDS = frozenset(_words("a an the and but or for nor on at to from by of in with as vs via"))

_ADS = (
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Share this article",
    "Share",
    "Read more:",
    "READ MORE",
    "Sign up for our newsletter",
    "Continue reading below",
    "Scroll to continue with content",
    "Click here to get the app",
    "Share on Facebook",
    "Share on X",
    "Follow us on Google News",
    "Listen to this article",
)
_TEASERS = (
    "Related: {title}",
    "READ MORE: {title}",
    "Read more: {title}",
    "Also read | {title}",
    "See also: {title}",
    "MORE: {title}",
    "You might also like: {title}",
    "Related coverage: {title}",
    # A bare link text, as a related-story box leaves it after HTML is stripped.
    "{title}",
)
_CAPTION_ONE = ("speaks to reporters", "attends a meeting", "arrives for talks", "gestures during a news conference")
_CAPTION_MANY = (
    "gather",
    "walk past a damaged building",
    "stand outside the parliament building",
    "wait at a checkpoint",
)
_CAPTION_GROUPS = _words("Residents Soldiers Protesters Officials Rescuers Journalists Delegates")
_CAPTIONS = (
    "FILE PHOTO: {subject} {action} in {place}, {month} {day}, 2024. REUTERS/{photographer}/File Photo",
    "{subject} {action} in {place}. Photo: {photographer}/{photo_agency}",
    "{subject} {action} in {place} on {weekday}. (AP Photo/{photographer})",
    "ARCHIVE - {subject} {action} in {place}. Photo: {photographer}/dpa",
    "{subject} {action} in {place}. Picture: {photographer}",
    "Image: {photographer}/AFP via Getty Images",
)
_FOOTERS = (
    "Reporting by {name} in {place}; Editing by {name2}",
    "(Reporting by {name} and {name2}; Writing by {name3}; Editing by {name4})",
    "© {year} {outlet}. All rights reserved.",
    "Copyright {year} The Associated Press. All rights reserved. This material may not be published, broadcast, "
    "rewritten or redistributed without permission.",
    "Our Standards: The Thomson Reuters Trust Principles.",
    "{agency}",
    "{agency}/{agency2}",
    "Additional reporting by {name}",
    "This article was originally published by {agency}.",
    "Follow us on X and Facebook for the latest news.",
    "{name} contributed to this report.",
    "Get our free newsletter: sign up here.",
)
_BYLINES = ("By {name}", "By {name} and {name2}, {agency}", "{name}, {outlet}", "By {name} | {outlet}")
_DATE_LINES = (
    "Published {month} {day}, {year}",
    "Updated: {day} {month} {year}, {hour:02d}:{minute:02d}",
    "{weekday}, {day} {month} {year}",
    "{day}.{month_number}.{year} - {hour:02d}:{minute:02d}",
)

# Spellings outlets disagree on. Each group's forms are interchangeable; a copy picks one per group.
_ISE_STEMS = _words(
    "organ recogn critic emphas mobil real apolog author priorit modern normal stabil privat legal util minim "
    "maxim summar subsid memor jeopard hospital capital character sympath final visual special standard "
    "global central industrial militar weapon polar neutral energ optim categor"
)
_ISE_SUFFIXES = (
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("isation", "ization"),
    ("isations", "izations"),
    ("iser", "izer"),
    ("isers", "izers"),
)
_SPELLING_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Kyiv", "Kiev", "Kiew"),
    ("Kharkiv", "Kharkov", "Charkiw"),
    ("Odesa", "Odessa"),
    ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "Zelenskyj", "Selenskyj"),
    ("Volodymyr", "Wolodymyr"),
    ("Luhansk", "Lugansk"),
    ("Donetsk", "Donezk"),
    ("Zaporizhzhia", "Zaporizhia", "Zaporozhye"),
    ("Mykolaiv", "Nikolaev"),
    ("Kim Jong Un", "Kim Jong-un"),
    ("Choe Son Hui", "Choe Son-hui"),
    ("Sergei", "Sergey"),
    ("Oleh", "Oleg"),
    ("Synyehubov", "Syniehubov", "Sinegubov"),
    ("Dmitry", "Dmitri"),
    ("Gaddafi", "Qaddafi", "Kadhafi"),
    ("percent", "per cent"),
    ("US", "U.S."),
    ("UK", "U.K."),
    ("defence", "defense"),
    ("offence", "offense"),
    ("colour", "color"),
    ("favour", "favor"),
    ("favourite", "favorite"),
    ("honour", "honor"),
    ("labour", "labor"),
    ("neighbour", "neighbor"),
    ("neighbours", "neighbors"),
    ("neighbouring", "neighboring"),
    ("behaviour", "behavior"),
    ("centre", "center"),
    ("centres", "centers"),
    ("theatre", "theater"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("travelled", "traveled"),
    ("travelling", "traveling"),
    ("cancelled", "canceled"),
    ("fuelled", "fueled"),
    ("labelled", "labeled"),
    ("signalled", "signaled"),
    ("modelling", "modeling"),
    ("analyse", "analyze"),
    ("analysed", "analyzed"),
    ("paralysed", "paralyzed"),
    ("catalogue", "catalog"),
    ("grey", "gray"),
    ("jewellery", "jewelry"),
    ("manoeuvre", "maneuver"),
    ("judgement", "judgment"),
    ("ageing", "aging"),
    ("sceptical", "skeptical"),
    ("paediatric", "pediatric"),
    ("aluminium", "aluminum"),
    *((stem + british, stem + american) for stem in _ISE_STEMS for british, american in _ISE_SUFFIXES),
)


def _spelling_forms() -> dict[str, tuple[int, str]]:
    """Every written form of every variant: the form, its group and how it is cased (as, cap, upper)."""
    forms: dict[str, tuple[int, str]] = {}
    for group, variants in enumerate(_SPELLING_GROUPS):
        for variant in variants:
            forms.setdefault(variant, (group, "as"))
            forms.setdefault(variant[0].upper() + variant[1:], (group, "cap"))
            forms.setdefault(variant.upper(), (group, "upper"))
    return forms


_SPELLING_FORMS = _spelling_forms()
# Forms by their first word, longest first: "Zelenskyy" is tried before "Zelensky", "U.S." before "US".
# One alternation of a thousand forms costs ~5 ms per article in `re`; a word scan and a dict look-up
# costs a few hundredths of that.
_WORD = re.compile(r"[^\W\d_]+")


def _forms_by_first_word() -> dict[str, list[str]]:
    by_word: dict[str, list[str]] = {}
    for form in sorted(_SPELLING_FORMS, key=len, reverse=True):
        first = _WORD.match(form)
        if first:
            by_word.setdefault(first.group(), []).append(form)
    return by_word


_SPELLING_BY_WORD = _forms_by_first_word()


@lru_cache(maxsize=1 << 16)
def _spellings(text: str) -> tuple[tuple[int, int, str], ...]:
    """Where the text uses a form of `_SPELLING_GROUPS`: (start, end, form), whole words, case-sensitive.

    Case matters on purpose: "US" is a country, "us" a pronoun. Cached: copies repeat their
    original's paragraphs.
    """
    found: list[tuple[int, int, str]] = []
    if _SPELLING_BY_WORD.keys().isdisjoint(_WORD.findall(text)):
        return ()  # most paragraphs: one pass in C instead of a Python step per word
    last = 0
    for word in _WORD.finditer(text):
        start = word.start()
        forms = _SPELLING_BY_WORD.get(word.group())
        if forms is None or start < last or (start and (text[start - 1].isalnum() or text[start - 1] == "_")):
            continue
        for form in forms:
            end = start + len(form)
            if text.startswith(form, start) and not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
                found.append((start, end, form))
                last = end
                break
    return tuple(found)


def _respell(text: str, spans: Sequence[tuple[int, int, str]], target: dict[int, str]) -> str:
    """The text with each form (found at `spans`) of a group in `target` replaced, in the same case."""
    out: list[str] = []
    done = 0
    for start, end, form in spans:
        group, style = _SPELLING_FORMS[form]
        if group in target:
            out += (text[done:start], _styled(target[group], style))
            done = end
    return "".join(out) + text[done:] if out else text


# A sentence ends at . ! or ? (perhaps inside a closing quote) before a capital, except after a title
# or an initial: "Mr. Smith", "U.S. forces", "John F. Kennedy".
_SENTENCE_BREAK = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))"
    r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bGen\.)(?<!\bSen\.)(?<!\bRep\.)(?<!\bNo\.)"
    r"(?<!\b[A-Z]\.)"
    r"\s+(?=[\"“‘(]?[A-Z0-9])"
)
_COMMA_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,]\d)")
_LONG_NUMBER = re.compile(r"(?<![\d,.])\d{5,}(?![\d.,]\d)")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?\b")
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_STOPWORDS = frozenset(
    _words(
        "that this with from have been were will would their there they said what when which about after also "
        "more than some into only other could over such then them these those while where your because being "
        "just most very even last first"
    )
)


@dataclass(frozen=True)
class Original:
    """A real article that copies are made from.

    Attributes:
        story: the story label, unique per original: "seed-<file stem>" or "gold-<line number>".
        outlet: who published it (the seed's agency signature, the gold publisher, else "unknown").
        title: the headline, cleaned of section words.
        paragraphs: the body paragraphs, boilerplate removed.
        text: the file as published: a seed file as it is, a gold article as headline and paragraphs.
    """

    story: str
    outlet: str
    title: str
    paragraphs: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class SyndicatedDoc:
    """One published document of the corpus.

    Attributes:
        doc_id: an opaque id ("00042"); the file is `<doc_id>.txt`. It tells nothing of the story.
        story: the ground-truth story label: the original's `story` for the original and its copies,
            a new label for a different story.
        outlet: who published this document.
        title: its headline as printed.
        text: the whole file: headline line, blank line, paragraphs separated by blank lines.
        edits: the edits that made it from its original, in the order applied (names from `EDITS`,
            or `DIFFERENT_STORY` first for a different story); empty for an original.
    """

    doc_id: str
    story: str
    outlet: str
    title: str
    text: str
    edits: tuple[str, ...]


def _render(title: str, lines: Sequence[str]) -> str:
    return title + "\n\n" + "\n\n".join(lines) + "\n"


def load_originals(seeds_dir: Path, gold_path: Path | None) -> list[Original]:
    """Read the originals: the seed articles, then the gold articles of news-html-gold.

    Args:
        seeds_dir: a folder of plain-text articles (`*.txt`, read in name order), parsed with
            `parse_plaintext` so that agency lines, dates and captions stay out of the paragraphs.
        gold_path: `gold_english.jsonl` (one article a line: `title`, `paragraphs`, `publisher`), or
            None for the seeds alone.

    Returns:
        The originals with at least one paragraph, seeds first.
    """
    originals: list[Original] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_text("utf-8")
        parsed = parse_plaintext(raw)
        paragraphs = tuple(p for p in parsed.body.split("\n\n") if p.strip())
        if paragraphs:
            originals.append(Original(f"seed-{path.stem}", parsed.outlet or "unknown", parsed.title, paragraphs, raw))
    if gold_path is None:
        return originals
    for number, line in enumerate(gold_path.read_text("utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        raw_paragraphs = row["paragraphs"]
        if isinstance(raw_paragraphs, str):
            raw_paragraphs = ast.literal_eval(raw_paragraphs)
        paragraphs = tuple(" ".join(str(p).split()) for p in raw_paragraphs if str(p).strip())
        title = " ".join(str(row["title"]).split())
        if paragraphs and title:
            outlet = str(row.get("publisher") or "unknown")
            originals.append(Original(f"gold-{number:03d}", outlet, title, paragraphs, _render(title, paragraphs)))
    return originals


@dataclass
class _Draft:
    """A document being made: the story text, and the lines an outlet puts around it."""

    title: str
    paragraphs: list[str]
    edits: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    # (position, line): the line goes before story paragraph `position` (after the last at len).
    inserts: list[tuple[int, str]] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    dateline: str = ""

    def child(self) -> _Draft:
        """A new draft on this one's story text, without its outlet's lines."""
        return _Draft(self.title, list(self.paragraphs), [e for e in self.edits if e in _CONTENT_EDITS])

    def render(self) -> str:
        by_position: dict[int, list[str]] = {}
        for position, line in self.inserts:
            by_position.setdefault(position, []).append(line)
        lines = list(self.head)
        for i, paragraph in enumerate(self.paragraphs):
            lines += by_position.get(i, ())
            lines.append(self.dateline + paragraph if i == 0 else paragraph)
        lines += by_position.get(len(self.paragraphs), ())
        lines += self.tail
        return _render(self.title, lines)


def _sentences(paragraph: str) -> list[str]:
    return list(_split_sentences(paragraph))


@lru_cache(maxsize=1 << 16)
def _split_sentences(paragraph: str) -> tuple[str, ...]:
    return tuple(_SENTENCE_BREAK.split(paragraph))


@lru_cache(maxsize=1 << 16)
def _traits(paragraph: str) -> tuple[bool, bool]:
    """Whether a sentence edit has something to act on in the paragraph, and a spelling edit.

    Cached: most copies start from their original's paragraphs, so the same strings come back.
    """
    editable = len(_sentences(paragraph)) > 1 or bool(_COMMA_NUMBER.search(paragraph) or _LONG_NUMBER.search(paragraph))
    return editable, bool(_spellings(paragraph))


def _lead_headline(lead_paragraph: str) -> str:
    """The lead sentence's first clause, shortened: how a news ticker titles a story ("" if too short)."""
    lead = _sentences(lead_paragraph)[0].strip("\"“”' ")
    clause = lead.split(", ")[0]
    words = clause.split() if 5 <= len(clause.split()) <= 14 else lead.split()[:12]
    while words and words[-1].lower() in _SMALL_WORDS | {"that", "who", "which"}:
        words.pop()
    return " ".join(words).rstrip(".,;:!?") if len(words) >= 4 else ""


def _title_case(text: str) -> str:
    words = text.split(" ")
    return " ".join(
        w if (i and w.lower() in _SMALL_WORDS) or not w else w[0].upper() + w[1:] for i, w in enumerate(words)
    )


def _styled(target: str, style: str) -> str:
    if style == "upper":
        return target.upper()
    if style == "cap":
        return target[0].upper() + target[1:]
    return target


def _curl(line: str) -> str:
    line = re.sub(r'(^|[\s(\[—–-])"', r"\1“", line).replace('"', "”")
    return re.sub(r"(^|[\s(\[—–“])'", r"\1‘", line).replace("'", "’")


_STRAIGHT = str.maketrans("“”„‘’‚", "\"\"\"'''")


def _straighten(line: str) -> str:
    return line.translate(_STRAIGHT)


def _regroup(text: str, separator: str) -> str:
    """Write "8,000" as "8000" (no separator) or "8 000"."""
    return _COMMA_NUMBER.sub(lambda m: m.group().replace(",", separator), text)


class _Copier:
    """Makes copies and different stories from one seeded generator, so a seed always gives the same corpus."""

    def __init__(self, rng: random.Random, titles: Sequence[tuple[str, str]]) -> None:
        self.rng = rng
        # (story, headline) of every original, for teasers that point at another story.
        self.titles = titles
        self.outlet = ""
        self.story = ""
        self._edits: dict[str, Callable[[_Draft], bool]] = {
            "cut": self.cut,
            "sentence": self.sentence,
            "spelling": self.spelling,
            "headline": self.headline,
            "teaser": self.teaser,
            "captions": self.captions,
            "ads": self.ads,
            "byline": self.byline,
            "dateline": self.dateline,
            "footer": self.footer,
        }

    # -- choosing edits -------------------------------------------------------------------------

    def applicable(self, draft: _Draft) -> list[str]:
        """The edits that would change this draft (an edit with nothing to act on is not offered)."""
        names = list(EDITS)
        if len(draft.paragraphs) < 3:
            names.remove("cut")
        traits = [_traits(p) for p in draft.paragraphs]
        if not any(editable for editable, _ in traits):
            names.remove("sentence")
        if not (_spellings(draft.title) or any(spelled for _, spelled in traits)):
            names.remove("spelling")
        if len(self.titles) < 2:
            names.remove("teaser")
        return names

    def apply(self, draft: _Draft, names: Sequence[str]) -> str:
        """Apply the named edits in the order of `EDITS`, record those that changed something, render.

        A copy of a copy already carries its parent's content edits; one applied again is recorded once.
        """
        wanted = set(names)
        applied = [name for name in EDITS[:-1] if name in wanted and self._edits[name](draft)]
        text = draft.render()
        if "typography" in wanted:
            changed = self.typography(text)
            if changed != text:
                applied.append("typography")
                draft.title = changed.split("\n", 1)[0]
                text = changed
        if wanted and not applied:
            # What was offered found nothing left to act on (a cut took the only numbered paragraph):
            # a footer always changes the text, so every copy differs from its parent.
            self.footer(draft)
            applied.append("footer")
            text = draft.render()
        draft.edits += [name for name in applied if name not in draft.edits]
        return text

    # -- content edits --------------------------------------------------------------------------

    def cut(self, draft: _Draft) -> bool:
        """Keep the first 40-80% of the paragraphs, as an outlet that runs only the top of a story."""
        n = len(draft.paragraphs)
        keep = min(n - 1, max(1, round(n * self.rng.uniform(0.4, 0.8))))
        del draft.paragraphs[keep:]
        return keep < n

    def sentence(self, draft: _Draft) -> bool:
        """Drop a sentence, swap two neighbours, or write a number another way: one or two of these."""
        rng = self.rng
        paragraphs = draft.paragraphs
        multi = [i for i, p in enumerate(paragraphs) if len(_sentences(p)) > 1]
        numbered = [i for i, p in enumerate(paragraphs) if _COMMA_NUMBER.search(p) or _LONG_NUMBER.search(p)]
        ops = [op for op, ok in (("drop", multi), ("swap", multi), ("number", numbered)) if ok]
        if not ops:  # an earlier cut may have taken every paragraph this edit could act on
            return False
        changed = False
        for op in rng.sample(ops, rng.randint(1, len(ops))):
            if op == "number":
                i = rng.choice(numbered)
                old = paragraphs[i]
                if _COMMA_NUMBER.search(old):
                    # "8000", or "8 000" as French and Swiss outlets write it.
                    new = _regroup(old, " " if rng.random() < 0.3 else "")
                else:
                    new = _LONG_NUMBER.sub(lambda m: f"{int(m.group()):,}", old)
            else:
                # Chosen again each time: a dropped sentence may have left a paragraph with one.
                multi = [i for i, p in enumerate(paragraphs) if len(_sentences(p)) > 1]
                if not multi:
                    continue
                i = rng.choice(multi)
                old = paragraphs[i]
                parts = _sentences(old)
                if op == "drop":
                    del parts[rng.randrange(len(parts))]
                else:
                    j = rng.randrange(len(parts) - 1)
                    parts[j], parts[j + 1] = parts[j + 1], parts[j]
                new = " ".join(parts)
            paragraphs[i] = new
            changed |= new != old
        return changed

    def spelling(self, draft: _Draft) -> bool:
        """Respell names and words the way another outlet does: Kyiv/Kiev, Zelensky/Selenskyj, -ise/-ize."""
        rng = self.rng
        present: dict[int, str] = {}
        texts = [draft.title, *draft.paragraphs]
        spans = [_spellings(text) for text in texts]
        for found in spans:
            for _, _, form in found:
                present.setdefault(_SPELLING_FORMS[form][0], form)
        if not present:
            return False
        target: dict[int, str] = {}
        for group in rng.sample(sorted(present), rng.randint(1, min(3, len(present)))):
            seen = present[group].lower()
            target[group] = rng.choice([v for v in _SPELLING_GROUPS[group] if v.lower() != seen])
        respelled = [_respell(text, found, target) for text, found in zip(texts, spans, strict=True)]
        draft.title, draft.paragraphs[:] = respelled[0], respelled[1:]
        return respelled != texts

    def headline(self, draft: _Draft) -> bool:
        """Reword, reorder, prefix, suffix or recase the headline, or write a new one from the lead."""
        rng = self.rng
        old = draft.title
        reorder = re.match(r"^(.{2,60}?)(?::| [-–—|] )\s*(.+)$", old)
        ops = ["prefix", "suffix", "casing", "lead"]
        ops += ["reword"] * 3 if _HEADLINE_SYNONYM_RE.search(old) else []
        ops += ["reorder"] * 2 if reorder else []
        title = old
        for op in (rng.choice(ops), *(["prefix"] if rng.random() < 0.2 else [])):
            if op == "prefix":
                title = f"{rng.choice(_HEADLINE_PREFIXES)} {title}".replace("- ", "-", 1)
            elif op == "suffix":
                title += rng.choice(_HEADLINE_SUFFIXES).format(outlet=self.outlet)
            elif op == "casing":
                title = title.upper() if rng.random() < 0.3 else _title_case(title)
            elif op == "lead":
                title = _lead_headline(draft.paragraphs[0]) or title
            elif op == "reword":
                title = _HEADLINE_SYNONYM_RE.sub(self._synonym, title)
            elif reorder:
                left, right = reorder.groups()
                if len(left.split()) <= 3:
                    title = f"{right[0].upper()}{right[1:]}, says {left}"
                else:
                    title = f"{right[0].upper()}{right[1:]} – {left}"
        if title == old:
            title = f"{rng.choice(_HEADLINE_PREFIXES)} {old}"
        draft.title = title
        return True

    def _synonym(self, match: re.Match[str]) -> str:
        word = match.group()
        if self.rng.random() < 0.3:
            return word
        new = _HEADLINE_SYNONYMS[word.lower()]
        return _styled(new, "upper" if word.isupper() and len(word) > 1 else "cap" if word[0].isupper() else "as")

    # -- lines an outlet adds -------------------------------------------------------------------

    def _name(self) -> str:
        return f"{self.rng.choice(_FIRST_NAMES)} {self.rng.choice(_LAST_NAMES)}"

    def _place(self, draft: _Draft) -> str:
        """A city the story mentions when there is one: datelines and captions name where it happens."""
        text = " ".join(draft.paragraphs[:3])
        mentioned = [city for city in _CITIES if city in text]
        return self.rng.choice(mentioned) if mentioned and self.rng.random() < 0.7 else self.rng.choice(_CITIES)

    def _slots(self, draft: _Draft) -> dict[str, object]:
        rng = self.rng
        month = rng.randrange(12)
        return {
            "name": self._name(),
            "name2": self._name(),
            "name3": self._name(),
            "name4": self._name(),
            "place": self._place(draft),
            "outlet": self.outlet,
            "agency": rng.choice(_AGENCIES),
            "agency2": rng.choice(_AGENCIES),
            "year": rng.choice((2023, 2024, 2025)),
            "month": _MONTHS[month],
            "month_number": month + 1,
            "day": rng.randint(1, 28),
            "weekday": rng.choice(_WEEKDAYS),
            "hour": rng.randrange(24),
            "minute": rng.randrange(60),
        }

    def _positions(self, draft: _Draft, count: int, *, first: int) -> list[int]:
        return [self.rng.randint(first, len(draft.paragraphs)) for _ in range(count)]

    def teaser(self, draft: _Draft) -> bool:
        """A "Related:" line that quotes the headline of another story of the corpus."""
        others = [title for story, title in self.titles if story != self.story]
        for position in self._positions(draft, self.rng.randint(1, 2), first=1):
            title = self.rng.choice(others)
            draft.inserts.append((position, self.rng.choice(_TEASERS).format(title=title)))
        return True

    def captions(self, draft: _Draft) -> bool:
        """Photo captions and credits between paragraphs, naming people of the story."""
        rng = self.rng
        names = _NAME.findall(" ".join(draft.paragraphs[:4]))
        for position in self._positions(draft, rng.randint(1, 2), first=0):
            slots = self._slots(draft)
            if names and rng.random() < 0.6:
                slots["subject"], slots["action"] = rng.choice(names), rng.choice(_CAPTION_ONE)
            else:
                slots["subject"], slots["action"] = rng.choice(_CAPTION_GROUPS), rng.choice(_CAPTION_MANY)
            slots["photographer"] = self._name()
            slots["photo_agency"] = rng.choice(_PHOTO_AGENCIES)
            slots["month"] = _MONTHS_WIRE[int(str(slots["month_number"])) - 1]
            draft.inserts.append((position, rng.choice(_CAPTIONS).format(**slots)))
        return True

    def ads(self, draft: _Draft) -> bool:
        """Advertisement markers and share prompts left between paragraphs."""
        for position in self._positions(draft, self.rng.randint(1, 3), first=1):
            draft.inserts.append((position, self.rng.choice(_ADS)))
        return True

    def byline(self, draft: _Draft) -> bool:
        """An author line and a publication date under the headline."""
        slots = self._slots(draft)
        draft.head.append(self.rng.choice(_BYLINES).format(**slots))
        if self.rng.random() < 0.7:
            draft.head.append(self.rng.choice(_DATE_LINES).format(**slots))
        return True

    def dateline(self, draft: _Draft) -> bool:
        """A place and agency before the lead: "KYIV (Reuters) - ", "BERLIN, Nov 2 (dpa) - "."""
        rng = self.rng
        city = self._place(draft)
        agency = rng.choice(_AGENCIES)
        month = rng.randrange(12)
        day = rng.randint(1, 28)
        draft.dateline = rng.choice(
            (
                f"{city.upper()} ({agency}) - ",
                f"{city.upper()}, {_MONTHS_WIRE[month]} {day} ({agency}) - ",
                f"{city.upper()} ({agency}) — ",
                f"{city}, {day} {_MONTHS[month]} ({agency.upper()}) – ",
                f"{city.upper()} — ",
                f"{city} ({agency}) ",
            )
        )
        return True

    def footer(self, draft: _Draft) -> bool:
        """Closing lines: reporting credits, copyright, an agency signature, a newsletter prompt."""
        slots = self._slots(draft)
        for template in self.rng.sample(_FOOTERS, self.rng.randint(1, 3)):
            draft.tail.append(template.format(**slots))
        return True

    def typography(self, text: str) -> str:
        """Quotes curled or straightened, dashes and ellipses retyped, spaces doubled or made non-breaking."""
        rng = self.rng
        ops = rng.sample(("quotes", "dashes", "spaces", "nbsp", "trailing", "ellipsis"), rng.randint(1, 3))
        if "quotes" in ops:
            curly = any(c in text for c in "“”‘’")
            text = "\n".join(_straighten(line) if curly else _curl(line) for line in text.split("\n"))
        if "dashes" in ops:
            if " – " in text or " — " in text:
                text = text.replace(" – ", " - ").replace(" — ", " - ")
            else:
                text = text.replace(" - ", rng.choice((" – ", " — ")))
        if "spaces" in ops:
            text = re.sub(r"([.!?][\"”’]?) (?=\S)", r"\1  ", text)
        if "nbsp" in ops:
            text = re.sub(r"(?<=\d) (?=[^\W\d])", "\u00a0", text)
        if "trailing" in ops:
            text = "\n".join(line + " " if line and rng.random() < 0.5 else line for line in text.split("\n"))
        if "ellipsis" in ops:
            text = text.replace("…", "...") if "…" in text else text.replace("...", "…")
        return text


def _content_words(original: Original) -> frozenset[str]:
    # The top of a story says what it is about; the whole of a long one only makes the sets slow to compare.
    text = original.title + " " + " ".join(original.paragraphs[:6])
    return frozenset(w for w in (m.lower() for m in _CONTENT_WORD.findall(text)) if w not in _STOPWORDS)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    return shared / ((len(a) + len(b) - shared) or 1)


def _neighbours(originals: Sequence[Original], count: int) -> list[list[int]]:
    """For each original, the `count` others that share most of its vocabulary (the same topic, if any)."""
    words = [_content_words(o) for o in originals]
    out: list[list[int]] = []
    for i, mine in enumerate(words):
        scored = sorted(
            ((_jaccard(mine, theirs), j) for j, theirs in enumerate(words) if j != i),
            key=lambda item: (-item[0], item[1]),
        )
        out.append([j for _, j in scored[:count]])
    return out


def _topic(title: str) -> str:
    """What a headline is about: the speaker before its colon, else its longest run of capitalised words.

    "Pentagon: 10,000 soldiers..." gives "Pentagon"; "Nearly 3000 pages of Jeffrey Epstein documents
    released" gives "Jeffrey Epstein"; a headline without a name gives its first words.
    """
    head, sep, _ = title.partition(": ")
    if sep and 1 <= len(head.split()) <= 3:
        return head
    runs: list[tuple[int, list[str]]] = [(0, [])]
    for i, word in enumerate(title.split()):
        bare = word.strip("\"'“”‘’()[],.;:!?")
        bare = bare[:-2] if bare.endswith(("'s", "’s")) else bare
        # A capital opening the headline is only the start of a sentence, unless a name follows.
        if bare and bare[0].isupper() and (i or bare not in _HEADLINE_OPENERS):
            runs[-1][1].append(bare)
        else:
            runs.append((i + 1, []))
        if word[-1] in ",.;:!?":
            runs.append((i + 1, []))
    # A lone capitalised first word is most often just the sentence start: any other name wins.
    _, best = max(runs, key=lambda run: len(run[1]) - (0.5 if run[0] == 0 and len(run[1]) == 1 else 0))
    if best:
        return " ".join(best[:4])
    words = title.split()[:5]
    while len(words) > 2 and words[-1].lower() in _SMALL_WORDS:
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=4096)
def _long_paragraphs(paragraphs: tuple[str, ...], min_words: int) -> tuple[int, ...]:
    """Indices of the paragraphs after the lead with at least `min_words` words."""
    return tuple(i for i in range(1, len(paragraphs)) if len(paragraphs[i].split()) >= min_words)


def _different_story(
    copier: _Copier,
    original: Original,
    donors: Sequence[Original],
    used: set[tuple[str, int]],
) -> tuple[_Draft, str]:
    """A new story on the original's topic: one paragraph of its background, the rest from other stories.

    The issue asks for the other paragraphs to come from "a different original". Taken from one
    original only, such a document would be that original's cut copy with a foreign paragraph and
    a new headline, which a pipeline would rightly join to it; so one paragraph is taken from each
    of several neighbours, and no source gives more than about a quarter of the paragraphs.
    """
    rng = copier.rng
    picked: list[str] = []
    for donor in donors:
        # Not a donor's lead: a lead reused as a lead reads as a copy of that story.
        candidates = _long_paragraphs(donor.paragraphs, 8) or range(len(donor.paragraphs))
        fresh = [i for i in candidates if (donor.story, i) not in used]
        index = rng.choice(fresh or candidates)
        used.add((donor.story, index))
        picked.append(donor.paragraphs[index])
    shared = original.paragraphs[
        rng.choice(_long_paragraphs(original.paragraphs, 12) or range(len(original.paragraphs)))
    ]
    picked.insert(rng.randint(1, len(picked)), shared)
    topic = _topic(original.title)
    if rng.random() < 0.5:
        title = rng.choice(
            (
                f"{topic}: what we know so far",
                f"{topic}: the latest",
                f"Analysis: what next for {topic}",
                f"Explainer: {topic}",
                f"{topic} – live updates",
            )
        )
    else:
        title = f"{topic}: {_lead_headline(picked[0]) or 'new developments'}"
    draft = _Draft(title, picked, [DIFFERENT_STORY])
    return draft, copier.apply(draft, rng.sample(_DRESSING, rng.randint(0, 2)))


def make_corpus(
    originals: Sequence[Original],
    *,
    copies_per_story: int = DEFAULT_COPIES,
    negatives_per_story: int = DEFAULT_NEGATIVES,
    seed: int = DEFAULT_SEED,
) -> list[SyndicatedDoc]:
    """Make the corpus: every original, its copies, and different stories on the same topics.

    Each copy receives 1 to 4 edits chosen at random from those that would change it (see `EDITS`);
    about a third of the copies are made from an earlier copy of the same story instead of the
    original, and inherit its content edits (a cut of a cut keeps a shorter prefix). A different
    story takes an original's headline topic and one of its background paragraphs, the rest from
    other originals, and gets a story label of its own.

    Args:
        originals: from `load_originals`; their `story` labels must be unique.
        copies_per_story: copies of each original, the original itself not counted.
        negatives_per_story: different stories made on each original's topic.
        seed: the seed of the generator; the same arguments give the same documents.

    Returns:
        The documents in a shuffled publication order (a copy may come before its original), with
        `doc_id` their position in it.
    """
    if copies_per_story < 0 or negatives_per_story < 0:
        raise ValueError("copies_per_story and negatives_per_story must not be negative")
    if len({o.story for o in originals}) != len(originals):
        raise ValueError("the originals' story labels must be unique")
    rng = random.Random(seed)
    copier = _Copier(rng, [(o.story, o.title) for o in originals])
    neighbours = _neighbours(originals, 4) if negatives_per_story else []
    used: set[tuple[str, int]] = set()
    made: list[tuple[str, str, str, str, tuple[str, ...]]] = []  # story, outlet, title, text, edits
    for index, original in enumerate(originals):
        printed = original.text.split("\n", 1)[0].strip()  # a seed's first line may carry a section word
        made.append((original.story, original.outlet, printed, original.text, ()))
        copier.story = original.story
        drafts = [_Draft(original.title, list(original.paragraphs))]
        for _ in range(copies_per_story):
            parent = rng.choice(drafts[1:]) if len(drafts) > 1 and rng.random() < _CHAINED_SHARE else drafts[0]
            draft = parent.child()
            copier.outlet = rng.choice([o for o in _OUTLETS if o != original.outlet])
            names = copier.applicable(draft)
            text = copier.apply(draft, rng.sample(names, min(len(names), rng.randint(1, 4))))
            drafts.append(draft)
            made.append((original.story, copier.outlet, draft.title, text, tuple(draft.edits)))
        donors_at = neighbours[index] if negatives_per_story else []
        for number in range(negatives_per_story):
            if not donors_at:
                break
            donors = [originals[j] for j in rng.sample(donors_at, min(len(donors_at), rng.randint(3, 4)))]
            copier.outlet = rng.choice(_OUTLETS)
            draft, text = _different_story(copier, original, donors, used)
            made.append((f"{original.story}~other{number}", copier.outlet, draft.title, text, tuple(draft.edits)))
    rng.shuffle(made)
    width = max(5, len(str(len(made))))
    return [
        SyndicatedDoc(f"{i:0{width}d}", story, outlet, title, text, edits)
        for i, (story, outlet, title, text, edits) in enumerate(made)
    ]


def pairwise_scores(truth: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering against true labels.

    Over all unordered pairs of documents, a pair is positive when both carry the same label.
    Counted from label co-occurrences, in linear time: true positives are the sum of C(n, 2) over
    the (true, predicted) cells, predicted positives over the predicted clusters, actual positives
    over the true clusters.

    Args:
        truth: the true label of each document.
        predicted: the predicted label of each document, in the same order.

    Returns:
        (precision, recall, F1). With no predicted pair precision is 1.0 (nothing claimed wrongly);
        with no true pair recall is 1.0 (nothing to find); F1 is 0.0 when both others are.

    Raises:
        ValueError: when the two sequences differ in length.
    """
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true labels but {len(predicted)} predicted ones")

    def pairs(counts: Counter[str] | Counter[tuple[str, str]]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(zip(truth, predicted, strict=True)))
    claimed = pairs(Counter(predicted))
    actual = pairs(Counter(truth))
    precision = both / claimed if claimed else 1.0
    recall = both / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def write_corpus(docs: Sequence[SyndicatedDoc], folder: Path) -> None:
    """Write one `<doc_id>.txt` per document and `truth.jsonl` (doc_id, file, story, outlet, edits).

    Args:
        docs: from `make_corpus`.
        folder: created if missing; files of the same names are overwritten.

    Raises:
        FileExistsError: when the folder holds other `.txt` files (an earlier, larger corpus): they
            would be read as documents without a truth line.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = {f"{doc.doc_id}.txt" for doc in docs}
    stale = sorted(path.name for path in folder.glob("*.txt") if path.name not in names)
    if stale:
        raise FileExistsError(f"{folder} holds {len(stale)} other .txt files ({stale[0]}...): use an empty folder")
    truth: list[str] = []
    for doc in docs:
        name = f"{doc.doc_id}.txt"
        (folder / name).write_text(doc.text, "utf-8")
        row = {"doc_id": doc.doc_id, "file": name, "story": doc.story, "outlet": doc.outlet, "edits": list(doc.edits)}
        truth.append(json.dumps(row, ensure_ascii=False))
    (folder / "truth.jsonl").write_text("\n".join(truth) + "\n", "utf-8")


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, not {value}")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.syndication",
        description=(
            "Write a syndication corpus: the seed articles and the news-html-gold bodies, copies of each as "
            "other outlets publish them (reworded headlines, datelines, footers, ads, captions, cut tails, "
            "spelling variants, typography, teasers, sentence edits) and different stories on the same "
            "topics. One .txt file per document and truth.jsonl with each document's story label."
        ),
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    parser.add_argument(
        "--copies", type=_count, default=DEFAULT_COPIES, help=f"copies per original (default {DEFAULT_COPIES})"
    )
    parser.add_argument(
        "--negatives",
        type=_count,
        default=DEFAULT_NEGATIVES,
        help=f"different stories made on each original's topic (default {DEFAULT_NEGATIVES})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of plain-text originals (default: seeds/)"
    )
    parser.add_argument(
        "--gold", type=Path, default=DEFAULT_GOLD, help=f"gold_english.jsonl of news-html-gold (default {DEFAULT_GOLD})"
    )
    parser.add_argument("--no-gold", action="store_true", help="use the seed articles alone")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus and print what it holds; exit 2 when the gold file is missing or the folder holds others."""
    args = parse_args(argv)
    gold: Path | None = None if args.no_gold else args.gold
    if gold is not None and not gold.exists():
        print(f"no gold file at {gold}: pass --gold PATH or --no-gold", file=sys.stderr)
        return 2
    originals = load_originals(args.seeds, gold)
    started = time.perf_counter()
    docs = make_corpus(originals, copies_per_story=args.copies, negatives_per_story=args.negatives, seed=args.seed)
    made = time.perf_counter() - started
    try:
        write_corpus(docs, args.out)
    except FileExistsError as error:
        print(error, file=sys.stderr)
        return 2
    written = time.perf_counter() - started - made
    n_seeds = sum(o.story.startswith("seed-") for o in originals)
    n_negatives = sum(DIFFERENT_STORY in d.edits for d in docs)
    n_copies = len(docs) - len(originals) - n_negatives
    edits = Counter(edit for doc in docs for edit in doc.edits)
    per_copy = Counter(len(doc.edits) for doc in docs if doc.edits and DIFFERENT_STORY not in doc.edits)
    print(
        f"{len(docs)} documents of {len({d.story for d in docs})} stories in {args.out}: "
        f"{len(originals)} originals ({n_seeds} seeds, {len(originals) - n_seeds} gold), {n_copies} copies, "
        f"{n_negatives} different stories on the same topics"
    )
    print(f"made in {made:.2f} s ({len(docs) / made:,.0f} documents/s), written in {written:.2f} s")
    print("edits: " + ", ".join(f"{name} {edits[name]}" for name in (*EDITS, DIFFERENT_STORY)))
    print("edits per copy: " + ", ".join(f"{n}: {per_copy[n]}" for n in sorted(per_copy)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
