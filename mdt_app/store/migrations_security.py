"""Schema for issue 15: the audit hash chain and triggers that refuse REPLACE tricks.

`m150_audit_chain` adds the chain columns to the audit log and seals the entries already
there (in id order, as they stand at the upgrade; sign-offs made before it are sealed
with the decision as it stands then). New triggers close the holes plain SQLite left:
REPLACE deletes the old row without firing a delete trigger, so an `INSERT OR REPLACE`
could rewrite audit entries or a signed decision; a BEFORE INSERT trigger sees the
conflict first and refuses.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mdt_app.security.audit_chain import GENESIS, entry_hash
from mdt_app.security.signature import signed_hash
from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

_APPEND_ONLY = "the audit log is append-only"


@migrations()
def m150_audit_chain(db: Database) -> None:
    for column, kind in (
        ("role", "TEXT"),
        ("authenticated", "INTEGER NOT NULL DEFAULT 0"),
        ("signed_hash", "TEXT"),
        ("prev_hash", "TEXT"),
        ("entry_hash", "TEXT"),
    ):
        db.execute(f"ALTER TABLE audit_log ADD COLUMN {column} {kind}")
    db.execute("DROP TRIGGER audit_log_no_update")  # sealing the existing entries once
    _seal_existing(db)
    for statement in _TRIGGERS.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


def _seal_existing(db: Database) -> None:
    prev = GENESIS
    entries = list(db.query("SELECT * FROM audit_log ORDER BY id"))
    for entry in entries:
        if entry["action"] == "sign_decision" and entry["entity"] == "decision":
            entry["signed_hash"] = _legacy_signed_hash(db, entry)
        entry["prev_hash"] = prev
        entry["entry_hash"] = entry_hash(prev, entry)
        db.execute(
            "UPDATE audit_log SET signed_hash = ?, prev_hash = ?, entry_hash = ? WHERE id = ?",
            [entry["signed_hash"], entry["prev_hash"], entry["entry_hash"], entry["id"]],
        )
        prev = entry["entry_hash"]


def _legacy_signed_hash(db: Database, entry: dict) -> str | None:
    found = list(db.query("SELECT * FROM decisions WHERE id = ?", [entry["entity_id"]]))
    if not found or found[0]["status"] != "signed":
        return None
    actions = list(db.query("SELECT * FROM actions WHERE decision_id = ?", [found[0]["id"]]))
    return signed_hash(found[0], actions, json.loads(entry["details"] or "{}"))


_TRIGGERS = f"""
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '{_APPEND_ONLY}');
END;

CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit_log)
  OR NEW.entry_hash IS NULL
  OR NEW.prev_hash IS NOT coalesce(
        (SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1), '{GENESIS}')
BEGIN
    SELECT RAISE(ABORT, '{_APPEND_ONLY}; entries are added at the end of the chain');
END;

CREATE TRIGGER signed_decision_no_replace BEFORE INSERT ON decisions
WHEN NEW.status != 'draft'
  OR EXISTS (SELECT 1 FROM decisions WHERE id = NEW.id AND status = 'signed')
BEGIN
    SELECT RAISE(ABORT, 'a decision is signed only by sign-off; a signed one cannot be replaced');
END
"""


@migrations()
def m151_users(db: Database) -> None:
    """Local accounts: who may do what in the app, each with an Argon2 password hash."""
    db.execute(
        """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE
        CHECK (length(trim(username)) > 0 AND username NOT GLOB '*[^A-Za-z0-9._-]*'),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    specialty TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('chair', 'member', 'nurse', 'administrator')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2%'),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)"""
    )
    # Accounts are disabled, never deleted: the audit log names them for ever.
    db.execute(
        """
CREATE TRIGGER users_are_kept BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, 'a user account cannot be deleted; disable it');
END"""
    )
