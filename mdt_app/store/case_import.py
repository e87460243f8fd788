"""Importing cases so that what is stored is respected.

- A patient is found by identifier system + normalised value (`mdt_app.identifiers`);
  mdt-case files carry no system and use the centre's default (setting
  `default_identifier_system`).
- The same identifier with another birth date or a clearly different name is refused,
  naming both records: never a silent overwrite of another person.
- An update merges (`mdt_app.case_merge`): absent fields keep their stored value,
  changed fields are audited with before and after, labs and imaging merge by key.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.case_merge import fact_differences, merge_case
from mdt_app.errors import ValidationError
from mdt_app.store import rows, rows_v2, versions
from mdt_app.store.base import StoreCore
from mdt_app.store.patients import Patients

if TYPE_CHECKING:
    from mdt_app.store.cases import Cases


class CaseImports:
    """Cases arriving from files and hospital systems, merged into what is stored."""

    def __init__(self, core: StoreCore, patients: Patients, cases: Cases) -> None:
        self.core = core
        self.patients = patients
        self.cases = cases

    def import_case(self, case: d.Case) -> tuple[int, bool]:
        """Add or merge a case from a file: (case id, whether anything changed).

        Runs in its own transaction, or as part of the caller's (`mdt-app import` puts a
        whole batch in one). Importing the same file twice changes nothing.
        """
        with self.core.atomic():
            return self._import_case(case)

    def _import_case(self, case: d.Case) -> tuple[int, bool]:
        stamp = self.core.stamp()
        if case.patient.id is not None:
            # A case built on a stored one (an HL7 v2 update, a merge): that patient.
            found = self.core.query("SELECT * FROM patients WHERE id = ?", [case.patient.id])
            if not found:
                raise ValidationError(f"no stored patient with id {case.patient.id}")
            system, key = found[0]["identifier_system"], found[0]["identifier_key"]
        else:
            system, key = self.patients.patient_identity(case.patient)
            found = self.core.query(
                "SELECT * FROM patients WHERE identifier_system = ? AND identifier_key = ?",
                [system, key],
            )
        if not found:
            patient_id = self.core.insert(
                "patients",
                {
                    **rows.patient_row(case.patient),
                    "identifier_system": system,
                    "identifier_key": key,
                    "created_at": stamp,
                    "updated_at": stamp,
                },
            )
        else:
            patient_id = found[0]["id"]
            _refuse_another_person(rows.patient_from(found[0]), case, system)
        existing = self.core.query(
            "SELECT id FROM cases WHERE patient_id = ? ORDER BY id DESC LIMIT 1", [patient_id]
        )
        if not existing:
            case_id = self.core.insert(
                "cases",
                {
                    **rows.case_row(case),
                    "patient_id": patient_id,
                    "created_at": stamp,
                    "updated_at": stamp,
                },
            )
            self._write_entries(case_id, case)
            self.core.audit(
                "import_case",
                "case",
                case_id,
                {"mrn": case.patient.mrn, "system": system, "new": True, "version": 1},
            )
            return case_id, True
        case_id = existing[0]["id"]
        stored = self.cases.get_case(case_id)
        merged = merge_case(stored, case)
        changes = _changes(stored, merged)
        if not changes:
            return case_id, False
        patient_values = rows.patient_row(merged.patient)
        patient_values.pop("mrn")  # identity is matched, never rewritten by an import
        if any(k.startswith("patient.") for k in changes):
            self.core.db.table("patients").update(
                patient_id, {**patient_values, "updated_at": stamp}
            )
            versions.bump(self.core, "patients", patient_id)
        self.core.db.table("cases").update(case_id, {**rows.case_row(merged), "updated_at": stamp})
        if "imaging" in changes or "labs" in changes:
            self._write_entries(case_id, merged, replace_all=True)
        versions.bump(self.core, "cases", case_id)
        self.core.audit(
            "import_case",
            "case",
            case_id,
            {
                "mrn": case.patient.mrn,
                "system": system,
                "new": False,
                "version": stored.version + 1,
                "changes": changes,
            },
        )
        return case_id, True

    def _write_entries(self, case_id: int, case: d.Case, *, replace_all: bool = False) -> None:
        for table, new_rows in (
            ("imaging", [rows.imaging_row(i) for i in case.imaging]),
            ("labs", [rows.lab_row(x) for x in case.labs]),
            ("prior_treatments", [rows_v2.treatment_row(t) for t in case.prior_treatments]),
        ):
            if replace_all:
                self.core.db.execute(f"DELETE FROM {table} WHERE case_id = ?", [case_id])
            self.core.insert_many(table, [{**row, "case_id": case_id} for row in new_rows])


def _changes(before: d.Case, after: d.Case) -> dict:
    """Field-level before/after of a merge, for the audit log."""
    from mdt_app.casefile import case_to_dict

    return {
        key: {"from": old, "to": new}
        for key, old, new in fact_differences(case_to_dict(before), case_to_dict(after))
    }


def _name_tokens(patient: d.Patient) -> set[str]:
    text = unicodedata.normalize("NFKD", patient.display_name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return {t for t in "".join(c if c.isalnum() else " " for c in text).split() if t}


def _describe(p: d.Patient) -> str:
    born = p.birth_date.isoformat() if p.birth_date else "birth date not known"
    return f"{p.display_name or '(no name)'}, born {born}"


def _refuse_another_person(stored: d.Patient, case: d.Case, system: str) -> None:
    """The same identifier on what is clearly another person: refuse, naming both."""
    incoming = case.patient
    present = case.present
    gives = (lambda path: True) if present is None else (lambda path: path in present)
    problem = None
    if (
        gives("patient.birth_date")
        and incoming.birth_date
        and stored.birth_date
        and incoming.birth_date != stored.birth_date
    ):
        problem = "another birth date"
    elif (
        _name_tokens(incoming)
        and _name_tokens(stored)
        and not (_name_tokens(incoming) & _name_tokens(stored))
    ):
        problem = "a different name"
    if problem:
        raise ValidationError(
            f"MRN {incoming.mrn} ({system}) has {problem}: the file says "
            f"{_describe(incoming)}, the stored patient {stored.id} is {_describe(stored)}; "
            "refused - check the identifier (nothing was imported)"
        )
