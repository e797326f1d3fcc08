"""Tests of extractors/events/dates.py: date expressions found in text and resolved to calendar dates."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from extractors.events.dates import DateMention, find_dates, sentence_date
from tests.conftest import ROOT, SEEDS

CET = timezone(timedelta(hours=1))
FRIDAY = datetime(2024, 10, 25, 10, 48, tzinfo=CET)  # Friday 25 October 2024
THURSDAY = datetime(2024, 10, 24, 9, 0, tzinfo=CET)
SUNDAY = datetime(2024, 10, 27, 18, 0, tzinfo=CET)
GOLD_ENGLISH = ROOT.parent / "shared" / "eval" / "news-html-gold" / "gold_english.jsonl"


def only(text: str, published: datetime | None = FRIDAY) -> tuple[str, date | None, str, bool]:
    """The one mention of a text: its words, date, precision and relative flag."""
    mentions = find_dates(text, published)
    assert len(mentions) == 1, [text[m.start : m.end] for m in mentions]
    mention = mentions[0]
    return text[mention.start : mention.end], mention.date, mention.precision, mention.relative


def dates(text: str, published: datetime | None = FRIDAY) -> list[tuple[str, date | None]]:
    return [(text[m.start : m.end], m.date) for m in find_dates(text, published)]


# --- explicit dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "expected", "precision"),
    [
        (
            "On 3 March 2022, Russian forces shelled X, killing two civilians and wounding five.",
            "3 March 2022",
            date(2022, 3, 3),
            "day",
        ),
        ("The talks opened on March 3, 2022 in Istanbul.", "March 3, 2022", date(2022, 3, 3), "day"),
        ("The strike on Sept. 11, 2001 killed nearly 3,000 people.", "Sept. 11, 2001", date(2001, 9, 11), "day"),
        ("It was signed on the 1st of October 2023.", "1st of October 2023", date(2023, 10, 1), "day"),
        ("Troops crossed the border on 24 February 2022.", "24 February 2022", date(2022, 2, 24), "day"),
        ("Fighting was reported from 27-28 October 2023.", "27-28 October 2023", date(2023, 10, 27), "day"),
        ("The vote was held on 31.10.2024 in the capital.", "31.10.2024", date(2024, 10, 31), "day"),
        ("Published 2024-10-31 08:00.", "2024-10-31", date(2024, 10, 31), "day"),
        ("The ruling came on 31/10/2024.", "31/10/2024", date(2024, 10, 31), "day"),
        ("The ruling came on 10/31/2024.", "10/31/2024", date(2024, 10, 31), "day"),
        ("Turnout fell in October 2024, officials said.", "October 2024", date(2024, 10, 1), "month"),
        ("The Kremlin made the offer in June 2021.", "June 2021", date(2021, 6, 1), "month"),
        ("Both countries applied to join Nato in May 2022.", "May 2022", date(2022, 5, 1), "month"),
        ("Inaugural speech, May, 1994.", "May, 1994", date(1994, 5, 1), "month"),
        ("Russia annexed Crimea in 2014.", "2014", date(2014, 1, 1), "year"),
        ("The group has ruled Gaza since 2007.", "2007", date(2007, 1, 1), "year"),
        ("Prices doubled during 2022.", "2022", date(2022, 1, 1), "year"),
        ("The plant closed in early 2025.", "early 2025", date(2025, 1, 1), "year"),
        ("It grew sharply in the summer of 2020.", "the summer of 2020", date(2020, 1, 1), "year"),
        ("It was completed on May 1, 1923.", "May 1, 1923", date(1923, 5, 1), "day"),
    ],
)
def test_explicit_dates_with_a_year(text: str, words: str, expected: date, precision: str) -> None:
    assert only(text) == (words, expected, precision, False)
    assert only(text, None) == (words, expected, precision, False)  # a stated year needs no anchor


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The attack on 3 March killed two.", FRIDAY, date(2024, 3, 3)),
        ("The attack on March 3 killed two.", FRIDAY, date(2024, 3, 3)),
        ("Shelling resumed on Oct. 31, officials said.", FRIDAY, date(2024, 10, 31)),  # six days ahead: announced
        ("Shelling resumed on November 15, officials said.", FRIDAY, date(2023, 11, 15)),  # too far ahead: past
        ("The raid on December 29 left three dead.", datetime(2025, 1, 3, tzinfo=CET), date(2024, 12, 29)),
        ("Talks open on January 2 in Geneva.", datetime(2024, 12, 30, tzinfo=CET), date(2025, 1, 2)),
        ("It happened on 29 February.", datetime(2025, 3, 10, tzinfo=CET), date(2024, 2, 29)),
        ("The soldiers would be deployed from October 27th or 28th.", FRIDAY, date(2024, 10, 27)),
        ("There has been one quiet night since September 1st.", FRIDAY, date(2024, 9, 1)),
        ("On the night of 31 October, drones hit Kyiv.", datetime(2024, 11, 1, 8, tzinfo=CET), date(2024, 10, 31)),
    ],
)
def test_day_and_month_take_the_year_nearest_before_publication(text: str, published: datetime, expected: date) -> None:
    _, found, precision, relative = only(text, published)
    assert (found, precision, relative) == (expected, "day", False)


def test_a_day_and_month_without_a_published_date_have_no_date() -> None:
    assert only("The attack on 3 March killed two.", None) == ("3 March", None, "day", False)
    assert only("Voting ends in October.", None) == ("October", None, "month", False)


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Putin visited Pyongyang in June to sign a pact.", "June", date(2024, 6, 1)),
        ("Ukraine has held swaths of territory since August.", "August", date(2024, 8, 1)),
        ("Since the beginning of October, 40 villages have been shelled.", "October", date(2024, 10, 1)),
        ("The offensive started at the beginning of August.", "August", date(2024, 8, 1)),
        ("A second outage came in mid-August.", "mid-August", date(2024, 8, 1)),
        ("Results are due by mid-November.", "mid-November", date(2024, 11, 1)),  # the coming month
        ("The ban was passed by parliament last October.", "last October", date(2023, 10, 1)),
        ("The ban was passed last March.", "last March", date(2024, 3, 1)),
        ("Sweden joined NATO in April last year.", "April last year", date(2023, 4, 1)),
        ("A crash in January this year killed 72.", "January this year", date(2024, 1, 1)),
        ("Khan's arrest led to riots in May where protesters stormed bases.", "May", date(2024, 5, 1)),
        ("Trade grew between September and October.", "September", date(2024, 9, 1)),
        ("The poll was taken in late July.", "late July", date(2024, 7, 1)),
    ],
)
def test_a_month_named_after_a_time_word(text: str, words: str, expected: date) -> None:
    mentions = find_dates(text, FRIDAY)
    assert (text[mentions[0].start : mentions[0].end], mentions[0].date, mentions[0].precision) == (
        words,
        expected,
        "month",
    )


def test_in_march_followed_by_a_count_is_the_month() -> None:
    assert only("In March 12 people died in the floods.") == ("March", date(2024, 3, 1), "month", False)
    assert only("In March 12 soldiers were captured.") == ("March", date(2024, 3, 1), "month", False)
    assert only("He spoke in the April 22 attack inquiry.")[1] == date(2024, 4, 22)


def test_a_range_takes_its_year_from_its_end() -> None:
    text = "Los Angeles Memorial Coliseum, August 15th to September 8th, 1963."
    assert dates(text) == [("August 15th", date(1963, 8, 15)), ("September 8th, 1963", date(1963, 9, 8))]
    text = "July 30-Aug. 14, 1932: the Olympic Games."
    assert dates(text) == [("July 30", date(1932, 7, 30)), ("Aug. 14, 1932", date(1932, 8, 14))]


# --- relative to the published date -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("The ministry said today that 5 drones were downed.", "today", date(2024, 10, 25)),
        ("Explosions were heard in Kharkiv this evening.", "this evening", date(2024, 10, 25)),
        ("Air raid sirens sounded this morning.", "this morning", date(2024, 10, 25)),
        ("Police expect more protests tonight.", "tonight", date(2024, 10, 25)),
        ("A group of leaders announced yesterday that they would talk.", "yesterday", date(2024, 10, 24)),
        ("Russia launched 50 drones last night.", "last night", date(2024, 10, 24)),
        ("Russia launched 50 drones late last night.", "late last night", date(2024, 10, 24)),
        ("Fighting broke out the day before yesterday.", "the day before yesterday", date(2024, 10, 23)),
        ("The ministers meet tomorrow.", "tomorrow", date(2024, 10, 26)),
        ("He signed it yesterday evening.", "yesterday evening", date(2024, 10, 24)),
        ("Rebels entered the country illegally two days ago.", "two days ago", date(2024, 10, 23)),
        ("Lt. Gen. Avril resigned yesterday to allow elections.", "yesterday", date(2024, 10, 24)),
        ("Russia shot down 33 drones overnight, the ministry said.", "overnight", date(2024, 10, 25)),
        ("Earlier today, the Kremlin denied it.", "Earlier today", date(2024, 10, 25)),
    ],
)
def test_days_counted_from_the_published_date(text: str, words: str, expected: date) -> None:
    assert only(text) == (words, expected, "day", True)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Zelensky said on Thursday that losses were heavy.", FRIDAY, date(2024, 10, 24)),
        ("Zelensky said Thursday that losses were heavy.", FRIDAY, date(2024, 10, 24)),
        ("On Thursday, the Kremlin denied the report.", FRIDAY, date(2024, 10, 24)),
        ("On Thursday, the Kremlin denied the report.", THURSDAY, date(2024, 10, 24)),  # that very day
        ("Israel Friday reimposed blockades in the West Bank.", FRIDAY, date(2024, 10, 25)),
        ("Tuesday the Serbian parliament approved a special law.", FRIDAY, date(2024, 10, 22)),
        ("He spoke on Saturday evening about the front.", SUNDAY, date(2024, 10, 26)),
        ("Egyptian police opened fire on Monday night, killing one.", FRIDAY, date(2024, 10, 21)),
        ("Two bombers killed 23 people late Sunday in Tel Aviv.", FRIDAY, date(2024, 10, 20)),
        ("Drones hit Odesa in the night to Friday.", datetime(2024, 10, 26, tzinfo=CET), date(2024, 10, 25)),
        ("He made the remarks last Thursday.", FRIDAY, date(2024, 10, 24)),
        ("He made the remarks last Thursday.", THURSDAY, date(2024, 10, 17)),  # "last" skips today
        ("The talks resume next Monday.", FRIDAY, date(2024, 10, 28)),
        ("The vessel was damaged on Friday last week.", FRIDAY, date(2024, 10, 18)),
        ("The exercises run until Wednesday next week.", FRIDAY, date(2024, 10, 30)),
        ("Turkey imposed a curfew after a demonstration over Sunday's elections.", FRIDAY, date(2024, 10, 20)),
        ("The strike came on monday, officials said.", FRIDAY, date(2024, 10, 21)),  # careless lower case
    ],
)
def test_weekdays_are_the_latest_on_or_before_publication(text: str, published: datetime, expected: date) -> None:
    _, found, precision, relative = only(text, published)
    assert (found, precision, relative) == (expected, "day", True)


@pytest.mark.parametrize(
    "text",
    [
        "Fighting raged from Sunday or Monday near Pokrovsk.",
        "Fighting raged from Sunday to Monday near Pokrovsk.",
        "Rebels shelled Juba on Sunday and Monday, killing about 20 people.",
        "Fighting raged in the night from Sunday to Monday.",
    ],
)
def test_a_span_of_weekdays_is_its_first_day(text: str) -> None:
    words, found, precision, relative = only(text)
    assert words.startswith("Sunday") and words.endswith("Monday")
    assert (found, precision, relative) == (date(2024, 10, 20), "day", True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The foreign ministers will meet on Thursday in Brussels.", date(2024, 10, 31)),
        ("Results will be announced Saturday.", date(2024, 10, 26)),
        ("Polls closed ahead of Friday's election.", date(2024, 10, 25)),
        ("The tariffs are set to take effect on March 12.", date(2025, 3, 12)),
        ("The hearing is scheduled for November 26.", date(2024, 11, 26)),
        ("Zelensky expects Russia to use the soldiers from Sunday or Monday.", date(2024, 10, 27)),
        ("Fischer will visit Albania in June.", date(2025, 6, 1)),
    ],
)
def test_announced_events_lie_ahead(text: str, expected: date) -> None:
    assert only(text)[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The rocket was set to launch on Thursday.", date(2024, 10, 24)),  # a plan made in the past
        ("Putin said he will respond, speaking on Thursday.", date(2024, 10, 24)),  # another clause
        ("Portugal will support Turkey, Soares said on Tuesday.", date(2024, 10, 22)),  # the saying is past
        ("I will never forget that Saturday evening.", date(2024, 10, 19)),
    ],
)
def test_future_words_elsewhere_do_not_move_a_date_ahead(text: str, expected: date) -> None:
    assert only(text)[1] == expected


@pytest.mark.parametrize(
    ("text", "words", "expected", "precision"),
    [
        ("Five hundred rebels surrendered last week in Soroti.", "last week", date(2024, 10, 14), "week"),
        ("Negotiators return to Geneva this week.", "this week", date(2024, 10, 21), "week"),
        ("A drone hit the depot earlier this week.", "earlier this week", date(2024, 10, 21), "week"),
        ("At the start of the week, Moscow claimed two villages.", "the start of the week", date(2024, 10, 21), "week"),
        ("The envoy arrives next week.", "next week", date(2024, 10, 28), "week"),
        ("The hostages were taken two weeks ago.", "two weeks ago", date(2024, 10, 7), "week"),
        ("Hackers defaced 3,000 sites over the past week.", "the past week", date(2024, 10, 14), "week"),
        ("Shelling intensified over the weekend.", "the weekend", date(2024, 10, 14), "week"),
        ("Shelling intensified this weekend.", "this weekend", date(2024, 10, 21), "week"),
        ("Some 800,000 Kurds sought refuge in Germany last month.", "last month", date(2024, 9, 1), "month"),
        ("Jordan and Britain will hold exercises this month.", "this month", date(2024, 10, 1), "month"),
        ("Guerrillas overran it late last month.", "late last month", date(2024, 9, 1), "month"),
        ("The state of emergency was imposed six months ago.", "six months ago", date(2024, 4, 1), "month"),
        ("Weapons seized last year will be returned.", "last year", date(2023, 1, 1), "year"),
        ("Riots have killed 28 people this year.", "this year", date(2024, 1, 1), "year"),
        ("Next year, Putin wants to produce the same amount.", "Next year", date(2025, 1, 1), "year"),
        ("Protests began earlier this year.", "earlier this year", date(2024, 1, 1), "year"),
        ("Idi Amin expelled them 18 years ago.", "18 years ago", date(2006, 1, 1), "year"),
    ],
)
def test_weeks_months_and_years_counted_from_the_published_date(
    text: str, words: str, expected: date, precision: str
) -> None:
    assert only(text) == (words, expected, precision, True)


def test_the_weekend_is_the_one_just_begun_when_published_on_a_weekend() -> None:
    assert only("Shelling intensified over the weekend.", SUNDAY)[1] == date(2024, 10, 21)
    assert only("Shelling intensified last weekend.", SUNDAY)[1] == date(2024, 10, 14)


def test_the_published_date_is_read_in_its_own_zone() -> None:
    late_evening = datetime(2024, 10, 25, 23, 30, tzinfo=timezone(timedelta(hours=2)))  # 21:30 UTC, same day
    early_morning = datetime(2024, 10, 26, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 22:30 UTC on the 25th
    assert only("Sirens sounded today.", late_evening)[1] == date(2024, 10, 25)
    assert only("Sirens sounded today.", early_morning)[1] == date(2024, 10, 26)


@pytest.mark.parametrize(
    "text",
    [
        "Sirens sounded yesterday.",
        "Zelensky said on Thursday that losses were heavy.",
        "Five hundred rebels surrendered last week.",
        "Rebels entered the country two days ago.",
        "Shelling intensified over the weekend.",
    ],
)
def test_relative_dates_without_a_published_date_have_no_date(text: str) -> None:
    _, found, _, relative = only(text, None)
    assert found is None and relative


# --- relative to an earlier date ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "words", "expected"),
    [
        ("The day before, the army had massed troops.", "The day before", date(2022, 3, 2)),
        ("The previous day, the army had massed troops.", "The previous day", date(2022, 3, 2)),
        ("A day earlier the army had massed troops.", "A day earlier", date(2022, 3, 2)),
        ("Three days earlier the army had massed troops.", "Three days earlier", date(2022, 2, 28)),
        ("Two days later the army withdrew.", "Two days later", date(2022, 3, 5)),
        ("The next day the army withdrew.", "The next day", date(2022, 3, 4)),
        ("The following day the army withdrew.", "The following day", date(2022, 3, 4)),
        ("That night the army withdrew.", "That night", date(2022, 3, 3)),
        ("On the same day, the mayor fled.", "the same day", date(2022, 3, 3)),
        ("A week later the army withdrew.", "A week later", date(2022, 3, 7)),
        ("The following month the army withdrew.", "The following month", date(2022, 4, 1)),
        ("The year before, talks had failed.", "The year before", date(2021, 1, 1)),
    ],
)
def test_counted_from_the_last_date_told(second: str, words: str, expected: date) -> None:
    text = "On 3 March 2022, Russian forces shelled Kharkiv. " + second
    for published in (FRIDAY, None):  # the earlier date anchors it, published or not
        mentions = find_dates(text, published)
        assert [text[m.start : m.end] for m in mentions] == ["3 March 2022", words]
        assert mentions[1].date == expected and mentions[1].relative


def test_the_day_before_counts_from_the_published_date_when_no_date_came_before() -> None:
    assert only("Just the day before, the White House had spoken of 8,000.", FRIDAY)[1] == date(2024, 10, 24)
    assert only("Just the day before, the White House had spoken of 8,000.", None)[1] is None


def test_a_day_counted_from_an_event_not_named_by_a_date_is_not_a_date() -> None:
    assert dates("On 3 March 2022 Russia shelled Kharkiv. The day before the vote, talks failed.") == [
        ("3 March 2022", date(2022, 3, 3))
    ]
    assert dates("Employers may not sack a woman for six months after she returns to work.") == []


def test_a_day_earlier_counts_from_the_weekday_before_it() -> None:
    text = "Israel Friday reimposed blockades following the shooting deaths of two Israelis a day earlier."
    assert dates(text, datetime(2024, 10, 27, tzinfo=CET)) == [
        ("Friday", date(2024, 10, 25)),
        ("a day earlier", date(2024, 10, 24)),
    ]


# --- not dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Russia may send more troops to the front.",
        "May I add one point?",
        "Thousands joined a march through the city.",
        "The Sunday Times reported the leak.",
        "The Mail on Sunday reported the leak.",
        "The Good Friday Agreement ended the conflict.",
        "Protesters gathered as on Bloody Sunday.",
        "He hosts Saturday Night Live.",
        "Kyiv fired 155 and 105 millimetre shells.",
        "The meeting starts at 7.30 p.m. local time.",
        "The update to version 3.5 fixed it.",
        "Theresa May said the deal was dead.",
        "Jan Egeland of the Norwegian Refugee Council warned of famine.",
        "Trump flew to Mar-a-Lago.",
        "A 19-year-old was killed in a civilian car.",
        "The minister ended a three-day visit to Moscow.",
        "About 10,000 soldiers are in Kursk.",
        "The army recorded casualties in 2000 cases.",
        "The 2024 budget was passed.",
        "USA Today reported the figures.",
        "She writes for Russia Today.",
        "The talks were held every Sunday.",
        "Always book on a Tuesday.",
        "The offensive has stalled for three months.",
        "It has been two years since the attack.",
        "In the coming days, aid will arrive.",
        "Over 2,500 people attended the rally in the early 2010s.",
        "Victory Day parades were cancelled.",
        "It was a day-old blockade.",
    ],
)
def test_not_dates(text: str) -> None:
    assert dates(text) == []


# --- text from elsewhere ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "Irish nationalist guerrillas wounded two British soldiers in a bomb attack on Thursday, police said.",
            FRIDAY,
            [("Thursday", date(2024, 10, 24))],
        ),
        (
            "Lebanon complained to the United Nations on Tuesday over two Israeli air raids last Friday in which it "
            "said 20 people were killed or wounded.",
            FRIDAY,
            [("Tuesday", date(2024, 10, 22)), ("last Friday", date(2024, 10, 18))],
        ),
        (
            "Recent US Predator attacks have killed at least eight top al-Qaeda leaders since last July, according "
            "to Pentagon sources.",
            FRIDAY,
            [("last July", date(2024, 7, 1))],
        ),
        (
            "President Omar El Bashir on Thursday shortened the nightly curfew imposed in Sudan after a June 30 "
            "coup toppled the civilian government.",
            FRIDAY,
            [("Thursday", date(2024, 10, 24)), ("June 30", date(2024, 6, 30))],
        ),
        (
            "Russian authorities said late Saturday. They said 42 other people had been wounded in the attack the "
            "previous night.",
            datetime(2026, 5, 24, tzinfo=CET),
            [("late Saturday", date(2026, 5, 23)), ("the previous night", date(2026, 5, 22))],
        ),
        (
            "PUTRAJAYA, Nov 22 — Private companies did not pay for the flight, Fahmi said today.",
            datetime(2024, 11, 22, 14, tzinfo=timezone(timedelta(hours=8))),
            [("Nov 22", date(2024, 11, 22)), ("today", date(2024, 11, 22))],
        ),
        (
            "The Coliseum officially opened its doors on July 2, 1923. The Rams played their first game there the "
            "year before.",
            None,
            [("July 2, 1923", date(1923, 7, 2)), ("the year before", date(1922, 1, 1))],
        ),
    ],
)
def test_wire_and_gold_sentences(text: str, published: datetime | None, expected: list[tuple[str, date]]) -> None:
    assert dates(text, published) == expected


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8")


def test_seed_dates() -> None:
    published = datetime(2024, 10, 25, 10, 48, tzinfo=CET)
    found = dates(seed("004"), published)
    assert found[0] == ("2024-10-25", date(2024, 10, 25))
    assert ("Sunday or Monday", date(2024, 10, 27)) in found  # "expects ... from Sunday or Monday"
    assert ("October 27th or 28th", date(2024, 10, 27)) in found
    assert ("Thursday", date(2024, 10, 24)) in found
    found = dates(seed("000"), datetime(2024, 11, 2, 5, 39, tzinfo=CET))
    assert found[:3] == [
        ("2.11.2024", date(2024, 11, 2)),
        ("the day before", date(2024, 11, 1)),
        ("this evening", date(2024, 11, 2)),
    ]


def gold_texts() -> list[tuple[str, datetime | None]]:
    if not GOLD_ENGLISH.exists():
        return []
    texts = []
    for line in GOLD_ENGLISH.read_text("utf-8").splitlines():
        record = json.loads(line)
        published = datetime.fromisoformat(record["publishing_date"]) if record.get("publishing_date") else None
        texts.append(("\n".join(record["paragraphs"]), published))
    return texts


def test_mentions_are_in_text_order_and_never_overlap() -> None:
    gold = gold_texts()
    texts = gold + [(seed(name), FRIDAY) for name in ("000", "001", "002", "003", "004")]
    total = 0
    for text, published in texts:
        mentions = find_dates(text, published)
        total += len(mentions)
        for before, after in pairwise(mentions):
            assert before.end <= after.start
        for mention in mentions:
            assert 0 <= mention.start < mention.end <= len(text)
            assert text[mention.start : mention.end].strip() == text[mention.start : mention.end]
            if published is not None and mention.date is not None:
                assert mention.date.year >= 1900
    # The seeds alone hold 35 date mentions; with the news-html-gold texts beside the checkout, hundreds.
    assert total > (300 if gold else 30)


# --- sentence_date ------------------------------------------------------------------------------


def test_sentence_date_takes_the_first_day_in_the_span() -> None:
    text = "Russia shelled Kharkiv on Thursday. The army said on Friday that 2 died. Kyiv is calm."
    mentions = find_dates(text, FRIDAY)
    first_end = text.index(".") + 1
    assert sentence_date(mentions, 0, first_end, FRIDAY) == (date(2024, 10, 24), "day")
    assert sentence_date(mentions, first_end, text.index("died.") + 5, FRIDAY) == (date(2024, 10, 25), "day")
    assert sentence_date(mentions, text.index("Kyiv"), len(text), FRIDAY) == (None, None)


def test_sentence_date_prefers_a_day_to_background_years() -> None:
    text = "Russia, which has occupied Crimea since 2014, shelled Kherson on Thursday."
    assert sentence_date(find_dates(text, FRIDAY), 0, len(text), FRIDAY) == (date(2024, 10, 24), "day")
    text = "Russia launched 500 drones last week, the ministry said on Thursday."
    assert sentence_date(find_dates(text, FRIDAY), 0, len(text), FRIDAY) == (date(2024, 10, 14), "week")
    text = "Sweden joined NATO in March 2024."
    assert sentence_date(find_dates(text, FRIDAY), 0, len(text), FRIDAY) == (date(2024, 3, 1), "month")


def test_sentence_date_skips_mentions_without_a_date_and_outside_the_span() -> None:
    text = "Sirens sounded yesterday. On 3 March 2022 Russia attacked."
    mentions = find_dates(text, None)
    assert mentions[0].date is None
    assert sentence_date(mentions, 0, len(text), None) == (date(2022, 3, 3), "day")
    assert sentence_date(mentions, 0, text.index(".") + 1, None) == (None, None)
    assert sentence_date([DateMention(5, 10, date(2024, 1, 1), "day", False)], 6, 20, None) == (None, None)
