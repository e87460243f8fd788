"""Keeping the meeting screen current while others work, and working on when the database
is out of reach (issue 19, points 4 and 6).

A QTimer asks the core's change feed (`mdt_app.live.change_feed`) four times a second
what other clients committed. The core says what that makes stale
(`mdt_app.live.refresh`); this module only reads it again and shows it:

- the agenda is read again whenever its meeting changed;
- the open case and decision are read again when the stored versions differ from what
  is shown, unless the user has unsaved typing in the decision form: that is never
  overwritten; the user is told who changed it, and the save that follows goes through
  issue 11's conflict handling (their version shown, nothing lost).

When a save or a poll meets `DatabaseUnavailable`, the window goes offline: a red strip
says so, every autosave of the form writes the draft to a private file on this
computer (`mdt_app.live.local_drafts`) instead, and once a second the feed is asked
whether the database is back (never waiting for a lock). When it is, the form's draft
is saved through the normal version-checked save and the kept file is removed. Drafts
left from a window that was closed or killed offline are offered on the next start.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from mdt_app import domain as d
from mdt_app.errors import DatabaseUnavailable, NotFound, SignedDecisionError, UserError
from mdt_app.live.change_feed import ChangeFeed, open_change_feed
from mdt_app.live.changes import Change
from mdt_app.live.local_drafts import LocalDraft, LocalDrafts, export_draft
from mdt_app.live.refresh import OnScreen, Refresh, case_state, item_state, what_to_refresh
from ui.widgets.decision_form import option_titles

log = logging.getLogger(__name__)

POLL_MS = 250  # a change shows within a second, the poll costs two indexed reads
PROBE_EVERY = 4  # polls between "is it back?" probes while offline (1 s)

RESTORE, EXPORT, DISCARD, LATER = "restore", "export", "discard", "later"


class LiveRefresh(QObject):
    """The window's link to other clients and its offline mode (one per window)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.store = window.store
        self.banner = window.live_banner
        self.drafts = LocalDrafts(str(self.store.path))  # a server URL shown without its password
        self.offline_reason: str | None = None
        self.kept: LocalDraft | None = None  # the open item's draft as last kept offline
        self._ticks = 0
        self._seen_item: tuple | None = None
        self._seen_case: tuple[int, int] | None = None
        self.feed: ChangeFeed | None = None
        try:
            self.feed = open_change_feed(self.store)
        except UserError as exc:  # live updates off; the window works as before
            log.warning("live updates off: %s", exc)
        self.session.decisionChanged.connect(self._decision_shown)
        self.session.caseChanged.connect(self._case_shown)
        self.timer = QTimer(self)
        self.timer.setObjectName("liveRefreshTimer")
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def stop(self) -> None:
        """The window is closing: no more reads of its store."""
        self.timer.stop()

    def tr(self, text: str) -> str:  # type: ignore[override]
        return self.window.tr(text)

    # --- what is on screen ----------------------------------------------------------------

    def _decision_shown(self, state) -> None:
        self.banner.hide_notice()
        item = self.session.item
        self._seen_item = self._read(item_state, item.id) if item and item.id else None

    def _case_shown(self, case, _rec) -> None:
        self._seen_case = self._read(case_state, case.id) if case and case.id else None

    def _read(self, fn, *args):
        """A read for the comparison; while the database is away there is nothing to compare."""
        try:
            return fn(self.store, *args)
        except UserError:
            return None

    def _on_screen(self) -> OnScreen:
        s = self.session
        ids = {x.id for x in s.state.history if x.id} if s.state else set()
        if s.state and s.state.decision.id:
            ids.add(s.state.decision.id)
        return OnScreen(
            meeting_id=s.meeting.id if s.meeting else None,
            agenda_case_ids=frozenset(line.item.case_id for line in s.lines),
            case_id=s.case.id if s.case else None,
            agenda_item_id=s.item.id if s.item else None,
            decision_ids=frozenset(ids),
        )

    # --- polling ------------------------------------------------------------------------------

    def tick(self) -> None:
        """One poll (connected to the timer; tests call it too)."""
        if self.feed is None or QApplication.activeModalWidget() is not None:
            return  # a dialog is asking something: the screen under it stays as it is
        self._ticks += 1
        if self.offline_reason is not None:
            if self._ticks % PROBE_EVERY == 0:
                self.try_reconnect()
            return
        try:
            changes = self.feed.poll()
            if changes:
                self.apply(changes)
        except DatabaseUnavailable as exc:
            self.go_offline(str(exc))
        except UserError as exc:
            log.warning("live update skipped: %s", exc)

    def apply(self, changes: list[Change]) -> Refresh:
        """Read again what ``changes`` made stale, keeping unsaved typing."""
        plan = what_to_refresh(changes, self._on_screen())
        if not plan:
            return plan
        who = ", ".join(plan.by())
        if plan.meeting or plan.meeting_list:
            self._refresh_meetings(plan.meeting)
        if plan.agenda:
            self.session.reload_agenda()
            if self.session.meeting is not None:
                self.session.attendanceChanged.emit(self.session.attendees(), self.session.quorum())
        if plan.case or plan.decision:
            self._refresh_case(who)
        if plan.decision:
            self._refresh_decision(who)
        return plan

    def _refresh_meetings(self, shown_changed: bool) -> None:
        """The meeting selector, and the shown meeting's details and status."""
        s = self.session
        if shown_changed and s.meeting is not None and s.meeting.id is not None:
            s.meeting = self.store.get_meeting(s.meeting.id)
            self.window.agenda.show_meeting(s.meeting)
        self.window.agenda.set_meetings(s.meetings(), s.meeting.id if s.meeting else None)

    def _refresh_case(self, who: str) -> None:
        case = self.session.case
        if case is None or case.id is None:
            return
        now = case_state(self.store, case.id)
        if now is None or now == self._seen_case:
            return
        self.session.reload_case()
        self.window._show_options()
        self.window.statusBar().showMessage(
            self.tr("The case was updated by {who}").format(who=who), 8000
        )

    def _refresh_decision(self, who: str) -> None:
        item = self.session.item
        if item is None or item.id is None:
            return
        now = item_state(self.store, item.id)
        if now == self._seen_item:
            return  # what is shown is what is stored (e.g. this window's own save)
        form = self.window.decision
        if form.dirty or self.kept is not None:
            at = datetime.now().strftime("%H:%M")
            self.banner.show_notice(
                self.tr(
                    "{who} changed this decision at {at}. What you typed is kept; when it is "
                    "saved you will see both versions and choose."
                ).format(who=who, at=at)
            )
            return
        if now[0] is None:  # the item left the agenda meanwhile
            self.session.close_case()
        else:
            try:
                self.session.reload_decision()
            except NotFound:
                self.session.close_case()
        self.window.statusBar().showMessage(
            self.tr("Decision updated by {who}").format(who=who), 8000
        )

    # --- saving, online or not ----------------------------------------------------------------

    def save_draft(self, decision: d.Decision) -> d.Decision | None:
        """Save the form's draft; offline, keep it on this computer instead (None).

        ConflictError and other UserErrors pass to the caller, as before."""
        if self.offline_reason is not None:
            self.keep(decision)
            return None
        try:
            if self.feed is not None:
                self.feed.check_available()
            saved = self.session.save_draft(decision)
        except DatabaseUnavailable as exc:
            self.go_offline(str(exc))
            self.keep(decision)
            return None
        except SignedDecisionError as exc:
            # Signed by someone else while this user was typing: the words stay on screen
            # and are kept on this computer too (offered at the next start, exportable).
            self.keep(decision, reason=str(exc))
            raise
        self._saved(saved)
        return saved

    def _saved(self, saved: d.Decision) -> None:
        if self.drafts.discard(saved.agenda_item_id) or self.kept is not None:
            self.window.statusBar().showMessage(
                self.tr("Your draft typed offline is now saved in the database"), 8000
            )
        self.kept = None
        self._seen_item = self._read(item_state, saved.agenda_item_id)

    def keep(self, decision: d.Decision, reason: str | None = None) -> None:
        """Write the draft to this computer's private drafts folder (``reason``: why it
        could not be saved, default the reason the window is offline)."""
        s = self.session
        try:
            self.kept = self.drafts.keep(
                decision,
                reason=reason or self.offline_reason or "",
                meeting_id=s.meeting.id if s.meeting else None,
                patient=self._patient_text(s.case),
                meeting=f"{s.meeting.date.isoformat()} {s.meeting.title}" if s.meeting else "",
            )
        except UserError as exc:  # this computer cannot write either: it is still on screen
            self.window.prompts.warn(str(exc))
            return
        if self.offline_reason is None:
            return  # the caller says why it was not saved
        self.banner.show_offline(self._offline_text())
        self.window.statusBar().showMessage(
            self.tr("Offline: the draft is kept on this computer ({time})").format(
                time=self.kept.kept_at.strftime("%H:%M:%S")
            )
        )

    @staticmethod
    def _patient_text(case: d.Case | None) -> str:
        if case is None:
            return ""
        p = case.patient
        born = p.birth_date.isoformat() if p.birth_date else "?"
        return f"{p.family_name.upper()}, {p.given_name} · {born} · MRN {p.mrn}"

    def kept_safe(self) -> bool:
        """True when what the form holds is kept on this computer (closing loses nothing)."""
        if self.kept is None:
            return False
        kept = self.drafts.get(self.kept.agenda_item_id)
        return kept is not None and kept.decision == self.window.decision.decision()

    # --- offline and back ---------------------------------------------------------------------

    def _offline_text(self) -> str:
        text = self.tr(
            "OFFLINE — the database cannot be reached ({reason}). Keep typing: the draft is "
            "kept on this computer and saved when the database is back."
        ).format(reason=self.offline_reason or "")
        if self.kept is not None:
            text += " " + self.tr("Last kept at {time}.").format(
                time=self.kept.kept_at.strftime("%H:%M:%S")
            )
        return text

    def go_offline(self, reason: str) -> None:
        first = self.offline_reason is None
        self.offline_reason = reason
        self.banner.show_offline(self._offline_text())
        if first:
            log.warning("offline: %s", reason)
            self.window.setWindowTitle(self.window.windowTitle() + " — " + self.tr("OFFLINE"))
            form = self.window.decision
            if form.dirty and form.state is not None and form.state.editable:
                self.keep(form.decision())

    def try_reconnect(self) -> bool:
        """Is the database back? Then save the kept draft and catch up; True if online."""
        if self.feed is None or not self.feed.reachable():
            return False
        self.offline_reason = None
        self.banner.hide_offline()
        title = self.window.windowTitle()
        self.window.setWindowTitle(title.replace(" — " + self.tr("OFFLINE"), ""))
        form = self.window.decision
        if form.dirty:
            form.flush()  # the normal save: a change made meanwhile shows as a conflict
        if self.offline_reason is not None:
            return False  # it went away again while saving
        if not form.dirty:  # (still dirty: the conflict's own message stays)
            self.window.statusBar().showMessage(self.tr("Back online"), 5000)
        try:
            changes = self.feed.poll()
            self.apply(changes)
            self.session.reload_agenda()
        except DatabaseUnavailable as exc:
            self.go_offline(str(exc))
            return False
        except UserError as exc:
            log.warning("catching up after offline: %s", exc)
        return True

    # --- drafts left from an earlier window ---------------------------------------------------

    def offer_leftovers(self) -> None:
        """Offer each draft kept by a window that closed (or died) while offline."""
        for draft in self.drafts.leftovers():
            if self.kept is not None and draft.agenda_item_id == self.kept.agenda_item_id:
                continue  # this window's own
            choice = self.window.prompts.local_draft(draft.describe(), draft.reason)
            if choice == RESTORE:
                self.restore(draft)
            elif choice == EXPORT:
                self.export(draft, discard=True)
            elif choice == DISCARD and self.window.prompts.confirm(
                self.tr("Discard the draft for {what}? What was typed will be lost.").format(
                    what=draft.describe()
                )
            ):
                self.drafts.discard(draft.agenda_item_id)

    def restore(self, draft: LocalDraft) -> bool:
        """Open the draft's case and save the draft through the normal save (a change
        made meanwhile shows as a conflict); True when it is in the form."""
        w, s = self.window, self.session
        if draft.meeting_id and (s.meeting is None or s.meeting.id != draft.meeting_id):
            w.select_meeting(draft.meeting_id)
        w.agenda.select_item(draft.agenda_item_id)  # as a click on its agenda line
        if s.item is None or s.item.id != draft.agenda_item_id or s.state is None:
            w.prompts.warn(
                self.tr("The case of this draft is no longer on that agenda: {what}. "
                        "Export it to a file to keep it.").format(what=draft.describe())
            )  # fmt: skip
            self.export(draft, discard=True)
            return False
        if not s.state.editable:
            w.prompts.warn(
                self.tr("This decision can no longer be edited (signed or final since): "
                        "{what}. Export the draft to a file to keep it.").format(
                    what=draft.describe())
            )  # fmt: skip
            self.export(draft, discard=True)
            return False
        self.kept = draft
        restored = replace(draft.decision, case_id=s.state.decision.case_id)
        if s.state.decision.id is None:  # no draft stored now (discarded meanwhile): a new one
            restored = replace(restored, id=None, version=0)
        s.state.decision = restored
        s.decisionChanged.emit(s.state)  # the form and the options show the draft
        w.decision.dirty = True
        w.decision.flush()
        return True

    def export(self, draft: LocalDraft | None = None, *, discard: bool = False) -> Path | None:
        """Write a kept draft (default: what the form holds now) to a text file the user
        chooses; ``discard`` removes the kept copy once it is written."""
        w = self.window
        if draft is None:
            s = self.session
            if s.state is None:
                w.prompts.info(self.tr("No decision is open."))
                return None
            draft = LocalDraft(
                database=self.drafts.database,
                decision=w.decision.decision(),
                meeting_id=s.meeting.id if s.meeting else None,
                kept_at=datetime.now().astimezone().replace(microsecond=0),
                reason=self.offline_reason or self.tr("exported by the user"),
                patient=self._patient_text(s.case),
                meeting=f"{s.meeting.date.isoformat()} {s.meeting.title}" if s.meeting else "",
            )
        suggested = Path.home() / f"mdt-draft-item-{draft.agenda_item_id}.txt"
        chosen = w.prompts.save_path(self.tr("Export the draft"), str(suggested))
        if not chosen:
            return None
        snapshot = self.session.recommendation.as_dict() if self.session.recommendation else None
        titles = {code: title for code, (_g, title) in option_titles(snapshot).items()}
        try:
            target = export_draft(draft, Path(chosen), titles)
        except UserError as exc:
            w.prompts.warn(str(exc))
            return None
        if discard:
            self.drafts.discard(draft.agenda_item_id)
        w.statusBar().showMessage(self.tr("Draft exported to {path}").format(path=target), 8000)
        return target
