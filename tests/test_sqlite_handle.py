"""The store's plain-sqlite3 handle and migration set behave as the sqlite-utils code
they stand in for (issue 17: sqlite-utils loads only when something needs it)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
import sqlite_utils
from sqlite_utils.migrations import Migrations

from mdt_app.store import schema
from mdt_app.store.sqlite_handle import SQLiteDatabase, as_database


def _pair() -> tuple[SQLiteDatabase, sqlite_utils.Database]:
    ours = SQLiteDatabase(sqlite3.connect(":memory:", isolation_level=None))
    theirs = sqlite_utils.Database(sqlite3.connect(":memory:", isolation_level=None))
    for db in (ours, theirs):
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x')")
        db.execute("CREATE TABLE log (n INTEGER)")
        db.execute("CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); END")
        db.execute("INSERT INTO t (name) VALUES ('Zoë'), ('Ana')")
    return ours, theirs


def test_reads_are_those_of_sqlite_utils():
    ours, theirs = _pair()
    assert ours.table_names() == theirs.table_names()
    sql = "SELECT * FROM t WHERE id > ? ORDER BY id"
    assert list(ours.query(sql, [0])) == list(theirs.query(sql, [0]))
    assert list(ours.query("  with x as (select 1 as a) select a from x")) == [{"a": 1}]
    assert ours["t"].columns == [tuple(c) for c in theirs["t"].columns]
    assert [c.name for c in ours.table("t").columns] == ["id", "name"]
    assert ours.table("missing").columns == []
    assert ours.execute("PRAGMA recursive_triggers").fetchone() == (1,)
    assert ours.journal_mode == theirs.journal_mode
    assert ours.table("t").count == 2  # anything else: sqlite-utils' own Table


def test_a_statement_without_rows_is_refused_by_query_as_sqlite_utils_does():
    ours, _ = _pair()
    with pytest.raises(ValueError, match="returns rows"):
        list(ours.query("DELETE FROM t"))
    assert ours.execute("SELECT count(*) FROM t").fetchone() == (2,)


def test_savepoints_keep_or_undo_as_sqlite_utils_does():
    ours, _ = _pair()
    with ours.atomic():
        ours.execute("INSERT INTO t (name) VALUES ('kept')")
        with pytest.raises(RuntimeError), ours.atomic():
            ours.execute("INSERT INTO t (name) VALUES ('undone')")
            raise RuntimeError
        with ours.atomic():
            ours.execute("INSERT INTO t (name) VALUES ('kept too')")
    names = [r["name"] for r in ours.query("SELECT name FROM t ORDER BY id")]
    assert names == ["Zoë", "Ana", "kept", "kept too"]
    assert not ours.conn.in_transaction
    with pytest.raises(RuntimeError), ours.atomic():
        ours.execute("INSERT INTO t (name) VALUES ('gone')")
        raise RuntimeError
    assert ours.execute("SELECT count(*) FROM t").fetchone() == (4,)


def test_wal_is_turned_on_outside_a_transaction(tmp_path):
    db = SQLiteDatabase(sqlite3.connect(tmp_path / "w.db", isolation_level=None))
    db.enable_wal()
    assert db.journal_mode == "wal"
    db.close()


def _schema(db) -> list[tuple]:
    return db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def test_migrations_build_the_schema_and_records_sqlite_utils_built():
    ours = SQLiteDatabase(sqlite3.connect(":memory:", isolation_level=None))
    for migration in schema.migrations.pending(ours):
        schema.migrations.ensure_migrations_table(ours)
        with ours.atomic() if migration.transactional else _nothing():
            migration.fn(ours)
            schema.migrations._record_applied(ours, migration.name)
    theirs = sqlite_utils.Database(sqlite3.connect(":memory:"))
    reference = Migrations(schema.migrations.name)
    reference._migrations = list(schema.migrations._migrations)
    reference.apply(theirs)
    assert _schema(ours) == _schema(theirs)
    names = "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
    assert ours.execute(names).fetchall() == theirs.execute(names).fetchall()
    assert schema.migrations.pending(ours) == [] == schema.migrations.pending(theirs)
    assert as_database(ours) is ours.database and as_database(theirs) is theirs


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_opening_and_creating_a_database_load_no_sqlite_utils(tmp_path):
    code = (
        "import sys\n"
        "from mdt_app.store import open_store\n"
        f"with open_store({str(tmp_path / 'new.db')!r}) as store:\n"
        "    store.list_meetings(); store.case_ids()\n"
        f"with open_store({str(tmp_path / 'new.db')!r}) as store:\n"
        "    store.list_meetings()\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
