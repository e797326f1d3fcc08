"""WordPress shortcodes in real articles, and the bracketed text that stays: before and after newsflow strips them.

Reads every entry of the real feeds in feeds-realworld (as the feeds source delivers one whose
feed text is the article), the 84 news-html-gold pages and the seeds through the text stage's
readers, and counts the articles whose text holds a shortcode-like tag (a lower-case name in
brackets with `key=value` attributes, or a closing `[/name]`) before and after
`strip_shortcodes`. It lists every bracketed span removed and every one kept, so a reader can
check that none removed was the article's ("[sic]", "[the U.S.]"). Run:
`.venv/bin/python -m bench.shortcodes_eval [PATH/TO/shared/eval]`.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from extractors import parse_plaintext
from extractors.html import parse_html
from extractors.shortcodes import strip_shortcodes
from sources.feeds import entry_html, parse_feed

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_BRACKETED = re.compile(r"\[[^\[\]\n]{0,120}\]")
# Independent of the stripper's own rules: what anyone would grep for.
_SHORTCODE_LIKE = re.compile(r"\[[a-z][\w-]*\s[^\[\]\n]*=[^\[\]\n]*\]|\[/[a-z][\w-]*\]")


def articles(eval_dir: Path) -> Iterator[tuple[str, str]]:
    """(group, title and body) of every readable article: feed entries, gold pages, seeds."""
    for feed in sorted((eval_dir / "feeds-realworld" / "benchmark_data_news").glob("*.xml")):
        parsed = parse_feed(feed.read_bytes(), url=f"https://example.org/{feed.name}")
        for entry in parsed.entries:
            if entry.content.strip():
                parts = parse_html(entry_html(entry))
                if parts is not None:
                    yield f"feed {feed.stem}", parts.title + "\n\n" + parts.body
    for page in sorted((eval_dir / "news-html-gold" / "html").glob("*/*.html.gz")):
        parts = parse_html(gzip.decompress(page.read_bytes()))
        if parts is not None:
            yield "news-html-gold", parts.title + "\n\n" + parts.body
    for seed in sorted(SEEDS.glob("*.txt")):
        parts = parse_plaintext(seed.read_text("utf-8"))
        yield "seeds", parts.title + "\n\n" + parts.body


def main(argv: list[str]) -> int:
    """Print the counts and the spans removed and kept; exit 2 when the evaluation data is missing."""
    eval_dir = Path(argv[0]) if argv else DEFAULT_EVAL
    if not (eval_dir / "feeds-realworld").is_dir():
        print(f"no evaluation data at {eval_dir}: pass the path to shared/eval", file=sys.stderr)
        return 2
    totals: Counter[str] = Counter()
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for group, text in articles(eval_dir):
        stripped = strip_shortcodes(text)
        totals[group] += 1
        before[group] += bool(_SHORTCODE_LIKE.search(text))
        after[group] += bool(_SHORTCODE_LIKE.search(stripped))
        spans_after = Counter(_BRACKETED.findall(stripped))
        for span, n in Counter(_BRACKETED.findall(text)).items():
            if spans_after[span]:
                kept[span] += min(n, spans_after[span])
            if n > spans_after[span]:
                removed[span] += n - spans_after[span]
    print("articles with a shortcode-like tag, before -> after strip_shortcodes:")
    for group in sorted(totals):
        if before[group] or group in ("news-html-gold", "seeds"):
            print(f"  {group}: {before[group]} -> {after[group]} of {totals[group]}")
    rest = [g for g in totals if g.startswith("feed ") and not before[g]]
    print(f"  {len(rest)} other feeds: 0 of {sum(totals[g] for g in rest)}")
    print(f"bracketed spans removed: {sum(removed.values())}")
    for span, n in removed.most_common():
        print(f"  {n:4d}  {span}")
    print(f"bracketed spans kept: {sum(kept.values())}")
    for span, n in kept.most_common():
        print(f"  {n:4d}  {span}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
