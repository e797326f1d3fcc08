"""Tests of flows/output.py: the table that fits, the previews of long results, and every format's writer."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import struct
import termios
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.output import (
    MIN_COLUMN,
    OutputError,
    Preview,
    cell,
    choose_format,
    fit_columns,
    preview_arrow,
    preview_rows,
    print_table,
    table_width,
    write_csv,
    write_json,
    write_lines,
    write_markdown,
    write_parquet,
)


def test_the_format_is_the_one_given_else_the_output_files_else_a_table() -> None:
    assert choose_format("markdown", Path("out.csv")) == "markdown"
    assert choose_format(None, Path("events.PARQUET")) == "parquet"
    assert choose_format(None, Path("a.md")) == "markdown"
    assert choose_format(None, Path("a.txt")) == "table"
    assert choose_format(None, None) == "table"
    with pytest.raises(OutputError, match=r"--format must be one of table, csv, json, parquet, markdown, line"):
        choose_format("xml", None)
    with pytest.raises(OutputError, match=r"say which format to write out\.jsonl in with --format"):
        choose_format(None, Path("out.jsonl"))


def test_a_table_that_fits_keeps_every_column_at_its_natural_width() -> None:
    layout = fit_columns(["a", "bb"], [5, 7], 40)
    assert (layout.kept, layout.widths, layout.dropped) == ([0, 1], [5, 7], [])
    assert layout.total == 1 + (5 + 3) + (7 + 3)
    assert fit_columns(["a"] * 30, [50] * 30, None).dropped == []  # no width: nothing is dropped


def test_a_wide_table_drops_the_columns_that_do_not_fit_and_never_squeezes_below_the_minimum() -> None:
    headers = [f"column_{i}" for i in range(25)]
    natural = [16, 60, 4, *([32] * 22)]
    layout = fit_columns(headers, natural, 80)
    assert layout.total <= 80
    assert layout.kept[:3] == [0, 1, 2] and sorted(layout.kept + layout.dropped) == list(range(25))
    shown = dict(zip(layout.kept, layout.widths, strict=True))
    assert shown[0] == 16 and shown[2] == 4  # short values stay whole
    assert all(w >= min(natural[i], MIN_COLUMN) for i, w in shown.items())
    # The room left is used: widening any kept column by one would overflow.
    assert layout.total == 80 or all(w == natural[i] for i, w in shown.items())


def test_a_narrow_column_after_one_that_does_not_fit_is_still_shown() -> None:
    layout = fit_columns(["id", "text", "n"], [16, 200, 3], 50)
    # id 16 + text at least 20 + n 3, with the frame, is 49: all fit, the text gets the rest.
    assert layout.kept == [0, 1, 2] and layout.widths == [16, 21, 3]
    layout = fit_columns(["id", "title", "text", "n"], [16, 80, 200, 3], 50)
    assert layout.kept == [0, 1, 3] and layout.dropped == [2]


def test_the_first_column_is_shown_even_when_it_alone_is_wider_than_the_table() -> None:
    layout = fit_columns(["text", "n"], [500, 3], 12)
    assert layout.kept == [0] and layout.widths == [8] and layout.dropped == [1]


def render(preview: Preview, width: int | None, **options: object) -> str:
    out = io.StringIO()
    print_table(preview, out, width=width, **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_a_drawn_table_is_as_wide_as_its_layout_and_names_the_columns_left_out() -> None:
    columns = ["article_id", "title", "text", *[f"extra_{i}" for i in range(10)]]
    row = ("cf0e5d2143f26d75", "Pentagon: 10,000 soldiers from North Korea in Russia", "Body " * 40, *range(10))
    printed = render(Preview(columns, [row], [], 1), 80, hint=" (use --format line)")
    lines = printed.splitlines()
    table = lines[:-2]
    assert {len(line) for line in table} == {len(table[0])} and len(table[0]) <= 80
    assert "cf0e5d2143f26d75" in printed and "…" in printed
    assert lines[-2] == "1 row"
    # article_id whole, title and text at 20 characters, extra_0: 76 characters; extra_1 would make 86.
    assert lines[-1] == (
        "9 of 13 columns do not fit in 80 characters and are not shown: "
        + ", ".join(f"extra_{i}" for i in range(1, 10))
        + " (use --format line)"
    )
    assert printed.count("\n") == len(lines)  # one line a row: cut values end in "…", never wrap


def test_without_cutting_values_a_table_wraps_them() -> None:
    long = "word " * 30
    printed = render(Preview(["text"], [(long,)], [], 1), 40, max_cell=None)
    body = [line for line in printed.splitlines() if line.startswith("│")]
    assert len(body) > 1 and "…" not in printed
    assert " ".join(line.strip("│ ") for line in body).split() == long.split()


def test_values_show_as_stored_never_as_markup_or_emoji() -> None:
    printed = render(Preview(["[b]name[/b]", "line"], [("postgres:x:101", "[bold]loud[/bold] :x: [/]")], [], 1), None)
    assert "[b]name[/b]" in printed and "[bold]loud[/bold] :x: [/]" in printed and "❌" not in printed


def test_a_long_result_shows_its_first_and_last_rows_and_says_how_many_it_has() -> None:
    rows = [(i,) for i in range(100)]
    preview = preview_rows(["n"], [rows[:33], rows[33:34], rows[34:]], 40)
    assert preview.head == rows[:20] and preview.tail == rows[80:] and preview.n_rows == 100 and preview.elided
    printed = render(preview, None)
    assert "100 rows (40 shown: the first 20 and the last 20; --max-rows 0 shows all)" in printed
    body = [line.strip("│ ") for line in printed.splitlines() if line.startswith("│")]
    assert body == [*(str(i) for i in range(20)), "…", *(str(i) for i in range(80, 100))]
    assert preview_rows(["n"], [rows[:40]], 40) == Preview(["n"], rows[:40], [], 40)
    assert preview_rows(["n"], [rows], None) == Preview(["n"], rows, [], 100)
    assert preview_rows(["n"], [rows[:41]], 5) == Preview(["n"], rows[:3], rows[39:41], 41)


@pytest.mark.parametrize("n_rows", [0, 1, 39, 40, 41, 100, 5000])
@pytest.mark.parametrize("batch_rows", [1, 7, 2048])
def test_an_arrow_preview_is_the_preview_of_the_same_rows(n_rows: int, batch_rows: int) -> None:
    rows = [(i, f"row {i}") for i in range(n_rows)]
    table = pa.table({"n": [r[0] for r in rows], "label": [r[1] for r in rows]})
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=batch_rows))
    assert preview_arrow(["n", "label"], reader, 40) == preview_rows(["n", "label"], [rows], 40)


def test_arrow_values_show_as_duckdb_writes_them() -> None:
    with duckdb.connect() as con:
        reader = con.sql(
            "select '-1 year -2 days 01:02:03.5'::interval as i, map {'k': 1} as m, 12::hugeint as h, "
            "1.50::decimal(4, 2) as d"
        ).to_arrow_reader(10)
        (row,) = preview_arrow(["i", "m", "h", "d"], reader, 40).head
    assert [cell(v, None) for v in row] == ["-1 year -2 days 01:02:03.5", "{'k': 1}", "12", "1.50"]


def test_csv_has_a_header_and_empty_fields_for_null() -> None:
    out = io.StringIO()
    at = datetime(2024, 11, 2, 5, 39, tzinfo=UTC)
    assert write_csv(["a", "b"], [[(1, None)], [("x,y", at)]], out) == 2
    assert out.getvalue().splitlines() == ["a,b", "1,", '"x,y",2024-11-02 05:39:00+00:00']


def test_json_is_an_array_of_objects_with_json_columns_as_values() -> None:
    out = io.StringIO()
    rows = [(1, '{"files": {"a.txt": [1, 2, "ab"]}}', float("nan"), b"\x01\xff", datetime(2024, 11, 2, 5, 39))]
    types = ["BIGINT", "JSON", "DOUBLE", "BLOB", "TIMESTAMP"]
    assert write_json(["n", "cursor", "x", "b", "t"], types, [rows, rows], out) == 2
    record = {"n": 1, "cursor": {"files": {"a.txt": [1, 2, "ab"]}}, "x": None, "b": "01ff", "t": "2024-11-02T05:39:00"}
    assert json.loads(out.getvalue()) == [record, record]
    empty = io.StringIO()
    assert write_json(["n"], ["BIGINT"], [], empty) == 0 and empty.getvalue() == "[]\n"


def test_markdown_escapes_what_would_change_the_table_or_render_as_html() -> None:
    out = io.StringIO()
    write_markdown(["name", "n"], ["VARCHAR", "INTEGER"], [[("a|b <script>&\nnext", 3), (None, None)]], out)
    assert out.getvalue().splitlines() == [
        "| name | n |",
        "|---|--:|",
        "| a\\|b &lt;script&gt;&amp;<br>next | 3 |",
        "| NULL | NULL |",
    ]


def test_lines_put_each_value_beside_its_column_name() -> None:
    out = io.StringIO()
    assert write_lines(["id", "title"], [[("a1", "One\nTwo"), ("b2", None)]], out) == 2
    assert out.getvalue() == "   id = a1\ntitle = One\n        Two\n\n   id = b2\ntitle = NULL\n"


def test_parquet_keeps_the_types_and_refuses_an_interval_before_writing(tmp_path: Path) -> None:
    with duckdb.connect() as con:
        relation = con.sql("select range as n, now() as at, 'x' || range as s from range(5000)")
        path = tmp_path / "out.parquet"
        assert write_parquet(relation.to_arrow_reader(1000), path) == 5000
        written = pq.read_table(path)
        assert written.num_rows == 5000 and written.schema.field("at").type == pa.timestamp("us", tz="Etc/UTC")
        out = io.BytesIO()
        with pytest.raises(OutputError, match=r"Parquet cannot hold column i \(INTERVAL\): cast it"):
            write_parquet(
                con.sql("select 1 as n, interval 1 day as i").to_arrow_reader(10), out, ["INTEGER", "INTERVAL"]
            )
    assert out.getvalue() == b""


def test_the_width_is_the_terminals_else_columns_else_unlimited() -> None:
    assert table_width(io.StringIO(), {"COLUMNS": "72"}) == 72
    assert table_width(io.StringIO(), {"COLUMNS": "wide"}) is None
    assert table_width(io.StringIO(), {}) is None
    leader, follower = pty.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 57, 0, 0))
        with open(follower, "w", closefd=False) as terminal:
            assert table_width(terminal, {"COLUMNS": "200"}) == 57
    finally:
        os.close(leader)
        os.close(follower)
