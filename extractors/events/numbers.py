"""Counts of people and sums of money in news text, with their qualifier; never ages, dates, times or measures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from extractors.events.patterns import trie_pattern

__all__ = ["Quantity", "find_quantities", "parse_number"]

Kind = Literal["people", "money", "count"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One count or sum found in a text.

    ``start``/``end`` cover qualifier, currency, number and scale word; ``number_start``/``number_end``
    cover the number itself with its scale word ("60.4 billion", "eleven thousand"). A range
    ("5,000 to 6,000 soldiers") is one quantity: its lower bound with the qualifier "at least" (ACLED's
    convention for uncertain counts), or its upper bound when the text says "up to", "almost" or
    "less than"; ``start``/``end`` cover the whole range and ``number_*`` the bound taken.
    """

    value: float
    start: int
    end: int
    number_start: int
    number_end: int
    qualifier: str | None
    vague: bool
    kind: Kind
    noun: str | None
    currency: str | None


# ---------------------------------------------------------------------------------------------------
# Number words. No package reads "eleven thousand" or "several hundred" without pulling in far more.

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_BIG = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALES = {**_BIG, "hundred": 100.0, "dozen": 12.0, "mn": 1e6, "mln": 1e6, "bn": 1e9, "tn": 1e12, "trn": 1e12,
           "lakh": 1e5, "crore": 1e7, "m": 1e6, "b": 1e9, "k": 1e3}  # fmt: skip
# Vague counts take the smallest reading of the plural ("dozens" is at least two dozen) and "several"
# or "a few" mean three: a conservative figure, flagged vague=True so nobody takes it for a report.
_VAGUE_PLURALS = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2e3, "millions": 2e6,
                  "billions": 2e9}  # fmt: skip
_VAGUE_TENS = {"tens": 10.0, "dozens": 12.0, "hundreds": 100.0}
_VAGUE_OF = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}
_FEW = (("a couple of", 2.0), ("a couple", 2.0), ("several", 3.0), ("a few", 3.0))
_NUM_WORDS = (*_UNITS, *_TENS, *_BIG, "hundred", "dozen")
_NUMERIC_WORDS = frozenset((*_NUM_WORDS, *_VAGUE_PLURALS))
# Words that start a number written in words, for the quick first pass over the lowered text.
_WORD_HINTS = (*_NUM_WORDS, *_VAGUE_PLURALS, "tens", "several", "few", "couple", "half", "quarter")

_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("at", "least"): "at least", ("no", "fewer", "than"): "at least", ("no", "less", "than"): "at least",
    ("not", "less", "than"): "at least", ("a", "minimum", "of"): "at least", ("minimum", "of"): "at least",
    ("at", "a", "minimum"): "at least",
    ("up", "to"): "up to", ("as", "many", "as"): "up to", ("as", "much", "as"): "up to",
    ("a", "maximum", "of"): "up to", ("maximum", "of"): "up to", ("no", "more", "than"): "up to",
    ("not", "more", "than"): "up to", ("at", "most"): "up to",
    ("about",): "about", ("around",): "about", ("approximately",): "about", ("approx",): "about",
    ("roughly",): "about", ("some",): "about", ("circa",): "about", ("ca",): "about",
    ("an", "estimated"): "about", ("estimated",): "about", ("est",): "about",
    ("more", "than"): "more than", ("over",): "more than", ("above",): "more than",
    ("in", "excess", "of"): "more than", ("upwards", "of"): "more than", ("just", "over"): "more than",
    ("well", "over"): "more than", ("exceeding",): "more than",
    ("less", "than"): "less than", ("fewer", "than"): "less than", ("under",): "less than",
    ("below",): "less than", ("just", "under"): "almost", ("just", "below"): "almost",
    ("nearly",): "almost", ("almost",): "almost", ("close", "to"): "almost", ("just", "short", "of"): "almost",
    ("approaching",): "almost",
}  # fmt: skip
# Prepositions that qualify only numbers large enough to be rounded: "over 200", not "over two raids".
_LOOSE_QUALIFIERS = frozenset("over under above below some about around".split())
_UPPER_QUALIFIERS = frozenset({"up to", "less than", "almost"})

# ---------------------------------------------------------------------------------------------------
# What a number is when it is no count.

_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TIME_UNITS = frozenset(
    "second seconds sec secs minute minutes min mins hour hours hr hrs h day days night nights week weeks "
    "weekend weekends fortnight fortnights month months year years yr yrs decade decades century centuries "
    "millennium millennia am pm a.m p.m o'clock gmt utc cet cest est edt pst bst msk eet eest ist jst "
    "season seasons semester semesters term terms bc bce years-old year-old years-olds".split()
)
_MEASURES = frozenset(
    "meter meters metre metres m km kms kilometer kilometers kilometre kilometres mile miles mi foot feet ft "
    "inch inches yard yards yd yds cm centimeter centimeters centimetre centimetres mm millimeter millimeters "
    "millimetre millimetres nautical gram grams gramme grammes g kg kgs kilo kilos kilogram kilograms "
    "kilogramme kilogrammes tonne tonnes ton tons lb lbs pound pounds ounce ounces oz litre litres liter "
    "liters l ml gallon gallons barrel barrels bpd hectare hectares ha acre acres sq square degree degrees "
    "celsius fahrenheit kelvin calibre caliber mph kph knot knots kw mw gw kwh mwh gwh twh megawatt "
    "megawatts kilowatt kilowatts gigawatt gigawatts watt watts volt volts kv hz mhz ghz gb mb tb kb byte "
    "bytes megabyte megabytes gigabyte gigabytes terabytes pixel pixels kiloton kilotons megaton megatons "
    "decibel decibels db calorie calories kcal percent per-cent pct pc percentage points point bps times "
    "fold x storey storeys cubic".split()
)
_FRACTIONS = frozenset(
    "half halves third thirds quarter quarters fourth fourths fifth fifths sixth sixths seventh sevenths "
    "eighth eighths ninth ninths tenth tenths hundredth hundredths thousandth thousandths".split()
)
_PLACES = frozenset("street st avenue ave road rd lane boulevard blvd square highway drive".split())
# A number right after one of these names a thing: "Article 5", "Resolution 2231", "Brigade 155".
_IDENTIFIER_WORDS = frozenset(
    "article articles resolution resolutions section sections chapter chapters page pages pp p paragraph "
    "paragraphs para clause clauses flight flights route highway room no nos nr number platform gate "
    "terminal unit brigade brigades regiment battalion division corps squadron camp zone sector district "
    "block building apartment apt floor lane street avenue exit junction bus train line track channel "
    "episode season round game match stage lap phase level grade class category type model mark mk "
    "version vol volume part act item annex amendment title law decree bill order protocol rule case file "
    "code table figure fig step index rank ranked ward bed cell plot lot pier berth reactor photo photos "
    "size day image video slide verse psalm hall tower box apollo covid windows iphone boeing airbus "
    "fleet precinct station kilometre kilometer km mile group operation tranche package".split()
)
# Identifier words that name a thing only when capitalised: "Unit 8200", not "a unit of 20 soldiers".
_IDENTIFIER_IF_CAPITALISED = frozenset("group unit line operation package tranche".split())
# After these a four-digit number is a year ("in 2000 soldiers were" is rare; "in 2000" is not).
_YEAR_LEAD = frozenset(
    "in since by until till of from before after during year years early late mid spring summer autumn "
    "fall winter fiscal the between and to end start beginning".split()
)
_CHANGE_VERBS = frozenset(
    "rose risen rise rises rising increased increase increases increasing climbed climbs climbing jumped "
    "jumps grew grown grows went gone up fell fallen falls falling dropped drops dropping decreased "
    "declined declines raised raises lowered lowers cut cuts reduced reduces revised changed shrank "
    "swelled doubled".split()
)
_AGE_WORDS = frozenset("age aged ages ageing aging expectancy".split())
_TURNS = frozenset("turned turns turning".split())
_BE = frozenset("is was are were be been being".split())
_SUBJECT_PRONOUNS = frozenset("he she i you we they who".split())
_POPULATION_WORDS = frozenset("population populations populated inhabitants".split())
_SETTLEMENTS = frozenset(
    "city cities town towns village villages country countries nation nations capital metropolis "
    "municipality region province state island community county settlement suburb district".split()
)
_CASUALTY = frozenset(
    "killed killing kills kill dead died dies die wounded wounding wounds wound injured injuring injures "
    "injure hurt missing arrested arresting detained detaining captured capturing kidnapped abducted "
    "rescued evacuated executed shot slain murdered hospitalised hospitalized displaced deaths dying".split()
)

# ---------------------------------------------------------------------------------------------------
# Person nouns: singular forms, plurals made below (soldier -> soldiers, militiaman -> militiamen).

_PERSON_SINGULAR = (
    "soldier troop serviceman servicewoman servicemember officer general civilian person resident child kid "
    "infant baby toddler teenager teen minor student pupil schoolchild schoolboy schoolgirl woman man girl "
    "boy adult pensioner retiree policeman policewoman cop fighter militant insurgent rebel guerrilla "
    "guerilla jihadist extremist terrorist gunman attacker assailant sniper combatant worker employee staffer "
    "volunteer conscript recruit reservist mercenary contractor paramilitary militiaman militiawoman member "
    "refugee migrant seeker evacuee prisoner detainee inmate captive hostage casualty victim fatality citizen "
    "national individual villager inhabitant local passenger pilgrim protester protestor demonstrator rioter "
    "activist journalist reporter photographer cameraman doctor nurse medic paramedic surgeon patient farmer "
    "miner fisherman teacher diplomat official minister lawmaker legislator mp senator deputy leader "
    "commander colonel lieutenant sergeant corporal private captain admiral marine sailor airman pilot "
    "astronaut cosmonaut founder crewman crewmember paratrooper commando ranger guard bodyguard peacekeeper "
    "observer inspector investigator agent spy operative adviser advisor expert engineer specialist "
    "instructor trainee cadet veteran deserter defector suspect criminal convict smuggler trafficker pirate "
    "hacker settler colonist tourist visitor foreigner expatriate expat immigrant emigrant survivor witness "
    "voter delegate participant supporter follower opponent critic tenant partisan loyalist separatist "
    "nationalist islamist shiite sunni christian muslim jew hindu sikh buddhist catholic protestant monk nun "
    "priest cleric imam rabbi bishop pastor relative parent mother father son daughter brother sister husband "
    "wife orphan newborn youth youngster elder senior athlete player fan spectator worshipper worshiper "
    "believer shopper customer driver motorist pedestrian cyclist rider firefighter rescuer lifeguard "
    "dissident politician mayor governor president premier envoy ambassador consul representative negotiator "
    "accuser roommate comrade colleague friend justice collector candidate mediator spokesman spokeswoman "
    "spokesperson analyst "
    "scientist researcher academic professor lecturer lawyer judge prosecutor defendant plaintiff detective "
    "marshal trooper gendarme warden jailer scout sentry infantryman rifleman gunner artilleryman mechanic "
    "technician operator laborer labourer builder craftsman shepherd herder nomad herdsman hunter"
).split()
_PERSON_PLURAL_ONLY = frozenset(
    "people persons men women children police personnel staff crew crews militia militias dead wounded "
    "injured infantry clergy cavalry folk folks gentlemen pows mps casualties others bodies lives souls "
    "deaths fatalities".split()
)
# Collective person nouns that count people whatever the number ("one dead", "26 police").
_PERSON_COLLECTIVE = frozenset("police personnel staff crew dead wounded injured infantry".split())
# Person words that are adjectives before a noun: "dead astronauts", "wounded soldiers".
_PERSON_ADJECTIVES = frozenset("dead wounded injured".split())
_PERSON_COMPOUNDS = frozenset({("suicide", "bombers"), ("suicide", "bomber"), ("asylum", "seekers")})
# A noun that belongs to the person noun after it: "police officers", "aid workers", "army officers".
_NOUN_MODIFIERS = frozenset(
    "police aid health medical rescue border security prison emergency army navy military government "
    "party opposition civilian militia rebel relief humanitarian factory construction farm media news "
    "press un nato fire coast peace service care hospital school university intelligence defence defense "
    "council staff crew family tank combat infantry assault airborne naval marine air special election "
    "polling union oil mine steel rail transport".split()
)
_DEMONYM_WORDS = frozenset(
    "kurds turks arabs jews serbs croats bosniaks uzbeks kazakhs tajiks tamils sikhs poles czechs slovaks "
    "swedes danes finns scots brits britons greeks thais lebanese chinese japanese vietnamese sudanese "
    "congolese burmese nepalese portuguese taiwanese senegalese maltese togolese beninese gabonese "
    "guyanese swiss filipinos rohingya uyghurs uighurs pashtuns hazaras yazidis houthis druze alawites "
    "muslims hindus buddhists catholics protestants shias shiites sunnis christians tatars chechens "
    "dagestanis ossetians abkhaz kyrgyz turkmen baloch balochs somalis yemenis".split()
)
# "Ukrainians", "Iraqis", "Muscovites", "New Yorkers": capitalised plurals that name a people.
_DEMONYM_SUFFIXES = ("ians", "eans", "ans", "is", "ites", "ese", "ers")


def _plural(word: str) -> str:
    if word.endswith("man") and word not in ("german", "human", "shaman"):
        return word[:-3] + "men"
    if word.endswith("child"):
        return word + "ren"
    if word == "person":
        return "people"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


_PERSON_ONE = frozenset(_PERSON_SINGULAR)
_PERSON_MANY = frozenset(map(_plural, _PERSON_SINGULAR)) | _PERSON_PLURAL_ONLY

# ---------------------------------------------------------------------------------------------------
# Words around the counted noun.

# Words that end a counted noun phrase: its noun comes before them or not at all.
_STOP = frozenset(
    "in on at from to by for with without into onto near since during after before over under across "
    "against between among amongst per via within toward towards through throughout around about upon "
    "off out including like than as while when where whereas if so because although though unless "
    "were was are is be been being had have has having will would could can may might should must shall "
    "did do does done the a an this that these those its their his her our my your it they he she we you "
    "them him us who whom which whose what said says say told reported according but nor not no also "
    "all both each every either neither only just still yet already even then there here now today "
    "yesterday tomorrow tonight overnight later earlier ago".split()
)
_PARTITIVE_DETERMINERS = frozenset("the its their these those his her our your whom".split())
_NOT_PLURAL = frozenset(
    "was has is this its his hers ours yours theirs always perhaps afterwards towards thus yes besides "
    "whereas sometimes nevertheless nonetheless unless less news series species means politics physics "
    "economics chaos bus gas alias bias analysis crisis basis thesis status census campus virus focus "
    "plus minus versus corps headquarters us as does goes".split()
)
_COUNTRY_ABBREVIATIONS = frozenset({"US", "U.S", "UK", "U.K", "UN", "U.N", "EU"})
_QUOTES = frozenset("\"'“”‘’«»>„")  # ">" too: scraped text keeps stray markup inside noun phrases
_HYPHEN_PEOPLE = frozenset("strong member members man men person people".split())
_SENTENCE_END = frozenset('.!?:;\n\r"“”(')

# ---------------------------------------------------------------------------------------------------
# Patterns.


_SPACE = r"[ \u00a0\u202f\u2009]"
_NUM_WORD_RE = trie_pattern(_NUM_WORDS)
_DIGITS = re.compile(
    # Consumed and dropped: ISO dates, numeric dates, clock times, fractions and long digit runs (ids,
    # Unix timestamps, phone numbers), so that no piece of them is read as a count.
    r"(?P<skip>\d{4}-\d{1,2}-\d{1,2}(?:T[\d:.]+)?|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b"
    r"|\d{1,2}:\d{2}(?::\d{2})?|\d+(?:/\d+)+|\d{8,})"
    r"|(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d,])"
    rf"|\d{{1,3}}(?:{_SPACE}\d{{3}})+(?![\d.,]?\d)|\d+(?:[.,]\d+)?)"
    rf"(?:(?:{_SPACE}|[-‑])?(?P<scale>(?i:thousand|million|billion|trillion|mn|mln|bn|tn|trn|lakh|crore))\b"
    r"|(?P<abbr>[mbkMBK])\b)?"
)
_DIGIT_RUN = re.compile(r"\d+")
# Run on the lowered text, from a position the hint pattern found.
_WORD_HINT = re.compile(r"\b" + trie_pattern(_WORD_HINTS) + r"\b")
_WORDS = re.compile(
    r"(?P<vague>(?:several|a\s+few|a\s+couple(?:\s+of)?)\s+(?:hundreds?|thousands?|dozens?|millions?|billions?)\b"
    r"|(?:tens|hundreds|dozens)\s+of\s+(?:thousands|millions|billions)\b"
    r"|(?:dozens|hundreds|thousands|millions|billions)\b|scores(?=\s+of\b))"
    r"|(?P<words>(?:(?:an?|(?:a\s+)?(?:half|quarter)(?:\s+of)?\s+a|a\s+(?:half|quarter))\s+"
    r"(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?"
    rf"{_NUM_WORD_RE}(?:(?:\s+and\s+|[\s-]+){_NUM_WORD_RE})*\b)"
)
_WORD_LEAD = re.compile(r"\b(?:an?|half|quarter)\s+(?:(?:half|quarter|few|couple)\s+)?(?:of\s+)?(?:an?\s+)?$")
# A token and the gap before it: a word ("U.S", "al-Qaida", "o'clock"), digits, or one sign.
_TOKEN = re.compile(r"([\s_]*)([^\W\d_]+(?:[.'’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*|[^\s\w])")
_CURRENCY_BEFORE = re.compile(
    r"(?:(?P<sym>(?:\b(?:US|U\.S\.|A|AU|C|CA|HK|NZ|NT|R|MX|S)\s?)?[$€£¥₴₽₹₪₩₺₦₱₸₾₼]|\bRs\.?|\bzł)"
    r"|\b(?P<iso>[A-Z]{3}))\s?$"
)
_GAP_RANGE = re.compile(r"\s*(?:(?P<dash>[-–—])|(?P<word>to|or|and))\s*(?:[$€£]\s?)?$", re.IGNORECASE)
_DECIMAL = re.compile(r"\.\d{1,2}(?!\d)|\.\d{4,}|,\d{1,2}(?!\d)")
_LIST_GAP = re.compile(r"\s*(?:,|and|&|or|,\s*and|,\s*or)\s*", re.IGNORECASE)

# ---------------------------------------------------------------------------------------------------
# Currencies: ISO 4217 codes and their English names from CLDR, through babel, loaded once.

_SYMBOLS = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH", "₽": "RUB",
    "₹": "INR", "₪": "ILS", "₩": "KRW", "₺": "TRY", "₦": "NGN", "₱": "PHP", "₸": "KZT", "₾": "GEL",
    "₼": "AZN", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "hk$": "HKD", "nz$": "NZD",
    "nt$": "TWD", "r$": "BRL", "mx$": "MXN", "s$": "SGD", "rs": "INR", "rs.": "INR", "zł": "PLN",
}  # fmt: skip
# A unit word shared by several currencies means the one news most often means by it; "" means the
# sum is money of a currency the text leaves open ("580 million shillings").
_UNIT_DEFAULTS = {"dollar": "USD", "pound": "GBP", "ruble": "RUB", "franc": "CHF", "rupee": "INR", "lira": "TRY",
                  "won": "KRW", "euro": "EUR", "krone": "", "peso": "", "dinar": "", "shilling": "", "rial": "",
                  "riyal": "", "dirham": "", "manat": "", "leu": "", "som": "", "kwacha": ""}  # fmt: skip
# Spellings news uses that CLDR does not list.
_CURRENCY_EXTRA = {
    "roubles": "RUB", "rouble": "RUB", "hryvnas": "UAH", "hryvna": "UAH", "hryvni": "UAH", "hrivnas": "UAH",
    "hryvnyas": "UAH", "grivnas": "UAH", "us dollars": "USD", "us dollar": "USD", "american dollars": "USD",
    "bucks": "USD", "sterling": "GBP", "pounds sterling": "GBP", "euro": "EUR", "renminbi": "CNY",
    "yuan renminbi": "CNY", "sheqels": "ILS", "shekels": "ILS", "new shekels": "ILS", "zlotych": "PLN",
    "swiss francs": "CHF", "lire": "TRY", "liras": "TRY",
}  # fmt: skip
# Unit words that are everyday English words too count as money only after a scale word.
_AMBIGUOUS_UNITS = frozenset("won real reals rand mark marks pound pounds lek som dong leu lei lev all".split())
_MAJOR_CURRENCIES = frozenset("USD EUR GBP UAH RUB CHF JPY CNY".split())
# ISO codes that are English words or common acronyms in capitals ("SDG 11" is a development goal).
_ISO_NOT_BEFORE = frozenset("ALL CUP TOP MOP PEN MAD TRY BOB SOS GEL BAM AMD STD NIO CVE LAK WST DOP ERN SDG".split())


@dataclass(frozen=True, slots=True)
class _Currencies:
    codes: frozenset[str]
    names: dict[tuple[str, ...], str]  # ("us", "dollars") -> "USD"
    max_words: int


@cache
def _currencies() -> _Currencies:
    """ISO codes in use today and their English names, singular and plural, from CLDR (babel)."""
    from babel import Locale
    from babel.numbers import get_currency_name, get_territory_currencies

    codes: set[str] = set()
    for territory in map(str, Locale("en").territories):
        if len(territory) == 2 and territory.isalpha():
            codes.update(get_territory_currencies(territory, tender=True))
    names: dict[tuple[str, ...], str] = {}
    units: dict[str, set[str]] = {}
    for code in codes:
        for count in (1, 2):
            words = tuple(get_currency_name(code, count=count, locale="en").lower().replace(".", "").split())
            names[words] = code
            units.setdefault(words[-1], set()).add(code)
    for unit, unit_codes in units.items():
        singular = unit[:-1] if unit.endswith("s") and unit[:-1] in units else unit
        if len(unit_codes) == 1:
            names.setdefault((unit,), next(iter(unit_codes)))
        elif singular in _UNIT_DEFAULTS:
            names[(unit,)] = _UNIT_DEFAULTS[singular]
    for phrase, code in _CURRENCY_EXTRA.items():
        names[tuple(phrase.split())] = code
    for code in codes:
        names[(code.lower(),)] = code
    return _Currencies(frozenset(codes), names, max(len(key) for key in names))


# ---------------------------------------------------------------------------------------------------
# Reading one number.


def _digits_value(raw: str, scaled: bool) -> float | None:
    """The value of digits as news writes them: "8,000", "8 000", "8.000", "60.4", "1,5" (before a scale)."""
    compact = re.sub(r"[\s\u00a0\u202f\u2009]", "", raw)
    if "," in compact and "." in compact:
        english = compact.rfind(".") > compact.rfind(",")
        compact = compact.replace(",", "") if english else compact.replace(".", "").replace(",", ".")
    elif "," in compact:
        groups = compact.split(",")
        if all(len(group) == 3 for group in groups[1:]):
            compact = compact.replace(",", "")
        elif len(groups) == 2 and scaled:
            compact = compact.replace(",", ".")  # "1,5 million": a decimal comma
        else:
            return None
    elif "." in compact:
        groups = compact.split(".")
        # "8.000 soldiers" and "1.234.567" group thousands with a dot; "1.500 million" is a decimal.
        if len(groups) > 2 or (len(groups[1]) == 3 and not scaled and not groups[0].startswith("0")):
            if not all(len(group) == 3 for group in groups[1:]):
                return None
            compact = compact.replace(".", "")
    try:
        return float(compact)
    except ValueError:
        return None


def _words_prefix(tokens: list[str]) -> tuple[float, int] | None:
    """The longest prefix of number-word tokens that is one well-formed number, and its length."""
    total = 0.0
    current = 0.0
    last = ""  # what the previous token was: unit, teen, tens, hundred, big, and, a
    best: tuple[float, int] | None = None
    big_seen = float("inf")
    for index, token in enumerate(tokens):
        if token in ("a", "an") and index == 0:
            current, last = 1.0, "a"
            continue
        if token == "and":
            if last not in ("hundred", "big"):
                break
            last = "and"
            continue
        if token in _UNITS:
            kind = "unit" if _UNITS[token] < 10 else "teen"
            if last in ("unit", "teen", "a") or (last == "tens" and kind == "teen"):
                break
            current += _UNITS[token]
            last = kind
        elif token in _TENS:
            if last in ("unit", "teen", "tens", "a"):
                break
            current += _TENS[token]
            last = "tens"
        elif index == 0 and (token in _BIG or token in ("hundred", "dozen")):
            break  # "million" alone is no number; "a million" is
        elif token == "hundred":
            if last == "hundred" or current >= 100:
                break
            current = (current or 1.0) * 100
            last = "hundred"
        elif token == "dozen":
            if last in ("hundred", "and"):
                break
            current = (current or 1.0) * 12
            last = "big"
        elif token in _BIG:
            scale = _BIG[token]
            if scale >= big_seen or last == "and":
                break
            total += (current or 1.0) * scale
            current, big_seen, last = 0.0, scale, "big"
        else:
            break
        best = (total + current, index + 1)
    return best


def _word_number(tokens: list[str]) -> tuple[float, int] | None:
    """Like ``_words_prefix``, and reads "half a million", "a quarter million", "a quarter of a million"."""
    index = 1 if tokens[:1] == ["a"] and tokens[1:2] in (["half"], ["quarter"]) else 0
    if tokens[index : index + 1] not in (["half"], ["quarter"]):
        return _words_prefix(tokens)
    factor = 0.5 if tokens[index] == "half" else 0.25
    index += 1
    if tokens[index : index + 1] == ["of"]:
        index += 1
    if tokens[index : index + 1] in (["a"], ["an"]):
        index += 1
    rest = tokens[index:]
    if not rest or not (rest[0] in _BIG or rest[0] == "dozen"):
        return None
    parsed = _words_prefix(["a", *rest])
    return None if parsed is None else (factor * parsed[0], index + parsed[1] - 1)


def _vague_value(phrase: str) -> float | None:
    words = phrase.lower().split()
    joined = " ".join(words)
    if joined in _VAGUE_PLURALS:
        return _VAGUE_PLURALS[joined]
    if len(words) == 3 and words[1] == "of" and words[0] in _VAGUE_TENS and words[2] in _VAGUE_OF:
        return 2 * _VAGUE_TENS[words[0]] * _VAGUE_OF[words[2]]
    for lead, factor in _FEW:
        if joined.startswith(lead + " "):
            unit = joined[len(lead) + 1 :].removesuffix("s")
            return factor * _SCALES[unit] if unit in ("hundred", "dozen", *_BIG) else None
    return None


def parse_number(words: str) -> float | None:
    """Read one number written in digits, in words or in both.

    Args:
        words: the number alone, e.g. "eleven thousand", "8,000", "8 000", "60.4 billion", "1.5bn",
            "$425m", "two dozen", "twenty-six", "a hundred", "half a million", "dozens", "tens of thousands".

    Returns:
        Its value, or None when the text is not one number. Vague counts give their conventional value
        ("dozens" 24, "hundreds" 200, "several hundred" 300).
    """
    text = re.sub(r"^(?:[A-Z]{3}\s|(?:US|U\.S\.|[A-Z]{1,2})?\s?[$€£¥₴₽₹₪₩₺₦])\s*", "", words.strip())
    if not text:
        return None
    vague = _vague_value(text)
    if vague is not None:
        return vague
    match = re.fullmatch(r"(?P<number>\d[\d,.\s\u00a0\u202f\u2009]*?)[\s-]*(?P<scale>[A-Za-z]+)?", text)
    if match:
        scale = (match.group("scale") or "").lower()
        if scale and scale not in _SCALES:
            return None
        value = _digits_value(match.group("number"), scaled=bool(scale))
        return None if value is None else value * _SCALES.get(scale, 1.0)
    tokens = [token for token in re.split(r"[\s\-]+", text.lower()) if token]
    parsed = _word_number(tokens)
    return parsed[0] if parsed is not None and parsed[1] == len(tokens) else None


# ---------------------------------------------------------------------------------------------------
# Finding the numbers in a text.


@dataclass(frozen=True, slots=True)
class _Atom:
    value: float
    start: int
    end: int
    vague: bool = False
    words: bool = False  # written in words
    scaled: bool = False  # carries a scale word ("million", "bn", "thousand")
    abbr: bool = False  # its scale is one letter glued to the digits ("425m", "10k")


def _atoms(text: str) -> list[_Atom]:
    """Every number in the text, in order: digits from one pass, words from a cheap first pass and a match."""
    atoms: list[_Atom] = []
    digits_end = -1
    for hint in _DIGIT_RUN.finditer(text):
        # Matching from each digit run is several times faster than searching with the whole pattern.
        if hint.start() < digits_end:
            continue
        match = _DIGITS.match(text, hint.start())
        if match is None:
            continue
        digits_end = match.end()
        raw = match.group("digits")
        if raw is None:
            continue
        scale = match.group("scale") or match.group("abbr")
        value = _digits_value(raw, scaled=scale is not None)
        if value is not None:
            value *= _SCALES[scale.lower()] if scale else 1.0
            abbr = match.group("abbr") is not None
            atoms.append(_Atom(value, match.start(), match.end(), scaled=scale is not None, abbr=abbr))
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower to two ("İ"): keep offsets in step
        lower = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
    words_end = -1
    for hint in _WORD_HINT.finditer(lower):
        if hint.start() < words_end:
            continue
        lead = _WORD_LEAD.search(lower, max(0, hint.start() - 20), hint.start())
        run = _WORDS.match(lower, lead.start()) if lead else None
        run = run or _WORDS.match(lower, hint.start())
        if run is None:
            continue
        words_end = run.end()
        if run.group("vague") is not None:
            value = _vague_value(run.group("vague"))
            if value is not None:
                atoms.append(_Atom(value, run.start(), run.end(), vague=True, words=True, scaled=True))
        else:
            atoms.extend(_word_atoms(run.group("words"), run.start()))
    atoms.sort(key=lambda atom: atom.start)
    return atoms


def _word_atoms(run: str, offset: int) -> list[_Atom]:
    """Split a run of number words into numbers: "two and four" is two, "one hundred and six" one."""
    pieces = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[a-z]+", run)]
    atoms: list[_Atom] = []
    index = 0
    while index < len(pieces):
        tokens = [piece[0] for piece in pieces[index:]]
        parsed = _word_number(tokens)
        if parsed is None:
            index += 1
            continue
        value, length = parsed
        if tokens[length - 1] == "and":
            length -= 1
        scaled = any(token in _BIG or token in ("hundred", "dozen") for token in tokens[:length])
        start, end = offset + pieces[index][1], offset + pieces[index + length - 1][2]
        atoms.append(_Atom(value, start, end, words=True, scaled=scaled))
        index += length
    return atoms


# A token: its text, start, end, and its lowered form without dots ("U.S." -> "us").
_Token = tuple[str, int, int, str]


def _tokens(text: str, start: int, end: int, limit: int | None = None) -> list[_Token]:
    # findall gives the gaps and words as strings; summing their lengths saves a match object per token.
    pairs = _TOKEN.findall(text, start, end)
    tokens: list[_Token] = []
    position = start
    for gap, word in pairs[:limit] if limit else pairs:
        position += len(gap)
        # Two replaces are several times faster than one translate with a table.
        tokens.append((word, position, position + len(word), word.lower().replace(".", "").replace("’", "'")))
        position += len(word)
    return tokens


def _is_word(token: str) -> bool:
    return token[:1].isalpha()


def _is_numeric(token: str) -> bool:
    return token[:1].isdigit() or token.lower() in _NUMERIC_WORDS


def _sentence_start(text: str, position: int) -> bool:
    """True when ``position`` opens a sentence, a line or a headline part."""
    index = position - 1
    while index >= 0 and text[index] in " \t\u00a0":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


def _char_checks(text: str, atom: _Atom) -> str | None:
    """Judge the characters glued to the number: "F-16", "G7", "3rd", "155mm", "84-year-old", "40%"."""
    # A space stands for the edge of the text, so that every test below sees a character.
    before = text[atom.start - 1] if atom.start else " "
    before2 = text[atom.start - 2] if atom.start > 1 else " "
    after = text[atom.end] if atom.end < len(text) else " "
    after2 = text[atom.end + 1] if atom.end + 1 < len(text) else " "
    if not atom.words:
        if before.isalnum() or before == "_" or (before in "-‑" and before2.isalnum()):
            return "glued"  # "A320", "F-16", "COVID-19"
        if before in "/#+№" or (before in ". " and before2.isdigit()):
            return "glued"  # "24/7", "#5", "1.2.3", "+49 30 1234567"
        if before in "'’" and (after in "sS" or before2.isdigit() or not before2.isalpha()):
            return "glued"  # "'90s", "summer ’80", 5'10"
        if before in "([" and after in ")]":
            return "bracketed"
    if after.isalpha() or after in "%‰°′″" or (after in "'’\"" and after2.isdigit()):
        return "glued"  # "3rd", "1990s", "155mm", "40%"
    if after == "/" or (after in ".:," and after2.isdigit()):
        return "glued"
    if after in "-‑" and after2.isalpha():
        word = re.match(r"[A-Za-z]+", text[atom.end + 1 : atom.end + 20])
        if word and word.group().lower() in _HYPHEN_PEOPLE and atom.value > 1:
            return "hyphen-people"  # "an 800-strong contingent", "a 10,000-member force"
        return "glued"  # "84-year-old", "three-day", "two-thirds", "one-man"
    return None


# ---------------------------------------------------------------------------------------------------
# What follows a number.


@dataclass(slots=True)
class _Right:
    """What follows a number: its currency, the counted noun, or why it is no count at all."""

    end: int
    excluded: bool = False
    currency: str | None = None
    money: bool = False
    noun: str | None = None
    person: bool = False
    casualty: bool = False  # "one killed", "two dead"
    qualifier: str | None = None  # "10,000 or more", "200 or so", "850+"
    name: bool = False  # only capitalised words follow: "180 Kent is", "Horus 4 rocket"


def _currency_after(tokens: list[_Token], scaled: bool) -> tuple[str | None, int] | None:
    """A currency named right after the number: its ISO code (None if open) and the tokens it takes."""
    data = _currencies()
    words: list[str] = []
    ends: list[int] = []  # how many tokens the phrase takes up to each word, the dot of "U.S." included
    for index, token in enumerate(tokens[: data.max_words + 2]):
        if token[0] == ".":
            if not words or "." not in tokens[index - 1][0]:
                break  # a full stop ends the phrase; the dot of an abbreviation does not
            ends[-1] = index + 1
            continue
        words.append(token[3])
        ends.append(index + 1)
    for size in range(min(data.max_words, len(words)), 0, -1):
        key = tuple(words[:size])
        if key not in data.names:
            continue
        if size == 1 and key[0] in _AMBIGUOUS_UNITS and not scaled:
            return None
        if size == 1 and key[0].upper() in data.codes and not tokens[0][0].isupper():
            return None  # an ISO code counts in capitals only: "USD", not "all"
        return data.names[key] or None, ends[size - 1]
    return None


def _small_value(token: str) -> float | None:
    """The value of a token that can be a ratio's whole: "10", "five", "hundred"; not a year."""
    if token[:1].isdigit():
        value = _digits_value(token, scaled=False)
        return None if value is None or (len(token) == 4 and 1900 <= value <= 2100) else value
    low = token.lower()
    return float(_UNITS.get(low) or _TENS.get(low) or (100 if low == "hundred" else 0)) or None


def _is_ratio(part: float, whole_token: str | None) -> bool:
    whole = _small_value(whole_token) if whole_token else None
    return whole is not None and part < whole <= 1000


def _read_right(text: str, atom: _Atom, position: int) -> _Right:
    """Classify what follows the number that ends at ``position``."""
    right = _Right(end=position)
    tokens = _tokens(text, position, min(len(text), position + 72), limit=11)
    index = 0
    if tokens and tokens[0][3] == "of" and (atom.vague or atom.scaled):
        found = _currency_after(tokens[1:], True)  # "millions of dollars"
        if found is not None:
            right.currency, right.money, right.end = found[0], True, tokens[found[1]][2]
            return right
    found = _currency_after(tokens, atom.scaled)
    if found is not None:
        if tokens[0][3] in ("pound", "pounds") and tokens[1:2] and tokens[1][3] == "of":
            right.excluded = True  # "500 pounds of explosives" is a weight
            return right
        right.currency, right.money, right.end = found[0], True, tokens[found[1] - 1][2]
        index = found[1]
    rest = tokens[index:]
    words = [token[3] for token in rest[:4]]
    if words[:1] == ["or"] and words[1:2] and words[1] in ("more", "so", "fewer", "less"):
        right.qualifier = {"more": "at least", "so": "about"}.get(words[1], "up to")
        right.end, rest = rest[1][2], rest[2:]
    elif rest and rest[0][0] == "+" and rest[0][1] == position:
        right.qualifier, right.end, rest = "more than", rest[0][2], rest[1:]
    if right.money:
        return right
    if words[:3] == ["and", "a", "half"]:
        right.excluded = True  # "two and a half years", "nine and a half hours"
    elif words[:1] == ["in"] and _is_ratio(atom.value, rest[1][0] if len(rest) > 1 else None):
        right.excluded = True  # "one in five"
    elif words[:2] == ["out", "of"] and _is_ratio(atom.value, rest[2][0] if len(rest) > 2 else None):
        right.excluded = True  # "3 out of 10"
    else:
        _read_noun(rest, atom, right)
    return right


@dataclass(slots=True)
class _Run:
    """The words of the noun phrase after a number."""

    words: list[str] = field(default_factory=list)
    joined: list[bool] = field(default_factory=list)  # the word follows an "and"/"or" of the phrase
    partitive: bool = False  # "two of its nationals"
    in_name: bool = False  # cut by a hyphen or digits: "Su-25 jets", "F-16 squadrons"


def _noun_run(tokens: list[_Token]) -> _Run | None:
    """The noun phrase after a number; None when the number is a measure, a percentage or a date."""
    run = _Run()
    conjunction = False
    for position, (token, _, _, low) in enumerate(tokens[:10]):
        if token in _QUOTES:
            continue
        if token == "." and run.words and ("." in run.words[-1] or run.words[-1] in _COUNTRY_ABBREVIATIONS):
            continue
        if not _is_word(token):
            if token in ("%", "°"):
                return None
            run.in_name = token in "-‑" or token[:1].isdigit()
            return run
        if position == 0 and low in _MONTHS and token[0].isupper() and (low != "may" or token == "May"):
            return None  # "31 October"
        if low == "per" and tokens[position + 1 : position + 2] and tokens[position + 1][3] == "cent":
            return None  # "37 per cent"
        if low == "of":
            if run.partitive or run.words:
                break
            run.partitive = True
            continue
        if run.partitive and not run.words and low in _PARTITIVE_DETERMINERS:
            continue
        if low in ("and", "or") and run.words and not conjunction:
            conjunction = True
            continue
        if (low in _STOP and token not in _COUNTRY_ABBREVIATIONS) or _is_numeric(token):
            break
        run.joined.append(conjunction and bool(run.words) and run.joined[-1:] != [True])
        run.words.append(token)
        if len(run.words) >= 5:
            break
    return run


def _read_noun(tokens: list[_Token], atom: _Atom, right: _Right) -> None:
    """Find the counted noun after a number, or mark the number as a measure, a time or a date."""
    found = _noun_run(tokens)
    if found is None:
        right.excluded = True
        return
    run, joined, partitive = found.words, found.joined, found.partitive
    one = atom.value == 1 and not atom.scaled and not atom.vague
    if partitive and one:
        right.excluded = True  # "one of the strongest": a pronoun
        return
    if partitive and not atom.vague and not run:
        return
    demonym: str | None = None
    for index, token in enumerate(run):
        low = token.lower().replace(".", "").replace("’", "'")
        if index and joined[index] and (right.noun or demonym):
            break
        if index == 0 and low in _CASUALTY:
            right.casualty = True
        if low in _TIME_UNITS or low in _MEASURES or low in _FRACTIONS:
            right.excluded = True
            return
        if low in _PLACES and run[0][:1].isupper():
            right.excluded = True  # "10 Downing Street"
            return
        following = run[index + 1] if index + 1 < len(run) and not joined[index + 1] else ""
        next_low = following.lower()
        if (low, next_low) in _PERSON_COMPOUNDS:
            right.noun, right.person = f"{low} {next_low}", True
            return
        if low in _PERSON_COLLECTIVE or (low in _PERSON_ONE if one else low in _PERSON_MANY):
            if next_low not in _PERSON_COLLECTIVE and (next_low in _PERSON_ONE if one else next_low in _PERSON_MANY):
                continue  # "police officers", "civilian advisers": the later noun is the head
            # A person word before a noun is its adjective: "three dead astronauts", "one local library",
            # "police stations"; not in "one analyst catches", "26 police killed", "60,000 staff worldwide".
            collective = low in _PERSON_COLLECTIVE and next_low.endswith("s")
            adjective = (low in _PERSON_ADJECTIVES or collective or one) and following[:1].islower()
            verb = next_low in _CASUALTY or next_low.endswith(("ed", "ing")) or (one and next_low.endswith("s"))
            if adjective and not verb:
                continue
            before = run[index - 1].lower() if index and not joined[index] else ""
            right.noun = f"{before} {low}" if before in _NOUN_MODIFIERS and before != low else low
            right.person = True
            return
        capitalised = token[:1].isupper() and demonym is None and not one and token.isalpha()
        if capitalised and (low in _DEMONYM_WORDS or (low.endswith(_DEMONYM_SUFFIXES) and len(low) > 4)):
            demonym = low
            continue
        plural = low.endswith("s") and not low.endswith(("ss", "us", "is", "'s")) and len(low) > 2
        if not one and token[:1].islower() and plural and low not in _NOT_PLURAL and low not in _CASUALTY:
            right.noun, demonym = low, None  # "Chinese police stations": the demonym was an adjective
            break
    if demonym is not None:
        right.noun, right.person = demonym, True
    elif run and not right.noun and not found.in_name and not atom.words:
        right.name = all(word[:1].isupper() and word not in _COUNTRY_ABBREVIATIONS for word in run)


# ---------------------------------------------------------------------------------------------------
# What precedes a number.


def _qualifier_before(left: list[_Token]) -> tuple[str | None, int]:
    """The qualifier that ends the left context, and how many tokens it takes."""
    words = tuple(token[3] for token in left[-3:])
    for size in (3, 2, 1):
        if len(words) >= size and words[-size:] in _QUALIFIERS:
            return _QUALIFIERS[words[-size:]], size
    return None, 0


def _currency_before(text: str, atom: _Atom) -> tuple[str, int] | None:
    """A currency sign or code right before the number, as an ISO code, and where it starts."""
    prefix = _CURRENCY_BEFORE.search(text, max(0, atom.start - 8), atom.start)
    if prefix is None or atom.words:
        return None
    iso = prefix.group("iso")
    if iso:
        # Capitals before a small bare number are more often an acronym than a currency ("SGD 7 predicts").
        amount = atom.scaled or atom.value >= 1000 or iso in _MAJOR_CURRENCIES
        known = iso in _currencies().codes and iso not in _ISO_NOT_BEFORE
        return (iso, prefix.start()) if known and amount else None
    symbol = re.sub(r"\s", "", prefix.group("sym")).lower()
    code = _SYMBOLS.get(symbol) or _SYMBOLS.get(symbol[-1:])
    return (code, prefix.start()) if code else None


def _left_reason(text: str, atom: _Atom, left: list[_Token], qualifier_size: int, right: _Right) -> str | None:
    """Why the words before the number make it no count: "age", "population", "date", "name", "ratio"."""
    bare = left[: len(left) - qualifier_size]
    lows = [token[3] for token in bare]
    if any(token[3] in _AGE_WORDS for token in left[-4:]):
        return "age"
    if right.noun == "inhabitants" or any(token[3] in _POPULATION_WORDS for token in left[-6:]):
        return "population"
    if (lows[-2:-1] and lows[-1] == "of" and lows[-2] in _SETTLEMENTS) or lows[-2:] == ["home", "to"]:
        return "population"  # "a city of 60,000", "home to 20,000 people"
    if not bare:
        return None
    previous, previous_start, _, low = bare[-1]
    if previous == "." and len(bare) >= 2:
        if lows[-2] in _MONTHS:
            return "date"  # "Oct. 31"
        if lows[-2] in ("no", "nos", "nr", "p", "pp", "fig", "vol", "art", "para", "sec"):
            return "name"  # "No. 5", "p. 4"
    month = low in _MONTHS and previous[0].isupper() and (low != "may" or previous == "May")
    if month and not qualifier_size:
        return "date"  # "October 31"
    identifier = low in _IDENTIFIER_WORDS and _is_word(previous)
    if identifier and not qualifier_size and not (low in _IDENTIFIER_IF_CAPITALISED and previous[0].islower()):
        return "name"  # "Article 5", "Resolution 2231", "page 4"
    if lows[-1:] == ["of"] and len(bare) >= 2 and bare[-2][0] == "Group":
        return "name"  # "Group of 20"
    capitalised = previous[:1].isupper() and _is_word(previous) and not _sentence_start(text, previous_start)
    if capitalised and not qualifier_size and not month and not right.person and not right.money:
        return "name"  # "Brigade 155", "Windows 10", "Apollo 11"
    if low == "in" and len(bare) >= 2 and _is_ratio_part(bare[-2][0], atom.value):
        return "ratio"  # "one in five"
    if lows[-2:] == ["out", "of"] and len(bare) >= 3 and _is_ratio_part(bare[-3][0], atom.value):
        return "ratio"
    if not (right.noun or right.person or right.money) and atom.value <= 120 and _is_stated_age(text, atom, bare):
        return "age"
    return None


def _is_ratio_part(token: str, whole: float) -> bool:
    part = _small_value(token)
    return part is not None and part < whole <= 1000


def _is_stated_age(text: str, atom: _Atom, left: list[_Token]) -> bool:
    """ "she was 15", "Blair is 71", "who turns 18", "as young as 14", "You're 22", "Jane Doe, 19,"."""
    previous = left[-1][3]
    before = left[-2][0] if len(left) >= 2 else ""
    if previous in _TURNS or previous.endswith(("'re", "'m")) or previous in ("he's", "she's"):
        return True
    if previous == "as" and before.lower() in ("young", "old"):
        return True
    if previous in _BE and (before.lower() in _SUBJECT_PRONOUNS or (before[:1].isupper() and _is_word(before))):
        return not before.endswith("s")  # "Blair is 71", not "Casualties were 45"
    # An apposition after a name or a person: "Olena Ivanova, 19, was", "Bianca Jones, also 19,", "a boy, 12,".
    index = len(left) - 1 - (previous in ("also", "aged"))
    named = index >= 1 and (left[index - 1][0][:1].isupper() or left[index - 1][3] in _PERSON_ONE)
    if named and left[index][0] in ",(":
        follow = text[atom.end : atom.end + 2].lstrip()[:1]
        return follow in (",", ")", ".", ";") or follow.islower()
    return False


def _is_year(text: str, atom: _Atom, left: list[_Token], right: _Right) -> bool:
    raw = text[atom.start : atom.end]
    if not (len(raw) == 4 and raw.isdigit() and 1000 <= atom.value <= 2100):
        return False
    return not (right.person or right.money) or (bool(left) and left[-1][3] in _YEAR_LEAD)


def _one_is_a_count(left: list[_Token], qualifier: str | None, right: _Right) -> bool:
    """ "one" counts when it is qualified, names a person or stands by a casualty word: not "no one"."""
    if qualifier is not None or right.person or right.casualty:
        return True
    return bool(left) and left[-1][3] in _CASUALTY


def _is_age_range(left: list[_Token], first: _Atom, second: _Atom) -> bool:
    """ "men from 18 to 60", "between the ages of 18 and 60": a bare range of ages."""
    if second.value > 120 or first.value > 120:
        return False
    return any(token[3] in _AGE_WORDS or token[3] in _PERSON_MANY or token[3] == "years" for token in left[-4:])


def _is_bare_age(left: list[_Token], atom: _Atom) -> bool:
    """ "children under 5", "those over 60": a small bare number after a person noun and under/over."""
    if atom.value > 120 or len(left) < 2 or left[-1][3] not in ("under", "over", "above", "below"):
        return False
    return left[-2][3] in _PERSON_MANY or left[-2][3] == "those"


# ---------------------------------------------------------------------------------------------------
# Putting it together.


@dataclass(slots=True)
class _Pair:
    """A number and, for a range or a coordination, the number after it."""

    atom: _Atom
    partner: _Atom | None = None
    is_range: bool = False
    dropped: bool = False
    glued: str | None = None


def _pair(text: str, atoms: list[_Atom], index: int, left: list[_Token]) -> _Pair:
    """Join a number to the next one: "5,000 to 6,000 soldiers", "six to twelve months", "155 and 105 mm"."""
    atom = atoms[index]
    pair = _Pair(atom, glued=_char_checks(text, atom))
    if index + 1 >= len(atoms) or pair.glued not in (None, "glued"):
        return pair
    following = atoms[index + 1]
    gap = _GAP_RANGE.match(text, atom.end, following.start)
    if gap is None or following.start - atom.end > 8:
        return pair
    dash = gap.group("dash") is not None
    if pair.glued is not None and not (dash and text[atom.end] in "-–—"):
        return pair
    connector = (gap.group("word") or "").lower()
    words_before = [token[3] for token in left[-4:]]
    if words_before[-1:] == ["from"] and any(word in _CHANGE_VERBS for word in words_before):
        pair.dropped = True  # "rose from 18 to 60": the old figure is no count
        return pair
    is_range = words_before[-1:] == ["between"] if connector == "and" else True
    if following.value <= atom.value and not following.scaled:
        is_range = False  # "won 6-4", "voted 120 to 30": two numbers
    if following.scaled and not atom.scaled and atom.value >= 1000:
        is_range = False  # "in 2023 to €3.6 million"
    if is_range:
        pair.partner, pair.is_range, pair.glued = following, True, None
    elif dash and following.start - atom.end == 1:
        pair.dropped = True  # "6-4", "555-1234": a score or a code; the second number goes too
    elif connector in ("and", "or") and pair.glued is None:
        pair.partner = following  # "155 and 105 millimeter": the first shares the second's noun
    return pair


def find_quantities(text: str) -> list[Quantity]:
    """Find the counts of people, the sums of money and the other counts in a text.

    Numbers that are no count are left out: ages, years, dates, clock times, durations, populations,
    measures, calibres, percentages, ratios, ordinals, scores, numbers inside names ("F-16",
    "Resolution 2231", "Brigade 155") and "one" as a pronoun ("one of the", "no one").

    Args:
        text: an article or a sentence.

    Returns:
        The quantities in text order. A range is one quantity: its lower bound with "at least" (its upper
        bound when the text says "up to"). Vague counts ("dozens", "several hundred") carry a
        conventional value and ``vague=True``.
    """
    atoms = _atoms(text)
    found: list[Quantity] = []
    index = 0
    # The last number dropped as a name or a date, and where it ends: the bare numbers listed after it
    # belong to it ("Sections 21, 24 and 26", "July 9 and 10"), a count does not ("On June 19, 1,000 people").
    listed: tuple[str | None, int] = (None, -1)
    while index < len(atoms):
        atom = atoms[index]
        quantity, consumed, reason = _resolve(text, atoms, index)
        in_list = listed[0] is not None and _LIST_GAP.fullmatch(text, listed[1], atom.start) is not None
        bare = quantity is not None and quantity.kind == "count" and quantity.noun is None and not atom.words
        if in_list and bare and (listed[0] == "name" or atom.value <= 31):
            quantity, reason = None, listed[0]
        listed = (reason, atoms[index + consumed - 1].end) if reason in ("name", "date") else (None, -1)
        if quantity is not None:
            found.append(quantity)
        index += consumed
    return found


def _resolve(text: str, atoms: list[_Atom], index: int) -> tuple[Quantity | None, int, str | None]:
    """The quantity that ``atoms[index]`` makes (with the next atom for a range), the atoms it takes,
    and why it was dropped when it names a thing or a date."""
    atom = atoms[index]
    after = text[atom.end : atom.end + 1]
    if after.isalpha() or after in ("%", "/"):
        return None, 1, None  # glued to letters: "3rd", "155mm", "1990s"; no need to read the words around
    left = _tokens(text, max(0, atom.start - 40), atom.start)[-7:]
    pair = _pair(text, atoms, index, left)
    if pair.dropped or (pair.glued is not None and pair.glued != "hyphen-people"):
        return None, 1, None
    partner = pair.partner
    consumed = 2 if pair.is_range else 1
    last = partner or atom
    right = _Right(end=atom.end, person=True) if pair.glued else _read_right(text, last, last.end)
    if right.excluded:
        return None, consumed, None
    if right.name and not right.person:
        return None, consumed, "name"  # "180 Kent is", "10 Downing Street"
    if pair.is_range and partner is not None and partner.scaled and not atom.scaled and atom.value < partner.value:
        # "5 to 6 million", "one to two billion dollars": the second's scale word covers the first
        factor = partner.value / (parse_number(text[partner.start : partner.end].split()[0]) or partner.value)
        if factor >= 1000 and atom.value * factor <= partner.value:
            atom = _Atom(atom.value * factor, atom.start, atom.end, atom.vague, atom.words, True, atom.abbr)

    start = atom.start
    money, currency = right.money, right.currency
    prefix = _currency_before(text, atom)
    if prefix is not None:
        money, currency, start = True, currency or prefix[0], prefix[1]
        left = _tokens(text, max(0, start - 40), start)[-7:]
    qualifier, qualifier_size = _qualifier_before(left)
    if qualifier_size and atom.value < 10 and left[-1][3] in _LOOSE_QUALIFIERS:
        qualifier, qualifier_size = None, 0  # "over two air raids": a preposition
    if qualifier_size:
        start = left[-qualifier_size][1]
    qualifier = qualifier or right.qualifier
    counted = right.person or bool(right.noun) or money

    reason = _left_reason(text, atom, left, qualifier_size, right)
    if reason is not None:
        return None, consumed, reason
    if _is_year(text, atom, left, right):
        return None, consumed, "date"
    if _is_no_count(text, atom, left, right, counted, money, qualifier):
        return None, consumed, None
    dashed = partner is not None and text[atom.end : partner.start].strip() in ("-", "–", "—")
    if pair.is_range and partner is not None and not counted and (dashed or _is_age_range(left, atom, partner)):
        return None, consumed, None  # "aged 18 to 60"; "1991-1995", "555-1234" with no noun

    value, number_start, number_end, end = atom.value, atom.start, atom.end, max(right.end, atom.end)
    if pair.is_range and partner is not None:
        if qualifier in _UPPER_QUALIFIERS:
            value, number_start, number_end = partner.value, partner.start, partner.end
        else:
            qualifier = qualifier or "at least"
        if left and left[-1][3] == "between" and not qualifier_size:
            start = left[-1][1]
        end = max(right.end, partner.end)
    kind: Kind = "money" if money else "people" if right.person else "count"
    quantity = Quantity(
        value=float(value),
        start=start,
        end=end,
        number_start=number_start,
        number_end=number_end,
        qualifier=qualifier,
        vague=atom.vague,
        kind=kind,
        noun=None if money else right.noun,
        currency=currency if money else None,
    )
    return quantity, consumed, None


def _is_no_count(
    text: str, atom: _Atom, left: list[_Token], right: _Right, counted: bool, money: bool, qualifier: str | None
) -> bool:
    """The remaining reasons a number counts nothing, once its neighbours are known."""
    if atom.abbr and not money:
        return True  # "50m" without a currency is a distance as often as a sum
    decimal = not atom.scaled and not atom.words and _DECIMAL.search(text, atom.start, atom.end) is not None
    if not money and (atom.value != int(atom.value) or decimal):
        return True  # a fraction counts no people: "60.4" alone, "7.30", "Trump 2.0"
    if atom.value == 0 and not right.person:
        return True
    if (
        not atom.words
        and (atom.start == 0 or text[atom.start - 1] == "\n")
        and text[atom.end : atom.end + 1] in (".", ")")
    ):
        return True  # "1. First point": a list marker
    if not counted and _is_bare_age(left, atom):
        return True
    if atom.words and not atom.vague:
        if text[atom.start].isupper() and not _sentence_start(text, atom.start) and not right.person:
            return True  # "the Five Eyes", "Group of Seven": a name
        if atom.value in (0, 1) and not atom.scaled and not _one_is_a_count(left, qualifier, right):
            return True  # "no one", "the one who": a pronoun
    return False
