"""The case fields of pathway 2.0: read and checked, written back, stored, absent = unknown."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mdt_app.casefile import CaseFileError, case_to_dict, parse_case, read_case_file
from mdt_app.store import open_store
from tests.conftest import FIXTURES

V2_FILES = sorted((FIXTURES / "cases").glob("v2_*.json"))
BASE = json.loads((FIXTURES / "cases" / "v2_progression_dt.json").read_text(encoding="utf-8"))

PT = "prior_treatments"
INVALID = [
    ("diagnosis", "atc_extent", "most", "diagnosis.atc_extent"),
    ("diagnosis", "coexisting_dtc", "medullary", "diagnosis.coexisting_dtc"),
    (None, "operable", "yes", "operable"),
    (None, "pregnancy", "maybe", "pregnancy"),
    ("biomarkers", "braf_method", "pcr", "biomarkers.braf_method"),
    ("biomarkers", "sequencing", "ordered", "biomarkers.sequencing"),
    (None, PT, {"type": "rai"}, "prior_treatments"),
    (None, PT, ["rai"], "prior_treatments[0]"),
    (None, PT, [{"type": "laser"}], "prior_treatments[0].type"),
    (None, PT, [{"response": "partial"}], "prior_treatments[0].type"),
    (None, PT, [{"type": "rai", "response": "cured"}], "prior_treatments[0].response"),
    (None, PT, [{"type": "rai", "started_on": "June"}], "prior_treatments[0].started_on"),
    (
        None,
        PT,
        [{"type": "rai", "started_on": "2026-06-01", "ended_on": "2026-05-01"}],
        "prior_treatments[0].ended_on",
    ),
    (None, PT, [{"type": "rai", "started_on": "1940-01-01"}], "prior_treatments[0].started_on"),
]


@pytest.mark.parametrize(("parent", "key", "value", "field"), INVALID, ids=[i[3] for i in INVALID])
def test_each_invalid_new_field_is_named(parent, key, value, field):
    data = copy.deepcopy(BASE)
    (data[parent] if parent else data)[key] = value
    with pytest.raises(CaseFileError) as err:
        parse_case(data, "f.json: case")
    assert f"field '{field}'" in str(err.value)


def test_absent_new_fields_are_unknown():
    data = copy.deepcopy(BASE)
    for key in ("operable", "pregnancy", "prior_treatments"):
        del data[key]
    del data["diagnosis"]["atc_extent"]
    del data["biomarkers"]["braf_method"], data["biomarkers"]["sequencing"]
    case = parse_case(data)
    assert case.operable is None and case.pregnancy is None and case.prior_treatments == []
    assert case.diagnosis.atc_extent is None and case.biomarkers.sequencing is None


def test_m0_with_sites_is_accepted_to_be_flagged():
    data = copy.deepcopy(BASE)
    data["tnm"]["m"] = "M0"
    assert parse_case(data).metastases.sites == ["lung"]


@pytest.mark.parametrize("path", V2_FILES, ids=lambda p: p.name)
def test_round_trip_through_the_file_format(path: Path):
    case = read_case_file(path)[0]
    assert parse_case(json.loads(json.dumps(case_to_dict(case)))) == case


@pytest.mark.parametrize("path", V2_FILES, ids=lambda p: p.name)
def test_round_trip_through_the_store(db_location: str, path: Path):
    case = read_case_file(path)[0]
    store = open_store(db_location)
    with store.atomic():
        case_id, _ = store.import_case(case)
    back = store.get_case(case_id)
    assert back.operable == case.operable and back.pregnancy == case.pregnancy
    assert back.diagnosis.atc_extent == case.diagnosis.atc_extent
    assert back.diagnosis.coexisting_dtc == case.diagnosis.coexisting_dtc
    assert back.biomarkers.braf_method == case.biomarkers.braf_method
    assert back.biomarkers.sequencing == case.biomarkers.sequencing
    assert [
        (t.type, t.started_on, t.ended_on, t.response, t.note) for t in back.prior_treatments
    ] == [(t.type, t.started_on, t.ended_on, t.response, t.note) for t in case.prior_treatments]
    with store.atomic():
        assert store.import_case(case) == (case_id, False)  # importing twice changes nothing


def test_editing_prior_treatments_replaces_them(db_location: str):
    case = read_case_file(FIXTURES / "cases" / "v2_progression_dt.json")[0]
    store = open_store(db_location)
    with store.atomic():
        case_id, _ = store.import_case(case)
    edited = store.get_case(case_id)
    edited.prior_treatments[0].response = "partial"
    edited.pregnancy = None
    store.update_case(edited, reason="corrected")
    back = store.get_case(case_id)
    assert [t.response for t in back.prior_treatments] == ["partial"] and back.pregnancy is None


def test_the_database_refuses_impossible_values(db_location: str):
    from tests.store_helpers import REFUSED_BY_DATABASE

    store = open_store(db_location)
    with store.atomic():
        case_id, _ = store.import_case(read_case_file(V2_FILES[0])[0])
    with pytest.raises(REFUSED_BY_DATABASE):
        store.db.execute("UPDATE cases SET pregnancy = 'unsure' WHERE id = ?", [case_id])
