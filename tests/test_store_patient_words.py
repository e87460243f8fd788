"""The decision fields for the patient (migrations m160_*): stored, kept on sign-off,
carried into an amendment, and read-only once signed."""

from __future__ import annotations

from datetime import date

import pytest

from mdt_app import domain as d
from tests.store_helpers import REFUSED_BY_DATABASE
from tests.test_care_programme import add_case


def test_fields_round_trip_and_are_carried_into_an_amendment(store):
    case_id, decision_id = add_case(
        store,
        patient_explanation="An operation, then radiotherapy.",
        patient_option_explanations={"SURGERY_R0R1": "In about two weeks.", "RAI": "  "},
        discussed_with_patient_on=date(2026, 11, 6),
        discussed_with_patient_by=" Dr Muñoz ",
    )
    signed = store.get_decision(decision_id)
    assert signed.patient_explanation == "An operation, then radiotherapy."
    assert signed.patient_option_explanations == {"SURGERY_R0R1": "In about two weeks."}
    assert signed.discussed_with_patient_on == date(2026, 11, 6)
    assert signed.discussed_with_patient_by == "Dr Muñoz"
    amendment = store.start_amendment(decision_id, "new scan")
    assert amendment.patient_explanation == signed.patient_explanation
    assert amendment.discussed_with_patient_by == "Dr Muñoz"


def test_signed_words_cannot_be_changed_in_place(store):
    _, decision_id = add_case(store, patient_explanation="Plain words.")
    with pytest.raises(REFUSED_BY_DATABASE, match="signed decision cannot be changed"):
        store.db.execute(
            "UPDATE decisions SET patient_explanation = 'x' WHERE id = ?", [decision_id]
        )
    assert store.get_decision(decision_id).patient_explanation == "Plain words."


def test_migrations_are_recorded_and_old_rows_read_as_not_recorded(store):
    if store.is_server:  # one base migration holds every column of the SQLite file's
        applied = {r["name"] for r in store.query("SELECT name FROM mdt_schema_migrations")}
        assert "p001_base_tables" in applied
    else:
        applied = {r["name"] for r in store.query("SELECT name FROM _sqlite_migrations")}
        assert {"m160_patient_explanation", "m160_discussed_with_patient"} <= applied
    case_id, _ = add_case(store, sign=False)
    draft = store.decisions_for_case(case_id)[0]
    assert draft.patient_explanation == "" and draft.patient_option_explanations == {}
    assert draft.discussed_with_patient_on is None and draft.discussed_with_patient_by is None
    assert isinstance(draft, d.Decision)
