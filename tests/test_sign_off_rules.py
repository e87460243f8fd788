"""Sign-off without a quorum or outside the meeting's day: only with a recorded reason,
kept with the decision and shown in the minutes (issue 14, point 2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mdt_app import decision_rules as rules
from mdt_app import domain as d
from mdt_app.documents.minutes.build import build_minutes
from mdt_app.documents.minutes.text import decision_rows
from mdt_app.errors import ValidationError
from tests.test_store import MEETING_DAY, _draft, _import

QUORATE = [
    d.Attendee("Dr Surgeon", "surgeon"),
    d.Attendee("Dr Oncologist", "medical oncologist"),
    d.Attendee("Dr Endocrinologist", "endocrinologist"),
]


@pytest.fixture
def empty_meeting_item(db_location):
    from mdt_app.casefile import read_case_file
    from mdt_app.store import open_store
    from tests.conftest import FIXTURES

    store = open_store(db_location, actor="tester")
    case = read_case_file(FIXTURES / "import" / "valid_case.json")[0]
    case_id, _ = _import(store, case)
    meeting_id = store.create_meeting(d.Meeting(date=MEETING_DAY, title="ATC MDT"))
    yield store, meeting_id, store.add_to_agenda(meeting_id, case_id)
    store.close()


def test_rule_is_typed_and_names_both_exceptions():
    not_quorate = rules.quorum([], None)
    found = rules.sign_off_exceptions(not_quorate, MEETING_DAY, MEETING_DAY + timedelta(days=14))
    assert [e.kind for e in found] == ["not_quorate", "not_meeting_day"]
    assert "0 present" in str(found[0]) and "2026-11-25" in str(found[1])
    assert rules.sign_off_exceptions(rules.quorum(QUORATE), MEETING_DAY, MEETING_DAY) == []


def test_no_quorum_refused_without_reason_then_signed_with_it(empty_meeting_item):
    store, meeting_id, item = empty_meeting_item
    draft = store.save_draft(_draft(item))
    with pytest.raises(ValidationError, match="not quorate"):
        store.sign_decision(draft.id, "Dr Chair", today=MEETING_DAY)
    assert not store.get_decision(draft.id).is_signed  # nothing changed
    signed = store.sign_decision(
        draft.id, "Dr Chair", exception_reason="urgent airway case", today=MEETING_DAY
    )
    assert signed.sign_off_exceptions == ["not_quorate"]
    assert signed.sign_off_reason == "urgent airway case"
    audit = store.audit_log("decision", draft.id)[-1]
    assert audit.details["exceptions"] == ["not_quorate"]


def test_another_day_needs_a_reason_even_when_quorate(empty_meeting_item):
    store, meeting_id, item = empty_meeting_item
    store.set_attendance(meeting_id, QUORATE)
    draft = store.save_draft(_draft(item))
    later = MEETING_DAY + timedelta(days=14)
    with pytest.raises(ValidationError, match="outside the meeting's day"):
        store.sign_decision(draft.id, "Dr Chair", today=later)
    signed = store.sign_decision(draft.id, "Dr Chair", today=MEETING_DAY)
    assert signed.sign_off_exceptions == [] and signed.sign_off_reason is None


def test_reason_appears_in_the_minutes(empty_meeting_item):
    store, meeting_id, item = empty_meeting_item
    draft = store.save_draft(_draft(item))
    store.sign_decision(draft.id, "Dr Chair", exception_reason="chair signed next morning",
                        today=date(2026, 11, 26))  # fmt: skip
    minutes = build_minutes(store, meeting_id)
    record = minutes.items[0].decision
    assert record is not None
    rows = dict(decision_rows(record, "Decision"))
    line = rows["Sign-off exception"][0]
    assert "without a quorum" in line and "outside the meeting's day" in line
    assert "chair signed next morning" in line


def test_follow_up_in_weeks_and_the_exception_reach_every_export(empty_meeting_item):
    from mdt_app.documents.care_programme_content import care_programme_for
    from mdt_app.documents.minutes.csv import item_row
    from mdt_app.documents.minutes.text import follow_up_line

    store, meeting_id, item = empty_meeting_item
    draft = store.save_draft(_draft(item, follow_up_weeks=6, follow_up_months=2))
    store.sign_decision(draft.id, "Dr Chair", exception_reason="no quorum: urgent airway",
                        today=MEETING_DAY)  # fmt: skip
    minutes = build_minutes(store, meeting_id)
    entry = minutes.items[0]
    assert follow_up_line(entry.decision).startswith("every 6 weeks")
    row = item_row(minutes, entry)
    assert row["follow_up_weeks"] == "6" and row["sign_off_exception"] == "not_quorate"
    assert row["sign_off_reason"] == "no quorum: urgent airway"
    assert rules.follow_up_interval(store.get_decision(draft.id)) == "every 6 weeks"
    case, decision = store.get_case(item.case_id), store.get_decision(draft.id)
    meeting = store.get_meeting(meeting_id)
    programme = care_programme_for(case, decision, meeting, None, today=MEETING_DAY)
    assert "about every 6 weeks" in str(programme)
