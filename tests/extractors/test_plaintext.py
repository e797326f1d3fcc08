"""Tests of extractors/plaintext.py: title, outlet, published time and boilerplate lines."""

from __future__ import annotations

from datetime import datetime

import pytest

from extractors.plaintext import agency_signature, parse_date_line, parse_plaintext, strip_rubric
from tests.conftest import SEEDS


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8")


@pytest.mark.parametrize(
    ("line", "expected", "precision"),
    [
        ("2.11.2024 - 05:39", datetime(2024, 11, 2, 5, 39), "minute"),
        ("29.10.2024 - 04:16", datetime(2024, 10, 29, 4, 16), "minute"),
        ("2024-10-25 10:48:00", datetime(2024, 10, 25, 10, 48), "second"),
        ("2024-10-25T10:48:00", datetime(2024, 10, 25, 10, 48), "second"),
        ("2024-10-25", datetime(2024, 10, 25), "day"),
        ("October 25, 2024", datetime(2024, 10, 25), "day"),
        ("Published: 3 March 2022, 7:30 pm", datetime(2022, 3, 3, 19, 30), "minute"),
        ("Fri, Oct. 25, 2024 10:48 AM", datetime(2024, 10, 25, 10, 48), "minute"),
        ("25. Oktober 2024, 10:48 Uhr", datetime(2024, 10, 25, 10, 48), "minute"),
        ("1729853752", datetime(2024, 10, 25, 10, 55, 52), "second"),
    ],
)
def test_date_lines_are_read(line: str, expected: datetime, precision: str) -> None:
    assert parse_date_line(line) == (expected, precision)


@pytest.mark.parametrize(
    "line",
    [
        "The attack came on 2.11.2024 - 05:39 local time, officials said.",
        "About 10,000 soldiers",
        "31.02.2024",
        "12345",
        "It happened on October 25, 2024 in Kyiv",
    ],
)
def test_sentences_and_impossible_dates_are_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Russia Selenskyj: Need weapons against North Korean soldiers",
            "Selenskyj: Need weapons against North Korean soldiers",
        ),
        (
            "Politics Pentagon: 10,000 soldiers from North Korea in Russia",
            "Pentagon: 10,000 soldiers from North Korea in Russia",
        ),
        ("Sport Federer wins his last match in Basel", "Federer wins his last match in Basel"),
        ("Russia Launches Massive Drone Attack On Kyiv", "Russia Launches Massive Drone Attack On Kyiv"),
        ("Russia says it shot down 30 drones", "Russia says it shot down 30 drones"),
        ("Zelensky fears North Koreans will be deployed soon", "Zelensky fears North Koreans will be deployed soon"),
        ("Russia Ukraine war: what we know on day 1000", "Russia Ukraine war: what we know on day 1000"),
    ],
)
def test_a_glued_section_word_leaves_the_title(title: str, expected: str) -> None:
    assert strip_rubric(title) == expected


def test_agency_signatures() -> None:
    assert agency_signature("SDA") == "SDA"
    assert agency_signature("(dpa)") == "dpa"
    assert agency_signature("AFP/Reuters") == "AFP/Reuters"
    assert agency_signature("Keystone") is None
    assert agency_signature("Kyiv") is None


def test_seed_000_parts() -> None:
    parsed = parse_plaintext(seed("000"))
    assert parsed.title == "Selenskyj: Need weapons against North Korean soldiers"
    assert parsed.outlet == "SDA"
    assert parsed.published_at == datetime(2024, 11, 2, 5, 39)
    assert parsed.published_precision == "minute"
    assert "ARCHIVE" not in parsed.body
    assert "Keystone" not in parsed.body.split("\n\n")[0]
    assert parsed.body.startswith("Ukrainian President Volodymyr Zelenskyi has lamented")
    assert parsed.body.endswith("enough soldiers available for six to twelve months.")
    # Subheadings are text, not boilerplate.
    assert "USA: 8,000 North Korean soldiers in Kursk" in parsed.body


def test_seed_001_boilerplate_goes_and_text_stays() -> None:
    parsed = parse_plaintext(seed("001"))
    assert parsed.title == "Zelensky accuses North Korea of sending soldiers to the Russian army"
    assert parsed.published_at is None and parsed.published_precision == "unknown"
    for gone in ("Open in full screen mode", "A quote from", "Photo", "PREV ", "NEXT ", "\n-\n"):
        assert gone not in parsed.body
    assert "Getty Images" not in parsed.body
    # Captions and alt texts of the images go with their credits and prompts.
    assert "speaks to the media with Chancellor Olaf Scholz" not in parsed.body
    assert "walk side by side, smiles on their faces" not in parsed.body
    assert "(File photo)" not in parsed.body
    assert "Around 150,000 civilians have fled fighting" in parsed.body
    assert parsed.body.endswith("an 84-year-old pensioner, east of Donetsk.")


def test_seed_003_repeated_title_and_comment_counter() -> None:
    parsed = parse_plaintext(seed("003"))
    assert parsed.title == "Zelensky: Dead in fighting with North Korea - Putin open for discussions with Trump"
    assert not parsed.body.startswith("Zelensky: Dead in fighting")
    assert "Kommentare" not in parsed.body
    assert parsed.published_at is None


def test_seed_004_header_date_wins_over_trailing_timestamp() -> None:
    parsed = parse_plaintext(seed("004"))
    assert parsed.published_at == datetime(2024, 10, 25, 10, 48)
    assert "1729853752" not in parsed.body
    assert "#Zelensky" not in parsed.body
    assert "Leave a Replay" not in parsed.body
    assert parsed.body.count("Zelensky fears North Koreans will be deployed soon") == 0


def test_trailing_unix_timestamp_is_the_fallback_date() -> None:
    text = "Headline of a short report\n\nFirst paragraph of the report.\n\nSecond paragraph.\n\n1729853752\n"
    parsed = parse_plaintext(text)
    assert parsed.published_at == datetime(2024, 10, 25, 10, 55, 52)
    assert parsed.body == "First paragraph of the report.\n\nSecond paragraph."


def test_a_reuters_dateline_names_the_outlet_and_stays_in_the_text() -> None:
    text = (
        "Russian forces shell Kharkiv, killing two\n\n"
        "KHARKIV, Ukraine (Reuters) - Russian forces shelled Kharkiv on Thursday, killing two civilians.\n"
    )
    parsed = parse_plaintext(text)
    assert parsed.outlet == "Reuters"
    assert parsed.body.startswith("KHARKIV, Ukraine (Reuters) - Russian forces shelled")


def test_a_mid_text_date_in_a_sentence_is_not_the_published_time() -> None:
    text = "A headline\n\nThe ceasefire was signed on October 25, 2024 in Doha.\n"
    assert parse_plaintext(text).published_at is None


def test_a_paragraph_before_a_credit_line_is_kept_when_it_is_long() -> None:
    paragraph = " ".join(["word"] * 60) + "."
    text = f"A headline\n\n{paragraph}\n\nPhoto: Reuters\n\nLast paragraph."
    parsed = parse_plaintext(text)
    assert paragraph in parsed.body
    assert "Photo: Reuters" not in parsed.body


def test_empty_text_has_no_title_and_no_body() -> None:
    parsed = parse_plaintext("\n \n")
    assert parsed.title == "" and parsed.body == ""


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # The two words stand together in the text: a compound, not a section word.
        (
            "World Cup: Messi scores twice\n\nMessi scored twice at the World Cup on Sunday.",
            "World Cup: Messi scores twice",
        ),
        # The second word is a common word written in lower case in the text.
        ("Ukraine War: what we know so far\n\nThe war entered its third year.", "Ukraine War: what we know so far"),
        # A section word before a column label names the column.
        (
            "Business Brief: Nvidia builds nations\n\nNvidia said on Monday it would build.",
            "Business Brief: Nvidia builds nations",
        ),
        # An ISO code that is also a word is not a country.
        (
            "As Trump pitches oil dream, experts warn\n\nExperts warned on Monday.",
            "As Trump pitches oil dream, experts warn",
        ),
        ("US Open 2023 results: Murray wins\n\nMurray won in straight sets.", "US Open 2023 results: Murray wins"),
        # A glued section word is still removed when the text gives no reason to keep it.
        (
            "Russia Selenskyj: Need weapons against soldiers\n\nSelenskyj said so on Friday.",
            "Selenskyj: Need weapons against soldiers",
        ),
    ],
)
def test_the_text_is_evidence_against_cutting_the_title(text: str, title: str) -> None:
    assert parse_plaintext(text).title == title


LEDE = (
    "Washington (dpa) - According to the US Department of Defense, around 10,000 North Korean soldiers are "
    "in Russia. Some of them are already near the Ukrainian border, a spokeswoman said."
)


def test_an_article_on_one_line_opens_with_its_first_sentence_as_title() -> None:
    parsed = parse_plaintext(f"Pentagon: 10,000 soldiers from North Korea in Russia. {LEDE}")
    assert parsed.title == "Pentagon: 10,000 soldiers from North Korea in Russia"
    assert parsed.body == LEDE


def test_an_article_on_one_line_with_a_long_first_sentence_keeps_it_all_as_body() -> None:
    line = (
        "KYIV (Reuters) - Russian forces launched 40 drones at Kyiv overnight, officials said on Monday, in one "
        "of the largest attacks on the capital this year and the region around it. Two people were hurt."
    )
    parsed = parse_plaintext(line)
    assert parsed.body == line
    assert parsed.title.endswith("…") and line.startswith(parsed.title[:-1])
    assert len(parsed.title) <= 151
    assert parsed.outlet == "Reuters"


def test_a_headline_of_one_sentence_on_one_line_is_its_own_body() -> None:
    parsed = parse_plaintext("Russia attacks Kyiv with 40 drones overnight")
    assert parsed.title == parsed.body == "Russia attacks Kyiv with 40 drones overnight"


def test_a_title_ending_in_an_abbreviation_keeps_its_full_stop() -> None:
    parsed = parse_plaintext(f"Army medic trained in the U.S.A. {LEDE}")
    assert parsed.title == "Army medic trained in the U.S.A."
