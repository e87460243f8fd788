"""The guideline's answer kept per case content (issue 17): a case switched back to is
not evaluated again, and a changed case never shows the options of its old content."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mdt_app import domain as d
from mdt_app.meeting.guidance import recommend_case
from mdt_app.meeting.guidance_cache import GuidanceCache


@pytest.fixture
def session(demo_store):
    from mdt_app.meeting import MeetingSession

    meeting = next(m for m in demo_store.list_meetings() if m.status == "in_progress")
    s = MeetingSession(demo_store, today=meeting.date)
    s.select_meeting(meeting.id)
    return s


def _queued(session, n: int = 2) -> list[int]:
    return [x.item_id for x in session.lines if x.decision_status == "none"][:n]


def test_switching_back_to_an_unchanged_case_does_not_evaluate_it_again(session):
    first, second = _queued(session)
    session.open_item(first)
    options = session.recommendation
    session.open_item(second)
    runs = session.guidance.evaluations
    session.open_item(first)
    assert session.guidance.evaluations == runs  # kept
    assert session.recommendation == options
    session.open_item(second)
    assert session.guidance.evaluations == runs


def test_an_edit_of_the_case_evaluates_its_new_content(session):
    first, second = _queued(session)
    session.open_item(first)
    case = session.case
    braf = "negative" if case.biomarkers.braf_v600e == "positive" else "positive"
    edited = replace(case, biomarkers=replace(case.biomarkers, braf_v600e=braf))
    rec = session.update_case(edited)
    assert rec == recommend_case(session.case, today=session.meeting.date)
    session.open_item(second)
    session.open_item(first)  # back again: the edited content, not the first evaluation
    assert session.case.biomarkers.braf_v600e == braf
    assert session.recommendation == rec


def test_a_change_by_another_client_is_seen_on_the_next_switch(session, demo_store):
    first, second = _queued(session)
    session.open_item(first)
    before = session.recommendation
    stored = demo_store.get_case(session.case.id)
    demo_store.update_case(replace(stored, ecog=4 if stored.ecog != 4 else 1))  # elsewhere
    session.open_item(second)
    session.open_item(first)
    assert session.recommendation == recommend_case(session.case, today=session.meeting.date)
    assert session.recommendation != before  # ECOG 4 changes what the pathway advises


def test_a_case_changed_in_place_after_evaluation_is_evaluated_again():
    calls: list[d.Case] = []

    def engine(case: d.Case, day: date) -> d.Recommendation:
        calls.append(case)
        return recommend_case(case, today=day)

    cache = GuidanceCache(engine)
    case = d.Case(patient=d.Patient(mrn="X1", given_name="Patient", family_name="Test"), id=7)
    day = date(2026, 12, 2)
    cache.get(case, day)
    cache.get(case, day)
    assert len(calls) == 1
    case.ecog = 4  # the same object, edited where it lies
    cache.get(case, day)
    assert len(calls) == 2
    cache.get(case, date(2026, 12, 9))  # another meeting day: ages and intervals differ
    assert len(calls) == 3
    unstored = d.Case(patient=d.Patient(mrn="X2", given_name="Other", family_name="Test"))
    cache.get(unstored, day)
    cache.get(unstored, day)
    assert len(calls) == 5  # without an id nothing is kept


def test_the_cache_keeps_only_the_most_recent_cases():
    cache = GuidanceCache(lambda case, day: recommend_case(case, today=day), size=2)
    day = date(2026, 12, 2)
    cases = [
        d.Case(patient=d.Patient(mrn=f"X{n}", given_name="P", family_name="Test"), id=n)
        for n in range(3)
    ]
    for case in cases:
        cache.get(case, day)
    runs = cache.evaluations
    cache.get(cases[0], day)  # pushed out by the third
    assert cache.evaluations == runs + 1
