"""Tests of sources/files.py: which files are read, how, and how pages and cursors are cut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas import SourceNotFoundError
from sources import FilesSource, available_sources, create_source
from sources.files import FilesConfig, kind_of, list_files


def test_files_is_registered_through_its_entry_point() -> None:
    assert available_sources()["files"] is FilesSource


def test_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="no such file or folder"):
        create_source("files", {"path": tmp_path / "nope"})


def test_hidden_files_are_skipped_and_order_is_stable(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("z.txt", "a.txt", "b/c.txt", ".hidden.txt", ".git/config"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in list_files(tmp_path)] == ["a.txt", "z.txt", "b/c.txt"]


def test_kinds() -> None:
    assert kind_of(Path("a.html"), b"") == "html"
    assert kind_of(Path("a.JSONL"), b"") == "jsonl"
    assert kind_of(Path("a"), b"  <!DOCTYPE html><html>") == "html"
    assert kind_of(Path("a.txt"), b"Headline") == "text"


def test_pages_hold_at_most_page_size_inputs_and_carry_the_cursor(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Headline {i}\n\nBody {i}.")
    (tmp_path / "big.txt").write_bytes(b"x" * 50)
    records = [json.dumps({"text": f"record {i}"}) for i in range(3)]
    (tmp_path / "records.jsonl").write_text("\n".join(records) + "\n\n")
    source = FilesSource(FilesConfig(path=tmp_path, page_size=4, max_bytes=40))
    pages = list(source.pages(None))
    assert [len(p) for p in pages] == [4, 4, 1]
    uris = [d.uri for p in pages for d in p.documents]
    assert uris[-3:] == [f"{(tmp_path / 'records.jsonl').as_uri()}#L{n}" for n in (1, 2, 3)]
    (reject,) = [r for p in pages for r in p.rejects]
    assert reject.reason == "too_large" and reject.size_bytes == 50
    assert pages[-1].cursor == {"files_read": 7, "last_path": str(tmp_path / "records.jsonl")}


def test_an_empty_folder_yields_one_empty_page(tmp_path: Path) -> None:
    (page,) = list(FilesSource(FilesConfig(path=tmp_path)).pages(None))
    assert len(page) == 0 and page.cursor == {"files_read": 0, "last_path": None}
