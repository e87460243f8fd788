"""The PostgreSQL schema against the SQLite file's: the same tables and columns, its
migrations recorded and all-or-nothing, foreign and newer databases refused."""

from __future__ import annotations

import pytest

from mdt_app.errors import StoreError
from mdt_app.store import open_store
from mdt_app.store.pg import schema as pg_schema

# Tables only one backend has, by design: each keeps its own record of migrations, and
# SQLite's name search is an FTS5 table (PostgreSQL searches with mdt_fold()).
OWN_TABLES = {
    "sqlite": {"_sqlite_migrations"},
    "postgresql": {"mdt_schema_migrations"},
}


def _sqlite_columns(store) -> dict[str, set[str]]:
    tables = [
        r["name"]
        for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r["name"].startswith(("sqlite_", "patient_search"))
    ]
    return {t: {r["name"] for r in store.query(f"PRAGMA table_info({t})")} for t in tables}


def _pg_columns(store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in store.query(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema()"
    ):
        out.setdefault(r["table_name"], set()).add(r["column_name"])
    return out


def test_both_backends_have_the_same_tables_and_columns(tmp_path, pg_url):
    with open_store(tmp_path / "file.db") as lite, open_store(pg_url) as server:
        on_file = _sqlite_columns(lite)
        on_server = _pg_columns(server)
    for backend, tables in (("sqlite", on_file), ("postgresql", on_server)):
        for own in OWN_TABLES[backend]:
            assert own in tables, f"{backend} keeps no {own}"
            del tables[own]
    assert sorted(on_file) == sorted(on_server), "a table exists on one backend only"
    for table, columns in on_file.items():
        assert columns == on_server[table], (
            f"{table}: only in SQLite {sorted(columns - on_server[table])}, "
            f"only in PostgreSQL {sorted(on_server[table] - columns)}"
        )


def test_every_migration_is_recorded_once(pg_url):
    with open_store(pg_url) as store:
        names = [r["name"] for r in store.query("SELECT name FROM mdt_schema_migrations")]
    assert sorted(names) == sorted(m.name for m in pg_schema.MIGRATIONS)


def test_a_failing_migration_leaves_nothing_behind(pg_cluster, monkeypatch):
    pg_cluster.admin("CREATE DATABASE half_done")
    broken = pg_schema.PgMigration(
        "p999_broken", "CREATE TABLE half_made (id BIGINT); SELECT no_such_function()"
    )
    monkeypatch.setattr(pg_schema, "MIGRATIONS", (*pg_schema.MIGRATIONS, broken))
    with pytest.raises(StoreError, match="no_such_function"):
        open_store(pg_cluster.url("half_done"))
    monkeypatch.setattr(pg_schema, "MIGRATIONS", pg_schema.MIGRATIONS[:-1])
    with open_store(pg_cluster.url("half_done")) as store:  # the good ones stayed applied
        tables = store.db.table_names()
        names = {r["name"] for r in store.query("SELECT name FROM mdt_schema_migrations")}
    assert "half_made" not in tables and "p999_broken" not in names
    assert "decisions" in tables


def test_a_database_of_another_program_is_refused_untouched(pg_cluster):
    pg_cluster.admin("CREATE DATABASE foreign_db")
    import psycopg

    with psycopg.connect(pg_cluster.url("foreign_db"), autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id BIGINT)")
    with pytest.raises(StoreError, match="another program"):
        open_store(pg_cluster.url("foreign_db"))
    with psycopg.connect(pg_cluster.url("foreign_db"), autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
    assert tables == ["invoices"]


def test_a_newer_schema_is_refused(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO mdt_schema_migrations (name, applied_at) VALUES ('p999_future', 'x')"
        )
    with pytest.raises(StoreError, match="newer MDT Assistant"):
        open_store(pg_url)


def test_opening_without_create_needs_a_schema(pg_cluster):
    pg_cluster.admin("CREATE DATABASE empty_db")
    with pytest.raises(StoreError, match="server init"):
        open_store(pg_cluster.url("empty_db"), create=False)
