"""Minutes FHIR export then import: the same cases; ids stable per database, unique across."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from mdt_app.casefile import case_to_dict
from mdt_app.documents.minutes import export_minutes
from mdt_app.exchange.importer import import_files
from mdt_app.exchange.report import CREATED, UNCHANGED
from mdt_app.store import open_store
from tests import mcode_profiles

PROFILE_NAMES = {
    mcode_profiles.MCODE + "mcode-" + name: name
    for name in (
        "cancer-patient",
        "primary-cancer-condition",
        "tnm-primary-tumor-category",
        "tnm-regional-nodes-category",
        "tnm-distant-metastases-category",
        "tnm-stage-group",
        "ecog-performance-status",
        "genomic-variant",
    )
}


def export(store, meeting_id: int, path: Path, **kw) -> dict:
    export_minutes(store, meeting_id, path, **kw)
    return json.loads(path.read_text(encoding="utf-8"))


def cases_of(store, meeting_id: int) -> dict[str, dict]:
    out = {}
    for item in store.agenda(meeting_id):
        data = case_to_dict(store.get_case(item.case_id))
        out[data["patient"]["mrn"]] = data
    return out


def ids(bundle: dict) -> set[str]:
    return {e["fullUrl"] for e in bundle["entry"]} | {e["resource"]["id"] for e in bundle["entry"]}


@pytest.fixture
def exported(demo_store, tmp_path):
    """Every demo meeting exported once."""
    return {
        m.id: export(demo_store, m.id, tmp_path / f"m{m.id}.json")
        for m in demo_store.list_meetings()
    }


def test_round_trip_into_an_empty_database_gives_the_same_cases(demo_store, exported, tmp_path):
    empty = open_store(tmp_path / "empty.db", actor="tester")
    paths = []
    for meeting_id, bundle in exported.items():
        path = tmp_path / f"m{meeting_id}.json"
        assert json.loads(path.read_text(encoding="utf-8")) == bundle
        paths.append(path)
    report = import_files(empty, paths)
    assert report.count(CREATED) == len({p.mrn for p in report.patients})
    compared = 0
    for meeting in demo_store.list_meetings():
        for mrn, before in cases_of(demo_store, meeting.id).items():
            after = case_to_dict(empty.get_case(empty.find_case_by_mrn(mrn)))
            assert after == before, mrn
            compared += 1
    assert compared >= 14
    # the demo has histology, TNM, ECOG, biomarkers, labs, imaging, referral, goals, airway
    sample = [case_to_dict(empty.get_case(i)) for i in empty.case_ids()]
    assert any(c["biomarkers"]["braf_v600e"] == "positive" for c in sample)
    assert any(c["labs"] and c["imaging"] and c["referral"]["question"] for c in sample)
    assert any(c["goals_of_care"] and c["airway"] != "unknown" for c in sample)
    # the TNM basis travels as the cT/pT axis and value codes and comes back as given
    assert {c["tnm"]["basis"] for c in sample} == {"clinical", "pathological"}
    empty.close()


def test_reimporting_a_meetings_own_export_changes_nothing(demo_store, exported, tmp_path):
    before = {m.id: cases_of(demo_store, m.id) for m in demo_store.list_meetings()}
    audit_before = len(demo_store.audit_log())
    report = import_files(demo_store, [tmp_path / "m2.json"])
    assert {p.action for p in report.patients} == {UNCHANGED}
    assert {m.id: cases_of(demo_store, m.id) for m in demo_store.list_meetings()} == before
    assert len(demo_store.audit_log()) == audit_before


def test_one_database_exports_the_same_ids_twice(demo_store, tmp_path):
    first = export(demo_store, 2, tmp_path / "a.json")
    second = export(demo_store, 2, tmp_path / "b.json")
    assert ids(first) == ids(second)
    assert first["identifier"] != second["identifier"]  # the export itself is new each time
    for e in first["entry"]:
        assert e["fullUrl"] == f"urn:uuid:{e['resource']['id']}"


def test_two_demo_databases_export_different_ids(tmp_path, db_location):
    from mdt_app.demo import build_demo_database

    one = open_store(build_demo_database(db_location), actor="t")  # a file, or a server
    two = open_store(build_demo_database(tmp_path / "two.db"), actor="t")
    a, b = export(one, 1, tmp_path / "1.json"), export(two, 1, tmp_path / "2.json")
    assert len(ids(a)) > 20 and not ids(a) & ids(b)
    one.close()
    two.close()


def test_every_export_validates_and_claims_mcode_profiles_it_meets(demo_store, exported):
    claimed = 0
    for bundle in exported.values():
        Bundle.model_validate(bundle)  # fhir.resources R4B
        for e in bundle["entry"]:
            r = e["resource"]
            for url in (r.get("meta") or {}).get("profile", []):
                assert url in PROFILE_NAMES, url
                assert mcode_profiles.problems(r, PROFILE_NAMES[url]) == [], (url, r["id"])
                claimed += 1
    assert claimed > 50


def test_export_content_other_systems_need(demo_store, exported):
    demo_store.set_setting("centre", {"name": "X", "mrn_system": "urn:oid:1.2.3.4.5"})
    bundle = exported[1]
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Condition", "Observation", "CarePlan", "DocumentReference"} <= kinds
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    plans = [r for r in by_url.values() if r["resourceType"] == "CarePlan"]
    assert plans and all(
        by_url[p["addresses"][0]["reference"]]["resourceType"] == "Condition" for p in plans
    )
    for plan in plans:
        for activity in plan["activity"]:
            code = activity["detail"].get("code")
            if code:  # titled in words, not the raw option code
                assert activity["detail"]["description"] != code["coding"][0]["code"]
    patient = next(r for r in by_url.values() if r["resourceType"] == "Patient")
    assert patient["identifier"][0]["type"]["coding"][0]["code"] == "MR"
    assert patient["name"][0]["family"] and patient["name"][0]["given"]
    doc = next(r for r in by_url.values() if r["resourceType"] == "DocumentReference")
    import base64

    assert base64.b64decode(doc["content"][0]["attachment"]["data"]).startswith(b"%PDF")
    snomed_t = [
        r
        for r in by_url.values()
        if r["resourceType"] == "Observation"
        and any(c.get("code") == "399504009" for c in r["code"].get("coding", []))
    ]
    assert snomed_t


def test_centre_identifier_system_is_used(demo_store, tmp_path):
    demo_store.set_setting("centre", {"name": "X", "mrn_system": "urn:oid:1.2.3.4.5"})
    bundle = export(demo_store, 1, tmp_path / "c.json")
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert {p["identifier"][0]["system"] for p in patients} == {"urn:oid:1.2.3.4.5"}


def test_pseudonymised_export_keeps_valid_patients(demo_store, tmp_path):
    bundle = export(demo_store, 2, tmp_path / "p.json", pseudonymise=True)
    Bundle.model_validate(bundle)
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Patient":
            assert mcode_profiles.problems(r, "cancer-patient") == []
            assert r["name"][0]["family"].startswith("PSN-") and "birthDate" not in r


def test_a_pseudonymised_export_never_becomes_patients(demo_store, tmp_path):
    export(demo_store, 2, tmp_path / "p.json", pseudonymise=True)
    before = demo_store.case_ids()
    report = import_files(demo_store, [tmp_path / "p.json"])
    assert report.patients and {p.action for p in report.patients} == {"not imported"}
    assert "pseudonym" in (report.patients[0].reason or "")
    assert demo_store.case_ids() == before


def _tnm_observations(bundle: dict) -> list[dict]:
    tnm_profiles = {
        mcode_profiles.MCODE + "mcode-tnm-" + n
        for n in (
            "primary-tumor-category",
            "regional-nodes-category",
            "distant-metastases-category",
            "stage-group",
        )
    }
    return [
        e["resource"]
        for e in bundle["entry"]
        if set((e["resource"].get("meta") or {}).get("profile", [])) & tnm_profiles
    ]


def test_tnm_values_and_stage_groups_carry_the_ajcc_snomed_codes(demo_store, exported):
    """mCODE 4 codes T, N, M values and the stage group with SNOMED CT AJCC concepts
    (the mCODE example cT3 is 1228938002); the text stays as the display."""
    seen_axes: set[str] = set()
    values: dict[str, str] = {}
    for bundle in exported.values():
        for r in _tnm_observations(bundle):
            axis = r["code"]["coding"][0]
            seen_axes.add(axis["display"])
            value = r["valueCodeableConcept"]
            assert value["text"]
            for c in value.get("coding", []):
                assert c["system"] == "http://snomed.info/sct"
                values[value["text"]] = c["code"]
    assert {"cT category", "pT category", "cN category", "pN category", "cM category"} <= seen_axes
    assert "Clinical TNM stage grouping" in seen_axes
    assert "Pathologic TNM stage grouping" in seen_axes
    assert values["cT4a"] == "1228945002" and values["cT4b"] == "1228946001"
    assert values["cN1b"] == "1229976000" and values["cM0"] == "1229901006"
    assert values["cM1"] == "1229903009"
    assert values["Stage IVB"] == "1222841004" and values["Stage IVC"] == "1222842006"
    assert any(t.startswith("pT") for t in values)


def test_a_case_without_a_recorded_basis_is_not_exported_as_clinical(store, tmp_path):
    from datetime import date

    from mdt_app import domain as d
    from tests.store_helpers import valid_case

    case = valid_case()
    case.tnm = d.TNM(t="T4a", n="N1b", m="M0")
    case_id, _ = store.import_case(case)
    meeting_id = store.create_meeting(d.Meeting(date=date(2026, 12, 1), title="MDT"))
    store.add_to_agenda(meeting_id, case_id)
    bundle = export(store, meeting_id, tmp_path / "b.json")
    obs = _tnm_observations(bundle)
    axes = {r["code"]["coding"][0]["display"] for r in obs}
    assert axes == {"T category", "N category", "M category", "TNM stage grouping"}
    assert {r["valueCodeableConcept"]["text"] for r in obs} == {"T4a", "N1b", "M0", "Stage IVB"}
    empty = open_store(tmp_path / "empty.db", actor="tester")
    import_files(empty, [tmp_path / "b.json"])
    back = empty.get_case(empty.case_ids()[0])
    assert (back.tnm.t, back.tnm.n, back.tnm.m, back.tnm.basis) == ("T4a", "N1b", "M0", None)
    empty.close()


def test_each_patients_filed_pdf_names_that_patient_on_every_page(exported):
    """The PDF filed in a patient's record carries that patient's banner on every page."""
    import base64

    import pypdfium2

    bundle = exported[1]
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    docs = [r for r in by_url.values() if r["resourceType"] == "DocumentReference"]
    assert docs
    for doc in docs:
        patient = by_url[doc["subject"]["reference"]]
        mrn = patient["identifier"][0]["value"]
        family = patient["name"][0]["family"].upper()
        pdf = pypdfium2.PdfDocument(base64.b64decode(doc["content"][0]["attachment"]["data"]))
        for page in pdf:
            words = page.get_textpage().get_text_range()
            assert f"MRN {mrn}" in words and family in words
            assert patient["birthDate"] in words
