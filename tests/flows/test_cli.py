"""The `newsflow` command run as a user types it, in a subprocess, on temporary databases.

Each `newsflow run` starts Prefect's temporary local server, as it does for a user.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractors.events import RuleExtractor
from store import start_run
from tests.conftest import SEEDS
from tests.flows.commands import NEWSFLOW, newsflow, query_json
from tests.http_server import serving
from tests.sources.feed_server import Resource, Server, seed_page
from tests.store.test_turns import WRITER, go_on, wait_until_queued


def test_run_twice_then_query(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    first = newsflow("run", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "5 seen, 5 new, 0 duplicates, 0 rejected" in first.stdout
    reported = re.search(r"(\d+) events from 5 articles coded by rules@", first.stdout)
    assert reported is not None, first.stdout
    assert query_json(db, "select count(*) as n from events") == [{"n": int(reported.group(1))}]
    second = newsflow("run", "seeds", "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert "0 seen, 0 new, 0 duplicates, 0 rejected" in second.stdout  # the cursor: unchanged files are not read

    rows = query_json(db, "select uri, title, published_at, outlet from articles order by uri")
    by_seed = {Path(str(r["uri"])).name[:3]: r for r in rows}
    assert {k: v["title"] for k, v in by_seed.items()} == {
        "000": "Selenskyj: Need weapons against North Korean soldiers",
        "001": "Zelensky accuses North Korea of sending soldiers to the Russian army",
        "002": "Pentagon: 10,000 soldiers from North Korea in Russia",
        "003": "Zelensky: Dead in fighting with North Korea - Putin open for discussions with Trump",
        "004": "Zelensky fears North Koreans will be deployed soon",
    }
    assert {k: v["published_at"] for k, v in by_seed.items()} == {
        "000": "2024-11-02T05:39:00",
        "001": None,
        "002": "2024-10-29T04:16:00",
        "003": None,
        "004": "2024-10-25T10:48:00",
    }
    assert by_seed["000"]["outlet"] == "SDA"

    table = newsflow("query", "select title, published_at, outlet from articles", "--db", str(db))
    assert table.returncode == 0, table.stderr
    assert "Pentagon: 10,000 soldiers from North Korea in Russia" in table.stdout
    assert "2024-11-02 05:39:00" in table.stdout
    assert "5 rows" in table.stdout

    csv_out = newsflow("query", "select count(*) as n from articles", "--db", str(db), "-f", "csv")
    assert csv_out.stdout.splitlines() == ["n", "5"]

    # The troop-estimate question of the README: figures side by side with their claimants.
    claims = query_json(db, "select value, qualifier, claimed_by from claims where counted = 'troops'")
    by_value = {float(str(r["value"])): r for r in claims}
    assert by_value[12000.0]["qualifier"] == "about" and "intelligence" in str(by_value[12000.0]["claimed_by"])
    assert by_value[8000.0]["qualifier"] == "up to" and by_value[8000.0]["claimed_by"] == "White House"
    assert query_json(db, "select count(*) > 0 as filled from events_daily") == [{"filled": True}]

    stats = newsflow("stats", "--db", str(db))
    assert stats.returncode == 0, stats.stderr
    assert "articles" in stats.stdout and "completed" in stats.stdout


def test_bad_files_are_rejected_with_reasons_and_good_ones_go_in(
    tmp_path: Path, bad_folder: tuple[Path, dict[str, str]]
) -> None:
    folder, expected = bad_folder
    db = tmp_path / "news.duckdb"
    done = newsflow("run", str(folder), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "5 seen, 1 new, 0 duplicates, 4 rejected" in done.stdout
    rejects = query_json(db, "select uri, reason, detail, size_bytes from rejects")
    assert {Path(str(r["uri"])).name: r["reason"] for r in rejects} == expected
    assert all(r["detail"] for r in rejects)
    assert query_json(db, "select title from articles") == [
        {"title": "Pentagon: 10,000 soldiers from North Korea in Russia"}
    ]


def without_root_reading_rights() -> list[str]:
    """The command before `newsflow` that makes folder permissions hold: none for a user; for root,
    setpriv dropping the two capabilities that let root list and read any folder."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root lists every folder whatever its mode, and setpriv is not here to drop that right")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_a_folder_that_cannot_be_listed_and_a_link_out_are_rejects_until_allowed(tmp_path: Path) -> None:
    wrapper = without_root_reading_rights()
    folder, outside = tmp_path / "inbox", tmp_path / "elsewhere"
    for place in (folder / "locked", outside):
        place.mkdir(parents=True)
    shutil.copy(SEEDS / "001_3b87e9ba0e2bb5f4.txt", folder)
    shutil.copy(SEEDS / "002_25f37b80fda35444.txt", folder / "locked")
    shutil.copy(SEEDS / "003_47f590365a3ca57f.txt", outside)
    (folder / "linked.txt").symlink_to(outside / "003_47f590365a3ca57f.txt")
    (folder / "locked").chmod(0)
    db = tmp_path / "news.duckdb"
    try:
        first = newsflow("run", str(folder), "--db", str(db), "--extractor", "none", wrapper=wrapper)
        assert first.returncode == 0, first.stderr
        assert "3 seen, 1 new, 0 duplicates, 2 rejected" in first.stdout
        rejects = query_json(db, "select uri, reason, detail from rejects order by reason")
        assert [(Path(str(r["uri"])).name, r["reason"]) for r in rejects] == [
            ("linked.txt", "outside_source"),
            ("locked", "unreadable"),
        ]
        assert "Permission denied" in str(rejects[1]["detail"])
        # Following links is a choice of the run: the link is read; the folder stays recorded.
        followed = newsflow("run", str(folder), "--db", str(db), "--extractor", "none", "--follow-symlinks",
                            wrapper=wrapper)  # fmt: skip
        assert followed.returncode == 0, followed.stderr
        assert "1 seen, 1 new, 0 duplicates, 0 rejected" in followed.stdout
        (folder / "locked").chmod(0o755)
        opened = newsflow("run", str(folder), "--db", str(db), "--extractor", "none", "--follow-symlinks",
                          wrapper=wrapper)  # fmt: skip
        assert "1 seen, 1 new, 0 duplicates, 0 rejected" in opened.stdout  # the folder's file, once it opens
    finally:
        (folder / "locked").chmod(0o755)
    assert len(query_json(db, "select title from articles")) == 3


def test_the_database_comes_from_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.duckdb"
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SEEDS / "001_3b87e9ba0e2bb5f4.txt", one)
    done = newsflow("run", str(one), env={"NEWSFLOW_DB": str(db)})
    assert done.returncode == 0, done.stderr
    assert db.exists()
    assert f"database: {db}" in done.stdout


def test_clear_errors(tmp_path: Path) -> None:
    missing = newsflow("run", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x.duckdb"))
    assert missing.returncode == 2
    assert "no such file or folder" in missing.stderr
    assert not (tmp_path / "x.duckdb").exists()

    no_seeds = newsflow("run", "--db", str(tmp_path / "x.duckdb"), cwd=tmp_path)
    assert no_seeds.returncode == 2 and "name a SOURCE" in no_seeds.stderr

    no_db = newsflow("query", "select 1", "--db", str(tmp_path / "none.duckdb"))
    assert no_db.returncode == 1 and "no database at" in no_db.stderr

    bad_extractor = newsflow("run", "--extractor", "nope", "--db", str(tmp_path / "x.duckdb"))
    assert bad_extractor.returncode == 2 and "no extractor named 'nope'" in bad_extractor.stderr
    assert not (tmp_path / "x.duckdb").exists()

    bad_format = newsflow("query", "select 1", "--format", "xml")
    assert bad_format.returncode == 2
    assert "--format must be one of table, csv, json, parquet, markdown, line, not 'xml'" in bad_format.stderr


def test_help_shows_examples() -> None:
    for command in ("run", "query", "stats"):
        done = newsflow(command, "--help")
        assert done.returncode == 0
        assert "Example" in done.stdout


def test_a_config_file_names_the_sources_and_the_database(tmp_path: Path) -> None:
    for folder, seeds in (
        ("a", ["000_66649ecd6d3310b0.txt"]),
        ("b", ["001_3b87e9ba0e2bb5f4.txt", "002_25f37b80fda35444.txt"]),
    ):
        (tmp_path / folder).mkdir()
        for seed in seeds:
            shutil.copy(SEEDS / seed, tmp_path / folder / seed)
    (tmp_path / "newsflow.toml").write_text(
        'db = "configured.duckdb"\n\n[[sources]]\nname = "first"\npath = "a"\n\n'
        '[[sources]]\nname = "second"\nkind = "files"\npath = "b"\n',
        "utf-8",
    )
    listed = newsflow("sources", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("never run") == 2

    done = newsflow("run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "3 seen, 3 new" in done.stdout and "database: configured.duckdb" in done.stdout
    listed = newsflow("sources", cwd=tmp_path)
    assert "never run" not in listed.stdout and '{"files": {"001_3b87e9ba0e2bb5f4.txt"' in listed.stdout

    (tmp_path / "broken.toml").write_text("[[sources]]\npath = 'a'\n", "utf-8")
    broken = newsflow("run", "--config", "broken.toml", cwd=tmp_path)
    assert broken.returncode == 2 and "sources.0.name: Field required" in broken.stderr


LEXICON = """
[[trigger]]
words = "ransack"
kind = "v"
  [[trigger.rule]]
  event_type = "ASSAULT"
  mode = "destroy"
  weight = 0.7
"""


def test_a_lexicon_of_ones_own_codes_under_its_own_version(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "goma.txt").write_text(
        "Town hall stormed in Goma\n\nThe rebels ransacked the town hall in Goma on Monday, residents said.\n",
        "utf-8",
    )
    (tmp_path / "my_triggers.toml").write_text(LEXICON, "utf-8")
    (tmp_path / "newsflow.toml").write_text(
        'db = "news.duckdb"\n\n[[sources]]\nname = "news"\npath = "news"\n\n[events]\nlexicon = "my_triggers.toml"\n',
        "utf-8",
    )
    mine = f"rules@{RuleExtractor.version}+{hashlib.sha1(LEXICON.encode()).hexdigest()[:8]}"
    done = newsflow("run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"coded by {mine}" in done.stdout
    events = "select extractor, event_type, mode from events where mode = 'destroy'"
    assert query_json(tmp_path / "news.duckdb", events) == [
        {"extractor": mine, "event_type": "ASSAULT", "mode": "destroy"}
    ]

    # The variable wins over the file, as for every setting; another lexicon codes the article again
    # (its events replace those of the same extractor's other version).
    other = LEXICON.replace("weight = 0.7", "weight = 0.6")
    (tmp_path / "other.toml").write_text(other, "utf-8")
    theirs = f"rules@{RuleExtractor.version}+{hashlib.sha1(other.encode()).hexdigest()[:8]}"
    again = newsflow("extract", cwd=tmp_path, env={"NEWSFLOW_EVENTS__LEXICON": "other.toml"})
    assert again.returncode == 0, again.stderr
    assert "1 articles coded" in again.stdout and f"coded by {theirs}" in again.stdout
    assert query_json(tmp_path / "news.duckdb", events) == [
        {"extractor": theirs, "event_type": "ASSAULT", "mode": "destroy"}
    ]

    (tmp_path / "bad.toml").write_text(LEXICON.replace("weight", "wieght"), "utf-8")
    (tmp_path / "bad-config.toml").write_text('db = "bad.duckdb"\n[events]\nlexicon = "bad.toml"\n', "utf-8")
    bad = newsflow("run", "news", "--config", "bad-config.toml", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        f"error: invalid lexicon {tmp_path / 'bad.toml'}: trigger[1] ('ransack').rule[1].wieght: unknown key "
        "(known: event_type, mode, weight, tail, gap, prev, not_prev, not_next, objects, need_object, before, "
        "window, context, not_context, governs, need_cue)"
    ]
    assert not (tmp_path / "bad.duckdb").exists()


def test_a_feed_on_a_local_server_ingests_every_linked_article_once(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    with serving(Server()) as server:
        items = ""
        for i, seed in enumerate(seeds):
            server.resources[f"/news/{i}"] = Resource(seed_page(seed))
            items += f"<item><title>t{i}</title><link>{server.url(f'/news/{i}')}?utm_source=rss</link>"
            items += f"<guid>story-{i}</guid><description>A short summary.</description></item>"
        feed = server.feed(
            "/feeds/news.xml", f'<rss version="2.0"><channel><title>News</title>{items}</channel></rss>'.encode()
        )
        db = tmp_path / "feed.duckdb"

        blocked = newsflow("run", feed, "--db", str(tmp_path / "blocked.duckdb"))
        assert blocked.returncode == 3, blocked.stderr  # its one input seen was rejected
        assert "1 seen, 0 new, 0 duplicates, 1 rejected" in blocked.stdout and "blocked_address" in blocked.stdout

        first = newsflow("run", feed, "--allow-host", "127.0.0.1", "--db", str(db))
        assert first.returncode == 0, first.stderr
        assert "3 seen, 3 new, 0 duplicates, 0 rejected" in first.stdout
        titles = {str(r["title"]) for r in query_json(db, "select title from articles")}
        assert titles == {seed.read_text("utf-8").splitlines()[0].strip() for seed in seeds}
        uris = {str(r["uri"]) for r in query_json(db, "select uri from articles")}
        assert uris == {server.url(f"/news/{i}") for i in range(3)}  # tracking parameters dropped

        second = newsflow("run", feed, "--allow-host", "127.0.0.1", "--db", str(db))
        assert second.returncode == 0, second.stderr
        assert "0 seen, 0 new" in second.stdout
        assert server.article_hits() == {f"/news/{i}": 1 for i in range(3)}
        assert server.seen_headers["/feeds/news.xml"].get("if-none-match") == '"v1"'


def test_a_table_shows_values_as_stored_not_as_markup_or_emoji(capsys: pytest.CaptureFixture[str]) -> None:
    from flows.cli import print_result
    from store import QueryResult

    print_result(QueryResult(["[b]name[/b]", "line"], [("postgres:x:101", "[bold]loud[/bold] [/]")]), "table")
    out = capsys.readouterr().out
    assert "[b]name[/b]" in out and "postgres:x:101" in out and "[bold]loud[/bold] [/]" in out


def test_the_batch_size_comes_from_the_option_else_the_environment_else_the_config(tmp_path: Path) -> None:
    config = tmp_path / "newsflow.toml"
    config.write_text("batch_size = 2\n", "utf-8")

    def batches(db: Path, *options: str, env: dict[str, str] | None = None) -> list[object]:
        """The articles of each batch of a run of the seeds (one `ingested_at` a batch)."""
        done = newsflow(
            "run", str(SEEDS), "--db", str(db), "--config", str(config), "--extractor", "none", *options, env=env
        )
        assert done.returncode == 0, done.stderr
        rows = query_json(db, "select count(*) as n from articles group by ingested_at order by ingested_at")
        return [row["n"] for row in rows]

    assert batches(tmp_path / "config.duckdb") == [2, 2, 1]
    assert batches(tmp_path / "env.duckdb", env={"NEWSFLOW_BATCH_SIZE": "3"}) == [3, 2]
    assert batches(tmp_path / "option.duckdb", "--batch-size", "4", env={"NEWSFLOW_BATCH_SIZE": "3"}) == [4, 1]

    # `extract` reads and writes as many articles a transaction (one `extracted_at` a batch).
    coded = newsflow("extract", "--db", str(tmp_path / "config.duckdb"), "--config", str(config), "--workers", "1")
    assert coded.returncode == 0, coded.stderr
    rows = query_json(
        tmp_path / "config.duckdb", "select count(*) as n from extractions group by extracted_at order by extracted_at"
    )
    assert [row["n"] for row in rows] == [2, 2, 1]


def test_an_allowed_host_with_a_port_allows_that_port_and_no_other(tmp_path: Path) -> None:
    with serving(Server()) as server, serving(Server()) as other:
        items = "".join(
            f"<item><title>t{i}</title><link>{site.url(f'/news/story-{i}')}</link>"
            f"<description>A short summary.</description></item>"
            for i, site in enumerate((server, other))
        )
        feed = server.feed("/feeds/news.xml", f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
        port = server.server_address[1]
        db = tmp_path / "ports.duckdb"

        done = newsflow("run", feed, "--allow-host", f"127.0.0.1:{port}", "--db", str(db), "--extractor", "none")
        assert done.returncode == 0, done.stderr
        assert "2 seen, 1 new, 0 duplicates, 1 rejected" in done.stdout
        assert query_json(db, "select uri from articles") == [{"uri": server.url("/news/story-0")}]
        assert query_json(db, "select uri, reason from rejects") == [
            {"uri": other.url("/news/story-1"), "reason": "blocked_address"}
        ]
        assert other.hits == {}

    bad = newsflow("run", "http://127.0.0.1:8000/feed.xml", "--allow-host", "127.0.0.1:99999", "--db", str(db))
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "error: --allow-host '127.0.0.1:99999': the port after the host must be a number from 1 to 65535"
    ]


def test_a_query_during_a_run_says_what_it_waits_for_and_answers_between_batches(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    start_run(db, "setup", flow_run_id=None, sources=["s"])
    # A writer process holding its first two turns until told, then taking turns of 0.5 s, as a
    # run with long batches does.
    batches = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), "w1", "40", "0.5", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert batches.stdout is not None
        assert batches.stdout.readline().strip() == "turn 0"
        timed_out = newsflow("query", "select 1", "--db", str(db), "--wait", "0.5")
        assert timed_out.returncode == 1
        assert timed_out.stderr == (
            "waiting for the run w1 to finish its batch…\n"
            f"error: could not read {db} within 0.5 s: the run w1 (pid {batches.pid}) held it the whole time; "
            "try again when it has finished\n"
        )
        asking = subprocess.Popen(
            [str(NEWSFLOW), "query", "select count(*) as n from rejects where run_id = 'w1'", "--db", str(db),
             "--format", "csv"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        wait_until_queued(db)
        go_on(batches)
        out, errors = asking.communicate(timeout=120)
        assert asking.returncode == 0, errors
        assert errors == "waiting for the run w1 to finish its batch…\n"
        assert int(out.splitlines()[1]) == 1  # before the second batch, which waits for a line
        assert batches.stdout.readline().strip() == "turn 1"
        showing = subprocess.Popen(
            [str(NEWSFLOW), "stats", "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        wait_until_queued(db)
        go_on(batches)
        out, errors = showing.communicate(timeout=120)
        assert showing.returncode == 0, errors
        assert errors == "waiting for the run w1 to finish its batch…\n"
        assert re.search(r"│ rejects\s+│ 2 ", out), out  # the two turns held, not the 38 after them
    finally:
        batches.kill()
        batches.wait()


def test_the_summarys_wall_time_counts_from_the_process_start() -> None:
    # The summary's "in N s" is the whole wait: interpreter start and imports included, to the
    # hundredth of a second (a start time rounded to the boot's whole second was up to 1 s off).
    code = "import time\nfrom flows.cli import _wall_seconds\ntime.sleep(0.5)\nprint(_wall_seconds())\n"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    outside = time.perf_counter() - started
    inside = float(done.stdout)
    assert 0.5 <= inside <= outside + 0.02
    assert inside >= outside - 0.4  # only the exit after the print is not in it
