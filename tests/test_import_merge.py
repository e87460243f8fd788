"""Imports that respect what is stored (issue 11, point 4)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest

from mdt_app import cli
from mdt_app.casefile import parse_document
from mdt_app.decision_currency import changes_since_signed, older_data_note
from mdt_app.errors import ValidationError
from mdt_app.exchange import read_cases
from tests import backend_helpers
from tests import store_helpers as h
from tests.conftest import FIXTURES

FULL = json.loads((FIXTURES / "import" / "valid_case.json").read_text(encoding="utf-8"))
BUNDLE = json.loads((FIXTURES / "import" / "fhir_bundle.json").read_text(encoding="utf-8"))


def _doc(**patient) -> dict:
    doc = copy.deepcopy(FULL)
    doc["patient"].update(patient)
    return doc


def _import(store, doc) -> tuple[int, bool]:
    (case,) = parse_document(doc, "test.json")
    with store.atomic():
        return store.import_case(case)


def test_partial_re_import_keeps_tnm_ecog_and_biomarkers(store):
    case_id, _ = _import(store, FULL)
    labs_only = {
        "format": "mdt-case/1",
        "patient": {"mrn": "H123456", "family_name": "Łukasiewicz-Ångström"},
        "labs": [{"date": "2026-11-20", "test": "TSH", "value": 3.3, "low": 0.4, "high": 4.0}],
    }
    assert _import(store, labs_only) == (case_id, True)
    stored = store.get_case(case_id)
    assert str(stored.tnm) == "T4a N1a M0"
    assert stored.ecog == 1
    assert stored.biomarkers.braf_v600e == "positive" and stored.biomarkers.tmb_mut_per_mb == 14
    assert stored.diagnosis.confirmed_by == "core_biopsy"
    assert stored.patient.given_name == "Zoë" and str(stored.patient.birth_date) == "1951-04-02"
    assert len(stored.labs) == 3  # the new TSH beside the two stored results


def test_present_field_replaces_and_is_audited_before_after(store):
    case_id, _ = _import(store, FULL)
    doc = {"format": "mdt-case/1", "patient": {"mrn": "H123456", "family_name": "Ł"}, "ecog": 3}
    doc["patient"]["family_name"] = FULL["patient"]["family_name"]
    _import(store, doc)
    assert store.get_case(case_id).ecog == 3
    entry = store.audit_log("case", case_id)[-1]
    assert entry.action == "import_case"
    assert entry.details["changes"]["ecog"] == {"from": 1, "to": 3}


def test_labs_merge_by_date_and_test(store):
    case_id, _ = _import(store, FULL)
    corrected = {
        "format": "mdt-case/1",
        "patient": {"mrn": "H123456", "given_name": "Zoë"},
        "labs": [{"date": "2026-10-29", "test": "TSH", "value": 2.4, "low": 0.4, "high": 4.0}],
    }
    _import(store, corrected)
    labs = store.get_case(case_id).labs
    tsh = [x for x in labs if x.test == "TSH"]
    assert [x.value for x in tsh] == [2.4]  # the corrected result replaced the stored one
    assert any(x.test == "Calcium (adjusted)" for x in labs)  # not in the file: kept


def test_importing_the_same_file_twice_changes_nothing(store):
    first = _import(store, FULL)
    assert _import(store, FULL) == (first[0], False)
    assert len(store.audit_log("case", first[0])) == 1


@pytest.mark.parametrize("mrn", ["h123456", "  H123456 ", "Ｈ123456"])
def test_mrn_is_normalised_for_the_centres_system(store, mrn):
    case_id, _ = _import(store, FULL)
    assert _import(store, _doc(mrn=mrn))[0] == case_id
    assert len(store.case_ids()) == 1
    assert store.get_case(case_id).patient.mrn == "H123456"  # the stored text is kept


def test_mrn_with_a_zero_width_space_is_refused(store):
    _import(store, FULL)
    with pytest.raises(ValidationError, match="U\\+200B"):
        _import(store, _doc(mrn="H123\u200b456"))
    assert len(store.case_ids()) == 1


def test_same_identifier_other_birth_date_is_refused_naming_both(store):
    _import(store, FULL)
    with pytest.raises(ValidationError) as info:
        _import(store, _doc(given_name="Zoë", birth_date="1960-01-01"))
    message = str(info.value)
    assert "another birth date" in message
    assert "1960-01-01" in message and "1951-04-02" in message and "nothing was imported" in message
    assert str(store.get_case(store.case_ids()[0]).patient.birth_date) == "1951-04-02"


def test_same_identifier_clearly_different_name_is_refused(store):
    _import(store, FULL)
    with pytest.raises(ValidationError, match="different name"):
        _import(store, _doc(given_name="Robert", family_name="Brown"))
    assert store.get_case(store.case_ids()[0]).patient.given_name == "Zoë"


def test_same_value_in_another_identifier_system_is_another_patient(store):
    _import(store, FULL)
    (case,) = parse_document(_doc(given_name="Robert", family_name="Brown"), "other.json")
    case.patient.identifier_system = "http://other-hospital.example/mrn"
    with store.atomic():
        other_id, _ = store.import_case(case)
    assert len(store.case_ids()) == 2
    assert store.get_case(other_id).patient.display_name == "Robert Brown"
    assert store.get_case(store.case_ids()[0]).patient.display_name.startswith("Zoë")


def test_default_identifier_system_is_a_setting(store):
    store.set_setting("default_identifier_system", "urn:oid:1.2.3.4")
    case_id, _ = _import(store, FULL)
    assert store.get_case(case_id).patient.identifier_system == "urn:oid:1.2.3.4"


def test_cli_refusal_names_both_records_and_imports_nothing(tmp_path, db_location, capsys):
    db = db_location
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(FULL), encoding="utf-8")
    second.write_text(json.dumps(_doc(birth_date="1970-02-02")), encoding="utf-8")
    assert cli.main(["import", str(first), "--db", str(db)]) == 0
    capsys.readouterr()
    before = backend_helpers.digest(db)
    assert cli.main(["import", str(second), "--db", str(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "1970-02-02" in err[0] and "1951-04-02" in err[0]
    assert backend_helpers.digest(db) == before


def test_fhir_bundle_without_diagnosis_keeps_the_stored_diagnosis_and_tnm(store, tmp_path):
    case_id, _ = _import(store, FULL)
    doc = copy.deepcopy(BUNDLE)
    keep = ("Patient", "Observation")
    doc["entry"] = [e for e in doc["entry"] if e["resource"]["resourceType"] in keep]
    doc["entry"] = [
        e
        for e in doc["entry"]
        if e["resource"]["resourceType"] == "Patient"
        or "referenceRange" in e["resource"]  # lab results only
    ]
    path = tmp_path / "labs.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    cases = read_cases(path)
    patient = cases[0]
    patient.patient.identifier_system = None  # the fixture's MR system: treat as ours
    with store.atomic():
        for case in cases:
            if case.patient.mrn == "H123456":
                assert store.import_case(case)[0] == case_id
    stored = store.get_case(case_id)
    assert str(stored.tnm) == "T4a N1a M0" and stored.ecog == 1
    assert stored.diagnosis.histology == "anaplastic_thyroid_carcinoma"
    assert stored.biomarkers.braf_v600e == "positive"


# --- the signed decision keeps the facts it was made on --------------------------------------


def test_signed_decision_keeps_a_snapshot_and_flags_older_data(store):
    _, item, draft = h.meeting_with_draft(store)
    signed = store.sign_decision(draft.id, "Dr Chair")
    assert signed.case_snapshot["tnm"] == {"t": "T4a", "n": "N1a", "m": "M0", "basis": None}
    assert signed.options_snapshot is not None
    assert store.older_data(signed) == []
    _import(store, {"format": "mdt-case/1", "patient": {"mrn": "H123456", "given_name": "Zoë"},
                    "tnm": {"m": "M1"}, "metastases": {"sites": ["lung"]}})  # fmt: skip
    changes = store.older_data(store.get_decision(signed.id))
    fields = {c.field for c in changes}
    assert {"tnm.m", "metastases.sites"} <= fields
    note = older_data_note(changes)
    assert note.startswith("Made on older data") and "tnm.m M0 → M1" in note
    # The signed record itself is untouched.
    assert store.get_decision(signed.id).case_snapshot == signed.case_snapshot


def test_unsigned_or_pre_snapshot_decisions_are_not_flagged(store):
    _, _, draft = h.meeting_with_draft(store)
    case = store.get_case(draft.case_id)
    assert changes_since_signed(draft, replace(case, ecog=4)) == []
    signed = replace(store.sign_decision(draft.id, "Dr Chair"), case_snapshot=None)
    assert changes_since_signed(signed, replace(case, ecog=4)) == []


def test_reimporting_the_apps_own_fhir_minutes_changes_nothing(demo_db, tmp_path, capsys):
    from mdt_app.store import open_store

    with open_store(demo_db) as store:
        meeting_id = store.list_meetings()[-1].id
        before = {cid: store.get_case(cid) for cid in store.case_ids()}
    out = tmp_path / "minutes.json"
    assert cli.main(["minutes", str(meeting_id), "--output", str(out), "--db", str(demo_db)]) == 0
    assert cli.main(["import", str(out), "--db", str(demo_db)]) == 0
    assert "0 new or updated" in capsys.readouterr().out
    with open_store(demo_db) as store:
        after = {cid: store.get_case(cid) for cid in store.case_ids()}
    assert after == before  # same patients (same identifier system), nothing blanked


def test_two_results_of_one_test_on_one_day_both_stay(store):
    case_id, _ = _import(store, FULL)
    twice = {
        "format": "mdt-case/1",
        "patient": {"mrn": "H123456", "given_name": "Zoë"},
        "labs": [
            {"date": "2026-11-21", "test": "Calcium (adjusted)", "value": 2.9},
            {"date": "2026-11-21", "test": "Calcium (adjusted)", "value": 2.7},
        ],
    }
    _import(store, twice)
    _import(store, twice)  # and importing it again changes nothing
    values = [x.value for x in store.get_case(case_id).labs if str(x.date) == "2026-11-21"]
    assert sorted(values) == [2.7, 2.9]
