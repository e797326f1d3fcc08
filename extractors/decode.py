"""Bytes to text: byte-order marks first, then strict UTF-8, then a detected legacy charset."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Signatures of common binary formats that must never be read as text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "ELF executable"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Text has few control characters besides tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class Decoded:
    """Outcome of decoding: `text` and its `encoding`, or a reject `reason` with a `detail`."""

    text: str | None
    encoding: str | None = None
    reason: str | None = None
    detail: str = ""


def _control_share(text: str) -> float:
    sample = text[:4096]
    if not sample:
        return 0.0
    if not _CONTROL.search(sample):
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL in every other byte of mostly-ASCII text."""
    sample = data[:2048]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) // 2)
    odd_nul = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode document bytes to text, or say why they are not text.

    Order: a byte-order mark is a declaration and is trusted (bytes that break it are
    undecodable); then UTF-16 recognised by its NUL pattern; then strict UTF-8; then the charset
    that charset-normalizer finds most coherent. Known binary signatures and NUL bytes in
    non-UTF-16 data are rejected as binary.

    Args:
        data: the document's bytes.

    Returns:
        The decoded text and encoding, or a reason: `empty`, `binary` or `undecodable`.
    """
    if not data.strip():
        return Decoded(None, reason="empty", detail="no bytes" if not data else "only whitespace")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return Decoded(None, reason="binary", detail=what)

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                return Decoded(
                    None,
                    reason="undecodable",
                    detail=f"starts with a {encoding} byte-order mark but {exc.reason} at byte {exc.start + len(bom)}",
                )
            return _checked(text, encoding)

    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass

    if b"\x00" in data[:8192]:
        return Decoded(None, reason="binary", detail="NUL bytes in what is not UTF-16 text")

    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass

    results = from_bytes(data[:65536])
    best = results.best()
    if best is None:
        return Decoded(None, reason="undecodable", detail="not UTF-8 and no charset fits the bytes")
    encoding = best.encoding
    # Short Western text fits several single-byte charsets equally well; windows-1252 is what
    # the web means by latin-1 (WHATWG), so it wins a tie.
    for candidate in results:
        if candidate.encoding == "cp1252" and (candidate.chaos, -candidate.coherence) <= (best.chaos, -best.coherence):
            encoding = "cp1252"
            break
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        return Decoded(None, reason="undecodable", detail=f"detected {encoding} but {exc}")
    return _checked(text, encoding)


def _checked(text: str, encoding: str) -> Decoded:
    if not text.strip():
        return Decoded(None, reason="empty", detail=f"only whitespace after decoding as {encoding}")
    share = _control_share(text)
    if share > 0.05:
        return Decoded(None, reason="binary", detail=f"{share:.0%} control characters after decoding as {encoding}")
    return Decoded(text, encoding=encoding)
