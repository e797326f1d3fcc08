"""Tests of sources/files.py: which files are read, how, and how pages and cursors are cut."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import sources.files as files_module
from schemas import RawDocument, SourceNotFoundError
from sources import FilesSource, Page, available_sources, create_source
from sources.files import FilesConfig, kind_of, list_files, storable_name


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


def test_files_of_a_folder_come_before_its_subfolders_each_subfolder_whole(tmp_path: Path) -> None:
    for name in ("b/y/1.txt", "b/2.txt", "b/x/3.txt", "a/4.txt", "c.txt", "a/z/5.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in list_files(tmp_path)] == [
        "c.txt",
        "a/4.txt",
        "a/z/5.txt",
        "b/2.txt",
        "b/x/3.txt",
        "b/y/1.txt",
    ]


def test_kinds() -> None:
    assert kind_of(Path("a.html"), b"") == "html"
    assert kind_of(Path("a.JSONL"), b"") == "jsonl"
    assert kind_of(Path("a"), b"  <!DOCTYPE html><html>") == "html"
    assert kind_of(Path("a.txt"), b"Headline") == "text"
    assert kind_of(Path("a.html.gz"), b"") == "html"
    assert kind_of(Path("a.jsonl.GZ"), b"") == "jsonl"
    assert kind_of(Path("a.gz"), b"<html>") == "html"


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
    # Each page's cursor holds the files finished so far: the .jsonl file only once all its records went out.
    assert [sorted(p.cursor["files"]) for p in pages if p.cursor] == [
        ["0.txt", "1.txt", "2.txt", "3.txt"],
        ["0.txt", "1.txt", "2.txt", "3.txt", "4.txt", "big.txt"],
        ["0.txt", "1.txt", "2.txt", "3.txt", "4.txt", "big.txt", "records.jsonl"],
    ]
    files = pages[-1].cursor["files"] if pages[-1].cursor else {}
    content = (tmp_path / "0.txt").read_bytes()
    info = (tmp_path / "0.txt").stat()
    assert files["0.txt"][0] == info.st_size and files["0.txt"][2] == hashlib.sha256(content).hexdigest()[:16]
    assert files["big.txt"][2] == ""  # rejected unread: no hash


def test_an_empty_folder_yields_one_empty_page(tmp_path: Path) -> None:
    (page,) = list(FilesSource(FilesConfig(path=tmp_path)).pages(None))
    assert len(page) == 0 and page.cursor == {"files": {}}


# --- the cursor across runs -----------------------------------------------------------------------

HOUR_AGO_NS = time.time_ns() - 3600 * 10**9


def write(path: Path, text: str, mtime_ns: int = HOUR_AGO_NS) -> Path:
    """Write a file with an mtime in the past: written just now, its mtime would not be trusted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


@dataclass
class Run:
    pages: list[Page]

    @property
    def names(self) -> list[str]:
        """The file names delivered or rejected, in order (a .jsonl record as name#Ln)."""
        uris = [d.uri for p in self.pages for d in p.documents] + [r.uri for p in self.pages for r in p.rejects]
        return [uri.rsplit("/", 1)[-1] for uri in uris]

    @property
    def documents(self) -> list[RawDocument]:
        return [d for p in self.pages for d in p.documents]

    @property
    def cursor(self) -> dict[str, Any]:
        cursor = self.pages[-1].cursor
        assert cursor is not None and json.loads(json.dumps(cursor)) == cursor
        return cursor


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the files adapter opens, in order."""
    paths: list[str] = []

    def spy(path: str, *args: Any, **kwargs: Any) -> Any:
        paths.append(Path(path).name)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(files_module, "open", spy, raising=False)
    return paths


def run(folder: Path, cursor: dict[str, Any] | None, **options: Any) -> Run:
    return Run(list(FilesSource(FilesConfig(path=folder, **options)).pages(cursor)))


def test_a_second_run_skips_unchanged_files_without_reading_them(tmp_path: Path, opened: list[str]) -> None:
    for name in ("a.txt", "b.txt", "sub/c.html"):
        write(tmp_path / name, f"Headline {name}\n\nBody.")
    first = run(tmp_path, None)
    assert first.names == ["a.txt", "b.txt", "c.html"] and opened == ["a.txt", "b.txt", "c.html"]
    assert sorted(first.cursor["files"]) == ["a.txt", "b.txt", "sub/c.html"]
    opened.clear()
    second = run(tmp_path, first.cursor)
    assert second.names == [] and opened == []
    assert [len(p) for p in second.pages] == [0] and second.cursor == first.cursor


def test_new_and_changed_files_are_delivered_touched_ones_only_recorded(tmp_path: Path, opened: list[str]) -> None:
    for name in ("a.txt", "b.txt", "c.txt", "gone.txt"):
        write(tmp_path / name, f"Headline {name}\n\nBody.")
    first = run(tmp_path, None)
    write(tmp_path / "a.txt", "Headline a.txt\n\nBody.", HOUR_AGO_NS + 10**9)  # touched: same bytes, new mtime
    write(tmp_path / "b.txt", "Headline b.txt\n\nBodY.", HOUR_AGO_NS)  # same size and mtime: not looked at
    write(tmp_path / "c.txt", "Headline c.txt\n\nA longer body.")  # changed
    write(tmp_path / "new.txt", "Headline new\n\nBody.")
    (tmp_path / "gone.txt").unlink()
    opened.clear()
    second = run(tmp_path, first.cursor)
    assert second.names == ["c.txt", "new.txt"] and opened == ["a.txt", "c.txt", "new.txt"]
    files = second.cursor["files"]
    assert sorted(files) == ["a.txt", "b.txt", "c.txt", "new.txt"]
    assert files["a.txt"][1] == HOUR_AGO_NS + 10**9 and files["a.txt"][2] == first.cursor["files"]["a.txt"][2]
    assert files["c.txt"][2] != first.cursor["files"]["c.txt"][2]
    opened.clear()
    assert run(tmp_path, second.cursor).names == [] and opened == []


def test_a_run_that_stops_part_way_resumes_after_the_last_page(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path / f"{i}.txt", f"Headline {i}\n\nBody.")
    done = run(tmp_path, None)
    for i in range(5):
        write(tmp_path / f"{i}.txt", f"Headline {i}\n\nBody, changed.")
    pages = iter(FilesSource(FilesConfig(path=tmp_path, page_size=2)).pages(done.cursor))
    committed = next(pages)  # the run stops after its first page was committed
    assert [d.uri.rsplit("/", 1)[-1] for d in committed.documents] == ["0.txt", "1.txt"]
    assert committed.cursor is not None
    # The page's cursor: the two files it delivered, new, and the three not reached yet, as they were.
    assert committed.cursor["files"]["0.txt"] != done.cursor["files"]["0.txt"]
    assert {k: v for k, v in committed.cursor["files"].items() if k >= "2"} == {
        k: v for k, v in done.cursor["files"].items() if k >= "2"
    }
    resumed = run(tmp_path, committed.cursor, page_size=2)
    assert resumed.names == ["2.txt", "3.txt", "4.txt"]


def test_rejected_files_are_recorded_and_tried_again_when_they_could_pass(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", "Headline\n\n" + "word " * 20)
    os.mkfifo(tmp_path / "pipe.txt")  # not a regular file: reading it would wait for a writer
    first = run(tmp_path, None, max_bytes=50)
    assert sorted(r.reason for p in first.pages for r in p.rejects) == ["special_file", "too_large"]
    assert run(tmp_path, first.cursor, max_bytes=50).names == []
    raised = run(tmp_path, first.cursor, max_bytes=1000)  # a larger cap lets it in
    assert raised.names == ["big.txt"] and raised.pages[0].documents


def test_rescan_reads_everything_again(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Headline\n\nBody.")
    first = run(tmp_path, None)
    again = run(tmp_path, first.cursor, rescan=True)
    assert again.names == ["a.txt"] and again.cursor == first.cursor


def test_a_file_written_just_now_has_its_hash_checked_next_run(tmp_path: Path, opened: list[str]) -> None:
    (tmp_path / "fresh.txt").write_text("Headline\n\nBody.", "utf-8")
    first = run(tmp_path, None)
    # Its mtime may be shared by a write in the same clock tick: not trusted.
    assert first.cursor["files"]["fresh.txt"][1] is None
    opened.clear()
    second = run(tmp_path, first.cursor)
    assert second.names == [] and opened == ["fresh.txt"]


def test_a_jsonl_file_touched_only_is_not_delivered_again_but_a_changed_one_is_whole(tmp_path: Path) -> None:
    records = [json.dumps({"text": f"record {i}"}) for i in range(3)]
    write(tmp_path / "r.jsonl", "\n".join(records) + "\n")
    first = run(tmp_path, None)
    assert first.names == ["r.jsonl#L1", "r.jsonl#L2", "r.jsonl#L3"]
    write(tmp_path / "r.jsonl", "\n".join(records) + "\n", HOUR_AGO_NS + 10**9)
    touched = run(tmp_path, first.cursor)
    assert touched.names == [] and touched.cursor != first.cursor
    write(tmp_path / "r.jsonl", "\n".join([*records, json.dumps({"text": "record 3"})]) + "\n")
    assert len(run(tmp_path, touched.cursor).names) == 4


def test_a_jsonl_line_over_the_cap_is_a_reject_read_past_in_pieces(tmp_path: Path) -> None:
    good = [json.dumps({"text": f"record {i}"}).encode() for i in range(2)]
    endless = b"\x00" * 3_000_000  # what a sparse file of one line holds
    data = good[0] + b"\n" + endless + b"\n" + good[1] + b"\n" + b"{" * 1_500_000  # the last line has no end
    path = tmp_path / "r.jsonl"
    path.write_bytes(data)
    os.utime(path, ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    first = run(tmp_path, None, max_bytes=1_000_000)
    assert [d.uri.rsplit("/", 1)[-1] for d in first.documents] == ["r.jsonl#L1", "r.jsonl#L3"]
    assert [d.content for d in first.documents] == [good[0] + b"\n", good[1] + b"\n"]
    rejects = [r for p in first.pages for r in p.rejects]
    assert [(r.uri.rsplit("/", 1)[-1], r.reason, r.size_bytes) for r in rejects] == [
        ("r.jsonl#L2", "too_large", 3_000_001),
        ("r.jsonl#L4", "too_large", 1_500_000),
    ]
    assert rejects[0].detail == "a record of 3000001 bytes, over the cap of 1000000"
    # The cursor holds the hash of the whole file, so the next run reads nothing.
    assert first.cursor["files"]["r.jsonl"][2] == hashlib.sha256(data).hexdigest()[:16]
    assert run(tmp_path, first.cursor, max_bytes=1_000_000).names == []


def test_a_cursor_of_another_shape_reads_everything(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Headline\n\nBody.")
    assert run(tmp_path, {"files_read": 1, "last_path": str(tmp_path / "a.txt")}).names == ["a.txt"]


# --- what a folder may hold besides articles ------------------------------------------------------


def reasons(result: Run) -> dict[str, str]:
    return {r.uri.rsplit("/", 1)[-1]: r.reason for p in result.pages for r in p.rejects}


def test_links_out_of_the_folder_are_rejects_without_being_opened(tmp_path: Path, opened: list[str]) -> None:
    folder, outside = tmp_path / "in", tmp_path / "out"
    write(folder / "a.txt", "Headline a\n\nBody.")
    write(outside / "secret.txt", "Secret\n\nBody.")
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "out").symlink_to(outside, target_is_directory=True)
    (folder / "up").symlink_to("..", target_is_directory=True)
    (folder / "sub").mkdir()
    (folder / "sub" / "a-again.txt").symlink_to("../a.txt")  # inside: read, as the file it names
    (folder / "sub" / "here").symlink_to(folder, target_is_directory=True)  # inside: not walked again
    first = run(folder, None)
    assert reasons(first) == {"passwd": "outside_source", "secret.txt": "outside_source", "out": "outside_source",
                              "up": "outside_source"}  # fmt: skip
    assert [d.uri for d in first.documents] == [(folder / "a.txt").as_uri()] * 2
    assert opened == ["a.txt", "a.txt"]
    (passwd,) = [r for p in first.pages for r in p.rejects if r.uri.endswith("passwd")]
    assert passwd.detail == f"a symbolic link to /etc/passwd, outside the source folder {folder}"
    opened.clear()
    assert run(folder, first.cursor).names == [] and opened == []  # recorded: not rejected again


def test_links_out_of_the_folder_are_followed_when_allowed(tmp_path: Path) -> None:
    folder, outside = tmp_path / "in", tmp_path / "out"
    write(folder / "a.txt", "Headline a\n\nBody.")
    write(outside / "deeper" / "b.txt", "Headline b\n\nBody.")
    write(outside / "c.txt", "Headline c\n\nBody.")
    (outside / "deeper" / "loop").symlink_to(outside, target_is_directory=True)
    (folder / "out").symlink_to(outside, target_is_directory=True)
    (folder / "c.txt").symlink_to(outside / "c.txt")
    rejected = run(folder, None)
    assert reasons(rejected) == {"out": "outside_source", "c.txt": "outside_source"}
    # Allowed later, what was rejected is read; the loop back to the linked folder is walked once.
    followed = run(folder, rejected.cursor, follow_symlinks=True)
    # c.txt is reached twice, at one address (where the links lead): the store keeps it once.
    assert sorted(followed.names) == ["b.txt", "c.txt", "c.txt"] and not reasons(followed)
    assert len({d.uri for d in followed.documents}) == 2
    assert sorted(followed.cursor["files"]) == ["a.txt", "c.txt", "out/c.txt", "out/deeper/b.txt"]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_file_that_says_it_is_empty_and_is_not_is_read_no_further_than_the_cap(tmp_path: Path) -> None:
    (tmp_path / "status").symlink_to("/proc/self/status")  # size 0, several hundred bytes
    (reject,) = run(tmp_path, None, follow_symlinks=True, max_bytes=20).pages[0].rejects
    assert (reject.reason, reject.size_bytes) == ("too_large", 21)


def test_special_files_are_rejects_without_being_opened(tmp_path: Path, opened: list[str]) -> None:
    write(tmp_path / "a.txt", "Headline a\n\nBody.")
    os.mkfifo(tmp_path / "pipe.txt")  # opened for reading, it would wait for a writer for ever
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "socket.txt"))
        (tmp_path / "null.txt").symlink_to("/dev/null")
        first = run(tmp_path, None, follow_symlinks=True)
    rejects = {r.uri.rsplit("/", 1)[-1]: (r.reason, r.detail) for p in first.pages for r in p.rejects}
    assert rejects == {
        "pipe.txt": ("special_file", "a FIFO (named pipe); not read"),
        "socket.txt": ("special_file", "a socket; not read"),
        "null": ("special_file", "a character device; not read"),
    }
    assert opened == ["a.txt"]


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root lists every folder whatever its mode; tests/flows/test_cli.py covers this as root with "
    "the capabilities that let root do so dropped",
)
def test_a_folder_that_cannot_be_listed_is_a_reject_like_an_unreadable_file(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Headline a\n\nBody.")
    write(tmp_path / "locked" / "b.txt", "Headline b\n\nBody.")
    (tmp_path / "locked").chmod(0)
    try:
        first = run(tmp_path, None)
        assert reasons(first) == {"locked": "unreadable"}
        assert first.cursor["files"]["locked/"] == [-1, -1, ""]
        assert run(tmp_path, first.cursor).names == []
        (tmp_path / "locked").chmod(0o755)
        assert run(tmp_path, first.cursor).names == ["b.txt"]
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_a_name_that_is_not_utf8_is_read_and_kept_in_the_cursor_as_json_can_hold_it(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    for name in (b"caf\xe9.txt", b"caf\\xe9.txt", b"ok.txt"):  # the second is a real backslash: another key
        with open(os.path.join(folder, name), "wb") as file:
            file.write(b"Headline\n\nBody of " + name)
    first = run(tmp_path, None)
    assert sorted(first.cursor["files"]) == ["/caf\\xe9.txt", "caf\\xe9.txt", "ok.txt"]
    assert (tmp_path / "caf").as_uri() + "%E9.txt" in [d.uri for d in first.documents]
    assert storable_name(os.fsdecode(b"a\\\xff")) != storable_name(os.fsdecode(b"a\xff\\"))
    assert run(tmp_path, first.cursor).names == []


# --- gzip-compressed files ------------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARTICLE = b"Shelling in Kharkiv\n\nRussian forces shelled the city overnight, officials said on Monday.\n"


def _inputs(source: FilesSource, cursor: dict[str, Any] | None = None) -> tuple[list[Any], dict[str, Any] | None]:
    pages = list(source.pages(cursor))
    return [item for p in pages for item in (*p.documents, *p.rejects)], pages[-1].cursor


def test_gzip_files_are_read_unpacked_as_the_kind_their_name_gives(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes((FIXTURES / "ninenews_2024_05_02.html.gz").read_bytes())
    (tmp_path / "note.txt.gz").write_bytes(gzip.compress(ARTICLE))
    # Two gzip members one after the other, as `cat a.gz b.gz` makes: one stream.
    records = [json.dumps({"text": f"record {i} " * 5}).encode() + b"\n" for i in range(3)]
    (tmp_path / "export.jsonl.gz").write_bytes(gzip.compress(records[0]) + gzip.compress(b"".join(records[1:])))
    (tmp_path / "named-plainly.txt").write_bytes(gzip.compress(ARTICLE))
    inputs, _ = _inputs(FilesSource(FilesConfig(path=tmp_path)))
    by_name = {Path(d.uri.split("#")[0]).name + ("#" + d.uri.split("#")[1] if "#" in d.uri else ""): d for d in inputs}
    assert all(isinstance(d, RawDocument) for d in inputs), inputs
    assert by_name["page.html.gz"].kind == "html"
    assert by_name["page.html.gz"].content == gzip.decompress((FIXTURES / "ninenews_2024_05_02.html.gz").read_bytes())
    assert by_name["note.txt.gz"].kind == "text" and by_name["note.txt.gz"].content == ARTICLE
    assert by_name["named-plainly.txt"].content == ARTICLE  # gzip by its first bytes, whatever its name
    assert [by_name[f"export.jsonl.gz#L{n}"].content for n in (1, 2, 3)] == records
    assert {by_name[f"export.jsonl.gz#L{n}"].kind for n in (1, 2, 3)} == {"jsonl"}


def _bomb(unpacked: int) -> bytes:
    """A gzip file that unpacks to `unpacked` bytes of spaces: members of 1 MiB each, compressed once."""
    member = gzip.compress(b" " * (1 << 20), compresslevel=9)
    return member * (unpacked >> 20)


def test_a_gzip_bomb_is_too_large_without_being_unpacked_whole_and_is_tried_again_under_a_larger_cap(
    tmp_path: Path,
) -> None:
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(_bomb(1 << 30))  # 1 GiB unpacked, about 1 MB on disk
    source = FilesSource(FilesConfig(path=tmp_path, max_bytes=2_000_000))
    (reject,), cursor = _inputs(source)
    assert reject.reason == "too_large" and "unpacks to more than the cap of 2000000" in reject.detail
    assert reject.size_bytes == bomb.stat().st_size
    assert cursor is not None and cursor["files"]["bomb.html.gz"][2].startswith(">2000000:")
    assert cursor["files"]["bomb.html.gz"][1] is None  # written just now: its mtime is not trusted
    racy, _ = _inputs(source, cursor)
    assert racy == []  # known by its hash, still over the cap: not unpacked again
    os.utime(bomb, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))  # an mtime that is not racy
    (reject,), cursor = _inputs(source)
    again, cursor = _inputs(source, cursor)
    assert again == []  # the same file under the same cap is not read again
    smaller = tmp_path / "small.txt.gz"
    smaller.write_bytes(_bomb(3 << 20))
    bomb.unlink()
    (reject,), cursor = _inputs(source, cursor)
    assert reject.reason == "too_large" and reject.uri == smaller.as_uri()
    os.utime(smaller, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    _, cursor = _inputs(source, cursor)
    (document,), _ = _inputs(FilesSource(FilesConfig(path=tmp_path, max_bytes=4 << 20)), cursor)
    assert isinstance(document, RawDocument) and len(document.content) == 3 << 20


def test_a_broken_gzip_file_is_a_decode_error_after_the_records_before_the_break(tmp_path: Path) -> None:
    whole = gzip.compress(ARTICLE * 50)
    (tmp_path / "cut.txt.gz").write_bytes(whole[: len(whole) // 2])
    records = b"".join(json.dumps({"text": f"record {i} " * 5}).encode() + b"\n" for i in range(2000))
    packed = gzip.compress(records)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    inputs, cursor = _inputs(FilesSource(FilesConfig(path=tmp_path)))
    rejects = {Path(r.uri).name: r for r in inputs if not isinstance(r, RawDocument)}
    assert rejects["cut.txt.gz"].reason == "decode_error" and "broken gzip" in rejects["cut.txt.gz"].detail
    assert rejects["cut.jsonl.gz"].reason == "decode_error"
    assert 0 < sum(isinstance(d, RawDocument) for d in inputs) < 2000
    assert cursor is not None and all(entry[2] for entry in cursor["files"].values())  # not read again unchanged


def test_a_record_over_the_cap_is_too_large_and_the_records_around_it_stay(tmp_path: Path) -> None:
    good = json.dumps({"text": "Officials said the talks went on. " * 3}).encode()
    endless = b'{"text": "' + secrets.token_hex(2_500_000).encode() + b'"}'  # packs no smaller than half
    for name, data in (("big.jsonl", good + b"\n" + endless + b"\n" + good + b"\n"),):
        (tmp_path / name).write_bytes(data)
        (tmp_path / (name + ".gz")).write_bytes(gzip.compress(data))
    inputs, _ = _inputs(FilesSource(FilesConfig(path=tmp_path, max_bytes=100_000)))
    for name in ("big.jsonl", "big.jsonl.gz"):
        mine = {d.uri.rsplit("#", 1)[1]: d for d in inputs if d.uri.split("#")[0].endswith("/" + name)}
        assert isinstance(mine["L1"], RawDocument) and isinstance(mine["L3"], RawDocument)
        assert mine["L2"].reason == "too_large" and mine["L2"].size_bytes == len(endless) + 1


def test_a_jsonl_gzip_bomb_stops_at_two_hundred_times_its_size_keeping_the_records_before(tmp_path: Path) -> None:
    record = json.dumps({"text": "Officials said the talks went on. " * 3}).encode() + b"\n"
    spaces = gzip.compress(b" " * (1 << 20), compresslevel=9)
    newlines = gzip.compress(b"\n" * (1 << 20), compresslevel=9)
    (tmp_path / "one-line.jsonl.gz").write_bytes(gzip.compress(record * 2) + spaces * 1024)  # 1 GiB unpacked
    (tmp_path / "blank.jsonl.gz").write_bytes(gzip.compress(record) + newlines * 1024)
    started = time.perf_counter()
    inputs, cursor = _inputs(FilesSource(FilesConfig(path=tmp_path, max_bytes=100_000)))
    assert time.perf_counter() - started < 120  # far above the few seconds it takes to unpack 200 times 1 MB
    documents = [d for d in inputs if isinstance(d, RawDocument)]
    assert sorted(d.uri.rsplit("/", 1)[1] for d in documents) == [
        "blank.jsonl.gz#L1",
        "one-line.jsonl.gz#L1",
        "one-line.jsonl.gz#L2",
    ]
    rejects = {Path(r.uri).name: r for r in inputs if not isinstance(r, RawDocument)}
    for name in ("one-line.jsonl.gz", "blank.jsonl.gz"):
        size = (tmp_path / name).stat().st_size
        assert (
            rejects[name].reason == "too_large" and f"unpacks to more than {200 * size} bytes" in rejects[name].detail
        )
    assert cursor is not None and all(entry[2] for entry in cursor["files"].values())  # not read again unchanged


@pytest.mark.parametrize("chunk", [1, 3, 7, 64])
def test_lines_are_numbered_and_capped_across_chunks(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    import io

    monkeypatch.setattr(files_module, "_CHUNK", chunk)
    data = b'{"a": 1}\n\n   \n{"b": 22}\r\n' + b"x" * 40 + b"\n" + b"  \n" * 5 + b'{"c": 3}'
    lines = list(files_module._Lines(io.BytesIO(data), cap=20))
    assert lines == [(1, b'{"a": 1}\n', 9), (4, b'{"b": 22}\r\n', 11), (5, None, 41), (11, b'{"c": 3}', 8)]
