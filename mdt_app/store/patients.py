"""Patients: finding one by identifier system + normalised MRN, reading one back.

An MRN is compared as imports compare it (`mdt_app.identifiers`): mdt-case files carry
no system and use the centre's default (setting `default_identifier_system`); whether a
system's identifiers are case-sensitive is the setting `identifier_systems`.
"""

from __future__ import annotations

from mdt_app import domain as d
from mdt_app.errors import NotFound, ValidationError
from mdt_app.identifiers import DEFAULT_SYSTEM, is_case_sensitive, normalise
from mdt_app.store import rows
from mdt_app.store.base import StoreCore


class Patients:
    """Patient identity lookups over the store's core."""

    def __init__(self, core: StoreCore) -> None:
        self.core = core

    def default_identifier_system(self) -> str:
        """The system of MRNs in mdt-case files (setting `default_identifier_system`)."""
        value = self.core.get_setting("default_identifier_system")
        return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_SYSTEM

    def patient_identity(self, patient: d.Patient) -> tuple[str, str]:
        """(system, comparison key) of a patient's MRN; ValidationError if unusable."""
        default = self.default_identifier_system()
        system = (patient.identifier_system or "").strip() or default
        sensitive = is_case_sensitive(system, default, self.core.get_setting("identifier_systems"))
        try:
            return system, normalise(patient.mrn, case_sensitive=sensitive)
        except ValueError as exc:
            raise ValidationError(f"MRN {patient.mrn!r}: {exc}") from None

    def find_patient_id(self, patient: d.Patient) -> int | None:
        """The stored patient with this identifier (system + normalised MRN), if any."""
        system, key = self.patient_identity(patient)
        found = self.core.query(
            "SELECT id FROM patients WHERE identifier_system = ? AND identifier_key = ?",
            [system, key],
        )
        return found[0]["id"] if found else None

    def patient_by_mrn(self, mrn: str) -> d.Patient | None:
        """The patient with this MRN in the centre's system, compared as imports do."""
        try:
            patient_id = self.find_patient_id(d.Patient(mrn, "", ""))
        except ValidationError:
            return None
        return self.get_patient(patient_id) if patient_id is not None else None

    def get_patient(self, patient_id: int) -> d.Patient:
        """One patient by id; NotFound when there is none."""
        found = self.core.query("SELECT * FROM patients WHERE id = ?", [patient_id])
        if not found:
            raise NotFound(f"no patient with id {patient_id}")
        return rows.patient_from(found[0])
