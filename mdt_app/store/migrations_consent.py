"""Migration: the patient's consent (discussion, registry, research) on each case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


def _answer_column(topic: str) -> str:
    allowed = ", ".join(f"'{v}'" for v in d.CONSENT_ANSWERS)
    column = f"consent_{topic}"
    check = f"CHECK ({column} IS NULL OR {column} IN ({allowed}))"
    return f"ALTER TABLE cases ADD COLUMN {column} TEXT {check}"


@migrations()
def m090_consent(db: Database) -> None:
    for topic in d.CONSENT_TOPICS:
        db.execute(_answer_column(topic))
    db.execute("ALTER TABLE cases ADD COLUMN consent_recorded_on TEXT")
    db.execute("ALTER TABLE cases ADD COLUMN consent_recorded_by TEXT")
