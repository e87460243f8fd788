"""The meeting being run: which meeting, which case is open, its guideline options and its
decision. No widgets here: the window shows what this holds and asks it to change things.

Everything goes through the Store on the GUI thread (reads are milliseconds). The
guideline engine is pure and fast, so options are recomputed synchronously on each edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from PySide6.QtCore import QObject, Signal

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app import meetings as meeting_rules
from mdt_app.decision_currency import older_data_note
from mdt_app.store import Store
from ui.guidance import recommend_case
from ui.models.agenda_model import AgendaLine, agenda_lines


@dataclass
class DecisionState:
    """What the decision form shows for the open agenda item."""

    decision: d.Decision  # the draft (id None until first saved) or the signed one
    editable: bool
    history: list[d.Decision] = field(default_factory=list)  # every record, oldest first
    snapshot: dict | None = None  # the options the decision is judged against
    read_only_reason: str | None = None  # why it cannot be edited, when that is not deferral
    # When the shown decision is signed and the case changed since: what changed.
    older_data: str = ""

    @property
    def signed_decision(self) -> d.Decision | None:
        """The latest signed record (what the care programme is printed from)."""
        signed = [x for x in self.history if x.is_signed]
        return max(signed, key=lambda x: (x.signed_at or x.created_at, x.id or 0), default=None)


class MeetingSession(QObject):
    meetingChanged = Signal(object)  # Meeting | None
    agendaChanged = Signal(list)  # list[AgendaLine]
    caseChanged = Signal(object, object)  # Case | None, Recommendation | None
    decisionChanged = Signal(object)  # DecisionState | None
    attendanceChanged = Signal(list, object)  # list[Attendee], Quorum

    def __init__(self, store: Store, today: date | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.today = today or date.today()
        self.meeting: d.Meeting | None = None
        self.lines: list[AgendaLine] = []
        self.item: d.AgendaItem | None = None
        self.case: d.Case | None = None
        self.recommendation: d.Recommendation | None = None
        self.state: DecisionState | None = None
        self.can_draft = True  # False for roles that only read, print or export

    # --- meetings and agenda --------------------------------------------------------------

    def meetings(self) -> list[d.Meeting]:
        """What the selector lists: upcoming and recent meetings (and the one shown)."""
        choices = self.store.meeting_choices(self.today)
        if self.meeting is not None and all(m.id != self.meeting.id for m in choices):
            choices.append(self.meeting)
        return choices

    def default_meeting_id(self) -> int | None:
        """The meeting in progress, else the next open one, else the latest."""
        meetings = self.meetings()
        for status in ("in_progress", "planned"):
            found = [m for m in meetings if m.status == status and m.date >= self.today]
            if found:
                return min(found, key=lambda m: (m.date, m.start_time or "")).id
        for status in ("in_progress", "planned"):
            found = [m for m in meetings if m.status == status]
            if found:
                return max(found, key=lambda m: m.date).id
        return max(meetings, key=lambda m: m.date).id if meetings else None

    def select_meeting(self, meeting_id: int | None) -> None:
        self.close_case()
        self.meeting = self.store.get_meeting(meeting_id) if meeting_id else None
        self.meetingChanged.emit(self.meeting)
        self.reload_agenda()
        self.attendanceChanged.emit(self.attendees(), self.quorum())

    def reload_agenda(self) -> None:
        if self.meeting is None:
            self.lines = []
        else:
            meeting_id = self.meeting.id or 0
            items = self.store.agenda(meeting_id)
            targets = {i.deferred_to_meeting_id for i in items} - {None}
            meetings = {t: self.store.get_meeting(t) for t in targets}
            self.lines = agenda_lines(self.store.list_cases(meeting_id), items, meetings)
        self.agendaChanged.emit(self.lines)

    def move_item(self, item_id: int, position: int) -> None:
        self.store.move_agenda_item(item_id, position)
        self.reload_agenda()

    def defer_item(self, item_id: int, to_meeting_id: int, reason: str) -> None:
        """Defer the item as shown: refused (ConflictError) if someone changed it since."""
        shown = next((line.item for line in self.lines if line.item.id == item_id), None)
        self.store.defer(item_id, to_meeting_id, reason, version=shown.version if shown else 0)
        self.reload_agenda()
        if self.item and self.item.id == item_id:
            self.open_item(item_id)

    def add_case(self, case_id: int) -> d.AgendaItem:
        item = self.store.add_to_agenda(self.meeting.id or 0, case_id)  # type: ignore[union-attr]
        self.reload_agenda()
        return item

    # --- attendance -----------------------------------------------------------------------

    def attendees(self) -> list[d.Attendee]:
        return self.store.attendance(self.meeting.id or 0) if self.meeting else []

    def quorum_rule(self) -> dict | None:
        return self.store.get_setting("quorum_rule") or None

    def quorum(self, attendees: list[d.Attendee] | None = None) -> decision_rules.Quorum:
        if attendees is None:
            attendees = self.attendees()
        return decision_rules.quorum(attendees, self.quorum_rule())

    def set_attendance(self, attendees: list[d.Attendee]) -> None:
        self.store.set_attendance(self.meeting.id or 0, attendees)  # type: ignore[union-attr]
        self.attendanceChanged.emit(self.attendees(), self.quorum())

    # --- the open case ----------------------------------------------------------------------

    def open_item(self, item_id: int) -> None:
        self.item = self.store.get_agenda_item(item_id)
        self.case = self.store.get_case(self.item.case_id)
        self._recompute()
        self.caseChanged.emit(self.case, self.recommendation)
        self._load_decision()

    def close_case(self) -> None:
        self.item = self.case = self.recommendation = self.state = None
        self.caseChanged.emit(None, None)
        self.decisionChanged.emit(None)

    def update_case(self, case: d.Case, reason: str | None = None) -> d.Recommendation:
        """Save an edit of the open case; stage and options are recomputed at once."""
        self.store.update_case(case, reason=reason)
        self.case = self.store.get_case(case.id or 0)
        self._recompute()
        if self.state and self.state.editable:
            self.state.snapshot = self.recommendation.as_dict()  # type: ignore[union-attr]
        self.caseChanged.emit(self.case, self.recommendation)
        self.reload_agenda()  # the stage column may have changed
        if self.state and self.state.decision.is_signed:
            self.state.older_data = older_data_note(self.store.older_data(self.state.decision))
            self.decisionChanged.emit(self.state)
        return self.recommendation  # type: ignore[return-value]

    def reload_case(self) -> None:
        """Show the open case as now stored (another client changed it); the decision
        form is left as it is."""
        if self.case is None or self.case.id is None:
            return
        self.case = self.store.get_case(self.case.id)
        self._recompute()
        self.caseChanged.emit(self.case, self.recommendation)

    def _recompute(self) -> None:
        meeting_day = self.meeting.date if self.meeting else self.today
        self.recommendation = recommend_case(self.case, today=meeting_day)  # type: ignore[arg-type]

    # --- the decision -----------------------------------------------------------------------

    def _load_decision(self) -> None:
        item = self.item
        assert item is not None and item.id is not None
        history = self.store.decisions_for_item(item.id)
        draft = self.store.current_draft(item.id)
        effective = self.store.effective_decision(item.id)
        current = self.recommendation.as_dict() if self.recommendation else None
        if draft is not None:
            state = DecisionState(draft, True, history, current)
        elif effective is not None:
            state = DecisionState(effective, False, history, effective.options_snapshot)
            state.older_data = older_data_note(self.store.older_data(effective))
        else:
            fresh = d.Decision(case_id=item.case_id, agenda_item_id=item.id)
            state = DecisionState(fresh, True, history, current)
        if item.status == "deferred" and draft is None:
            state.editable = False  # decided at the meeting it was deferred to
        if state.editable and not meeting_rules.decisions_open(self.meeting, state.decision):
            state.editable = False  # a closed meeting's minutes are final
            state.read_only_reason = self.tr(
                "The meeting is {status}: its decisions are final (defer or amend instead)."
            ).format(status=self.meeting.status if self.meeting else "")
        if not self.can_draft:
            state.editable = False  # this user's role only reads, prints or exports
        self.state = state
        self.decisionChanged.emit(state)

    def save_draft(self, decision: d.Decision) -> d.Decision:
        """Save the form's draft with the options it is being made against."""
        rec = self.recommendation
        assert rec is not None and self.state is not None
        decision = replace(
            decision,
            guideline_id=rec.guideline_id or None,
            guideline_version=rec.guideline_version or None,
            options_snapshot=rec.as_dict(),
        )
        saved = self.store.save_draft(decision)
        self.state.decision = saved
        self.state.snapshot = saved.options_snapshot
        if decision.id is None:  # the first save of a draft changes the agenda line
            self.state.history = self.store.decisions_for_item(saved.agenda_item_id)
            self.reload_agenda()
        return saved

    def reload_decision(self) -> None:
        """Show the decision as now stored (after someone else changed it)."""
        if self.item is not None:
            self._load_decision()

    def sign(
        self,
        decision_id: int,
        chair: str,
        exception_reason: str | None = None,
        version: int | None = None,
    ) -> d.Decision:
        """Sign off exactly ``version`` (the one on screen; ConflictError if it changed);
        without a quorum or on another day only with ``exception_reason``."""
        signed = self.store.sign_decision(
            decision_id, chair, version, exception_reason=exception_reason, today=self.today
        )
        self.reload_agenda()
        self._load_decision()
        return signed

    def amend(self, reason: str) -> d.Decision:
        """Open an amendment draft of the signed decision; the original is kept."""
        assert self.state is not None and self.state.decision.id is not None
        draft = self.store.start_amendment(self.state.decision.id, reason)
        self._load_decision()
        return draft

    def discard_draft(self) -> None:
        if self.state and self.state.decision.id and not self.state.decision.is_signed:
            self.store.discard_draft(self.state.decision.id)
            self.reload_agenda()
            self._load_decision()
