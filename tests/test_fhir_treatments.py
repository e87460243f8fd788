"""FHIR import of the pathway 2.0 facts: pregnancy, eGFR by LOINC, prior treatments."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mdt_app.casefile import CaseFileError
from mdt_app.exchange.fhir_bundle import parse_bundle
from mdt_app.guideline import recommend

PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "identifier": [{"value": "X-1"}],
    "name": [{"family": "Nowak", "given": ["Ewa"]}],
    "gender": "female",
    "birthDate": "1990-05-01",
}
SUBJECT = {"reference": "Patient/p1"}
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


def bundle(*resources: dict) -> dict:
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": r} for r in (PATIENT, *resources)]}  # fmt: skip


def one(*resources: dict):
    [case] = parse_bundle(bundle(*resources), "t.json")
    return case


def obs(code: str, **fields: Any) -> dict:
    return {"resourceType": "Observation", "status": "final", "subject": SUBJECT,
            "code": {"coding": [{"system": LOINC, "code": code}]},
            "effectiveDateTime": "2026-11-01", **fields}  # fmt: skip


def concept(system: str, code: str, display: str = "") -> dict:
    coding = {"system": system, "code": code} | ({"display": display} if display else {})
    return {"coding": [coding]}


def test_pregnancy_status_by_loinc_82810_3():
    case = one(obs("82810-3", valueCodeableConcept=concept(SNOMED, "77386006", "Pregnant")))
    assert case.pregnancy == "pregnant"
    assert any("pregnan" in w.lower() for w in recommend(case).warnings)
    case = one(obs("82810-3", valueCodeableConcept=concept(LOINC, "LA26683-5", "Not pregnant")))
    assert case.pregnancy == "not_pregnant"


def test_latest_pregnancy_status_counts_and_unknown_stays_unknown():
    case = one(
        obs("82810-3", valueCodeableConcept=concept(SNOMED, "60001007"),
            effectiveDateTime="2026-01-01"),
        obs("82810-3", valueCodeableConcept=concept(SNOMED, "77386006"),
            effectiveDateTime="2026-11-01"),
    )  # fmt: skip
    assert case.pregnancy == "pregnant"
    case = one(obs("82810-3", valueCodeableConcept=concept(LOINC, "LA4489-6", "Unknown")))
    assert case.pregnancy is None


def test_breastfeeding():
    case = one(obs("63895-7", valueCodeableConcept=concept(LOINC, "LA33-6", "Yes")))
    assert case.pregnancy == "breastfeeding"


@pytest.mark.parametrize("code", ["33914-3", "62238-1", "98979-8"])
def test_egfr_by_loinc_becomes_the_egfr_the_pathway_reads(code):
    case = one(
        obs(code, category=[concept("http://terminology.hl7.org/CodeSystem/observation-category",
                                    "laboratory")],
            valueQuantity={"value": 42, "unit": "mL/min/{1.73_m2}"})
    )  # fmt: skip
    egfr = [lab for lab in case.labs if lab.test == "eGFR"]
    assert [(x.date, x.value) for x in egfr] == [(date(2026, 11, 1), 42.0)]
    assert any("cisplatin" in w for w in recommend(case).warnings)


def test_egfr_with_comparator_is_not_a_number():
    case = one(obs("33914-3", valueQuantity={"value": 90, "comparator": ">"}))
    assert not [lab for lab in case.labs if lab.test == "eGFR"]


def test_procedures_become_prior_treatments():
    case = one(
        {"resourceType": "Procedure", "status": "completed", "subject": SUBJECT,
         "code": {"text": "Total thyroidectomy"}, "performedDateTime": "2026-06-01"},
        {"resourceType": "Procedure", "status": "completed", "subject": SUBJECT,
         "code": concept(SNOMED, "48387007", "Tracheostomy"), "performedDateTime": "2026-06-02"},
        {"resourceType": "Procedure", "status": "completed", "subject": SUBJECT,
         "code": {"text": "IMRT to the neck"},
         "performedPeriod": {"start": "2026-07-01", "end": "2026-08-10"}},
        {"resourceType": "Procedure", "status": "not-done", "subject": SUBJECT,
         "code": {"text": "Neck dissection"}, "performedDateTime": "2026-06-01"},
    )  # fmt: skip
    got = {(t.type, t.started_on, t.ended_on) for t in case.prior_treatments}
    assert got == {
        ("total_thyroidectomy", date(2026, 6, 1), date(2026, 6, 1)),
        ("tracheostomy", date(2026, 6, 2), None),
        ("ebrt", date(2026, 7, 1), date(2026, 8, 10)),
    }
    rec = recommend(case)
    assert rec.list_of("THYROID_HORMONE_REPLACEMENT") == "recommended"
    assert rec.list_of("AIRWAY_SECURE") is None


def test_dabrafenib_and_trametinib_statements_are_one_ongoing_line():
    med = {"resourceType": "MedicationStatement", "status": "active", "subject": SUBJECT,
           "effectivePeriod": {"start": "2026-09-01"}}  # fmt: skip
    case = one(
        {**med, "id": "m1", "medicationCodeableConcept": {"text": "Dabrafenib 150 mg"}},
        {**med, "id": "m2", "medicationCodeableConcept": {"text": "Trametinib 2 mg"}},
        {"resourceType": "MedicationAdministration", "status": "completed", "subject": SUBJECT,
         "medicationCodeableConcept": {"text": "paclitaxel"},
         "effectiveDateTime": "2026-05-01"},
    )  # fmt: skip
    lines = sorted((t.type, t.started_on, t.ended_on) for t in case.prior_treatments)
    assert lines == [
        ("braf_mek", date(2026, 9, 1), None),
        ("cytotoxic_chemo", date(2026, 5, 1), date(2026, 5, 1)),
    ]


def test_a_bad_procedure_date_is_one_line_naming_the_entry():
    with pytest.raises(CaseFileError) as err:
        one({"resourceType": "Procedure", "status": "completed", "subject": SUBJECT,
             "code": {"text": "Lobectomy"}, "performedDateTime": "2026-13-45"})  # fmt: skip
    assert "Bundle entry 2" in str(err.value) and "Procedure" in str(err.value)


def test_unrelated_procedures_and_drugs_are_ignored():
    case = one(
        {"resourceType": "Procedure", "status": "completed", "subject": SUBJECT,
         "code": {"text": "Colonoscopy"}, "performedDateTime": "2026-06-01"},
        {"resourceType": "MedicationStatement", "status": "active", "subject": SUBJECT,
         "medicationCodeableConcept": {"text": "Levothyroxine"}},
    )  # fmt: skip
    assert case.prior_treatments == []


def test_the_import_report_names_what_was_read_here():
    from mdt_app.exchange.fhir_bundle import read_bundle

    result = read_bundle(
        bundle(
            obs("82810-3", valueCodeableConcept=concept(SNOMED, "77386006")),
            {"resourceType": "Procedure", "id": "pr1", "status": "completed", "subject": SUBJECT,
             "code": {"text": "Total thyroidectomy"}, "performedDateTime": "2026-06-01"},
        ),
        "t.json",
    )  # fmt: skip
    [patient] = result.patients
    assert patient.case is result.cases[0] and patient.case.pregnancy == "pregnant"
    assert patient.mapped["prior_treatments"] == "Bundle entry 3 (Procedure pr1)"
    assert patient.mapped["pregnancy"].startswith("Bundle entry 2")
    assert not [res for res, _ in patient.skipped if "Procedure" in res]
