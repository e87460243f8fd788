"""A referral typed into the window becomes a Case through exactly the rules of
`mdt-app import`: the form is an mdt-case/1 object and goes through `parse_case`.
There is no second set of rules in the dialog.
"""

from __future__ import annotations

from dataclasses import replace

from mdt_app import domain as d
from mdt_app.casefile import FORMAT, case_to_dict, parse_case

WHERE = "referral form"


def empty_form() -> dict:
    """An mdt-case/1 object with nothing known yet."""
    return {"format": FORMAT, "patient": {}, "referral": {}, "diagnosis": {}, "tnm": {}}


def case_from_form(form: dict) -> d.Case:
    """The Case the form describes; CaseFileError naming the field otherwise."""
    return parse_case({**form, "format": FORMAT}, WHERE)


def form_from_case(case: d.Case) -> dict:
    """A form prefilled from a stored case (for a new case of a known patient)."""
    return case_to_dict(case)


def checked_identity(patient: d.Patient) -> d.Patient:
    """A patient's identity checked by the case-file rules (MRN, names, birth date, sex)."""
    minimal = {
        "format": FORMAT,
        "patient": {
            "mrn": patient.mrn,
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "birth_date": patient.birth_date.isoformat() if patient.birth_date else None,
            "sex": patient.sex,
            "preferred_language": patient.preferred_language,
        },
    }
    checked = parse_case(minimal, "patient identity").patient
    return replace(checked, id=patient.id)
