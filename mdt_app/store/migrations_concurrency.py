"""Issue 11 migrations: record versions, patient identifiers by system, decision snapshots.

- Every editable record (patient, case, meeting, agenda item, decision) gets a
  ``version`` that each audited change raises by one: a save that names an older version
  is refused (optimistic concurrency, see `store.versions`).
- Patients are identified by identifier system + normalised value, not by the MRN text
  alone: the table is rebuilt without its UNIQUE(mrn) (SQLite cannot drop a constraint
  in place) and gets ``identifier_system`` / ``identifier_key`` with a unique index.
- A decision keeps ``case_snapshot``: the case facts it was signed against.

Foreign keys are off while migrations run (`store._migrate`) and checked before commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app.identifiers import DEFAULT_SYSTEM
from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

VERSIONED_TABLES = ("patients", "cases", "meetings", "agenda_items", "decisions")


@migrations()
def m110_versions(db: Database) -> None:
    # ALTER TABLE ADD COLUMN fires no trigger: signed decisions get a version too.
    for table in VERSIONED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


@migrations()
def m110_decision_case_snapshot(db: Database) -> None:
    db.execute("ALTER TABLE decisions ADD COLUMN case_snapshot TEXT")


@migrations()
def m110_patient_identifiers(db: Database) -> None:
    _rebuild_without_unique_mrn(db)
    db.execute(
        "ALTER TABLE patients ADD COLUMN identifier_system TEXT NOT NULL"
        f" DEFAULT '{DEFAULT_SYSTEM}'"
    )
    db.execute("ALTER TABLE patients ADD COLUMN identifier_key TEXT")
    # Existing MRNs were the centre's own: their key is the trimmed, case-folded value.
    # Two stored patients whose MRNs differ only by case keep their own keys (suffixed
    # with the id) rather than being merged behind anyone's back.
    rows = db.execute("SELECT id, mrn FROM patients ORDER BY id").fetchall()
    seen: set[str] = set()
    for patient_id, mrn in rows:
        key = " ".join(str(mrn).split()).casefold()
        if key in seen:
            key = f"{key}#duplicate-of-stored-{patient_id}"
        seen.add(key)
        db.execute("UPDATE patients SET identifier_key = ? WHERE id = ?", [key, patient_id])
    db.execute(
        "CREATE UNIQUE INDEX patients_identifier ON patients(identifier_system, identifier_key)"
    )
    db.execute("CREATE INDEX patients_mrn ON patients(mrn)")
    # A patient row written without going through the store's import (a bulk loader, a
    # raw INSERT) still gets a key, in the centre's system: trimmed and lower-cased (the
    # store's own key also folds non-ASCII case and width; bulk MRNs are ASCII).
    db.execute(
        "CREATE TRIGGER patients_identifier_key_default AFTER INSERT ON patients"
        " WHEN NEW.identifier_key IS NULL BEGIN"
        " UPDATE patients SET identifier_key = lower(trim(NEW.mrn)) WHERE id = NEW.id;"
        " END"
    )


def _rebuild_without_unique_mrn(db: Database) -> None:
    """Recreate ``patients`` from its own stored definition minus UNIQUE on mrn, keeping
    every column, index and trigger other migrations may have added."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'patients'")
    create = sql.fetchone()[0]
    marker = "mrn TEXT NOT NULL UNIQUE"
    if marker not in create:
        raise RuntimeError("patients table is not in the expected shape to drop UNIQUE(mrn)")
    extras = db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'patients'"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    columns = ", ".join(f'"{c.name}"' for c in db.table("patients").columns)
    rebuilt = create.replace(marker, "mrn TEXT NOT NULL", 1).replace(
        "CREATE TABLE patients", "CREATE TABLE patients_rebuilt", 1
    )
    db.execute(rebuilt)
    db.execute(f"INSERT INTO patients_rebuilt ({columns}) SELECT {columns} FROM patients")
    db.execute("DROP TABLE patients")
    db.execute("ALTER TABLE patients_rebuilt RENAME TO patients")
    for (statement,) in extras:
        db.execute(statement)
