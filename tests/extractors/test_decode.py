"""Tests of extractors/decode.py: byte-order marks, UTF-8, legacy charsets, binary and broken bytes."""

from __future__ import annotations

import codecs

import pytest

from extractors.decode import decode_bytes
from tests.conftest import PNG

TEXT = "Selenskyj sagte am Donnerstag in Kyjiw: «Wir halten stand» – die Lage sei äußerst schwierig."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_unicode_encodings_decode_exactly(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Le président a déclaré jeudi que la situation était très difficile à l'est.", "cp1252"),
        ("Президент заявил в четверг, что ситуация на востоке очень сложная.", "cp1251"),
        ("Prezydent powiedział w czwartek, że sytuacja na wschodzie jest bardzo trudna.", "cp1250"),
    ],
)
def test_legacy_charsets_decode_to_the_same_text(text: str, charset: str) -> None:
    decoded = decode_bytes(text.encode(charset))
    assert decoded.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (PNG + b"\x00" * 100, "binary"),
        (b"%PDF-1.7\n...", "binary"),
        (b"plain start\x00\x01\x02\x03\x00\x00 then zeros", "binary"),
        (codecs.BOM_UTF8 + b"text \xff\xfe\xfa text", "undecodable"),
        (codecs.BOM_UTF16_LE + b"a\x00b", "undecodable"),
    ],
)
def test_bad_bytes_get_a_reason(data: bytes, reason: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text is None
    assert decoded.reason == reason
    assert decoded.detail
