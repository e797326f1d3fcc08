"""Tests of extractors/events/currency.py: which dollar a bare "$" means."""

from __future__ import annotations

from collections import Counter

import pytest

from extractors.events.currency import bare_dollar, local_dollar


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("https://www.cbc.ca/news/business/x", "CAD"),
        ("https://www.9news.com.au/world/x", "AUD"),
        ("https://mexiconewsdaily.com.mx/x", "MXN"),
        ("https://www.stuff.co.nz/x", "NZD"),
        ("https://www.bbc.co.uk/news/x", None),  # "$" in a British paper is the US dollar
        ("https://www.washingtonpost.com/x", None),
        ("https://worldtruth.tv/x", None),  # a country code sold as a generic domain
        ("file:///data/article.txt", None),
    ],
)
def test_the_outlets_country_decides(uri: str, expected: str | None) -> None:
    assert local_dollar(uri, Counter()) == expected


def test_without_a_country_domain_the_text_decides() -> None:
    assert local_dollar("https://nationalpost.com/x", Counter({"CAN": 3, "USA": 1})) == "CAD"
    assert local_dollar("https://nationalpost.com/x", Counter({"CAN": 2, "USA": 2})) is None
    assert local_dollar("https://nationalpost.com/x", Counter({"CAN": 1})) is None  # once is not enough
    assert local_dollar("file:///a.txt", Counter({"IND": 5, "AUS": 3})) == "AUD"  # India writes ₹


@pytest.mark.parametrize(
    ("span", "bare"),
    [("$5 billion", True), ("5 billion dollars", True), ("US$5 billion", False), ("C$5", False),
     ("5 billion U.S. dollars", False), ("USD 5 million", False), ("£5 million", False)],
)  # fmt: skip
def test_a_bare_dollar_says_not_whose_it_is(span: str, bare: bool) -> None:
    assert bare_dollar(span) is bare
