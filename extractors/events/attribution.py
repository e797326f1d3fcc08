"""Who a sentence says asserts what it reports: "according to X", "X said", "X estimates", "said X"."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from extractors.events.entities import Mention, find_entities
from extractors.events.patterns import trie_pattern
from extractors.events.sentences import Sentence

_SPEECH = (
    r"said|says|say|told|tells|stated|states|announced|announces|reported|reports|claimed|claims|"
    r"estimated|estimates|estimate|warned|warns|wrote|writes|added|adds|explained|confirmed|confirms|"
    r"assumed|assumes|believed|believes|spoke of|speaks of|spoken of|put the number|puts the number|"
    r"counted|counts|noted|notes|declared|declares|insisted|insists|alleged|alleges|informed|informs|"
    r"quoted|cited|cites|published|publishes|assessed|assesses"
)
# Factored by prefix: one branch per first letter instead of one per verb at every word.
_VERB = re.compile(rf"\b(?:{trie_pattern(_SPEECH.split('|'))})\b", re.IGNORECASE)
# What may stand between a subject and its verb: "had previously warned", "has now said".
_AUXILIARY = re.compile(
    r"(?:\s+(?:has|have|had|also|previously|now|already|recently|again|reportedly|earlier|then|today|"
    r"yesterday|on \w+day|however,?|,\s*however,?|\w+ly))*\s*,?\s*$",
    re.IGNORECASE,
)
_ACCORDING_WORDS = ("according to", "citing", "quoting", "in the words of", "as reported by")
_ACCORDING = re.compile(rf"\b(?:{trie_pattern(_ACCORDING_WORDS)})\s+", re.IGNORECASE)
# "according to estimates by the Pentagon", "a report in the New York Times": the source is what
# follows the preposition.
_SOURCE_OF = re.compile(
    r"(?:(?:the|an?|initial|latest|first|new|official|own)\s+)*(?:estimates?|reports?|figures|data|information|"
    r"statements?|assessments?|findings|calculations|count)\s+(?:by|from|in|of)\s+",
    re.IGNORECASE,
)
_PHRASE_END = re.compile(r"[,.;:()\"“”]|\s(?:that|which|who|there|as|in|on|at|from|and|but|on)\s", re.IGNORECASE)
_SUBJECT_START = re.compile(
    r"(?:^|[,;:(\"“”]|\b(?:that|and|but|while|as|which|when|where|because)\b)\s*", re.IGNORECASE
)
_PRONOUN = frozenset({"he", "she"})
_NOT_A_CLAIMANT = frozenset(
    {"it", "this", "that", "there", "they", "we", "i", "you", "which", "who", "what", "one", "media", "reports"}
)
# Words without which a sentence names no claimant: a set lookup before any pattern runs.
_HINT_WORDS = frozenset(w.split()[0] for w in (_SPEECH + "|according|citing|quoting|words|reported").split("|"))


_PUNCTUATION = str.maketrans({c: " " for c in ",.;:!?\"'()[]“”‘’«»"})
# A hint word standing as a whole word of the lowered text once `_PUNCTUATION` is blanked out. The
# separator before it is matched, not looked behind for: a pattern that opens with a character set
# lets the engine skip to the next separator (the word opening the text is tried on its own).
_SEPARATOR = r"\s,.;:!?\"'()\[\]“”‘’«»"
_HINT = re.compile(rf"[{_SEPARATOR}]({trie_pattern(_HINT_WORDS)})(?![^{_SEPARATOR}])")
_FIRST_HINT = re.compile(rf"(?:{trie_pattern(_HINT_WORDS)})(?![^{_SEPARATOR}])")


def may_attribute(sentence: str) -> bool:
    """Whether a sentence has a word that can introduce a claimant (a cheap check before `find_claimant`)."""
    return not _HINT_WORDS.isdisjoint(sentence.lower().translate(_PUNCTUATION).split())


def may_attribute_each(text: str, sentences: Sequence[Sentence]) -> list[bool]:
    """`may_attribute` for every sentence of a text, from one pass over the whole text.

    Sentences are separated by white space, so a word of the text lies wholly inside one of them.

    Args:
        text: the article text.
        sentences: its sentences, in text order.

    Returns:
        One answer per sentence.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower to two ("İ"): ask sentence by sentence
        return [may_attribute(text[sentence.start : sentence.end]) for sentence in sentences]
    hints = [0] if _FIRST_HINT.match(lowered) else []
    hints += [match.start(1) for match in _HINT.finditer(lowered)]
    answers: list[bool] = []
    for sentence in sentences:
        at = bisect_left(hints, sentence.start)
        answers.append(at < len(hints) and hints[at] < sentence.end)
    return answers


_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_DESCRIBES = re.compile(r"(?:the|a|an|his|her|their)\s")
_CLAUSE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does)\b")
# An aside between a name and its speech verb: a participle or prepositional phrase ("speaking to
# reporters", "in a statement"), a party and state ("R-Ky."), an age ("42"), or a description of the
# person ("the chief executive of the league", "a Clinton surrogate").
_ASIDE = re.compile(
    r"^(?:[a-z]+ing\b|[a-z]+ed\b|(?:in|at|on|during|after|before|with|from|speaking|writing)\b|[RDI]-[A-Z][a-z]*\.?$|"
    r"\d+$|(?:the|a|an|his|her|their)\s+\S)"
)

_MAX_WORDS = 7


def find_claimant(
    text: str,
    start: int,
    end: int,
    mentions: Sequence[Mention],
    last_people: Sequence[Mention] | None,
    anchor: int | None = None,
) -> str | None:
    """Who the sentence text[start:end] attributes its report to, or None when it speaks in its own voice.

    Args:
        text: the article text.
        start: where the sentence starts.
        end: where it ends.
        mentions: entities found inside the sentence (for canonical names).
        last_people: the latest person named before the sentence, for "he said".
        anchor: where the reported figure is; the attribution nearest before it wins
            ("Zelensky said the White House had spoken of 8,000": the White House).

    Returns:
        The claimant: a canonical entity name when the phrase names one, else the phrase.
    """
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _ACCORDING.finditer(text, start, end):
        source = _SOURCE_OF.match(text, match.end(), end)
        begin = source.end() if source else match.end()
        phrase = _phrase_after(text, begin, end)
        if phrase:
            taken.append((match.start(), begin + len(phrase)))
            found.append((match.start(), _claimant(phrase, begin, text, mentions, last_people) or ""))
    for match in _VERB.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in taken):
            continue  # "according to official reports": a noun of the phrase, not a verb
        if _in_name(text, start, match.start()):
            continue  # "the United States", "Daily Reports": part of a name, not a verb
        subject = _subject_before(text, start, match.start(), mentions)
        if subject is None:
            # "…, said Zelensky." / "…, told the BBC": the speaker after the verb.
            after = _phrase_after(text, match.end(), end)
            if after and text[match.end() : match.end() + 1].isspace() and _starts_capitalised(after[0]):
                found.append((match.start(), _claimant(after, match.end(), text, mentions, last_people) or ""))
            continue
        phrase, position = subject
        found.append((match.start(), _claimant(phrase, position, text, mentions, last_people) or ""))
    named = [(position, name) for position, name in found if name]
    if not named:
        return None
    if anchor is not None:
        before = [name for position, name in named if position <= anchor]
        if before:
            return before[-1]
    return named[0][1]


# What a subject may open with, and what cannot end one.
_OPENERS = frozenset(
    "the a an his her their its our this that these those two three four five several many some other both all".split()
)
_SPEAKER_AUXILIARIES = frozenset(
    "is are was were be been being will would could can may might did does do also".split()
)
_BE = frozenset("is are was were be been being".split())
_PARTY_STATE = re.compile(r"[RDI]-[A-Z]")


def find_speaker(
    text: str, sentence_start: int, verb_start: int, mentions: Sequence[Mention], last_people: Sequence[Mention] | None
) -> str | None:
    """Who speaks in a verbal act: the subject right before its verb ("President Obama condemned the
    test", "South Korea accused the North's leader"), as `find_claimant` reads the subject of "said".

    Args:
        text: the article text.
        sentence_start: where the sentence starts.
        verb_start: where the act's verb starts.
        mentions: entities found inside the sentence.
        last_people: the latest person named before the sentence, for "he condemned".

    Returns:
        A canonical entity name, a phrase that names a source, or None.
    """
    subject = _subject_before(text, sentence_start, verb_start, mentions)
    if subject is None:
        return None
    phrase, position = subject
    before = text[sentence_start:verb_start].split()
    if before and before[-1].lower() == "to":
        return None  # "willing to criticize": the subject of the infinitive stands further back
    words = phrase.split()
    passive = False
    while words and words[-1].lower() in _SPEAKER_AUXILIARIES:
        passive = passive or words[-1].lower() in _BE
        words.pop()  # "the Justice Department is investigating"
    if passive and not text[verb_start:].split(maxsplit=1)[0].lower().endswith("ing"):
        return None  # "Moore is accused of": the subject is who the act is done to
    if not words or words[-1].lower() in _OPENERS:
        return None  # "The complaint", "their demand": the act is a noun, and no one is its subject
    first = words[0].lower()
    if first.endswith(("'s", "’s")) and first[:-2] in _PRONOUN and len(words) == 1:
        words = [first[:-2]]  # "He's alleging"
    elif not (words[0][0].isupper() or words[0][0].isdigit() or first in _OPENERS) or first in _NOT_NAME_START:
        return None  # "like Donald Trump, has refused", "Last week the group": not the subject itself
    if _CLAUSE_VERB.search(" ".join(words)) or _PARTY_STATE.match(words[0]) or "to" in words:
        return None  # "There was one day I asked", "R-Wis., called", "North Korea to refrain": no subject
    return _claimant(" ".join(words), position, text, mentions, last_people)


_POSSESSIVE = re.compile(r"['’]s?\s+\w")


def _starts_capitalised(phrase: str) -> bool:
    word = _DETERMINER.sub("", phrase)
    return bool(word) and word[0].isupper()


def _phrase_after(text: str, start: int, end: int) -> str | None:
    stop = _PHRASE_END.search(text, start, end)
    phrase = text[start : stop.start() if stop else end].strip()
    words = phrase.split()
    if not words or len(words) > _MAX_WORDS:
        return None
    return phrase


def _subject_before(
    text: str, sentence_start: int, verb_start: int, mentions: Sequence[Mention] = ()
) -> tuple[str, int] | None:
    """The noun phrase right before a speech verb, within its clause, and where it starts."""
    head = text[sentence_start:verb_start]
    auxiliary = _AUXILIARY.search(head)
    cut = auxiliary.start() if auxiliary else len(head)
    head = head[:cut].rstrip(" ,")
    starts = list(_SUBJECT_START.finditer(head))
    begin = starts[-1].end() if starts else 0
    # "Zelensky said the White House had spoken of": the subject starts after the outer verb.
    verbs = list(_VERB.finditer(head, begin))
    if verbs:
        begin = verbs[-1].end()
    phrase = head[begin:].strip()
    # "Trump, speaking to veterans in Virginia, said", "Mitch McConnell, R-Ky., said", "Marc Morial,
    # the chief executive of the league, said": the subject is the name before the aside.
    while _ASIDE.match(phrase):
        at = sentence_start + begin
        if any(m.kind == "person" and at <= m.start < at + len(phrase) for m in mentions):
            break  # "the regional governor Oleh Synyehubov said": the description names the speaker
        before = head[:begin].rstrip()
        if not before.endswith(","):
            break
        before = before[:-1]
        segments = list(_SUBJECT_START.finditer(before))
        earlier = segments[-1].end() if segments else 0
        candidate = before[earlier:].strip()
        if not candidate or not candidate[0].isupper() or _CLAUSE_VERB.search(candidate):
            break  # "Five were hurt, the governor said": a clause, not the speaker's name
        if _DESCRIBES.match(phrase) and not all(w[:1].isupper() for w in candidate.split()):
            break  # "Just the day before, the White House said": a description follows only a name
        begin = earlier + (len(before[earlier:]) - len(before[earlier:].lstrip()))
        phrase = candidate
    words = phrase.split()
    if not words or len(words) > _MAX_WORDS:
        return None
    return phrase, sentence_start + begin + (len(head[begin:]) - len(head[begin:].lstrip()))


def _in_name(text: str, sentence_start: int, position: int) -> bool:
    """True when a speech verb written with a capital follows a capitalised word: "United States"."""
    if not text[position].isupper() or position == sentence_start:
        return False
    before = text[max(sentence_start, position - 40) : position].split()
    return bool(before) and before[-1][:1].isupper()


def _claimant(
    phrase: str, position: int, text: str, mentions: Sequence[Mention], last_people: Sequence[Mention] | None
) -> str | None:
    bare = _DETERMINER.sub("", phrase.strip()).strip(" ,")
    lowered = bare.lower()
    if lowered in _PRONOUN:
        return last_people[-1].canonical if last_people else None
    if not bare or lowered in _NOT_A_CLAIMANT or not any(c.isalpha() for c in bare):
        return None
    inside = [m for m in mentions if position <= m.start and m.end <= position + len(phrase) + 1]
    people = [m for m in inside if m.kind == "person"]
    if people:
        owner = people[-1]
        if _POSSESSIVE.match(text, owner.end) and text[owner.end : position + len(phrase)].strip(" '’s"):
            # "Pagliano's lawyer", "Mr. Clarke's new company": the speaker is what the person has.
            described = bare[0].isupper() or bare.split()[0].lower() in _OPENERS
            return bare if described and _names_a_source(bare) and not bare.lower().endswith(("'s", "’s")) else None
        return owner.canonical
    if len(inside) == 1 and inside[0].name.lower() == lowered:
        return inside[0].canonical
    # A lower-case first word is no name ("officials", "official reports"): keep the phrase as written,
    # when it is a name or says who speaks; a piece of a clause ("Mexico demanded", "his aides
    # haven't", "On Sunday") is no claimant.
    if _names_a_source(bare):
        return bare
    # A capital or a country written in lower case, as machine translation leaves it ("according to kyiv").
    known = [m for m in find_entities(bare.title()) if m.kind in ("place", "country") and m.end == len(bare)]
    return known[0].canonical if known and known[0].start == 0 else None


# Who can speak without a name: the head noun of a described source ("the health ministry", "two
# medical officials", "attorneys for the family", "a spokesman for the army").
_SPEAKERS = frozenset(
    """official officials ministry ministries police source sources spokesman spokeswoman spokesperson
    spokespeople agency agencies tally government army military office department council committee
    group authorities authority resident residents witness witnesses analyst analysts expert experts
    intelligence service services statement campaign aide aides adviser advisers advisor advisors staff
    officer officers investigator investigators prosecutor prosecutors lawyer lawyers attorney attorneys
    researcher researchers survey poll data study report reports document documents record records
    newspaper outlet outlets network commission organization organisation coalition forces observatory monitor monitors
    medic medics doctor doctors hospital rescuers worker workers leader leaders member members people
    correspondent correspondents journalist journalists reporter reporters court judge judges
    administration party nominee candidate president senator governor mayor director chief executive
    secretary minister chairman chairwoman head commander ambassador envoy diplomat diplomats
    representative representatives lawmaker lawmakers legislator legislators union unions company firm
    bank association federation institute center centre foundation regulator regulators watchdog
    parliament congress senate assembly cabinet embassy consulate mission operator operators figures
    tally tallies count counts estimate estimates analysis analyses disclosures filings census""".split()
)
# Words that open a clause or a time, not a name: "On Sunday", "Every time you".
_NOT_NAME_START = frozenset(
    """on in at by for every each last this next after before during since until when while if but and
    so then there here let monday tuesday wednesday thursday friday saturday sunday""".split()
)
_NAME_LINKS = frozenset({"of", "the", "and", "for", "de", "al", "bin", "van", "von", "la", "le", "du", "da"})


def _names_a_source(phrase: str) -> bool:
    """Whether a claimant phrase is a name ("Pat Caddell", "FBI") or a described source whose head
    is a speaker ("the health ministry", "attorneys for the family", "secretary of state")."""
    words = [w.strip("'’\"") for w in phrase.split()]
    words = [w for w in words if w]
    if not words:
        return False
    if all(w[0].isupper() or w[0].isdigit() or w in _NAME_LINKS for w in words):
        return words[0].lower() not in _NOT_NAME_START
    # The head of "X of Y", "X for Y", "X at Y" is X.
    head = words
    for index, word in enumerate(words[1:], start=1):
        if word.lower() in ("of", "for", "at", "in", "from", "with", "to"):
            head = words[:index]
            break
    if head[-1][0].isupper():
        return True  # a description, then the name: "the media tracking firm AdImpact"
    last = head[-1].lower()
    return last.removesuffix("'s").removesuffix("’s") in _SPEAKERS
