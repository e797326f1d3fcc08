"""The Extractor interface, its registry, and the rule-based extractor that ships with newsflow."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib.metadata import entry_points
from typing import Any, Protocol

from extractors.events.attribution import find_claimant, find_speaker, may_attribute_each
from extractors.events.currency import bare_dollar, local_dollar
from extractors.events.dates import DateMention, find_dates, sentence_date
from extractors.events.entities import Mention, country_name, country_of_demonym, find_entities
from extractors.events.numbers import Quantity, find_quantities
from extractors.events.places import Place, area_countries, town, town_within, towns_named
from extractors.events.sentences import Sentence, split_sentences
from extractors.events.types import Lexicon, TypeMatch, builtin_lexicon, classify_sentence, lexicon_from_environment
from schemas import Article, Counted, DatePrecision, Entity, Event, Extraction, Figure, TerminalError

ENTRY_POINT_GROUP = "newsflow.extractors"


class Extractor(Protocol):
    """What every extractor offers: a name and version (stored as name@version) and `extract`."""

    name: str
    version: str

    def extract(self, article: Article) -> Extraction:
        """Find the events and entities of one article."""
        ...


def available_extractors() -> dict[str, Callable[[], Extractor]]:
    """Every extractor declared in the entry-point group `newsflow.extractors`, by name."""
    return {point.name: point.load() for point in entry_points(group=ENTRY_POINT_GROUP)}


def create_extractor(name: str) -> Extractor:
    """Build the extractor registered as `name`.

    Raises:
        TerminalError: no extractor is registered under that name.
    """
    known = available_extractors()
    if name not in known:
        raise TerminalError(f"no extractor named {name!r} (known: {', '.join(sorted(known)) or 'none'})")
    return known[name]()


# Words that make a number a count of the dead or of the injured. Verbs in -ing and active past
# forms take their number after them ("killing two", "wounded five"); nouns and passives before
# ("five dead", "26 were injured", "suffered injuries").
_KILLED = r"kill(?:ed|ing|s)?|dead|died|dies|deaths?|death toll|fatalit(?:y|ies)|perished|slain|lost their lives"
_INJURED = r"injur(?:ed|ing|ies|es|e|y)|wound(?:ed|ing|s)?|hurt|hospitali[sz]ed"
_CASUALTY = re.compile(rf"\b(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED}))\b", re.IGNORECASE)
# What may stand between a casualty verb and the number it takes: "killing at least two",
# "the death toll rose to 12".
_BETWEEN_VERB_AND_NUMBER = re.compile(
    r"^\s*(?:(?:a|an|the|some|of|to|rose|risen|climbed|reached|stood at|stands at|is|was|has|had|"
    r"increased|now|at least|at most|more than|over|nearly|almost|about|around|up to)\s+)*$",
    re.IGNORECASE,
)
# What breaks the link between a number and a casualty word after it.
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:but|while|whereas|although|after|before|since|when)\b", re.IGNORECASE)
# An active verb of killing or hurting with an object after it: the number before it counts the
# attackers ("two gunmen killed a man"), not the dead.
_ACTIVE_VERBS = frozenset({"killed", "wounded", "injured", "kills", "wounds", "injures"})
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|got|get|gets)\b", re.IGNORECASE)
_OBJECT_AFTER = re.compile(
    r"\s+(?:a|an|the|one|two|three|four|five|six|seven|eight|nine|ten|\d|him|her|them|his|their|its|at least|"
    r"several|dozens|scores|hundreds|many|some|more than|about|around|nearly|over|up to)\b",
    re.IGNORECASE,
)
# One person killed or hurt, named without a number.
_PERSON_NOUNS = (
    "man|woman|boy|girl|child|baby|infant|teenager|civilian|soldier|policeman|policewoman|police officer|"
    "officer|villager|farmer|person|teacher|pastor|priest|imam|driver|student|journalist|reporter|member|"
    "fighter|militant|rebel|worker|resident|trader|herder|herdsman|pastoralist|informant|leader|chief|"
    "commander|guard|official|businessman|politician|activist|protester|protestor|miner|fisherman|doctor|"
    "nurse|patient|prisoner|detainee|suspect|gunman|passenger|pedestrian|motorcyclist|victim|relative|son|"
    "daughter|wife|husband|mother|father|brother|sister|elder|youth|volunteer|hunter|sheikh|cleric|"
    "councillor|councilor|administrator|mayor|candidate|lawyer|judge|vendor|shopkeeper|employee|staff|"
    "contractor|engineer|paramedic|medic|firefighter|ranger|peacekeeper|militiaman|constable|sergeant|"
    "lieutenant|captain|colonel|general|pilot|sailor|marine|trooper|worshipper|refugee|migrant"
)
_KILL_VERBS = (
    r"shot and killed|shot dead|stabbed to death|hacked to death|beaten to death|beat to death|burned to death|"
    r"killed|killing|kills|murdered|murdering|lynched|beheaded|executed|wounded|wounding|injured|injuring"
)
_VICTIM = rf"(?:a|an|one)\s+(?:[\w'’-]+\s+){{0,4}}?(?P<noun>{_PERSON_NOUNS})\b"
# "her" is the victim only where an object ends ("executed her on Monday"), not a possessive
# ("executed her plan").
_OBJECT_END = (
    r"(?=\s*(?:[.,;:)]|$|\s+(?:on|in|at|near|during|after|before|and|with|while|outside|inside|dead|as|when|for)\b))"
)
_SINGLE_OBJECT = re.compile(
    rf"\b(?P<verb>{_KILL_VERBS})\s+(?P<victim>{_VICTIM}|him\b|her\b{_OBJECT_END}|one of (?:them|whom)\b)", re.IGNORECASE
)
_SINGLE_SUBJECT = re.compile(
    rf"\b(?P<victim>{_VICTIM})\s+(?:(?:was|has been|had been|is)\s+(?:\w+\s+){{0,2}}?(?P<verb>{_KILL_VERBS})|"
    r"(?:(?:later|subsequently|also|then|eventually|reportedly)\s+)?(?P<died>died))\b",
    re.IGNORECASE,
)
# Words without which a sentence names no single victim, or no gathering: checked before the patterns.
_VICTIM_WORDS = (
    "kill",
    "shot",
    "stabb",
    "hack",
    "beat",
    "burn",
    "murder",
    "lynch",
    "behead",
    "execut",
    "wound",
    "injur",
    "died",
)
_GATHERING_WORDS = ("gathered", "assembled", "rallied", "marched", "converged", "streets", "staged", "held", "organi")
# What may join two counts of one list: a few words (the first count's noun and place), then "and".
_LIST_AND = re.compile(r"(?:\s+[\w'’()-]+){0,6}?\s+(?:and|as well as)\s+", re.IGNORECASE)
# A verb after the joined number gives it a fate of its own: "about 250 taken hostage".
_OWN_CLAUSE = re.compile(
    r"(?:\s+[\w'’-]+){0,3}?\s+(?:were|was|are|is|have|has|had|remain|remained|taken|held|abducted|kidnapped|"
    r"arrested|detained|missing|displaced|rescued|released|evacuated|captured|fled|escaped|survived)\b",
    re.IGNORECASE,
)
# People gathering (or marching, or holding a rally) for a cause said after it: a demonstration.
_PROTEST_GATHERING = re.compile(
    r"\b(?P<gathering>gathered|assembled|rallied|marched|converged|took to the streets|"
    r"(?:staged|held|organi[sz]ed)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:protest|rally|demonstration|sit-in|march|vigil))"
    r"\b[^.;]{0,200}?\b(?:to (?:protest|demonstrate|denounce|condemn|demand|call for|call on|oppose|express|show|"
    r"voice|press|support|reject|mark)|in (?:protest|solidarity)|against|demanding|protesting|calling for|chanting|"
    r"(?:holding|carrying|waving) (?:banners|placards|signs|flags))\b",
    re.IGNORECASE,
)
# A line that links to another story ("Read more: ...", "RELATED: ...") is never evidence.
_TEASER = (
    r"(?:(?i:read more|read also|also read|more|related(?: stories| articles| coverage| content)?|see also|"
    r"watch|listen|recommended|read next|most read|further reading|explore more)\b[ \t]*[:|»›>–—-]"
    # A page's lists of other headlines, run into its text: "Trending Trump Says ...", "Related Killing Is Easy"
    r"|(?i:trending|related|editor['’]s picks|most popular|top stories|you may also like|more stories)[ \t]+[A-Z"
    r"‘'\"“])"
)
_TEASER_LINE = re.compile(rf"^[ \t]*{_TEASER}.*$", re.MULTILINE)
_TEASER_OPENING = re.compile(_TEASER)
# Headline verbs in the present take their number after them too: "fire kills at least 7, wounds 30".
_PRESENT_VERBS = frozenset({"kills", "wounds", "injures"})
# A later figure after one of these words counts part of an earlier one of its kind: "12,000 soldiers,
# including 500 officers and 3 generals" are 12,000 soldiers, not 12,503.
_SUBGROUP = re.compile(
    r"\b(?:including|includ(?:es|ed)|among (?:them|whom|those|the dead|the victims|the injured|the wounded)|"
    r"of (?:whom|them|which)|incl\.)",
    re.IGNORECASE,
)
# A later figure of the same kind after one of these words is another claim about the same count
# ("at least 282 killed, according to an AFP tally, although government figures said 131 died"):
# claims stand side by side in `event_figures`; they are never added up.
_COMPETING = re.compile(
    r"\b(?:although|though|while|whereas|but|however|according to|said|says|say|put the (?:death )?toll|"
    r"other figures|estimates?|estimated|reported)\b",
    re.IGNORECASE,
)
_MAX_WORDS_TO_KEYWORD = 12

_MILITARY = frozenset(
    "soldier soldiers troop troops serviceman servicemen servicemembers officer officers general generals "
    "fighter fighters personnel marines marine mercenaries mercenary conscripts conscript reservists reservist "
    "recruits recruit paratroopers paratrooper commandos commando militants militant combatants combatant "
    "sailors sailor airmen pilots pilot guards guardsmen".split()
)
_MILITARY_WORD = re.compile(r"\b(?:" + "|".join(sorted(_MILITARY, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_AID_WORD = re.compile(r"\b(?:aid|package|assistance|support|funding|grant|loan|donat\w*|pledg\w*)\b", re.I)
# A sentence that speaks in the present: an undated figure in it holds on the day of publication.
_PRESENT = re.compile(
    r"\b(?:is|are|has|have|says|say|estimates|estimate|believes|assumes|currently|now|so far|already|to date)\b",
    re.IGNORECASE,
)
# Where an event happened: a place after "in", "near", "at"... names it; "to", "on", "into" name
# a destination or a target, a weaker sign.
_LOCATIVE = re.compile(r"\b(?:in|near|outside|around|at|inside|across|throughout)\s+(?:the\s+)?$", re.IGNORECASE)
# What may stand between a trigger and the country it is done to: "providing Ukraine", "aid to Ukraine".
_OBJECT = re.compile(r"\s+(?:(?:to|for|against|on|at)\s+)?(?:the\s+)?", re.IGNORECASE)
_REGION_WORDS = r"(?:region|oblast|province|district|governorate|prefecture|county)\b"
_REGION = re.compile(rf"\b([A-Z][\w'-]+(?: [A-Z][\w'-]+)?) {_REGION_WORDS}")
# Where a region word stands: a sentence without one names no region `_REGION` would find.
_REGION_WORD = re.compile(" " + _REGION_WORDS)
# A settlement the gazetteer (towns of 15,000 people or more) does not know is still a place where
# the text says what it is: "in Jupalango village", "near the town of Basma".
_SETTLEMENT_NOUNS = r"(?:village|town|city|township|neighbou?rhood|settlement|camp|hamlet|suburb|district)"
_PLACE_NAME = r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}"
_SETTLEMENT_BEFORE = re.compile(
    rf"\b(?:in|near|at|outside|around|from)\s+(?:the\s+)?(?P<name>{_PLACE_NAME})\s+{_SETTLEMENT_NOUNS}\b"
)
_SETTLEMENT_OF = re.compile(rf"\b{_SETTLEMENT_NOUNS} of (?P<name>{_PLACE_NAME})")
_LOCATIVE_BEFORE_SETTLEMENT = re.compile(
    rf"\b(?:in|near|outside|around|at|inside)\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}?{_SETTLEMENT_NOUNS}\s+of\s+$"
)
_DEMONYM_BEFORE_SETTLEMENT = re.compile(rf"\b([A-Z][a-z]+)\s+{_SETTLEMENT_NOUNS}\s+of\s+$")
_SETTLEMENT_WORD = re.compile(rf" {_SETTLEMENT_NOUNS}\b")
# A place and its area after a locative word: "in Waya (Djenne, Mopti)", "in Ejido de Vergel, Chihuahua".
_CAPITALISED = r"[A-Z][\w'’-]*\w"
_NAME_LINK = r"(?:de|del|da|do|dos|das|la|las|los|le|el|al|ad|di|du|des|e|i|y|of|and)"
_QUALIFIED = re.compile(
    rf"\b(?:in|near|outside|around|at|inside)\s+(?:the\s+)?"
    rf"(?P<name>{_CAPITALISED}(?:[ -](?:(?:de|del|da|do|dos|das|la|le|el|al|di|du)\s+)?{_CAPITALISED}){{0,3}})"
    r"(?:\s+(?:city|town|village|municipality|rural municipality|district|township|area|neighbou?rhood))?"
    rf"\s*(?:,|\()\s*(?P<area>{_CAPITALISED}(?:\s+(?:{_NAME_LINK}\s+)?{_CAPITALISED}){{0,3}})"
)
# What follows a place that is the first of a list, not a place and its area: "in Barth, Rostock and Schwerin".
_AREA_PART = re.compile(rf"{_CAPITALISED}(?:\s+(?:{_NAME_LINK}\s+)?{_CAPITALISED}){{0,3}}")
_FURTHER_AREAS = re.compile(rf"(?:\s*,\s*{_AREA_PART.pattern}){{1,3}}(?=\s*\))")
_PLACE_LIST = re.compile(r"(?:,\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*,?\s+(?:and|or)\s+[A-Z]")
_NOT_PLACE_NAMES = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An This That These Those "
    "It He She They We His Her Their Our Its Mr Mrs Ms Dr".split()
)
# A dateline: a place in capitals at the head of a line, its area, a day, the agency, then a dash or
# a colon.
_DATELINE = re.compile(
    r"(?m)^(?P<place>[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3})"
    r"(?:,\s*(?P<area>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}))?"
    r"(?:,?\s*(?:[A-Z][a-z]{2,4}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"
    r"\s*(?:\([\w .-]{2,30}\)\s*)?(?:--|[-–—:])\s"
)
_DATELINE_WITHIN = 400  # characters: a dateline opens the report, if not its first line then its second
# Words by which a sentence tells of a story made up, not of events: a film's, a book's, a game's.
_FICTION = re.compile(
    r"\b(?:tells the story of|the (?:film|movie|novel|book|play|series|show|episode|documentary|game)'s|"
    r"(?:film|movie|novel|screenplay|sitcom|musical|video game|tv series|miniseries|storyline|protagonist|"
    r"fictional|novelist|screenwriter|starring|stars as)\b)",
    re.IGNORECASE,
)
# Words by which a sentence tells an incident after or beside one told before: never a restatement.
_ANOTHER_INCIDENT = re.compile(
    r"\b(?:later|again|another|second|third|new|then|subsequently|next|also|further|separately|meanwhile|"
    r"earlier|previous|last (?:week|month|year))\b",
    re.IGNORECASE,
)
# How much larger the gazetteer's town may be than a homonym in a country the text names, for the
# homonym to be meant.
_HOMONYM_RATIO = 20
_DIRECTION = re.compile(r"\b(?:to|into|on|over|towards?|against)\s+(?:the\s+)?$", re.IGNORECASE)
# "425 million US dollars (around 392 million euros)": the same money in another currency.
_CONVERSION = re.compile(
    r"\(\s*(?:about|around|approximately|roughly|some|nearly|almost|over|more than|ca\.?)?\s*$", re.I
)
_PASSIVE_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_FORCES = re.compile(
    r"\s+(?:forces|troops|army|military|soldiers|units|armed forces|air force|navy|(?P<weapon>drones?|missiles?|"
    r"artillery|attacks?|strikes?|shelling|bombing|air ?strikes?|air raids?|rockets?|shells?|bombs?))\b",
    re.IGNORECASE,
)

# Below this, a sentence without a figure makes no event: the classifier's weak matches are noisy.
_MIN_CONFIDENCE = 0.5
# Acts done by saying: their actor is who says so.
_SPOKEN = frozenset({"ACCUSE", "AGREE", "REJECT", "REQUEST", "SUPPORT", "THREATEN"})
_WORDS = re.compile(r"[^\W\d_]+")
_PUBLIC_AFFAIRS_MIN_WORDS = 200
_PUBLIC_AFFAIRS_PER_1000 = 7
_ACTOR_KINDS = frozenset({"country", "organisation", "person"})
_PLACE_KINDS = frozenset({"place", "country"})


@dataclass(frozen=True, slots=True)
class _Context:
    """What one sentence inherits from the one before it in the same paragraph."""

    paragraph: int
    location: Place | None
    claimant: str | None
    date: tuple[date, DatePrecision] | None


class RuleExtractor:
    """Rules over sentences: PLOVER type from trigger words, figures from counted nouns and casualty
    words, places and actors from the entity finder, claimants from attribution phrases, dates
    from the date finder anchored on the published time. Runs offline on one core."""

    name = "rules"
    version = "1.3"

    def __init__(self) -> None:
        """Build the extractor with its trigger lexicon (see `lexicon_from_environment`).

        Raises:
            TerminalError: the user's lexicon file named in $NEWSFLOW_EVENTS__LEXICON is missing or invalid.
        """
        # A user's file is read (and its mistakes reported) now; the built-in lexicon on the first
        # article, as a run with nothing to code, which only needs the version, never reads it
        # (a tenth of a second).
        self._lexicon = lexicon_from_environment()
        if self._lexicon is not None and self._lexicon.digest is not None:
            # Another lexicon codes differently: its own version, so `newsflow extract` codes the articles again.
            self.version = f"{RuleExtractor.version}+{self._lexicon.digest}"

    @property
    def lexicon(self) -> Lexicon:
        """The trigger lexicon: the built-in one, with the user's triggers when a file is set."""
        return self._lexicon if self._lexicon is not None else builtin_lexicon()

    def extract(self, article: Article) -> Extraction:
        """Find the events and entities of one article.

        Args:
            article: the article; char spans of events and entities point into `article.text`.

        Returns:
            Events (one per sentence that tells an event or states a figure) and entities.
        """
        text = article.text
        label = f"{self.name}@{self.version}"
        mentions = find_entities(text)
        dates = find_dates(text, article.published_at)
        quantities = find_quantities(text)
        mention_starts = [m.start for m in mentions]
        date_starts = [d.start for d in dates]
        quantity_starts = [q.start for q in quantities]
        published = article.published_at.date() if article.published_at else None

        sentences = split_sentences(text)
        # Looked for once in the whole text, then asked of each sentence by position.
        cues = may_attribute_each(text, sentences)
        regions = [m.start() for m in _REGION_WORD.finditer(text)]
        settlements = [m.start() for m in _SETTLEMENT_WORD.finditer(text)]
        teasers = [(m.start(), m.end()) for m in _TEASER_LINE.finditer(text)]
        # Cheap word checks by position before the rarer patterns run (None where lowering changes
        # the text's length, as it does for "İ": then the patterns run in every sentence).
        folded = text.lower()
        lowered = folded if len(folded) == len(text) else None
        victim_words = _occurrences(lowered, _VICTIM_WORDS)
        # A review, a recipe or a match report tells no political events, whatever its words: there a
        # trigger counts only in a sentence that counts dead or wounded.
        public = _about_public_affairs(folded, self.lexicon.public_affairs)
        gathering_words = _occurrences(lowered, _GATHERING_WORDS)

        # The place a report is filed from ("KANDAHAR, Afghanistan, Oct. 3 (Xinhua) --") is where
        # its events happened when a sentence and its paragraph name no place.
        filed_from = _dateline(text)
        drafts: list[_Draft] = []
        context = _Context(-1, None, None, None)
        people: list[Mention] = []
        for sentence, cue in zip(sentences, cues, strict=True):
            if sentence.paragraph != context.paragraph:
                context = _Context(sentence.paragraph, None, None, None)
            if (teasers and any(start <= sentence.start < end for start, end in teasers)) or _TEASER_OPENING.match(
                text, sentence.start, sentence.end
            ):
                continue  # a link to another story tells none of this one's events
            in_sentence = _within(mentions, mention_starts, sentence)
            figures = _figures(text, sentence, _within(quantities, quantity_starts, sentence), victim_words)
            sentence_dates = _within(dates, date_starts, sentence)
            anchor = figures[0].char_start if figures else None
            claimant = None
            if cue:
                claimant = find_claimant(text, sentence.start, sentence.end, in_sentence, people[-1:] or None, anchor)
            earlier_people = people[-1:] or None
            people.extend(m for m in in_sentence if m.kind == "person")
            match = None
            if public or any(f.counted in ("killed", "injured") for f in figures):
                match = _gathering(text, sentence, figures, gathering_words) or classify_sentence(
                    text[sentence.start : sentence.end], lexicon=self.lexicon
                )
            speaker = None
            if claimant is None and match is not None and match.event_type in _SPOKEN:
                # "President Obama condemned the test": who demands, accuses or refuses says so.
                speaker = find_speaker(text, sentence.start, sentence.start + match.start, in_sentence, earlier_people)
            region = _holds(regions, sentence)
            settlement = _holds(settlements, sentence)
            location = _location(text, sentence, in_sentence, anchor, match, region, settlement)
            location = location or context.location or _filed_here(filed_from, in_sentence)
            dated = _date(sentence_dates, sentence, article)
            when = dated or context.date
            context = _Context(sentence.paragraph, location, claimant or context.claimant, dated or context.date)
            if _FICTION.search(text, sentence.start, sentence.end):
                # A film's or a book's plot tells no violence that happened: "the film tells the story
                # of a student who killed his girlfriend".
                figures = [f for f in figures if f.counted not in ("killed", "injured")]
                match = None if match is not None and match.event_type == "ASSAULT" else match
            typed = match is not None and match.confidence >= _MIN_CONFIDENCE
            if not figures and not typed:
                continue
            if (
                when is None
                and published is not None
                and figures
                and _PRESENT.search(text, sentence.start, sentence.end)
            ):
                when = (published, "day")
            drafts.append(
                _Draft(
                    sentence,
                    match,
                    typed,
                    figures,
                    in_sentence,
                    location,
                    claimant or speaker or (context.claimant if figures or _continues_quote(text, sentence) else None),
                    when,
                    speaks=claimant is None and speaker is not None,
                )
            )
        # The places and countries the text names, with their countries: they pick among towns of
        # one name, and the dollar a bare "$" means.
        placed = [(m.canonical, m.country) for m in mentions if m.country and m.kind in _PLACE_KINDS]
        in_text = frozenset(placed)
        dollar = local_dollar(article.uri, Counter(country for _, country in placed))
        events = _merge_restatements(
            [_event(article, label, text, draft, in_text, dollar) for draft in _merge_repeated_figures(drafts)]
        )
        entities = [
            Entity(
                article_id=article.article_id,
                name=m.name,
                canonical=m.canonical,
                kind=m.kind,
                country=m.country,
                char_start=m.start,
                char_end=m.end,
            )
            for m in mentions
        ]
        return Extraction(article_id=article.article_id, extractor=label, events=events, entities=entities)


@dataclass(frozen=True, slots=True)
class _Draft:
    """An event before it becomes a row: the sentence and what the rules found in it."""

    sentence: Sentence
    match: TypeMatch | None
    typed: bool
    figures: list[Figure]
    mentions: list[Mention]
    location: Place | None
    claimant: str | None
    when: tuple[date, DatePrecision] | None
    speaks: bool = False  # the claimant is who does the act by saying it ("Obama condemned")


def _merge_repeated_figures(drafts: list[_Draft]) -> list[_Draft]:
    """One figure told several times in an article (headline, lead, a quote) is one claim.

    The telling that says most (a claimant, a place, a date) keeps it; the others lose it, and a
    sentence left with no figure is kept only if it tells a typed event of its own.
    """
    best: dict[tuple[str, float, str | None], tuple[int, int]] = {}
    for index, draft in enumerate(drafts):
        filled = sum(value is not None for value in (draft.claimant, draft.location, draft.when))
        for figure in draft.figures:
            key = (figure.counted, figure.value, figure.currency)
            if key not in best or filled > best[key][1]:
                best[key] = (index, filled)
    merged: list[_Draft] = []
    for index, draft in enumerate(drafts):
        kept = [f for f in draft.figures if best[(f.counted, f.value, f.currency)][0] == index]
        if kept or draft.typed:
            merged.append(replace(draft, figures=kept))
    return merged


def _merge_restatements(events: list[Event]) -> list[Event]:
    """One event per incident: a sentence that tells again an incident told before in the article
    (same type and place, the same day or none) and names no figure, claimant, actor or target of
    its own is a
    mention of that event, not an event. The event that tells most (figures, then confidence,
    then the first) keeps the others' count in `mentions`. Different places or days stay apart:
    "attacks in Taji, Baghdad and Kirkuk" are three incidents; so does a sentence that says it
    tells another one ("later", "again", "another")."""
    groups: dict[tuple[str, str | None, str | None], list[int]] = {}
    for index, event in enumerate(events):
        if event.event_type is not None:
            groups.setdefault((event.event_type, event.location, event.country), []).append(index)
    dropped: set[int] = set()
    mentions: dict[int, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        keeper = max(members, key=lambda i: (len(events[i].figures), events[i].confidence, -i))
        kept = events[keeper]
        figures = {(f.counted, f.value) for f in kept.figures}
        for index in members:
            event = events[index]
            if (
                index != keeper
                and event.event_date in (None, kept.event_date)
                and {(f.counted, f.value) for f in event.figures} <= figures
                and event.claimed_by in (None, kept.claimed_by)
                and event.actor in (None, kept.actor)
                and event.target in (None, kept.target)
                and not _ANOTHER_INCIDENT.search(event.evidence)
            ):
                dropped.add(index)
                mentions[keeper] = mentions.get(keeper, 1) + 1
    if not dropped:
        return events
    return [
        event.model_copy(update={"mentions": mentions[index]}) if index in mentions else event
        for index, event in enumerate(events)
        if index not in dropped
    ]


def _about_public_affairs(folded: str, words: frozenset[str]) -> bool:
    """Whether a text is about public affairs: shorter than 200 words (a wire note, a headline), or
    using at least 7 words of politics, conflict and crime (the lexicon's `public_affairs`) per 1,000."""
    tokens = _WORDS.findall(folded)
    if len(tokens) < _PUBLIC_AFFAIRS_MIN_WORDS or not words:
        return True
    return sum(token in words for token in tokens) * 1000 >= _PUBLIC_AFFAIRS_PER_1000 * len(tokens)


def _continues_quote(text: str, sentence: Sentence) -> bool:
    """True when the sentence is quoted speech: it opens with a quotation mark, or one opened before
    it on its line is still open."""
    head = text[sentence.start : sentence.start + 1]
    if head in _OPENING_QUOTES:
        return True
    line_start = text.rfind("\n", 0, sentence.start) + 1
    before = text[line_start : sentence.start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


_OPENING_QUOTES = frozenset('“"‘«')


def _within(items: Sequence[Any], starts: Sequence[int], sentence: Sentence) -> list[Any]:
    first = bisect_left(starts, sentence.start)
    last = bisect_left(starts, sentence.end)
    return list(items[first:last])


def _holds(positions: Sequence[int], sentence: Sentence) -> bool:
    """Whether one of the sorted `positions` lies inside the sentence."""
    at = bisect_left(positions, sentence.start)
    return at < len(positions) and positions[at] < sentence.end


def _date(mentions: Sequence[DateMention], sentence: Sentence, article: Article) -> tuple[date, DatePrecision] | None:
    day, precision = sentence_date(mentions, sentence.start, sentence.end, article.published_at)
    return (day, precision) if day is not None and precision is not None else None


def _location(
    text: str,
    sentence: Sentence,
    mentions: Sequence[Mention],
    anchor: int | None,
    match: TypeMatch | None,
    region: bool = True,
    settlement: bool = False,
) -> Place | None:
    """The place an event happened: a place named with its area after a locative word ("in
    Radeburg (Meissen, Sachsen)", "in Birmingham, Alabama"), then a place named after a locative
    word ("in", "near"), then one after a word of direction ("to", "on"), then any city, then the
    country the event is done to ("The USA is providing Ukraine with ..."). The first after the
    figure wins ("11,000 soldiers are present ... in the Kursk region"), else the first in the
    sentence. `region` False says the sentence holds no word like "region" or "province" (so no
    unknown region is looked for); `settlement` True that it holds one like "village" or "town",
    which makes a name the gazetteer does not know a place ("in Jupalango village", "the village of Basma")."""
    qualified = _qualified_places(text, sentence, mentions)
    if not mentions and not region and not settlement and not qualified:
        return None
    places = [(start, place.name, place) for start, place in qualified]
    places += [
        (m.start, m.canonical, Place(m.canonical, m.country))
        for m in mentions
        if m.kind in _PLACE_KINDS and not any(start == m.start for start, _ in qualified)
    ]
    if region:
        # A region the gazetteer does not know is still a place: "in the Course region".
        places += [
            (m.start(1), m.group(0), Place(m.group(0)))
            for m in _REGION.finditer(text, sentence.start, sentence.end)
            if not any(start == m.start(1) for start, _, _ in places)
        ]
    settled: list[tuple[int, str, str | None]] = []
    if settlement:
        for pattern in (_SETTLEMENT_BEFORE, _SETTLEMENT_OF):
            settled += [
                (m.start("name"), m.group("name"), None)
                for m in pattern.finditer(text, sentence.start, sentence.end)
                if not any(start <= m.start("name") < start + len(name) for start, name, _ in places)
                # "the Russian town of", "Scott's district": a people or an owner, not the place
                and country_of_demonym(m.group("name")) is None
                and not m.group("name").endswith(("'s", "’s"))
            ]
        # "in the Russian town of Grayvoron": the locative word stands before the settlement noun.
        # "the Russian town of Grayvoron": the demonym before the settlement noun gives its country.
        settled = [(start, name, _demonym_country(text, start, sentence)) for start, name, _ in settled]
        for start, name, country in settled:
            if _LOCATIVE_BEFORE_SETTLEMENT.search(text, max(start - 48, sentence.start), start):
                return Place(name, country)
        places += [(start, name, Place(name, country)) for start, name, country in settled]
    places.sort(key=lambda p: p[0])
    if anchor is not None:
        after = [p for p in places if p[0] >= anchor]
        places = after + [p for p in places if p[0] < anchor]
    for pattern in (_LOCATIVE, _DIRECTION):
        for start, _, place in places:
            if pattern.search(text, max(start - 16, 0), start):
                return place
    cities = [m for m in mentions if m.kind == "place"]
    if cities:
        return Place(cities[0].canonical, cities[0].country)
    if settled:
        return Place(settled[0][1], settled[0][2])
    if match is not None:
        trigger = sentence.start + match.end
        for mention in mentions:
            if mention.kind == "country" and mention.start >= trigger:
                if _OBJECT.fullmatch(text, trigger, mention.start):
                    return Place(mention.canonical, mention.country)
                break
    return None


def _qualified_places(text: str, sentence: Sentence, mentions: Sequence[Mention]) -> list[tuple[int, Place]]:
    """A place written with its area after a locative word: "in Waya (Djenne, Mopti)", "in Ejido de
    Vergel, Chihuahua", "near Bagram Airfield, Afghanistan", "in Birmingham, Alabama". The area
    (a country, or a first- or second-level area of the gazetteer) gives the country; a town of that
    name inside the area gives its coordinates. A name the gazetteer knows as another place is taken
    only when a town of it lies in the area ("in London, Paris and Berlin" is a list)."""
    by_start = {m.start: m for m in mentions}
    found: list[tuple[int, Place]] = []
    for qualified in _QUALIFIED.finditer(text, sentence.start, sentence.end):
        name, area = qualified.group("name"), qualified.group("area")
        if name.split()[0] in _NOT_PLACE_NAMES or _PLACE_LIST.match(text, qualified.end()):
            continue
        known = by_start.get(qualified.start("name"))
        if known is not None and known.end != qualified.end("name"):
            known = None  # "Ejido de Vergel" is not the town of Ejido
        if known is not None and known.kind != "place":
            continue  # a person, an organisation ("at Google, Alphabet said"), a country in a list
        # "(Mahiyanganaya, Uva)": the last area named that the gazetteer knows is the widest.
        further = _FURTHER_AREAS.match(text, qualified.end())
        for wider in reversed(_AREA_PART.findall(further.group()) if further else []):
            if area_countries(wider):
                area = wider
                break
        area_mention = by_start.get(qualified.start("area")) if area == qualified.group("area") else None
        if area_mention is not None and area_mention.kind == "country" and area_mention.country:
            countries: frozenset[str] = frozenset({area_mention.country})
        elif area_mention is None or area_mention.kind == "place":
            countries = area_countries(area)
            if not countries and area_mention is not None and area_mention.country and known is None:
                countries = frozenset({area_mention.country})  # "in Radeburg (Meissen, Sachsen)"
        else:
            continue
        if not countries:
            continue
        located = town_within(name, [area], countries)
        if located is not None:
            found.append((qualified.start("name"), located.place(known.canonical if known else None)))
        elif known is None:
            found.append((qualified.start("name"), Place(name, next(iter(countries)) if len(countries) == 1 else None)))
    return found


def _filed_here(filed_from: Place | None, mentions: Sequence[Mention]) -> Place | None:
    """The dateline's place for a sentence that names no place, unless it names another country:
    "NEW DELHI: Pakistan's military said ..." is not about New Delhi."""
    if filed_from is None:
        return None
    if any(m.kind == "country" and m.country and m.country != filed_from.country for m in mentions):
        return None
    return filed_from


def _dateline(text: str) -> Place | None:
    """The place a dateline at the head of the text names ("KANDAHAR, Afghanistan, Oct. 3 (Xinhua)
    --", "LA CROSSE, Wis. (AP) —", "NEW DELHI:"), when the gazetteer knows it."""
    found = _DATELINE.search(text, 0, _DATELINE_WITHIN)
    if found is None:
        return None
    name = found.group("place").title()
    area = found.group("area")
    known = [m for m in find_entities(name) if m.kind in _PLACE_KINDS and m.start == 0 and m.end == len(name)]
    if area:
        located = town_within(name, [area], [m.country for m in known if m.country])
        if located is not None:
            return located.place(known[0].canonical if known else None)
    if known:
        return Place(known[0].canonical, known[0].country)
    located = town(name) if area else None  # a town no larger gazetteer knows, placed by its area
    return located.place() if located is not None else None


def _on_the_map(place: Place | None, in_text: frozenset[tuple[str, str]] = frozenset()) -> Place | None:
    """The place with its first-level area and coordinates, from the town of its name in its
    country, when the place is a town and they are not known yet.

    Of towns of one name in several countries, the gazetteer's choice is the most populous; a
    text that names one of the other countries (`in_text`: the places and countries it names, with
    their countries) means the town there, unless the first is far larger ("Cordoba" with Spain
    named is in Spain; "Paris" stays in France whatever the text names)."""
    if place is None or place.latitude is not None or place.country is None:
        return place
    located = town(place.name, place.country)
    countries = {country for name, country in in_text if name != place.name}
    if located is not None and countries and place.country not in countries:
        other = next((t for t in towns_named(place.name) if t.country in countries), None)
        if other is not None and other.population * _HOMONYM_RATIO >= located.population:
            return other.place(place.name)
    if located is None:
        return place
    return place._replace(admin1=located.admin1, latitude=located.latitude, longitude=located.longitude)


def _demonym_country(text: str, start: int, sentence: Sentence) -> str | None:
    """The country of a demonym right before "town of", "village of" ending at `start`, if any."""
    found = _DEMONYM_BEFORE_SETTLEMENT.search(text, max(start - 40, sentence.start), start)
    return country_of_demonym(found.group(1)) if found else None


def _occurrences(lowered: str | None, words: Sequence[str]) -> list[int] | None:
    """Where each of `words` (lower case) starts in the lowered text, sorted; None without a text."""
    if lowered is None:
        return None
    found = []
    for word in words:
        at = lowered.find(word)
        while at != -1:
            found.append(at)
            at = lowered.find(word, at + 1)
    found.sort()
    return found


def _figures(
    text: str, sentence: Sentence, quantities: Sequence[Quantity], victim_words: Sequence[int] | None = None
) -> list[Figure]:
    """Decide what each number of a sentence counts: killed, injured, troops, money, or nothing;
    then add the single victims a sentence names without a number ("killed a man")."""
    figures = _counted(text, sentence, quantities) if quantities else []
    worth = victim_words is None or _holds(victim_words, sentence)
    singles = _single_victims(text, sentence, figures) if worth else []
    if singles:
        figures = sorted([*figures, *singles], key=lambda f: f.char_start)
    return _continue_lists(text, figures, quantities) if figures and quantities else figures


def _continue_lists(text: str, figures: list[Figure], quantities: Sequence[Quantity]) -> list[Figure]:
    """A number joined by "and" to a count of dead or wounded counts the same: "killed 8 civilians in
    Mbakira and 7 civilians in Chavinyungu", "killing him and 2 of his relatives"."""
    taken = {(f.char_start, f.char_end) for f in figures}
    added: list[Figure] = []
    for quantity in quantities:
        if (quantity.start, quantity.end) in taken or quantity.kind == "money" or quantity.vague:
            continue
        if quantity.kind == "count" and quantity.noun is not None:
            continue  # "and two vehicles": things, not people
        before = [f for f in [*figures, *added] if f.char_end <= quantity.start and f.counted in ("killed", "injured")]
        if not before:
            continue
        previous = before[-1]
        if _OWN_CLAUSE.match(text, quantity.end):
            continue  # "killed 3 and 40 were arrested": the number has a verb of its own
        if _LIST_AND.fullmatch(text, previous.char_end, quantity.start):
            added.append(_figure(quantity, previous.counted))
    return sorted([*figures, *added], key=lambda f: f.char_start) if added else figures


def _gathering(
    text: str, sentence: Sentence, figures: Sequence[Figure], gathering_words: Sequence[int] | None = None
) -> TypeMatch | None:
    """A crowd gathered for a cause is a protest, whatever else the sentence names: "activists
    gathered outside the ministry to protest against the plan", "residents marched demanding water".
    Not where the sentence counts dead or wounded: then the violence is the event."""
    if any(f.counted in ("killed", "injured") for f in figures) or (
        gathering_words is not None and not _holds(gathering_words, sentence)
    ):
        return None
    found = _PROTEST_GATHERING.search(text, sentence.start, sentence.end)
    if found is None or _MILITARY_WORD.search(text, sentence.start, found.start()):
        return None  # "troops gathered near the border": a mobilisation, not a protest
    trigger = found.group("gathering")
    start = found.start("gathering") - sentence.start
    return TypeMatch("PROTEST", "demo", trigger, start, start + len(trigger), 0.75)


def _single_victims(text: str, sentence: Sentence, figures: Sequence[Figure]) -> list[Figure]:
    """One person killed or hurt, told without a number: "killed a civilian", "a child was killed",
    "shot him dead", "a villager died"."""
    found: list[Figure] = []
    for pattern in (_SINGLE_OBJECT, _SINGLE_SUBJECT):
        for match in pattern.finditer(text, sentence.start, sentence.end):
            start, end = match.span("victim")
            if any(f.char_start < end and start < f.char_end for f in [*figures, *found]):
                continue
            verb = (match.group("verb") or "died").lower()
            counted: Counted = "injured" if verb.startswith(("wound", "injur")) else "killed"
            noun = match.group("noun")
            found.append(
                Figure(counted=counted, value=1, noun=noun.lower() if noun else None, char_start=start, char_end=end)
            )
    return found


def _figure(quantity: Quantity, counted: Counted) -> Figure:
    return Figure(
        counted=counted,
        value=quantity.value,
        qualifier=quantity.qualifier,
        vague=quantity.vague,
        currency=quantity.currency,
        noun=quantity.noun,
        char_start=quantity.start,
        char_end=quantity.end,
    )


def _counted(text: str, sentence: Sentence, quantities: Sequence[Quantity]) -> list[Figure]:
    """What each number of a sentence counts."""
    keywords = list(_CASUALTY.finditer(text, sentence.start, sentence.end))
    figures: list[Figure] = []
    for quantity in quantities:
        counted: Counted | None = None
        if quantity.kind == "money":
            if quantity.currency is None or _restates_money(text, quantity, figures):
                continue
            counted = "amount"
        else:
            counted = _casualty_of(text, sentence, quantity, keywords)
            if counted is None and (_counts_troops(quantity) or _bare_troop_count(text, sentence, quantity)):
                counted = "troops"
            if counted is None:
                continue
            if quantity.kind == "count" and quantity.noun is not None and counted != "troops":
                continue  # "two rockets killed": the number counts things, not people
        figures.append(_figure(quantity, counted))
    return figures


def _bare_troop_count(text: str, sentence: Sentence, quantity: Quantity) -> bool:
    """ "The number of soldiers deployed ... is around 10,000": a bare number in a sentence that
    has already named soldiers counts them."""
    if quantity.kind != "count" or quantity.noun is not None or quantity.vague or quantity.value < 10:
        return False
    return _MILITARY_WORD.search(text, sentence.start, quantity.start) is not None


def _restates_money(text: str, quantity: Quantity, earlier: Sequence[Figure]) -> bool:
    """A sum in brackets right after another sum converts it: not a figure of its own."""
    money = [f for f in earlier if f.counted == "amount"]
    if not money or not _CONVERSION.search(text, max(quantity.start - 24, 0), quantity.start):
        return False
    return 0 <= quantity.start - money[-1].char_end <= 30


def _counts_troops(quantity: Quantity) -> bool:
    """ "500 officers", "11,000 North Korean soldiers": people named by a military word."""
    return quantity.kind == "people" and quantity.noun is not None and quantity.noun.lower().split()[-1] in _MILITARY


def _casualty_of(
    text: str, sentence: Sentence, quantity: Quantity, keywords: Sequence[re.Match[str]]
) -> Counted | None:
    # A verb right before the number takes it as its object: "killing two", "wounded at least 12".
    for keyword in reversed(keywords):
        if keyword.end() <= quantity.start:
            if _BETWEEN_VERB_AND_NUMBER.match(text[keyword.end() : quantity.start]):
                word = keyword.group(0).lower()
                if (
                    word.endswith("ing")
                    or word.endswith("ed")
                    or word in _PRESENT_VERBS
                    or "toll" in word
                    or word.startswith("death")
                ):
                    return "killed" if keyword.group("killed") else "injured"
            break
    # Otherwise the first casualty word after it, in the same clause: "five people were injured",
    # "26 police officers and four civilians suffered life-threatening injuries".
    for keyword in keywords:
        if keyword.start() >= quantity.end:
            between = text[quantity.end : keyword.start()]
            if _CLAUSE_BREAK.search(between) or len(between.split()) > _MAX_WORDS_TO_KEYWORD:
                return None
            if (
                keyword.group(0).lower() in _ACTIVE_VERBS
                and not _PASSIVE.search(between)
                and _OBJECT_AFTER.match(text, keyword.end())
            ):
                return None  # "two gunmen killed a man": the number counts who killed, not the dead
            return "killed" if keyword.group("killed") else "injured"
    return None


def _actor_and_target(
    text: str, sentence: Sentence, mentions: Sequence[Mention], match: TypeMatch | None
) -> tuple[str | None, str | None]:
    """The actor: who the sentence says acted (named before the trigger, or after "by" in a
    passive); the target: the first actor-like name after the trigger."""
    named = _actors(text, sentence, mentions)
    if not named:
        return None, None
    if match is None:
        return named[0][2], None
    pivot = sentence.start + match.start
    armed = [n for n in named if _weapon_after(text, n[1])]
    if armed and match.event_type == "ASSAULT":
        # "killed when an Israeli air strike hit a school": whose weapon it was is the actor.
        armed_actor = armed[0][2]
        return armed_actor, next((n[2] for n in named if n[2] != armed_actor and n[0] >= pivot), None)
    before = [n for n in named if n[1] <= pivot]
    after = [n for n in named if n[0] >= pivot]
    passive = [n for n in after if _PASSIVE_BY.search(text, max(n[0] - 8, 0), n[0])]
    actor: str | None
    if passive:
        actor = passive[0][2]
        target = before[-1][2] if before else None
    else:
        actor = before[-1][2] if before else None
        target = next((n[2] for n in after if n[2] != actor), None)
    return actor, target


def _weapon_after(text: str, end: int) -> bool:
    forces = _FORCES.match(text, end)
    return forces is not None and forces.group("weapon") is not None


def _actors(text: str, sentence: Sentence, mentions: Sequence[Mention]) -> list[tuple[int, int, str]]:
    """Names that can act, normalised: "Russian forces" for a demonym before a military word,
    the country's name for a country, canonical names for people and organisations."""
    found: list[tuple[int, int, str]] = []
    for mention in mentions:
        if mention.kind not in _ACTOR_KINDS:
            continue
        if _FORCES.match(text, mention.end) and mention.kind == "country" and mention.name != mention.canonical:
            found.append((mention.start, mention.end, f"{mention.name} forces"))  # "Russian forces"
        elif mention.kind == "organisation" and mention.canonical.endswith(" armed forces"):
            # One name for a country's military however the text calls it: "Russian forces".
            found.append((mention.start, mention.end, mention.canonical.removesuffix(" armed forces") + " forces"))
        else:
            found.append((mention.start, mention.end, mention.canonical))
    for match in _DEMONYM.finditer(text, sentence.start, sentence.end):
        if any(s <= match.start() < e for s, e, _ in found):
            continue
        iso = country_of_demonym(match.group(0))
        if iso is None:
            continue
        if _FORCES.match(text, match.end()):
            found.append((match.start(), match.end(), f"{match.group(0)} forces"))
        else:
            found.append((match.start(), match.end(), country_name(iso)))
    found.sort()
    return found


_DEMONYM = re.compile(r"\b(?:North |South |New |Saudi )?[A-Z][a-z]+(?:an|ian|ish|ese|i|ic|ch)\b")


def _event(
    article: Article,
    label: str,
    text: str,
    draft: _Draft,
    in_text: frozenset[tuple[str, str]] = frozenset(),
    dollar: str | None = None,
) -> Event:
    sentence, match, figures = draft.sentence, draft.match, draft.figures
    evidence = text[sentence.start : sentence.end]
    # A claimant who reports the event is neither side of it; one who does it by saying it is its actor.
    named = draft.mentions if draft.speaks else [m for m in draft.mentions if m.canonical != draft.claimant]
    actor, target = _actor_and_target(text, sentence, named, match)
    event_type = match.event_type if match is not None else _default_type(figures, evidence)
    confidence = match.confidence if match is not None else 0.5
    if figures:
        confidence = max(confidence, 0.6)
    digest = hashlib.blake2b(f"{article.article_id}:{sentence.start}:{label}".encode(), digest_size=8).hexdigest()
    if dollar is not None:
        # A bare "$" in a Canadian paper is the Canadian dollar.
        figures = [
            f.model_copy(update={"currency": dollar})
            if f.counted == "amount" and f.currency == "USD" and bare_dollar(text[f.char_start : f.char_end])
            else f
            for f in figures
        ]
    money = [f for f in figures if f.counted == "amount"]
    place = _on_the_map(draft.location, in_text)
    return Event(
        event_id=digest,
        article_id=article.article_id,
        event_type=event_type,
        mode=match.mode if match is not None else None,
        event_date=draft.when[0] if draft.when else None,
        date_precision=draft.when[1] if draft.when else None,
        location=place.name if place else None,
        country=place.country if place else None,
        admin1=place.admin1 if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        actor=actor,
        target=target,
        claimed_by=draft.claimant,
        killed=_total(text, figures, "killed"),
        injured=_total(text, figures, "injured"),
        troop_count=_total(text, figures, "troops"),
        amount=money[0].value if money else None,
        currency=money[0].currency if money else None,
        qualifier=figures[0].qualifier if figures else None,
        evidence=evidence,
        char_start=sentence.start,
        char_end=sentence.end,
        confidence=round(confidence, 3),
        extractor=label,
        figures=figures,
    )


def _total(text: str, figures: Sequence[Figure], counted: str) -> int | None:
    """The count a sentence gives of one kind: the parts of one list added ("26 police officers and
    four civilians" injured is 30), less what only restates part of it ("including 500 officers"),
    a competing claim ("although government figures said 131 died") and vague counts ("dozens"),
    which stay in `event_figures` with their own qualifiers."""
    chosen = [f for f in figures if f.counted == counted]
    if not chosen:
        return None
    kept = [chosen[0]]
    for figure in chosen[1:]:
        if _SUBGROUP.search(text, chosen[0].char_end, figure.char_start):
            continue
        if _COMPETING.search(text, kept[-1].char_end, figure.char_start):
            break
        kept.append(figure)
    values = [f.value for f in kept if not f.vague]
    return round(sum(values)) if values else None


def _default_type(figures: Sequence[Figure], sentence: str) -> str | None:
    """The type a figure implies when no trigger word decided it."""
    counted = {f.counted for f in figures}
    if counted & {"killed", "injured"}:
        return "ASSAULT"
    if "troops" in counted:
        return "MOBILIZE"
    if "amount" in counted and _AID_WORD.search(sentence):
        return "AID"
    return None
