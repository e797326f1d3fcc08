"""What `newsflow run` makes of compressed files, one-line texts, shortcodes and lists of addresses.

Each run is the real command in a subprocess, with its own temporary Prefect server and a DuckDB
file of its own; pages are served by a real HTTP server on 127.0.0.1 started by the test.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS
from tests.flows.commands import NEWSFLOW, newsflow, query_json
from tests.http_server import serving
from tests.sources.feed_server import Resource, Server, seed_page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ONE_LINE = (
    "Pentagon: 10,000 soldiers from North Korea in Russia. Washington (dpa) - According to the US Department of "
    "Defense, around 10,000 North Korean soldiers are in Russia. Some of them are near the Ukrainian border."
)
SHORTCODES = (
    "Leaders meet in Davos\n\n"
    "Leaders of forty countries met in Davos on Thursday to talk about trade and tariffs.\n\n"
    "[time-brightcove not-tgx=”true”]\n\n"
    '[caption id="attachment_9" align="alignnone"]<img src="hall.jpg"> The hall before the speech[/caption]\n\n'
    "“If Iran shots [sic] protesters, we will act,” he said of [the U.S.] and its allies [1].\n"
)
BOMB_UNPACKED = 4 << 30
# Peak resident memory of the command and its children, in KiB, printed last on standard error.
MEASURED = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)"
)


def _bomb(unpacked: int) -> bytes:
    """A gzip file of `unpacked` bytes of spaces: 1 MiB members, each compressed to about 1 KB."""
    return gzip.compress(b" " * (1 << 20), compresslevel=9) * (unpacked >> 20)


def test_compressed_files_a_bomb_one_line_texts_shortcodes_and_a_list_of_addresses_in_a_folder(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "page.html.gz").write_bytes((FIXTURES / "ninenews_2024_05_02.html.gz").read_bytes())
    (folder / "seed.txt.gz").write_bytes(gzip.compress((SEEDS / "002_25f37b80fda35444.txt").read_bytes()))
    records = [
        {"title": f"Report {i}", "text": f"{ONE_LINE} Report number {i}.", "url": f"https://e.org/{i}"}
        for i in range(2)
    ]
    (folder / "export.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    (folder / "bomb.html.gz").write_bytes(_bomb(BOMB_UNPACKED))  # 4 GiB unpacked, about 4 MB on disk
    (folder / "one-line.txt").write_text(ONE_LINE)
    (folder / "shortcodes.txt").write_text(SHORTCODES)
    (folder / "urls.txt").write_text("# to read later\nhttps://example.org/a/1\nhttps://example.org/a/2\n")
    db = tmp_path / "news.duckdb"

    done = subprocess.run(
        [sys.executable, "-c", MEASURED, str(NEWSFLOW), "run", str(folder), "--db", str(db), "--extractor", "none"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "8 seen, 6 new, 0 duplicates, 2 rejected" in done.stdout, done.stdout
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    # Far above a normal run and far below the bomb: unpacking it whole would need 4 GiB.
    assert peak_kib < BOMB_UNPACKED // 2 // 1024

    rejects = {Path(str(r["uri"])).name: r for r in query_json(db, "select uri, reason, detail from rejects")}
    assert rejects["bomb.html.gz"]["reason"] == "too_large"
    assert "unpacks to more than the cap of 5242880" in str(rejects["bomb.html.gz"]["detail"])
    assert rejects["urls.txt"]["reason"] == "url_list" and "newsflow run -i" in str(rejects["urls.txt"]["detail"])

    articles = {str(r["uri"]).rsplit("/", 1)[-1]: r for r in query_json(db, "select uri, title, text from articles")}
    assert set(articles) == {"page.html.gz", "seed.txt.gz", "0", "1", "one-line.txt", "shortcodes.txt"}
    assert articles["seed.txt.gz"]["title"] == "Pentagon: 10,000 soldiers from North Korea in Russia"
    assert articles["page.html.gz"]["title"]
    assert articles["0"]["title"] == "Report 0"
    assert articles["one-line.txt"]["title"] == "Pentagon: 10,000 soldiers from North Korea in Russia"
    assert str(articles["one-line.txt"]["text"]).startswith("Washington (dpa) - According to")
    text = str(articles["shortcodes.txt"]["text"])
    assert "time-brightcove" not in text and "caption" not in text and "hall before the speech" not in text
    assert "shots [sic] protesters" in text and "[the U.S.]" in text and "allies [1]." in text

    again = newsflow("run", str(folder), "--db", str(db), "--extractor", "none")
    assert again.returncode == 0, again.stderr
    assert "0 seen, 0 new, 0 duplicates, 0 rejected" in again.stdout  # the bomb is not unpacked again


def test_a_list_of_addresses_from_a_file_and_from_standard_input(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    with serving(Server()) as server:
        for i, seed in enumerate(seeds):
            server.resources[f"/news/{i}"] = Resource(seed_page(seed))
        listing = tmp_path / "urls.txt"
        listing.write_text(f"# the wire\n{server.url('/news/0')}?utm_source=list\n\n{server.url('/news/1')}\n")
        db = tmp_path / "list.duckdb"

        first = newsflow("run", "-i", str(listing), "--allow-host", "127.0.0.1", "--db", str(db), "--extractor", "none")
        assert first.returncode == 0, first.stderr
        assert "2 seen, 2 new, 0 duplicates, 0 rejected" in first.stdout, first.stdout
        rows = query_json(db, "select source, uri, title from articles order by uri")
        assert [r["uri"] for r in rows] == [server.url("/news/0"), server.url("/news/1")]
        assert {r["source"] for r in rows} == {listing.as_uri()}
        assert [r["title"] for r in rows] == [seed.read_text("utf-8").splitlines()[0].strip() for seed in seeds[:2]]

        again = newsflow("run", "-i", str(listing), "--allow-host", "127.0.0.1", "--db", str(db), "--extractor", "none")
        assert "0 seen, 0 new" in again.stdout, again.stdout

        piped = subprocess.run(
            [str(NEWSFLOW), "run", "-i", "-", "--allow-host", "127.0.0.1", "--db", str(db), "--extractor", "none"],
            input=f"{server.url('/news/2')}\n{server.url('/news/0')}\n",
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert piped.returncode == 0, piped.stderr
        # /news/0 is fetched again under this other source: a copy of the same story, not a second story.
        assert "2 seen, 2 new, 0 duplicates, 0 rejected" in piped.stdout, piped.stdout
        assert "1 of the new articles are copies that joined a known story" in piped.stdout
        assert server.article_hits() == {"/news/0": 2, "/news/1": 1, "/news/2": 1}
        assert query_json(db, "select source from articles where uri like '%/news/2'") == [{"source": "stdin"}]

    missing = newsflow("run", "-i", str(tmp_path / "nope.txt"), "--db", str(db))
    assert missing.returncode == 2 and missing.stderr.strip().startswith("error: -i ")
    assert "No such file or directory" in missing.stderr
    (tmp_path / "words.txt").write_text("Shelling in Kharkiv\n\nRussian forces shelled the city.\n")
    words = newsflow("run", "-i", str(tmp_path / "words.txt"), "--db", str(db))
    assert words.returncode == 2 and "no http(s) address in it" in words.stderr
    assert len(words.stderr.strip().splitlines()) == 1
