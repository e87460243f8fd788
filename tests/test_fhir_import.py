"""FHIR R4 Bundles through `mdt-app import`: mapping, refusals, all-or-nothing, idempotence."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mdt_app.casefile import CaseFileError
from mdt_app.exchange import read_cases
from mdt_app.exchange.fhir_bundle import parse_bundle, read_bundle
from tests import backend_helpers
from tests.conftest import FIXTURES

BUNDLE = FIXTURES / "import" / "fhir_bundle.json"
VALID = FIXTURES / "import" / "valid_case.json"
TWO = FIXTURES / "import" / "two_cases.json"
DATA = json.loads(BUNDLE.read_text(encoding="utf-8"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    from mdt_app.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(db: Path | str) -> str:
    """Everything the database holds (a file with its WAL/journal siblings, or every
    row on a server), so nothing can change unseen."""
    return backend_helpers.digest(db)


def entry_no(resource_id: str) -> int:
    """The 1-based entry number of a resource in the fixture (as messages count)."""
    for i, e in enumerate(DATA["entry"], start=1):
        if e["resource"].get("id") == resource_id:
            return i
    raise KeyError(resource_id)


def resource(data: dict, resource_id: str) -> dict:
    return next(e["resource"] for e in data["entry"] if e["resource"].get("id") == resource_id)


def bundle(*resources: dict, kind: str = "collection") -> dict:
    return {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [{"resource": r} for r in resources],
    }


PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "identifier": [{"value": "X-1"}],
    "name": [{"family": "Nowak", "given": ["Ewa"]}],
}


def obs(code: dict, **fields: Any) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": code,
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-10-01",
        **fields,
    }


def one(*resources: dict):
    [case] = parse_bundle(bundle(PATIENT, *resources), "t.json")
    return case


# --- mapping -------------------------------------------------------------------------------


def test_fixture_bundle_maps_to_the_expected_cases():
    zoe, jan = read_cases(BUNDLE)

    p = zoe.patient
    assert (p.mrn, p.given_name, p.family_name) == ("H123456", "Zoë", "Łukasiewicz-Ångström")
    assert p.display_name == "Zoë Łukasiewicz-Ångström"
    assert (p.birth_date, p.sex, p.preferred_language) == (date(1951, 4, 2), "female", "pl")
    assert zoe.diagnosis.histology == "anaplastic_thyroid_carcinoma"
    assert zoe.diagnosis.diagnosed_on == date(2026, 10, 30)
    assert zoe.diagnosis.confirmed_by is None
    assert (zoe.tnm.t, zoe.tnm.n, zoe.tnm.m) == ("T4a", "N1b", "M0")
    b = zoe.biomarkers
    assert b.braf_v600e == "positive"
    assert b.ntrk_fusion == "pending"
    assert (b.ret_fusion, b.alk_fusion, b.msi_high) == ("unknown", "unknown", "unknown")
    assert b.tmb_mut_per_mb == 14.0 and b.pdl1_tps_percent is None
    assert zoe.ecog == 1
    assert [(i.date, i.modality, i.region, i.summary) for i in zoe.imaging] == [
        (date(2026, 10, 28), "CT", "neck", "6 cm left thyroid mass invading trachea"),
        (date(2026, 10, 31), "FDG-PET/CT", "FDG PET/CT whole body", "No distant uptake"),
    ]
    assert [(x.test, x.value, x.unit, x.low, x.high, x.flag) for x in zoe.labs] == [
        ("TSH", 2.1, "mIU/L", 0.4, 4.0, ""),
        ("Calcium (adjusted)", 2.71, "mmol/L", 2.2, 2.6, "high"),
    ]
    assert zoe.labs[0].date == date(2026, 10, 29)  # the date as written, whatever the zone
    # Nothing the bundle does not say is made up.
    assert zoe.resectability == "unknown" and zoe.airway == "unknown"
    assert zoe.metastases.sites == [] and zoe.brain_imaging_done is None
    assert zoe.phase == "new" and zoe.goals_of_care is None

    p = jan.patient
    assert (p.mrn, p.given_name, p.family_name, p.sex) == (
        "H200002",
        "Jan Paweł",
        "Kowalski",
        "male",
    )
    assert p.preferred_language == "en"
    assert jan.diagnosis.diagnosed_on == date(2026, 9, 15)
    # ypT4b (pathological observation) and N0 / M1 from Condition.stage.summary
    assert (jan.tnm.t, jan.tnm.n, jan.tnm.m) == ("T4b", "N0", "M1")
    b = jan.biomarkers
    assert (b.braf_v600e, b.msi_high, b.alk_fusion) == ("negative", "negative", "unknown")
    assert b.pdl1_tps_percent == 60 and b.tmb_mut_per_mb is None
    assert jan.ecog == 2
    assert [(i.modality, i.region, i.summary) for i in jan.imaging] == [
        ("MRI", "brain", "No brain metastases")
    ]
    # LOINC 718-7 is mapped to the contract's test name
    assert [(x.test, x.value, x.flag) for x in jan.labs] == [("haemoglobin", 118.0, "low")]


def test_unmappable_modality_is_skipped_and_counted():
    result = read_bundle(DATA, "b.json")
    assert result.skipped == {"imaging with a modality the case format does not list": 1}


def test_a_patient_alone_is_all_unknown_never_negative():
    case = one()
    assert case.diagnosis.histology is None and case.diagnosis.diagnosed_on is None
    assert (case.tnm.t, case.tnm.n, case.tnm.m) == (None, None, None)
    assert {getattr(case.biomarkers, f) for f in ("braf_v600e", "ntrk_fusion", "msi_high")} == {
        "unknown"
    }
    assert case.ecog is None and case.patient.sex == "unknown" and case.patient.birth_date is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"valueString": "see report"}, "unknown"),
        ({"valueCodeableConcept": {"text": "Equivocal"}}, "unknown"),
        ({"valueCodeableConcept": {"text": "Not detected"}}, "negative"),
        ({"valueCodeableConcept": {"text": "mutation detected"}}, "positive"),
        ({"interpretation": [{"coding": [{"code": "NEG"}]}]}, "negative"),
        (  # interpretation and value disagree: unknown, not either of them
            {
                "interpretation": [{"coding": [{"code": "POS"}]}],
                "valueCodeableConcept": {"coding": [{"code": "LA6577-6"}]},
            },
            "unknown",
        ),
        ({"status": "preliminary", "valueCodeableConcept": {"text": "Positive"}}, "pending"),
        ({"status": "entered-in-error", "valueCodeableConcept": {"text": "Positive"}}, "unknown"),
        ({"dataAbsentReason": {"text": "sample insufficient"}}, "unknown"),
    ],
)
def test_biomarker_results(fields, expected):
    case = one(obs({"text": "BRAF p.V600E"}, **fields))
    assert case.biomarkers.braf_v600e == expected


def test_braf_gene_test_positive_says_v600e_only_if_the_value_does():
    gene = {"text": "BRAF mutation analysis"}
    assert one(obs(gene, valueString="detected")).biomarkers.braf_v600e == "unknown"
    assert one(obs(gene, valueString="V600E detected")).biomarkers.braf_v600e == "positive"
    assert one(obs(gene, valueString="not detected")).biomarkers.braf_v600e == "negative"
    fusion = {"text": "BRAF fusion"}
    assert one(obs(fusion, valueString="not detected")).biomarkers.braf_v600e == "unknown"


def test_genomics_variant_observation_for_braf_v600e():
    variant = obs(
        {"coding": [{"system": "http://loinc.org", "code": "69548-6"}]},
        valueCodeableConcept={"coding": [{"system": "http://loinc.org", "code": "LA9633-4"}]},
        component=[
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "48018-6"}]},
                "valueCodeableConcept": {"coding": [{"code": "HGNC:1097", "display": "BRAF"}]},
            },
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "48005-3"}]},
                "valueCodeableConcept": {"coding": [{"code": "p.Val600Glu"}]},
            },
        ],
    )
    assert one(variant).biomarkers.braf_v600e == "positive"


def test_fusions_msi_and_panels():
    case = one(
        obs({"text": "RET fusion"}, valueCodeableConcept={"text": "Detected"}),
        obs({"text": "ALK/RET/NTRK fusion panel"}, valueString="negative"),
        obs(
            {"coding": [{"system": "http://loinc.org", "code": "81695-9"}]},
            valueCodeableConcept={"coding": [{"code": "LA26203-2", "display": "MSI-H"}]},
        ),
    )
    b = case.biomarkers
    assert (b.ret_fusion, b.alk_fusion, b.ntrk_fusion, b.msi_high) == (
        "positive",
        "unknown",  # a panel of several genes is not read as any one of them
        "unknown",
        "positive",
    )


def test_the_latest_definite_result_wins_and_pending_does_not_undo_a_result():
    braf = {"text": "BRAF V600E"}
    case = one(
        obs(braf, effectiveDateTime="2026-01-01", valueString="negative"),
        obs(braf, effectiveDateTime="2026-03-01", valueString="positive"),
        obs(braf, effectiveDateTime="2026-05-01", status="registered"),
    )
    assert case.biomarkers.braf_v600e == "positive"


def test_tnm_pathological_beats_clinical_and_later_beats_earlier():
    loinc = "http://loinc.org"
    case = one(
        obs({"coding": [{"system": loinc, "code": "21899-0"}]}, valueString="pT3a"),
        obs({"coding": [{"system": loinc, "code": "21905-5"}]}, valueString="cT4a"),
        obs(
            {"coding": [{"system": loinc, "code": "21906-3"}]},
            effectiveDateTime="2026-09-01",
            valueString="N1a",
        ),
        obs(
            {"coding": [{"system": loinc, "code": "21906-3"}]},
            effectiveDateTime="2026-10-02",
            valueCodeableConcept={"text": "cN1b"},
        ),
    )
    assert (case.tnm.t, case.tnm.n) == ("T3a", "N1b")


def test_ecog_forms():
    code = {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]}
    assert one(obs(code, valueInteger=0)).ecog == 0
    la = {"coding": [{"system": "http://loinc.org", "code": "LA9627-6"}]}
    assert one(obs(code, valueCodeableConcept=la)).ecog == 5
    assert one(obs(code, valueString="fit")).ecog is None


def test_diagnosis_codes():
    def condition(code: dict, **fields: Any) -> dict:
        return {
            "resourceType": "Condition",
            "code": code,
            "subject": {"reference": "Patient/p1"},
            **fields,
        }

    c73 = {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "C73"}]}
    only_c73 = one(condition(c73, recordedDate="2026-02-03"))
    assert only_c73.diagnosis.histology is None  # C73 is any thyroid cancer
    assert only_c73.diagnosis.diagnosed_on == date(2026, 2, 3)
    morphology = {
        "coding": [
            {"system": "http://hl7.org/fhir/sid/icd-10", "code": "C73"},
            {"system": "http://terminology.hl7.org/CodeSystem/icd-o-3", "code": "8021/3"},
        ]
    }
    assert one(condition(morphology)).diagnosis.histology == "anaplastic_thyroid_carcinoma"
    refuted = {"coding": [{"code": "refuted"}]}
    atc_text = {"text": "anaplastic thyroid cancer"}
    assert one(condition(atc_text, verificationStatus=refuted)).diagnosis.histology is None
    papillary = {"coding": [{"code": "C73", "display": "Papillary carcinoma of thyroid"}]}
    assert one(condition(papillary, onsetDateTime="2001-01-01")).diagnosis.diagnosed_on is None
    # 255032005 is medullary thyroid cancer / MEN 2 in SNOMED CT, never anaplastic
    snomed = {"coding": [{"system": "http://snomed.info/sct", "code": "255032005"}]}
    assert one(condition(snomed)).diagnosis.histology is None


def test_nuclear_medicine_is_bone_scintigraphy_only_when_it_says_bone():
    def study(description: str) -> dict:
        return {
            "resourceType": "ImagingStudy",
            "status": "available",
            "subject": {"reference": "Patient/p1"},
            "started": "2026-10-01",
            "modality": [{"code": "NM"}],
            "description": description,
        }

    case = one(study("Whole-body bone scan: no skeletal metastases"), study("I-131 uptake"))
    assert [(i.modality, i.summary) for i in case.imaging] == [
        ("bone_scintigraphy", "Whole-body bone scan: no skeletal metastases")
    ]


def test_references_by_identifier_and_conditional_reference():
    a = obs({"text": "ECOG"}, valueInteger=3, subject={"identifier": {"value": "X-1"}})
    assert one(a).ecog == 3
    b = obs({"text": "ECOG"}, valueInteger=2, subject={"reference": "Patient?identifier=s|X-1"})
    assert one(b).ecog == 2


def test_transaction_bundle_and_unknown_resource_types_are_fine():
    data = bundle(PATIENT, {"resourceType": "NotAFhirType", "x": 1}, kind="transaction")
    data["entry"].append({"request": {"method": "DELETE", "url": "Patient/old"}})
    [case] = parse_bundle(data, "t.json")
    assert case.patient.mrn == "X-1"


# --- refusals ------------------------------------------------------------------------------


def _mutate(path: str, value: Any) -> dict:
    """A copy of the fixture with resource-id.element (dotted) set, or deleted for None."""
    data = copy.deepcopy(DATA)
    rid, _, dotted = path.partition(":")
    target = resource(data, rid)
    keys = dotted.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is None:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return data


BAD = [
    ("pat-zoe:gender", "F", "pat-zoe", "field 'gender': 'F' is not one of"),
    ("pat-jan:identifier", None, "pat-jan", "field 'identifier': is required"),
    (
        "obs-braf:valueCodeableConcept",
        "positive",
        "obs-braf",
        "field 'valueCodeableConcept': expected an object, got text",
    ),
    ("obs-zoe-tsh:valueQuantity.value", "high", "obs-zoe-tsh", "field 'valueQuantity.value'"),
    ("pat-zoe:birthDate", "1951", "pat-zoe", "field 'birthDate': '1951' is a partial date"),
    ("pat-zoe:favouriteColour", "teal", "pat-zoe", "field 'favouriteColour': is not an element"),
    ("obs-zoe-ecog:valueInteger", 7, "obs-zoe-ecog", "field 'valueInteger': ECOG 7 is outside 0-5"),
    ("obs-zoe-ecog:valueString", "x", "obs-zoe-ecog", "field 'value[x]': only one value[x]"),
    ("obs-zoe-ca:status", "done", "obs-zoe-ca", "field 'status': 'done' is not one of"),
    ("obs-zoe-ca:effectiveDateTime", None, "obs-zoe-ca", "a laboratory result needs a date"),
    ("img-jan-mr:started", None, "img-jan-mr", "field 'started': an imaging study needs a date"),
    (
        "obs-braf:subject",
        {"reference": "Patient/nobody"},
        "obs-braf",
        "field 'subject': 'Patient/nobody' is not a Patient in this Bundle",
    ),
    ("obs-zoe-tmb:valueQuantity.value", -3, "obs-zoe-tmb", "-3 mutations/Mb is outside"),
    ("cond-zoe-atc:onsetDateTime", "2026-13-01", "cond-zoe-atc", "field 'onsetDateTime'"),
]


UNSTAGEABLE_TNM = [
    ("obs-zoe-m:valueCodeableConcept", {"text": "MX"}, "obs-zoe-m", "'MX' is not one of M0, M1"),
    ("obs-zoe-t:valueCodeableConcept", {"text": "T5"}, "obs-zoe-t", "cannot read a T category"),
    ("obs-zoe-t:valueCodeableConcept", {"text": "cT3"}, "obs-zoe-t", "'T3' without a thyroid"),
    ("obs-jan-pt:valueString", "pTis", "obs-jan-pt", "'Tis' is not one of"),
]


@pytest.mark.parametrize(("path", "value", "rid", "message"), UNSTAGEABLE_TNM)
def test_tnm_value_outside_the_case_format_is_listed_and_left_unknown(path, value, rid, message):
    """Not understood is never fatal: the category stays unknown and the report says why."""
    result = read_bundle(_mutate(path, value), "b.json")
    label = f"Bundle entry {entry_no(rid)} (Observation {rid})"
    found = [why for p in result.patients for where, why in p.skipped if where == label]
    assert found and message in found[0] and "left unknown" in found[0]
    cat = "m" if "-m:" in path else "t"
    owner = result.cases[0] if "zoe" in rid else result.cases[1]
    if "jan" not in rid:
        assert getattr(owner.tnm, cat) is None


@pytest.mark.parametrize(("path", "value", "rid", "message"), BAD, ids=[b[0] for b in BAD])
def test_malformed_bundle_is_refused_naming_entry_and_field(path, value, rid, message):
    with pytest.raises(CaseFileError) as refused:
        parse_bundle(_mutate(path, value), "b.json")
    text = str(refused.value)
    kind = resource(DATA, rid)["resourceType"]
    assert text.startswith(f"b.json: Bundle entry {entry_no(rid)} ({kind} {rid}): "), text
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**DATA, "type": "batch"}, "b.json: Bundle: field 'type': 'batch' is not imported"),
        ({"resourceType": "Bundle"}, "b.json: Bundle: field 'type': is required"),
        ({**DATA, "entry": {}}, "b.json: Bundle: field 'entry': expected a list"),
        ({**DATA, "entry": [{"fullUrl": 3}]}, "b.json: Bundle entry 1: field 'fullUrl'"),
        (bundle({"resourceType": "Encounter"}), "the Bundle holds no Patient resource"),
        (
            bundle(PATIENT, {"resourceType": "Observation", "id": "o", "code": {"text": "x"}}),
            "Bundle entry 2 (Observation o): field 'status': is required",
        ),
    ],
    ids=["batch", "no-type", "entry-not-list", "bad-fullUrl", "no-patient", "missing-status"],
)
def test_malformed_bundle_structure(data, message):
    with pytest.raises(CaseFileError) as refused:
        parse_bundle(data, "b.json")
    assert message in str(refused.value)


def test_file_level_problems(tmp_path):
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"resourceType": "Bundle", "x": "\xe9"}')
    with pytest.raises(CaseFileError, match="latin1.json: is not UTF-8 text"):
        read_cases(latin1)
    lone = tmp_path / "patient.json"
    lone.write_text(json.dumps(PATIENT), encoding="utf-8")
    with pytest.raises(CaseFileError, match="is a FHIR Patient resource, not a Bundle"):
        read_cases(lone)
    with pytest.raises(CaseFileError, match="gone.json: no such file"):
        read_cases(tmp_path / "gone.json")


def test_an_mdt_case_file_still_reads_as_before():
    [case] = read_cases(VALID)
    assert case.patient.mrn == "H123456" and case.tnm.t == "T4a"


# --- through the command line --------------------------------------------------------------


def test_import_bundle_through_the_cli_then_again_changes_nothing(db_location, capsys):
    db = db_location
    code, out, err = run(capsys, "import", str(BUNDLE), "--db", str(db))
    assert code == 0, err
    assert "Imported 2 case(s): 2 new or updated, 0 unchanged." in out
    code, out, _ = run(capsys, "--db", str(db), "cases", "--json")
    rows = {r["mrn"]: r for r in json.loads(out)}
    assert rows["H123456"]["patient"] == "Zoë Łukasiewicz-Ångström"
    assert rows["H200002"]["patient"] == "Jan Paweł Kowalski"
    assert (rows["H123456"]["stage"], rows["H200002"]["stage"]) == ("IVB", "IVC")

    before = digest(db)
    code, out, err = run(capsys, "import", str(BUNDLE), "--db", str(db))
    assert code == 0, err
    assert "0 new or updated, 2 unchanged" in out
    assert digest(db) == before


def test_import_help_names_fhir(capsys):
    with pytest.raises(SystemExit):
        run(capsys, "import", "--help")
    assert "FHIR R4 Bundle" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("pat-zoe:gender", "F", "(Patient pat-zoe): field 'gender'"),
        ("pat-jan:identifier", None, "(Patient pat-jan): field 'identifier'"),
        ("obs-braf:valueCodeableConcept", "positive", "(Observation obs-braf): field"),
    ],
    ids=["bad-gender", "missing-mrn", "invalid-value-type"],
)
def test_refused_bundle_leaves_the_database_byte_for_byte(
    tmp_path, db_location, capsys, path, value, message
):
    db = db_location
    assert run(capsys, "--db", str(db), "import", str(TWO))[0] == 0
    bad = tmp_path / "bad-bundle.json"
    bad.write_text(json.dumps(_mutate(path, value), ensure_ascii=False), encoding="utf-8")
    before = digest(db)
    code, out, err = run(capsys, "--db", str(db), "import", str(bad))
    assert code != 0 and out == ""
    assert err.startswith(f"mdt-app: error: {bad}: Bundle entry ")
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert digest(db) == before


def test_mixed_batch_with_one_bad_bundle_imports_nothing(tmp_path, db_location, capsys):
    db = db_location
    assert run(capsys, "--db", str(db), "import", str(TWO))[0] == 0
    bad = tmp_path / "bad-bundle.json"
    bad.write_text(json.dumps(_mutate("pat-zoe:gender", "F")), encoding="utf-8")
    before = digest(db)
    code, out, err = run(capsys, "--db", str(db), "import", str(VALID), str(bad))
    assert code != 0 and out == "" and "field 'gender'" in err
    assert digest(db) == before
    _, out, _ = run(capsys, "--db", str(db), "cases", "--json")
    assert "H123456" not in {r["mrn"] for r in json.loads(out)}
