"""Schema for exchange with other systems (issue 18): database identity, panel referrals, notes.

- ``database_uuid`` (a setting): a random UUID made once per database. Exported FHIR
  resource ids are UUIDv5 names under it, so they are stable across exports of one
  database and never collide with another centre's "patient 1".
- ``panel_referrals``: each pseudonymised referral to an expert panel, so the panel's
  reply (which carries only the pseudonym) finds its case again.
- ``case_notes``: free-text notes on a case that are not case-file fields: pathology report
  text from an HL7 v2 ORU feed, the expert panel's reply. ``source_key`` makes re-importing
  the same message or reply change nothing.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


@migrations()
def m180_database_uuid(db: Database) -> None:
    db.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES ('database_uuid', ?)",
        [json.dumps(str(uuid.uuid4()))],
    )


@migrations()
def m180_panel_referrals(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE panel_referrals (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            pseudonym TEXT NOT NULL UNIQUE CHECK (length(pseudonym) > 0),
            question TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        )
        """
    )


@migrations()
def m180_case_notes(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE case_notes (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            kind TEXT NOT NULL CHECK (kind IN ('histology', 'imaging', 'panel_reply', 'other')),
            noted_on TEXT,
            source TEXT NOT NULL,
            source_key TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (case_id, source_key)
        )
        """
    )
    db.execute("CREATE INDEX case_notes_case ON case_notes(case_id)")
