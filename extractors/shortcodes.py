"""WordPress shortcodes ("[time-brightcove not-tgx="true"]", "[caption]…[/caption]") taken out of article text."""

from __future__ import annotations

import re

# A shortcode is a lower-case name in brackets, with attributes or without. Editors write lower-case
# words in brackets too ("[the]", "[sic]", "[s]" in a quotation), so a tag counts as a shortcode only
# when something prose never has marks it: an attribute `key=value`, a closing tag `[/name]`, or an
# underscore in the name.
_TAG = re.compile(r"[ \t\xa0]*\[(/?)([a-z][a-z0-9_-]*)((?:\s[^\[\]\n]*)?)\]")
_ATTRIBUTE = re.compile(r"(?:^|\s)[a-z_][\w-]*\s*=")
# Shortcodes whose enclosed content is no article text either: an image's caption, an embedded address.
_WHOLE = ("caption", "wp_caption", "embed", "gallery", "playlist", "audio", "video")
_ENCLOSED = re.compile(
    r"[ \t\xa0]*\[(" + "|".join(_WHOLE) + r")(?:\s[^\[\]]*)?\](?:(?!\[/?\1[\s\]]).){0,2000}?\[/\1\]", re.DOTALL
)


def _gap(match: re.Match[str]) -> str:
    """What a removed shortcode leaves: nothing before white space, punctuation or a line's end, else one space."""
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or text[start - 1] == "\n" or end == len(text) or text[end] in " \t\xa0\n.,;:!?)":
        return ""
    return " "


def _is_shortcode(match: re.Match[str], closing_names: frozenset[str]) -> bool:
    closing, name, attributes = match.group(1), match.group(2), match.group(3)
    if closing or "_" in name:
        return True
    return bool(_ATTRIBUTE.search(attributes)) or name in closing_names


def strip_shortcodes(text: str) -> str:
    """Remove WordPress shortcodes from a text, and what captions and embeds enclose.

    `[time-brightcove not-tgx="true"]`, `[video id=XbUA4awZ autostart="viewable"]` (attributes,
    typographic quotes included), `[related_posts]` (an underscore), `[/anything]` and a tag whose
    closing tag follows go; `[caption …]…[/caption]`, `[embed]…[/embed]` and the other media
    shortcodes go with their content, other enclosing ones (`[pullquote]…[/pullquote]`) leave it.
    Bracketed text of an editor or a source stays: "[sic]", "[the U.S.]", "[1]", "[Reuters]",
    "[s]". A line left empty is dropped; the space before a removed tag goes with it.

    Args:
        text: an article's title or body, paragraphs on lines of their own.

    Returns:
        The text without shortcodes; the same string when it holds none.
    """
    if "[" not in text:
        return text
    stripped = _ENCLOSED.sub(_gap, text)
    closing_names = frozenset(match.group(2) for match in _TAG.finditer(stripped) if match.group(1))
    stripped = _TAG.sub(lambda m: _gap(m) if _is_shortcode(m, closing_names) else m.group(), stripped)
    if stripped == text:
        return text
    lines: list[str] = []
    for line in stripped.split("\n"):
        if line.strip():
            lines.append(line.strip())
        elif lines and lines[-1]:
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
