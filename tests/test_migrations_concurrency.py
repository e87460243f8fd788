"""The issue-11 migrations on a database made before them: data kept, versions start at 1,
patients re-keyed by identifier system + normalised MRN, references intact."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from mdt_app.identifiers import DEFAULT_SYSTEM
from mdt_app.store import open_store, schema


def _old_database(path) -> None:
    """A file as the program before issue 11 left it: migrations up to m110 only."""
    db = Database(sqlite3.connect(path))
    first_new = next(m.name for m in schema.migrations._migrations if m.name.startswith("m110_"))
    schema.migrations.apply(db, stop_before=first_new)
    stamp = "2026-01-01T00:00:00+00:00"
    for i, mrn in enumerate(["H1", "h1", "X9"], start=1):
        db.execute(
            "INSERT INTO patients (id, mrn, given_name, family_name, created_at, updated_at)"
            " VALUES (?, ?, 'Ann', 'Old', ?, ?)",
            [i, mrn, stamp, stamp],
        )
        db.execute(
            "INSERT INTO cases (id, patient_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [i, i, stamp, stamp],
        )
    db.conn.commit()
    db.close()


def test_old_database_migrates_keeping_everything(tmp_path):
    path = tmp_path / "old.db"
    _old_database(path)
    with open_store(path) as store:
        rows = store.query(
            "SELECT id, mrn, identifier_system, identifier_key, version FROM patients"
        )
        assert [r["mrn"] for r in rows] == ["H1", "h1", "X9"]
        assert {r["identifier_system"] for r in rows} == {DEFAULT_SYSTEM}
        keys = [r["identifier_key"] for r in rows]
        assert keys[0] == "h1" and keys[1].startswith("h1#") and keys[2] == "x9"
        assert {r["version"] for r in rows} == {1}
        assert [c.patient.mrn for c in map(store.get_case, store.case_ids())] == ["H1", "h1", "X9"]
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.find_case_by_mrn("x9") == 3
    assert list(tmp_path.glob("old.db.before-migration-*.bak"))


def test_a_patient_inserted_without_a_key_gets_one(store):
    stamp = "2026-01-01T00:00:00+00:00"
    with store.atomic():
        store.db.execute(
            "INSERT INTO patients (mrn, given_name, family_name, created_at, updated_at)"
            " VALUES (' ARC-0000001 ', 'A', 'B', ?, ?)",
            [stamp, stamp],
        )
    from mdt_app import domain as d

    assert store.find_patient_id(d.Patient("arc-0000001", "", "")) is not None
