"""Care programme columns on decisions (issue 16): the team's words for the patient and
whether the plan was talked through with them.

- ``patient_explanation``: plain words for the whole plan (printed in the programme; the
  clinicians' ``plan_text`` never is).
- ``patient_option_explanations``: JSON object, option code -> plain words for that option.
- ``discussed_with_patient_on`` / ``_by``: when and by whom the plan was discussed with the
  patient; only then does the programme say the plan was agreed with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


@migrations()
def m160_patient_explanation(db: Database) -> None:
    db.execute("ALTER TABLE decisions ADD COLUMN patient_explanation TEXT NOT NULL DEFAULT ''")
    db.execute(
        "ALTER TABLE decisions ADD COLUMN patient_option_explanations TEXT NOT NULL"
        " DEFAULT '{}' CHECK (json_valid(patient_option_explanations))"
    )


@migrations()
def m160_discussed_with_patient(db: Database) -> None:
    db.execute("ALTER TABLE decisions ADD COLUMN discussed_with_patient_on TEXT")
    db.execute("ALTER TABLE decisions ADD COLUMN discussed_with_patient_by TEXT")
