"""Pure functions on text: raw bytes to parsed articles (plain text, HTML, JSON Lines)."""

from extractors.decode import Decoded, decode_bytes
from extractors.html import parse_html
from extractors.plaintext import ParsedText, parse_date_line, parse_plaintext, strip_rubric
from extractors.records import parse_record
from extractors.text import ParseOptions, detect_language, parse_batch, parse_document

__all__ = [
    "Decoded",
    "ParseOptions",
    "ParsedText",
    "decode_bytes",
    "detect_language",
    "parse_batch",
    "parse_date_line",
    "parse_document",
    "parse_html",
    "parse_plaintext",
    "parse_record",
    "strip_rubric",
]
