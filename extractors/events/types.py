"""PLOVER event type and mode of a sentence (POLECAT's names), from trigger words (lexicon/triggers.toml) in context."""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from schemas import TerminalError

# Choices where the PLOVER sources leave room (plover_reference.html, the v0.8 manual, CAMEO2PLOVER-2021):
# - Investigations are ACCUSE mode "investigate" (the manual folds INVESTIGATE into ACCUSE; so does POLECAT).
# - Sending or deploying troops is MOBILIZE; providing soldiers, peacekeepers or arms to another party is
#   AID military (AID: "military and police assistance including arms and personnel"). COOPERATE is kept
#   for mutual exchange (joint exercises, extradition, shared intelligence).
# - Capturing or occupying territory and blockades are COERCE (seize, restrict); destroying property is
#   ASSAULT destroy (CAMEO2PLOVER 192, 191, 1712). Imposed sanctions are SANCTION (the reference's list).
# - Declaring a ceasefire or withdrawal is CONCEDE, observing one is RETREAT; lifting restrictions is
#   CONCEDE, lifting economic sanctions or a blockade RETREAT (CAMEO 081-083 against 085, 0872).
# - Apologies are SUPPORT (CAMEO2PLOVER 055). Condemnations, accusations and lawsuits are ACCUSE.
# - A cooperative act told in the future is AGREE ("all cooperative actions reported in future tense are
#   also taken to imply intentions"); a conflict act announced for the future is THREATEN.
# - Negated events are left out, except refusals: "did not agree", "would not meet" are REJECT.
# POLECAT's sixteen types: PLOVER's DEMAND is REQUEST, DISAPPROVE (with INVESTIGATE folded in) is ACCUSE.
EVENT_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# Modes a match may carry. ASSAULT's weapon modes are newsflow's (what a reader of war reports asks for);
# the rest, and every other type's, are the PLOVER manual's mode tables (v0.8, CAMEO2PLOVER-2021).
EVENT_MODES: dict[str, tuple[str, ...]] = {
    "AGREE": (),
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "SUPPORT": (),
    "CONCEDE": (),
    "COOPERATE": (),
    "AID": ("economic", "military", "humanitarian", "asylum"),
    "RETREAT": ("withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "allege", "investigate"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "THREATEN": ("restrict", "ban", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "strike-gen", "strike-lim", "strike-hun", "boycott", "obstruct"),
    "SANCTION": ("convict", "cancel", "expel", "withdraw", "sever"),
    "MOBILIZE": ("troops", "weapons", "police"),
    "COERCE": (
        "confiscate",
        "seize",
        "restrict",
        "ban",
        "censor",
        "curfew",
        "martial-law",
        "arrest",
        "deport",
        "withhold",
    ),
    "ASSAULT": (
        "missile",
        "drone",
        "artillery",
        "air-strike",
        "shooting",
        "explosive",
        "ground-attack",
        "beating",
        "abduct",
        "torture",
        "execute",
        "sexual",
        "assassinate",
        "destroy",
        "primitive",
        "massacre",
    ),
}


@dataclass(frozen=True, slots=True)
class TypeMatch:
    """One event told in a sentence: its PLOVER type, its mode, and the words that decided it."""

    event_type: str
    mode: str | None
    trigger: str  # the trigger as written, from its first to its last word (phrasal verbs included)
    start: int
    end: int
    confidence: float  # 0..1: how specific the trigger is, lowered when hypothetical, infinitive or reported


# --- How a trigger is matched -------------------------------------------------------------------

_Objects = tuple[tuple[frozenset[str], str, str | None], ...]


@dataclass(frozen=True, slots=True)
class _Rule:
    event_type: str | None  # None: tells no event but governs others ("denied attacking", "suspected of")
    mode: str | None
    weight: float
    tail: tuple[frozenset[str], ...] = ()  # words that must follow, in order ("called" + "for")
    gap: int = 0  # words allowed before the tail ("pulled its troops out")
    prev: frozenset[str] | None = None  # one of the two words before must be one of these
    not_prev: frozenset[str] = frozenset()
    not_next: frozenset[str] = frozenset()
    objects: _Objects = ()  # (words, type, mode): the nearest object word decides type and mode
    need_object: bool = False
    before: bool = False  # objects may stand before the trigger too (passives: "troops were deployed")
    window: int = 8
    context: frozenset[str] | None = None  # one of these words must be in the sentence
    not_context: frozenset[str] = frozenset()
    governs: str | None = None  # "irrealis": what follows is not told; "mention": told, but not the news
    need_cue: bool = False  # only with a weapon word nearby ("hit", "struck")
    form: str = "x"  # "base", "s", "ed", "ing" for verb forms, "n" for nouns, "x" for listed words


_Table = dict[str, tuple[_Rule, ...]]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _cvc(word: str) -> bool:
    vowels = "aeiou"
    return (
        len(word) >= 3
        and word[-1] not in vowels + "wxy"
        and word[-2] in vowels
        and word[-3] not in vowels
        and not (len(word) > 3 and word[-4] in vowels)
    )


_IRREGULAR: dict[str, tuple[str, ...]] = {
    "meet": ("met",),
    "send": ("sent",),
    "give": ("gave", "given"),
    "take": ("took", "taken"),
    "hold": ("held",),
    "shoot": ("shot",),
    "fight": ("fought",),
    "beat": ("beaten",),
    "strike": ("struck",),
    "seek": ("sought",),
    "withdraw": ("withdrew", "withdrawn"),
    "break": ("broke", "broken"),
    "forgive": ("forgave", "forgiven"),
    "freeze": ("froze", "frozen"),
    "slay": ("slew", "slain"),
    "blow": ("blew", "blown"),
    "undertake": ("undertook", "undertaken"),
    "lay": ("laid",),
    "speak": ("spoke", "spoken"),
    "throw": ("threw", "thrown"),
    "bring": ("brought",),
    "lead": ("led",),
    "stand": ("stood",),
    "draw": ("drew", "drawn"),
    "flee": ("fled",),
    "leave": ("left",),
    "go": ("went", "gone"),
    "make": ("made",),
    "put": (),
    "set": (),
    "hit": (),
    "cut": (),
    "quit": (),
    "let": (),
    "shut": (),
    "win": ("won",),
    "hang": ("hung",),
    "sell": ("sold",),
    "tell": ("told",),
    "rise": ("rose", "risen"),
    "overrun": ("overran",),
    "begin": ("began", "begun"),
    "sweep": ("swept",),
    "swear": ("swore", "sworn"),
}


def _verb_forms(lemma: str) -> set[str]:
    """Every inflection of a verb (regular rules, the irregular table; a few non-words are harmless)."""
    if " " in lemma:
        return {lemma}
    forms = {lemma, *_IRREGULAR.get(lemma, ())}
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma.endswith("e"):
        forms.add(lemma + "d")
        forms.add(lemma + "ing" if lemma.endswith(("ee", "ye", "oe")) else lemma[:-1] + "ing")
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms.update((lemma[:-1] + "ied", lemma + "ing"))
    else:
        forms.update((lemma + "ed", lemma + "ing"))
    if _cvc(lemma) or lemma.endswith(("el", "ol", "ap", "it", "op", "ab", "an", "am", "ag", "ip", "ob", "ub", "ut")):
        forms.update((lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"))
    if lemma.endswith("ize"):
        forms |= {form.replace("iz", "is") for form in forms}
    return forms


def _noun_forms(noun: str) -> set[str]:
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return {noun, noun + "es"}
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return {noun, noun[:-1] + "ies"}
    return {noun, noun + "s"}


# --- Word classes of the matcher: weapon cues, governors' modes, negation, tense ----------------


# Weapon words: the nearest one to an ASSAULT trigger names its mode.
_CUES: dict[str, str] = {}
for _mode, _cue_words in (
    (
        "missile",
        "missile missiles cruise ballistic iskander iskanders kalibr kinzhal atacms tomahawk hypersonic zircon "
        "kh-101 kh-22 s-300 scalp",
    ),
    ("drone", "drone drones uav uavs unmanned shahed shaheds geran lancet kamikaze loitering quadcopter fpv"),
    (
        "artillery",
        "artillery shell shells shelling mortar mortars rocket rockets mlrs grad himars howitzer howitzers cannon "
        "cannons tank tanks multiple-launch uragan smerch katyusha",
    ),
    (
        "air-strike",
        "airstrike airstrikes air-strike air-strikes warplane warplanes jet jets aircraft helicopter helicopters "
        "gunship gunships bomber bombers aerial glide airplane airplanes plane planes",
    ),
    (
        "shooting",
        "gun guns gunfire gunman gunmen rifle rifles pistol pistols firearm firearms bullet bullets sniper snipers "
        "machine-gun machine-guns kalashnikov kalashnikovs shotgun gunshot gunshots",
    ),
    (
        "explosive",
        "ied ieds explosive explosives landmine landmines suicide roadside grenade grenades booby-trap "
        "booby-trapped car-bomb detonated",
    ),
    ("primitive", "knife knives machete machetes axe axes stones rocks sword swords spears arrows"),
    ("beating", "batons baton clubs sticks fists"),
):
    _CUES.update(dict.fromkeys(_cue_words.split(), _mode))
del _mode, _cue_words

_AIR_FOLLOW = _words("strike strikes raid raids attack attacks assault bombardment bombing bombings")

# Governors' modes, read from the words of what they govern.
_REQUEST_MODE_WORDS: tuple[tuple[frozenset[str], str], ...] = (
    (
        _words(
            "release free freed lift lifting ease easing ceasefire cease-fire truce withdraw withdrawal pull stop "
            "halt end cease access allow return hand surrender disarm"
        ),
        "yield",
    ),
    (_words("talks negotiate negotiations meet meeting dialogue mediate mediation settle settlement summit"), "meet"),
    (
        _words(
            "aid help assistance weapons arms ammunition support supply supplies provide send give cooperation "
            "funding money loan invest troops asylum extradite extradition"
        ),
        "assist",
    ),
    (_words("resign resignation reform reforms elections election change policy constitution rights step"), "change"),
)
_THREAT_MODE_WORDS: tuple[tuple[frozenset[str], str], ...] = (
    (_words("occupy occupation annex annexation seize invade invasion territory"), "territory"),
    (_words("expel expulsion deport oust"), "expel"),
    (_words("arrest arrests jail imprison imprisonment detain prosecute prosecution prison"), "arrest"),
    (_words("ban outlaw"), "ban"),
    (_words("boycott embargo sanctions blockade curfew tariffs restrict restrictions"), "restrict"),
    (
        _words(
            "ties relations talks negotiations aid funding suspend halt cut sever withdraw quit resign walk downgrade"
        ),
        "relations",
    ),
    (
        _words(
            "attack attacks strike strikes force war kill bomb retaliate retaliation military nuclear destroy "
            "fire shoot invade punish revenge violence response consequences respond"
        ),
        "violence",
    ),
)
_GOVERNED_MODE = {
    ("THREATEN", "ASSAULT"): "violence",
    ("THREATEN", "MOBILIZE"): "violence",
    ("THREATEN", "PROTEST"): "relations",
    ("REQUEST", "CONSULT"): "meet",
    ("REQUEST", "AGREE"): "meet",
    ("REQUEST", "AID"): "assist",
    ("REQUEST", "COOPERATE"): "assist",
    ("REQUEST", "SUPPORT"): "assist",
    ("REQUEST", "RETREAT"): "yield",
    ("REQUEST", "CONCEDE"): "yield",
    ("REJECT", "CONSULT"): "meet",
    ("REJECT", "AGREE"): "meet",
    ("REJECT", "AID"): "assist",
    ("REJECT", "COOPERATE"): "assist",
    ("REJECT", "SUPPORT"): "assist",
    ("REJECT", "RETREAT"): "yield",
    ("REJECT", "CONCEDE"): "yield",
}
_THREAT_FROM_COERCE = {
    "arrest": "arrest",
    "ban": "ban",
    "censor": "ban",
    "curfew": "restrict",
    "martial-law": "restrict",
    "restrict": "restrict",
    "seize": "territory",
    "deport": "expel",
}

# A conflict act under a promise is a threat ("vowed to retaliate").
_CONFLICT = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "THREATEN"})
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"})

_NEGATORS = _words("not never no neither nor cannot without none")
_NEGATING_VERBS = _words("failed fail fails refrained refrain avoided avoid")
# Future and intention: a cooperative act announced for later is an AGREE (PLOVER: "all cooperative
# actions reported in future tense are also taken to imply intentions"), a conflict act a THREATEN.
_FUTURE = _words("will would 'll shall going plan plans planned planning intend intends intended prepared")
_SPECULATIVE = _words(
    "could can may might should if unless whether want wants wanted hope hopes hoped aim aims expected expect "
    "expects likely possible possibly potential potentially fear fears feared considering consider considers "
    "mulling proposed prospect prospects chance chances possibility idea toyed"
)
_SPEECH = _words(
    "said says say saying announced announces told tell stated declared warned warns vowed threatened insisted "
    "added confirmed reiterated"
)
_CONDITIONAL = _words("if unless")
_SPECULATIVE_AFTER = _words("could may might would")
_COPULAS = _words("is are was were has have had will would does do did isn't aren't wasn't weren't")
_BACKGROUND = _words("after following since amid despite during before ahead earlier previous when while because")
_RELATIVE = _words("who which where whom whose")
_ATTRIBUTION = _words("according")
# "continued to send arms": after these, an infinitive is a deed, not a purpose.
_REALIZING = _words(
    "continue continued continues continuing began begin begins start started starts starting resumed resume "
    "proceeded managed went moved"
)
_DETERMINERS = _words(
    "the a an their his her its our your my this that these those every each more much any some most such "
    "enough further additional new own for with without from in on into at by about against under of"
)
# After these a noun-or-verb form is a verb: "to grant", "will talk".
_VERB_CONTEXT = _words("to will would can could may might should must 'll shall")
_MONTH_NEIGHBOURS = _words("in on since early late mid last next until by from of this")
_STRONG_BREAKS = frozenset({".", ";", ":", "!", "?", "(", ")", "—", "–", '"', "“", "”"})
_BREAKS = _STRONG_BREAKS | {","}
# Words that open a new clause: a governor's reach ends there.
_CLAUSE_OPENERS = _words(
    "but while whereas although though because since after before when which who whom where as if unless until "
    "said says saying told"
)


# --- The lexicon --------------------------------------------------------------------------------

# The trigger lexicon is data (lexicon/triggers.toml, its format described at its top), so that it
# can be read and extended without touching this code. A user's own file, in the same format, is
# added after it: `[events] lexicon` in newsflow.toml, which the command line passes on to every
# process in this variable.
LEXICON_ENV = "NEWSFLOW_EVENTS__LEXICON"

_BUILTIN_FILE = ("lexicon", "triggers.toml")
_SET_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_FILE_KEYS = ("plural_nouns", "modifier_heads", "public_affairs", "sets", "objects", "trigger")
_TRIGGER_KEYS = ("words", "kind", "rule")
_OBJECT_KEYS = ("event_type", "mode", "words")
_RULE_KEYS = (
    "event_type",
    "mode",
    "weight",
    "tail",
    "gap",
    "prev",
    "not_prev",
    "not_next",
    "objects",
    "need_object",
    "before",
    "window",
    "context",
    "not_context",
    "governs",
    "need_cue",
)
_KINDS = ("v", "n", "x")
_GOVERNS = ("irrealis", "mention")


class Lexicon:
    """Trigger words and their rules, with the tables the pre-check reads: built once, then shared
    by every sentence an extractor reads.

    Attributes:
        rules: the rules of each trigger word (lower case), in the order they are tried.
        digest: the first eight hex digits of the SHA-1 of the user's file added to the built-in
            lexicon; None for the built-in lexicon alone.
    """

    __slots__ = ("alone", "digest", "heads", "modifier_heads", "needs", "needy", "public_affairs", "rules")

    rules: _Table
    digest: str | None
    modifier_heads: frozenset[str]  # after one of these, a trigger noun names a kind of thing ("aid workers")
    public_affairs: frozenset[str]  # words of politics, conflict and crime
    heads: frozenset[str]
    alone: frozenset[str]  # heads with a rule that can match on the head alone
    needs: dict[str, tuple[tuple[frozenset[str], ...], ...]]  # for the other heads, what else each rule needs
    needy: frozenset[str]

    def __init__(
        self,
        rules: _Table,
        digest: str | None = None,
        modifier_heads: frozenset[str] = frozenset(),
        public_affairs: frozenset[str] = frozenset(),
    ) -> None:
        self.rules = rules
        self.digest = digest
        self.modifier_heads = modifier_heads
        self.public_affairs = public_affairs
        self.heads = frozenset(rules)
        alone: set[str] = set()
        needs: dict[str, list[tuple[frozenset[str], ...]]] = {}
        for head, head_rules in rules.items():
            for rule in head_rules:
                rule_needs = _needs(rule)
                if rule_needs:
                    needs.setdefault(head, []).append(rule_needs)
                else:
                    alone.add(head)
        self.alone = frozenset(alone)
        self.needs = {head: tuple(sets) for head, sets in needs.items() if head not in alone}
        self.needy = frozenset(self.needs)


class _LexiconError(Exception):
    """A mistake in a lexicon file, at `where` (the path of the key: trigger[3].rule[1].mode)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


@dataclass(slots=True)
class _Names:
    """What the word lists and objects of a lexicon file may name, and its lists of single words."""

    sets: dict[str, frozenset[str]]
    objects: dict[str, _Objects]
    plural_nouns: frozenset[str]
    modifier_heads: frozenset[str] = frozenset()
    public_affairs: frozenset[str] = frozenset()


def _word_list(value: object, where: str, sets: dict[str, frozenset[str]]) -> frozenset[str]:
    """The words of a word list: its words, and every word of each set it names in capitals."""
    if not isinstance(value, str) or not value.split():
        raise _LexiconError(where, "must be a string of words")
    words: set[str] = set()
    for item in value.split():
        if _SET_NAME.fullmatch(item):
            if item not in sets:
                raise _LexiconError(where, f"no set named {item!r} (a set is named after it is defined)")
            words |= sets[item]
        elif item != item.lower():
            raise _LexiconError(where, f"{item!r} is neither lower case nor the name of a set")
        else:
            words.add(item)
    return frozenset(words)


def _checked_type(value: object, where: str) -> str:
    if value not in EVENT_TYPES:
        raise _LexiconError(where, f"{value!r} is not an event type ({', '.join(EVENT_TYPES)})")
    return str(value)


def _checked_mode(table: dict[str, object], event_type: str, where: str) -> str | None:
    mode = table.get("mode")
    if mode is not None and mode not in EVENT_MODES[event_type]:
        known = ", ".join(EVENT_MODES[event_type]) or "none"
        raise _LexiconError(f"{where}.mode", f"{mode!r} is not a mode of {event_type} ({known})")
    return None if mode is None else str(mode)


def _table(value: object, where: str, keys: tuple[str, ...]) -> dict[str, object]:
    if not isinstance(value, dict):
        raise _LexiconError(where, "must be a table")
    for key in value:
        if key not in keys:
            raise _LexiconError(f"{where}.{key}" if where else key, f"unknown key (known: {', '.join(keys)})")
    return value


def _objects(value: object, where: str, names: _Names) -> _Objects:
    """An object list: { event_type, mode, words } tables and names of [objects] lists, or one name."""
    if isinstance(value, str):
        if value not in names.objects:
            raise _LexiconError(where, f"no object list named {value!r} (a list is named after it is defined)")
        return names.objects[value]
    if not isinstance(value, list) or not value:
        raise _LexiconError(where, "must be a list of objects or the name of an object list")
    objects: list[tuple[frozenset[str], str, str | None]] = []
    for number, entry in enumerate(value, 1):
        here = f"{where}[{number}]"
        if isinstance(entry, str):
            objects.extend(_objects(entry, here, names))
            continue
        table = _table(entry, here, _OBJECT_KEYS)
        event_type = _checked_type(table.get("event_type"), f"{here}.event_type")
        mode = _checked_mode(table, event_type, here)
        objects.append((_word_list(table.get("words"), f"{here}.words", names.sets), event_type, mode))
    return tuple(objects)


def _count(table: dict[str, object], key: str, default: int, where: str) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _LexiconError(f"{where}.{key}", "must be a whole number, 0 or more")
    return value


def _flag(table: dict[str, object], key: str, where: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise _LexiconError(f"{where}.{key}", "must be true or false")
    return value


def _rule_of(value: object, where: str, names: _Names) -> _Rule:
    table = _table(value, where, _RULE_KEYS)
    governs = table.get("governs")
    if governs is not None and governs not in _GOVERNS:
        raise _LexiconError(f"{where}.governs", f"must be {' or '.join(map(repr, _GOVERNS))}")
    event_type: str | None = None
    mode: str | None = None
    if "event_type" in table:
        event_type = _checked_type(table["event_type"], f"{where}.event_type")
        mode = _checked_mode(table, event_type, where)
    elif governs is None:
        raise _LexiconError(f"{where}.event_type", "missing (only a rule that governs may leave it out)")
    elif "mode" in table:
        raise _LexiconError(f"{where}.mode", "a rule without an event_type has no mode")
    if "weight" not in table:
        raise _LexiconError(f"{where}.weight", "missing: a number from 0 to 1")
    weight = table["weight"]
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
        raise _LexiconError(f"{where}.weight", "must be a number from 0 to 1")

    def words(key: str) -> frozenset[str] | None:
        return _word_list(table[key], f"{where}.{key}", names.sets) if key in table else None

    tail = table.get("tail", [])
    if not isinstance(tail, list):
        raise _LexiconError(f"{where}.tail", 'must be a list of word lists, one a position: ["to", "death"]')
    return _Rule(
        event_type,
        mode,
        float(weight),
        tail=tuple(_word_list(part, f"{where}.tail[{k}]", names.sets) for k, part in enumerate(tail, 1)),
        gap=_count(table, "gap", 0, where),
        prev=words("prev"),
        not_prev=words("not_prev") or frozenset(),
        not_next=words("not_next") or frozenset(),
        objects=_objects(table["objects"], f"{where}.objects", names) if "objects" in table else (),
        need_object=_flag(table, "need_object", where),
        before=_flag(table, "before", where),
        window=_count(table, "window", 8, where),
        context=words("context"),
        not_context=words("not_context") or frozenset(),
        governs=None if governs is None else str(governs),
        need_cue=_flag(table, "need_cue", where),
    )


def _add(
    table: dict[str, list[_Rule]], words: str, kind: str, rules: list[_Rule], plural_nouns: frozenset[str]
) -> None:
    """Every form of each word gets the rules, tagged with the form they were read as."""
    for lemma in words.split():
        forms = _verb_forms(lemma) - plural_nouns if kind == "v" else _noun_forms(lemma) if kind == "n" else {lemma}
        for form in forms:
            bucket = table.setdefault(form, [])
            tag = "ing" if kind == "x" and form.endswith("ing") else kind
            if kind == "v":
                tag = (
                    "base"
                    if form == lemma
                    else "ing"
                    if form.endswith("ing")
                    else "s"
                    if form.endswith("s") and not form.endswith("ed")
                    else "ed"
                )
            for rule in rules:
                bucket.append(replace(rule, form=tag))


def _read(text: str, names: _Names, table: dict[str, list[_Rule]]) -> None:
    """Add a lexicon file's sets and object lists to `names` and its triggers to `table`, in order."""
    data = _table(tomllib.loads(text), "", _FILE_KEYS)
    if "plural_nouns" in data:
        names.plural_nouns |= _word_list(data["plural_nouns"], "plural_nouns", {})
    if "modifier_heads" in data:
        names.modifier_heads |= _word_list(data["modifier_heads"], "modifier_heads", {})
    if "public_affairs" in data:
        names.public_affairs |= _word_list(data["public_affairs"], "public_affairs", {})
    for section, defined in (("sets", names.sets), ("objects", names.objects)):
        entries = data.get(section, {})
        if not isinstance(entries, dict):
            raise _LexiconError(section, f"must be a table: [{section}]")
        for name, value in entries.items():
            where = f"{section}.{name}"
            if not _SET_NAME.fullmatch(name):
                raise _LexiconError(where, "a name is in capitals: letters, digits and _")
            if name in defined:
                raise _LexiconError(where, "is defined already (by the built-in lexicon, or above)")
            if section == "sets":
                names.sets[name] = _word_list(value, where, names.sets)
            else:
                names.objects[name] = _objects(value, where, names)
    triggers = data.get("trigger", [])
    if not isinstance(triggers, list):
        raise _LexiconError("trigger", "must be an array of tables: [[trigger]]")
    for number, value in enumerate(triggers, 1):
        words = value.get("words") if isinstance(value, dict) else None
        where = f"trigger[{number}]" + (f" ({words!r})" if isinstance(words, str) else "")
        trigger = _table(value, where, _TRIGGER_KEYS)
        if not isinstance(words, str) or not words.split():
            raise _LexiconError(f"{where}.words", "must be a string of words")
        for word in words.split():
            if not _TOKEN.fullmatch(word):
                raise _LexiconError(f"{where}.words", f"{word!r} is not one lower-case word as sentences are split")
        kind = trigger.get("kind")
        if kind not in _KINDS:
            raise _LexiconError(f"{where}.kind", 'must be "v" (a verb, all its forms), "n" (a noun) or "x" (exactly)')
        rules = trigger.get("rule")
        if not isinstance(rules, list) or not rules:
            raise _LexiconError(f"{where}.rule", "missing: a trigger has one or more [[trigger.rule]] tables")
        built = [_rule_of(rule, f"{where}.rule[{k}]", names) for k, rule in enumerate(rules, 1)]
        _add(table, words, str(kind), built, names.plural_nouns)


def _parse(name: str, text: str, names: _Names, table: dict[str, list[_Rule]]) -> None:
    try:
        _read(text, names, table)
    except tomllib.TOMLDecodeError as exc:
        raise TerminalError(f"lexicon {name} is not valid TOML: {exc}") from exc
    except _LexiconError as exc:
        raise TerminalError(f"invalid lexicon {name}: {exc}") from exc


@cache
def _builtin() -> tuple[Lexicon, _Names]:
    names = _Names({}, {}, frozenset())
    table: dict[str, list[_Rule]] = {}
    data = resources.files("extractors.events").joinpath(*_BUILTIN_FILE)
    _parse("/".join(_BUILTIN_FILE), data.read_text("utf-8"), names, table)
    rules = {form: tuple(form_rules) for form, form_rules in table.items()}
    return Lexicon(rules, None, names.modifier_heads, names.public_affairs), names


def builtin_lexicon() -> Lexicon:
    """The lexicon newsflow ships (lexicon/triggers.toml), read once per process."""
    return _builtin()[0]


def _lexicon() -> _Table:
    """Trigger words and their rules, keyed by the first word (lower case): the built-in lexicon's."""
    return builtin_lexicon().rules


def load_lexicon(path: str | Path) -> Lexicon:
    """The built-in lexicon with the triggers of a user's file added after its own.

    The file has the format of lexicon/triggers.toml; its sets and object lists may name the
    built-in ones. A file of the same content is read once per process.

    Args:
        path: the TOML file.

    Returns:
        The lexicon, whose `digest` tells the file's content apart.

    Raises:
        TerminalError: the file cannot be read, is not TOML, or has a mistake; the message names
            the file and the key.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TerminalError(f"cannot read lexicon {path}: {exc.strerror or exc}") from exc
    return _with_file(str(path), data)


@cache
def _with_file(name: str, data: bytes) -> Lexicon:
    builtin, known = _builtin()
    names = _Names(
        dict(known.sets), dict(known.objects), known.plural_nouns, known.modifier_heads, known.public_affairs
    )
    table = {form: list(rules) for form, rules in builtin.rules.items()}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TerminalError(f"lexicon {name} is not UTF-8 text: {exc}") from exc
    _parse(name, text, names, table)
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()[:8]
    rules = {form: tuple(form_rules) for form, form_rules in table.items()}
    return Lexicon(rules, digest, names.modifier_heads, names.public_affairs)


def lexicon_from_environment() -> Lexicon | None:
    """The built-in lexicon with the file `$NEWSFLOW_EVENTS__LEXICON` names added, or None when the
    variable is not set (the built-in lexicon alone, `builtin_lexicon`).

    Raises:
        TerminalError: as `load_lexicon`.
    """
    path = os.environ.get(LEXICON_ENV, "").strip()
    return load_lexicon(path) if path else None


# --- Matching -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:['-][a-z0-9]+)*|\d+(?:[.,]\d+)*|[.;:!?()\"“”,–—]")
_MIN_CONFIDENCE = 0.3


@dataclass(slots=True)
class _Candidate:
    index: int  # first token of the trigger
    last: int  # last token of the trigger (tail included)
    event_type: str | None
    mode: str | None
    weight: float
    rule: _Rule
    consumed: tuple[int, int]  # tokens the trigger and its object take up; other triggers there are part of it
    flipped: bool = False  # a negated promise read as a refusal


def _scan(tokens: list[str], start: int, step: int, limit: int, breaks: frozenset[str]) -> Iterable[int]:
    """Indices from start in one direction, up to limit tokens, stopping at a clause break."""
    index = start
    for _ in range(limit):
        if index < 0 or index >= len(tokens) or tokens[index] in breaks:
            return
        yield index
        index += step


def _find_object(tokens: list[str], rule: _Rule, first: int, last: int) -> tuple[int, str, str | None] | None:
    for index in _scan(tokens, first + 1, 1, rule.window + last - first, _BREAKS):
        word = tokens[index]
        for words, event_type, mode in rule.objects:
            if word in words:
                return index, event_type, mode
    if rule.before:
        for index in _scan(tokens, first - 1, -1, rule.window, _BREAKS):
            word = tokens[index]
            for words, event_type, mode in rule.objects:
                if word in words:
                    return index, event_type, mode
    return None


def _match_tail(tokens: list[str], rule: _Rule, index: int) -> int | None:
    """Index of the tail's last word, or None when the tail is not there."""
    if not rule.tail:
        return index
    for skip in range(rule.gap + 1):
        position = index + 1 + skip
        if position + len(rule.tail) > len(tokens):
            return None
        if all(tokens[position + k] in words for k, words in enumerate(rule.tail)):
            return position + len(rule.tail) - 1
        if tokens[position] in _STRONG_BREAKS:
            return None
    return None


def _weapon_cue(tokens: list[str], index: int, last: int) -> str | None:
    """The mode named by the weapon word nearest the trigger, within eight words either side."""
    for distance in range(1, 9):
        for position in (index - distance, last + distance):
            if 0 <= position < len(tokens):
                word = tokens[position]
                mode = _CUES.get(word)
                if mode is not None:
                    return mode
                if word == "air" and position + 1 < len(tokens) and tokens[position + 1] in _AIR_FOLLOW:
                    return "air-strike"
                if word in ("bomb", "bombs") and position > 0 and tokens[position - 1] in ("glide", "guided", "aerial"):
                    return "air-strike"
    return None


def _is_month(tokens: list[str], index: int) -> bool:
    before = tokens[index - 1] if index > 0 else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    return before in _MONTH_NEIGHBOURS or before[:1].isdigit() or after[:1].isdigit()


def _candidates(tokens: list[str], vocabulary: frozenset[str], lexicon: Lexicon) -> list[_Candidate]:
    table = lexicon.rules
    found: list[_Candidate] = []
    heads = vocabulary & lexicon.heads
    for index in [index for index, token in enumerate(tokens) if token in heads]:
        token = tokens[index]
        rules = table[token]
        if token == "march" and _is_month(tokens, index):
            continue
        before = tokens[max(0, index - 2) : index]
        previous = before[-1] if before else ""
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        for rule in rules:
            # "the attack", "their demands": a verb's base or -s form after a determiner is the noun
            if rule.form in ("base", "s", "ed") and (previous in _DETERMINERS or previous.endswith(("'s", "s'"))):
                continue
            if rule.form == "n" and previous in _VERB_CONTEXT:
                continue  # "to protest": a verb
            if rule.form in ("n", "x") and following in lexicon.modifier_heads:
                continue  # "aid workers", "the protest movement": a kind of people or thing, no act
            if rule.prev is not None and not any(word in rule.prev for word in before):
                continue
            if previous in rule.not_prev or following in rule.not_next:
                continue
            if rule.context is not None and rule.context.isdisjoint(vocabulary):
                continue
            if rule.not_context and not rule.not_context.isdisjoint(vocabulary):
                continue
            last = _match_tail(tokens, rule, index)
            if last is None:
                continue
            event_type, mode, weight = rule.event_type, rule.mode, rule.weight
            consumed = (index, last)
            if rule.objects:
                hit = _find_object(tokens, rule, index, last)
                if hit is None:
                    if rule.need_object:
                        continue
                else:
                    position, event_type, mode = hit
                    if position > index:
                        end = position
                        # "the ban on protests": what follows "on" or "of" belongs to the object too
                        if position + 1 < len(tokens) and tokens[position + 1] in ("on", "of", "against", "over"):
                            end = min(len(tokens) - 1, position + 3)
                        consumed = (index, max(end, last))
                    else:
                        consumed = (position, last)
                        weight *= 0.85  # passives and participles ("the agreement signed in March")
            if rule.need_cue and _weapon_cue(tokens, index, last) is None:
                continue
            found.append(_Candidate(index, last, event_type, mode, weight, rule, consumed))
            break
    return found


def _clause_start(tokens: list[str], index: int, limit: int, breaks: frozenset[str] = _STRONG_BREAKS) -> int:
    start = index
    for _ in range(limit):
        if start == 0 or tokens[start - 1] in breaks:
            break
        start -= 1
    return start


def _negated(tokens: list[str], index: int) -> bool:
    for position in range(index - 1, _clause_start(tokens, index, 3) - 1, -1):
        word = tokens[position]
        if word in _NEGATORS or word.endswith("n't") or word in _NEGATING_VERBS:
            # "not only" does not negate the trigger
            return not (position + 1 < len(tokens) and tokens[position + 1] == "only")
    return False


def _denied_after(tokens: list[str], last: int) -> bool:
    """A noun denied after it: "negotiations are not on the table"."""
    after = tokens[last + 1 : last + 4]
    return bool(after) and after[0] in _COPULAS and any(word in _NEGATORS or word.endswith("n't") for word in after)


def _near(tokens: list[str], index: int, words: frozenset[str], limit: int, breaks: frozenset[str] = _BREAKS) -> bool:
    return any(tokens[position] in words for position in range(_clause_start(tokens, index, limit, breaks), index))


def _governed_span(tokens: list[str], last: int) -> int:
    """Last token a governor reaches: to the end of its clause, fourteen words at most."""
    end = last
    for position in range(last + 1, min(len(tokens), last + 15)):
        word = tokens[position]
        if word in _BREAKS or (word in _CLAUSE_OPENERS and position > last + 1):
            break
        end = position
    return end


def _derived_mode(event_type: str, governed: Iterable[_Candidate]) -> str | None:
    """A governor's mode from the events it governs ("threatened to attack": violence)."""
    for candidate in governed:
        if candidate.event_type is None:
            continue
        mode = _GOVERNED_MODE.get((event_type, candidate.event_type))
        if mode is not None:
            return mode
        if event_type == "THREATEN" and candidate.event_type == "COERCE" and candidate.mode is not None:
            return _THREAT_FROM_COERCE.get(candidate.mode, "restrict")
        if event_type == "THREATEN" and candidate.event_type == "SANCTION":
            return "expel" if candidate.mode == "expel" else "restrict" if candidate.mode == "sever" else "relations"
    return None


def _worded_mode(event_type: str, tokens: list[str], first: int, last: int) -> str | None:
    """A governor's mode from the words of its complement ("demanded the release of"): yield."""
    if event_type not in ("THREATEN", "REQUEST", "REJECT"):
        return None
    table = _THREAT_MODE_WORDS if event_type == "THREATEN" else _REQUEST_MODE_WORDS
    for position in range(first, last + 1):
        for words, mode in table:
            if tokens[position] in words:
                return mode
    return None


_PASSIVE = _words("was were been being be is are got get")
_RIOTERS = _words("rioters protesters protestors demonstrators mob crowd crowds marchers")
_PROMISES = ("vow", "pledg", "promis", "swor", "swear", "ready", "prepared", "willing")


def _swallowed(candidate: _Candidate, found: list[_Candidate]) -> bool:
    """A trigger inside another's object ("lifted the curfew") is part of that event, not its own."""
    for other in found:
        if other is candidate or not other.consumed[0] <= candidate.index <= other.consumed[1]:
            continue
        mutual = candidate.consumed[0] <= other.index <= candidate.consumed[1]
        if not mutual or other.weight > candidate.weight:
            return True
    return False


def _resolve(tokens: list[str], found: list[_Candidate]) -> list[_Candidate]:
    """Apply context: objects swallow the triggers they hold, governors their complements, negation."""
    kept = [candidate for candidate in found if not _swallowed(candidate, found)]
    result: list[_Candidate] = []
    dropped: set[int] = set()
    for position, candidate in enumerate(kept):
        # A governed trigger still governs its own complement ("offered to hand over men suspected of
        # bombing"): it is left out of the result below, not skipped here.
        untold = id(candidate) in dropped
        rule = candidate.rule
        negated = _negated(tokens, candidate.index) or (
            rule.form in ("n", "x", "ing") and _denied_after(tokens, candidate.last)
        )
        if rule.governs is not None:
            end = _governed_span(tokens, candidate.last)
            governed = [other for other in kept[position + 1 :] if candidate.last < other.index <= end]
            if rule.governs == "irrealis":
                # Even a negated governor keeps its complement untold ("did not rule out a strike").
                dropped.update(id(other) for other in governed)
                if candidate.event_type is not None and not negated:
                    kinds = {other.event_type for other in governed}
                    if (
                        candidate.event_type == "AGREE"
                        and tokens[candidate.index].startswith(_PROMISES)
                        and kinds & _CONFLICT
                        and not kinds & _COOPERATIVE
                    ):
                        candidate.event_type = "THREATEN"
                    candidate.mode = (
                        candidate.mode
                        or _derived_mode(candidate.event_type, governed)
                        or _worded_mode(candidate.event_type, tokens, candidate.last + 1, end)
                    )
            elif not negated:
                for other in governed:
                    other.weight *= 0.6
                if candidate.event_type == "THREATEN":
                    # "warned it would strike" threatens; "warned that attacks have increased" reports.
                    if _FUTURE.isdisjoint(tokens[candidate.last + 1 : end + 1]):
                        candidate.weight = min(candidate.weight, 0.25)
                    candidate.mode = _derived_mode("THREATEN", governed) or _worded_mode(
                        "THREATEN", tokens, candidate.last + 1, end
                    )
        if candidate.event_type is None or untold:
            continue
        if (
            candidate.event_type == "ASSAULT"
            and candidate.mode in (None, "primitive", "destroy", "beating")
            and not _RIOTERS.isdisjoint(tokens[max(0, candidate.index - 4) : candidate.index])
            and _PASSIVE.isdisjoint(tokens[max(0, candidate.index - 3) : candidate.index])
        ):
            candidate.event_type, candidate.mode = "PROTEST", "riot"  # "rioters torched cars"
        if negated:
            # "did not agree", "would not meet": a refusal. Any other negated event was not told.
            future = _near(tokens, candidate.index, _FUTURE, 5)
            if candidate.event_type not in ("AGREE", "SUPPORT") and not (
                future and candidate.event_type in _COOPERATIVE
            ):
                continue
            candidate.event_type, candidate.weight, candidate.flipped = "REJECT", candidate.weight * 0.8, True
            candidate.mode = _GOVERNED_MODE.get(("REJECT", rule.event_type or ""))
        result.append(candidate)
    return result


def _confidence(tokens: list[str], candidate: _Candidate, first: int, vocabulary: frozenset[str]) -> float:
    weight = candidate.weight
    index = candidate.index
    if (
        candidate.rule.form == "base"
        and not candidate.flipped
        and index > 0
        and tokens[index - 1] == "to"
        and not (index > 1 and tokens[index - 2] in _REALIZING)
    ):
        weight *= 0.4  # "to strike Russia in depth": a purpose or a wish, not an event
    # The words before the trigger in its clause, nearest last; each cue looks back its own distance.
    before = tokens[_clause_start(tokens, index, 10, _BREAKS) : index]
    conditional = not _CONDITIONAL.isdisjoint(vocabulary)
    if not candidate.flipped and not _FUTURE.isdisjoint(before[-5:]):
        reported = conditional or not _SPEECH.isdisjoint(vocabulary)
        if candidate.event_type in ("AGREE", "THREATEN", "REQUEST", "REJECT"):
            pass  # already a statement of intent
        elif "unless" in vocabulary and candidate.event_type in _COOPERATIVE | _CONFLICT:
            # "will withdraw its peacekeepers unless ...": an ultimatum
            candidate.event_type, candidate.mode = "THREATEN", "relations"
            weight *= 0.85
        elif candidate.event_type in _COOPERATIVE:
            candidate.event_type, candidate.mode = "AGREE", None
            weight *= 0.85
        elif reported and candidate.event_type in _CONFLICT | {"PROTEST"}:
            governed_type = candidate.event_type
            candidate.event_type = "THREATEN"
            candidate.mode = _derived_mode("THREATEN", [_with_type(candidate, governed_type)])
            weight *= 0.85
        else:
            weight *= 0.6
    elif (
        conditional
        and candidate.event_type in _CONFLICT
        and not _SPEECH.isdisjoint(vocabulary)
        and not {"may", "might", "could"}.isdisjoint(before[-5:])
    ):
        # "may halt mediation if cooperation founders, the minister said": a conditional threat
        governed_type = candidate.event_type or ""
        candidate.event_type = "THREATEN"
        candidate.mode = _derived_mode("THREATEN", [_with_type(candidate, governed_type)])
        weight *= 0.8
    elif not _SPECULATIVE.isdisjoint(before[-8:]) or (
        candidate.rule.form in ("n", "x") and not _SPECULATIVE_AFTER.isdisjoint(tokens[index + 1 : index + 4])
    ):
        weight *= 0.4  # "could strike", "sanctions could be on the table": not (yet) an event
    if not _BACKGROUND.isdisjoint(before):
        # "before the Russian offensive": a noun there dates the sentence; it is not its news
        weight *= 0.6 if candidate.rule.form in ("n", "x") else 0.8
    if not _RELATIVE.isdisjoint(before):
        weight *= 0.75
    if candidate.rule.form == "ing" and index > first:
        weight *= 0.75  # "blocked roads, demanding ...": the participle tells the circumstance
    if not _ATTRIBUTION.isdisjoint(before[-4:]):
        weight *= 0.4
    return round(min(1.0, max(0.0, weight)), 3)


def _with_type(candidate: _Candidate, event_type: str) -> _Candidate:
    return _Candidate(
        candidate.index,
        candidate.last,
        event_type,
        candidate.mode,
        candidate.weight,
        candidate.rule,
        candidate.consumed,
    )


def _merge(matches: list[tuple[_Candidate, float]]) -> list[tuple[_Candidate, float]]:
    """One event per type and neighbourhood: "provided military aid" is one AID, not two."""
    merged: list[tuple[_Candidate, float]] = []
    for candidate, confidence in matches:
        if merged:
            previous, previous_confidence = merged[-1]
            if previous.event_type == candidate.event_type and candidate.index - previous.last <= 3:
                keep, other = (previous, candidate) if previous_confidence >= confidence else (candidate, previous)
                keep.mode = keep.mode or other.mode
                merged[-1] = (keep, max(confidence, previous_confidence))
                continue
        merged.append((candidate, confidence))
    return merged


def _lowered(sentence: str) -> str:
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # a few characters change length when lowered; keep offsets true
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in sentence)
    return lowered.replace("’", "'")


def _needs(rule: _Rule) -> tuple[frozenset[str], ...]:
    """Word sets that must all meet the sentence for the rule to have a chance (its tail, object, cue...)."""
    needs = list(rule.tail)
    if rule.need_object:
        needs.append(frozenset().union(*(words for words, _, _ in rule.objects)))
    if rule.need_cue:
        needs.append(frozenset(_CUES) | {"air", "bomb", "bombs"})
    if rule.context is not None:
        needs.append(rule.context)
    if rule.prev is not None:
        needs.append(rule.prev)
    return tuple(needs)


def _worth_reading(vocabulary: frozenset[str], lexicon: Lexicon) -> bool:
    """Whether a rule could match: "state" only matters before "of emergency", "provide" with
    something provided, "hit" near a weapon. Most sentences are dropped here by a few set
    operations, before any rule is tried."""
    if not lexicon.alone.isdisjoint(vocabulary):
        return True
    needs = lexicon.needs
    # Plain loops: two nested generators cost more than the set operations they run, on most sentences.
    for head in vocabulary & lexicon.needy:
        for rule_needs in needs[head]:
            for words in rule_needs:
                if words.isdisjoint(vocabulary):
                    break
            else:
                return True
    return False


def _spans(lowered: str, tokens: list[str], last: int) -> list[tuple[int, int]]:
    """Character offsets of the tokens up to the last one needed (offsets only for what is returned).

    Every letter, digit and kept punctuation mark belongs to a token, so each token is the next
    occurrence of its text: str.find walks them faster than a second regex pass.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for token in tokens[: last + 1]:
        start = lowered.find(token, position)
        position = start + len(token)
        spans.append((start, position))
    return spans


def _matches(sentence: str, lexicon: Lexicon) -> list[TypeMatch]:
    lowered = _lowered(sentence)
    tokens: list[str] = _TOKEN.findall(lowered)
    vocabulary = frozenset(tokens)
    if not _worth_reading(vocabulary, lexicon):
        return []
    found = _candidates(tokens, vocabulary, lexicon)
    if not found:
        return []
    resolved = _resolve(tokens, found)
    if not resolved:
        return []
    first = resolved[0].index
    scored = [(candidate, _confidence(tokens, candidate, first, vocabulary)) for candidate in resolved]
    spans = _spans(lowered, tokens, max(candidate.last for candidate, _ in scored))
    out: list[TypeMatch] = []
    quoted: list[tuple[int, int]] | None = None
    for candidate, confidence in _merge(scored):
        if candidate.event_type is None:
            continue
        mode = candidate.mode
        if candidate.event_type == "ASSAULT" and mode is None:
            mode = _weapon_cue(tokens, candidate.index, candidate.last)
        start, end = spans[candidate.index][0], spans[candidate.last][1]
        if sentence[start].isupper() and _in_name(sentence, start, end):
            continue
        if quoted is None:
            quoted = _scare_quotes(sentence)
        if any(low <= start and end <= high for low, high in quoted):
            continue
        out.append(TypeMatch(candidate.event_type, mode, sentence[start:end], start, end, confidence))
    return out


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A short quotation: "an MP ‘taken hostage’", "reported as 'anti-immigration protests'".
_SHORT_QUOTE = re.compile(r"(?<!\w)[“\"‘'](?=\w)(?P<inner>[^“”\"‘’\n]{1,60}?)(?<=[\w.!?,])[”\"’'](?!\w)")
_QUOTE_MAX_WORDS = 4
_COUNTING = _words("dozens hundreds thousands millions scores tens")
# Before these a quotation gives someone's own words, which may well tell an act: "vowed to 'punish'".
_QUOTING = _words(
    "said says say saying vowed vows vow threatened threatens promised promises pledged warned expressed to"
)


def _in_name(sentence: str, start: int, end: int) -> bool:
    """Whether a capitalised trigger is part of a name inside the sentence ("Boston Consulting
    Group", "the Strike Force"), not a headline's capitals or the sentence's first word."""
    if start == 0 or not sentence[:start].strip(" “\"‘'([").strip():
        return False
    words = _WORD.findall(sentence)
    if len(words) >= 3 and sum(w[0].islower() for w in words) <= max(1, len(words) // 4):
        return False  # a headline in title case: its words have capitals, but for a few short ones
    before = _WORD.findall(sentence, 0, start)
    after = _WORD.match(sentence, end + 1) if sentence[end : end + 1] == " " else None
    named_before = len(before) >= 2 and before[-1][0].isupper() and sentence[:start].rstrip().endswith(before[-1])
    return named_before or (after is not None and after.group()[0].isupper())


def _scare_quotes(sentence: str) -> list[tuple[int, int]]:
    """Spans of short quotations that label or mock rather than report: a trigger inside one tells
    no event ("an MP ‘taken hostage’ in the ceremony", "a 'war' on cheap flights")."""
    spans: list[tuple[int, int]] = []
    for match in _SHORT_QUOTE.finditer(sentence):
        inner = match.group("inner").lower().split()
        if (
            len(inner) > _QUOTE_MAX_WORDS
            or not _COPULAS.isdisjoint(inner)
            or not _COUNTING.isdisjoint(inner)
            or any(word[0].isdigit() for word in inner)
        ):
            continue  # a quoted clause ("arrests are ongoing") or count ("2,521 shooting incidents") reports
        lead = _WORD.findall(sentence, max(0, match.start() - 40), match.start())[-3:]
        if _QUOTING.isdisjoint(word.lower() for word in lead):
            spans.append(match.span())
    return spans


def classify_all(sentence: str, *, lexicon: Lexicon | None = None) -> list[TypeMatch]:
    """Every PLOVER event the sentence tells, in text order.

    Negated events ("did not attack") and events only threatened, demanded, promised, refused or
    denied ("threatened to attack") are left out: the governing act is the event. Events a
    condemnation or protest refers to are kept, with lower confidence. A cooperative act announced
    for the future is an AGREE, a conflict act announced for the future a THREATEN (PLOVER's rules).

    Args:
        sentence: one sentence (a headline or a clause also works).
        lexicon: the triggers to read it with; the built-in lexicon when None.

    Returns:
        The matches, possibly empty; each with its type, mode, trigger span and confidence.
    """
    return _matches(sentence, builtin_lexicon() if lexicon is None else lexicon)


def classify_sentence(sentence: str, *, lexicon: Lexicon | None = None) -> TypeMatch | None:
    """The main PLOVER event of a sentence: the most confident match, the earliest on a tie.

    Args:
        sentence: one sentence.
        lexicon: the triggers to read it with; the built-in lexicon when None.

    Returns:
        The match, or None when the sentence tells no PLOVER event (a description, a figure, a
        comment) or only weak, hypothetical ones (confidence below 0.3).
    """
    best: TypeMatch | None = None
    for match in _matches(sentence, builtin_lexicon() if lexicon is None else lexicon):
        if best is None or match.confidence > best.confidence:
            best = match
    if best is None or best.confidence < _MIN_CONFIDENCE:
        return None
    return best
