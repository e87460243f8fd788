"""ui/session.py is a thin adapter: what the core session reports comes out as signals,
in the core's order, and what the window reads or sets is the core's own state."""

from __future__ import annotations

from ui.session import MeetingSession


def test_core_reports_become_signals_in_order(qapp, demo_store):
    session = MeetingSession(demo_store)
    seen: list[str] = []
    session.meetingChanged.connect(lambda *_: seen.append("meeting"))
    session.agendaChanged.connect(lambda *_: seen.append("agenda"))
    session.caseChanged.connect(lambda *_: seen.append("case"))
    session.decisionChanged.connect(lambda *_: seen.append("decision"))
    session.attendanceChanged.connect(lambda *_: seen.append("attendance"))
    session.select_meeting(session.default_meeting_id())
    assert seen == ["case", "decision", "meeting", "agenda", "attendance"]
    seen.clear()
    session.open_item(session.lines[0].item_id)
    assert seen == ["case", "decision"]
    assert session.state is session.core.state and session.case is session.core.case


def test_what_the_window_sets_is_the_cores(qapp, demo_store):
    session = MeetingSession(demo_store)
    session.can_draft = False
    session.today = session.today.replace(year=2030)
    assert session.core.can_draft is False and session.core.today.year == 2030
