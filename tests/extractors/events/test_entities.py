"""Tests of extractors/events/entities.py: names in text, one canonical name per entity, demonyms."""

from __future__ import annotations

from itertools import pairwise

import pytest

from extractors.events.entities import (
    Mention,
    canonical_person,
    country_name,
    country_of_demonym,
    find_entities,
)
from tests.conftest import SEEDS


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8")


def found(text: str) -> set[tuple[str, str, str, str | None]]:
    return {(m.name, m.canonical, m.kind, m.country) for m in find_entities(text)}


def names(text: str) -> set[str]:
    return {m.name for m in find_entities(text)}


# --- canonical_person ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "Zelensky",
            "Zelenskyy",
            "Zelenskyi",
            "Zelenskiy",
            "Selenskyj",
            "Selensky",
            "Zelenskyj",
            "Volodymyr Zelenskyy",
            "Wolodymyr Selenskyj",
            "President Volodymyr Zelensky",
            "Zelensky's",
        ],
        ["Sergei Shoigu", "Sergej Schoigu", "Shoigu"],
        ["Sergei Lavrov", "Sergej Lawrow", "Lavrov"],
        ["Dmitry Peskov", "Dmitri Peskow"],
        ["Dmitry Medvedev", "Dmitri Medwedew"],
        ["Valery Gerasimov", "Waleri Gerassimow"],
        ["Denys Shmyhal", "Denys Schmyhal"],
        ["Oleksandr Syrskyi", "Oleksandr Syrskyj", "Syrsky"],
        ["Vitali Klitschko", "Witali Klitschko"],
        ["Mykola Kostyuk", "Kostjuk"],
        ["Maria Zakharova", "Marija Zakharova"],
        ["Kim Jong Un", "Kim Jong-un", "Kim Jong-Un"],
        ["Kim Yo Jong", "Kim Yo-jong"],
        ["Abdel Fattah al-Burhan", "al-Burhan", "Burhan"],
        ["Ursula von der Leyen", "von der Leyen"],
        ["Benjamin Netanyahu", "Netanyahu", "Prime Minister Benjamin Netanyahu"],
        ["Yunus-bek Yevkurov", "Yevkurov"],
        ["Andriï Kovalenko", "Andrii Kovalenko", "Kovalenko"],
    ],
)
def test_spellings_of_one_person_have_one_canonical_name(spellings: list[str]) -> None:
    canonical = {canonical_person(spelling) for spelling in spellings}
    assert len(canonical) == 1, canonical


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Selenskyj", "Zelensky"),
        ("Wolodymyr Selenskyj", "Zelensky"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("Sergej Lawrow", "Lavrov"),
        ("Olaf Scholz", "Scholz"),  # German names keep "sch"
        ("Christopher Wray", "Wray"),  # and English ones their "w"
        ("Prince Andrew", "Andrew"),
        ("Olusegun Obasanjo", "Obasanjo"),
        ("Marine Le Pen", "Le Pen"),
        ("Ahmed Ben Bella", "Ben Bella"),
        ("Sean O'Brien", "O'Brien"),
        ("Mitch McConnell", "McConnell"),
        ("MCCONNELL", "McConnell"),
        ("Emmanuel Macron", "Macron"),
        ("Xi Jinping", "Xi Jinping"),
        ("", ""),
    ],
)
def test_canonical_person_is_read_from_the_name(name: str, expected: str) -> None:
    assert canonical_person(name) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sergei Shoigu", "Sergei Lavrov"),
        ("Kim Jong Un", "Kim Yo Jong"),
        ("Kim Jong Un", "Kim Yong-hyun"),
        ("Volodymyr Zelensky", "Olena Zelenska"),
        ("Oleksandr Syrsky", "Volodymyr Zelensky"),
        ("Dmitry Peskov", "Dmitry Medvedev"),
        ("Xi Jinping", "Li Qiang"),
        ("Andrew", "Andrey"),
    ],
)
def test_near_names_stay_apart(one: str, other: str) -> None:
    assert canonical_person(one) != canonical_person(other)


# --- countries and demonyms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("Russian", "RUS"),
        ("North Korean", "PRK"),
        ("South Korean", "KOR"),
        ("Ukrainian", "UKR"),
        ("American", "USA"),
        ("Russians", "RUS"),
        ("North Koreans", "PRK"),
        ("Israeli", "ISR"),
        ("Palestinian", "PSE"),
        ("Sudanese", "SDN"),
        ("South Sudanese", "SSD"),
        ("Malian", "MLI"),
        ("Burkinabe", "BFA"),
        ("Burmese", "MMR"),
        ("British", "GBR"),
        ("Saudi", "SAU"),
        ("Congolese", "COD"),
        ("Filipino", "PHL"),
        ("Swiss", "CHE"),
        ("US", "USA"),
        ("Britain", "GBR"),
    ],
)
def test_demonyms_name_countries(word: str, iso3: str) -> None:
    assert country_of_demonym(word) == iso3


@pytest.mark.parametrize("word", ["Korean", "Moreover", "soldiers", "", "European"])
def test_words_that_name_no_country(word: str) -> None:
    assert country_of_demonym(word) is None


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("PRK", "North Korea"),
        ("KOR", "South Korea"),
        ("USA", "United States"),
        ("GBR", "United Kingdom"),
        ("RUS", "Russia"),
        ("IRN", "Iran"),
        ("SYR", "Syria"),
        ("PSE", "Palestine"),
        ("prk", "North Korea"),
        ("XYZ", "XYZ"),
    ],
)
def test_country_names_are_short_english_names(iso3: str, name: str) -> None:
    assert country_name(iso3) == name


# --- find_entities: wire copy from several conflicts ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On 3 March 2022, Russian forces shelled Kharkiv, killing two civilians and wounding five.",
            {
                ("Russian forces", "Russian armed forces", "organisation", "RUS"),
                ("Kharkiv", "Kharkiv", "place", "UKR"),
            },
        ),
        (
            "Israeli air strikes on Rafah and Khan Younis killed at least 40 people, the Gaza health ministry said.",
            {
                ("Rafah", "Rafah", "place", "PSE"),
                ("Khan Younis", "Khan Yunis", "place", "PSE"),
                ("Gaza health ministry", "Gaza health ministry", "organisation", "PSE"),
            },
        ),
        (
            "The Rapid Support Forces (RSF) attacked El Fasher in North Darfur state on Sunday, the UN said.",
            {
                ("Rapid Support Forces", "Rapid Support Forces", "organisation", "SDN"),
                ("RSF", "Rapid Support Forces", "organisation", "SDN"),
                ("El Fasher", "El Fasher", "place", "SDN"),
                ("North Darfur state", "North Darfur", "place", "SDN"),
                ("UN", "United Nations", "organisation", None),
            },
        ),
        (
            "Sudan's army said it had retaken Wad Madani from the paramilitaries.",
            {
                ("Sudan's army", "Sudanese armed forces", "organisation", "SDN"),
                ("Wad Madani", "Wad Medani", "place", "SDN"),
            },
        ),
        (
            "Gunmen killed 12 soldiers near Djibo in northern Burkina Faso, the army said.",
            {("Djibo", "Djibo", "place", "BFA"), ("Burkina Faso", "Burkina Faso", "country", "BFA")},
        ),
        (
            "Jihadists ambushed a convoy between Gao and Timbuktu in Mali.",
            {
                ("Gao", "Gao", "place", "MLI"),
                ("Timbuktu", "Timbuktu", "place", "MLI"),
                ("Mali", "Mali", "country", "MLI"),
            },
        ),
        (
            "Myanmar's military carried out air strikes in Sagaing Region and Rakhine State, the Arakan Army said.",
            {
                ("Myanmar's military", "Myanmar armed forces", "organisation", "MMR"),
                ("Sagaing Region", "Sagaing", "place", "MMR"),
                ("Rakhine State", "Rakhine", "place", "MMR"),
                ("Arakan Army", "Arakan Army", "organisation", "MMR"),
            },
        ),
        (
            "Kremlin spokesman Dmitry Peskov told reporters that Moscow would respond.",
            {
                ("Kremlin", "Kremlin", "organisation", "RUS"),
                ("Dmitry Peskov", "Peskov", "person", "RUS"),
                ("Moscow", "Moscow", "place", "RUS"),
            },
        ),
        (
            "Russia's defence ministry said its troops had taken a village in the Donetsk region.",
            {
                ("Russia's defence ministry", "Russian defence ministry", "organisation", "RUS"),
                ("Donetsk region", "Donetsk Oblast", "place", "UKR"),
            },
        ),
        (
            "Hamas said Israeli troops raided Jenin in the occupied West Bank.",
            {
                ("Hamas", "Hamas", "organisation", "PSE"),
                ("Israeli troops", "Israeli armed forces", "organisation", "ISR"),
                ("Jenin", "Jenin", "place", "PSE"),
                ("West Bank", "West Bank", "place", "PSE"),
            },
        ),
        (
            "The U.S. State Department said Secretary of State Antony Blinken would travel to Cairo.",
            {
                ("U.S. State Department", "US State Department", "organisation", "USA"),
                ("Antony Blinken", "Blinken", "person", None),
                ("Cairo", "Cairo", "place", "EGY"),
            },
        ),
        (
            "The Red Cross said aid convoys reached Kassala and Port Sudan.",
            {
                ("Red Cross", "Red Cross", "organisation", None),
                ("Kassala", "Kassala", "place", "SDN"),
                ("Port Sudan", "Port Sudan", "place", "SDN"),
            },
        ),
        (
            "Ukrainian President Volodymyr Zelenskyy met NATO Secretary-General Mark Rutte in Kyiv.",
            {
                ("Volodymyr Zelenskyy", "Zelensky", "person", "UKR"),
                ("NATO", "NATO", "organisation", None),
                ("Mark Rutte", "Rutte", "person", None),
                ("Kyiv", "Kyiv", "place", "UKR"),
            },
        ),
        (
            "Kiev, Kharkov and Odessa came under attack, the General Staff of Ukraine said.",
            {
                ("Kiev", "Kyiv", "place", "UKR"),
                ("Kharkov", "Kharkiv", "place", "UKR"),
                ("Odessa", "Odesa", "place", "UKR"),
                ("General Staff of Ukraine", "Ukrainian general staff", "organisation", "UKR"),
            },
        ),
        (
            "The IAEA said the Zaporizhzhia plant in Ukraine lost power; the White House and the Pentagon were silent.",
            {
                ("IAEA", "IAEA", "organisation", None),
                ("Zaporizhzhia", "Zaporizhzhya", "place", "UKR"),
                ("Ukraine", "Ukraine", "country", "UKR"),
                ("White House", "White House", "organisation", "USA"),
                ("Pentagon", "Pentagon", "organisation", "USA"),
            },
        ),
        (
            "Côte d'Ivoire, the DRC, the UAE, Britain and the Russian Federation signed.",
            {
                ("Côte d'Ivoire", "Ivory Coast", "country", "CIV"),
                ("DRC", "Democratic Republic of the Congo", "country", "COD"),
                ("UAE", "United Arab Emirates", "country", "ARE"),
                ("Britain", "United Kingdom", "country", "GBR"),
                ("Russian Federation", "Russia", "country", "RUS"),
            },
        ),
    ],
)
def test_wire_sentences(text: str, expected: set[tuple[str, str, str, str | None]]) -> None:
    assert found(text) == expected


def test_a_title_gives_a_person_and_the_country_before_it() -> None:
    text = "North Korea's Foreign Minister Choe Son Hui met her Russian counterpart Sergei Lavrov in Moscow."
    assert ("Choe Son Hui", "Choe Son Hui", "person", "PRK") in found(text)
    assert ("Sergei Lavrov", "Lavrov", "person", "RUS") in found(text)


def test_verbs_of_saying_give_people() -> None:
    text = 'Pyongyang sent troops, said Pentagon deputy spokeswoman Sabrina Singh. "It is escalation," Singh warned.'
    people = {(m.name, m.canonical) for m in find_entities(text) if m.kind == "person"}
    assert people == {("Sabrina Singh", "Singh"), ("Singh", "Singh")}


def test_a_surname_alone_joins_the_full_name_given_elsewhere() -> None:
    text = (
        "Putin spoke first. Russian President Vladimir Putin said the talks were over. "
        "Later Putin left for Kazan, and Lavrov stayed."
    )
    people = [(m.name, m.canonical, m.country) for m in find_entities(text) if m.kind == "person"]
    assert people == [("Putin", "Putin", "RUS"), ("Vladimir Putin", "Putin", "RUS"), ("Putin", "Putin", "RUS")]


def test_a_family_name_alone_joins_the_one_full_name_given() -> None:
    text = 'Foreign Minister Choe Son Hui arrived. "We will win," said Choe.'
    people = [(m.name, m.canonical) for m in find_entities(text) if m.kind == "person"]
    assert people == [("Choe Son Hui", "Choe Son Hui"), ("Choe", "Choe Son Hui")]


def test_kim_jong_un_and_kim_yo_jong_are_two_people() -> None:
    text = "Leader Kim Jong Un and his sister, deputy director Kim Yo Jong, watched the launch."
    people = {m.canonical for m in find_entities(text) if m.kind == "person"}
    assert people == {"Kim Jong Un", "Kim Yo Jong"}


def test_spelled_variants_in_one_text_are_one_person() -> None:
    text = (
        "Ukrainian President Volodymyr Zelenskyi spoke. Selenskyj called for help. "
        '"We need weapons," said Selensky, and Zelensky repeated it.'
    )
    people = {(m.name, m.canonical, m.country) for m in find_entities(text) if m.kind == "person"}
    assert people == {
        ("Volodymyr Zelenskyi", "Zelensky", "UKR"),
        ("Selenskyj", "Zelensky", "UKR"),
        ("Selensky", "Zelensky", "UKR"),
        ("Zelensky", "Zelensky", "UKR"),
    }


# --- precision ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Moreover, the talks failed.",
        "Meanwhile, prices rose again.",
        "According to officials, the talks failed.",
        "Nice weather is expected.",
        "Split decisions are rare.",
        "Mobile phones were seized.",
        "Of the wounded, two died.",
        "Officials said the road was closed.",
        "Witnesses told reporters that the shelling lasted an hour.",
        "Emergency declared in hospitals.",
        "Police said the suspect fled.",
        "The Bank said rates would stay.",
        "It was the kyiv road.",
        "I've seen it; We're done; Don't go.",
    ],
)
def test_capitalised_words_that_name_nothing(text: str) -> None:
    assert find_entities(text) == []


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Shelling hit the Kursk region overnight.", "Kursk Oblast"),
        ("North Korean troops in the Russian Kursk-Region.", "Kursk Oblast"),
        ("Drones struck Kharkiv Oblast.", "Kharkiv Oblast"),
        ("Fighting in the Donetsk oblast went on.", "Donetsk Oblast"),
        ("The army shelled Khartoum state.", "Khartoum State"),
        ("Clashes in Idlib province killed four.", "Idlib Province"),
        ("Air strikes hit Rakhine.", "Rakhine"),
    ],
)
def test_regions_have_one_name(text: str, canonical: str) -> None:
    places = [m.canonical for m in find_entities(text) if m.kind == "place"]
    assert places == [canonical]


def test_a_town_named_like_a_first_name_is_no_place_beside_a_surname() -> None:
    assert names("Lauren Kent reported from London.") == {"London"}
    assert names("Marco Rubio met Nelson Mandela's widow.") == set()


def test_a_word_that_is_a_town_counts_only_inside_a_sentence() -> None:
    assert names("Nice is in France. The summit in Nice ended.") == {"France", "Nice"}
    assert [m.start for m in find_entities("Nice is in France. The summit in Nice ended.")] == [11, 33]


def test_a_city_speaks_for_its_government() -> None:
    assert found("Moscow said the talks were over.") == {("Moscow", "Moscow", "place", "RUS")}
    assert found('"We will respond," said Kyiv.') == {("Kyiv", "Kyiv", "place", "UKR")}


def test_an_all_capitals_headline_is_not_read_for_abbreviations() -> None:
    assert "WHO" not in names("WHO SAID THAT")
    assert ("WHO", "WHO", "organisation", None) in found("The WHO said cases rose.")


def test_an_organisation_ending_in_an_institution_word() -> None:
    assert found("The Nordic Council met in Reykjavik.") == {
        ("Nordic Council", "Nordic Council", "organisation", None),
        ("Reykjavik", "Reykjavik", "place", "ISL"),
    }
    assert ("Bank of Canada", "Bank of Canada", "organisation", "CAN") in found("The Bank of Canada held rates.")
    text = "Andrii Kovalenko of the Ukrainian National Security and Defense Council said so."
    assert (
        "Ukrainian National Security and Defense Council",
        "Ukrainian National Security and Defence Council",
        "organisation",
        "UKR",
    ) in found(text)


def test_a_title_is_not_an_organisation() -> None:
    text = "Sabrina Singh, Deputy Pentagon Press Secretary, spoke."
    assert ("Pentagon", "Pentagon", "organisation", "USA") in found(text)
    assert all("Press" not in m.name for m in find_entities(text))


def test_plover_gold_sentences() -> None:
    assert found("Egyptian police opened fire to disperse demonstrators on Monday night, security sources said.") == {
        ("Egyptian police", "Egyptian police", "organisation", "EGY")
    }
    assert found("Thousands of Iraqi Kurds demonstrated in the northern city of Kirkuk, witnesses said.") == {
        ("Kirkuk", "Kirkuk", "place", "IRQ")
    }
    assert found(
        "France is ready to contribute up to 4,000 troops to a force in Liberia, Defence Minister Pierre Joxe said."
    ) == {
        ("France", "France", "country", "FRA"),
        ("Liberia", "Liberia", "country", "LBR"),
        ("Pierre Joxe", "Joxe", "person", None),
    }
    assert ("Olusegun Obasanjo", "Obasanjo", "person", "NGA") in found(
        "Yoruba leaders said they would forgive Nigerian President Olusegun Obasanjo."
    )


def test_news_html_gold_sentences() -> None:
    text = (
        "The five-day tour of Ghana, Nigeria, Rwanda, Mozambique and South Africa was intended to draw "
        "attention to the fight against AIDS."
    )
    assert {m.canonical for m in find_entities(text)} == {"Ghana", "Nigeria", "Rwanda", "Mozambique", "South Africa"}
    text = (
        "Epstein first began getting media attention in 2002 after news organisations, including The "
        "Associated Press, covered a trip to Africa by former President Bill Clinton."
    )
    assert found(text) == {
        ("Associated Press", "Associated Press", "organisation", None),
        ("Africa", "Africa", "place", None),
        ("Bill Clinton", "Clinton", "person", None),
    }


# --- the seeds -----------------------------------------------------------------------------------


def test_seed_000_names() -> None:
    mentions = found(seed("000"))
    for expected in [
        ("Selenskyj", "Zelensky", "person", "UKR"),
        ("Volodymyr Zelenskyi", "Zelensky", "person", "UKR"),
        ("Kiev", "Kyiv", "place", "UKR"),
        ("Kursk region", "Kursk Oblast", "place", "RUS"),
        ("White House", "White House", "organisation", "USA"),
        ("North Korea", "North Korea", "country", "PRK"),
        ("Choe Son Hui", "Choe Son Hui", "person", "PRK"),
        ("Kim Jong Un", "Kim Jong Un", "person", None),
        ("Oleh Synyehubov", "Synyehubov", "person", None),
        ("Sumy", "Sumy", "place", "UKR"),
        ("US Department of Defense", "Pentagon", "organisation", "USA"),
        ("Great Britain", "United Kingdom", "country", "GBR"),
    ]:
        assert expected in mentions


def test_seed_001_names() -> None:
    mentions = found(seed("001"))
    for expected in [
        ("Kim Jong-un", "Kim Jong Un", "person", "PRK"),
        ("Kim Yong-hyun", "Kim Yong Hyun", "person", "KOR"),
        ("Russian Defense Ministry", "Russian defence ministry", "organisation", "RUS"),
        ("Selydové", "Selydove", "place", "UKR"),
        ("Donetsk region", "Donetsk Oblast", "place", "UKR"),
        ("Olaf Scholz", "Scholz", "person", None),
    ]:
        assert expected in mentions
    assert not any(m[2] == "person" and "Korean" in m[0] for m in mentions)


def test_seed_004_names() -> None:
    mentions = found(seed("004"))
    for expected in [
        (
            "Ukrainian military intelligence service HUR",
            "Ukrainian military intelligence",
            "organisation",
            "UKR",
        ),
        ("HUR", "Ukrainian military intelligence", "organisation", "UKR"),
        ("German Foreign Office", "German foreign ministry", "organisation", "DEU"),
        ("Yunus-bek Yevkurov", "Yevkurov", "person", "RUS"),
        ("Zelenskyj", "Zelensky", "person", "UKR"),
        ("Kazan", "Kazan", "place", "RUS"),
    ]:
        assert expected in mentions


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_every_seed_names_zelensky_one_way(name: str) -> None:
    zelensky = {m.canonical for m in find_entities(seed(name)) if m.kind == "person" and "elensk" in m.name}
    assert zelensky == {"Zelensky"}


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_mentions_are_ordered_spans_of_the_text(name: str) -> None:
    text = seed(name)
    mentions = find_entities(text)
    assert mentions
    for mention in mentions:
        assert isinstance(mention, Mention)
        assert text[mention.start : mention.end] == mention.name
    for before, after in pairwise(mentions):
        assert before.end <= after.start


def test_empty_and_lower_case_text() -> None:
    assert find_entities("") == []
    assert find_entities("no capital letters here at all.") == []


@pytest.mark.parametrize("text", ["Police Minister", "according to the Army Commander", "Chief"])
def test_a_title_that_ends_the_text_is_no_organisation(text: str) -> None:
    # The title check looks at the word after a title; a text that ends on the title has none.
    assert [m for m in find_entities(text) if m.kind == "organisation"] == []
