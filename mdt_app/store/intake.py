"""Referrals entered by hand, unfinished referral forms, and corrections of a patient's
identity. A form is checked by the same mdt-case/1 reader `mdt-app import` uses
(`mdt_app.intake.case_from_form`); this module only stores what passed."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.errors import ValidationError
from mdt_app.store import rows, versions
from mdt_app.store.base import StoreCore
from mdt_app.store.patients import Patients

if TYPE_CHECKING:
    from mdt_app.store.agenda import Agenda, Meetings


class Intake:
    """Referrals entered by hand, the unfinished form, corrections of identity."""

    def __init__(
        self, core: StoreCore, patients: Patients, meetings: Meetings, agenda: Agenda
    ) -> None:
        self.core = core
        self.patients = patients
        self.meetings = meetings
        self.agenda = agenda

    def add_referral(
        self, case: d.Case, *, meeting_id: int | None, patient_id: int | None = None
    ) -> int:
        """Store a referral entered by hand as a NEW case: of a new patient, or (with
        ``patient_id``) of a known one; queue it on ``meeting_id``. Returns the case id."""
        if meeting_id is not None:
            meeting = self.meetings.get_meeting(meeting_id)
            if meeting.status not in ("planned", "in_progress"):
                raise ValidationError(f"meeting {meeting_id} is {meeting.status}; choose another")
        mrn = case.patient.mrn.strip()
        holder = self.patients.patient_by_mrn(mrn)
        if patient_id is None and holder is not None:
            raise ValidationError(
                f"MRN {mrn} already belongs to {holder.display_name}: choose them as a known "
                "patient to add a new case"
            )
        if patient_id is not None:
            known = self.patients.get_patient(patient_id)
            if known.mrn != mrn:
                raise ValidationError(
                    f"the form's MRN {mrn} is not {known.display_name}'s ({known.mrn}); "
                    "correct the identity with 'Edit patient identity'"
                )
        stamp = self.core.stamp()
        with self.core.atomic():
            if patient_id is None:
                system, key = self.patients.patient_identity(case.patient)
                patient_id = self.core.insert(
                    "patients",
                    {**rows.patient_row(case.patient), "identifier_system": system,
                     "identifier_key": key, "created_at": stamp, "updated_at": stamp},
                )  # fmt: skip
            case_id = self.core.insert(
                "cases",
                {**rows.case_row(case), "patient_id": patient_id, "created_at": stamp,
                 "updated_at": stamp},
            )  # fmt: skip
            for study in case.imaging:
                self.core.insert("imaging", {**rows.imaging_row(study), "case_id": case_id})
            for lab in case.labs:
                self.core.insert("labs", {**rows.lab_row(lab), "case_id": case_id})
            self.core.audit(
                "enter_referral",
                "case",
                case_id,
                {"mrn": mrn, "patient_id": patient_id, "meeting_id": meeting_id},
            )
            if meeting_id is not None:
                self.agenda.queue_case(meeting_id, case_id)
            self.core.db.execute("DELETE FROM intake_drafts WHERE actor = ?", [self.core.actor])
        return case_id

    # --- the unfinished form ------------------------------------------------------------

    def save_intake_draft(self, form: dict) -> None:
        """Keep the referral form as typed (one per user; not an audited record)."""
        with self.core.atomic():
            self.core.db.execute(
                "INSERT INTO intake_drafts (actor, saved_at, form) VALUES (?, ?, ?)"
                " ON CONFLICT(actor) DO UPDATE SET saved_at = excluded.saved_at,"
                " form = excluded.form",
                [self.core.actor, self.core.stamp(), json.dumps(form, ensure_ascii=False)],
            )

    def intake_draft(self) -> dict | None:
        found = self.core.query("SELECT form FROM intake_drafts WHERE actor = ?", [self.core.actor])
        return json.loads(found[0]["form"]) if found else None

    def discard_intake_draft(self) -> None:
        with self.core.atomic():
            self.core.db.execute("DELETE FROM intake_drafts WHERE actor = ?", [self.core.actor])

    # --- identity -----------------------------------------------------------------------

    def edit_identity(self, patient: d.Patient, reason: str) -> dict:
        """Correct a patient's name, birth date, sex, language or MRN (``patient.id``
        names them); audited with every change and the reason. Returns the changes."""
        from mdt_app.intake import checked_identity

        if not reason.strip():
            raise ValidationError("correcting a patient's identity needs a reason")
        before = self.patients.get_patient(patient.id or 0)
        new = checked_identity(patient)
        holder = self.patients.patient_by_mrn(new.mrn)
        if holder is not None and holder.id != before.id:
            raise ValidationError(f"MRN {new.mrn} already belongs to {holder.display_name}")
        old_row, new_row = rows.patient_row(before), rows.patient_row(new)
        changes = {k: {"from": old_row[k], "to": v} for k, v in new_row.items() if old_row[k] != v}
        if not changes:
            return {}
        if "mrn" in changes:  # the identity key follows the MRN, in the patient's system
            _, new_row["identifier_key"] = self.patients.patient_identity(
                replace(new, identifier_system=before.identifier_system)
            )
        with self.core.atomic():
            self.core.db.table("patients").update(
                before.id or 0, {**new_row, "updated_at": self.core.stamp()}
            )
            versions.bump(self.core, "patients", before.id or 0)
            self.core.audit(
                "edit_identity", "patient", before.id, {"changes": changes, "reason": reason}
            )
        return changes
