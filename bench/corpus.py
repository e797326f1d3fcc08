"""A deterministic corpus of plain-text news articles, laid out the way outlets write them."""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_WORDS = 600
DEFAULT_DUPLICATE_SHARE = 0.02
# Folders hold a day of articles each, so a large corpus reads like an archive and sorts by day.
ARTICLES_PER_DAY = 250
_FIRST_DAY = datetime(2024, 1, 1)
# A copy is taken from the last few thousand articles: some land in the same batch as their
# original (dropped within the batch), most in a later one (found in the database).
_COPY_WINDOW = 2000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST_NAMES = _words(
    "Anna Boris Carla David Elena Farid Greta Hans Ines Jonas Katarina Luca Maria Nikolai Olga Pavel Quentin "
    "Rosa Stefan Tamara Ulrich Vera Walter Xenia Yusuf Zofia Ahmed Beatrice Camille Dmytro Emma Felix Hanna "
    "Igor Julia Kenji Lena Marco Nadia Oscar Petra Rami Sofia Tomas Ursula Viktor Wanda Yara"
)
_LAST_NAMES = _words(
    "Keller Novak Rossi Schmid Kowalski Dubois Petrenko Jansen Moreau Fischer Ivanova Larsen Costa Meier Horvat "
    "Nilsson Weber Bauer Lindqvist Marchetti Kovalenko Brunner Lambert Varga Schneider Hoffmann Berger Wolf "
    "Sokolov Romano Gallo Fontaine Andersen Kaminski Tanaka Okafor Haddad Silva Nowak Huber Vogel Zimmermann"
)
_CITIES = _words(
    "Kyiv Geneva Brussels Berlin Paris Vienna Warsaw Rome Madrid Lisbon Prague Budapest Bern Zurich Basel "
    "Lausanne Munich Hamburg Lyon Marseille Milan Naples Kharkiv Odesa Lviv Vilnius Riga Tallinn Helsinki "
    "Stockholm Oslo Copenhagen Amsterdam Rotterdam Antwerp Dublin London Edinburgh Ankara Istanbul Athens "
    "Sofia Bucharest Belgrade Zagreb Ljubljana Bratislava Chisinau Tbilisi Yerevan Washington Ottawa Tokyo "
    "Seoul Beijing Delhi Cairo Nairobi Lagos"
)
_COUNTRIES = _words(
    "Ukraine Russia Switzerland Germany France Italy Spain Poland Austria Hungary Romania Moldova Georgia "
    "Turkey Greece Sweden Norway Finland Denmark Netherlands Belgium Ireland Portugal Japan China India "
    "Brazil Canada Mexico Egypt Kenya Nigeria"
)
_ORGS = (
    "the European Commission",
    "the UN Security Council",
    "NATO",
    "the central bank",
    "the Federal Council",
    "the finance ministry",
    "the defence ministry",
    "the World Health Organization",
    "the International Monetary Fund",
    "parliament",
    "the opposition",
    "the city council",
    "the electricity regulator",
    "the railway operator",
    "the union",
    "the employers' federation",
    "the supreme court",
    "the statistics office",
)
_ROLES = (
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Economy Minister",
    "Health Minister",
    "Mayor",
    "the spokeswoman",
    "the spokesman",
    "the governor",
    "the chief economist",
    "the union leader",
    "the prosecutor",
    "the party chairman",
    "the commander",
    "Chancellor",
)
_TOPICS = (
    "the energy prices",
    "the ceasefire talks",
    "the budget deficit",
    "the pension reform",
    "the grain exports",
    "the refugee quota",
    "the rail strike",
    "the housing shortage",
    "the drought",
    "the election campaign",
    "the trade dispute",
    "the gas storage",
    "the hospital funding",
    "the tax reform",
    "the border controls",
    "the air defence",
    "the wage negotiations",
    "the flood damage",
    "the interest rates",
    "the reconstruction plan",
)
_NOUNS = (
    "sanctions",
    "an aid package",
    "new rules",
    "a referendum",
    "a price cap",
    "emergency funds",
    "a compromise",
    "talks",
    "an inquiry",
    "a new law",
    "fresh elections",
    "an arms delivery",
    "a loan guarantee",
    "a subsidy",
    "a curfew",
    "a recount",
)
_PLURALS = (
    "soldiers",
    "refugees",
    "households",
    "jobs",
    "flights",
    "tonnes of grain",
    "homes",
    "drones",
    "patients",
    "voters",
    "workers",
    "passengers",
    "companies",
    "students",
)
_ADJECTIVES = (
    "sharp",
    "modest",
    "unexpected",
    "long-awaited",
    "controversial",
    "temporary",
    "cautious",
    "broad",
    "narrow",
    "decisive",
    "rapid",
    "gradual",
)
_VERBS_PAST = (
    "announced",
    "rejected",
    "approved",
    "criticised",
    "welcomed",
    "postponed",
    "demanded",
    "proposed",
    "blocked",
    "confirmed",
    "questioned",
    "defended",
)
_VERBS = (
    "support",
    "review",
    "finance",
    "stop",
    "delay",
    "expand",
    "reconsider",
    "secure",
    "negotiate",
    "approve",
)
_SAID = ("said", "told reporters", "wrote on X", "said in a statement", "told the broadcaster", "added")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_CURRENCIES = ("euros", "francs", "dollars", "hryvnias", "zlotys")
_AGENCIES = ("SDA", "dpa", "AFP", "Reuters", "APA", "Keystone-SDA", "ANSA", "AP", "Belga", "PAP")
_SIGNATURES = ("SDA", "dpa", "(dpa)", "AFP", "APA", "Keystone-SDA", "AFP/Reuters", "(AFP)", "ANSA", "Belga")
_PHOTO_AGENCIES = ("AP/dpa", "Keystone", "AFP", "Reuters", "dpa", "EPA/Keystone", "ANSA/AP")
_RUBRICS = ("Politics", "World", "Economy", "Europe", "Business", "International")

_SENTENCES = (
    "{role} {person} {verb_past} {noun} on {weekday}, saying {topic} left no other choice.",
    "According to {org}, about {num} {plural} in {place} were affected by {topic}.",
    '"We will {verb} {noun} before {month}," {person} {said}.',
    "The decision comes after weeks of {adj} debate about {topic} in {country}.",
    "{org} {verb_past} the plan by {small} votes to {small}.",
    "Prices rose by {pct} in {month}, the largest increase since {year}.",
    "{person}, who leads {org}, {verb_past} the proposal as {adj}.",
    "In {place}, {num} people took to the streets on {weekday} evening.",
    "The government in {country} wants to {verb} {noun} worth {money}.",
    "Critics say the handling of {topic} has been {adj} for years.",
    "{role} {person} is expected to travel to {place} on {weekday}.",
    "A spokesperson for {org} declined to comment on the figures from {place}.",
    "Since {month}, {country} has counted {num} more {plural} than a year ago.",
    "The talks in {place} are due to resume in {small} weeks, {person} {said}.",
    "Analysts at {org} expect {a_adj} recovery of {pct} next year.",
    "It is the {ordinal} time this year that {org} has {verb_past} {noun}.",
    "{person} {said} that {topic} would cost {country} around {money}.",
    '"This is {a_adj} moment for {country}," {role} {person} {said}.',
    "Police in {place} reported {small} arrests and {small} injured officers.",
    "The opposition accused {person} of ignoring {topic} until {month}.",
    "About {pct} of respondents in {country} backed {noun}, a poll by {org} showed.",
    "Earlier, {org} had {verb_past} {noun} for {num} {plural}.",
    "The measure would {verb} {topic} until the end of {year}, officials in {place} said.",
    "{country} and {country} signed an agreement on {topic} in {place} on {weekday}.",
    "Neither side gave details about the {adj} meeting between {person} and {person}.",
    "Local media in {place} put the number of {plural} at {num}.",
)
_HEADLINES = (
    "{person}: {country} needs {noun} against {topic}",
    "{country} {verb_past} {noun} after {topic}",
    "{org} wants to {verb} {topic}",
    "{num} {plural} affected in {place}",
    "{person} warns of {adj} consequences for {country}",
    "Talks in {place}: {country} and {country} agree on {noun}",
    "{place} braces for {topic}",
    "{role} {person} {verb_past} {noun}",
)
_SUBHEADINGS = (
    "{country}: {num} {plural} in {place}",
    "Criticism from {org}",
    "Talks in {place}",
    "What happens next in {country}",
    "{adj} reaction in {place}",
    "The view from {place}",
)
_CAPTIONS = (
    "ARCHIVE - {role} {person} listens at a meeting in {place}.",
    "{role} {person} speaks to journalists in {place} on {weekday}.",
    "Demonstrators gather in front of the parliament in {place}.",
    "Workers repair a damaged building in {place} after the attack.",
    "Members of {org} arrive for the {adj} session in {place}.",
)
_ALT_TEXTS = (
    "{person} in {place}",
    "A view of {place} on {weekday}",
    "{role} {person} at a press conference",
)
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth")


class _Slots(dict[str, str]):
    """Template slots that draw a fresh value each time they are read, so repeated slots differ."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        choice = rng.choice
        rint = rng.randint

        def person() -> str:
            return f"{choice(_FIRST_NAMES)} {choice(_LAST_NAMES)}"

        def a_adjective() -> str:
            adjective = choice(_ADJECTIVES)
            return f"an {adjective}" if adjective[0] in "aeiou" else f"a {adjective}"

        self._make: dict[str, Callable[[], str]] = {
            "person": person,
            "role": lambda: choice(_ROLES),
            "place": lambda: choice(_CITIES),
            "country": lambda: choice(_COUNTRIES),
            "org": lambda: choice(_ORGS),
            "topic": lambda: choice(_TOPICS),
            "noun": lambda: choice(_NOUNS),
            "plural": lambda: choice(_PLURALS),
            "adj": lambda: choice(_ADJECTIVES),
            "verb": lambda: choice(_VERBS),
            "verb_past": lambda: choice(_VERBS_PAST),
            "a_adj": a_adjective,
            "said": lambda: choice(_SAID),
            "weekday": lambda: choice(_WEEKDAYS),
            "month": lambda: choice(_MONTHS),
            "year": lambda: str(rint(2008, 2023)),
            "num": lambda: f"{rint(2, 80) * 10 ** rint(1, 3) + rint(0, 9) * rint(0, 1):,}",
            "small": lambda: str(rint(2, 60)),
            "pct": lambda: f"{rint(1, 399) / 10} percent",
            "money": lambda: f"{rint(2, 950)} million {choice(_CURRENCIES)}",
            "ordinal": lambda: choice(_ORDINALS),
        }

    def __missing__(self, key: str) -> str:
        return self._make[key]()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class _Article:
    """One article before it is written: parts that a reissue or a copy can share or replace."""

    title: str
    header: list[str]
    body: list[str]
    footer: list[str]
    compact: bool
    curly: bool
    layout: str
    spaced: bool = False

    def render(self) -> bytes:
        body = _typeset(self.body, curly=self.curly)
        if self.spaced:
            # Two spaces after a full stop, as retyped copies have; whitespace is folded before hashing.
            body = [line.replace(". ", ".  ") for line in body]
        lines = [self.title, *self.header, *body, *self.footer]
        # Compact pages put one paragraph on each line; most outlets leave a blank line between.
        return ("\n".join(lines) if self.compact else "\n\n".join(lines)).encode("utf-8") + b"\n"


def _typeset(lines: list[str], *, curly: bool) -> list[str]:
    """Typographic quotes and dashes, as some outlets print them; exact-copy detection folds them."""
    if not curly:
        return lines
    out = []
    for line in lines:
        parts = line.split('"')
        line = "".join(part + ("“" if i % 2 == 0 else "”") for i, part in enumerate(parts[:-1])) + parts[-1]
        out.append(line.replace("'", "’").replace(" - ", " – "))
    return out


class _Writer:
    """Builds articles from one seeded generator, so a seed always gives the same corpus."""

    def __init__(self, rng: random.Random, words: int) -> None:
        self.rng = rng
        self.words = words
        self.slots = _Slots(rng)

    def fill(self, templates: tuple[str, ...]) -> str:
        return _capitalise(self.rng.choice(templates).format_map(self.slots))

    def paragraphs(self) -> list[str]:
        rng = self.rng
        target = max(40, round(self.words * rng.uniform(0.4, 1.6)))
        out: list[str] = []
        n_words = n_kept = 0
        while True:
            if len(out) >= 3 and rng.random() < 0.12:
                out.append(self.fill(_SUBHEADINGS))
                continue
            if len(out) >= 2 and rng.random() < 0.04:
                # A picture inside the text: caption then credit, or alt text then a full-screen prompt.
                if rng.random() < 0.6:
                    out += [self.fill(_CAPTIONS), f"Photo: {self.slots['person']}/{rng.choice(_PHOTO_AGENCIES)}"]
                else:
                    out += [self.fill(_ALT_TEXTS), "Open in full screen mode"]
                continue
            paragraph = " ".join(self.fill(_SENTENCES) for _ in range(rng.randint(2, 5)))
            size = paragraph.count(" ") + 1
            # End at the paragraph boundary nearest the target, so lengths average what was asked.
            if n_words and n_words + size / 2 > target:
                return out[:n_kept]
            n_words += size
            out.append(paragraph)
            n_kept = len(out)

    def title(self) -> str:
        headline = self.fill(_HEADLINES)
        # Some sites glue a section word before the headline.
        return f"{self.rng.choice(_RUBRICS)} {headline}" if self.rng.random() < 0.1 else headline

    def stamp(self, day: datetime) -> datetime:
        return day + timedelta(seconds=self.rng.randrange(6 * 3600, 23 * 3600))

    def dress(self, title: str, body: list[str], day: datetime) -> _Article:
        """Give a body a layout: the header and footer lines one kind of outlet writes around it."""
        rng = self.rng
        at = self.stamp(day)
        layout = rng.choices(("agency", "web", "dateline", "compact"), weights=(35, 25, 20, 20))[0]
        header: list[str] = []
        footer: list[str] = []
        compact = False
        if layout == "agency":
            header = [rng.choice(_SIGNATURES), f"{at.day}.{at.month}.{at.year} - {at:%H:%M}"]
            if rng.random() < 0.7:
                caption = f"{self.fill(_CAPTIONS)} Photo: {self.slots['person']}/{rng.choice(_PHOTO_AGENCIES)}"
                header += [caption, caption] if rng.random() < 0.5 else [caption]
                if rng.random() < 0.4:
                    header.append("Keystone")
            if rng.random() < 0.3:
                footer.append(" ".join(f"#{tag}" for tag in rng.sample(_COUNTRIES + _CITIES, rng.randint(1, 4))))
        elif layout == "web":
            header = [title, f"{at:%Y-%m-%d %H:%M:%S}"]
            footer = ["Share this article", f"Comments ({rng.randint(0, 240)})"][: rng.randint(0, 2)]
        elif layout == "dateline":
            header = [
                rng.choice(
                    (
                        f"Published: {at:%B} {at.day}, {at.year} {at:%H:%M}",
                        f"{at.day} {at:%B} {at.year}",
                        f"Updated on {at.day} {at:%B} {at.year} at {at:%H:%M}",
                    )
                )
            ]
            if rng.random() < 0.5:
                footer.append(" ".join(f"#{tag}" for tag in rng.sample(_COUNTRIES, rng.randint(1, 3))))
        else:
            header = [title]
            compact = True
            if rng.random() < 0.5:
                footer.append(str(int(at.replace(tzinfo=UTC).timestamp())))
        return _Article(title, header, body, footer, compact, curly=rng.random() < 0.3, layout=layout)

    def article(self, day: datetime) -> _Article:
        body = self.paragraphs()
        if self.rng.random() < 0.2:
            # A dateline names the place and the agency: "KYIV (Reuters) - ...".
            body[0] = f"{self.rng.choice(_CITIES).upper()} ({self.rng.choice(_AGENCIES)}) - {body[0]}"
        return self.dress(self.title(), body, day)

    def copy_of(self, original: _Article, day: datetime) -> tuple[_Article, str]:
        """A copy of an earlier article's text: the same bytes, a reissue under another layout, or retyped."""
        kind = self.rng.choices(("exact", "reissue", "retyped"), weights=(40, 40, 20))[0]
        if kind == "exact":
            return original, kind
        if kind == "reissue":
            return self.dress(original.title, original.body, day), kind
        return replace(original, curly=not original.curly, spaced=True), kind


def _digest(body: list[str]) -> bytes:
    return hashlib.blake2b("\n".join(body).encode(), digest_size=16).digest()


@dataclass(frozen=True)
class CorpusStats:
    """What `write_corpus` wrote.

    Attributes:
        folder: the corpus folder (one subfolder per day).
        n_articles: files written.
        n_duplicates: files whose body text repeats an earlier file's: exact copies, reissues under
            another header, and retyped copies (quotes, dashes and spacing changed). The pipeline
            should count exactly these as duplicates.
        n_bytes: bytes written.
        n_body_words: words in the article bodies, copies included.
        seconds: time taken to generate and write.
        layouts: files by layout (agency, web, dateline, compact).
        copies: duplicate files by kind of copy.
    """

    folder: Path
    n_articles: int
    n_duplicates: int
    n_bytes: int
    n_body_words: int
    seconds: float
    layouts: dict[str, int] = field(default_factory=dict)
    copies: dict[str, int] = field(default_factory=dict)

    @property
    def duplicate_share(self) -> float:
        """The share of files that are copies of an earlier one."""
        return self.n_duplicates / self.n_articles if self.n_articles else 0.0


def write_corpus(
    folder: Path,
    *,
    n_articles: int,
    words: int = DEFAULT_WORDS,
    seed: int = 0,
    duplicate_share: float = DEFAULT_DUPLICATE_SHARE,
) -> CorpusStats:
    """Write `n_articles` plain-text articles under `folder`; the same arguments give the same bytes.

    Each article has a headline line, then the header lines of one of four layouts (agency
    signature and "2.11.2024 - 05:39" date with a photo caption; repeated headline and
    "2024-10-25 10:48:00"; "Published: October 25, 2024 10:48" with a dateline paragraph; compact
    lines with a trailing Unix timestamp), paragraphs built from templates with random names,
    places and numbers, and some boilerplate (captions, hashtags, share and comment lines).

    Args:
        folder: where to write; created if missing.
        n_articles: how many files.
        words: average body length in words; each article draws 0.4 to 1.6 times this.
        seed: the seed of the generator.
        duplicate_share: the share of files that repeat an earlier file's text.

    Returns:
        Counts of what was written, including the exact number of duplicates.
    """
    if n_articles < 1:
        raise ValueError("n_articles must be at least 1")
    if not 0 <= duplicate_share < 1:
        raise ValueError("duplicate_share must be at least 0 and below 1")
    started = time.perf_counter()
    rng = random.Random(seed)
    writer = _Writer(rng, words)
    n_copies = round((n_articles - 1) * duplicate_share)
    copy_at = set(rng.sample(range(1, n_articles), n_copies)) if n_copies else set()
    # Only the copy window of originals and a digest per body are kept, so the generator's own
    # memory stays small beside the pipeline's (the bench reports peak memory).
    originals: deque[tuple[int, _Article]] = deque(maxlen=_COPY_WINDOW)
    seen_bodies: set[bytes] = set()
    layouts: Counter[str] = Counter()
    copies: Counter[str] = Counter()
    n_bytes = n_words = 0
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(n_articles):
        day = _FIRST_DAY + timedelta(days=index // ARTICLES_PER_DAY)
        if index in copy_at:
            recent = [a for i, a in originals if index - i <= _COPY_WINDOW]
            article, kind = writer.copy_of(rng.choice(recent), day)
            copies[kind] += 1
        else:
            article = writer.article(day)
            # Templates with random names and numbers make a repeat vanishingly rare; redraw if one occurs.
            while (digest := _digest(article.body)) in seen_bodies:
                article = writer.article(day)
            seen_bodies.add(digest)
            originals.append((index, article))
        content = article.render()
        subfolder = folder / f"{day:%Y-%m-%d}"
        subfolder.mkdir(exist_ok=True)
        (subfolder / f"{index:06d}_{rng.getrandbits(64):016x}.txt").write_bytes(content)
        layouts[article.layout] += 1
        n_bytes += len(content)
        n_words += sum(line.count(" ") + 1 for line in article.body)
    return CorpusStats(
        folder=folder,
        n_articles=n_articles,
        n_duplicates=n_copies,
        n_bytes=n_bytes,
        n_body_words=n_words,
        seconds=time.perf_counter() - started,
        layouts=dict(layouts),
        copies=dict(copies),
    )
