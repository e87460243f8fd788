"""The meeting session as the window sees it: a thin QObject adapter over the Qt-free
`mdt_app.meeting.MeetingSession`, turning what it reports into signals. No rules here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app import meeting as core
from mdt_app.meeting import AgendaLine, DecisionState, Signature, SignOffCheck
from mdt_app.store import Store
from ui.guidance import recommend_case

__all__ = ["DecisionState", "MeetingSession"]


class _Events(core.SessionEvents):
    """The core's reports, re-emitted as the adapter's signals."""

    def __init__(self, adapter: MeetingSession) -> None:
        self.adapter = adapter

    def meeting_changed(self, meeting: d.Meeting | None) -> None:
        self.adapter.meetingChanged.emit(meeting)

    def agenda_changed(self, lines: list[AgendaLine]) -> None:
        self.adapter.agendaChanged.emit(lines)

    def case_changed(self, case: d.Case | None, rec: d.Recommendation | None) -> None:
        self.adapter.caseChanged.emit(case, rec)

    def decision_changed(self, state: DecisionState | None) -> None:
        self.adapter.decisionChanged.emit(state)

    def attendance_changed(
        self, attendees: list[d.Attendee], quorum: decision_rules.Quorum
    ) -> None:
        self.adapter.attendanceChanged.emit(attendees, quorum)


def _recommend(case: d.Case, today: date) -> d.Recommendation:
    return recommend_case(case, today=today)


class MeetingSession(QObject):
    meetingChanged = Signal(object)  # Meeting | None
    agendaChanged = Signal(list)  # list[AgendaLine]
    caseChanged = Signal(object, object)  # Case | None, Recommendation | None
    decisionChanged = Signal(object)  # DecisionState | None
    attendanceChanged = Signal(list, object)  # list[Attendee], Quorum

    def __init__(
        self, store: Store, today: date | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.core = core.MeetingSession(store, today, _Events(self), _recommend)

    # --- what the session holds (the core's, read and set through here) ------------------

    @property
    def store(self) -> Store:
        return self.core.store

    @property
    def today(self) -> date:
        return self.core.today

    @today.setter
    def today(self, value: date) -> None:
        self.core.today = value

    @property
    def meeting(self) -> d.Meeting | None:
        return self.core.meeting

    @meeting.setter
    def meeting(self, value: d.Meeting | None) -> None:
        self.core.meeting = value

    @property
    def lines(self) -> list[AgendaLine]:
        return self.core.lines

    @property
    def item(self) -> d.AgendaItem | None:
        return self.core.item

    @property
    def case(self) -> d.Case | None:
        return self.core.case

    @property
    def recommendation(self) -> d.Recommendation | None:
        return self.core.recommendation

    @property
    def state(self) -> DecisionState | None:
        return self.core.state

    @property
    def can_draft(self) -> bool:
        return self.core.can_draft

    @can_draft.setter
    def can_draft(self, value: bool) -> None:
        self.core.can_draft = value

    # --- what the window asks (each a call into the core; it reports back as signals) ----

    def meetings(self) -> list[d.Meeting]:
        return self.core.meetings()

    def default_meeting_id(self) -> int | None:
        return self.core.default_meeting_id()

    def select_meeting(self, meeting_id: int | None) -> None:
        self.core.select_meeting(meeting_id)

    def reload_agenda(self) -> None:
        self.core.reload_agenda()

    def move_item(self, item_id: int, position: int) -> None:
        self.core.move_item(item_id, position)

    def defer_item(self, item_id: int, to_meeting_id: int, reason: str) -> None:
        self.core.defer_item(item_id, to_meeting_id, reason)

    def add_case(self, case_id: int) -> d.AgendaItem:
        return self.core.add_case(case_id)

    def attendees(self) -> list[d.Attendee]:
        return self.core.attendees()

    def quorum(self, attendees: list[d.Attendee] | None = None) -> decision_rules.Quorum:
        return self.core.quorum(attendees)

    def set_attendance(self, attendees: list[d.Attendee]) -> None:
        self.core.set_attendance(attendees)

    def open_item(self, item_id: int) -> None:
        self.core.open_item(item_id)

    def preview_item(self, item_id: int) -> d.Recommendation:
        return self.core.preview_item(item_id)

    def close_case(self) -> None:
        self.core.close_case()

    def update_case(self, case: d.Case, reason: str | None = None) -> d.Recommendation:
        return self.core.update_case(case, reason)

    def reload_case(self) -> None:
        self.core.reload_case()

    def save_draft(self, decision: d.Decision) -> d.Decision:
        return self.core.save_draft(decision)

    def reload_decision(self) -> None:
        self.core.reload_decision()

    def check_sign_off(self, on_screen: d.Decision) -> SignOffCheck:
        return self.core.check_sign_off(on_screen)

    def prepare_sign_off(
        self,
        on_screen: d.Decision,
        save: Callable[[d.Decision], d.Decision | None] | None = None,
    ) -> SignOffCheck:
        return self.core.prepare_sign_off(on_screen, save)

    def sign(
        self,
        decision_id: int,
        chair: str,
        exception_reason: str | None = None,
        version: int | None = None,
        signature: Signature | None = None,
    ) -> d.Decision:
        return self.core.sign(decision_id, chair, exception_reason, version, signature)

    def amend(self, reason: str) -> d.Decision:
        return self.core.amend(reason)

    def discard_draft(self) -> None:
        self.core.discard_draft()
