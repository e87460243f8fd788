"""The meeting session in the core (issue 12): run with PySide6 blocked, so every rule the
window relies on - which decision shows, whether it may be edited, the sign-off checks,
deferral, amendment, the agenda's statuses - is shown to live outside the window."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from mdt_app import domain as d
from mdt_app.errors import AuthenticationError, ConflictError
from mdt_app.security.demo_users import DEMO_CHAIR, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]

# Importing a blocked name raises ImportError: a core that reached for Qt would fail here.
BLOCK_QT = "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n"


@pytest.fixture
def no_qt(monkeypatch):
    """PySide6 and shiboken6 cannot be imported during the test."""
    monkeypatch.setitem(sys.modules, "PySide6", None)
    monkeypatch.setitem(sys.modules, "shiboken6", None)


class Recorder:
    """Collects what the session reports, in order (what the window's signals carry)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, object]] = []

    def meeting_changed(self, meeting):
        self.seen.append(("meeting", meeting))

    def agenda_changed(self, lines):
        self.seen.append(("agenda", list(lines)))

    def case_changed(self, case, rec):
        self.seen.append(("case", case))

    def decision_changed(self, state):
        self.seen.append(("decision", state))

    def attendance_changed(self, attendees, quorum):
        self.seen.append(("attendance", quorum))

    def kinds(self) -> list[str]:
        return [k for k, _ in self.seen]


@pytest.fixture
def session(no_qt, demo_store):
    from mdt_app.meeting import MeetingSession

    meeting = next(m for m in demo_store.list_meetings() if m.status == "in_progress")
    events = Recorder()
    s = MeetingSession(demo_store, today=meeting.date, events=events)
    s.select_meeting(meeting.id)
    return s


def _line(session, decision_status: str, item_status: str = "queued"):
    return next(
        x
        for x in session.lines
        if x.decision_status == decision_status and x.item.status == item_status
    )


def _quorate(session) -> None:
    session.set_attendance([
        d.Attendee("Dr Surgeon", "surgeon"),
        d.Attendee("Dr Oncologist", "medical oncologist"),
        d.Attendee("Dr Endocrinologist", "endocrinologist"),
    ])  # fmt: skip


def test_the_core_session_imports_and_runs_with_qt_blocked(demo_db):
    script = BLOCK_QT + (
        "from mdt_app.meeting import MeetingSession\n"
        "from mdt_app.store import open_store\n"
        f"store = open_store({str(demo_db)!r}, actor='tester')\n"
        "s = MeetingSession(store)\n"
        "s.select_meeting(s.default_meeting_id())\n"
        "state = s.open_item(s.lines[0].item_id)\n"
        "print(len(s.lines), state.editable, s.recommendation.stage)\n"
        "assert not any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules\n"
        "               if sys.modules[m] is not None)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    count, _editable, stage = done.stdout.split()
    assert int(count) > 5 and stage.startswith("IV")


def test_selecting_a_meeting_reports_meeting_agenda_and_attendance(session):
    events = session.events
    assert events.kinds() == ["case", "decision", "meeting", "agenda", "attendance"]
    assert session.item is None and session.state is None
    assert all(line.item.meeting_id == session.meeting.id for line in session.lines)


def test_agenda_lines_carry_status_and_days_waiting(session):
    from mdt_app.meeting import AgendaStatus

    statuses = {line.status() for line in session.lines}
    assert {AgendaStatus.DECIDED, AgendaStatus.DRAFT, AgendaStatus.QUEUED,
            AgendaStatus.DEFERRED} <= statuses  # fmt: skip
    queued = _line(session, "none")
    assert queued.status(current_item_id=queued.item_id) is AgendaStatus.UNDER_DISCUSSION
    assert _line(session, "signed", "discussed").decided and not queued.decided
    since = queued.diagnosed_on or queued.referred_on
    assert since is not None
    assert queued.days_waiting(session.today) == (session.today - since).days
    assert AgendaStatus.DECIDED == "decided"  # the stored and shown values stay strings


def test_a_queued_case_opens_an_editable_new_draft(session):
    line = _line(session, "none")
    state = session.open_item(line.item_id)
    assert state.editable and state.read_only is None and state.decision.id is None
    assert state.snapshot.as_dict() == session.recommendation.as_dict()
    assert session.events.kinds()[-2:] == ["case", "decision"]


def test_a_signed_decision_is_read_only_and_judged_on_its_own_options(session):
    from mdt_app.meeting import ReadOnly

    state = session.open_item(_line(session, "signed", "discussed").item_id)
    assert not state.editable and state.read_only is ReadOnly.SIGNED
    assert state.decision.is_signed and state.signed_decision == state.decision
    assert state.judged_against.as_dict() == state.decision.options_snapshot


def test_a_deferred_case_is_decided_where_it_went(session):
    from mdt_app.meeting import ReadOnly

    state = session.open_item(_line(session, "none", "deferred").item_id)
    assert not state.editable and state.read_only is ReadOnly.DEFERRED


def test_deferring_the_open_case_makes_it_read_only(session, demo_store):
    from mdt_app.meeting import AgendaStatus, ReadOnly

    line = _line(session, "none")
    session.open_item(line.item_id)
    later = next(m for m in demo_store.list_meetings() if m.status == "planned")
    session.defer_item(line.item_id, later.id, "awaiting the BRAF result")
    assert session.state.read_only is ReadOnly.DEFERRED
    assert session.line_of(line.item_id).status() is AgendaStatus.DEFERRED
    assert later.title in (session.line_of(line.item_id).deferred_to or "")


def test_a_closed_meetings_decisions_are_final(no_qt, demo_store):
    from mdt_app.meeting import MeetingSession, ReadOnly

    closed = next(m for m in demo_store.list_meetings() if m.status == "closed")
    s = MeetingSession(demo_store, today=closed.date)
    s.select_meeting(closed.id)
    state = s.open_item(s.lines[0].item_id)
    assert not state.editable and state.read_only is ReadOnly.SIGNED
    for line in s.lines:  # and no line offers a draft to write
        assert not s.open_item(line.item_id).editable


def test_a_role_that_only_reads_gets_a_read_only_form(session):
    from mdt_app.meeting import ReadOnly

    session.can_draft = False
    state = session.open_item(_line(session, "none").item_id)
    assert not state.editable and state.read_only is ReadOnly.ROLE


def test_sign_off_check_names_the_problems_as_typed_results(session):
    line = _line(session, "none")
    state = session.open_item(line.item_id)
    check = session.prepare_sign_off(state.decision)
    assert not check.ready
    assert [p.kind for p in check.problems][0] == "nothing_decided"
    assert session.store.current_draft(line.item_id) is None  # nothing was written
    not_recommended = [o.code for o in session.recommendation.not_recommended]
    assert not_recommended, "the demo case has a not-recommended option"
    picked = replace(state.decision, chosen_options=[not_recommended[0]], plan_text="plan")
    check = session.check_sign_off(picked)
    assert check.deviation is not None and check.deviation.kind == "not_recommended"
    assert check.deviation.codes == (not_recommended[0],)
    problem = next(p for p in check.problems if p.kind == "deviation_without_reason")
    assert problem.deviation == check.deviation
    # Before the chair asks to sign, the form lists no deviation problem.
    assert all(p.kind != "deviation_without_reason" for p in check.shown_problems(False))
    assert check.decision.guideline_version == session.recommendation.guideline_version


def _signable(session):
    line = _line(session, "none")
    state = session.open_item(line.item_id)
    code = session.recommendation.recommended[0].code
    return line, replace(state.decision, chosen_options=[code], plan_text="Agreed plan",
                         deviation_reason="discussed")  # fmt: skip


def test_sign_off_stores_the_draft_then_signs_it_with_the_chairs_password(session):
    from mdt_app.meeting import AgendaStatus, Signature

    _quorate(session)
    line, on_screen = _signable(session)
    check = session.prepare_sign_off(on_screen)
    assert check.ready and check.exceptions == ()
    stored = check.decision
    assert stored.id is not None and stored.plan_text == "Agreed plan"
    assert session.store.current_draft(line.item_id).version == stored.version
    with pytest.raises(AuthenticationError):
        session.sign(stored.id, "x", None, stored.version, Signature(DEMO_CHAIR, "wrong"))
    assert not session.store.get_decision(stored.id).is_signed  # nothing signed
    signed = session.sign(
        stored.id, "x", None, stored.version, Signature(DEMO_CHAIR, DEMO_PASSWORD)
    )
    assert signed.is_signed and signed.signed_by.startswith("Dr In")
    assert session.state.decision.id == signed.id and not session.state.editable
    assert session.line_of(line.item_id).status() is AgendaStatus.DECIDED


def test_sign_off_of_a_draft_changed_elsewhere_is_refused(session, demo_db):
    from mdt_app.store import open_store

    _quorate(session)
    line, on_screen = _signable(session)
    stored = session.save_draft(on_screen)
    with open_store(demo_db, actor="colleague") as other:
        other.save_draft(replace(other.current_draft(line.item_id), plan_text="theirs"))
    with pytest.raises(ConflictError):
        session.prepare_sign_off(replace(on_screen, id=stored.id, version=stored.version))
    assert session.store.current_draft(line.item_id).plan_text == "theirs"


def test_outside_quorum_the_check_says_a_reason_is_needed(session):
    session.set_attendance([d.Attendee("Dr Surgeon", "surgeon")])
    assert session.events.seen[-1][1].quorate is False
    _line_, on_screen = _signable(session)
    check = session.check_sign_off(on_screen)
    assert [e.kind for e in check.exceptions] == ["not_quorate"]


def test_amendment_opens_a_new_draft_and_keeps_the_signed_record(session):
    line = _line(session, "signed", "discussed")
    signed = session.open_item(line.item_id).decision
    draft = session.amend("new imaging result")
    assert draft.amends_decision_id == signed.id and draft.amendment_reason
    state = session.state
    assert state.editable and state.decision.id == draft.id
    assert state.signed_decision.id == signed.id  # the care programme still prints from it
    assert session.store.get_decision(signed.id).is_signed


def test_editing_the_case_rejudges_the_draft_against_new_options(session):
    line = _line(session, "draft")
    state = session.open_item(line.item_id)
    case = session.case
    rec = session.update_case(replace(case, ecog=4 if case.ecog != 4 else 3))
    assert state.snapshot.as_dict() == rec.as_dict()
    assert state.snapshot.guideline_version == rec.guideline_version
    assert session.events.kinds()[-2:] == ["case", "agenda"]
