"""PLOVER event type and mode of a sentence (POLECAT's names), from trigger words and their context."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

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


_Lexicon = dict[str, tuple[_Rule, ...]]


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


# --- Word classes: objects, cues, context ------------------------------------------------------

_TROOPS = _words(
    "troops troop soldiers soldier forces units unit battalion battalions brigade brigades regiment regiments "
    "division divisions personnel servicemen servicemembers reservists conscripts marines paratroopers fighters "
    "militia militias army armies contingent contingents mercenaries commandos men recruits reinforcements "
    "warriors infantry"
)
_ARMAMENT = _words(
    "missiles missile warships warship ships vessels navy tanks tank jets jet aircraft warplanes bombers submarines "
    "submarine carrier carriers weapons weapon nuclear warheads artillery launchers batteries drones rockets "
    "armour armor howitzers"
)
_POLICE = _words("police policemen gendarmes gendarmerie riot security guards guardsmen officers")
_ARMS = (
    _words(
        "weapons weapon arms ammunition munitions ammo missiles missile rockets shells artillery tanks tank jets "
        "fighter aircraft drones howitzers equipment hardware vehicles launchers himars patriot patriots atacms "
        "military lethal defence defense air-defence air-defense interceptors armoured armored rifles guns"
    )
    | _TROOPS
)
_MONEY = _words(
    "money funds funding fund loan loans grant grants credit credits cash dollars euros pounds yen million "
    "billion trillion financing financial economic budget budgetary"
)
_RELIEF = _words(
    "food medicine medicines medical blankets tents shelter vaccines fuel generators clothing humanitarian relief "
    "water rations"
)
_ASYLUM = _words("asylum refuge sanctuary")
_CAPTIVES = _words(
    "prisoners prisoner hostages hostage detainees detainee captives captive pows pow inmates hostages journalist "
    "journalists activist activists dissident dissidents soldiers crew sailors fishermen him her them opposition "
    "leader protesters citizens nationals civilians members officials"
)
_DIPLOMATS = _words(
    "ambassador ambassadors envoy envoys diplomat diplomats diplomatic embassy consul consular attache mission "
    "observers monitors inspectors peacekeepers"
)
_TALKS = _words(
    "talks negotiations negotiation dialogue meeting meetings summit visit visits trip conference consultations "
    "mediation discussions"
)
_TIES = _words("ties relations relationship contacts cooperation links")
_TRADE = _words("trade exports imports flights shipments investment investments imports business")
_AIDWORDS = _words("aid assistance funding support help loans loan grants")
_RESTRICTIONS = _words(
    "curfew curfews ban bans restrictions restriction lockdown censorship emergency martial travel charges"
)
_ECON_SANCTIONS = _words("sanctions sanction embargo embargoes tariffs tariff boycott")
_DISSENT = _words(
    "protest protests strike strikes demonstration demonstrations rally rallies sit-in boycott march marches "
    "hunger-strike blockade"
)
_HOSTILITIES = _words(
    "fighting hostilities attacks attack offensive shelling bombing bombings operations operation hostility "
    "airstrikes strikes war fire violence"
)
_PLACES = _words(
    "town towns village villages city cities territory territories area areas region regions settlement "
    "settlements positions position base bases airport port capital district districts province hill control "
    "ground bridge building parliament power outskirts"
)
_PROPERTY = _words(
    "property properties assets goods land lands vessel vessel ship tanker cargo weapons drugs documents passports "
    "equipment funds money shipment shipments homes houses farms vehicles"
)
_PEOPLE = _words(
    "people persons civilians fighters militants soldiers troops terrorists insurgents rebels commanders commander "
    "men women children officers members leaders leader"
)
_AGREEMENTS = _words(
    "agreement agreements treaty treaties accord accords pact pacts deal deals memorandum protocol declaration "
    "contract contracts charter convention communique communiqué compact"
)
_PROTESTERS = _words(
    "protesters protestors demonstrators rioters marchers strikers students activists crowd crowds mob"
)
_LABOUR = _words(
    "workers union unions employees staff teachers doctors nurses miners drivers pilots dockers wage wages pay "
    "pension pensions walkout labour labor"
)
_POLICE_CONTEXT = _words("police officers agents detectives fbi authorities prosecutors investigators")

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
    "mulling proposed prospect prospects chance chances possibility"
)
_SPEECH = _words(
    "said says say saying announced announces told tell stated declared warned warns vowed threatened insisted "
    "added confirmed reiterated"
)
_CONDITIONAL = _words("if unless")
_SPECULATIVE_AFTER = _words("could may might would")
_COPULAS = _words("is are was were has have had will would does do did isn't aren't wasn't weren't")
_BACKGROUND = _words("after following since amid despite during before earlier previous when while because")
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


_rule = _Rule


def _tail(*parts: str) -> tuple[frozenset[str], ...]:
    return tuple(_words(part) for part in parts)


@cache
def _lexicon() -> _Lexicon:
    """Trigger words and their rules, keyed by the first word (lower case); built once."""
    table: dict[str, list[_Rule]] = {}

    # -s forms that are nearly always plural nouns in news: never read them as verbs.
    plural_nouns = {"supplies", "ships", "transfers"}

    def add(words: str, kind: str, *rules: _Rule) -> None:
        # kind: "v" verb (every inflection), "n" noun (singular and plural), "x" exactly these forms.
        for lemma in words.split():
            lemma = lemma.replace("_", " ")
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

    # ASSAULT: uses of force. Weapon words nearby set the mode when the trigger leaves it open.
    add("attack", "v", _rule("ASSAULT", None, 0.72, not_next=_words("helicopter helicopters dog dogs submarine")))
    add("attack", "n", _rule("ASSAULT", None, 0.72, not_next=_words("helicopter helicopters dog dogs submarine")))
    add(
        "counterattack counter-attack counteroffensive counter-offensive onslaught incursion",
        "n",
        _rule("ASSAULT", "ground-attack", 0.7),
    )
    add(
        "offensive",
        "n",
        _rule(
            "ASSAULT",
            "ground-attack",
            0.55,
            not_next=_words(
                "weapons weapon units unit remarks remark capabilities capability language comments comment "
                "behaviour behavior posture forces force arms"
            ),
        ),
    )
    add("airstrike air-strike airstrike", "n", _rule("ASSAULT", "air-strike", 0.88))
    add("air", "x", _rule("ASSAULT", "air-strike", 0.85, tail=_tail("strike strikes raid raids")))
    add("raid", "v", _rule("COERCE", "arrest", 0.55, context=_POLICE_CONTEXT), _rule("ASSAULT", "ground-attack", 0.65))
    add("raid", "n", _rule("COERCE", "arrest", 0.5, context=_POLICE_CONTEXT), _rule("ASSAULT", "ground-attack", 0.6))
    add(
        "strike",
        "v",
        _rule(
            "AGREE",
            None,
            0.7,
            objects=((_AGREEMENTS | _words("compromise bargain balance"), "AGREE", None),),
            need_object=True,
            window=3,
        ),
        _rule("PROTEST", "strike-lim", 0.7, prev=_words("on go went going gone")),
        _rule("PROTEST", "strike-lim", 0.6, context=_LABOUR, not_context=_words("missile drone air rocket")),
        _rule("ASSAULT", None, 0.55, need_cue=True),
    )
    add(
        "strike",
        "n",
        _rule("PROTEST", "strike-hun", 0.9, prev=_words("hunger")),
        _rule("PROTEST", "strike-gen", 0.85, prev=_words("general")),
        _rule("PROTEST", "strike-lim", 0.75, prev=_words("on nationwide national labour labor teachers workers")),
        _rule("PROTEST", "strike-lim", 0.65, context=_LABOUR, not_context=_words("missile drone air rocket")),
        _rule("ASSAULT", None, 0.7, need_cue=True),
        _rule("ASSAULT", None, 0.5, not_next=_words("the a an me him her them us you up")),
    )
    add("hunger-strike", "n", _rule("PROTEST", "strike-hun", 0.9))
    add("hunger", "x", _rule("PROTEST", "strike-hun", 0.9, tail=_tail("strike strikes strikers striker")))
    add("walkout", "n", _rule("PROTEST", "strike-lim", 0.6))
    add("bombed", "x", _rule("ASSAULT", "air-strike", 0.78))
    add(
        "bombing",
        "n",
        _rule("ASSAULT", "explosive", 0.8, prev=_words("suicide car roadside truck bus terrorist terror")),
        _rule("ASSAULT", "air-strike", 0.72),
    )
    add(
        "bomb",
        "n",
        _rule("ASSAULT", "air-strike", 0.6, prev=_words("glide guided aerial cluster barrel incendiary")),
        _rule("ASSAULT", "explosive", 0.5, not_prev=_words("atomic nuclear hydrogen")),
    )
    add(
        "car-bomb car truck",
        "x",
        _rule("ASSAULT", "explosive", 0.85, tail=_tail("bomb bombs bombing bombings bomber bombers")),
    )
    add(
        "suicide",
        "x",
        _rule(
            "ASSAULT",
            "explosive",
            0.85,
            tail=_tail("bomber bombers bombing bombings attack attacks attacker attackers blast blasts vest"),
        ),
    )
    add("bombard", "v", _rule("ASSAULT", "artillery", 0.8))
    add("bombardment", "n", _rule("ASSAULT", "artillery", 0.75))
    add("shelled shelling", "x", _rule("ASSAULT", "artillery", 0.85, not_prev=_words("artillery of")))
    add("shell", "x", _rule("ASSAULT", "artillery", 0.8, tail=_tail("the a their its his")))
    add("pounded pounding", "x", _rule("ASSAULT", "artillery", 0.65))
    add("rocketed", "x", _rule("ASSAULT", "artillery", 0.75))
    add("fire", "x", _rule("ASSAULT", None, 0.6, prev=_words("under artillery mortar tank rocket sniper heavy")))
    add(
        "fired fires firing",
        "x",
        _rule(
            "ASSAULT",
            None,
            0.65,
            objects=(
                (_words("missile missiles cruise ballistic"), "ASSAULT", "missile"),
                (_words("rocket rockets shells shell mortar mortars artillery salvo salvos"), "ASSAULT", "artillery"),
                (_words("drone drones"), "ASSAULT", "drone"),
                (_words("shots shot bullets gun guns rifles tear"), "ASSAULT", "shooting"),
                (_words("at upon on into towards toward"), "ASSAULT", None),
            ),
            need_object=True,
            window=5,
        ),
    )
    add("open opened opening opens", "x", _rule("ASSAULT", "shooting", 0.85, tail=_tail("fire")))
    add("gunfire gunshots gunshot", "x", _rule("ASSAULT", "shooting", 0.7))
    add("shoot", "v", _rule("ASSAULT", None, 0.6, tail=_tail("down")), _rule("ASSAULT", "shooting", 0.75))
    add("shooting", "n", _rule("ASSAULT", "shooting", 0.75))
    add("gun", "v", _rule("ASSAULT", "shooting", 0.8, tail=_tail("down")))
    add("gunmen gunman snipers sniper", "x", _rule("ASSAULT", "shooting", 0.45))
    add("stab", "v", _rule("ASSAULT", "primitive", 0.8))
    add("stabbing", "n", _rule("ASSAULT", "primitive", 0.8))
    add("hack hacked hacking", "x", _rule("ASSAULT", "primitive", 0.8, tail=_tail("to", "death")))
    add("behead decapitate", "v", _rule("ASSAULT", "primitive", 0.85))
    add("beheading", "n", _rule("ASSAULT", "primitive", 0.8))
    add("torch", "v", _rule("ASSAULT", "primitive", 0.7, not_next=_words("bearer bearers relay")))
    add("set sets setting", "x", _rule("ASSAULT", "primitive", 0.7, tail=_tail("fire ablaze alight"), gap=3))
    add("arson", "n", _rule("ASSAULT", "primitive", 0.6))
    add("beat", "v", _rule("ASSAULT", "beating", 0.65, not_next=_words("the")))
    add("beating", "n", _rule("ASSAULT", "beating", 0.75))
    add("beat", "x", _rule("ASSAULT", "beating", 0.6, prev=_words("was were been being got")))
    add("punch kick whip flog lynch bludgeon", "v", _rule("ASSAULT", "beating", 0.7, not_next=_words("off")))
    add("clubbed clubbing", "x", _rule("ASSAULT", "beating", 0.7))
    add("assault", "v", _rule("ASSAULT", "beating", 0.7, prev=_words("physically")), _rule("ASSAULT", None, 0.7))
    add(
        "assault",
        "n",
        _rule("ASSAULT", "sexual", 0.85, prev=_words("sexual sexually indecent")),
        _rule("ASSAULT", "beating", 0.75, prev=_words("physical")),
        _rule("ASSAULT", None, 0.65, not_next=_words("rifle rifles weapon weapons")),
    )
    add("rape", "v", _rule("ASSAULT", "sexual", 0.85))
    add("abused abusing", "x", _rule("ASSAULT", "sexual", 0.8, prev=_words("sexually")), _rule("ASSAULT", None, 0.5))
    add("cleansing", "x", _rule("ASSAULT", None, 0.8, prev=_words("ethnic")))
    add("genocide", "n", _rule("ASSAULT", "massacre", 0.55))
    add("rape", "n", _rule("ASSAULT", "sexual", 0.85))
    add("sexual", "x", _rule("ASSAULT", "sexual", 0.85, tail=_tail("violence abuse assault assaults")))
    add("torture", "v", _rule("ASSAULT", "torture", 0.85))
    add("torture", "n", _rule("ASSAULT", "torture", 0.7))
    add("abduct kidnap hijack", "v", _rule("ASSAULT", "abduct", 0.85))
    add("abduction kidnapping hijacking hostage-taking", "n", _rule("ASSAULT", "abduct", 0.8))
    add(
        "take took taken taking takes",
        "x",
        _rule("ASSAULT", "abduct", 0.8, tail=_tail("hostage hostages captive"), gap=3),
    )
    add("held hold holding", "x", _rule("ASSAULT", "abduct", 0.75, tail=_tail("hostage captive"), gap=2))
    add("assassinate", "v", _rule("ASSAULT", "assassinate", 0.9))
    add("assassination", "n", _rule("ASSAULT", "assassinate", 0.85))
    add(
        "execute",
        "v",
        _rule(
            "ASSAULT",
            "execute",
            0.75,
            not_next=_words("a an the plan plans order orders strategy contract contracts programme program trades"),
        ),
    )
    add("execution", "n", _rule("ASSAULT", "execute", 0.6, not_prev=_words("the")))
    add("massacre", "v", _rule("ASSAULT", "massacre", 0.9))
    add("massacre", "n", _rule("ASSAULT", "massacre", 0.85))
    add("kill", "v", _rule("ASSAULT", None, 0.62, not_next=_words("time switch bill bills")))
    add("killing", "n", _rule("ASSAULT", None, 0.62))
    add("murder", "v", _rule("ASSAULT", None, 0.7))
    add("murder", "n", _rule("ASSAULT", None, 0.6))
    add("slay slaughter", "v", _rule("ASSAULT", None, 0.75))
    add("wound injure", "v", _rule("ASSAULT", None, 0.45, not_prev=_words("the")))
    add(
        "fight",
        "v",
        _rule(
            "ASSAULT",
            "ground-attack",
            0.62,
            not_next=_words(
                "for corruption poverty disease climate crime inflation cancer discrimination hunger covid virus "
                "pandemic drugs fire fires wildfire wildfires back over"
            ),
        ),
    )
    add("battle", "v", _rule("ASSAULT", "ground-attack", 0.62, not_next=_words("for over")))
    add("battle firefight gunbattle gun-battle skirmish", "n", _rule("ASSAULT", "ground-attack", 0.62))
    add(
        "clash",
        "v",
        _rule("PROTEST", "riot", 0.65, context=_PROTESTERS),
        _rule("ASSAULT", "ground-attack", 0.68),
    )
    add("clash", "n", _rule("PROTEST", "riot", 0.6, context=_PROTESTERS), _rule("ASSAULT", "ground-attack", 0.65))
    add("hostilities", "x", _rule("ASSAULT", "ground-attack", 0.5))
    add("combat", "x", _rule("ASSAULT", "ground-attack", 0.35, prev=_words("in heavy fierce intense close")))
    add("invade", "v", _rule("ASSAULT", "ground-attack", 0.72))
    add("invasion", "n", _rule("ASSAULT", "ground-attack", 0.45))
    add("storm", "x", _rule("ASSAULT", "ground-attack", 0.7, prev=_words("to"), not_next=_words("of")))
    add("stormed storming", "x", _rule("ASSAULT", "ground-attack", 0.75))
    add("ambush", "v", _rule("ASSAULT", "ground-attack", 0.8))
    add("ambush", "n", _rule("ASSAULT", "ground-attack", 0.75))
    add("besiege", "v", _rule("ASSAULT", "ground-attack", 0.7))
    add("siege", "n", _rule("ASSAULT", "ground-attack", 0.55))
    add("advancing advances", "x", _rule("ASSAULT", "ground-attack", 0.45, context=_TROOPS))
    add(
        "advance",
        "x",
        _rule("ASSAULT", "ground-attack", 0.45, context=_TROOPS, not_prev=_words("in an")),
    )
    add(
        "push pushed pushing",
        "x",
        _rule(
            "ASSAULT",
            "ground-attack",
            0.5,
            tail=_tail("back"),
            gap=3,
            context=_TROOPS | _words("positions position lines line offensive"),
        ),
    )
    add("explosion blast", "n", _rule("ASSAULT", "explosive", 0.5))
    add("explode detonate", "v", _rule("ASSAULT", "explosive", 0.6))
    add("blow blew blown blowing", "x", _rule("ASSAULT", "explosive", 0.7, tail=_tail("up"), gap=3))
    add("ied ieds landmine landmines grenade grenades", "x", _rule("ASSAULT", "explosive", 0.5))
    add("hit", "v", _rule("ASSAULT", None, 0.62, need_cue=True, not_next=_words("by with")))
    add("hit", "x", _rule("ASSAULT", None, 0.62, need_cue=True))
    add("target", "v", _rule("ASSAULT", None, 0.5, need_cue=True, not_next=_words("sanctions measures")))
    add("intercept", "v", _rule("ASSAULT", None, 0.5, need_cue=True))
    add(
        "destroy",
        "v",
        _rule("ASSAULT", "destroy", 0.55, not_next=_words("evidence documents records files data")),
    )
    add("destruction", "n", _rule("ASSAULT", "destroy", 0.4, not_prev=_words("mass")))
    add("damage", "v", _rule("ASSAULT", "destroy", 0.4, need_cue=True))
    add("demolish raze vandalize vandalise", "v", _rule("ASSAULT", "destroy", 0.65))
    add(
        "violate",
        "v",
        _rule(
            "ASSAULT",
            None,
            0.75,
            objects=(
                (_words("ceasefire cease-fire truce armistice"), "ASSAULT", None),
                (
                    _words("ban law laws order orders curfew rules embargo sanctions resolution resolutions"),
                    "REJECT",
                    "yield",
                ),
            ),
            need_object=True,
            window=4,
        ),
    )
    add("retaliate", "v", _rule("ASSAULT", None, 0.5))
    add("violence", "x", _rule("ASSAULT", None, 0.35, not_prev=_words("domestic sexual political")))
    add(
        "eliminate liquidate neutralize neutralise",
        "v",
        _rule("ASSAULT", None, 0.55, objects=((_PEOPLE, "ASSAULT", None),), need_object=True, window=4),
    )

    # COERCE: repression and restrictions, by the PLOVER mode table (occupying territory is COERCE seize).
    add("arrest", "v", _rule("COERCE", "arrest", 0.82))
    add("arrest", "n", _rule("COERCE", "arrest", 0.72, not_prev=_words("cardiac")))
    add("detain", "v", _rule("COERCE", "arrest", 0.82))
    add("detention", "n", _rule("COERCE", "arrest", 0.6))
    add("jail imprison incarcerate", "v", _rule("COERCE", "arrest", 0.8))
    add("imprisonment", "n", _rule("COERCE", "arrest", 0.6))
    add("custody", "x", _rule("COERCE", "arrest", 0.6, prev=_words("into in police")))
    add("sentence", "v", _rule("COERCE", "arrest", 0.75, tail=_tail("to"), gap=3))
    add("sentenced", "x", _rule("COERCE", "arrest", 0.7))
    add(
        "convict",
        "v",
        _rule(
            "SANCTION",
            "convict",
            0.65,
            objects=((_words("company firm government state bank corporation"), "SANCTION", "convict"),),
            need_object=True,
            window=4,
            before=True,
        ),
        _rule("COERCE", "arrest", 0.7),
    )
    add("find found finds", "x", _rule("COERCE", "arrest", 0.7, tail=_tail("guilty"), gap=3))
    add(
        "charge",
        "v",
        _rule("ACCUSE", "allege", 0.7, tail=_tail("that")),
        _rule("COERCE", "arrest", 0.7, tail=_tail("with"), gap=4),
    )
    add("charge", "n", _rule("COERCE", "arrest", 0.45, not_prev=_words("in of free")))
    add("indict prosecute", "v", _rule("COERCE", "arrest", 0.7))
    add("indictment prosecution", "n", _rule("COERCE", "arrest", 0.5))
    add("deport", "v", _rule("COERCE", "deport", 0.82))
    add("deportation", "n", _rule("COERCE", "deport", 0.75))
    add(
        "expel",
        "v",
        _rule(
            "SANCTION",
            "expel",
            0.8,
            objects=((_DIPLOMATS | _words("russia country countries member members"), "SANCTION", "expel"),),
            need_object=True,
            before=True,
            window=5,
        ),
        _rule("COERCE", "deport", 0.75),
    )
    add(
        "expulsion",
        "n",
        _rule(
            "SANCTION",
            "expel",
            0.75,
            objects=((_DIPLOMATS, "SANCTION", "expel"),),
            need_object=True,
            before=True,
            window=4,
        ),
        _rule("COERCE", "deport", 0.65),
    )
    add(
        "ban",
        "v",
        _rule(
            "SANCTION",
            "sever",
            0.65,
            objects=((_TRADE | _words("import export"), "SANCTION", "sever"),),
            need_object=True,
            window=3,
        ),
        _rule(
            "COERCE",
            "censor",
            0.75,
            objects=(
                (
                    _words(
                        "newspaper newspapers website websites media broadcaster broadcasts book books film channel "
                        "channels outlet outlets publication"
                    ),
                    "COERCE",
                    "censor",
                ),
            ),
            need_object=True,
            window=4,
        ),
        _rule("COERCE", "ban", 0.72, not_prev=_words("test")),
    )
    add("ban", "n", _rule("COERCE", "ban", 0.5, not_prev=_words("test travel")), _rule("COERCE", "restrict", 0.5))
    add("outlaw proscribe", "v", _rule("COERCE", "ban", 0.75))
    add(
        "prohibit",
        "v",
        _rule(
            "SANCTION",
            "withdraw",
            0.7,
            objects=((_AIDWORDS, "SANCTION", "withdraw"), (_TRADE, "SANCTION", "sever")),
            need_object=True,
            window=4,
        ),
        _rule("COERCE", "ban", 0.65),
    )
    add("censor", "v", _rule("COERCE", "censor", 0.8))
    add("censorship", "n", _rule("COERCE", "censor", 0.55))
    add(
        "shut close",
        "v",
        _rule(
            "COERCE",
            "censor",
            0.7,
            objects=(
                (
                    _words(
                        "newspaper newspapers website websites media broadcaster station channel internet outlet "
                        "outlets"
                    ),
                    "COERCE",
                    "censor",
                ),
                (_words("border borders crossing crossings airspace"), "COERCE", "restrict"),
                (_words("embassy consulate"), "SANCTION", "sever"),
            ),
            need_object=True,
            window=5,
        ),
    )
    add("curfew", "n", _rule("COERCE", "curfew", 0.72))
    add("martial", "x", _rule("COERCE", "martial-law", 0.75, tail=_tail("law")))
    add("state", "x", _rule("COERCE", "martial-law", 0.7, tail=_tail("of", "emergency siege")))
    add("confiscate", "v", _rule("COERCE", "confiscate", 0.8))
    add("confiscation", "n", _rule("COERCE", "confiscate", 0.7))
    add(
        "seize",
        "v",
        _rule(
            "COERCE",
            "seize",
            0.7,
            objects=(
                (_PLACES, "COERCE", "seize"),
                (_PROPERTY, "COERCE", "confiscate"),
                (_PEOPLE | _CAPTIVES, "ASSAULT", "abduct"),
            ),
            window=5,
        ),
    )
    add(
        "capture recapture retake liberate",
        "v",
        _rule(
            "COERCE",
            "seize",
            0.68,
            objects=((_PLACES, "COERCE", "seize"), (_PEOPLE | _CAPTIVES, "ASSAULT", "abduct")),
            need_object=True,
            window=5,
        ),
        _rule("COERCE", "seize", 0.5, context=_TROOPS | _words("military war offensive")),
    )
    add("capture", "n", _rule("COERCE", "seize", 0.45, context=_TROOPS | _words("military war offensive")))
    add("take took taken taking takes", "x", _rule("COERCE", "seize", 0.65, tail=_tail("control"), gap=2))
    add(
        "occupy",
        "v",
        _rule(
            "PROTEST",
            "obstruct",
            0.6,
            context=_PROTESTERS,
        ),
        _rule(
            "COERCE",
            "seize",
            0.55,
            not_prev=_words(
                "the in of from into on to at temporarily newly still currently illegally partially partly "
                "russian israeli"
            ),
        ),
    )
    add("occupation", "n", _rule("COERCE", "seize", 0.4, not_prev=_words("the of under")))
    add("annex", "v", _rule("COERCE", "seize", 0.75))
    add("annexation", "n", _rule("COERCE", "seize", 0.55))
    add("blockade", "v", _rule("PROTEST", "obstruct", 0.65, context=_PROTESTERS), _rule("COERCE", "restrict", 0.72))
    add("blockade", "n", _rule("PROTEST", "obstruct", 0.6, context=_PROTESTERS), _rule("COERCE", "restrict", 0.6))
    add("crackdown", "n", _rule("COERCE", "restrict", 0.7))
    add("disperse", "v", _rule("COERCE", "restrict", 0.72))
    add(
        "break broke broken breaking breaks",
        "x",
        _rule(
            "COERCE",
            "restrict",
            0.7,
            tail=_tail("up"),
            objects=((_DISSENT | _PROTESTERS, "COERCE", "restrict"),),
            need_object=True,
            window=4,
        ),
    )
    add(
        "prevent",
        "v",
        _rule("COERCE", "restrict", 0.65, objects=((_DISSENT, "COERCE", "restrict"),), need_object=True, window=4),
    )
    add("crack cracked cracking cracks", "x", _rule("COERCE", "restrict", 0.75, tail=_tail("down")))
    add("restrict curtail", "v", _rule("COERCE", "restrict", 0.6))
    add("restrictions", "x", _rule("COERCE", "restrict", 0.45))
    add("evict", "v", _rule("COERCE", "restrict", 0.65))
    add("eviction", "n", _rule("COERCE", "restrict", 0.55))
    add("withhold", "v", _rule("COERCE", "withhold", 0.65))
    add(
        "force forced forcing forces",
        "x",
        _rule(
            "SANCTION",
            "expel",
            0.65,
            tail=_tail("out"),
            gap=8,
            objects=(
                (
                    _DIPLOMATS
                    | _words("agency agencies organisation organization organizations mission unhcr ngo ngos"),
                    "SANCTION",
                    "expel",
                ),
                (
                    _words("people residents civilians families refugees villagers inhabitants population"),
                    "ASSAULT",
                    None,
                ),
            ),
            before=True,
            need_object=True,
            window=8,
        ),
    )
    add("loot plunder", "v", _rule("COERCE", "confiscate", 0.6))
    add(
        "cut cuts cutting",
        "x",
        _rule(
            "COERCE",
            "withhold",
            0.65,
            tail=_tail("off"),
            gap=3,
            objects=(
                (_AIDWORDS, "SANCTION", "withdraw"),
                (_TIES | _TRADE, "SANCTION", "sever"),
                (_words("water power electricity gas internet food supplies heating fuel phone"), "COERCE", "withhold"),
            ),
            need_object=True,
            window=5,
            before=True,
        ),
    )

    # MOBILIZE: military or police moves short of force; PROTEST when the crowd is the actor.
    # Peacekeepers sent or deployed are AID (CAMEO 074: provide military protection or peacekeeping).
    peacekeeping = _words("peacekeeping peacekeepers peace-keeping peace-keepers blue-helmets")
    mob_objects: _Objects = (
        (peacekeeping, "AID", "military"),
        (_POLICE, "MOBILIZE", "police"),
        (_TROOPS, "MOBILIZE", "troops"),
        (_ARMAMENT, "MOBILIZE", "weapons"),
    )
    add(
        "mobilize mobilise",
        "v",
        _rule(
            "MOBILIZE",
            "troops",
            0.72,
            objects=mob_objects,
            before=True,
            window=5,
            not_next=_words("support supporters voters pressure public people resources funds opinion"),
        ),
    )
    add("mobilization mobilisation", "n", _rule("MOBILIZE", "troops", 0.7))
    add("deploy redeploy", "v", _rule("MOBILIZE", None, 0.66, objects=mob_objects, before=True, window=6))
    add("deployment redeployment", "n", _rule("MOBILIZE", None, 0.6, objects=mob_objects, before=True, window=4))
    # Sending troops is MOBILIZE; sending them to help a partner's war is AID military (PLOVER's AID:
    # "military and police assistance including arms and personnel"), decided by the purpose words after.
    send_objects: _Objects = (
        (peacekeeping, "AID", "military"),
        (_POLICE, "MOBILIZE", "police"),
        (_TROOPS, "MOBILIZE", "troops"),
        (_ARMS, "AID", "military"),
        (_RELIEF, "AID", "humanitarian"),
        (_MONEY, "AID", "economic"),
        (_words("aid assistance"), "AID", None),
        (_words("warships warship ships vessels navy carrier carriers bombers"), "MOBILIZE", "weapons"),
        (_words("delegation envoy envoys"), "CONSULT", "visit"),
    )
    add(
        "send dispatch",
        "v",
        _rule("MOBILIZE", None, 0.68, objects=send_objects, need_object=True, before=True, window=6),
    )
    add(
        "massed massing amassed amassing amasses",
        "x",
        _rule("MOBILIZE", None, 0.75, objects=mob_objects, need_object=True, before=True, window=5),
    )
    add("build-up buildup", "n", _rule("MOBILIZE", None, 0.65, objects=mob_objects, before=True, window=4))
    add(
        "build built building builds",
        "x",
        _rule("MOBILIZE", None, 0.6, tail=_tail("up"), objects=mob_objects, need_object=True, before=True, window=4),
    )
    add("move", "v", _rule("MOBILIZE", None, 0.55, objects=mob_objects, need_object=True, before=True, window=4))
    add(
        "station",
        "x",
        _rule("MOBILIZE", None, 0.55, prev=_words("to"), objects=mob_objects, need_object=True, window=4),
    )
    add(
        "stationed stationing",
        "x",
        _rule("MOBILIZE", None, 0.6, objects=mob_objects, need_object=True, before=True, window=5),
    )
    add("reinforce", "v", _rule("MOBILIZE", "troops", 0.5, context=_TROOPS))
    add(
        "strengthen bolster boost increase expand",
        "v",
        _rule(
            "MOBILIZE",
            None,
            0.6,
            objects=((_TROOPS, "MOBILIZE", "troops"), (_words("patrols presence"), "MOBILIZE", None)),
            need_object=True,
            window=4,
        ),
    )
    add(
        "beef beefed beefing",
        "x",
        _rule("MOBILIZE", None, 0.6, tail=_tail("up"), objects=mob_objects, need_object=True, window=4),
    )
    add("reinforcements", "x", _rule("MOBILIZE", "troops", 0.55))
    add(
        "patrol",
        "v",
        _rule(
            "MOBILIZE", None, 0.5, objects=mob_objects, before=True, window=4, not_prev=_words("border highway coast")
        ),
    )
    add(
        "exercise drill manoeuvre maneuver wargame war-game",
        "n",
        _rule("COOPERATE", None, 0.7, prev=_words("joint combined multinational bilateral trilateral")),
        _rule(
            "MOBILIZE",
            "troops",
            0.62,
            context=_words("military naval navy army war live-fire nuclear troops forces combat air"),
            not_prev=_words("fire evacuation"),
        ),
    )
    add("war", "x", _rule("MOBILIZE", "troops", 0.6, tail=_tail("games")))
    add(
        "alert",
        "n",
        _rule(
            "MOBILIZE",
            None,
            0.55,
            prev=_words("high combat full heightened maximum on"),
            objects=mob_objects,
            before=True,
            window=5,
        ),
    )
    add("test-fire test-launch", "v", _rule("MOBILIZE", "weapons", 0.75))
    add("test", "n", _rule("MOBILIZE", "weapons", 0.6, prev=_words("missile nuclear weapons weapon rocket")))
    add("show", "x", _rule("MOBILIZE", None, 0.65, tail=_tail("of", "force strength")))
    add(
        "scramble",
        "v",
        _rule(
            "MOBILIZE",
            "weapons",
            0.6,
            objects=((_words("jets jet fighters fighter aircraft warplanes"), "MOBILIZE", "weapons"),),
            need_object=True,
            window=3,
        ),
    )
    add("conscription conscript", "n", _rule("MOBILIZE", "troops", 0.45))
    add(
        "call called calling calls",
        "x",
        _rule(
            "MOBILIZE",
            "troops",
            0.6,
            tail=_tail("up"),
            gap=1,
            objects=((_TROOPS, "MOBILIZE", "troops"),),
            need_object=True,
            window=4,
        ),
    )
    add(
        "arrive",
        "v",
        _rule(
            "MOBILIZE",
            "troops",
            0.45,
            objects=((_TROOPS, "MOBILIZE", "troops"),),
            need_object=True,
            before=True,
            window=6,
        ),
        _rule(
            "CONSULT",
            "visit",
            0.45,
            tail=_tail("in at"),
            context=_words(
                "visit talks official delegation minister president envoy premier chancellor secretary leader king"
            ),
        ),
    )

    # PROTEST: collective dissent. A "protest" lodged with an embassy is ACCUSE (written protest).
    formal = _words("lodged lodge lodges lodging formal diplomatic official written strong strongly")
    add(
        "protest",
        "v",
        _rule("ACCUSE", "disapprove", 0.7, prev=formal),
        _rule("ACCUSE", "disapprove", 0.65, tail=_tail("to note notes letter")),
        _rule("PROTEST", "demo", 0.78, governs="mention"),
    )
    add(
        "protest",
        "n",
        _rule("ACCUSE", "disapprove", 0.7, prev=formal),
        _rule("ACCUSE", "disapprove", 0.65, tail=_tail("note notes letter")),
        _rule("PROTEST", "demo", 0.7, governs="mention"),
    )
    add("protester protestor demonstrator marcher", "n", _rule("PROTEST", "demo", 0.5))
    add(
        "demonstrate",
        "v",
        _rule(
            "PROTEST",
            "demo",
            0.7,
            not_next=_words(
                "that its his her their the a an how what our support willingness readiness capability capabilities"
            ),
        ),
    )
    add(
        "demonstration",
        "n",
        _rule("MOBILIZE", None, 0.55, tail=_tail("of"), context=_words("force military power strength")),
        _rule("PROTEST", "demo", 0.72),
    )
    add(
        "rally",
        "v",
        _rule("SUPPORT", None, 0.6, tail=_tail("behind around support")),
        _rule(
            "SUPPORT",
            None,
            0.55,
            objects=((_words("support efforts allies backing"), "SUPPORT", None),),
            need_object=True,
            window=3,
        ),
        _rule("PROTEST", "demo", 0.65),
    )
    add("rally", "n", _rule("PROTEST", "demo", 0.62, not_prev=_words("stock market price")))
    add("march", "v", _rule("PROTEST", "demo", 0.5, not_context=_TROOPS))
    add(
        "march",
        "n",
        _rule("PROTEST", "demo", 0.55, context=_PROTESTERS | _words("protest protests against thousands hundreds")),
    )
    add("sit-in sit-ins picket vigil", "x", _rule("PROTEST", "demo", 0.7))
    add("picketed picketing pickets", "x", _rule("PROTEST", "demo", 0.7))
    add("took take taking takes", "x", _rule("PROTEST", "demo", 0.82, tail=_tail("to", "the", "streets street")))
    add("boycott", "v", _rule("PROTEST", "boycott", 0.72))
    add("boycott", "n", _rule("PROTEST", "boycott", 0.65))
    add("riot", "v", _rule("PROTEST", "riot", 0.78))
    add("riot", "n", _rule("PROTEST", "riot", 0.75, not_next=_words("police gear shields squad squads control")))
    add("rioting", "x", _rule("PROTEST", "riot", 0.7))
    add("rioters rioter", "x", _rule("PROTEST", "riot", 0.5))
    add("barricade", "v", _rule("PROTEST", "obstruct", 0.65))
    add("barricades", "x", _rule("PROTEST", "obstruct", 0.55))
    add(
        "block",
        "v",
        _rule(
            "REJECT",
            None,
            0.7,
            objects=(
                (
                    _words(
                        "roads road highway highways streets street railway railways entrance entrances bridge "
                        "bridges traffic transport route routes port ports"
                    ),
                    "PROTEST",
                    "obstruct",
                ),
                (
                    _words(
                        "resolution resolutions bill bills proposal proposals measure measures deal plan plans sale "
                        "sales nomination motion legislation appointment"
                    ),
                    "REJECT",
                    None,
                ),
                (_words("access website websites internet"), "COERCE", "censor"),
            ),
            need_object=True,
            window=5,
        ),
    )

    # SANCTION: reductions of relations.
    add("sanctioned sanctioning", "x", _rule("SANCTION", "sever", 0.75))
    add("sanctions", "x", _rule("SANCTION", "sever", 0.58))
    add("embargo", "n", _rule("SANCTION", "sever", 0.7))
    add("tariff", "n", _rule("SANCTION", "sever", 0.45))
    add("blacklist", "v", _rule("SANCTION", "sever", 0.7))
    add("fine", "x", _rule("SANCTION", "convict", 0.5, prev=_words("was were been be is are")))
    add("fined", "x", _rule("SANCTION", "convict", 0.65))
    reduce_objects: _Objects = (
        (_AIDWORDS, "SANCTION", "withdraw"),
        (_TIES, "SANCTION", "sever"),
        (_TRADE, "SANCTION", "sever"),
        (_TALKS, "SANCTION", "cancel"),
        (_RELIEF | _words("supplies deliveries"), "SANCTION", "withdraw"),
        (_words("membership"), "SANCTION", "expel"),
        (_DISSENT, "CONCEDE", None),
        (_HOSTILITIES, "RETREAT", "ceasefire"),
    )
    add("sever", "v", _rule("SANCTION", "sever", 0.8))
    add(
        "break broke broken breaking breaks",
        "x",
        _rule("SANCTION", "sever", 0.78, tail=_tail("off"), objects=reduce_objects, window=4),
    )
    add(
        "break",
        "v",
        _rule("SANCTION", "sever", 0.72, objects=((_TIES, "SANCTION", "sever"),), need_object=True, window=3),
    )
    add(
        "downgrade",
        "v",
        _rule(
            "SANCTION", "sever", 0.72, objects=((_TIES | _DIPLOMATS, "SANCTION", "sever"),), need_object=True, window=4
        ),
    )
    add(
        "suspend halt freeze stop terminate end curtail reduce scrap",
        "v",
        _rule("SANCTION", None, 0.65, objects=reduce_objects, need_object=True, window=5),
    )
    add(
        "suspension termination halt",
        "n",
        _rule("SANCTION", None, 0.62, tail=_tail("of"), objects=reduce_objects, need_object=True, window=4),
    )
    add(
        "cancel postpone",
        "v",
        _rule(
            "SANCTION",
            "cancel",
            0.68,
            objects=(
                (_TALKS | _words("trip tour"), "SANCTION", "cancel"),
                (_DISSENT | _RESTRICTIONS, "CONCEDE", None),
                (_AGREEMENTS, "SANCTION", "sever"),
            ),
            need_object=True,
            window=5,
        ),
    )
    add(
        "call called calling calls",
        "x",
        _rule(
            "SANCTION",
            "cancel",
            0.68,
            tail=_tail("off"),
            gap=3,
            objects=(
                (_TALKS, "SANCTION", "cancel"),
                (_DISSENT, "CONCEDE", None),
                (_HOSTILITIES, "RETREAT", "ceasefire"),
            ),
            before=True,
            window=5,
        ),
    )
    add(
        "walk walked walking walks",
        "x",
        _rule(
            "SANCTION",
            "withdraw",
            0.7,
            tail=_tail("out"),
            context=_TALKS | _words("session parliament assembly council"),
        ),
    )
    add(
        "recall",
        "v",
        _rule(
            "SANCTION", "withdraw", 0.78, objects=((_DIPLOMATS, "SANCTION", "withdraw"),), need_object=True, window=5
        ),
    )

    # RETREAT: yielding with immediate material effect.
    withdraw_objects: _Objects = (
        (peacekeeping, "SANCTION", "withdraw"),
        (_TROOPS | _words("tanks weapons equipment"), "RETREAT", "withdraw"),
        (_DIPLOMATS, "SANCTION", "withdraw"),
        (_AIDWORDS | _words("offer recognition candidacy"), "SANCTION", "withdraw"),
        (_words("charges charge lawsuit complaint complaints suit"), "CONCEDE", None),
        (
            _TALKS | _AGREEMENTS | _words("organisation organization alliance council race election union bloc"),
            "SANCTION",
            "withdraw",
        ),
    )
    add("withdraw", "v", _rule("RETREAT", "withdraw", 0.62, objects=withdraw_objects, before=True, window=6))
    add("withdrawal pullout pull-out", "n", _rule("RETREAT", "withdraw", 0.6, objects=withdraw_objects, window=4))
    add(
        "pull pulled pulling pulls",
        "x",
        _rule("RETREAT", "withdraw", 0.7, tail=_tail("out back"), gap=3, objects=withdraw_objects, window=5),
    )
    add("retreat", "v", _rule("RETREAT", "withdraw", 0.75))
    add("retreat", "n", _rule("RETREAT", "withdraw", 0.55))
    add(
        "release",
        "v",
        _rule(
            "RETREAT",
            "release",
            0.75,
            objects=((_CAPTIVES, "RETREAT", "release"),),
            need_object=True,
            before=True,
            window=6,
        ),
    )
    add(
        "release",
        "n",
        _rule("RETREAT", "release", 0.65, objects=((_CAPTIVES, "RETREAT", "release"),), need_object=True, window=4),
    )
    add("freed frees freeing", "x", _rule("RETREAT", "release", 0.75))
    add(
        "free",
        "x",
        _rule("RETREAT", "release", 0.7, objects=((_CAPTIVES, "RETREAT", "release"),), need_object=True, window=3),
    )
    add(
        "exchange swap",
        "v",
        _rule(
            "RETREAT",
            "release",
            0.7,
            objects=(
                (_CAPTIVES | _words("bodies"), "RETREAT", "release"),
                (_words("fire gunfire shots"), "ASSAULT", "shooting"),
                (_words("intelligence information data"), "COOPERATE", None),
                (_words("views opinions"), "CONSULT", None),
            ),
            need_object=True,
            window=4,
        ),
    )
    add("exchange swap", "n", _rule("RETREAT", "release", 0.7, prev=_words("prisoner prisoners pow hostage")))
    add(
        "return hand handed handing hands",
        "v",
        _rule(
            "RETREAT",
            "return",
            0.62,
            objects=(
                (
                    _words(
                        "property land lands bodies remains territory territories artifacts artefacts assets seized"
                    ),
                    "RETREAT",
                    "return",
                ),
                (_words("refugees"), "RETREAT", "return"),
                (_CAPTIVES, "RETREAT", "release"),
                (_words("weapons arms"), "RETREAT", "disarm"),
                (_words("power control"), "RETREAT", None),
            ),
            need_object=True,
            window=5,
        ),
    )
    add("repatriate", "v", _rule("RETREAT", "return", 0.75))
    add("compensate", "v", _rule("RETREAT", "return", 0.65))
    add(
        "compensation reparations",
        "x",
        _rule("RETREAT", "return", 0.6, prev=_words("pay paid paying pays awarded award")),
    )
    add(
        "evacuate",
        "v",
        _rule(
            "RETREAT",
            "withdraw",
            0.65,
            objects=(
                (_PLACES | _words("settlements outposts posts garrison"), "RETREAT", "withdraw"),
                (
                    _words("wounded injured civilians people children residents refugees sick elderly"),
                    "AID",
                    "humanitarian",
                ),
            ),
            need_object=True,
            window=5,
        ),
    )
    add("repatriation", "n", _rule("RETREAT", "return", 0.6))
    add("disarm demobilize demobilise decommission surrender capitulate", "v", _rule("RETREAT", "disarm", 0.75))
    add("disarmament demobilization demobilisation surrender capitulation", "n", _rule("RETREAT", "disarm", 0.6))
    add("lay laid laying lays", "x", _rule("RETREAT", "disarm", 0.8, tail=_tail("down"), gap=2))
    add("ceasefire cease-fire truce armistice", "n", _rule("RETREAT", "ceasefire", 0.5))
    add("resign abdicate", "v", _rule("RETREAT", "resign", 0.8))
    add("resignation", "n", _rule("RETREAT", "resign", 0.65))
    add("step stepped stepping steps", "x", _rule("RETREAT", "resign", 0.75, tail=_tail("down aside")))
    add(
        "quit",
        "v",
        _rule(
            "SANCTION",
            "withdraw",
            0.65,
            objects=((_TALKS | _AGREEMENTS, "SANCTION", "withdraw"),),
            need_object=True,
            window=3,
        ),
        _rule(
            "RETREAT",
            "resign",
            0.7,
            objects=(
                (
                    _words("post office job position government cabinet presidency premiership seat throne"),
                    "RETREAT",
                    "resign",
                ),
            ),
            need_object=True,
            window=4,
        ),
        _rule("RETREAT", "resign", 0.35),
    )
    access_objects: _Objects = (
        (
            _words(
                "access entry inspectors observers monitors peacekeepers aid humanitarian convoy convoys corridor "
                "corridors delivery deliveries"
            ),
            "RETREAT",
            "access",
        ),
        (_words("refugees"), "RETREAT", "return"),
        (_DISSENT, "CONCEDE", None),
    )
    add(
        "allow permit let admit",
        "v",
        _rule("RETREAT", "access", 0.6, objects=access_objects, need_object=True, window=5),
    )
    add(
        "grant",
        "v",
        _rule(
            "AID",
            "asylum",
            0.72,
            objects=((_ASYLUM, "AID", "asylum"), (_MONEY, "AID", "economic"), *access_objects),
            need_object=True,
            window=5,
        ),
    )
    add(
        "open",
        "v",
        _rule(
            "RETREAT",
            "access",
            0.6,
            objects=(
                (
                    _words("border borders crossing crossings corridor corridors checkpoint checkpoints"),
                    "RETREAT",
                    "access",
                ),
            ),
            need_object=True,
            window=4,
        ),
    )

    # CONCEDE: verbal concessions; easing economic sanctions and blockades is RETREAT (CAMEO 085, 0872).
    add(
        "lift ease relax loosen revoke rescind repeal drop remove waive shorten",
        "v",
        _rule(
            "CONCEDE",
            None,
            0.68,
            objects=(
                (_ECON_SANCTIONS, "RETREAT", None),
                (_RESTRICTIONS, "CONCEDE", None),
                (_words("blockade siege"), "RETREAT", "withdraw"),
            ),
            need_object=True,
            window=6,
        ),
    )
    add(
        "lifting easing",
        "x",
        _rule(
            "CONCEDE",
            None,
            0.6,
            tail=_tail("of"),
            objects=((_ECON_SANCTIONS, "RETREAT", None), (_RESTRICTIONS, "CONCEDE", None)),
            need_object=True,
            window=4,
        ),
    )
    add(
        "concede relent accede acquiesce capitulate",
        "v",
        _rule(
            "CONCEDE",
            None,
            0.72,
            not_next=_words("results result returns return profit profits gains"),
            objects=((_words("demand demands pressure calls call"), "CONCEDE", None),),
            window=4,
        ),
    )
    add("concession", "n", _rule("CONCEDE", None, 0.6))
    add("yield yielded yielding yields", "x", _rule("CONCEDE", None, 0.7, tail=_tail("to")))
    add("give gave given giving gives", "x", _rule("CONCEDE", None, 0.72, tail=_tail("in")))
    add("back backed backing backs", "x", _rule("CONCEDE", None, 0.72, tail=_tail("down")))
    add("pardon", "v", _rule("CONCEDE", None, 0.75))
    add("pardon amnesty", "n", _rule("CONCEDE", None, 0.62))
    # Apologies are SUPPORT in CAMEO2PLOVER (055); the manual's prose says CONCEDE; the table is the later word.
    add("apologize apologise", "v", _rule("SUPPORT", None, 0.72))
    add("apology", "n", _rule("SUPPORT", None, 0.65))
    add("regret", "x", _rule("CONCEDE", None, 0.6, prev=_words("expressed expresses express voiced")))
    add(
        "declare announce proclaim",
        "v",
        _rule(
            "CONCEDE",
            None,
            0.7,
            objects=(
                (_words("ceasefire cease-fire truce armistice withdrawal pullout moratorium amnesty"), "CONCEDE", None),
                (_words("curfew"), "COERCE", "curfew"),
                (_words("emergency martial"), "COERCE", "martial-law"),
            ),
            need_object=True,
            window=5,
        ),
    )

    # AID: material aid that benefits the recipient.
    aid_objects: _Objects = (
        (_ARMS, "AID", "military"),
        (_RELIEF, "AID", "humanitarian"),
        (_MONEY, "AID", "economic"),
        (_ASYLUM, "AID", "asylum"),
        (_words("aid assistance supplies"), "AID", None),
        (_words("intelligence information data"), "COOPERATE", None),
    )
    add(
        "provide supply deliver give donate ship transfer allocate contribute furnish equip",
        "v",
        _rule("AID", None, 0.68, objects=aid_objects, need_object=True, window=8, not_next=_words("for")),
    )
    add(
        "hand handed handing hands",
        "x",
        _rule(
            "AID",
            None,
            0.68,
            tail=_tail("over"),
            gap=3,
            objects=(
                *aid_objects[:-1],
                (_CAPTIVES, "RETREAT", "release"),
                (_PLACES | _words("power"), "RETREAT", "withdraw"),
            ),
            need_object=True,
            window=5,
        ),
    )
    aid_kind: _Objects = (
        (_words("military defence defense security arms weapons lethal"), "AID", "military"),
        (_words("humanitarian food medical emergency relief disaster"), "AID", "humanitarian"),
        (_words("financial economic budget budgetary development dollars euros million billion"), "AID", "economic"),
    )
    add(
        "aid",
        "x",  # not "aids": hearing aids, AIDS
        _rule(
            "AID",
            None,
            0.72,
            objects=aid_kind,
            before=True,
            window=4,
            not_prev=_VERB_CONTEXT | _words("that which who"),
            not_next=_words(
                "worker workers group groups agency agencies organisation organisations organization organizations "
                "official officials agencies"
            ),
        ),
    )
    add(
        "assistance",
        "x",
        _rule("AID", None, 0.65, objects=aid_kind, before=True, window=4),
    )
    add(
        "support",
        "n",
        _rule(
            "AID", None, 0.62, prev=_words("military financial economic humanitarian material budget budgetary lethal")
        ),
    )
    add(
        "package",
        "n",
        _rule("SANCTION", "sever", 0.55, prev=_words("sanctions sanction")),
        _rule(
            "AID",
            None,
            0.55,
            objects=aid_kind,
            before=True,
            window=5,
            context=_words("aid military weapons ammunition assistance security humanitarian defence defense"),
        ),
    )
    add("donation loan grant", "n", _rule("AID", "economic", 0.5, not_prev=_words("student")))
    add(
        "shipment delivery deliveries",
        "x",
        _rule(
            "AID",
            "military",
            0.5,
            objects=((_ARMS, "AID", "military"), (_RELIEF, "AID", "humanitarian")),
            need_object=True,
            before=True,
            window=4,
        ),
    )
    add("airlift", "x", _rule("AID", "humanitarian", 0.6))
    add("asylum", "x", _rule("AID", "asylum", 0.55, prev=_words("granted grant grants granting gave given offered")))

    # COOPERATE: mutual material cooperation.
    add("cooperate co-operate collaborate", "v", _rule("COOPERATE", None, 0.52))
    add("cooperation co-operation collaboration", "n", _rule("COOPERATE", None, 0.5))
    add(
        "joint",
        "x",
        _rule(
            "COOPERATE",
            None,
            0.68,
            tail=_tail(
                "exercise exercises drills drill patrol patrols operation operations manoeuvres maneuvers training "
                "venture ventures"
            ),
        ),
    )
    add("extradite", "v", _rule("COOPERATE", None, 0.8))
    add("extradition", "n", _rule("COOPERATE", None, 0.62))
    add(
        "share",
        "v",
        _rule(
            "COOPERATE",
            None,
            0.65,
            objects=(
                (
                    _words("intelligence information data technology evidence expertise know-how experience"),
                    "COOPERATE",
                    None,
                ),
            ),
            need_object=True,
            window=4,
        ),
    )
    add("invest", "v", _rule("COOPERATE", None, 0.4))
    add("partnership", "n", _rule("COOPERATE", None, 0.32, not_prev=_words("in")))

    # CONSULT: meetings, visits, talks, calls.
    add(
        "meet",
        "v",
        _rule(
            "CONSULT",
            None,
            0.7,
            not_next=_words("demand demands targets target requirements criteria expectations standards"),
        ),
    )
    add("meeting", "n", _rule("CONSULT", None, 0.6))
    add("talks", "x", _rule("CONSULT", None, 0.68, not_prev=_words("he she it who that which")))
    add("talk talked talking", "x", _rule("CONSULT", None, 0.5, tail=_tail("with to")))
    add("discuss", "v", _rule("CONSULT", None, 0.62))
    add("discussion", "n", _rule("CONSULT", None, 0.55))
    add("negotiate", "v", _rule("CONSULT", None, 0.68))
    add("negotiation", "n", _rule("CONSULT", None, 0.62))
    add("consult confer", "v", _rule("CONSULT", None, 0.65))
    add("consultation", "n", _rule("CONSULT", None, 0.6))
    add("visit", "v", _rule("CONSULT", "visit", 0.7))
    add("visit", "n", _rule("CONSULT", "visit", 0.62))
    add("trip tour", "n", _rule("CONSULT", "visit", 0.45, tail=_tail("to")))
    add("host", "v", _rule("CONSULT", "visit", 0.65))
    add(
        "receive",
        "v",
        _rule(
            "CONSULT",
            "visit",
            0.55,
            objects=(
                (_words("observers inspectors monitors peacekeepers"), "RETREAT", "access"),
                (
                    _words(
                        "delegation delegations envoy envoys minister ministers president counterpart premier "
                        "chancellor king prince leader secretary ambassador"
                    ),
                    "CONSULT",
                    "visit",
                ),
            ),
            need_object=True,
            window=5,
        ),
    )
    add("summit", "n", _rule("CONSULT", "multilateral", 0.6))
    add("conference", "n", _rule("CONSULT", "multilateral", 0.42, not_prev=_words("press news video")))
    add("phone telephone", "v", _rule("CONSULT", "phone", 0.72))
    add(
        "phone telephone video",
        "x",
        _rule("CONSULT", "phone", 0.72, tail=_tail("call calls conversation conversations talks")),
    )
    add("videoconference video-conference teleconference", "n", _rule("CONSULT", "phone", 0.65))
    add(
        "speak spoke spoken speaking speaks",
        "x",
        _rule("CONSULT", "phone", 0.62, tail=_tail("by over", "phone telephone")),
        _rule("CONSULT", None, 0.5, tail=_tail("with")),
    )
    add("mediate", "v", _rule("CONSULT", "third-party", 0.68))
    add("mediation", "n", _rule("CONSULT", "third-party", 0.58))
    add("dialogue dialog", "n", _rule("CONSULT", None, 0.45))

    # SUPPORT: verbal, diplomatic support; signing and ratifying agreements.
    add("support", "v", _rule("SUPPORT", None, 0.5))
    add(
        "support",
        "x",
        _rule(
            "SUPPORT",
            None,
            0.45,
            prev=_words("expressed voiced pledged declared reiterated reaffirmed offered full strong unwavering"),
        ),
    )
    add(
        "backed backing", "x", _rule("SUPPORT", None, 0.5, not_next=_words("to into in down away out off from up home"))
    )
    add(
        "back",
        "x",
        _rule(
            "SUPPORT",
            None,
            0.5,
            prev=_words("to will would also fully strongly firmly"),
            # "push back", "come back": the adverb, not the verb
            not_prev=_words(
                "push pushed pushing pull pulled pulling come came go went fight fought hit strike struck bring "
                "brought get got set hold held turn turned step stepped fall fell roll rolled scale scaled cut pay "
                "paid call called write wrote look looked send sent give gave take took move moved"
            ),
            not_next=_words("to into in down away out off from up home"),
        ),
    )
    add("endorse", "v", _rule("SUPPORT", None, 0.72))
    add("endorsement", "n", _rule("SUPPORT", None, 0.6))
    add(
        "praise commend laud applaud salute congratulate",
        "v",
        _rule("SUPPORT", None, 0.68, governs="mention", not_next=_words("you god")),
    )
    add(
        "thank thanked thanking",
        "x",
        _rule("SUPPORT", None, 0.68, governs="mention", not_next=_words("you god goodness")),
    )
    add("hailed hailing", "x", _rule("SUPPORT", None, 0.68, governs="mention"))
    add(
        "welcome",
        "v",
        _rule("CONSULT", "visit", 0.62, prev=_words("warm warmly rousing red-carpet official grand")),
        _rule("SUPPORT", None, 0.6, governs="mention"),
    )
    add("praise", "n", _rule("SUPPORT", None, 0.55))
    add("approve", "v", _rule("SUPPORT", None, 0.55))
    add("approval", "n", _rule("SUPPORT", None, 0.5))
    add(
        "recognize recognise",
        "v",
        _rule(
            "SUPPORT",
            None,
            0.7,
            objects=((_words("independence government state sovereignty statehood regime republic"), "SUPPORT", None),),
            need_object=True,
            window=5,
        ),
    )
    add(
        "recognition",
        "n",
        _rule("SUPPORT", None, 0.55, context=_words("diplomatic independence state statehood sovereignty government")),
    )
    add(
        "sign",
        "v",
        _rule(
            "SUPPORT", None, 0.72, objects=((_AGREEMENTS, "SUPPORT", None),), need_object=True, before=True, window=6
        ),
    )
    add("signing", "n", _rule("SUPPORT", None, 0.65, tail=_tail("of")))
    add("ratify", "v", _rule("SUPPORT", None, 0.8))
    add("ratification", "n", _rule("SUPPORT", None, 0.65))
    add(
        "normalize normalise restore establish resume renew reestablish re-establish upgrade",
        "v",
        _rule("SUPPORT", None, 0.68, objects=((_TIES, "SUPPORT", None),), need_object=True, window=4),
    )
    add("forgive", "v", _rule("SUPPORT", None, 0.7))
    add(
        "defend",
        "v",
        _rule(
            "SUPPORT",
            None,
            0.6,
            objects=(
                (
                    _words(
                        "decision decisions policy policies move plan plans remarks actions record right stance "
                        "position"
                    ),
                    "SUPPORT",
                    None,
                ),
            ),
            need_object=True,
            window=4,
        ),
        _rule(
            "SUPPORT",
            None,
            0.62,
            objects=((_words("criticism accusations allegations charges claims critics attacks"), "SUPPORT", None),),
            need_object=True,
            window=8,
        ),
    )
    add("solidarity", "n", _rule("SUPPORT", None, 0.5))

    # AGREE: promises, offers, agreements (what they govern is intended, not yet done).
    add("agree", "v", _rule("AGREE", None, 0.78, governs="irrealis"))
    add("agreement", "n", _rule("AGREE", None, 0.4))
    add(
        "reach",
        "v",
        _rule(
            "AGREE",
            None,
            0.72,
            objects=(
                (_AGREEMENTS | _words("compromise settlement understanding consensus truce ceasefire"), "AGREE", None),
            ),
            need_object=True,
            window=4,
        ),
    )
    add("promise pledge vow guarantee swear", "v", _rule("AGREE", None, 0.7, governs="irrealis"))
    add("commit", "v", _rule("AGREE", None, 0.68, tail=_tail("to"), gap=1, governs="irrealis"))
    add("promise pledge commitment vow", "n", _rule("AGREE", None, 0.45, governs="irrealis"))
    add(
        "offer",
        "v",
        _rule("AGREE", None, 0.65, tail=_tail("to"), gap=2, governs="irrealis"),
        _rule(
            "AGREE",
            None,
            0.6,
            objects=(
                (
                    _AIDWORDS
                    | _TALKS
                    | _words(
                        "concessions concession ceasefire truce asylum mediate mediation guarantees compromise deal"
                    ),
                    "AGREE",
                    None,
                ),
            ),
            need_object=True,
            window=5,
            governs="irrealis",
        ),
    )
    add("offer", "n", _rule("AGREE", None, 0.45, governs="irrealis"))
    add("assure", "v", _rule("AGREE", None, 0.55, governs="irrealis"))
    add("ready willing prepared", "x", _rule("AGREE", None, 0.55, tail=_tail("to"), governs="irrealis"))
    add("willingness readiness", "x", _rule("AGREE", None, 0.62, governs="irrealis"))
    add(
        "accept",
        "v",
        _rule(
            "CONCEDE",
            None,
            0.7,
            objects=(
                (
                    _words("demand demands conditions terms ultimatum resignation defeat responsibility"),
                    "CONCEDE",
                    None,
                ),
            ),
            need_object=True,
            window=4,
        ),
        _rule("AGREE", None, 0.62, governs="irrealis"),
    )
    add("consent", "v", _rule("AGREE", None, 0.65, governs="irrealis"))
    add("propose", "v", _rule("AGREE", None, 0.5, governs="irrealis"))
    add("proposal", "n", _rule("AGREE", None, 0.42))
    add("invite", "v", _rule("AGREE", None, 0.5))
    add("invitation", "n", _rule("AGREE", None, 0.45))
    add("compromise", "n", _rule("AGREE", None, 0.45))

    # REQUEST: demands, calls, appeals, orders.
    add("demand", "v", _rule("REQUEST", None, 0.8, governs="irrealis"))
    # "X must return the helicopter": reported obligation is a demand.
    add("must", "x", _rule("REQUEST", None, 0.45, governs="irrealis"))
    add("push pushed pushing pushes", "x", _rule("REQUEST", None, 0.55, tail=_tail("for"), gap=1, governs="irrealis"))
    add("pressured pressuring pressurized pressurised", "x", _rule("REQUEST", None, 0.6, governs="irrealis"))
    add(
        "demand",
        "n",
        _rule(
            "REQUEST",
            None,
            0.5,
            governs="irrealis",
            not_prev=_words("energy oil gas power consumer domestic global strong weak growing rising high low market"),
        ),
    )
    add("call called calling calls", "x", _rule("REQUEST", None, 0.72, tail=_tail("for on upon"), governs="irrealis"))
    add("urge", "v", _rule("REQUEST", None, 0.75, governs="irrealis"))
    add(
        "ask",
        "v",
        _rule(
            "REQUEST",
            None,
            0.55,
            governs="irrealis",
            not_next=_words("about whether if questions question how why what"),
        ),
    )
    add("request", "v", _rule("REQUEST", None, 0.65, governs="irrealis"))
    add("request", "n", _rule("REQUEST", None, 0.5, governs="irrealis"))
    add("appeal", "v", _rule("REQUEST", None, 0.6, tail=_tail("to for"), governs="irrealis"))
    add("appeal", "n", _rule("REQUEST", None, 0.5, tail=_tail("to for"), governs="irrealis"))
    add("insist", "v", _rule("REQUEST", None, 0.45, governs="irrealis"))
    add("press pressed pressing presses", "x", _rule("REQUEST", None, 0.55, tail=_tail("for"), governs="irrealis"))
    add("order", "v", _rule("REQUEST", None, 0.6, governs="irrealis", not_prev=_words("in")))
    add("plead implore beseech", "v", _rule("REQUEST", None, 0.6, governs="irrealis"))
    add("seek sought", "v", _rule("REQUEST", None, 0.4, governs="irrealis"))
    add("lobby", "v", _rule("REQUEST", None, 0.45, governs="irrealis"))

    # ACCUSE: disapproval, accusations, lawsuits, investigations (POLECAT folds INVESTIGATE in).
    add("accuse", "v", _rule("ACCUSE", "allege", 0.82, governs="mention", not_prev=_words("the")))
    add("accusation allegation", "n", _rule("ACCUSE", "allege", 0.62, governs="mention"))
    add("allege", "x", _rule("ACCUSE", "allege", 0.7, governs="mention"))
    add("alleges alleging", "x", _rule("ACCUSE", "allege", 0.7, governs="mention"))
    add("alleged", "x", _rule("ACCUSE", "allege", 0.7, tail=_tail("that"), governs="mention"))
    add("blame", "v", _rule("ACCUSE", "allege", 0.75, governs="mention"))
    add(
        "condemn denounce decry deplore lambast rebuke reprimand chastise castigate censure criticize criticise",
        "v",
        _rule("ACCUSE", "disapprove", 0.8, governs="mention"),
    )
    add("condemnation denunciation criticism rebuke", "n", _rule("ACCUSE", "disapprove", 0.62, governs="mention"))
    add("slam", "v", _rule("ACCUSE", "disapprove", 0.6, governs="mention", not_next=_words("into")))
    add("complain", "v", _rule("ACCUSE", "disapprove", 0.65, governs="mention"))
    add("complaint", "n", _rule("ACCUSE", "disapprove", 0.55, governs="mention"))
    add("object", "x", _rule("ACCUSE", "disapprove", 0.6, tail=_tail("to")))
    add("objected objecting objects", "x", _rule("ACCUSE", "disapprove", 0.6, not_prev=_words("the these those")))
    add("objection", "n", _rule("ACCUSE", "disapprove", 0.55))
    add("disapprove", "v", _rule("ACCUSE", "disapprove", 0.75, governs="mention"))
    add("disapproval", "n", _rule("ACCUSE", "disapprove", 0.65))
    add("lament", "v", _rule("ACCUSE", "disapprove", 0.5, governs="mention"))
    add("oppose", "v", _rule("REJECT", None, 0.55, governs="irrealis"))
    # "suspected of", "responsible for": what follows is alleged, told but not the news of the sentence.
    add("suspected suspect suspects", "x", _rule(None, None, 0.0, tail=_tail("of"), gap=4, governs="mention"))
    add("responsible", "x", _rule(None, None, 0.0, tail=_tail("for"), governs="mention"))
    add(
        "summon",
        "v",
        _rule("ACCUSE", "disapprove", 0.6, objects=((_DIPLOMATS, "ACCUSE", "disapprove"),), need_object=True, window=5),
    )
    add("sue", "v", _rule("ACCUSE", "allege", 0.78))
    add("lawsuit", "n", _rule("ACCUSE", "allege", 0.65))
    add("petition", "n", _rule("ACCUSE", "disapprove", 0.5))
    add("investigate probe", "v", _rule("ACCUSE", "investigate", 0.72))
    add(
        "investigation probe inquiry enquiry inquest",
        "n",
        _rule("ACCUSE", "investigate", 0.6, not_next=_words("to that launched landed mission spacecraft")),
    )

    # REJECT: refusals, vetoes, defiance.
    add("reject", "v", _rule("REJECT", None, 0.8, governs="irrealis"))
    add("rejection", "n", _rule("REJECT", None, 0.65, governs="irrealis"))
    add("refuse", "v", _rule("REJECT", None, 0.8, governs="irrealis"))
    add("refusal", "n", _rule("REJECT", None, 0.68, governs="irrealis"))
    add(
        "declined declines decline declining",
        "x",
        _rule("REJECT", None, 0.65, tail=_tail("to an the a"), not_next=_words("comment"), governs="irrealis"),
    )
    add("turn turned turning turns", "x", _rule("REJECT", None, 0.65, tail=_tail("down"), gap=3, governs="irrealis"))
    add("rebuff spurn veto", "v", _rule("REJECT", None, 0.78, governs="irrealis"))
    add("veto", "n", _rule("REJECT", None, 0.6))
    add("rule ruled ruling rules", "x", _rule("REJECT", None, 0.7, tail=_tail("out"), gap=3, governs="irrealis"))
    add(
        "dismiss",
        "v",
        _rule(
            "REJECT",
            None,
            0.6,
            objects=(
                (
                    _words(
                        "proposal proposals plan plans offer offers request requests call calls demand demands idea "
                        "ideas appeal appeals suggestion suggestions claims claim allegations allegation accusations "
                        "accusation reports report charges"
                    ),
                    "REJECT",
                    None,
                ),
            ),
            need_object=True,
            window=4,
            governs="irrealis",
        ),
    )
    add("defy", "v", _rule("REJECT", "yield", 0.65))
    add("renege backtrack", "v", _rule("REJECT", None, 0.75))
    add("defiance", "n", _rule("REJECT", "yield", 0.5))
    add(
        "resist",
        "v",
        _rule("REJECT", None, 0.45, context=_words("calls pressure demands demand law laws order orders efforts")),
    )
    add(
        "deny",
        "v",
        _rule(
            "REJECT",
            None,
            0.7,
            objects=(
                (
                    _words(
                        "entry access visa visas permission request requests asylum bail application appeal passage "
                        "landing clearance allocation permit permits licence license approval"
                    ),
                    "REJECT",
                    None,
                ),
            ),
            need_object=True,
            window=4,
        ),
        _rule(None, None, 0.0, governs="irrealis"),
    )
    add("denial", "n", _rule(None, None, 0.0, governs="irrealis"))
    add("unwilling reluctant", "x", _rule("REJECT", None, 0.45, tail=_tail("to"), governs="irrealis"))

    # THREATEN: threats, warnings, ultimatums.
    add("threaten", "v", _rule("THREATEN", None, 0.82, governs="irrealis", not_next=_words("situation situations")))
    add(
        "threat",
        "n",
        _rule(
            "THREATEN",
            None,
            0.45,
            governs="irrealis",
            not_next=_words("landscape level levels assessment assessments actor actors environment intelligence"),
        ),
    )
    add("ultimatum", "n", _rule("THREATEN", None, 0.8, governs="irrealis"))
    # A warning is a threat only when it announces what the speaker will do ("warned it would retaliate"):
    # _resolve weighs it by the future in its complement. What it warns of may well be true: a mention.
    add("warn", "v", _rule("THREATEN", None, 0.45, governs="mention"))
    add("warning", "n", _rule("THREATEN", None, 0.4, governs="mention"))

    return {form: tuple(rules) for form, rules in table.items()}


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


@cache
def _head_words() -> frozenset[str]:
    return frozenset(_lexicon())


def _candidates(tokens: list[str], vocabulary: frozenset[str]) -> list[_Candidate]:
    lexicon = _lexicon()
    found: list[_Candidate] = []
    heads = vocabulary & _head_words()
    for index in [index for index, token in enumerate(tokens) if token in heads]:
        token = tokens[index]
        rules = lexicon[token]
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
                continue
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


@cache
def _heads() -> tuple[frozenset[str], dict[str, tuple[tuple[frozenset[str], ...], ...]]]:
    """Pre-check tables: heads that can match alone, and for the others what else the sentence needs.

    "state" only matters before "of emergency", "provide" with something provided, "hit" near a
    weapon: most sentences are dropped here by a few set operations, before any rule is tried.
    """
    alone: set[str] = set()
    needs: dict[str, list[tuple[frozenset[str], ...]]] = {}
    for head, rules in _lexicon().items():
        for rule in rules:
            rule_needs = _needs(rule)
            if rule_needs:
                needs.setdefault(head, []).append(rule_needs)
            else:
                alone.add(head)
    return frozenset(alone), {head: tuple(sets) for head, sets in needs.items() if head not in alone}


def _worth_reading(vocabulary: frozenset[str]) -> bool:
    alone, needs = _heads()
    if not alone.isdisjoint(vocabulary):
        return True
    # Plain loops: two nested generators cost more than the set operations they run, on most sentences.
    for head in vocabulary & _needy_heads():
        for rule_needs in needs[head]:
            for words in rule_needs:
                if words.isdisjoint(vocabulary):
                    break
            else:
                return True
    return False


@cache
def _needy_heads() -> frozenset[str]:
    return frozenset(_heads()[1])


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


def _matches(sentence: str) -> list[TypeMatch]:
    lowered = _lowered(sentence)
    tokens: list[str] = _TOKEN.findall(lowered)
    vocabulary = frozenset(tokens)
    if not _worth_reading(vocabulary):
        return []
    found = _candidates(tokens, vocabulary)
    if not found:
        return []
    resolved = _resolve(tokens, found)
    if not resolved:
        return []
    first = resolved[0].index
    scored = [(candidate, _confidence(tokens, candidate, first, vocabulary)) for candidate in resolved]
    spans = _spans(lowered, tokens, max(candidate.last for candidate, _ in scored))
    out: list[TypeMatch] = []
    for candidate, confidence in _merge(scored):
        if candidate.event_type is None:
            continue
        mode = candidate.mode
        if candidate.event_type == "ASSAULT" and mode is None:
            mode = _weapon_cue(tokens, candidate.index, candidate.last)
        start, end = spans[candidate.index][0], spans[candidate.last][1]
        out.append(TypeMatch(candidate.event_type, mode, sentence[start:end], start, end, confidence))
    return out


def classify_all(sentence: str) -> list[TypeMatch]:
    """Every PLOVER event the sentence tells, in text order.

    Negated events ("did not attack") and events only threatened, demanded, promised, refused or
    denied ("threatened to attack") are left out: the governing act is the event. Events a
    condemnation or protest refers to are kept, with lower confidence. A cooperative act announced
    for the future is an AGREE, a conflict act announced for the future a THREATEN (PLOVER's rules).

    Args:
        sentence: one sentence (a headline or a clause also works).

    Returns:
        The matches, possibly empty; each with its type, mode, trigger span and confidence.
    """
    return _matches(sentence)


def classify_sentence(sentence: str) -> TypeMatch | None:
    """The main PLOVER event of a sentence: the most confident match, the earliest on a tie.

    Args:
        sentence: one sentence.

    Returns:
        The match, or None when the sentence tells no PLOVER event (a description, a figure, a
        comment) or only weak, hypothetical ones (confidence below 0.3).
    """
    best: TypeMatch | None = None
    for match in _matches(sentence):
        if best is None or match.confidence > best.confidence:
            best = match
    if best is None or best.confidence < _MIN_CONFIDENCE:
        return None
    return best
