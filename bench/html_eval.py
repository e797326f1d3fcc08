"""How well the HTML path reads real news pages: body, title and date against news-html-gold.

Every page of news-html-gold (fundus test data, MIT) goes through `extractors.text.parse_document`
as a RawDocument of kind "html", the way the flow reads it, and is scored against its gold:

- body: token F1 against the gold paragraphs (tokens are lower-cased words, punctuation dropped;
  precision and recall of the token multiset), per article, then the mean, the median and the
  share of articles at F1 >= 0.95; also against the gold's whole body (its summary, the section
  headlines and the paragraphs), since a standfirst or a subheading kept is not boilerplate;
- title: exact match after whitespace normalisation, and token F1;
- date: our published date against the gold publishing date at day precision, both in UTC (a gold
  time without a zone as written): right, wrong (a day off counted apart) or empty; and the time:
  the share of dated pages for which a time (minute or second) is stored, and of those the share
  within a minute of the gold's;
- authors: the share of pages whose stored authors are exactly the gold's (as a set);
- page document (`--configurations`): body F1 with trafilatura's default, `favor_precision` and
  `favor_recall`, side by side on the same pages; and JSON-LD read by the page's text (newsflow),
  by extruct's `JsonLdExtractor`, and by the standard JSON reader alone.

Speed: pages/s of `parse_html` on the decoded pages (best of three rounds), and the share of that
time spent inside trafilatura's extraction call, timed apart by wrapping `trafilatura.bare_extraction`.

Run: `.venv/bin/python -m bench.html_eval [PATH/TO/news-html-gold] [--configurations]`.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import trafilatura

from extractors.decode import decode_bytes
from extractors.html import parse_html
from extractors.text import ParseOptions, parse_document
from schemas import ParsedArticle, RawDocument

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "news-html-gold"
GOLD_FILE = "gold_english.jsonl"
GOOD_F1 = 0.95
_WORD = re.compile(r"\w+")

DateOutcome = Literal["right", "day_off", "wrong", "empty", "no_gold"]


@dataclass(frozen=True)
class GoldPage:
    """One page of the set and what a reader should take from it."""

    publisher: str
    html_file: str
    url: str
    title: str
    published: date | None
    body: str
    full_body: str
    published_time: datetime | None = None
    crawled: datetime | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of a token multiset against the gold one."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class PageScore:
    """How one page was read."""

    publisher: str
    html_file: str
    body: PRF
    full_body: PRF
    title_exact: bool
    title_f1: float
    date_status: DateOutcome
    got_date: date | None
    gold_date: date | None
    reject: str | None = None
    time_stated: bool = False
    time_right: bool = False
    authors_right: bool = False


@dataclass(frozen=True)
class Summary:
    """The figures over a set of page scores."""

    pages: int
    body_f1_mean: float
    body_f1_median: float
    body_precision_mean: float
    body_recall_mean: float
    body_good_share: float
    full_body_f1_mean: float
    full_body_good_share: float
    title_exact_share: float
    title_f1_mean: float
    dated: int
    date_right_share: float
    date_day_off_share: float
    date_wrong_share: float
    date_empty_share: float
    rejected: int
    time_stated_share: float = 0.0
    time_right_share: float = 0.0
    authors_right_share: float = 0.0


@dataclass(frozen=True)
class Timing:
    """Speed of `parse_html` on decoded pages, best of a few rounds."""

    pages: int
    seconds: float
    trafilatura_seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def trafilatura_share(self) -> float:
        """The share of the time spent inside `trafilatura.bare_extraction`."""
        return self.trafilatura_seconds / self.seconds if self.seconds else 0.0


def tokens(text: str) -> list[str]:
    """Lower-cased words of a text; punctuation, quotes and dashes dropped."""
    return _WORD.findall(text.lower())


def token_prf(predicted: str, gold: str) -> PRF:
    """Precision, recall and F1 of the predicted tokens against the gold tokens, as multisets.

    Two empty texts agree fully; one empty text against a non-empty one scores zero.
    """
    ours, theirs = Counter(tokens(predicted)), Counter(tokens(gold))
    if not ours and not theirs:
        return PRF(1.0, 1.0, 1.0)
    common = sum((ours & theirs).values())
    if not common:
        return PRF(0.0, 0.0, 0.0)
    precision = common / sum(ours.values())
    recall = common / sum(theirs.values())
    return PRF(precision, recall, 2 * precision * recall / (precision + recall))


def _normal(text: str) -> str:
    return " ".join(text.split())


def gold_day(stamp: str | None) -> date | None:
    """The calendar day of a gold publishing date, in the UTC offset it is written with."""
    if not stamp:
        return None
    return datetime.fromisoformat(stamp).date()


def gold_time(stamp: str | None) -> datetime | None:
    """A gold publishing date as newsflow stores times: naive UTC when zoned, else as written."""
    if not stamp:
        return None
    when = datetime.fromisoformat(stamp)
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo is not None else when


def date_outcome(got: date | None, gold: date | None) -> DateOutcome:
    """Right, a day off, wrong, or empty; `no_gold` when the gold has no date to compare with."""
    if gold is None:
        return "no_gold"
    if got is None:
        return "empty"
    if got == gold:
        return "right"
    return "day_off" if abs((got - gold).days) == 1 else "wrong"


def score_page(page: GoldPage, article: ParsedArticle | None, reject: str | None = None) -> PageScore:
    """Score what the HTML path made of one page; None (a reject) scores as empty everywhere."""
    title = article.title if article else ""
    got = article.published_at.date() if article and article.published_at else None
    stated = article is not None and article.published_at is not None and article.published_precision in {
        "second",
        "minute",
    }
    right = (
        stated
        and page.published_time is not None
        and article is not None
        and article.published_at is not None
        and abs((article.published_at - page.published_time).total_seconds()) < 60
    )
    authors = set(article.authors) if article else set()
    return PageScore(
        publisher=page.publisher,
        html_file=page.html_file,
        body=token_prf(article.text if article else "", page.body),
        full_body=token_prf(article.text if article else "", page.full_body),
        title_exact=_normal(title) == _normal(page.title),
        title_f1=token_prf(title, page.title).f1,
        date_status=date_outcome(got, page.published),
        got_date=got,
        gold_date=page.published,
        reject=reject,
        time_stated=stated,
        time_right=right,
        authors_right=authors == set(page.authors),
    )


def summarise(scores: Sequence[PageScore]) -> Summary:
    """Means, median and shares over the page scores; date shares are of the pages with a gold date."""
    n = len(scores)
    f1 = [s.body.f1 for s in scores]
    dated = [s for s in scores if s.date_status != "no_gold"]
    outcomes = Counter(s.date_status for s in dated)

    def share(count: int, total: int) -> float:
        return count / total if total else 0.0

    return Summary(
        pages=n,
        body_f1_mean=statistics.fmean(f1) if f1 else 0.0,
        body_f1_median=statistics.median(f1) if f1 else 0.0,
        body_precision_mean=statistics.fmean(s.body.precision for s in scores) if n else 0.0,
        body_recall_mean=statistics.fmean(s.body.recall for s in scores) if n else 0.0,
        body_good_share=share(sum(x >= GOOD_F1 for x in f1), n),
        full_body_f1_mean=statistics.fmean(s.full_body.f1 for s in scores) if n else 0.0,
        full_body_good_share=share(sum(s.full_body.f1 >= GOOD_F1 for s in scores), n),
        title_exact_share=share(sum(s.title_exact for s in scores), n),
        title_f1_mean=statistics.fmean(s.title_f1 for s in scores) if n else 0.0,
        dated=len(dated),
        date_right_share=share(outcomes["right"], len(dated)),
        date_day_off_share=share(outcomes["day_off"], len(dated)),
        date_wrong_share=share(outcomes["wrong"], len(dated)),
        date_empty_share=share(outcomes["empty"], len(dated)),
        rejected=sum(s.reject is not None for s in scores),
        time_stated_share=share(sum(s.time_stated for s in dated), len(dated)),
        time_right_share=share(sum(s.time_right for s in dated), sum(s.time_stated for s in dated)),
        authors_right_share=share(sum(s.authors_right for s in scores), n),
    )


def gold_root(path: Path) -> Path:
    """The set's folder, given either the folder or its gold_english.jsonl."""
    return path.parent if path.is_file() else path


def load_gold(root: Path) -> list[GoldPage]:
    """The gold rows of the set, in file order."""
    pages = []
    for line in (root / GOLD_FILE).read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        published = gold_time(row.get("publishing_date"))
        crawled = row.get("crawl_date")
        pages.append(
            GoldPage(
                publisher=row["publisher"],
                html_file=row["html_file"],
                url=row.get("url") or "",
                title=row["title"],
                published=published.date() if published else None,
                body="\n\n".join(row["paragraphs"]),
                full_body="\n\n".join([*row.get("summary", []), *row.get("section_headlines", []), *row["paragraphs"]]),
                published_time=published,
                crawled=datetime.fromisoformat(crawled).replace(tzinfo=UTC) if crawled else None,
                authors=tuple(row.get("authors") or ()),
            )
        )
    return pages


def read_page(root: Path, page: GoldPage) -> bytes:
    """The page's HTML bytes, as they were fetched."""
    return gzip.decompress((root / "html" / page.html_file).read_bytes())


def evaluate(root: Path, pages: Sequence[GoldPage] | None = None) -> list[PageScore]:
    """Read every page through `parse_document` (kind "html") and score it against its gold."""
    options = ParseOptions()
    scores = []
    for page in pages if pages is not None else load_gold(root):
        content = read_page(root, page)
        # Fetched when the set was crawled: a published time after that (beyond a day) is no time.
        fetched = page.crawled or datetime.now(UTC)
        doc = RawDocument(source="news-html-gold", uri=page.url, content=content, kind="html", fetched_at=fetched)
        result = parse_document(doc, options)
        reject = f"{result.reject.reason}: {result.reject.detail}" if result.reject else None
        scores.append(score_page(page, result.article, reject))
    return scores


@contextmanager
def timed_calls(module: Any, name: str, spent: list[float]) -> Iterator[None]:
    """Wrap `module.name` for the block so that each call adds its duration to `spent[0]`.

    A wrapper rather than cProfile: it costs two clock reads a call, where the profiler hooks
    every Python call and slows the pure-Python parts (ours and trafilatura's) more than lxml's C,
    which would skew the very share measured. extractors/html.py calls `trafilatura.bare_extraction`
    through the module attribute, so replacing the attribute catches every call.
    """
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    setattr(module, name, wrapper)
    try:
        yield
    finally:
        setattr(module, name, original)


def time_parse_html(texts: Sequence[str], rounds: int = 3) -> Timing:
    """Time `parse_html` over the decoded pages; keep the fastest round and its time inside trafilatura."""
    best: Timing | None = None
    for _ in range(rounds):
        spent = [0.0]
        with timed_calls(trafilatura, "bare_extraction", spent):
            start = time.perf_counter()
            for text in texts:
                parse_html(text)
            elapsed = time.perf_counter() - start
        if best is None or elapsed < best.seconds:
            best = Timing(pages=len(texts), seconds=elapsed, trafilatura_seconds=spent[0])
    assert best is not None
    return best


def decoded_pages(root: Path, pages: Sequence[GoldPage]) -> list[str]:
    """The pages decoded as `parse_document` decodes them before it calls `parse_html`."""
    texts = []
    for page in pages:
        text = decode_bytes(read_page(root, page)).text
        if text is not None:
            texts.append(text)
    return texts


def _print_report(scores: Sequence[PageScore], timing: Timing | None, worst: int) -> None:
    s = summarise(scores)
    print(f"{s.pages} pages, {s.rejected} rejected")
    print(
        f"body token F1: mean {s.body_f1_mean:.3f}, median {s.body_f1_median:.3f} "
        f"(precision {s.body_precision_mean:.3f}, recall {s.body_recall_mean:.3f}); "
        f"F1 >= {GOOD_F1}: {s.body_good_share:.1%}"
    )
    print(
        f"  against the whole gold body (summary, section headlines, paragraphs): mean {s.full_body_f1_mean:.3f}, "
        f"F1 >= {GOOD_F1}: {s.full_body_good_share:.1%}"
    )
    print(f"title: exact {s.title_exact_share:.1%}, token F1 mean {s.title_f1_mean:.3f}")
    print(
        f"date ({s.dated} with a gold date): right {s.date_right_share:.1%}, a day off {s.date_day_off_share:.1%}, "
        f"wrong {s.date_wrong_share:.1%}, empty {s.date_empty_share:.1%}"
    )
    print(
        f"time: stored for {s.time_stated_share:.1%} of the dated pages, within a minute of the gold's for "
        f"{s.time_right_share:.1%} of those; authors exactly the gold's: {s.authors_right_share:.1%}"
    )
    if timing is not None:
        print(
            f"parse_html: {timing.pages_per_second:.1f} pages/s ({timing.seconds:.2f} s for {timing.pages}); "
            f"{timing.trafilatura_share:.1%} of it inside trafilatura.bare_extraction"
        )
    by_publisher: dict[str, list[PageScore]] = defaultdict(list)
    for score in scores:
        by_publisher[score.publisher].append(score)
    print("\nper publisher: pages, body F1, title exact, date right")
    for publisher, group in sorted(by_publisher.items(), key=lambda kv: statistics.fmean(x.body.f1 for x in kv[1])):
        g = summarise(group)
        print(
            f"  {publisher:<18} {g.pages}  {g.body_f1_mean:.3f}  {g.title_exact_share:.0%}  "
            f"{g.date_right_share:.0%}" + (f"  ({g.rejected} rejected)" if g.rejected else "")
        )
    print(f"\nworst {worst} by body F1: F1 (precision/recall), title, date (ours vs gold)")
    for score in sorted(scores, key=lambda x: x.body.f1)[:worst]:
        print(
            f"  {score.body.f1:.3f} ({score.body.precision:.2f}/{score.body.recall:.2f})  {score.html_file}  "
            f"title {'=' if score.title_exact else f'F1 {score.title_f1:.2f}'}  "
            f"date {score.date_status} ({score.got_date} vs {score.gold_date})"
            + (f"  [{score.reject}]" if score.reject else "")
        )
    misdated = [x for x in scores if x.date_status in {"wrong", "day_off", "empty"}]
    if misdated:
        print("\ndates not right: ours vs gold")
        for score in misdated:
            print(f"  {score.date_status:<7} {score.got_date} vs {score.gold_date}  {score.html_file}")


# trafilatura's configurations compared side by side: its default, and its two documented leanings.
CONFIGURATIONS: dict[str, dict[str, bool]] = {
    "default": {},
    "favor_precision": {"favor_precision": True},
    "favor_recall": {"favor_recall": True},
}


@contextmanager
def trafilatura_options(options: dict[str, bool]) -> Iterator[None]:
    """Call `trafilatura.bare_extraction` with `options` added for the block (the HTML path calls it
    through the module attribute), so one configuration can be scored on the same pages as another."""
    original: Callable[..., Any] = trafilatura.bare_extraction

    def configured(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **{**kwargs, **options})

    trafilatura.bare_extraction = configured
    try:
        yield
    finally:
        trafilatura.bare_extraction = original


def compare_configurations(root: Path, pages: Sequence[GoldPage]) -> dict[str, Summary]:
    """The HTML path's scores under each of trafilatura's configurations, on the same pages."""
    found: dict[str, Summary] = {}
    for name, options in CONFIGURATIONS.items():
        with trafilatura_options(options):
            found[name] = summarise(evaluate(root, pages))
    return found


# JSON-LD that real pages publish and the standard JSON reader refuses.
BROKEN_JSON_LD = (
    '{"@type": "NewsArticle", "headline": "A", "articleBody": "line one\nline two"}',  # a raw newline
    '{"@type": "NewsArticle", "headline": "A\tB"}',  # a raw tab
    '// generated\n{"@type": "NewsArticle", "headline": "A"}',
    '{"@type": "NewsArticle", "headline": "A",}',
    '/*<![CDATA[*/{"@type": "NewsArticle", "headline": "A"}/*]]>*/',
    '<!--\n{"@type": "NewsArticle", "headline": "A"}\n-->',
)


@dataclass(frozen=True)
class JsonLdScore:
    """How one way of reading JSON-LD did: article nodes found on the set and on `BROKEN_JSON_LD`, and its time."""

    reader: str
    found: int
    broken_read: int
    ms_per_page: float


def _strict_node(page: str) -> dict[str, Any]:
    from extractors.html import _JSON_LD, _is_article, _walk

    for script in _JSON_LD.findall(page):
        try:
            data = json.loads(script)
        except (ValueError, RecursionError):
            continue
        for node in _walk(data):
            if _is_article(node):
                return node
    return {}


def _extruct_node(page: str) -> dict[str, Any]:
    from extruct.jsonld import JsonLdExtractor  # type: ignore[import-untyped]

    from extractors.html import _is_article, _walk

    try:
        items = JsonLdExtractor().extract(page)
    except ValueError:
        return {}
    return next((node for node in _walk(items) if _is_article(node)), {})


def compare_json_ld(texts: Sequence[str], rounds: int = 3) -> list[JsonLdScore]:
    """Article nodes found and milliseconds a page for each JSON-LD reader: the standard JSON reader
    (newsflow before), extruct's `JsonLdExtractor`, and newsflow's (its scripts found in the text,
    read as extruct reads them). Times are the median of `rounds`, the readers taking turns."""
    from extractors.html import _article_node

    readers: dict[str, Callable[[str], dict[str, Any]]] = {
        "json (before)": _strict_node,
        "extruct JsonLdExtractor": _extruct_node,
        "newsflow (now)": _article_node,
    }
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for name, read in readers.items():
            start = time.perf_counter()
            for text in texts:
                read(text)
            times[name].append(time.perf_counter() - start)
    scores = []
    for name, read in readers.items():
        broken = [f'<html><head><script type="application/ld+json">{s}</script></head></html>' for s in BROKEN_JSON_LD]
        scores.append(
            JsonLdScore(
                reader=name,
                found=sum(bool(read(text)) for text in texts),
                broken_read=sum(bool(read(page)) for page in broken),
                ms_per_page=statistics.median(times[name]) / max(len(texts), 1) * 1000,
            )
        )
    return scores


def _print_comparisons(root: Path, pages: Sequence[GoldPage], texts: Sequence[str]) -> None:
    print("\ntrafilatura's configurations on the same pages: body F1 mean / median / >= 0.95, precision, recall")
    for name, s in compare_configurations(root, pages).items():
        print(
            f"  {name:<16} {s.body_f1_mean:.3f} / {s.body_f1_median:.3f} / {s.body_good_share:.1%}, "
            f"{s.body_precision_mean:.3f}, {s.body_recall_mean:.3f}; whole gold body {s.full_body_f1_mean:.3f}"
        )
    print(f"\nJSON-LD readers: article nodes on {len(texts)} pages, of {len(BROKEN_JSON_LD)} broken scripts, ms a page")
    for score in compare_json_ld(texts):
        print(f"  {score.reader:<24} {score.found:>3}  {score.broken_read}  {score.ms_per_page:.2f}")


def main(argv: list[str]) -> int:
    """Print the figures; skip with a message when the data is absent (exit 2 for a wrong explicit path)."""
    compare = "--configurations" in argv
    argv = [arg for arg in argv if arg != "--configurations"]
    root = gold_root(Path(argv[0])) if argv else DEFAULT_ROOT
    if not (root / GOLD_FILE).exists():
        print(f"skipped: no {GOLD_FILE} in {root}; pass the path to news-html-gold", file=sys.stderr)
        return 2 if argv else 0
    pages = load_gold(root)
    scores = evaluate(root, pages)
    texts = decoded_pages(root, pages)
    timing = time_parse_html(texts)
    _print_report(scores, timing, worst=10)
    if compare:
        _print_comparisons(root, pages, texts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
