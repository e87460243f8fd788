"""Migrations of the meeting screen's sign-off (issue 14): the recorded reason for signing
without a quorum or outside the meeting's day, and follow-up counted in weeks.

Registered on the same ``schema.migrations`` object; imported at the bottom of schema.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


@migrations()
def m140_sign_off_exception(db: Database) -> None:
    # Which rule was set aside (JSON list of decision_rules.ExceptionKind) and why. A
    # signed row is read-only (trigger), so both are written in the signing UPDATE.
    db.execute("ALTER TABLE decisions ADD COLUMN sign_off_exceptions TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE decisions ADD COLUMN sign_off_reason TEXT")


@migrations()
def m140_follow_up_weeks(db: Database) -> None:
    db.execute(
        "ALTER TABLE decisions ADD COLUMN follow_up_weeks INTEGER"
        " CHECK (follow_up_weeks IS NULL OR follow_up_weeks BETWEEN 1 AND 26)"
    )
