"""The alert tables: on the store's metadata, created idempotently, portable column types."""

from __future__ import annotations

import sqlalchemy as sa

from newsfold.alert.tables import TABLES, alerts, ensure_tables, iso, parse_iso
from newsfold.store import metadata, open_store


def test_tables_are_created_on_the_store_metadata_and_again_is_harmless(db_path):
    for table in TABLES:
        assert metadata.tables[table.name] is table
    with open_store(db_path) as store:
        ensure_tables(store)
        ensure_tables(store)
    # A second process (a new engine) creating them again is harmless too.
    with open_store(db_path) as store:
        ensure_tables(store)
        names = set(sa.inspect(store.engine).get_table_names())
    assert {"feeds", "subscriptions", "alerts", "articles", "stories"} <= names


def test_the_idempotency_key_is_unique():
    assert alerts.c.idempotency_key.unique


def test_the_schema_compiles_for_postgresql():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    for table in TABLES:
        ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))
        assert ddl.startswith("\nCREATE TABLE")
    assert "UNIQUE (idempotency_key)" in str(CreateTable(alerts).compile(dialect=postgresql.dialect()))


def test_times_are_fixed_width_and_sort_as_text():
    from datetime import UTC, datetime, timedelta, timezone

    a = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    b = a + timedelta(microseconds=500)
    c = datetime(2026, 1, 1, 14, 0, 1, tzinfo=timezone(timedelta(hours=2)))  # 12:00:01 UTC
    texts = [iso(a), iso(b), iso(c)]
    assert len({len(t) for t in texts}) == 1
    assert sorted(texts) == texts
    assert parse_iso(iso(c)) == c
    assert parse_iso(None) is None
