"""The patient's consent: read from mdt-case/1, stored, and never assumed."""

from __future__ import annotations

import copy

import pytest

from mdt_app import domain as d
from mdt_app.casefile import CaseFileError, case_to_dict, parse_case
from mdt_app.store import open_store

BASE = {"format": "mdt-case/1", "patient": {"mrn": "C1", "family_name": "Nowak"}}


def _with(consent):
    raw = copy.deepcopy(BASE)
    raw["consent"] = consent
    return raw


def test_absent_consent_is_not_recorded_never_given():
    case = parse_case(BASE)
    assert case.consent == d.Consent()
    assert not case.consent.is_recorded()
    assert case.consent.discussion is None


def test_consent_reads_and_round_trips():
    raw = _with(
        {
            "discussion": "given",
            "registry": "refused",
            "research": None,
            "recorded_on": "2026-11-02",
            "recorded_by": "Nurse Jo",
        }
    )
    case = parse_case(raw)
    assert case.consent.discussion == "given"
    assert case.consent.refused() == ["registry"]
    assert parse_case(case_to_dict(case)).consent == case.consent


@pytest.mark.parametrize(
    ("consent", "field"),
    [
        ({"discussion": "yes", "recorded_on": "2026-11-02", "recorded_by": "A"}, "discussion"),
        ({"research": "given"}, "consent"),
        ({"registry": "given", "recorded_on": "2999-01-01", "recorded_by": "A"}, "recorded_on"),
        ("given", "consent"),
    ],
)
def test_bad_consent_is_refused_naming_the_field(consent, field):
    with pytest.raises(CaseFileError, match=field):
        parse_case(_with(consent))


def test_consent_is_stored_and_read_back(db_location):
    raw = _with(
        {
            "discussion": "given",
            "research": "refused",
            "recorded_on": "2026-11-02",
            "recorded_by": "Dr Ö",
        }
    )
    store = open_store(db_location)
    with store.atomic():
        case_id, _ = store.import_case(parse_case(raw))
    back = store.get_case(case_id).consent
    assert back.discussion == "given" and back.research == "refused"
    assert back.registry is None
    assert str(back.recorded_on) == "2026-11-02" and back.recorded_by == "Dr Ö"
