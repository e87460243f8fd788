"""Migration: what a case's TNM rests on (clinical or pathological), issue 18.

The FHIR export codes T, N and M with the clinical or the pathological SNOMED CT axis
and value codes, so the basis has to be stored with the case to come back unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


@migrations()
def m190_tnm_basis(db: Database) -> None:
    allowed = ", ".join(f"'{v}'" for v in d.TNM_BASES)
    db.execute(
        "ALTER TABLE cases ADD COLUMN tnm_basis TEXT"
        f" CHECK (tnm_basis IS NULL OR tnm_basis IN ({allowed}))"
    )
