"""The meeting being run, as plain Python: which meeting, which case is open, its
guideline options and its decision; what may be edited, saving drafts, deferral,
sign-off and amendment. No Qt here: the window's adapter (`ui/session.py`) turns what
this tells its ``events`` into signals.

Everything goes through the Store on the caller's thread (reads are milliseconds). The
guideline engine is pure and fast, so options are recomputed synchronously on each edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app import meetings as meeting_rules
from mdt_app.decision_currency import older_data_note
from mdt_app.errors import ValidationError
from mdt_app.meeting.agenda import AgendaLine, agenda_lines
from mdt_app.meeting.decision_state import DecisionState, ReadOnly, decision_state
from mdt_app.meeting.guidance import recommend_case
from mdt_app.meeting.guidance_cache import GuidanceCache
from mdt_app.meeting.sign_off import Signature, SignOffCheck, check_sign_off
from mdt_app.snapshot import OptionsSnapshot
from mdt_app.store import Store

Recommender = Callable[[d.Case, date], d.Recommendation]


class SessionEvents:
    """What the session tells whoever shows it; every method does nothing by default."""

    def meeting_changed(self, meeting: d.Meeting | None) -> None:
        """Another meeting is shown (or none)."""

    def agenda_changed(self, lines: list[AgendaLine]) -> None:
        """The agenda lines changed (order, status, stage)."""

    def case_changed(self, case: d.Case | None, rec: d.Recommendation | None) -> None:
        """Another case is open (or none), or its data and options changed."""

    def decision_changed(self, state: DecisionState | None) -> None:
        """The decision shown changed (opened, signed, amended, reloaded)."""

    def attendance_changed(
        self, attendees: list[d.Attendee], quorum: decision_rules.Quorum
    ) -> None:
        """Who is present, and whether the meeting is quorate."""


def _default_recommend(case: d.Case, today: date) -> d.Recommendation:
    return recommend_case(case, today=today)


class MeetingSession:
    """One window's meeting: the open case and its decision, over one Store."""

    def __init__(
        self,
        store: Store,
        today: date | None = None,
        events: SessionEvents | None = None,
        recommend: Recommender = _default_recommend,
    ) -> None:
        self.store = store
        self.today = today or date.today()
        self.events = events or SessionEvents()
        self.recommend = recommend
        # The options of each case as last evaluated, used while its content is unchanged.
        self.guidance = GuidanceCache(lambda case, day: self.recommend(case, day))
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
        open_statuses = (d.MeetingStatus.IN_PROGRESS, d.MeetingStatus.PLANNED)
        for status in open_statuses:
            found = [m for m in meetings if m.status == status and m.date >= self.today]
            if found:
                return min(found, key=lambda m: (m.date, m.start_time or "")).id
        for status in open_statuses:
            found = [m for m in meetings if m.status == status]
            if found:
                return max(found, key=lambda m: m.date).id
        return max(meetings, key=lambda m: m.date).id if meetings else None

    def select_meeting(self, meeting_id: int | None) -> None:
        """Show meeting ``meeting_id`` (None: no meeting); no case is open after."""
        self.close_case()
        self.meeting = self.store.get_meeting(meeting_id) if meeting_id else None
        self.events.meeting_changed(self.meeting)
        self.reload_agenda()
        self.events.attendance_changed(self.attendees(), self.quorum())

    def reload_agenda(self) -> list[AgendaLine]:
        """Read the meeting's agenda again; returns the lines (also told to ``events``)."""
        if self.meeting is None:
            self.lines = []
        else:
            meeting_id = self.meeting.id or 0
            items = self.store.agenda(meeting_id)
            targets = {i.deferred_to_meeting_id for i in items if i.deferred_to_meeting_id}
            meetings = {t: self.store.get_meeting(t) for t in targets}
            self.lines = agenda_lines(self.store.list_cases(meeting_id), items, meetings)
        self.events.agenda_changed(self.lines)
        return self.lines

    def line_of(self, item_id: int) -> AgendaLine | None:
        """The agenda line of item ``item_id`` as last read."""
        return next((line for line in self.lines if line.item.id == item_id), None)

    def move_item(self, item_id: int, position: int) -> None:
        """Move an agenda item to ``position`` (1-based)."""
        self.store.move_agenda_item(item_id, position)
        self.reload_agenda()

    def defer_item(self, item_id: int, to_meeting_id: int, reason: str) -> None:
        """Defer the item as shown: refused (ConflictError) if someone changed it since."""
        shown = self.line_of(item_id)
        self.store.defer(item_id, to_meeting_id, reason, version=shown.item.version if shown else 0)
        self.reload_agenda()
        if self.item and self.item.id == item_id:
            self.open_item(item_id)

    def add_case(self, case_id: int) -> d.AgendaItem:
        """Queue case ``case_id`` on the meeting shown."""
        if self.meeting is None:
            raise ValidationError("no meeting is shown: choose one to queue the case on")
        item = self.store.add_to_agenda(self.meeting.id or 0, case_id)
        self.reload_agenda()
        return item

    # --- attendance -----------------------------------------------------------------------

    def attendees(self) -> list[d.Attendee]:
        """Who is recorded at the meeting shown."""
        return self.store.attendance(self.meeting.id or 0) if self.meeting else []

    def quorum_rule(self) -> dict[str, Any] | None:
        """The centre's quorum rule (None: the default one)."""
        rule: dict[str, Any] | None = self.store.get_setting("quorum_rule") or None
        return rule

    def quorum(self, attendees: list[d.Attendee] | None = None) -> decision_rules.Quorum:
        """Whether ``attendees`` (default: those recorded) make the meeting quorate."""
        if attendees is None:
            attendees = self.attendees()
        return decision_rules.quorum(attendees, self.quorum_rule())

    def set_attendance(self, attendees: list[d.Attendee]) -> None:
        """Record who is present at the meeting shown."""
        if self.meeting is None:
            raise ValidationError("no meeting is shown: choose one to record attendance")
        self.store.set_attendance(self.meeting.id or 0, attendees)
        self.events.attendance_changed(self.attendees(), self.quorum())

    # --- the open case ----------------------------------------------------------------------

    def open_item(self, item_id: int) -> DecisionState:
        """Open agenda item ``item_id``: its case, options and decision."""
        self.item = self.store.get_agenda_item(item_id)
        self.case = self.store.get_case(self.item.case_id)
        self.recommendation = self._recompute(self.case)
        self.events.case_changed(self.case, self.recommendation)
        return self._load_decision()

    def preview_item(self, item_id: int) -> d.Recommendation:
        """The guideline's options for agenda item ``item_id``'s case, without opening it
        (nothing here changes, nothing is reported): the window asks in idle time, so the
        first visit to a case costs what a return to it does (issue 17). The answer is the
        one opening the item would give, kept by the guidance cache."""
        item = self.store.get_agenda_item(item_id)
        return self._recompute(self.store.get_case(item.case_id))

    def close_case(self) -> None:
        """No case open."""
        self.item = self.case = self.recommendation = self.state = None
        self.events.case_changed(None, None)
        self.events.decision_changed(None)

    def update_case(self, case: d.Case, reason: str | None = None) -> d.Recommendation:
        """Save an edit of the open case; stage and options are recomputed at once."""
        self.store.update_case(case, reason=reason)
        self.case = self.store.get_case(case.id or 0)
        rec = self.recommendation = self._recompute(self.case)
        if self.state and self.state.editable:
            self.state.snapshot = OptionsSnapshot.of(rec.as_dict())
        self.events.case_changed(self.case, rec)
        self.reload_agenda()  # the stage column may have changed
        if self.state and self.state.decision.is_signed:
            self.state.older_data = older_data_note(self.store.older_data(self.state.decision))
            self.events.decision_changed(self.state)
        return rec

    def reload_case(self) -> None:
        """Show the open case as now stored (another client changed it); the decision
        shown is left as it is."""
        if self.case is None or self.case.id is None:
            return
        self.case = self.store.get_case(self.case.id)
        self.recommendation = self._recompute(self.case)
        self.events.case_changed(self.case, self.recommendation)

    def _recompute(self, case: d.Case) -> d.Recommendation:
        meeting_day = self.meeting.date if self.meeting else self.today
        return self.guidance.get(case, meeting_day)

    # --- the decision -----------------------------------------------------------------------

    def _load_decision(self) -> DecisionState:
        item = self.item
        assert item is not None and item.id is not None
        current = self.recommendation.as_dict() if self.recommendation else None
        draft = self.store.current_draft(item.id)
        state = decision_state(
            self.store.decisions_for_item(item.id),
            draft,
            self.store.effective_decision(item.id) if draft is None else None,
            d.Decision(case_id=item.case_id, agenda_item_id=item.id),
            current,
        )
        if state.read_only is ReadOnly.SIGNED:
            state.older_data = older_data_note(self.store.older_data(state.decision))
        if item.status == d.AgendaItemStatus.DEFERRED and draft is None:
            state.editable = False
            state.read_only = state.read_only or ReadOnly.DEFERRED
        if state.editable and not meeting_rules.decisions_open(self.meeting, state.decision):
            state.editable = False
            state.read_only = ReadOnly.MEETING_FINAL
            state.meeting_status = self.meeting.status if self.meeting else ""
        if not self.can_draft and state.editable:
            state.editable = False
            state.read_only = ReadOnly.ROLE
        self.state = state
        self.events.decision_changed(state)
        return state

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
        self.state.snapshot = OptionsSnapshot.of(saved.options_snapshot)
        if decision.id is None:  # the first save of a draft changes the agenda line
            self.state.history = self.store.decisions_for_item(saved.agenda_item_id)
            self.reload_agenda()
        return saved

    def reload_decision(self) -> None:
        """Show the decision as now stored (after someone else changed it)."""
        if self.item is not None:
            self._load_decision()

    def check_sign_off(self, on_screen: d.Decision) -> SignOffCheck:
        """The sign-off rules on the decision as on screen, against the options it is
        judged against now (nothing is written)."""
        state = self.state
        assert state is not None
        exceptions = (
            self.store.sign_off_exceptions_for(self.item.id or 0, self.today) if self.item else []
        )
        return check_sign_off(on_screen, state.snapshot, exceptions)

    def prepare_sign_off(
        self,
        on_screen: d.Decision,
        save: Callable[[d.Decision], d.Decision | None] | None = None,
    ) -> SignOffCheck:
        """Judge the decision on screen once; when nothing stops the sign-off, store it as
        the draft to sign (ConflictError if someone else saved it since: nothing written).
        The check returned carries the stored draft (its id and version, ``stored``) when
        ready. ``save`` stores the draft (default: `save_draft`); it may return None when
        it could not store it but kept it elsewhere (offline): then nothing is signed."""
        check = self.check_sign_off(on_screen)
        if not check.ready:
            return check
        saved = (save or self.save_draft)(on_screen)
        if saved is None:
            return check
        return replace(check, decision=saved, stored=True)

    def sign(
        self,
        decision_id: int,
        chair: str,
        exception_reason: str | None = None,
        version: int | None = None,
        signature: Signature | None = None,
    ) -> d.Decision:
        """Sign off exactly ``version`` (the one on screen; ConflictError if it changed);
        without a quorum or on another day only with ``exception_reason``. With a
        ``signature`` the chair's password is checked first and the record is signed in
        that chair's name (a wrong password signs nothing)."""
        if signature is not None:
            from mdt_app.security.signing import sign_off

            signed = sign_off(self.store, decision_id, signature.username, signature.password,
                              exception_reason=exception_reason, today=self.today,
                              version=version)  # fmt: skip
        else:
            signed = self.store.sign_decision(
                decision_id, chair, version, exception_reason=exception_reason, today=self.today
            )
        self.reload_agenda()
        self.reload_decision()
        return signed

    def amend(self, reason: str) -> d.Decision:
        """Open an amendment draft of the signed decision; the original is kept."""
        assert self.state is not None and self.state.decision.id is not None
        draft = self.store.start_amendment(self.state.decision.id, reason)
        self._load_decision()
        return draft

    def discard_draft(self) -> None:
        """Drop the open item's draft (never a signed record)."""
        if self.state and self.state.decision.id and not self.state.decision.is_signed:
            self.store.discard_draft(self.state.decision.id)
            self.reload_agenda()
            self._load_decision()
