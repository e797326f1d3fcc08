"""Tests of schemas/ddl.py: migrations are numbered from 1 without gaps and additive."""

from __future__ import annotations

from schemas import migrations


def test_migrations_are_numbered_without_gaps() -> None:
    found = migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert found[0].name == "trunk"


# Migrations that reshape a table behind its public name: the rows move to a new table and a view
# of the same name and columns takes the table's place, so SQL on the name reads as before (the
# test of each in tests/store compares the columns and rows a file had before it with those after).
RESHAPING = {"text_parts": "CREATE VIEW ARTICLES AS"}


def test_migrations_only_add() -> None:
    for migration in migrations():
        sql = migration.sql.upper()
        if migration.name in RESHAPING:
            assert RESHAPING[migration.name] in sql, migration.name
            continue
        assert "DROP " not in sql and "RENAME " not in sql, migration.name
