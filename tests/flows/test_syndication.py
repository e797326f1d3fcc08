"""Copies of the seed stories, ingested in a later run, join their originals' stories."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

import store.db
from flows.ingest import run_ingest
from store import query
from tests.conftest import SEEDS

pytestmark = pytest.mark.usefixtures("prefect_server")


def paragraphs(path: Path) -> tuple[str, list[str]]:
    lines = path.read_text("utf-8").split("\n")
    body = "\n".join(lines[1:])
    return lines[0], [p.strip() for p in body.split("\n\n") if len(p.split()) > 12]


def copies_of(seed: Path) -> dict[str, str]:
    """Copies as other outlets publish a wire story: each keeps most of its text."""
    title, paras = paragraphs(seed)
    spelled = [re.sub(r"\bKyiv\b", "Kiev", re.sub(r"\bZelensky\b", "Zelenskyy", p)) for p in paras]
    return {
        "cut": f"{title}\n\n" + "\n\n".join(paras[: max(2, len(paras) // 2)]),
        "dateline": f"Update: {title.lower()}\n\nKYIV (dpa) - "
        + "\n\n".join(paras)
        + "\n\nAdvertisement\n\nShare this article\n\n© 2024 Example Media. All rights reserved.",
        "spelling": f"{title}\n\n" + "\n\n".join(spelled),
        "exact": f"{title}\n\n" + "\n\n".join(paras),
    }


def test_copies_join_their_stories_and_the_seeds_stay_apart(tmp_path: Path) -> None:
    db = str(tmp_path / "n.duckdb")
    first = run_ingest(sources=[str(SEEDS)], db=db)
    assert (first.n_new, first.n_copies) == (5, 0)
    assert query(db, "select count(*) from stories").rows == [(5,)]
    events = "select count(*), count(distinct story_id), count(distinct article_id) from events"
    (seed_events,) = query(db, events).rows
    assert seed_events[0] == first.n_events > 0 and seed_events[1:] == (5, 5)
    assert query(db, "select count(distinct article_id) from entities").rows == [(5,)]

    inbox = tmp_path / "copies"
    inbox.mkdir()
    expected: dict[str, str] = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        for kind, text in copies_of(seed).items():
            name = f"{seed.stem}-{kind}.txt"
            (inbox / name).write_text(text, "utf-8")
            expected[name] = seed.name
    second = run_ingest(sources=[str(inbox)], db=db, batch_size=7)
    assert second.n_new == second.n_copies == len(expected)

    rows = query(
        db,
        "select c.uri, o.uri from articles c join articles o on o.article_id = c.story_id where c.dup_of is not null",
    ).rows
    joined = {Path(copy).name: Path(original).name for copy, original in rows}
    assert joined == expected
    assert query(db, "select count(*), sum(n_articles) from stories").rows == [(5, 5 + len(expected))]
    # The full seed stays canonical: no copy is a fifth longer than it.
    assert query(db, "select count(*) from stories where canonical_article_id <> story_id").rows == [(0,)]
    # Copies add no events and no entities: those come from each story's canonical copy only.
    assert second.n_events == 0
    assert query(db, events).rows == [seed_events]
    assert query(db, "select count(distinct article_id) from entities").rows == [(5,)]


def test_a_fault_between_index_write_and_commit_leaves_nothing_out_of_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "n.duckdb")

    def broken(*args: object) -> None:
        raise RuntimeError("power cut")  # injected after articles and index rows were written

    monkeypatch.setattr(store.db, "_refresh_stories", broken)
    with pytest.raises(RuntimeError, match="power cut"):
        run_ingest(sources=[str(SEEDS)], db=db)
    monkeypatch.undo()
    counts = "select (select count(*) from articles), (select count(*) from signatures), (select count(*) from stories)"
    assert query(db, counts).rows == [(0, 0, 0)]
    assert query(db, "select count(*) from fingerprints").rows == [(0,)]

    again = run_ingest(sources=[str(SEEDS)], db=db)
    assert again.n_new == 5
    assert query(db, counts).rows == [(5, 5, 5)]
    orphans = "select count(*) from fingerprints f anti join signatures s using (article_key)"
    assert query(db, orphans).rows == [(0,)]
    with duckdb.connect(db, read_only=True) as con:
        row = con.execute("select count(distinct article_key) from fingerprints").fetchone()
    assert row == (5,)
