"""Schema for the case fields of pathway 2.0 (contracts: "Additional fields").

New columns on `cases` (NULL = not known, as in the case file) and a `prior_treatments`
table, one row per treatment the patient has had. Registered on the shared
`schema.migrations`; names start with m100_ so they never clash with other topics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.store.schema import _in, migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


@migrations()
def m100_pathway_v2_case_fields(db: Database) -> None:
    columns = (
        f"atc_extent TEXT CHECK (atc_extent IS NULL OR atc_extent IN {_in(d.ATC_EXTENT)})",
        "coexisting_dtc TEXT CHECK (coexisting_dtc IS NULL OR coexisting_dtc IN "
        f"{_in(d.COEXISTING_DTC)})",
        "operable INTEGER CHECK (operable IS NULL OR operable IN (0, 1))",
        f"pregnancy TEXT CHECK (pregnancy IS NULL OR pregnancy IN {_in(d.PREGNANCY)})",
        f"braf_method TEXT CHECK (braf_method IS NULL OR braf_method IN {_in(d.BRAF_METHODS)})",
        f"sequencing TEXT CHECK (sequencing IS NULL OR sequencing IN {_in(d.SEQUENCING)})",
    )
    for column in columns:
        db.execute(f"ALTER TABLE cases ADD COLUMN {column}")
    db.execute(
        f"""
        CREATE TABLE prior_treatments (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            type TEXT NOT NULL CHECK (type IN {_in(d.PRIOR_TREATMENT_TYPES)}),
            started_on TEXT,
            ended_on TEXT CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on),
            response TEXT CHECK (response IS NULL OR response IN {_in(d.RESPONSES)}),
            note TEXT
        )
        """
    )
    db.execute("CREATE INDEX prior_treatments_case ON prior_treatments(case_id)")
