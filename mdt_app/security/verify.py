"""`mdt-app verify` and the window's check on open: is this file what the app wrote?

On a PostgreSQL server the database-level checks are the server's (`store.pg.checks`:
the app's triggers present and enabled, every reference constraint validated); the
audit chain and the signatures are checked the same way on both backends.

Faults come back as one line each, naming where: SQLite's own integrity check, foreign
keys, the protective triggers (a dropped or altered trigger is itself evidence), the
audit chain, and every signed decision against the hash its signature recorded.
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import cache
from typing import TYPE_CHECKING, Any

from mdt_app.security.audit_chain import chain_faults
from mdt_app.security.signature import signed_hash

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

    from mdt_app.store.sqlite_handle import SQLiteDatabase


def verify_database(db: Database | Any, *, full: bool = True) -> list[str]:
    """Every fault found, one line each; empty when the database is sound.

    ``full`` adds SQLite's page-by-page integrity check and the foreign-key check (the
    command line); without it only the fast, app-level checks run (the window on open)."""
    faults: list[str] = []
    if getattr(db, "backend", "sqlite") == "postgresql":
        from mdt_app.store.pg.checks import server_faults

        faults += server_faults(db, full=full)
    else:
        if full:
            faults += integrity_faults(db)
        faults += trigger_faults(db)
    faults += chain_faults(db.query("SELECT * FROM audit_log ORDER BY id"))
    faults += signature_faults(db)
    return faults


def integrity_faults(db: Database | SQLiteDatabase) -> list[str]:
    faults = [
        f"database: {row[0]}"
        for row in db.execute("PRAGMA integrity_check").fetchall()
        if row[0] != "ok"
    ]
    for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check").fetchall():
        faults.append(f"{table} row {rowid}: refers to a {parent} row that does not exist")
    return faults


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


@cache
def expected_triggers() -> dict[str, str]:
    """The triggers the app's migrations create, from a fresh in-memory database."""
    from sqlite_utils import Database

    from mdt_app.store import schema

    fresh = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    try:
        schema.migrations.apply(fresh)
        return {
            r["name"]: _normal(r["sql"])
            for r in fresh.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        }
    finally:
        fresh.close()


def trigger_faults(db: Database) -> list[str]:
    actual = {
        r["name"]: _normal(r["sql"])
        for r in db.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    faults = []
    for name, sql in expected_triggers().items():
        if name not in actual:
            faults.append(f"trigger {name}: missing (a protection of the records was removed)")
        elif actual[name] != sql:
            faults.append(f"trigger {name}: altered (differs from the one the app created)")
    faults += [
        f"trigger {name}: not created by the app"
        for name in actual
        if name not in expected_triggers()
    ]
    return faults


def signature_faults(db: Database) -> list[str]:
    """Each signed decision against the hash recorded when it was signed (two set-based
    reads, whatever the number of decisions)."""
    decisions: dict[int, dict[str, Any]] = {}
    for row in db.query(
        "SELECT d.*, a.details AS _signature, a.signed_hash AS _signed_hash,"
        " a.id AS _entry FROM decisions d LEFT JOIN audit_log a ON a.entity = 'decision'"
        " AND a.entity_id = d.id AND a.action = 'sign_decision'"
        " WHERE d.status = 'signed' ORDER BY d.id, a.id"
    ):
        decisions[row["id"]] = row  # the latest sign-off entry of a decision wins
    actions: dict[int, list[dict[str, Any]]] = {}
    for a in db.query(
        "SELECT a.* FROM actions a JOIN decisions d ON d.id = a.decision_id"
        " WHERE d.status = 'signed'"
    ):
        actions.setdefault(a["decision_id"], []).append(a)
    faults = []
    for decision_id, row in decisions.items():
        where = f"decision {decision_id}"
        if row["_entry"] is None:
            faults.append(f"{where}: marked signed but no sign-off is recorded in the audit log")
            continue
        if not row["_signed_hash"]:
            faults.append(f"{where}: its sign-off records no hash of the signed content")
            continue
        signature = json.loads(row["_signature"] or "{}")
        if signed_hash(row, actions.get(decision_id, []), signature) != row["_signed_hash"]:
            faults.append(f"{where}: differs from what was signed (changed after sign-off)")
    return faults
