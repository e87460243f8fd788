"""Reading mdt-case/1 files: every field checked, errors name file, case and field."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mdt_app.casefile import CaseFileError, case_to_dict, parse_case, read_case_file
from tests.conftest import FIXTURES

VALID = json.loads((FIXTURES / "import" / "valid_case.json").read_text(encoding="utf-8"))


def test_valid_file_reads_every_field():
    [case] = read_case_file(FIXTURES / "import" / "valid_case.json")
    assert case.patient.display_name == "Zoë Łukasiewicz-Ångström"
    assert case.tnm.t == "T4a" and case.tnm.m == "M0"
    assert case.biomarkers.braf_v600e == "positive"
    assert case.biomarkers.pdl1_tps_percent == 60
    assert case.ecog == 1
    assert [i.modality for i in case.imaging] == ["CT", "FDG-PET/CT"]
    assert case.labs[1].flag == "high"


def test_absent_means_unknown_never_negative():
    case = parse_case({"format": "mdt-case/1", "patient": {"mrn": "X1", "family_name": "A"}})
    assert case.tnm.m is None
    assert case.biomarkers.braf_v600e == "unknown"
    assert case.ecog is None
    assert case.airway == "unknown"
    assert case.brain_imaging_done is None
    assert case.goals_of_care is None
    assert case.phase == "new"


def test_round_trip_through_dict():
    case = parse_case(VALID)
    assert parse_case(case_to_dict(case)) == case


def _with(path: str, value):
    data = copy.deepcopy(VALID)
    target = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is _DELETE:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


_DELETE = object()

INVALID = [
    ("format", "mdt-case/2", "format"),
    ("patient.mrn", _DELETE, "patient.mrn"),
    ("patient.mrn", "   ", "patient.mrn"),
    ("patient.mrn", 12345, "patient.mrn"),
    ("patient.birth_date", "1951-02-30", "patient.birth_date"),
    ("patient.birth_date", "2999-01-01", "patient.birth_date"),
    ("patient.sex", "F", "patient.sex"),
    ("referral.urgent", "yes", "referral.urgent"),
    ("referral.referred_on", "02/11/2026", "referral.referred_on"),
    ("diagnosis.confirmed_by", "guess", "diagnosis.confirmed_by"),
    ("diagnosis.diagnosed_on", "1900-01-01", "diagnosis.diagnosed_on"),
    ("tnm.t", "T5", "tnm.t"),
    ("tnm.n", "N2", "tnm.n"),
    ("tnm.m", "MX", "tnm.m"),
    ("tnm", "T4a N0 M0", "tnm"),
    ("resectability", "maybe", "resectability"),
    ("phase", "relapse", "phase"),
    ("biomarkers.braf_v600e", "mutated", "biomarkers.braf_v600e"),
    ("biomarkers.tmb_mut_per_mb", -1, "biomarkers.tmb_mut_per_mb"),
    ("biomarkers.pdl1_tps_percent", 140, "biomarkers.pdl1_tps_percent"),
    ("biomarkers.pdl1_tps_percent", "high", "biomarkers.pdl1_tps_percent"),
    ("ecog", 7, "ecog"),
    ("ecog", 1.5, "ecog"),
    ("ecog", True, "ecog"),
    ("airway", "noisy", "airway"),
    ("metastases.sites", ["lung", "spleen"], "metastases.sites[1]"),
    ("metastases.burden", "medium", "metastases.burden"),
    ("brain_imaging_done", "no", "brain_imaging_done"),
    ("goals_of_care", "cure", "goals_of_care"),
    ("decision_capacity", "fine", "decision_capacity"),
    ("declines", ["chemo"], "declines[0]"),
    ("declines", "radiotherapy", "declines"),
    ("imaging.0.modality", "X-ray", "imaging[0].modality"),
    ("imaging.0.date", None, "imaging[0].date"),
    ("imaging.0.summary", "", "imaging[0].summary"),
    ("labs.0.value", "2.1", "labs[0].value"),
    ("labs.0.value", float("nan"), "labs[0].value"),
    ("labs.0.test", None, "labs[0].test"),
    ("labs.0.low", 9.0, "labs[0].low"),
    ("labs", {"TSH": 2}, "labs"),
]


@pytest.mark.parametrize(("path", "value", "field"), INVALID, ids=[i[0] for i in INVALID])
def test_each_invalid_field_is_named(path, value, field):
    with pytest.raises(CaseFileError) as err:
        parse_case(_with(path, value), "f.json: case (MRN H123456)")
    message = str(err.value)
    assert f"field '{field}'" in message
    assert message.startswith("f.json: case (MRN H123456)")


def test_error_in_a_list_names_the_case(tmp_path: Path):
    bad = copy.deepcopy(VALID)
    bad["patient"]["mrn"] = "B-2"
    bad["tnm"]["t"] = "T9"
    f = tmp_path / "batch.json"
    f.write_text(json.dumps([VALID, bad]), encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"batch\.json: case 2 \(MRN B-2\): field 'tnm\.t'"):
        read_case_file(f)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", r"is not valid JSON \(line 1"),
        (b"\xff\xfe\x00garbage", "is not UTF-8"),
        (b"[]", "holds no cases"),
        (b'"a string"', "expected a JSON object"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, expected: str):
    f = tmp_path / "x.json"
    f.write_bytes(content)
    with pytest.raises(CaseFileError, match=expected):
        read_case_file(f)


def test_missing_file(tmp_path: Path):
    with pytest.raises(CaseFileError, match="no such file"):
        read_case_file(tmp_path / "nope.json")
