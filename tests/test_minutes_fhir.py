"""Minutes as a FHIR R4 (R4B models) document Bundle, validated by round-tripping."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.patient import Patient

from mdt_app.documents.minutes import build_minutes, export_minutes
from tests.minutes_data import ATTENDEES, build_meeting


@pytest.fixture
def meeting(store):
    meeting_id, _ = build_meeting(store)
    return meeting_id


def resources(bundle: Bundle, kind: type) -> list:
    return [e.resource for e in bundle.entry if isinstance(e.resource, kind)]


def test_bundle_round_trips_through_the_r4b_models(store, meeting, tmp_path):
    path = export_minutes(store, meeting, tmp_path / "m.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    bundle = Bundle.model_validate_json(path.read_text(encoding="utf-8"))
    assert json.loads(bundle.model_dump_json()) == raw
    assert bundle.type == "document" and bundle.identifier.value.startswith("urn:uuid:")
    assert isinstance(bundle.entry[0].resource, Composition)
    full_urls = [e.fullUrl for e in bundle.entry]
    assert len(set(full_urls)) == len(full_urls)
    # every reference inside the bundle resolves to one of its entries
    references = set(_references(raw))
    assert references and references <= set(full_urls)


def _references(node):
    if isinstance(node, dict):
        if isinstance(node.get("reference"), str):
            yield node["reference"]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def test_composition_sections_patients_and_care_plans(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    bundle = Bundle.model_validate_json(
        export_minutes(store, meeting, tmp_path / "m.json").read_text(encoding="utf-8")
    )
    composition = bundle.entry[0].resource
    assert composition.type.coding[0].code == "85232-7"
    assert composition.status == "preliminary"  # an unsigned draft remains
    items = next(s for s in composition.section if s.title == "Agenda items").section
    assert [s.title.split(" (")[0] for s in items] == [
        f"{e.position}. {e.patient.name}" for e in minutes.items
    ]
    assert "PET-CT result awaited" in items[4].text.div
    attendance = next(s for s in composition.section if s.title == "Attendance")
    assert len(attendance.entry) == len(ATTENDEES)
    summary = next(s for s in composition.section if s.title == "Summary")
    assert "2 of 3 signed decisions followed the guideline" in summary.text.div
    patients = resources(bundle, Patient)
    assert sorted(p.identifier[0].value for p in patients) == sorted(
        e.patient.mrn for e in minutes.items
    )
    plans = resources(bundle, CarePlan)
    # three signed decisions in effect, plus the one the amendment replaced
    assert sorted(p.status for p in plans) == ["active", "active", "active", "revoked"]
    amended = next(p for p in plans if p.replaces)
    assert "patient declined radiotherapy" in amended.note[0].text
    deviating = next(p for p in plans if p.note and "DEVIATES" in p.note[0].text)
    assert "patient's informed choice" in deviating.note[0].text
    action = next(a.detail for p in plans for a in p.activity if a.detail.performer)
    assert action.description == "Book CT chest" and str(action.scheduledPeriod.end)


def test_pseudonymised_bundle_has_no_names_mrns_or_birth_dates(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    path = export_minutes(store, meeting, tmp_path / "p.json", pseudonymise=True)
    content = path.read_text(encoding="utf-8")
    for entry in minutes.items:
        for identifier in (entry.patient.name, entry.patient.mrn, str(entry.patient.birth_date)):
            assert identifier not in content and json.dumps(identifier)[1:-1] not in content
    bundle = Bundle.model_validate_json(content)
    for patient in resources(bundle, Patient):
        assert patient.birthDate is None
        assert patient.identifier[0].system == "urn:mdt-assistant:pseudonym"
        # a pseudonymous structured name keeps the Patient valid (mCODE / US Core need one)
        assert patient.name[0].family == patient.identifier[0].value
        assert patient.name[0].use == "anonymous" and not patient.name[0].given
