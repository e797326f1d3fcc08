"""Tests of schemas/ddl.py: migrations are numbered from 1 without gaps and additive."""

from __future__ import annotations

from schemas import migrations


def test_migrations_are_numbered_without_gaps() -> None:
    found = migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert found[0].name == "trunk"


def test_migrations_only_add() -> None:
    for migration in migrations():
        sql = migration.sql.upper()
        assert "DROP " not in sql and "RENAME " not in sql, migration.name
