"""How newsflow shows and writes results: a terminal table that fits, CSV, JSON, Parquet, Markdown and lines."""

from __future__ import annotations

import csv
import json
import math
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq
from rich.box import HEAVY_HEAD
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from schemas import NewsflowError
from store import QueryResult, stream_arrow, stream_rows

__all__ = [
    "FORMATS",
    "MAX_ROWS",
    "Layout",
    "OutputError",
    "Preview",
    "choose_format",
    "emit_query",
    "emit_result",
    "fit_columns",
    "preview_arrow",
    "preview_rows",
    "print_table",
    "table_width",
    "write_csv",
    "write_json",
    "write_lines",
    "write_markdown",
    "write_parquet",
]

FORMATS = ("table", "csv", "json", "parquet", "markdown", "line")
# What an --output file's name says when --format does not.
SUFFIXES = {
    ".csv": "csv",
    ".json": "json",
    ".parquet": "parquet",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "table",
}
# Rows a table shows on a terminal: the first half and the last half, as DuckDB's own shell does.
MAX_ROWS = 40
# Values longer than this are cut in a table (--full shows them whole).
MAX_CELL = 80
# A column is not squeezed narrower than this (or its values, when shorter): it is left out instead,
# and the table says so. Squeezing 25 columns into 80 characters leaves 2 letters a cell.
MIN_COLUMN = 20
MAX_HEADER_MIN = 20
# A table's frame: one border character on the left, then per column one space each side and a border.
_FRAME = 1
_PER_COLUMN = 3
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
            "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL")  # fmt: skip


class OutputError(NewsflowError):
    """The result cannot be written as asked (a format, a destination); the message says why."""


def choose_format(given: str | None, output: Path | None) -> str:
    """The format to write: `given`, else the one the output file's suffix names, else a table.

    Raises:
        OutputError: `given` is no format, or an output file's suffix names none and `given` is None.
    """
    if given is not None:
        if given not in FORMATS:
            raise OutputError(f"--format must be one of {', '.join(FORMATS)}, not {given!r}")
        return given
    if output is None:
        return "table"
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        known = ", ".join(SUFFIXES)
        raise OutputError(f"say which format to write {output.name} in with --format ({known} name one)")
    return SUFFIXES[suffix]


# -- values -----------------------------------------------------------------------------------------


def cell(value: Any, limit: int | None) -> str:
    """A value as a table shows it: NULL for null, times with a space, cut to `limit` characters."""
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, pa.MonthDayNano):
        text = _interval(value)
    else:
        text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _interval(value: pa.MonthDayNano) -> str:
    """An Arrow interval as DuckDB writes it: `1 year 2 months 3 days 04:05:06`."""
    parts = []
    years = int(value.months / 12)  # toward zero, as DuckDB: -14 months is -1 year -2 months
    months = value.months - 12 * years
    for amount, unit in ((years, "year"), (months, "month"), (value.days, "day")):
        if amount:
            parts.append(f"{amount} {unit}{'s' if abs(amount) != 1 else ''}")
    if value.nanoseconds or not parts:
        sign = "-" if value.nanoseconds < 0 else ""
        seconds, nanos = divmod(abs(value.nanoseconds), 10**9)
        hours, rest = divmod(seconds, 3600)
        clock = f"{sign}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        parts.append(clock + (f".{nanos // 1000:06d}".rstrip("0") if nanos // 1000 else ""))
    return " ".join(parts)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity; a reader such as jq refuses them
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _is_json(sql_type: str) -> bool:
    return sql_type == "JSON"


def _is_numeric(sql_type: str) -> bool:
    return sql_type.startswith(_NUMERIC)


# -- a table that fits ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What a table shows of a result: its first rows, its last rows, and how many rows it has."""

    columns: list[str]
    head: list[tuple[Any, ...]]
    tail: list[tuple[Any, ...]]
    n_rows: int

    @property
    def elided(self) -> bool:
        """Whether rows between the head and the tail are left out."""
        return self.n_rows > len(self.head) + len(self.tail)


def _split(max_rows: int) -> tuple[int, int]:
    head = (max_rows + 1) // 2
    return head, max_rows - head


def preview_rows(columns: list[str], batches: Iterable[Sequence[tuple[Any, ...]]], max_rows: int | None) -> Preview:
    """Read every row of `batches`, keeping the first and last `max_rows` // 2 (all of them when None)."""
    if max_rows is None:
        rows = [row for batch in batches for row in batch]
        return Preview(columns, rows, [], len(rows))
    first: list[tuple[Any, ...]] = []
    last: deque[tuple[Any, ...]] = deque(maxlen=max_rows)
    n_rows = 0
    for batch in batches:
        for row in batch:
            if len(first) < max_rows:
                first.append(row)
            else:
                last.append(row)
            n_rows += 1
    return _trim(columns, first, list(last), n_rows, max_rows)


def _trim(
    columns: list[str], first: list[tuple[Any, ...]], last: list[tuple[Any, ...]], n_rows: int, max_rows: int
) -> Preview:
    """The preview of `first` (up to `max_rows` rows) and `last` (the rows after them, or their end)."""
    if n_rows <= max_rows:
        return Preview(columns, first, [], n_rows)
    head, tail = _split(max_rows)
    ending = (first + last)[-tail:] if tail else []
    return Preview(columns, first[:head], ending, n_rows)


def preview_arrow(columns: list[str], reader: pa.RecordBatchReader, max_rows: int | None) -> Preview:
    """`preview_rows` over Arrow batches: every batch is counted, only the rows shown become Python values."""
    if max_rows is None:
        table = reader.read_all()
        return Preview(columns, _python_rows(table), [], table.num_rows)
    first: list[pa.RecordBatch] = []
    n_first = 0
    last: deque[pa.RecordBatch] = deque()
    n_last = 0
    n_rows = 0
    for batch in reader:
        n_rows += batch.num_rows
        if n_first < max_rows:
            kept = batch.slice(0, max_rows - n_first)
            first.append(kept)
            n_first += kept.num_rows
            batch = batch.slice(kept.num_rows)
        if batch.num_rows:
            last.append(batch)
            n_last += batch.num_rows
            while last and n_last - last[0].num_rows >= max_rows:
                n_last -= last.popleft().num_rows
    schema = reader.schema
    return _trim(
        columns,
        _python_rows(pa.Table.from_batches(first, schema)),
        _python_rows(pa.Table.from_batches(list(last), schema)),
        n_rows,
        max_rows,
    )


def _python_rows(table: pa.Table) -> list[tuple[Any, ...]]:
    """The rows of an Arrow table as tuples, maps as dicts (as DuckDB's own Python rows have them)."""
    columns = []
    for column in table.columns:
        values = column.to_pylist()
        if pa.types.is_map(column.type):
            values = [None if v is None else dict(v) for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True)) if columns else []


@dataclass(frozen=True)
class Layout:
    """Which columns a table shows and how wide each is; `dropped` are those left out."""

    kept: list[int]
    widths: list[int]
    dropped: list[int]

    @property
    def total(self) -> int:
        """The table's width in characters, frame included."""
        return _FRAME + sum(w + _PER_COLUMN for w in self.widths)


def fit_columns(headers: Sequence[str], natural: Sequence[int], width: int | None) -> Layout:
    """Choose the columns of a table `width` characters wide (None: no limit) and their widths.

    Every column gets its natural width (its header or its longest value) if the table fits.
    Otherwise each column needs at least its header, or `MIN_COLUMN` characters, or its natural
    width if narrower; columns are taken left to right while they fit, and one that does not is
    left out (a narrower one after it may still fit). The room left is shared out so that the
    narrow columns show whole and the wide ones share the rest. The first column is always shown.
    """
    n = len(headers)
    if width is None or _FRAME + sum(w + _PER_COLUMN for w in natural) <= width:
        return Layout(list(range(n)), list(natural), [])
    least = [min(natural[i], max(MIN_COLUMN, min(cell_len(headers[i]), MAX_HEADER_MIN))) for i in range(n)]
    if _FRAME + least[0] + _PER_COLUMN > width:  # the first column alone is too wide: it gets the whole table
        return Layout([0], [max(1, width - _FRAME - _PER_COLUMN)], list(range(1, n)))
    kept: list[int] = []
    used = _FRAME
    for i in range(n):
        if used + least[i] + _PER_COLUMN <= width:
            kept.append(i)
            used += least[i] + _PER_COLUMN
    widths = {i: least[i] for i in kept}
    spare = width - used
    wanting = sorted((i for i in kept if natural[i] > widths[i]), key=lambda i: natural[i] - widths[i])
    while spare > 0 and wanting:
        share = max(1, spare // len(wanting))
        for i in list(wanting):
            if spare == 0:
                break
            given = min(share, natural[i] - widths[i], spare)
            widths[i] += given
            spare -= given
            if widths[i] == natural[i]:
                wanting.remove(i)
    return Layout(kept, [widths[i] for i in kept], [i for i in range(n) if i not in widths])


def table_width(out: IO[Any], environ: Mapping[str, str] = os.environ) -> int | None:
    """How wide a table may be on `out`: the terminal's width, else $COLUMNS if set, else no limit."""
    if out.isatty():
        try:
            columns = os.get_terminal_size(out.fileno()).columns
        except (OSError, ValueError):  # no size to ask for (some terminals report none)
            columns = 0
        if columns:
            return columns
    given = environ.get("COLUMNS", "")
    return int(given) if given.isdigit() and int(given) > 0 else None


def _natural(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def print_table(
    preview: Preview,
    out: TextIO,
    *,
    width: int | None,
    max_cell: int | None = MAX_CELL,
    types: Sequence[str] = (),
    hint: str = "",
) -> Layout:
    """Print `preview` as a table at most `width` characters wide, then its row count and what is left out.

    Values are Text, never markup or emoji: a value shows as stored. With `max_cell` (cut values)
    a row is one line and a cell too narrow for its value ends in "…"; without it values wrap.
    `hint` follows the notice of columns left out (how to see them).
    """
    shown = [*preview.head, *preview.tail]
    cells = [[cell(v, max_cell) for v in row] for row in shown]
    headers = preview.columns
    natural = [max([_natural(headers[i]), *(_natural(row[i]) for row in cells)]) for i in range(len(headers))]
    layout = fit_columns(headers, natural, width)
    table = Table(box=HEAVY_HEAD, show_lines=False)
    for i, w in zip(layout.kept, layout.widths, strict=True):
        numeric = i < len(types) and _is_numeric(types[i])
        table.add_column(
            Text(headers[i]),
            width=w,
            no_wrap=max_cell is not None,
            overflow="ellipsis" if max_cell is not None else "fold",
            justify="right" if numeric else "left",
        )
    for row in cells[: len(preview.head)]:
        table.add_row(*(Text(row[i]) for i in layout.kept))
    if preview.elided:
        table.add_row(*(Text("…") for _ in layout.kept))
    for row in cells[len(preview.head) :]:
        table.add_row(*(Text(row[i]) for i in layout.kept))
    if layout.kept:
        console = Console(file=out, width=layout.total, highlight=False, emoji=False, markup=False)
        console.print(table)
    out.write(_count_line(preview) + "\n")
    if layout.dropped:
        names = ", ".join(headers[i] for i in layout.dropped)
        out.write(
            f"{len(layout.dropped)} of {len(headers)} columns do not fit in {width} characters and are not shown: "
            f"{names}{hint}\n"
        )
    return layout


def _count_line(preview: Preview) -> str:
    rows = f"{preview.n_rows:,} row{'s' if preview.n_rows != 1 else ''}"
    if not preview.elided:
        return rows
    return (
        f"{rows} ({len(preview.head) + len(preview.tail)} shown: the first {len(preview.head)} "
        f"and the last {len(preview.tail)}; --max-rows 0 shows all)"
    )


# -- formats that write every row -------------------------------------------------------------------


def write_csv(columns: Sequence[str], batches: Iterable[Sequence[tuple[Any, ...]]], out: TextIO) -> int:
    """Write a header and every row as CSV (RFC 4180; NULL is an empty field); return the rows written."""
    writer = csv.writer(out)
    writer.writerow(columns)
    n = 0
    for batch in batches:
        writer.writerows([["" if v is None else cell(v, None) for v in row] for row in batch])
        n += len(batch)
    return n


def write_json(
    columns: Sequence[str], types: Sequence[str], batches: Iterable[Sequence[tuple[Any, ...]]], out: TextIO
) -> int:
    """Write every row as a JSON array of objects, one object written at a time; return the rows written.

    A column of SQL type JSON (such as a cursor) is written as the JSON value it holds, not as a string.
    """
    parsed = [i for i, sql_type in enumerate(types) if _is_json(sql_type)]
    n = 0
    for batch in batches:
        for row in batch:
            values = [_jsonable(v) for v in row]
            for i in parsed:
                if isinstance(values[i], str):
                    values[i] = json.loads(values[i])
            record = json.dumps(dict(zip(columns, values, strict=True)), ensure_ascii=False, indent=2)
            out.write(("[\n" if n == 0 else ",\n") + "  " + record.replace("\n", "\n  "))
            n += 1
    out.write("\n]\n" if n else "[]\n")
    return n


def _markdown_cell(value: Any) -> str:
    """A value in a Markdown table cell: rendered, it reads as stored (|, <, >, & and line breaks escaped)."""
    text = cell(value, None)
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")):
        text = text.replace(raw, escaped)
    return "<br>".join(text.splitlines()) if "\n" in text or "\r" in text else text


def write_markdown(
    columns: Sequence[str], types: Sequence[str], batches: Iterable[Sequence[tuple[Any, ...]]], out: TextIO
) -> int:
    """Write every row as a Markdown (GitHub) table, numbers aligned right; return the rows written."""
    out.write("| " + " | ".join(_markdown_cell(c) for c in columns) + " |\n")
    rules = ["--:" if i < len(types) and _is_numeric(types[i]) else "---" for i in range(len(columns))]
    out.write("|" + "|".join(rules) + "|\n")
    n = 0
    for batch in batches:
        for row in batch:
            out.write("| " + " | ".join(_markdown_cell(v) for v in row) + " |\n")
        n += len(batch)
    return n


def write_lines(columns: Sequence[str], batches: Iterable[Sequence[tuple[Any, ...]]], out: TextIO) -> int:
    """Write each row as `column = value` lines, names aligned, rows apart (DuckDB's `.mode line`).

    Values are whole; a value's further lines are indented under its first.
    """
    pad = max((cell_len(c) for c in columns), default=0)
    names = [" " * (pad - cell_len(c)) + c for c in columns]
    indent = "\n" + " " * (pad + 3)
    n = 0
    for batch in batches:
        for row in batch:
            if n:
                out.write("\n")
            for name, value in zip(names, row, strict=True):
                out.write(f"{name} = {indent.join(cell(value, None).splitlines()) or ''}\n")
            n += 1
    return n


def _unwritable(schema: pa.Schema, types: Sequence[str]) -> str | None:
    """The first column Parquet cannot hold (pyarrow writes no interval), with its SQL type."""

    def has_interval(data_type: pa.DataType) -> bool:
        if pa.types.is_interval(data_type):
            return True
        return any(has_interval(data_type.field(i).type) for i in range(data_type.num_fields))

    for i, schema_field in enumerate(schema):
        if has_interval(schema_field.type):
            sql_type = types[i] if i < len(types) else str(schema_field.type)
            return f"{schema_field.name} ({sql_type})"
    return None


def write_parquet(reader: pa.RecordBatchReader, out: IO[bytes] | Path, types: Sequence[str] = ()) -> int:
    """Write every batch of `reader` to one Parquet file (zstd); return the rows written.

    Raises:
        OutputError: a column holds a type Parquet cannot (an INTERVAL); nothing is written.
    """
    column = _unwritable(reader.schema, types)
    if column is not None:
        raise OutputError(
            f"Parquet cannot hold column {column}: cast it in the SQL (to VARCHAR, or a number with epoch())"
        )
    n = 0
    with pq.ParquetWriter(out, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)
            n += batch.num_rows
    return n


def _arrow_of(result: QueryResult) -> pa.RecordBatchReader:
    """An in-memory result as Arrow: JSON columns as their text, other types as pyarrow infers them."""
    data = {}
    for i, name in enumerate(result.columns):
        values = [row[i] for row in result.rows]
        if i < len(result.types) and _is_json(result.types[i]):
            values = [None if v is None or isinstance(v, str) else json.dumps(v) for v in values]
        data[name] = pa.array(values)
    table = pa.table(data) if data else pa.table({})
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches())


# -- destinations -----------------------------------------------------------------------------------


def check_output(output: Path, database: Path | None = None) -> None:
    """Fail before the query runs when `output` cannot be written or would overwrite the database.

    Raises:
        OutputError: `output` is a folder, its folder does not exist, or it is the database (or its WAL).
    """
    if output.is_dir():
        raise OutputError(f"--output {output} is a folder: name a file")
    if not output.parent.is_dir():
        raise OutputError(f"--output {output}: no such folder {output.parent}")
    if database is not None:
        target = output.resolve()
        held = database.resolve()
        if target in {held, held.with_name(held.name + ".wal")}:
            raise OutputError(f"--output {output} is the database itself: name another file")


@contextmanager
def _replacing(output: Path) -> Iterator[Path]:
    """A path beside `output` to write to, moved over `output` only once the block ends without error."""
    partial = output.with_name(f".{output.name}.partial-{os.getpid()}")
    try:
        yield partial
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _text_to(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or a text file that appears at `output` once complete."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    # Written as it will be read: UTF-8, and "\n" (CSV's own "\r\n") untranslated.
    with _replacing(output) as partial, partial.open("x", encoding="utf-8", newline="") as file:
        yield file


@contextmanager
def _bytes_to(output: Path | None) -> Iterator[IO[bytes]]:
    """Standard output's bytes, or a binary file that appears at `output` once complete."""
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with _replacing(output) as partial, partial.open("xb") as file:
        yield file


def emit_result(
    result: QueryResult,
    fmt: str,
    *,
    output: Path | None = None,
    max_cell: int | None = MAX_CELL,
    hint: str = "",
) -> int:
    """Show or write an in-memory result (newsflow's own listings) in `fmt`; return the rows written."""
    batches = [result.rows]
    if fmt == "parquet":
        with _bytes_to(output) as out:
            return write_parquet(_arrow_of(result), out, result.types)
    with _text_to(output) as out:
        if fmt == "table":
            width = table_width(out) if output is None else None
            print_table(
                preview_rows(result.columns, batches, None),
                out,
                width=width,
                max_cell=max_cell,
                types=result.types,
                hint=hint,
            )
            return len(result.rows)
        return _write_text(fmt, result.columns, result.types, batches, out)


def _write_text(
    fmt: str, columns: list[str], types: list[str], batches: Iterable[Sequence[tuple[Any, ...]]], out: TextIO
) -> int:
    if fmt == "csv":
        return write_csv(columns, batches, out)
    if fmt == "json":
        return write_json(columns, types, batches, out)
    if fmt == "markdown":
        return write_markdown(columns, types, batches, out)
    if fmt == "line":
        return write_lines(columns, batches, out)
    raise OutputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def emit_query(
    database: Path,
    sql: str,
    fmt: str,
    *,
    output: Path | None = None,
    max_rows: int | None = MAX_ROWS,
    max_cell: int | None = MAX_CELL,
    wait: float,
    timeout: float | None,
    allow_files: bool,
    on_wait: Callable[[str], None] | None = None,
) -> int:
    """Run `sql` in newsflow's sandbox and show or write its result in `fmt`; return the result's rows.

    Parquet and the table read Arrow batches (a table counts every row and converts only those it
    shows); the other formats write Python rows batch by batch. Only a table to a terminal stops at
    `max_rows`. A file is written by newsflow, never by the SQL, and appears only when complete.

    `on_wait` is told what the query waits for while a run holds the database.

    Raises:
        OutputError, and the errors of `store.query`.
    """
    if fmt == "parquet":
        with (
            stream_arrow(database, sql, wait=wait, timeout=timeout, allow_files=allow_files, on_wait=on_wait) as result,
            _bytes_to(output) as out,
        ):
            return write_parquet(result.reader, out, result.types)
    if fmt == "table":
        with stream_arrow(
            database, sql, wait=wait, timeout=timeout, allow_files=allow_files, on_wait=on_wait
        ) as result:
            preview = preview_arrow(result.columns, result.reader, max_rows)
            types = result.types
        with _text_to(output) as out:  # the file is let go before the table is drawn
            width = table_width(out) if output is None else None
            print_table(
                preview,
                out,
                width=width,
                max_cell=max_cell,
                types=types,
                hint=" (select fewer columns, or use --format line)",
            )
            return preview.n_rows
    with (
        stream_rows(database, sql, wait=wait, timeout=timeout, allow_files=allow_files, on_wait=on_wait) as rows,
        _text_to(output) as out,
    ):
        return _write_text(fmt, rows.columns, rows.types, rows.batches, out)
