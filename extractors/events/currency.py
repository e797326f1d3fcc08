"""Which dollar a bare "$" means: the outlet's own where its country writes its money with "$"
(a Canadian paper's "$5-billion takeover" is CAD), else the one of the country the text is about.

A country's currency and the sign it is written with come from CLDR (through babel): the
currency its territory uses today, and that currency's symbol in the territory's most likely
locale ("$" for CAD in en_CA, for MXN in es_MX, "HK$" for HKD).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache
from urllib.parse import urlsplit

# A "$" that is the US dollar by its own spelling: "US$", "U.S. $", "USD", "US dollars".
_US_SPELLED = re.compile(r"\b(?:US|U\.S\.)\s?\$|\bUSD\b|\b(?:US|U\.S\.|American)\s+dollars?\b", re.IGNORECASE)
# Any sign or word of a dollar in a figure's text.
_DOLLAR = re.compile(r"\$|\bdollars?\b", re.IGNORECASE)
# Signs that name their own dollar: "C$", "A$", "NZ$", "HK$" (the number reader already read them).
_OWN_SIGN = re.compile(r"[A-Za-z]\$")


@cache
def _dollar_of_territory(alpha2: str) -> str | None:
    """The currency the territory writes with a dollar sign, or None (GB writes "£", IN "₹")."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_currency_symbol, get_territory_currencies

    try:
        currencies = get_territory_currencies(alpha2.upper(), start_date=date.today())
        locale = Locale.parse(f"und_{alpha2.upper()}")
    except (UnknownLocaleError, ValueError):
        return None
    if not currencies:
        return None
    symbol = get_currency_symbol(currencies[0], locale)
    return currencies[0] if symbol.endswith("$") and symbol != "R$" else None


@cache
def _alpha2(iso3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country is not None else None


# Country codes sold as generic domains: "worldtruth.tv" is not in Tuvalu.
_VANITY_DOMAINS = frozenset("tv io co me ai fm ly cc ws to gg sh ac am gl im la nu sc st vc".split())


def _territory_of_host(uri: str) -> str | None:
    """The country code of the address's host ("cbc.ca" -> "CA", "9news.com.au" -> "AU")."""
    host = urlsplit(uri).hostname or ""
    suffix = host.rsplit(".", 1)[-1] if "." in host else ""
    if len(suffix) != 2 or not suffix.isalpha() or suffix in _VANITY_DOMAINS:
        return None
    return "GB" if suffix == "uk" else suffix.upper()


def local_dollar(uri: str, countries: Counter[str]) -> str | None:
    """The currency a bare "$" means in this article, when it is not the US dollar.

    Args:
        uri: the article's address; its host's country decides first.
        countries: how often the text names each country (ISO 3166-1 alpha-3), itself or
            through its places; a country that writes its money with "$" and is named more
            often than the USA (and at least twice) decides when the host does not.

    Returns:
        An ISO 4217 code such as "CAD", or None where "$" is the US dollar.
    """
    territory = _territory_of_host(uri)
    if territory is not None:
        # The outlet's country decides, whether it writes "$" (cbc.ca) or not (bbc.co.uk: the US dollar).
        own = _dollar_of_territory(territory)
        return own if own != "USD" else None
    us = countries.get("USA", 0)
    for iso3, count in countries.most_common():
        if count < 2 or count <= us:
            break
        alpha2 = _alpha2(iso3)
        own = _dollar_of_territory(alpha2) if alpha2 else None
        if own is not None and own != "USD":
            return own
    return None


def bare_dollar(span: str) -> bool:
    """Whether a money figure's text writes its dollar without saying whose ("$5 billion",
    "5 billion dollars"; not "US$5 billion", "C$5", "5 billion US dollars")."""
    return _DOLLAR.search(span) is not None and not _US_SPELLED.search(span) and not _OWN_SIGN.search(span)
