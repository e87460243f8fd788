"""Patients and cases: import (upsert by MRN), reading, editing, listing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mdt_app import domain as d
from mdt_app.errors import NotFound
from mdt_app.store import rows
from mdt_app.store.base import StoreBase, now
from mdt_app.store.decisions import DECISION_STATUS_SQL


def _now() -> str:
    return now().isoformat()


class CasesMixin(StoreBase):
    if TYPE_CHECKING:  # provided by the sibling mixins of Store

        def get_meeting(self, meeting_id: int) -> d.Meeting: ...

    def import_case(self, case: d.Case) -> tuple[int, bool]:
        """Add or update a case from a case file: (case id, whether anything changed).

        A patient is found by MRN and updated, never duplicated. Imaging and labs
        already stored are kept; entries from the file not yet stored are added, so
        importing the same file twice changes nothing. Call inside `atomic()`.
        """
        found = self.query("SELECT * FROM patients WHERE mrn = ?", [case.patient.mrn.strip()])
        stamp = _now()
        changed = False
        if found:
            patient_id = found[0]["id"]
            new = rows.patient_row(case.patient)
            if any(found[0][k] != v for k, v in new.items()):
                self.db.table("patients").update(patient_id, {**new, "updated_at": stamp})
                changed = True
        else:
            patient_id = self.insert(
                "patients",
                {**rows.patient_row(case.patient), "created_at": stamp, "updated_at": stamp},
            )
            changed = True
        existing = self.query(
            "SELECT * FROM cases WHERE patient_id = ? ORDER BY id DESC LIMIT 1", [patient_id]
        )
        values = rows.case_row(case)
        if existing:
            case_id = existing[0]["id"]
            if any(existing[0][k] != v for k, v in values.items()):
                self.db.table("cases").update(case_id, {**values, "updated_at": stamp})
                changed = True
        else:
            case_id = self.insert(
                "cases",
                {**values, "patient_id": patient_id, "created_at": stamp, "updated_at": stamp},
            )
            changed = True
        added = self._merge_entries(case_id, case)
        if changed or added:
            self.audit(
                "import_case",
                "case",
                case_id,
                {"mrn": case.patient.mrn, "new_imaging_or_labs": added, "updated": changed},
            )
        return case_id, changed or added > 0

    def _merge_entries(self, case_id: int, case: d.Case) -> int:
        added = 0
        for table, new_rows in _entry_rows(case):
            have = {
                tuple((k, r[k]) for k in sorted(r) if k not in ("id", "case_id"))
                for r in self.query(f"SELECT * FROM {table} WHERE case_id = ?", [case_id])
            }
            for row in new_rows:
                if tuple(sorted(row.items())) not in have:
                    self.insert(table, {**row, "case_id": case_id})
                    have.add(tuple(sorted(row.items())))
                    added += 1
        return added

    def get_case(self, case_id: int) -> d.Case:
        found = self.get_cases([case_id])
        if case_id not in found:
            raise NotFound(f"no case with id {case_id}")
        return found[case_id]

    def get_cases(self, case_ids: list[int]) -> dict[int, d.Case]:
        """Several cases by id in four statements, whatever their number (unknown ids absent)."""
        ids = json.dumps(sorted(set(case_ids)))
        among = "IN (SELECT value FROM json_each(?))"
        found = self.query(f"SELECT * FROM cases WHERE id {among}", [ids])
        patients = {
            r["id"]: rows.patient_from(r)
            for r in self.query(
                "SELECT * FROM patients WHERE id IN"
                f" (SELECT patient_id FROM cases WHERE id {among})",
                [ids],
            )
        }
        imaging: dict[int, list[d.ImagingStudy]] = {}
        for r in self.query(
            f"SELECT * FROM imaging WHERE case_id {among} ORDER BY date DESC, id DESC", [ids]
        ):
            imaging.setdefault(r["case_id"], []).append(rows.imaging_from(r))
        labs: dict[int, list[d.LabResult]] = {}
        for r in self.query(
            f"SELECT * FROM labs WHERE case_id {among} ORDER BY test, date, id", [ids]
        ):
            labs.setdefault(r["case_id"], []).append(rows.lab_from(r))
        return {
            row["id"]: rows.case_from(
                row,
                patients[row["patient_id"]],
                imaging.get(row["id"], []),
                labs.get(row["id"], []),
            )
            for row in found
        }

    def update_case(self, case: d.Case, *, reason: str | None = None) -> None:
        """Save a case edited in the app: its fields, patient, imaging and labs as given."""
        case_id = case.id
        if case_id is None:
            raise NotFound("the case has no id; import it first")
        before = self.get_case(case_id)
        patient_id = before.patient.id or 0
        stamp = _now()
        with self.atomic():
            self.db.table("patients").update(
                patient_id, {**rows.patient_row(case.patient), "updated_at": stamp}
            )
            self.db.table("cases").update(case_id, {**rows.case_row(case), "updated_at": stamp})
            for table, new_rows in _entry_rows(case):
                self.db.execute(f"DELETE FROM {table} WHERE case_id = ?", [case_id])
                for row in new_rows:
                    self.insert(table, {**row, "case_id": case_id})
            self.audit(
                "edit_case",
                "case",
                case_id,
                {"changes": _differences(before, case), "reason": reason},
            )

    def case_ids(self) -> list[int]:
        return [r["id"] for r in self.query("SELECT id FROM cases ORDER BY id")]

    def find_case_by_mrn(self, mrn: str) -> int | None:
        found = self.query(
            "SELECT cases.id FROM cases JOIN patients ON patients.id = cases.patient_id"
            " WHERE patients.mrn = ? ORDER BY cases.id DESC LIMIT 1",
            [mrn.strip()],
        )
        return found[0]["id"] if found else None

    def list_cases(self, meeting_id: int | None = None) -> list[d.CaseRow]:
        """Cases with their agenda place: on one meeting, or each on its latest meeting."""
        from mdt_app.staging import stage_for

        if meeting_id is not None:
            self.get_meeting(meeting_id)
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
        for r in self.query(sql, params):
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
    """The case's imaging and lab rows, by table."""
    return [
        ("imaging", [rows.imaging_row(i) for i in case.imaging]),
        ("labs", [rows.lab_row(x) for x in case.labs]),
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
