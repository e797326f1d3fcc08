"""WordPress shortcodes are taken out of article text; an editor's brackets stay.

The bracketed spans below are those of real articles: TIME's feed (`[time-brightcove …]` in 98 of
its 100 entries, with WordPress's typographic quotes) and the insertions its reporters make in
quotations ("[the U.S.]", "[s]", "[sic]").
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors import ParseOptions, parse_document
from extractors.shortcodes import strip_shortcodes
from schemas import DocumentKind, RawDocument

BODY = "Officials met in Brussels on Monday to discuss the plan in detail."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{BODY}\n\n[time-brightcove not-tgx=”true”]\n\n{BODY}", f"{BODY}\n\n{BODY}"),
        ('Watch [video id=XbUA4awZ autostart="viewable" vertical].', "Watch."),
        ('[caption id="attachment_7" align="alignnone"]<img src="a.jpg"> Soldiers in Kyiv[/caption]\n\nText.', "Text."),
        ("See [embed]https://www.youtube.com/watch?v=x[/embed] for the speech.", "See for the speech."),
        ("He said [pullquote]we will stay[/pullquote] twice.", "He said we will stay twice."),
        ("More [related_posts] here.", "More here."),
        ("A stray [/column] closing tag.", "A stray closing tag."),
        ('[gallery ids="1,2,3"]\n\nThe body.', "The body."),
    ],
)
def test_shortcodes_go(text: str, expected: str) -> None:
    assert strip_shortcodes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "“If Iran shots [sic] and violently kills peaceful protesters”",
        "NATO “should be leading the way for [the U.S.]” on the matter.",
        "he “no longer feel[s] an obligation”",
        "the balance between [the] equation and [a] framework, [as] he put it",
        "one of the largest [solar-radiation management] trials",
        "as reported [1] and confirmed [Reuters], he said [...]",
        "Lagos [Capital FM] - The minister said",
        "[Laughter] and [inaudible] in a transcript",
    ],
)
def test_an_editors_brackets_stay(text: str) -> None:
    assert strip_shortcodes(text) is text


def _document(content: bytes, kind: DocumentKind) -> RawDocument:
    return RawDocument(source="s", uri=f"file:///a.{kind}", content=content, kind=kind, fetched_at=datetime.now(UTC))


def test_the_text_stage_strips_shortcodes_from_pages_and_plain_text() -> None:
    page = (
        "<html><head><title>Leaders meet in Davos</title></head><body><article><h1>Leaders meet in Davos</h1>"
        f"<p>{BODY} The talks ran late [sic].</p><p>[time-brightcove not-tgx=”true”]</p><p>{BODY}</p>"
        "</article></body></html>"
    )
    plain = f'[caption id="1"]A photo of the hall[/caption]\nLeaders meet in Davos\n\n{BODY} [related_posts]\n'
    kinds: list[tuple[bytes, DocumentKind]] = [(page.encode(), "html"), (plain.encode(), "text")]
    for content, kind in kinds:
        article = parse_document(_document(content, kind), ParseOptions()).article
        assert article is not None
        assert article.title == "Leaders meet in Davos"
        assert "time-brightcove" not in article.text and "related_posts" not in article.text
        assert "caption" not in article.text and "photo of the hall" not in article.text
        assert BODY in article.text
        if kind == "html":
            assert "ran late [sic]." in article.text
