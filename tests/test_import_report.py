"""The import report and clinical gating: mCODE 4 examples, SNOMED TNM, non-ATC and deceased."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mdt_app.exchange.importer import import_files, read_file
from mdt_app.exchange.report import CREATED, NOT_IMPORTED, UNCHANGED
from tests.conftest import FIXTURES

JENNY = FIXTURES / "mcode" / "Bundle-mcode-patient-bundle-jenny-m.json"
ATC = FIXTURES / "import" / "atc_mcode_snomed.json"
SYNTHEA = FIXTURES / "import" / "synthea_like_non_cancer.json"
DECEASED = FIXTURES / "import" / "deceased_atc.json"
SNOMED = "http://snomed.info/sct"
MALIGNANT_THYROID = "Malignant tumor of thyroid gland (disorder)"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    from mdt_app.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_atc_bundle_with_snomed_tnm(store):
    report = import_files(store, [ATC])
    (p,) = report.patients
    assert p.action == CREATED
    case = store.get_case(p.case_id)
    assert case.diagnosis.histology == "anaplastic_thyroid_carcinoma"  # ICD-O-3 8032/3
    assert case.diagnosis.diagnosed_on == date(2026, 10, 18)
    # pT4a (pathological) wins over the mCODE example cT3, which has no thyroid subcategory
    assert (case.tnm.t, case.tnm.n, case.tnm.m) == ("T4a", "N1b", "M0")
    assert case.tnm.basis == "pathological"  # pT4a used; M stays clinical (no pM0)
    assert case.ecog == 1 and case.biomarkers.braf_v600e == "positive"
    assert case.biomarkers.tmb_mut_per_mb == 3.2  # UCUM 1/1000000{Base}
    assert sorted(x.test for x in case.labs) == ["TSH", "eGFR"]
    mapped = dict(p.mapped)
    assert mapped["tnm.t"] == "Bundle entry 4 (Observation atc-pt4a)"
    assert mapped["diagnosis.histology"] == "Bundle entry 2 (Condition atc-anna-primary)"
    skipped = dict(p.skipped)
    assert "without a thyroid subcategory" in skipped["Bundle entry 3 (Observation atc-ct3)"]
    assert "not read" in skipped["Bundle entry 13 (MedicationRequest atc-med)"]
    assert any("Stage IVB" in n and "agrees with IVB" in n for n in p.notes)


def test_ajcc_snomed_value_codes_without_any_text_are_read(store, tmp_path):
    """A sender that gives only the SNOMED CT AJCC concept (no display, no text)."""
    data = json.loads(ATC.read_text(encoding="utf-8"))
    by_id = {e["resource"]["id"]: e["resource"] for e in data["entry"]}
    by_id["atc-pt4a"]["valueCodeableConcept"] = {
        "coding": [{"system": SNOMED, "code": "1229866004"}]
    }
    for r in by_id.values():
        if r.get("valueCodeableConcept") == {"text": "cN1b"}:
            r["valueCodeableConcept"] = {"coding": [{"system": SNOMED, "code": "1229975001"}]}
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (p,) = import_files(store, [path]).patients
    tnm = store.get_case(p.case_id).tnm
    assert (tnm.t, tnm.n, tnm.m, tnm.basis) == ("T4b", "N1a", "M0", "pathological")


def test_pathological_preferred_and_the_report_says_so(store, tmp_path):
    data = json.loads(ATC.read_text(encoding="utf-8"))
    ct = next(e["resource"] for e in data["entry"] if e["resource"]["id"] == "atc-ct3")
    ct["valueCodeableConcept"] = {"text": "cT4b"}
    ct["effectiveDateTime"] = "2026-11-30"  # later, yet clinical
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (p,) = import_files(store, [path]).patients
    assert store.get_case(p.case_id).tnm.t == "T4a"
    assert any("pathological and clinical values given; pathological used" in n for n in p.notes)


def test_mcode_example_bundle_is_not_thyroid_cancer_and_skipped_unless_asked(store):
    report = import_files(store, [JENNY])
    (p,) = report.patients
    assert p.action == NOT_IMPORTED and "--include-non-atc" in (p.reason or "")
    assert store.case_ids() == []
    report = import_files(store, [JENNY], include_non_atc=True)
    (p,) = report.patients
    assert p.action == CREATED
    case = store.get_case(p.case_id)
    assert case.diagnosis.histology is None  # breast cancer is not made thyroid cancer
    assert (case.tnm.n, case.tnm.m) == ("N0", "M0")  # SNOMED cN / cM categories read
    assert case.tnm.t is None  # cT3 without thyroid subcategory: unknown, listed
    assert case.ecog == 0
    kinds = {why for _, why in p.skipped}
    assert "MedicationRequest resources are not read by the import" in kinds


def test_synthea_like_non_cancer_patient_skipped_unless_asked(store):
    (p,) = import_files(store, [SYNTHEA]).patients
    assert p.action == NOT_IMPORTED and store.case_ids() == []
    assert ("Bundle entry 2 (Condition syn-htn)", "not a thyroid cancer diagnosis") in p.skipped
    (p,) = import_files(store, [SYNTHEA], include_non_atc=True).patients
    assert p.action == CREATED and p.mrn == "SYN-77"  # the MR-typed identifier
    assert len(store.get_case(p.case_id).labs) == 7


def test_deceased_patient_skipped_unless_asked(store):
    (p,) = import_files(store, [DECEASED]).patients
    assert p.action == NOT_IMPORTED and "--include-deceased" in (p.reason or "")
    (p,) = import_files(store, [DECEASED], include_deceased=True).patients
    assert p.action == CREATED


def test_cli_report_flags_and_json(db_location, capsys):
    db = db_location
    code, out, err = run(capsys, "import", str(ATC), str(SYNTHEA), str(DECEASED), "--db", db)
    assert code == 0, err
    assert "CREATED: Anna Nowak, MRN ATC-0001" in out
    assert "NOT IMPORTED: Kris249 Hermiston71, MRN SYN-77" in out
    assert "reason: the patient has died" in out
    assert "Imported 1 case(s): 1 new or updated, 0 unchanged. 2 patient(s) not imported" in out
    code, out, _ = run(
        capsys, "import", str(SYNTHEA), str(DECEASED), "--db", db,
        "--include-non-atc", "--include-deceased", "--report", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert [p["action"] for f in data["files"] for p in f["patients"]] == [CREATED, CREATED]
    code, out, _ = run(capsys, "import", str(ATC), "--db", db, "--report", "full")
    assert "UNCHANGED: Anna Nowak" in out and "mapped tnm.t <- Bundle entry 4" in out
    assert UNCHANGED


def test_case_file_report_lists_fields(tmp_path):
    f = read_file(FIXTURES / "import" / "valid_case.json")
    (p,) = f.report.patients
    assert ("patient", "case") in p.mapped


@pytest.mark.parametrize("unit", ["1/1000000{Base}", "{mutations}/1000000{Base}", "/Mb", "mut/Mb"])
def test_tmb_units_in_use(unit):
    from mdt_app.exchange.fhir_mapping import tmb_value

    assert tmb_value({"valueQuantity": {"value": 12, "code": unit}}) == 12.0


def test_genomics_reporting_fusion_variant(tmp_path, store):
    ln = "http://loinc.org"
    data = json.loads(ATC.read_text(encoding="utf-8"))
    data["entry"].append(
        {
            "resource": {
                "resourceType": "Observation",
                "id": "atc-ntrk",
                "status": "final",
                "code": {"coding": [{"system": ln, "code": "69548-6"}]},
                "subject": {"reference": "Patient/atc-anna"},
                "valueCodeableConcept": {"coding": [{"system": ln, "code": "LA9633-4"}]},
                "component": [
                    {
                        "code": {"coding": [{"system": ln, "code": "48018-6"}]},
                        "valueCodeableConcept": {
                            "coding": [{"code": "HGNC:3495", "display": "ETV6"}]
                        },
                    },
                    {
                        "code": {"coding": [{"system": ln, "code": "48018-6"}]},
                        "valueCodeableConcept": {
                            "coding": [{"code": "HGNC:8033", "display": "NTRK3"}]
                        },
                    },
                    {
                        "code": {"coding": [{"system": ln, "code": "48019-4"}]},
                        "valueCodeableConcept": {
                            "coding": [
                                {"system": "http://www.sequenceontology.org", "code": "SO:0001565"}
                            ]
                        },
                    },
                ],
            }
        }
    )
    path = tmp_path / "f.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (p,) = import_files(store, [path]).patients
    case = store.get_case(p.case_id)
    assert case.biomarkers.ntrk_fusion == "positive" and case.biomarkers.ret_fusion == "unknown"
    assert dict(p.mapped)["biomarkers.ntrk_fusion"].endswith("(Observation atc-ntrk)")


def test_mcode_genomics_example_bundle_fusion_and_tmb(store):
    gx = FIXTURES / "mcode" / "Bundle-gx-genomic-bundle-adam-anyperson.json"
    (p,) = import_files(store, [gx]).patients
    assert p.action == NOT_IMPORTED  # no thyroid cancer in it
    (p,) = import_files(store, [gx], include_non_atc=True).patients
    b = store.get_case(p.case_id).biomarkers
    assert b.alk_fusion == "positive"  # MET-ALK fusion variant (Genomics Reporting IG)
    assert b.tmb_mut_per_mb == 57.1  # UCUM 1/1000000{Base}
    assert b.braf_v600e == "unknown"  # a region-level pertinent negative is not read as V600E


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ({"coding": [{"system": SNOMED, "code": "363478007", "display": MALIGNANT_THYROID}]},
         "thyroid_cancer"),
        ({"text": "Thyroid cancer"}, "thyroid_cancer"),
        ({"text": "Anaplastic carcinoma of thyroid"}, "atc"),
        ({"text": "Papillary thyroid carcinoma"}, None),  # another histology: not read
        ({"text": "Benign thyroid nodule"}, None),
        ({"text": "Malignant neoplasm of breast"}, None),
    ],
)  # fmt: skip
def test_thyroid_cancer_named_by_snomed_display_or_text(code, kind):
    from mdt_app.exchange.fhir_mapping import diagnosis_kind

    assert diagnosis_kind({"code": code}) == kind
