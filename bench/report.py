"""`newsflow report` on a large database: how long reading and drawing take, and how big the page is.

The database is generated with SQL into a real, migrated DuckDB file: `--stories` stories of one to
four copies from twelve outlets over two years, a `--events` events (dated to the day, by month,
or not at all) at 3,000 places with coordinates and at countries without, 300 claimants, and
rejects of twelve reasons. Times are the median of `--repeat` runs, each reading the file anew.

Run: `.venv/bin/python -m bench.report [--stories 20000] [--events 100000] [--repeat 3] [--out page.html]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from report import build_page
from store import read_report, writer

TYPES = ["ASSAULT", "ACCUSE", "REQUEST", "AID", "AGREE", "CONSULT", "MOBILIZE", "SUPPORT", "THREATEN", "PROTEST"]


def make_database(path: Path, stories: int, events: int) -> None:
    """Write the generated rows into a migrated newsflow database at `path`."""
    with writer(path) as con:
        con.execute(
            """
            insert into article_rows (article_id, source, uri, outlet, title, published_at, published_precision, text,
                                  content_hash, word_count, run_id, ingested_at, story_id)
            select 'a' || s || '-' || c, 'bench', 'file:///a/' || s || '/' || c,
                   case when (s + c) % 13 = 0 then null else 'Outlet ' || ((s * 7 + c) % 12) end,
                   'Story number ' || s || ' about a place and an event of the day',
                   case when s % 9 = 0 then null
                        else timestamp '2023-01-01 06:00:00' + to_days(cast(s * 730 // $stories as integer))
                             + to_hours(cast(c as integer)) end,
                   'minute', 'text', 'h' || s || '-' || c, 600, 'run', timestamptz '2025-01-01 00:00:00+00', 's' || s
            from range($stories) t(s), range(1 + (s % 4)) u(c)
            """,
            {"stories": stories},
        )
        con.execute(
            """
            insert into stories
            select story_id, min(article_id), any_value(title), timestamptz '2025-01-01 00:00:00+00',
                   timestamptz '2025-01-01 00:00:00+00', count(*), count(distinct outlet)
            from articles group by story_id
            """
        )
        con.execute(
            """
            insert into events (event_id, story_id, article_id, event_type, event_date, date_precision, location,
                                country, admin1, latitude, longitude, claimed_by, killed, injured, evidence,
                                char_start, char_end, confidence, extractor, run_id, extracted_at)
            select 'e' || e, 's' || (e % $stories), 'a' || (e % $stories) || '-0', $types[1 + e % 10],
                   case when e % 3 = 0 then null
                        else date '2023-01-01' + cast((e % $stories) * 730 // $stories as integer) end,
                   case when e % 3 = 0 then null when e % 7 = 0 then 'month' else 'day' end,
                   case when e % 5 = 0 then 'Country ' || (e % 40) else 'Town ' || (e % 3000) end,
                   'C' || (e % 40), case when e % 5 <> 0 then 'Area ' || (e % 90) end,
                   case when e % 5 = 0 then null else -45 + ((e % 3000) * 7919 % 1000) * 0.11 end,
                   case when e % 5 = 0 then null else -170 + ((e % 3000) * 104729 % 3400) * 0.1 end,
                   case when e % 4 = 0 then null else 'Claimant ' || (e % 300) end,
                   case when e % 10 = 0 then e % 17 end, case when e % 12 = 0 then e % 23 end,
                   'evidence', 0, 1, 1.0, 'rules@1.3', 'run', timestamptz '2025-01-01 00:00:00+00'
            from range($events) t(e)
            """,
            {"stories": stories, "events": events, "types": TYPES},
        )
        con.execute(
            """
            insert into rejects
            select 'run', 'bench', 'file:///r/' || r, 'reason_' || (r % 12), null, 0,
                   timestamptz '2023-01-01 00:00:00+00' + to_days(cast(r % 730 as integer))
            from range($n) t(r)
            """,
            {"n": stories // 4},
        )
        con.execute("insert into runs (run_id, started_at, status) values ('run', now(), 'completed')")


def main(argv: Sequence[str]) -> int:
    """Print the median times to read the report's data and to build its page, and the page's size."""
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=20_000, help="stories generated")
    parser.add_argument("--events", type=int, default=100_000, help="events generated")
    parser.add_argument("--repeat", type=int, default=3, help="measurements (median shown)")
    parser.add_argument("--out", type=Path, help="also write the page here, to look at")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsflow-bench-report-") as folder:
        path = Path(folder) / "news.duckdb"
        started = time.perf_counter()
        make_database(path, args.stories, args.events)
        made = time.perf_counter() - started
        reads, builds = [], []
        page = ""
        for _ in range(args.repeat):
            started = time.perf_counter()
            data = read_report(path)
            reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            page = build_page(data)
            builds.append(time.perf_counter() - started)
        if args.out is not None:
            args.out.write_text(page, "utf-8")
        t = data.totals
        print(
            f"newsflow report: {t.articles:,} articles, {t.stories:,} stories, {t.events:,} events, "
            f"{t.rejects:,} rejects over two years (database made in {made:.1f} s), median of {args.repeat}"
        )
        print(
            f"  read {statistics.median(reads):6.2f} s   build {statistics.median(builds):6.2f} s   "
            f"page {len(page.encode()) / 1024:,.0f} KB ({len(data.places):,} places, columns a {_unit(page)})"
        )
    return 0


def _unit(page: str) -> str:
    for unit in ("day", "week", "month"):
        if f"Events by type per {unit}" in page:
            return unit
    return "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
