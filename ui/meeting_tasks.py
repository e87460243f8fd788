"""What the chair does to the meeting and the open case through dialogs: attendance,
adding, deferring, editing case data, sign-off, amendment, care programme, minutes.

A mixin of MainWindow (it uses the window's session, prompts, widgets and guard()).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from mdt_app import domain as d
from mdt_app.errors import ConflictError, SignedDecisionError, UserError
from ui.sign_off_summary import sign_off_summary
from ui.window_parts import WindowParts

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MeetingTasks(WindowParts):
    # --- meeting --------------------------------------------------------------------------

    def edit_attendance(self) -> None:
        s = self.session
        if s.meeting is None:
            return
        from ui.widgets.attendance_dialog import AttendanceDialog  # dialogs load when opened

        dialog = AttendanceDialog(s.attendees(), s.quorum, self, self.attendance_users())
        if dialog.exec():
            self.guard(s.set_attendance, dialog.attendees())

    # --- the open case ------------------------------------------------------------------------

    def edit_case(self) -> None:
        if self.session.case is None:
            return
        if self.case_editor is not None:
            self.case_editor.close()
        from ui.widgets.case_editor import CaseDataDialog  # dialogs load when opened

        case = self.session.case
        signed = self.session.store.latest_signed_decision_for_case(case.id or 0)
        self.case_editor = CaseDataDialog(
            case, self, signed=signed, confirm=lambda text: self.prompts.confirm(text)
        )
        self.case_editor.caseEdited.connect(self.apply_case_edit)
        self.case_editor.finished.connect(self._editor_closed)
        self.case_editor.show()

    def _editor_closed(self, *args) -> None:
        self.case_editor = None

    def apply_case_edit(self, case: d.Case) -> None:
        """Save an edit; the stage, options and the draft's snapshot follow at once."""
        if self.session.case is None or case.id != self.session.case.id:
            return
        editor = self.case_editor
        reason = "changed after sign-off (confirmed)" if editor and editor.signed else None
        try:
            rec: d.Recommendation | None = self.session.update_case(case, reason)
        except ConflictError as exc:
            rec = self.case_conflict(case, exc)
        except UserError as exc:
            self.prompts.warn(str(exc))
            return
        if rec is None:
            return
        if self.case_editor is not None and self.session.case is not None:
            # The editor saves every change: its next save is against this version.
            self.case_editor.case = replace(
                self.case_editor.case, version=self.session.case.version
            )
        self.decision.set_snapshot(rec.as_dict())
        self._show_options()
        state = self.decision.state
        if state and state.editable and state.decision.id is not None:
            self.decision.dirty = True  # re-save the draft against the new options
            self.decision.flush()
        self.statusBar().showMessage(
            _t("Case data saved: stage {stage}").format(stage=rec.stage), 4000
        )

    # --- sign-off and amendment ---------------------------------------------------------------

    def sign_off(self) -> None:
        state = self.session.state
        if state is None or not state.editable:
            return
        form = self.decision
        # The rules run once, on what is on screen; when nothing stops the sign-off, the
        # session stores it as the draft to sign (exactly what is on screen is signed).
        try:
            # stored as every draft is (offline: kept on this computer, nothing signed)
            check = self.session.prepare_sign_off(form.decision(), self.live.save_draft)
        except ConflictError as exc:
            self.draft_conflict(exc)
            return
        except UserError as exc:
            self.draft_not_saved(exc)
            return
        form.show_check(check)  # deviation is judged now, and named on the form
        if not check.ready:
            self.prompts.warn(
                _t("This decision cannot be signed off yet:\n\n")
                + "\n".join(f"✘ {p}" for p in check.problems)
            )
            return
        decision = check.decision
        if not check.stored or decision.id is None:
            return  # kept offline (the window says so): nothing to sign
        form.mark_saved(decision)
        answer = self.prompts.sign_off(sign_off_summary(self.session, check))
        if answer is None:
            return
        try:
            # the chair's password again, then the sign-off (ui/user_tasks.py)
            signed = self.sign_with_signature(
                decision.id, answer.chair, answer.exception_reason, decision.version
            )
        except ConflictError as exc:
            self.prompts.warn(
                _t("Not signed: {e}").format(e=exc)
                + "\n\n"
                + _t("The decision as now stored is shown; review it, then sign off again.")
            )
            self.session.reload_decision()
            return
        except SignedDecisionError as exc:  # signed meanwhile, elsewhere: show that record
            self.prompts.warn(str(exc))
            self.session.reload_decision()
            self.session.reload_agenda()
            return
        except UserError as exc:
            self.prompts.warn(str(exc))
            return
        if signed is not None:
            self.statusBar().showMessage(
                _t("Signed off by {who}").format(who=signed.signed_by), 5000
            )

    def amend(self) -> None:
        state = self.session.state
        if state is None or not state.decision.is_signed:
            return
        reason = self.prompts.reason(
            _t("Amend the signed decision"),
            _t("Why is the signed decision being changed? (kept with the record)"),
        )
        if reason == "":
            self.prompts.warn(_t("An amendment needs a reason: nothing was changed."))
        elif reason:
            self.guard(self.session.amend, reason)

    # --- hand-overs to other features -----------------------------------------------------------
    # Each feature is imported when first asked for: the window opens without loading
    # the PDF, DOCX and FHIR libraries behind them.

    def care_programme(self) -> None:
        state = self.session.state
        signed = state.signed_decision if state else None
        if signed is None or signed.id is None:
            self.prompts.info(_t("The care programme is printed from a signed decision."))
            return
        from ui.care_programme_dialog import open_care_programme

        self._hand_over(open_care_programme, signed.case_id, signed.id)

    def refer_to_panel(self) -> None:
        if self.session.case is None or self.session.case.id is None:
            return
        from ui.panel_referral_dialog import refer_to_panel

        self._hand_over(refer_to_panel, self.session.case.id)

    def case_notes(self) -> None:
        if self.session.case is None or self.session.case.id is None:
            return
        from ui.case_notes_dialog import show_case_notes

        self._hand_over(show_case_notes, self.session.case.id)

    def export_minutes(self) -> None:
        if self.session.meeting is None or self.session.meeting.id is None:
            return
        from ui.minutes_export import export_minutes

        self._hand_over(export_minutes, self.session.meeting.id)

    def _hand_over(self, fn: Callable[..., object], *args: int) -> None:
        """Run another feature's dialog on this window's database, with what is typed saved."""
        self.decision.flush()  # the other feature reads the database: give it what is typed
        try:
            fn(self, self.db_path, *args)
        except UserError as exc:
            self.prompts.warn(str(exc))
