"""Patients and cases: reading, editing, listing (importing is in `case_import`)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from mdt_app import domain as d
from mdt_app.errors import NotFound, ValidationError
from mdt_app.store import rows, rows_v2, versions
from mdt_app.store.base import StoreCore
from mdt_app.store.decisions import DECISION_STATUS_SQL
from mdt_app.store.patients import Patients

if TYPE_CHECKING:
    from mdt_app.store.agenda import Meetings


class Cases:
    """Patients' cases: reading, editing in the app, listing with their agenda place."""

    def __init__(self, core: StoreCore, patients: Patients, meetings: Meetings) -> None:
        self.core = core
        self.patients = patients
        self.meetings = meetings

    def get_case(self, case_id: int) -> d.Case:
        found = self.get_cases([case_id])
        if case_id not in found:
            raise NotFound(f"no case with id {case_id}")
        return found[case_id]

    def get_cases(self, case_ids: list[int]) -> dict[int, d.Case]:
        """Several cases by id in five statements, whatever their number (unknown ids absent)."""
        ids = json.dumps(sorted(set(case_ids)))
        among = self.core.dialect.id_list()
        found = self.core.query(f"SELECT * FROM cases WHERE id {among}", [ids])
        patients = {
            r["id"]: rows.patient_from(r)
            for r in self.core.query(
                "SELECT * FROM patients WHERE id IN"
                f" (SELECT patient_id FROM cases WHERE id {among})",
                [ids],
            )
        }
        imaging: dict[int, list[d.ImagingStudy]] = {}
        for r in self.core.query(
            f"SELECT * FROM imaging WHERE case_id {among} ORDER BY date DESC, id DESC", [ids]
        ):
            imaging.setdefault(r["case_id"], []).append(rows.imaging_from(r))
        labs: dict[int, list[d.LabResult]] = {}
        for r in self.core.query(
            f"SELECT * FROM labs WHERE case_id {among} ORDER BY test, date, id", [ids]
        ):
            labs.setdefault(r["case_id"], []).append(rows.lab_from(r))
        cases = {
            row["id"]: rows.case_from(
                row,
                patients[row["patient_id"]],
                imaging.get(row["id"], []),
                labs.get(row["id"], []),
            )
            for row in found
        }
        for r in self.core.query(  # pathway 2.0: what each patient has already had
            f"SELECT * FROM prior_treatments WHERE case_id {among} ORDER BY started_on, id",
            [ids],
        ):
            cases[r["case_id"]].prior_treatments.append(rows_v2.treatment_from(r))
        return cases

    def update_case(self, case: d.Case, *, reason: str | None = None) -> d.Case:
        """Save a case edited in the app: its fields, patient, imaging and labs as given.

        ``case.version`` is the version the editor opened: if the case was changed since
        (another window, an import), ConflictError names what differs and nothing is
        written. Returns the case as stored.
        """
        case_id = case.id
        if case_id is None:
            raise NotFound("the case has no id; import it first")
        with self.core.atomic():
            before = self.get_case(case_id)
            name = before.patient.display_name
            if case.version and case.version != before.version:
                versions.require_version(
                    self.core,
                    "cases",
                    "case",
                    case_id,
                    case.version,
                    f"The case of {name} (MRN {before.patient.mrn})",
                    changes=_differences(before, case),
                    current=before,
                )
            changes = _differences(before, case)
            if not changes:
                return before
            patient_id = before.patient.id or 0
            stamp = self.core.stamp()
            patient = rows.patient_row(case.patient)
            if patient["mrn"] != before.patient.mrn:
                system, key = self.patients.patient_identity(
                    replace(case.patient, identifier_system=before.patient.identifier_system)
                )
                other = self.patients.find_patient_id(
                    replace(case.patient, identifier_system=system)
                )
                if other is not None and other != patient_id:
                    raise ValidationError(
                        f"MRN {patient['mrn']} already belongs to another stored patient"
                        f" (patient {other}); nothing was saved"
                    )
                patient["identifier_key"] = key
            self.core.db.table("patients").update(patient_id, {**patient, "updated_at": stamp})
            versions.bump(self.core, "patients", patient_id)
            self.core.db.table("cases").update(
                case_id, {**rows.case_row(case), "updated_at": stamp}
            )
            for table, new_rows in _entry_rows(case):
                self.core.db.execute(f"DELETE FROM {table} WHERE case_id = ?", [case_id])
                for row in new_rows:
                    self.core.insert(table, {**row, "case_id": case_id})
            versions.bump(self.core, "cases", case_id)
            self.core.audit(
                "edit_case",
                "case",
                case_id,
                {"changes": changes, "reason": reason, "version": before.version + 1},
            )
        return self.get_case(case_id)

    def case_ids(self) -> list[int]:
        return [r["id"] for r in self.core.query("SELECT id FROM cases ORDER BY id")]

    def find_case_by_mrn(self, mrn: str, system: str | None = None) -> int | None:
        """The latest case of the patient with this MRN, compared as imports compare it.

        With a ``system``: that identifier system only. Without one: the centre's default
        system first, else the one patient of any system whose stored MRN is this text
        (None when several systems hold it: which one is meant cannot be known).
        """
        try:
            patient_id = self.patients.find_patient_id(
                d.Patient(mrn, "", "", identifier_system=system)
            )
        except ValidationError:
            return None
        if patient_id is None and system is None:
            same_text = self.core.query("SELECT id FROM patients WHERE mrn = ?", [mrn.strip()])
            patient_id = same_text[0]["id"] if len(same_text) == 1 else None
        found = self.core.query(
            "SELECT id FROM cases WHERE patient_id = ? ORDER BY id DESC LIMIT 1", [patient_id]
        )
        return found[0]["id"] if found else None

    def list_cases(self, meeting_id: int | None = None) -> list[d.CaseRow]:
        """Cases with their agenda place: on one meeting, or each on its latest meeting."""
        from mdt_app.staging import stage_for

        if meeting_id is not None:
            self.meetings.get_meeting(meeting_id)
            join = "JOIN agenda_items a ON a.case_id = c.id AND a.meeting_id = ?"
            params: list[Any] = [meeting_id]
            order = "a.position"
        else:
            join = (
                "LEFT JOIN agenda_items a ON a.id = (SELECT a2.id FROM agenda_items a2"
                " JOIN meetings m2 ON m2.id = a2.meeting_id WHERE a2.case_id = c.id"
                " ORDER BY m2.date DESC, a2.id DESC LIMIT 1)"
            )
            params = []
            order = "c.id"
        sql = (
            "SELECT c.id, c.t, c.n, c.m, c.referred_on, c.diagnosed_on, c.urgent,"
            " p.mrn, p.given_name, p.family_name, p.birth_date,"
            " a.id AS item_id, a.meeting_id, a.position, a.status AS agenda_status,"
            f" {DECISION_STATUS_SQL} AS decision_status"
            f" FROM cases c JOIN patients p ON p.id = c.patient_id {join} ORDER BY {order}"
        )
        out = []
        for r in self.core.query(sql, params):
            stage = stage_for(d.TNM(r["t"], r["n"], r["m"])).stage
            out.append(
                d.CaseRow(
                    id=r["id"],
                    mrn=r["mrn"],
                    patient=f"{r['given_name']} {r['family_name']}".strip(),
                    birth_date=rows.day(r["birth_date"]),
                    stage=stage,
                    meeting_id=r["meeting_id"],
                    agenda_item_id=r["item_id"],
                    position=r["position"],
                    agenda_status=r["agenda_status"],
                    decision_status=r["decision_status"],
                    referred_on=rows.day(r["referred_on"]),
                    diagnosed_on=rows.day(r["diagnosed_on"]),
                    urgent=rows.unflag(r["urgent"]),
                )
            )
        return out


def _entry_rows(case: d.Case) -> list[tuple[str, list[dict]]]:
    """The case's imaging, lab and prior-treatment rows, by table."""
    return [
        ("imaging", [rows.imaging_row(i) for i in case.imaging]),
        ("labs", [rows.lab_row(x) for x in case.labs]),
        ("prior_treatments", [rows_v2.treatment_row(t) for t in case.prior_treatments]),
    ]


def _differences(before: d.Case, after: d.Case) -> dict:
    """Field-level changes of an edit, for the audit log."""
    from mdt_app.casefile import case_to_dict

    old, new = case_to_dict(before), case_to_dict(after)
    changes: dict = {}
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            changes[key] = {"from": old.get(key), "to": new.get(key)}
    return changes
