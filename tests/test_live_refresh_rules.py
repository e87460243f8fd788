"""Which parts of the meeting screen a change makes stale (mdt_app.live.refresh)."""

from __future__ import annotations

from mdt_app.live.changes import Change
from mdt_app.live.refresh import OnScreen, what_to_refresh

SCREEN = OnScreen(
    meeting_id=1,
    agenda_case_ids=frozenset({10, 11}),
    case_id=10,
    agenda_item_id=100,
    decision_ids=frozenset({500}),
)


def change(action, entity, entity_id, actor="colleague", **where):
    return Change(1, "2026-12-02T09:00:00+00:00", actor, action, entity, entity_id, **where)


def test_a_sign_off_of_the_open_item_refreshes_agenda_and_decision():
    plan = what_to_refresh(
        [change("sign_decision", "decision", 500, meeting_ids=frozenset({1}),
                case_ids=frozenset({10}), agenda_item_id=100, decision_id=500)],
        SCREEN,
    )  # fmt: skip
    assert (plan.agenda, plan.case, plan.decision) == (True, False, True)
    assert plan.by() == ["colleague"]


def test_a_move_in_the_agenda_leaves_the_open_decision_alone():
    plan = what_to_refresh(
        [change("move_agenda_item", "agenda_item", 101, meeting_ids=frozenset({1}),
                case_ids=frozenset({11}), agenda_item_id=101)],
        SCREEN,
    )  # fmt: skip
    assert (plan.agenda, plan.case, plan.decision) == (True, False, False)


def test_another_meeting_is_not_this_screens_business():
    plan = what_to_refresh(
        [change("sign_decision", "decision", 900, meeting_ids=frozenset({2}),
                case_ids=frozenset({20}), agenda_item_id=200, decision_id=900)],
        SCREEN,
    )  # fmt: skip
    assert not plan and plan.changes == ()


def test_a_case_edit_refreshes_the_case_and_its_agenda_line():
    plan = what_to_refresh([change("edit_case", "case", 10, case_ids=frozenset({10}))], SCREEN)
    assert (plan.agenda, plan.case, plan.decision) == (True, True, False)
    other = what_to_refresh([change("edit_case", "case", 11, case_ids=frozenset({11}))], SCREEN)
    assert (other.agenda, other.case) == (True, False)


def test_a_draft_gone_without_trace_is_checked_for():
    gone = change("discard_draft", "decision", 777, decision_id=777, placed=False)
    plan = what_to_refresh([gone], SCREEN)
    assert plan.agenda and plan.decision  # cannot tell where: look again


def test_closing_the_meeting_refreshes_the_decision_but_attendance_does_not():
    closed = change("close_meeting", "meeting", 1, meeting_ids=frozenset({1}))
    assert what_to_refresh([closed], SCREEN).decision
    present = change("set_attendance", "meeting", 1, meeting_ids=frozenset({1}))
    plan = what_to_refresh([present], SCREEN)
    assert plan.agenda and not plan.decision


def test_who_is_named_once_in_order():
    changes = [
        change("move_agenda_item", "agenda_item", 101, actor="b", meeting_ids=frozenset({1})),
        change("move_agenda_item", "agenda_item", 101, actor="a", meeting_ids=frozenset({1})),
        change("move_agenda_item", "agenda_item", 101, actor="b", meeting_ids=frozenset({1})),
    ]
    assert what_to_refresh(changes, SCREEN).by() == ["b", "a"]


def test_meetings_planned_elsewhere_refresh_the_selector_only():
    planned = change("create_meeting", "meeting", 2, meeting_ids=frozenset({2}))
    plan = what_to_refresh([planned], SCREEN)
    assert plan.meeting_list and not (plan.meeting or plan.agenda or plan.decision)
    edited = change("edit_meeting", "meeting", 1, meeting_ids=frozenset({1}))
    assert what_to_refresh([edited], SCREEN).meeting
