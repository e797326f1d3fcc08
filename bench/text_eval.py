"""How much of real articles the plain-text cleaner keeps: gold bodies of news-html-gold as text.

Each gold article (title, then its paragraphs) is written as a plain-text file would be and
parsed; every gold paragraph should survive boilerplate removal unchanged and the title should
stay whole. Run: `.venv/bin/python -m bench.text_eval [PATH/TO/gold_english.jsonl]`.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from extractors import parse_plaintext

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "news-html-gold" / "gold_english.jsonl"


def evaluate(gold: Path) -> tuple[int, int, int, int, list[str]]:
    """Return articles, titles kept whole, paragraphs, paragraphs kept, and what was lost."""
    articles = titles = paragraphs = kept = 0
    lost: list[str] = []
    for line in gold.read_text("utf-8").splitlines():
        row = json.loads(line)
        raw = row["paragraphs"]
        paras = [" ".join(p.split()) for p in (ast.literal_eval(raw) if isinstance(raw, str) else raw) if p.strip()]
        title = " ".join(row["title"].split())
        parsed = parse_plaintext(title + "\n\n" + "\n\n".join(paras))
        body = set(parsed.body.split("\n\n"))
        articles += 1
        titles += parsed.title == title
        for para in paras:
            paragraphs += 1
            if para in body:
                kept += 1
            else:
                lost.append(f"{row['publisher']}: {para[:100]}")
        if parsed.title != title:
            lost.append(f"{row['publisher']} title: {title!r} became {parsed.title!r}")
    return articles, titles, paragraphs, kept, lost


def main(argv: list[str]) -> int:
    """Print the figures; exit 2 when the gold file is missing."""
    gold = Path(argv[0]) if argv else DEFAULT_GOLD
    if not gold.exists():
        print(f"no gold file at {gold}: pass the path to news-html-gold/gold_english.jsonl", file=sys.stderr)
        return 2
    articles, titles, paragraphs, kept, lost = evaluate(gold)
    print(f"{articles} articles: titles kept whole {titles}/{articles} ({titles / articles:.1%})")
    print(f"{paragraphs} paragraphs: kept unchanged {kept}/{paragraphs} ({kept / paragraphs:.2%})")
    for item in lost:
        print(f"  lost: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
