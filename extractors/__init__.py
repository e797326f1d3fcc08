"""Pure functions on text: raw bytes to parsed articles (plain text, HTML, JSON Lines).

HTML pages are parsed by `extractors.html.parse_html`, imported where it is used.
"""

from extractors.decode import Decoded, decode_bytes
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
    "parse_plaintext",
    "parse_record",
    "strip_rubric",
]
