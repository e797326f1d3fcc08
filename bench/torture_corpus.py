"""Malformed inputs for the torture bench: a folder of every fault files and JSON Lines exports can
hold, each input listed with the address where newsflow must record what became of it."""

from __future__ import annotations

import bz2
import codecs
import json
import lzma
import math
import os
import random
import shutil
import socket
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas import DEFAULT_MAX_BYTES

CAP = DEFAULT_MAX_BYTES
"""What `newsflow run` reads of a file at most by default (`--max-bytes`)."""
PATH_MAX = 4096
"""Bytes a path may hold on Linux, its final NUL included: a folder named by a longer path cannot be listed."""
URI_FIELDS = ("url", "uri", "link", "id")
"""The fields a JSON Lines record takes its own address from, first present wins (README, JSON Lines)."""
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Sizes:
    """How large the heavy inputs are. `FULL` is the bench; `QUICK` a smoke run (and the test).

    Attributes:
        huge_line: bytes of one line without a newline, under the cap.
        near_cap: bytes of a real article just under the cap.
        sparse: size of a sparse file far over the cap (never read).
        long_record: bytes of a .jsonl file that is one line of NUL bytes (a sparse file).
        html_depth: elements nested in the deepest page.
        html_attributes: attributes of one element.
        html_elements: sibling elements in the widest page.
        bomb: bytes a compression bomb unpacks to.
        folder_depth: folders in a chain a path can still name (above Python's recursion limit).
    """

    huge_line: int
    near_cap: int
    sparse: int
    long_record: int
    html_depth: int
    html_attributes: int
    html_elements: int
    bomb: int
    folder_depth: int


FULL = Sizes(
    huge_line=4_500_000,
    near_cap=CAP - 4096,
    sparse=2 << 30,
    long_record=1 << 30,
    html_depth=100_000,
    html_attributes=200_000,
    html_elements=200_000,
    bomb=1 << 30,
    folder_depth=1500,
)
QUICK = Sizes(
    huge_line=200_000,
    near_cap=300_000,
    sparse=2 << 30,
    long_record=32 << 20,
    html_depth=2_000,
    html_attributes=2_000,
    html_elements=5_000,
    bomb=16 << 20,
    folder_depth=1500,
)


@dataclass(frozen=True)
class Input:
    """One input a run must account for.

    Attributes:
        category: the category it belongs to.
        uris: the addresses its outcome may be recorded at: its own (a file, a folder, a record's
            `file#L<line>`), then for a JSON Lines record the address its `url`-like field gives.
        what: what it is, for the failure lists.
    """

    category: str
    uris: tuple[str, ...]
    what: str


@dataclass
class Category:
    """A category of malformed inputs, written into a folder of its own.

    Attributes:
        name: a short name (the table's rows).
        source: `files` (a folder of files) or `records` (a folder of .jsonl exports).
        folder: where its inputs are.
        inputs: every input a run of `folder` must account for.
    """

    name: str
    source: str
    folder: Path
    inputs: list[Input] = field(default_factory=list)


@dataclass(frozen=True)
class TortureCorpus:
    """What `write_torture_corpus` wrote: `root/files/<category>`, `root/records/<category>`, and
    `root/outside`, which symbolic links lead to from the inside."""

    root: Path
    categories: list[Category]
    permissions_hold: bool

    @property
    def inputs(self) -> list[Input]:
        """Every input of every category."""
        return [item for category in self.categories for item in category.inputs]

    def sources(self) -> list[Path]:
        """The two sources a whole run reads: the files and the JSON Lines exports."""
        return [self.root / "files", self.root / "records"]


# Words of the good parts: inputs are malformed around real-looking article text, so a fault in a
# later stage (language, dedup, events, store) gets its chance too.
_ENGLISH = (
    "Russian forces shelled the city overnight killing two civilians and wounding five the regional governor "
    "said on Monday as officials in the capital called for talks about the ceasefire and the grain exports "
    "while rescue teams searched the ruins of a school near the river where hundreds of people had sheltered"
).split()
_SCRIPTS = {
    "german": "Die Armee meldete am Montag schwere Kämpfe nahe der Stadt, zwei Zivilisten wurden getötet.",
    "russian": "Армия сообщила в понедельник о тяжёлых боях у города, двое мирных жителей погибли, пятеро ранены.",
    "greek": "Ο στρατός ανέφερε τη Δευτέρα σφοδρές μάχες κοντά στην πόλη, δύο άμαχοι σκοτώθηκαν.",
    "chinese": "军队周一报告城市附近发生激烈战斗，两名平民死亡，五人受伤，官员呼吁举行会谈。",
    "arabic": "أعلن الجيش يوم الاثنين عن معارك عنيفة قرب المدينة، ومقتل مدنيين اثنين وإصابة خمسة.",
    "emoji": "📰 Breaking 🚨 two killed 💥 near the city 🏙️ officials 🇺🇦🇷🇺 call for talks 🤝🏽 👩‍🚒 rescue.",
}


def article_text(rng: random.Random, words: int = 80, script: str | None = None) -> str:
    """A headline, a blank line and paragraphs of about `words` words (English, or one script's sentence repeated)."""
    if script is not None:
        sentence = _SCRIPTS[script]
        body = " ".join(sentence for _ in range(max(1, words // max(1, len(sentence.split())))))
        return f"{sentence[:40]}\n\n{body}\n"
    chosen = [rng.choice(_ENGLISH) for _ in range(words)]
    paragraphs = [" ".join(chosen[i : i + 40]).capitalize() + "." for i in range(0, words, 40)]
    title = " ".join(rng.choice(_ENGLISH) for _ in range(7)).capitalize()
    return f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def article_bytes(rng: random.Random, words: int = 80, script: str | None = None) -> bytes:
    """`article_text` in UTF-8."""
    return article_text(rng, words, script).encode()


def record_line(rng: random.Random, **fields: Any) -> bytes:
    """A good JSON Lines record (title and text), with `fields` added or replacing them."""
    title, _, body = article_text(rng).partition("\n\n")
    record: dict[str, Any] = {"title": title, "text": body.strip()}
    record.update(fields)
    return json.dumps(record).encode()


def own_address(line: bytes) -> str | None:
    """The address a record names for itself, as the text stage reads it: the first of `url`, `uri`,
    `link`, `id` that is neither null nor "", as a string (None when the line is no JSON object)."""
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    for name in URI_FIELDS:
        value = record.get(name)
        if value not in (None, ""):
            return value if isinstance(value, str) else str(value)
    return None


class _Writer:
    """Writes one category's inputs and lists each with the address its outcome is recorded at."""

    def __init__(self, category: Category, rng: random.Random, sizes: Sizes, permissions_hold: bool) -> None:
        self.category = category
        self.rng = rng
        self.sizes = sizes
        self.permissions_hold = permissions_hold
        self.top = category.folder
        self.top.mkdir(parents=True, exist_ok=True)

    def expect(self, path: Path | str, what: str, *more: str) -> None:
        """List an input recorded at `path`'s address (or at one of `more`)."""
        self.category.inputs.append(Input(self.category.name, (Path(path).as_uri(), *more), what))

    def place(self, name: str | bytes, sub: str = "") -> Path:
        """The path of a new input named `name` (bytes for a name that is not UTF-8) in subfolder `sub`."""
        folder = self.top / sub if sub else self.top
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (os.fsdecode(name) if isinstance(name, bytes) else name)
        if os.path.lexists(path):  # two inputs at one path would be one input listed twice
            raise FileExistsError(f"{self.category.name} writes {path} twice")
        return path

    def file(self, name: str | bytes, data: bytes, what: str, sub: str = "") -> Path:
        """Write a file that is one input."""
        path = self.place(name, sub)
        path.write_bytes(data)
        self.expect(path, what)
        return path

    def sparse(self, name: str, size: int, what: str, sub: str = "") -> Path:
        """A file of `size` bytes that takes no room on disk (NUL bytes, a hole)."""
        path = self.place(name, sub)
        with path.open("wb") as out:
            out.truncate(size)
        if path.suffix == ".jsonl":
            self.expect(path, what, path.as_uri() + "#L1")
        else:
            self.expect(path, what)
        return path

    def records(self, name: str, data: bytes, what: str, sub: str = "") -> Path:
        """Write a .jsonl file; each line that is not blank is an input, an empty export one input."""
        path = self.place(name, sub)
        path.write_bytes(data)
        uri = path.as_uri()
        parts = data.split(b"\n")
        if parts and parts[-1] == b"":
            parts.pop()
        found = False
        for number, line in enumerate(parts, start=1):
            if not line.strip():
                continue
            found = True
            own = own_address(line)
            alternatives = (own,) if own is not None else ()
            self.category.inputs.append(Input(self.category.name, (f"{uri}#L{number}", *alternatives), what))
        if not found:
            self.expect(path, what)
        return path

    def link(self, name: str, target: str | Path, what: str, sub: str = "") -> Path:
        """A symbolic link, listed where the files source records it: a link out of the category's
        folder at its own address, a link to a file inside at the file's address, a link to a
        folder inside nowhere (its files are read at their own place)."""
        path = self.place(name, sub)
        path.symlink_to(target)
        resolved = os.path.realpath(path)
        top = str(self.top)
        inside = resolved == top or resolved.startswith(top + os.sep)
        if not inside or not os.path.lexists(resolved):
            self.expect(path, what)
        elif not os.path.isdir(resolved):
            self.expect(resolved, what)
        return path


def _cycle(w: _Writer, cases: Sequence[Callable[[int], object]], n: int) -> None:
    """Call the cases in turn, each with its round number, until they have listed `n` more inputs."""
    inputs = w.category.inputs
    start, i = len(inputs), 0
    while len(inputs) - start < n:
        before = len(inputs)
        cases[i % len(cases)](i // len(cases))
        i += 1
        if i % len(cases) == 0 and len(inputs) == before and i > 10 * len(cases):
            raise RuntimeError(f"the cases of {w.category.name} list no inputs")


def _random_bytes(w: _Writer, n: int) -> None:
    rng = w.rng

    def size() -> int:
        return int(math.exp(rng.uniform(0, math.log(200_000))))

    cases: list[Callable[[int], object]] = [
        lambda r: w.file(f"random-{r}.txt", rng.randbytes(size()), "random bytes"),
        lambda r: w.file(
            f"no-nul-{r}.txt", bytes(rng.randrange(1, 256) for _ in range(size() // 8 + 1)), "random bytes, no NUL"
        ),
        lambda r: w.file(
            f"random-{r}.html", b"<html><body>" + rng.randbytes(size()), "random bytes after an HTML head"
        ),
        lambda r: w.file(
            f"high-{r}.txt", bytes(rng.randrange(128, 256) for _ in range(size() // 8 + 1)), "random bytes 128-255"
        ),
        lambda r: w.file(
            f"printable-{r}.txt",
            bytes(rng.randrange(32, 127) for _ in range(size() // 8 + 1)),
            "random printable ASCII",
        ),
        lambda r: w.file(
            f"spliced-{r}.txt",
            article_bytes(rng)[:200] + rng.randbytes(rng.randrange(1, 64)) + article_bytes(rng),
            "an article with random bytes spliced in",
        ),
        lambda r: w.file(f"magic-{r}.txt", b"%PDF-1.7\n" + article_bytes(rng), "a PDF signature before an article"),
        lambda r: w.file(
            f"flipped-{r}.txt",
            _flip(rng, article_bytes(rng, script=rng.choice(list(_SCRIPTS)))),
            "an article with bits flipped",
        ),
    ]
    _cycle(w, cases, n)


def _flip(rng: random.Random, data: bytes) -> bytes:
    flipped = bytearray(data)
    for _ in range(max(1, len(data) // 100)):
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
    return bytes(flipped)


def _truncated(w: _Writer, n: int, codec: str, boms: list[bytes]) -> None:
    rng = w.rng
    scripts = list(_SCRIPTS)

    def cut(r: int) -> None:
        script = scripts[r % len(scripts)]
        data = article_text(rng, words=rng.randrange(20, 200), script=script).encode(codec)
        bom = boms[r % len(boms)]
        point = rng.randrange(1, len(data))
        if codec == "utf-8":
            # Inside a multi-byte sequence when the script has one.
            while point < len(data) - 1 and data[point] & 0xC0 != 0x80:
                point += 1
        w.file(f"{codec}-cut-{script}-{r}.txt", bom + data[:point], f"{codec} cut at byte {point}, {script}")

    def cut_middle(r: int) -> None:
        data = article_text(rng, script=scripts[r % len(scripts)]).encode(codec)
        point = rng.randrange(1, len(data))
        w.file(f"{codec}-gap-{r}.txt", boms[0] + data[:point] + data[point + 1 :], f"{codec} with one byte taken out")

    def wrong_bom(r: int) -> None:
        data = article_text(rng, script=scripts[r % len(scripts)]).encode(codec)
        w.file(f"{codec}-wrong-bom-{r}.txt", rng.choice(_ALL_BOMS) + data, f"{codec} behind another byte-order mark")

    def bare(r: int) -> None:
        data = article_text(rng, script=scripts[r % len(scripts)]).encode(codec)
        odd = data[: len(data) - 1 - rng.randrange(3)] if len(data) > 4 else data
        w.file(f"{codec}-bare-{r}.txt", odd, f"{codec} without a byte-order mark, cut short")

    _cycle(w, [cut, cut_middle, wrong_bom, bare], n)


_ALL_BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]


def _truncated_utf8(w: _Writer, n: int) -> None:
    rng = w.rng
    extra: list[Callable[[int], object]] = [
        lambda r: w.file(f"overlong-{r}.txt", b"Overlong\n\n" + b"\xc0\xaf\xe0\x80\xaf " * 50, "overlong UTF-8"),
        lambda r: w.file(
            f"cesu-{r}.txt",
            article_bytes(rng).replace(b" ", b" \xed\xa0\x80 ", 3),
            "UTF-8 with encoded surrogates (CESU, WTF-8)",
        ),
        lambda r: w.file(
            f"beyond-{r}.txt", article_bytes(rng) + b"\xf4\x90\x80\x80\xf8\x88\x80\x80\x80", "code points past U+10FFFF"
        ),
    ]
    _truncated(w, n - n // 4, "utf-8", [b"", codecs.BOM_UTF8])
    _cycle(w, extra, n // 4)


def _truncated_utf16(w: _Writer, n: int) -> None:
    rng = w.rng

    def half_pair(r: int) -> None:
        text = article_text(rng, script="emoji").encode("utf-16-le")
        w.file(
            f"half-pair-{r}.txt",
            codecs.BOM_UTF16_LE + text + "😀".encode("utf-16-le")[:2],
            "UTF-16 ending in half a pair",
        )

    def lone_low(r: int) -> None:
        text = article_text(rng).encode("utf-16-be")
        w.file(
            f"lone-low-{r}.txt", codecs.BOM_UTF16_BE + b"\xdc\x00" + text, "UTF-16 opening with a lone low surrogate"
        )

    half = n // 2
    _truncated(w, half, "utf-16-le", [codecs.BOM_UTF16_LE, b""])
    _truncated(w, n - half - n // 4, "utf-16-be", [codecs.BOM_UTF16_BE, b""])
    _cycle(w, [half_pair, lone_low], n // 4)


def _truncated_utf32(w: _Writer, n: int) -> None:
    rng = w.rng

    def beyond(r: int) -> None:
        text = article_text(rng).encode("utf-32-le")
        w.file(f"beyond-{r}.txt", codecs.BOM_UTF32_LE + text + b"\x00\x00\x11\x00" * 4, "UTF-32 past U+10FFFF")

    def surrogate(r: int) -> None:
        text = article_text(rng).encode("utf-32-be")
        w.file(f"surrogate-{r}.txt", codecs.BOM_UTF32_BE + b"\x00\x00\xd8\x00" + text, "UTF-32 holding a surrogate")

    _truncated(w, n // 2, "utf-32-le", [codecs.BOM_UTF32_LE, b""])
    _truncated(w, n - n // 2 - n // 4, "utf-32-be", [codecs.BOM_UTF32_BE])
    _cycle(w, [beyond, surrogate], n // 4)


def _nul_bytes(w: _Writer, n: int) -> None:
    rng = w.rng

    def late(r: int) -> None:
        # Past the first 8 KiB that are checked for NUL bytes, and spread thin.
        head = article_bytes(rng, words=2000)
        tail = b"".join(article_bytes(rng, words=20) + b"\x00" for _ in range(40))
        w.file(f"late-{r}.txt", head + tail, "NUL bytes after the first 8 KiB")

    cases: list[Callable[[int], object]] = [
        late,
        lambda r: w.file(f"first-{r}.txt", b"\x00" + article_bytes(rng), "a NUL byte first"),
        lambda r: w.file(f"last-{r}.txt", article_bytes(rng) + b"\x00", "a NUL byte last"),
        lambda r: w.file(f"only-{r}.txt", b"\x00" * rng.randrange(1, 10_000), "only NUL bytes"),
        lambda r: w.file(
            f"every-other-{r}.txt", bytes(b for c in article_bytes(rng) for b in (c, 0)), "a NUL after every byte"
        ),
        lambda r: w.file(f"title-{r}.txt", b"Title\x00with NUL\n\n" + article_bytes(rng), "a NUL in the headline"),
        lambda r: w.file(
            f"nul-{r}.html", b"<html><title>T\x00</title><body><p>" + article_bytes(rng) + b"\x00</p>", "NUL in HTML"
        ),
        lambda r: w.records(
            f"escaped-{r}.jsonl",
            record_line(rng, title="NUL \u0000 escaped") + b"\n" + record_line(rng, text="body \u0000 " * 20) + b"\n",
            "NUL characters escaped in a record",
        ),
    ]
    _cycle(w, cases, n)


def _huge_lines(w: _Writer, n: int) -> None:
    rng = w.rng
    size = w.sizes.huge_line

    def one_line(length: int) -> bytes:
        words = []
        total = 0
        while total < length:
            word = rng.choice(_ENGLISH)
            words.append(word)
            total += len(word) + 1
        return " ".join(words).encode()[:length]

    def scaled(r: int) -> int:  # one input of each case at full size, the others small
        return size if r == 0 else rng.randrange(1000, 20_000)

    cases: list[Callable[[int], object]] = [
        lambda r: w.file(f"only-line-{r}.txt", one_line(scaled(r)), "one line of words, no newline"),
        lambda r: w.file(f"long-body-{r}.txt", b"A headline\n\n" + one_line(scaled(r)) + b"\n", "a body of one line"),
        lambda r: w.file(f"one-word-{r}.txt", b"A headline\n\n" + b"a" * scaled(r), "one word of a line's length"),
        lambda r: w.file(
            f"long-title-{r}.txt", one_line(scaled(r)) + b"\n\n" + article_bytes(rng), "a headline of a line's length"
        ),
        lambda r: w.file(
            f"punctuation-{r}.txt", b"A headline\n\n" + b"-.,;:!?" * (scaled(r) // 7), "a line of punctuation"
        ),
        lambda r: w.file(
            f"numbers-{r}.txt",
            b"Figures\n\n" + b" ".join(str(rng.randrange(10**9)).encode() for _ in range(scaled(r) // 10)),
            "a line of numbers",
        ),
        lambda r: w.file(
            f"p-{r}.html",
            b"<html><body><p>" + one_line(scaled(r)) + b"</p></body></html>",
            "an HTML paragraph of a line's length",
        ),
        lambda r: w.file(
            f"newlines-{r}.txt",
            b"Lines\n\n" + b"a\n" * (scaled(r) // 2),
            "a body of one-letter lines",
        ),
        lambda r: w.records(
            f"long-{r}.jsonl",
            record_line(rng, text=one_line(scaled(r)).decode()) + b"\n",
            "a record of a line's length",
        ),
    ]
    _cycle(w, cases, n)


def _big_files(w: _Writer, n: int) -> None:
    rng = w.rng
    sizes = w.sizes

    def near_cap(r: int) -> None:
        path = w.place(f"near-cap-{r}.txt")
        with path.open("wb") as out:
            out.write(b"A long report\n\n")
            written = 15
            target = sizes.near_cap if r == 0 else sizes.near_cap // 50
            while written < target:
                chunk = article_bytes(rng, words=400).partition(b"\n\n")[2] + b"\n"
                chunk = chunk[: target - written]
                out.write(chunk)
                written += len(chunk)
        w.expect(path, "a real article just under the cap")

    cases: list[Callable[[int], object]] = [
        lambda r: w.sparse(f"sparse-{r}.txt", sizes.sparse, f"a sparse file of {sizes.sparse:,} bytes"),
        near_cap,
        lambda r: w.file(f"at-cap-{r}.txt", _filled(b"Cap\n\n", CAP), "exactly the cap"),
        lambda r: w.file(f"over-cap-{r}.txt", _filled(b"Cap\n\n", CAP + 1), "one byte over the cap"),
        lambda r: w.sparse(f"sparse-{r}.html", CAP * 3, "a sparse page over the cap"),
        lambda r: w.sparse(
            f"one-line-{r}.jsonl",
            sizes.long_record if r == 0 else CAP * 2,
            "a .jsonl file of one line of NUL bytes, over the cap",
        ),
        lambda r: w.records(
            f"over-cap-record-{r}.jsonl",
            record_line(rng, text="word " * (CAP // 5 + 10)) + b"\n" + record_line(rng) + b"\n",
            "a record over the cap and one after it",
        ),
        lambda r: w.file(f"blank-{r}.txt", b"\n" * (CAP - 1), "a file of newlines just under the cap"),
    ]
    _cycle(w, cases, n)


def _filled(head: bytes, size: int) -> bytes:
    body = b"word " * ((size - len(head)) // 5 + 1)
    return (head + body)[:size]


def _deep_html(w: _Writer, n: int) -> None:
    rng = w.rng
    depth = w.sizes.html_depth

    def levels(r: int) -> int:
        return depth if r == 0 else rng.choice([256, 257, 1000, 1001, min(depth, 5000)])

    def nest(open_: str, close: str, d: int, inner: str = "") -> bytes:
        return f"<html><head><title>Deep</title></head><body>{open_ * d}{inner}{close * d}</body></html>".encode()

    text = article_text(rng).replace("\n", " ")
    cases: list[Callable[[int], object]] = [
        lambda r: w.file(f"divs-{r}.html", nest("<div>", "</div>", levels(r), f"<p>{text}</p>"), "nested divs"),
        lambda r: w.file(f"unclosed-{r}.html", nest("<div><span>", "", levels(r), text), "nested tags never closed"),
        lambda r: w.file(
            f"tables-{r}.html", nest("<table><tr><td>", "</td></tr></table>", levels(r) // 3, text), "nested tables"
        ),
        lambda r: w.file(f"lists-{r}.html", nest("<ul><li>", "</li></ul>", levels(r) // 2, text), "nested lists"),
        lambda r: w.file(f"inline-{r}.html", nest("<b><i>", "</i></b>", levels(r) // 2, text), "nested inline tags"),
        lambda r: w.file(
            f"paragraphs-{r}.html", nest("<p>" + text[:80], "", levels(r)), "paragraphs never closed, each with text"
        ),
        lambda r: w.file(
            f"deep-{r}.xhtml",
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
            + b"<div>" * levels(r)
            + text.encode()
            + b"</div>" * levels(r)
            + b"</body></html>",
            "deep XHTML",
        ),
    ]
    _cycle(w, cases, n)


def _attribute_html(w: _Writer, n: int) -> None:
    rng = w.rng
    many = w.sizes.html_attributes
    text = article_text(rng).replace("\n", " ")

    def count(r: int) -> int:
        return many if r == 0 else rng.randrange(100, max(101, many // 10))

    def attrs(k: int, value: str = "v") -> str:
        return " ".join(f'a{i}="{value}"' for i in range(k))

    cases: list[Callable[[int], object]] = [
        lambda r: w.file(
            f"one-div-{r}.html",
            f"<html><body><div {attrs(count(r))}>{text}</div></body></html>".encode(),
            "one div, many attributes",
        ),
        lambda r: w.file(
            f"same-name-{r}.html",
            ("<html><body><p " + 'x="1" ' * count(r) + f">{text}</p></body></html>").encode(),
            "one attribute name repeated",
        ),
        lambda r: w.file(
            f"each-{r}.html",
            (
                "<html><body>" + f"<span {attrs(20)}>w</span>" * (count(r) // 20) + f"<p>{text}</p></body></html>"
            ).encode(),
            "many elements, each with attributes",
        ),
        lambda r: w.file(
            f"long-value-{r}.html",
            f'<html><body><div title="{"x" * (count(r) * 10)}">{text}</div></body></html>'.encode(),
            "one very long attribute value",
        ),
        lambda r: w.file(
            f"entities-{r}.html",
            f'<html><body><div data-x="{"&amp;" * count(r)}">{text}</div></body></html>'.encode(),
            "an attribute of entities",
        ),
        lambda r: w.file(
            f"siblings-{r}.html",
            (
                "<html><body>"
                + "<div>w</div>" * (w.sizes.html_elements if r == 0 else count(r))
                + f"<p>{text}</p></body></html>"
            ).encode(),
            "many sibling elements",
        ),
        lambda r: w.file(
            f"meta-{r}.html",
            (
                "<html><head>" + '<meta name="x" content="y">' * count(r) + f"</head><body><p>{text}</p></body></html>"
            ).encode(),
            "many meta elements",
        ),
    ]
    _cycle(w, cases, n)


def _page(head: str, body: str) -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def _malformed_html(w: _Writer, n: int) -> None:
    rng = w.rng
    text = article_text(rng).replace("\n", " ")
    deep_json = "[" * 100_000 + "]" * 100_000
    cases: list[Callable[[int], object]] = [
        lambda r: w.file(
            f"comment-{r}.html", f"<html><body><p>{text}</p><!-- never closed {text}".encode(), "a comment never closed"
        ),
        lambda r: w.file(f"script-{r}.html", f"<html><body><script>var a = '{text}".encode(), "a script never closed"),
        lambda r: w.file(f"cdata-{r}.html", f"<html><body><![CDATA[{text}".encode(), "CDATA never closed"),
        lambda r: w.file(
            f"laughs-{r}.xhtml",
            (
                '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
                + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
                + f"]><html><body><p>&j; {text}</p></body></html>"
            ).encode(),
            "entity expansion (billion laughs)",
        ),
        lambda r: w.file(
            f"external-{r}.xhtml",
            b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + _page("", f"<p>&x; {text}</p>"),
            "an external entity",
        ),
        lambda r: w.file(
            f"refs-{r}.html",
            f"<html><body><p>&#0; &#xD800; &#x110000; &#99999999999; &bogus; &#x; {text}</p></body></html>".encode(),
            "impossible character references",
        ),
        lambda r: w.file(
            f"jsonld-deep-{r}.html",
            _page(f'<script type="application/ld+json">{deep_json}</script>', f"<p>{text}</p>"),
            "JSON-LD nested 100,000 deep",
        ),
        lambda r: w.file(
            f"jsonld-types-{r}.html",
            (
                '<html><head><script type="application/ld+json">'
                + json.dumps(
                    {
                        "@type": "NewsArticle",
                        "headline": rng.choice([12, ["a", "b"], {"x": 1}, None, True]),
                        "datePublished": rng.choice(["9999-12-31T23:59:59-23:59", "0000-00-00", 1e308, ["2024"], {}]),
                        "articleBody": rng.choice([5, [text], {"t": text}, text * 3]),
                    }
                )
                + f"</script></head><body><p>{text}</p></body></html>"
            ).encode(),
            "JSON-LD with wrongly typed fields",
        ),
        lambda r: w.file(
            f"jsonld-broken-{r}.html",
            _page('<script type="application/ld+json">{"headline": "x", NaN, 1e999</script>', f"<p>{text}</p>"),
            "broken JSON-LD",
        ),
        lambda r: w.file(
            f"charset-{r}.html",
            f'<html><head><meta charset="x-no-such-charset"></head><body><p>{text}</p></body></html>'.encode(),
            "an unknown charset",
        ),
        lambda r: w.file(f"tags-only-{r}.html", b"<html>" + b"<br>" * rng.randrange(1, 50_000), "tags and no text"),
        lambda r: w.file(
            f"page-{r}.txt", f"<!DOCTYPE html><html><body><p>{text}</p>".encode(), "a page in a .txt file"
        ),
        lambda r: w.file(f"binary-{r}.html", b"<html><body>" + rng.randbytes(5000), "a page that turns to binary"),
        lambda r: w.file(
            f"titles-{r}.html",
            ("<html><head>" + "<title>t</title>" * 10_000 + f"</head><body><p>{text}</p></body></html>").encode(),
            "ten thousand titles",
        ),
        lambda r: w.file(
            f"dates-{r}.html",
            (
                '<html><head><meta property="article:published_time" content="99999-99-99T99:99">'
                f'<meta name="date" content="-001-01-01"></head><body><time datetime="0000-01-01">x</time>'
                f"<p>{text}</p></body></html>"
            ).encode(),
            "impossible dates in the page's metadata",
        ),
    ]
    _cycle(w, cases, n)


def _jsonl_lines(w: _Writer, n: int, make: list[Callable[[int], bytes]], prefix: str, what: str) -> None:
    """Exports of 20 lines, bad ones among good ones; `make` gives a bad line by its round."""
    lines: list[bytes] = []
    for i in range(n):
        if i % 4 == 3:
            lines.append(record_line(w.rng, url=f"https://torture.example/{prefix}/{i}"))  # a good record between
        else:
            lines.append(make[i % len(make)](i))
    for start in range(0, len(lines), 20):
        w.records(f"{prefix}-{start // 20:04d}.jsonl", b"\n".join(lines[start : start + 20]) + b"\n", what)


def _jsonl_malformed(w: _Writer, n: int) -> None:
    rng = w.rng
    good = record_line(rng)
    make: list[Callable[[int], bytes]] = [
        lambda i: good[: rng.randrange(1, len(good))],
        lambda i: good + b" trailing",
        lambda i: b"[" + good + b"]",
        lambda i: rng.choice([b"null", b"123", b'"a string"', b"true", b"[]", b"{}", b"{", b"}", b"]", b"NaN"]),
        lambda i: (
            b'{"title": "Deep", "text": "words words words words words words", "x": ' + b"[" * 65 + b"]" * 65 + b"}"
        ),
        lambda i: b'{"text": "x", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        lambda i: (
            b'{"text": "words words words words words words", "x": ' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"}"
        ),
        lambda i: b'{"title": "Big", "text": "words words words words words words", "n": ' + b"9" * 5000 + b"}",
        lambda i: b'{"title": "Big", "text": "words words words words words words", "date": ' + b"9" * 5000 + b"}",
        lambda i: (
            b'{"title": "NaN", "text": "words words words words words words", "date": '
            + rng.choice([b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400"])
            + b"}"
        ),
        lambda i: b'{"title": "T", "text": "a", "text": "words words words words words words twice"}',
        lambda i: codecs.BOM_UTF8 + good,
        lambda i: good + b"\r",
        lambda i: good.replace(b'"text": "', b'"text": "\xff\xfe\xed\xa0\x80 '),
        lambda i: good.replace(b'"text": "', b'"text": "\x00\x01\x02 '),
        lambda i: good.replace(b'"text": "', b'"text": "\\ud800 \\udfff \\ud83d '),
        lambda i: good.decode().encode("utf-16-le"),
        lambda i: (
            b'{"title": "Keys", "text": "words words words words words words", '
            + b", ".join(b'"k%d": %d' % (k, k) for k in range(20_000))
            + b"}"
        ),
        lambda i: b'{"title": "Short", "text": "two words"}',
        lambda i: b"\x1c\x1d\x1e",
        lambda i: b"// a comment, not JSON",
        lambda i: b"{'title': 'single quotes', 'text': 'python, not JSON'}",
        lambda i: b'{"title": "Escapes", "text": "bad escape \\q \\x41 \\u12"}',
        lambda i: b'{"title": "Control", "text": "raw tab\tand newline\\n and bell\x07 words words"}',
    ]
    _jsonl_lines(w, n, make, "malformed", "a malformed JSON Lines record")
    w.records("empty.jsonl", b"", "an empty export")
    w.records("blank-lines.jsonl", b"\n  \n\t\n\r\n", "an export of blank lines")


def _jsonl_types(w: _Writer, n: int) -> None:
    rng = w.rng
    wrong: list[Any] = [12, 1.5, -0.0, True, False, [], {}, ["a", "b"], {"x": "y"}, [[[]]], 10**30, -(10**30)]

    def typed(name: str) -> Callable[[int], bytes]:
        return lambda i: record_line(rng, **{name: rng.choice(wrong)})

    dates: list[Any] = [
        True,
        [],
        {},
        -1,
        0,
        10**20,
        -(10**20),
        1e308,
        253402300800,
        -62135596801,
        "garbage",
        "2024-13-45",
        "0000-00-00",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "-001-01-01",
        "2024-02-30",
        "31.02.2024 - 25:61",
        "  ",
        "2024-01-01T00:00:00+99:99",
    ]
    urls: list[Any] = [
        12,
        True,
        [],
        {},
        ["https://a.example"],
        {"href": "https://a.example"},
        "   ",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://torture.example/" + "x" * 100_000,
        "https://torture.example/nul\u0000byte",
        "https://torture.example/same",  # twice with different texts: two articles at one address
    ]
    make: list[Callable[[int], bytes]] = [
        typed("text"),
        typed("title"),
        typed("outlet"),
        lambda i: record_line(rng, date=rng.choice(dates)),
        lambda i: record_line(rng, published_at=rng.choice(dates)),
        lambda i: record_line(rng, url=rng.choice(urls)),
        lambda i: record_line(rng, id=rng.choice(wrong[:6])),
        lambda i: record_line(rng, url=None, uri="", link=rng.choice(wrong)),
        lambda i: json.dumps({"body": rng.choice(wrong), "content": "words " * 10}).encode(),
        lambda i: json.dumps(
            {"text": article_text(rng), "title": None, "headline": "", "source": {"name": "x"}}
        ).encode(),
        lambda i: record_line(
            rng, url="https://torture.example/repeated", text="The same record delivered twice in one export."
        ),
    ]
    _jsonl_lines(w, n, make, "types", "a record with a wrongly typed field")


def _compress_stream(compressor: Any, size: int, chunk: bytes) -> Iterator[bytes]:
    left = size
    while left > 0:
        piece = chunk[: min(len(chunk), left)]
        left -= len(piece)
        yield compressor.compress(piece)
    yield compressor.flush()


def _compression(w: _Writer, n: int) -> None:
    rng = w.rng
    bomb = w.sizes.bomb
    zeros = b"\x00" * _CHUNK
    tags = b"<div>" * (_CHUNK // 5)

    def size(r: int) -> int:
        return bomb if r == 0 else rng.randrange(1 << 16, 1 << 22)

    def gz(name: str, what: str, chunk: bytes = zeros) -> Callable[[int], None]:
        def write(r: int) -> None:
            path = w.place(name.format(r=r))
            with path.open("wb") as out:
                for part in _compress_stream(zlib.compressobj(9, zlib.DEFLATED, 31), size(r), chunk):
                    out.write(part)
            # Unpacked under the cap, a .jsonl of one line of NUL bytes is a record at line 1.
            w.expect(path, what, *([path.as_uri() + "#L1"] if path.name.endswith(".jsonl.gz") else []))

        return write

    def nested(r: int) -> None:
        inner = b"".join(_compress_stream(zlib.compressobj(9, zlib.DEFLATED, 31), size(r), zeros))
        w.file(f"nested-{r}.gz", zlib.compress(inner, 9, wbits=31), "gzip inside gzip")

    def zip_bomb(r: int) -> None:
        path = w.place(f"bomb-{r}.zip")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, archive.open("a.txt", "w") as out:
            left = size(r)
            while left > 0:
                out.write(zeros[: min(_CHUNK, left)])
                left -= _CHUNK
        w.expect(path, "a zip archive of zeros")

    cases: list[Callable[[int], object]] = [
        gz("bomb-{r}.txt.gz", "a gzip bomb of zeros"),
        gz("bomb-{r}.html.gz", "a gzip bomb of <div> tags", tags),
        gz("bomb-{r}.jsonl.gz", "a gzip bomb named like an export"),
        nested,
        zip_bomb,
        lambda r: w.file(
            f"bomb-{r}.txt.bz2", b"".join(_compress_stream(bz2.BZ2Compressor(9), size(r) // 16, zeros)), "a bzip2 bomb"
        ),
        lambda r: w.file(
            f"bomb-{r}.txt.xz", b"".join(_compress_stream(lzma.LZMACompressor(), size(r) // 16, zeros)), "an xz bomb"
        ),
        lambda r: w.file(f"article-{r}.txt.gz", zlib.compress(article_bytes(rng), 9, wbits=31), "a gzipped article"),
        lambda r: w.file(
            f"truncated-{r}.gz",
            zlib.compress(article_bytes(rng, words=500), 9, wbits=31)[:100],
            "a gzip stream cut short",
        ),
        lambda r: w.file(f"plain-{r}.gz", article_bytes(rng), "plain text named .gz"),
        lambda r: w.file(
            f"members-{r}.gz",
            b"".join(zlib.compress(article_bytes(rng), 9, wbits=31) for _ in range(50)),
            "fifty gzip members one after another",
        ),
    ]
    _cycle(w, cases, n)


_WEIRD_NAMES: list[str | bytes] = [
    "with space.txt",
    "tab\tname.txt",
    "new\nline.txt",
    "carriage\rreturn.txt",
    "-rf",
    "--help.txt",
    "#hash.txt",
    "?query=1&x=2.txt",
    "%41percent%2F.txt",
    "back\\slash.txt",
    ":colon:*star*.txt",
    "'quote' \"double\".txt",
    "<script>.txt",
    "records.jsonl#L1",
    "UPPER.HTML",
    "double.txt.html",
    "no-extension",
    "trailing-dot.",
    "trailing space.txt ",
    "café-nfc.txt",
    "cafe\u0301-nfd.txt",
    "emoji-📰🔥.txt",
    "\u202ertl-override.txt",
    "zero\u200bwidth.txt",
    "新闻报道.txt",
    "ﬁligature.txt",
    "a" * 251 + ".txt",
    "é" * 125 + ".txt",
    b"caf\xe9-latin1.txt",
    b"\xff\xfe-bytes.txt",
    b"\x80\x81.html",
    b"surrogate-\xed\xa0\x80.txt",
    b"back\\xe9-and-\xe9.txt",
    b"back\\xe9-and-\\xe9.txt",
    "\x01\x02control.txt",
    "\x7fdelete.txt",
]


def _weird_names(w: _Writer, n: int) -> None:
    rng = w.rng
    for i in range(n):
        name = _WEIRD_NAMES[i % len(_WEIRD_NAMES)]
        sub = f"{i // len(_WEIRD_NAMES):03d}"
        shown = os.fsdecode(name) if isinstance(name, bytes) else name
        data = article_bytes(rng, script=rng.choice([None, *_SCRIPTS]))
        if shown.endswith(".jsonl"):
            w.records(name if isinstance(name, str) else shown, record_line(rng) + b"\n", f"named {shown!r}", sub=sub)
        else:
            w.file(name, data, f"named {shown!r}", sub=sub)
    # Hidden files are not read: they are no input, and a row for one would be unexpected.
    w.place(".hidden.txt").write_bytes(article_bytes(rng))
    w.place("inside.txt", ".hidden-folder").write_bytes(article_bytes(rng))


def _symlinks(w: _Writer, n: int, outside: Path) -> None:
    rng = w.rng
    secret = outside / "secret.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_bytes(article_bytes(rng))
    (outside / "folder").mkdir(exist_ok=True)
    (outside / "folder" / "inner.txt").write_bytes(article_bytes(rng))

    def pair(r: int) -> None:
        sub = f"pair-{r}"
        target = w.file("target.txt", article_bytes(rng), "the file a link names", sub=sub)
        w.link("link.txt", target, "a link to a file inside", sub=sub)
        w.link("chain.txt", w.top / sub / "link.txt", "a link to a link inside", sub=sub)

    def loop(r: int) -> None:
        sub = f"loop-{r}"
        a, b = w.place("a.txt", sub), w.place("b.txt", sub)
        a.symlink_to(b)
        b.symlink_to(a)
        for link in (a, b):
            w.expect(os.path.realpath(link), "a loop of two links")

    def long_chain(r: int) -> None:
        sub = f"chain-{r}"
        previous = w.file("end.txt", article_bytes(rng), "the end of a chain of links", sub=sub)
        for k in range(45):  # past the 40 links a path may pass through
            link = w.place(f"c{k:02d}.txt", sub)
            link.symlink_to(previous)
            previous = link
        w.expect(os.path.realpath(previous), "a chain of 45 links")
        for k in range(44):
            w.expect(os.path.realpath(w.top / sub / f"c{k:02d}.txt"), "a link in a chain")

    def folder_inside(r: int) -> None:
        sub = f"folder-{r}"
        w.file("real.txt", article_bytes(rng), "a file in a linked folder", sub=f"{sub}/real")
        w.link("again", w.top / sub / "real", "a link to a folder inside", sub=sub)  # not walked: no input
        w.link("parent", w.top, "a link to the source folder", sub=sub)

    cases: list[Callable[[int], object]] = [
        lambda r: w.link(f"passwd-{r}", "/etc/passwd", "a link to /etc/passwd"),
        pair,
        lambda r: w.link(f"dangling-{r}.txt", w.top / f"nowhere-{r}.txt", "a dangling link"),
        loop,
        lambda r: w.link(f"environ-{r}", "/proc/self/environ", "a link to /proc/self/environ"),
        lambda r: w.link(f"zero-{r}", "/dev/zero", "a link to /dev/zero"),
        lambda r: w.link(f"root-{r}", "/", "a link to /"),
        lambda r: w.link(f"secret-{r}.txt", secret, "a link to a file outside"),
        lambda r: w.link(f"outside-{r}", outside / "folder", "a link to a folder outside"),
        lambda r: w.link(f"relative-{r}.txt", "../" * 12 + "etc/hostname", "a relative link climbing out"),
        lambda r: w.link(f"self-{r}.txt", w.top / f"self-{r}.txt", "a link to itself"),
        folder_inside,
        long_chain,
    ]
    _cycle(w, cases, n)


def _permissions(w: _Writer, n: int) -> None:
    rng = w.rng

    def mode_file(mode: int, what: str) -> Callable[[int], None]:
        def write(r: int) -> None:
            path = w.file(f"mode-{mode:03o}-{r}.txt", article_bytes(rng), what)
            path.chmod(mode)

        return write

    def locked(mode: int, what: str) -> Callable[[int], None]:
        def write(r: int) -> None:
            folder = w.place(f"folder-{mode:03o}-{r}")
            folder.mkdir()
            inside = [folder / "a.txt", folder / "b.txt"]
            for path in inside:
                path.write_bytes(article_bytes(rng))
            (folder / "sub").mkdir()
            (folder / "sub" / "c.txt").write_bytes(article_bytes(rng))
            if not w.permissions_hold:
                for path in [*inside, folder / "sub" / "c.txt"]:
                    w.expect(path, f"{what} (permissions do not hold)")
            elif mode & 0o500 == 0o400:  # listed, but nothing in it can be looked at
                for path in inside:
                    w.expect(path, what)
                w.expect(folder / "sub", what)
            else:
                w.expect(folder, what)
            folder.chmod(mode)

        return write

    cases = [
        mode_file(0o000, "a file no one may read"),
        locked(0o000, "a folder no one may list"),
        mode_file(0o200, "a write-only file"),
        locked(0o100, "a folder that may be entered, not listed"),
        locked(0o400, "a folder that may be listed, not entered"),
        mode_file(0o111, "an execute-only file"),
    ]
    _cycle(w, cases, n)


def _special_files(w: _Writer, n: int) -> None:
    def fifo(r: int) -> None:
        path = w.place(f"pipe-{r}.txt")
        os.mkfifo(path)
        w.expect(path, "a FIFO")

    def unix_socket(r: int) -> None:
        path = w.place(f"socket-{r}.txt")
        # A socket's path must be short: bind it in a short folder, then move it into place.
        with tempfile.TemporaryDirectory(prefix="nf") as short:
            staged = os.path.join(short, "s")
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(staged)
            shutil.move(staged, path)
        w.expect(path, "a Unix socket")

    def device(r: int) -> None:
        path = w.place(f"zero-{r}.txt")
        try:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # what /dev/zero is
            w.expect(path, "a character device (/dev/zero)")
        except OSError:  # no right to make devices here: a FIFO instead
            os.mkfifo(path)
            w.expect(path, "a FIFO (no right to make a device)")

    _cycle(w, [fifo, unix_socket, device], n)


def _empties(w: _Writer, n: int) -> None:
    cases: list[tuple[str, bytes, str]] = [
        ("empty.txt", b"", "an empty file"),
        ("empty.html", b"", "an empty page"),
        ("empty.xhtml", b"", "an empty XHTML page"),
        ("empty.jsonl", b"", "an empty export"),
        ("spaces.txt", b"   \t\r\n\x0b\x0c  ", "only whitespace"),
        ("newlines.txt", b"\n" * 1000, "only newlines"),
        ("bom8.txt", codecs.BOM_UTF8, "only a UTF-8 byte-order mark"),
        ("bom16.txt", codecs.BOM_UTF16_LE, "only a UTF-16 byte-order mark"),
        ("bom32.txt", codecs.BOM_UTF32_BE, "only a UTF-32 byte-order mark"),
        ("bom-space.txt", codecs.BOM_UTF16_BE + " \n ".encode("utf-16-be"), "a byte-order mark and whitespace"),
        ("nbsp.txt", "\u00a0\u2003\u3000\u200b\ufeff".encode(), "only Unicode spaces"),
        ("blank.jsonl", b"\n\n   \n", "an export of blank lines"),
        ("object.jsonl", b"{}\n", "an empty record"),
        ("html.html", b"<html></html>", "an empty page element"),
        (
            "body.html",
            b"<html><head><title>Only a title</title></head><body></body></html>",
            "a page with only a title",
        ),
        ("title.txt", b"Only a headline\n", "only a headline"),
        ("empty.gz", b"", "an empty .gz"),
    ]
    for i in range(n):
        name, data, what = cases[i % len(cases)]
        sub = f"{i // len(cases):03d}"
        if name.endswith(".jsonl"):
            w.records(name, data, what, sub=sub)
        else:
            w.file(name, data, what, sub=sub)
    w.place("empty-folder", "").mkdir()  # no input: nothing to account for


def _deep_folders(w: _Writer, n: int) -> None:
    rng = w.rng

    def chain(name: str, depth: int) -> Path:
        """Folders `name/d/d/...`, made relative to each other (the whole may be too long to name at once)."""
        top = w.place(name)
        top.mkdir()
        fd = os.open(top, os.O_RDONLY)
        try:
            for _ in range(depth):
                os.mkdir("d", dir_fd=fd)
                below = os.open("d", os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = below
            out = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            with os.fdopen(out, "wb") as file:
                file.write(article_bytes(rng))
        finally:
            os.close(fd)
        return top.joinpath(*["d"] * depth)

    def deepest(r: int) -> None:
        depth = w.sizes.folder_depth if r == 0 else rng.choice([999, 1001])
        bottom = chain(f"chain-{r}", depth)
        w.expect(bottom / "bottom.txt", f"a file {depth} folders down")

    shallow_made = 0

    def shallow(r: int) -> None:
        nonlocal shallow_made
        shallow_made += 1
        depth = rng.randrange(2, 100)
        bottom = chain(f"shallow-{shallow_made}", depth)
        w.expect(bottom / "bottom.txt", f"a file {depth} folders down")

    def too_deep(r: int) -> None:
        top = w.place(f"too-deep-{r}")
        depth = (PATH_MAX - len(os.fsencode(str(top)))) // 2 + 10
        chain(f"too-deep-{r}", depth)
        folder = top
        while len(os.fsencode(str(folder))) < PATH_MAX:
            folder = folder / "d"
        w.expect(folder, "a folder too deep for a path to name")

    _cycle(w, [deepest, too_deep, shallow, shallow, shallow], n)


def _odd_text(w: _Writer, n: int) -> None:
    rng = w.rng

    def many(r: int) -> int:  # 50,000 at full size (a line of 4.5 MB), in the first round only
        return w.sizes.huge_line // 90 if r == 0 else 500

    def body() -> str:
        return article_text(rng).partition("\n\n")[2]

    cases: list[Callable[[int], object]] = [
        lambda r: w.file(
            f"date-{r}.txt", f"Impossible date\n31.02.2024 - 25:61\n\n{body()}".encode(), "an impossible date line"
        ),
        lambda r: w.file(
            f"unix-{r}.txt",
            f"Far future\n\n{body()}\n99999999999999999999\n".encode(),
            "a Unix time line past the year 9999",
        ),
        lambda r: w.file(
            f"negative-{r}.txt", f"Far past\n\n{body()}\n-99999999999\n".encode(), "a negative Unix time line"
        ),
        lambda r: w.file(
            f"year-{r}.txt", f"Year zero\n0000-00-00 00:00:00\n\n{body()}".encode(), "a date line of zeros"
        ),
        lambda r: w.file(f"german-{r}.txt", f"Datum\n30. Februar 2024, 10:48 Uhr\n\n{body()}".encode(), "30 February"),
        lambda r: w.file(
            f"zalgo-{r}.txt",
            ("Zalgo\n\n" + "a" + "\u0301" * many(r) + " " + body()).encode(),
            "a letter under thousands of combining marks",
        ),
        lambda r: w.file(f"bidi-{r}.txt", ("\u202e" + body() + "\u202c\u2066\u2069").encode(), "bidi controls"),
        lambda r: w.file(
            f"controls-{r}.txt", ("Controls\n\n" + body().replace(" ", " \x1b[31m ")).encode(), "terminal escapes"
        ),
        lambda r: w.file(f"cr-{r}.txt", article_text(rng).replace("\n", "\r").encode(), "old Mac line ends"),
        lambda r: w.file(f"ff-{r}.txt", article_text(rng).replace("\n", "\x0c\x0b").encode(), "form feeds"),
        lambda r: w.file(
            f"repeat-{r}.txt", ("Repeated\n\n" + "killed " * many(r)).encode(), "a sentence of one word repeated"
        ),
        lambda r: w.file(
            f"numbers-{r}.txt",
            (
                "Numbers\n\nAt least " + " ".join(["9" * 400] * 3) + " people were killed, 1e400 wounded. " + body()
            ).encode(),
            "numbers of hundreds of digits",
        ),
        lambda r: w.file(
            f"money-{r}.txt",
            ("Money\n\nThe fund gave $" + "9" * 300 + " billion and €1e999 in aid. " + body()).encode(),
            "sums past any float",
        ),
        lambda r: w.file(
            f"latin1-{r}.txt", ("Café déjà vu\n\n" + body() + " Über Straße à côté.").encode("latin-1"), "Latin-1"
        ),
        lambda r: w.file(f"cp1251-{r}.txt", ("Новости\n\n" + _SCRIPTS["russian"] * 5).encode("cp1251"), "windows-1251"),
        lambda r: w.file(
            f"shiftjis-{r}.txt", ("ニュース\n\n" + "東京で会議が開かれた。" * 20).encode("shift_jis"), "Shift JIS"
        ),
        lambda r: w.file(
            f"surrogate-ref-{r}.html",
            f"<html><body><p>&#xD800; {body()} &#xDFFF;</p></body></html>".encode(),
            "lone surrogates as character references",
        ),
        lambda r: w.file(
            f"private-{r}.txt",
            ("Private use\n\n" + "\ue000\U000f0000 " * 200 + body()).encode(),
            "private-use characters",
        ),
        lambda r: w.file(f"noncharacters-{r}.txt", ("Nonchar\n\n\ufffe\uffff " + body()).encode(), "noncharacters"),
    ]
    _cycle(w, cases, n)


# name, source, share of the inputs, writer
_CATEGORIES: list[tuple[str, str, float, str]] = [
    ("random_bytes", "files", 3.0, "random bytes, bits flipped, binary signatures"),
    ("truncated_utf8", "files", 2.0, "UTF-8 cut inside a character, overlong, surrogates"),
    ("truncated_utf16", "files", 1.5, "UTF-16 cut short, half pairs, wrong marks"),
    ("truncated_utf32", "files", 1.0, "UTF-32 cut short, past U+10FFFF"),
    ("nul_bytes", "files", 1.5, "NUL bytes first, last, late, everywhere"),
    ("huge_lines", "files", 0.5, "lines of megabytes under the cap"),
    ("big_files", "files", 0.4, "sparse gigabytes, at and over the cap, one-line exports"),
    ("deep_html", "files", 0.5, "elements nested thousands deep"),
    ("attribute_html", "files", 0.5, "elements of many attributes, many elements"),
    ("malformed_html", "files", 1.5, "unclosed comments and scripts, entities, broken JSON-LD"),
    ("jsonl_malformed", "records", 3.0, "invalid JSON, deep nesting, huge numbers, bad bytes"),
    ("jsonl_types", "records", 3.0, "wrongly typed fields, impossible dates, odd addresses"),
    ("compression", "files", 0.5, "gzip, zip, bzip2 and xz bombs, nested and cut"),
    ("weird_names", "files", 1.5, "spaces, newlines, non-UTF-8 bytes, 255-byte names"),
    ("symlinks", "files", 1.0, "links out, loops, chains, dangling"),
    ("permissions", "files", 0.4, "unreadable files, unlistable folders"),
    ("special_files", "files", 0.4, "FIFOs, sockets, devices"),
    ("empties", "files", 1.0, "empty files, only whitespace, only a mark"),
    ("deep_folders", "files", 0.3, "folder chains 1,500 deep and past PATH_MAX"),
    ("odd_text", "files", 1.5, "impossible dates, controls, legacy charsets, combining marks"),
]
CATEGORY_NAMES = [name for name, *_ in _CATEGORIES]
DESCRIPTIONS = {name: text for name, _, _, text in _CATEGORIES}


def write_torture_corpus(
    root: Path,
    *,
    n_inputs: int,
    seed: int,
    sizes: Sizes,
    permissions_hold: bool,
    only: list[str] | None = None,
) -> TortureCorpus:
    """Write malformed inputs under `root`: about `n_inputs`, shared among the categories by weight
    (at least two each); the same arguments give the same inputs.

    Args:
        root: an empty or missing folder.
        n_inputs: inputs to aim at.
        seed: the generator's seed.
        sizes: how large the heavy inputs are (`FULL`, `QUICK`).
        permissions_hold: whether the run that reads the corpus is refused what modes forbid (not
            root, or root with those rights dropped); else locked folders' files are its inputs.
        only: the categories to write (all when None).

    Returns:
        The corpus with every input and where its outcome is recorded.
    """
    root = root.resolve()
    chosen = [c for c in _CATEGORIES if only is None or c[0] in only]
    total = sum(weight for _, _, weight, _ in chosen)
    categories = []
    outside = root / "outside"
    for name, source, weight, _ in chosen:
        rng = random.Random(f"{seed}:{name}")
        category = Category(name, source, root / source / name)
        writer = _Writer(category, rng, sizes, permissions_hold)
        count = max(2, round(n_inputs * weight / total))
        if name == "symlinks":
            _symlinks(writer, count, outside)
        else:
            _WRITERS[name](writer, count)
        categories.append(category)
    return TortureCorpus(root, categories, permissions_hold)


_WRITERS: dict[str, Callable[[_Writer, int], None]] = {
    "random_bytes": _random_bytes,
    "truncated_utf8": _truncated_utf8,
    "truncated_utf16": _truncated_utf16,
    "truncated_utf32": _truncated_utf32,
    "nul_bytes": _nul_bytes,
    "huge_lines": _huge_lines,
    "big_files": _big_files,
    "deep_html": _deep_html,
    "attribute_html": _attribute_html,
    "malformed_html": _malformed_html,
    "jsonl_malformed": _jsonl_malformed,
    "jsonl_types": _jsonl_types,
    "compression": _compression,
    "weird_names": _weird_names,
    "permissions": _permissions,
    "special_files": _special_files,
    "empties": _empties,
    "deep_folders": _deep_folders,
    "odd_text": _odd_text,
}


def remove_corpus(root: Path) -> None:
    """Remove a corpus: locked folders are opened first, and chains too deep for one path to name
    are taken apart one folder at a time (never more than one folder held open)."""
    if not os.path.lexists(root):
        return
    if os.path.islink(root) or not os.path.isdir(root):
        os.unlink(root)
        return
    os.chmod(root, 0o700)
    names: list[str] = []  # the folders below `root` on the way down
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        while True:
            below = None
            with os.scandir(fd) as scan:
                for entry in scan:
                    if entry.is_dir(follow_symlinks=False):
                        below = entry.name
                        break
                    os.unlink(entry.name, dir_fd=fd)
            if below is not None:
                os.chmod(below, 0o700, dir_fd=fd)
                deeper = os.open(below, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd, names = deeper, [*names, below]
            elif names:
                parent = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = parent
                os.rmdir(names.pop(), dir_fd=fd)
            else:
                break
    finally:
        os.close(fd)
    os.rmdir(root)
