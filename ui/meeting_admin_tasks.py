"""Running real meetings from the window: creating, editing, cancelling and closing
meetings, entering and importing referrals, finding patients, deferring, moving and
removing agenda cases, correcting a patient's identity, and the first-run choices.

A mixin of MainWindow beside MeetingTasks. The rules are in the core (store,
mdt_app.meetings, mdt_app.search); this only asks and shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QStackedWidget, QToolBar, QWidget

from mdt_app import domain as d
from mdt_app import meetings as mt
from mdt_app.errors import UserError
from mdt_app.search import SearchHit, search_cases
from ui.file_drop import FileDropFilter
from ui.widgets.patient_search import PatientSearch
from ui.widgets.start_panel import StartPanel
from ui.window_parts import WindowParts


def _t(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MeetingAdminTasks(WindowParts):
    # --- set-up (called once by MainWindow.__init__) ------------------------------------------

    def extend_series(self) -> None:
        """The next meetings of each series exist (a write: at the app's start it runs
        after the first paint, so a database busy with another writer never holds up
        the window's first frame)."""
        try:
            self.store.extend_series()
        except UserError as exc:
            self.statusBar().showMessage(str(exc))

    def _setup_admin(self) -> None:
        self._other_windows: list[QWidget] = []
        # Search in the toolbar, its results floating under it.
        self.patient_search = PatientSearch(lambda text: search_cases(self.store, text), self)
        self.patient_search.openRequested.connect(self.open_hit)
        self.patient_search.queueRequested.connect(self.queue_hit)
        toolbar = self.findChild(QToolBar, "mainToolbar")
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                             spacer.sizePolicy().Policy.Preferred)  # fmt: skip
        toolbar.addWidget(spacer)  # type: ignore[union-attr]
        toolbar.addWidget(self.patient_search)  # type: ignore[union-attr]
        # The start panel takes the case area's place while no case is open.
        self.start_panel = StartPanel()
        self.start_panel.newMeetingRequested.connect(self.new_meeting)
        self.start_panel.importRequested.connect(self.import_cases)
        self.start_panel.demoRequested.connect(self.open_demo)
        self.start_panel.newCaseRequested.connect(self.new_case)
        self.start_panel.searchRequested.connect(self.add_case)
        case_area = self.main_splitter.widget(1)
        self.case_stack = QStackedWidget()
        self.case_stack.setObjectName("caseStack")
        self.main_splitter.replaceWidget(1, self.case_stack)
        self.case_stack.addWidget(case_area)  # type: ignore[arg-type]
        self.case_stack.addWidget(self.start_panel)
        self.case_area = case_area
        self.session.caseChanged.connect(lambda *_: self._update_start_panel())
        self.session.agendaChanged.connect(lambda *_: self._update_start_panel())
        self.session.meetingChanged.connect(self._meeting_shown)
        # Files dropped on the agenda are imported with the same report.
        self.file_drop = FileDropFilter(self)
        self.file_drop.filesDropped.connect(self.import_files)
        for widget in (self.agenda.queue, self.agenda.queue.viewport(), self.start_panel):
            widget.setAcceptDrops(True)
            widget.installEventFilter(self.file_drop)
        self.agenda.findMeetingRequested.connect(self.find_meeting)

    def _meeting_shown(self, meeting: d.Meeting | None) -> None:
        # 'Discussing' belongs to a meeting held today; elsewhere the open case is just open.
        self.agenda.model.live = mt.takes_place_today(meeting, self.session.today)
        if meeting is None:
            self.patient_search.set_meeting_name("")
        else:
            self.patient_search.set_meeting_name(f"{meeting.date.isoformat()} {meeting.title}")
        closed = meeting is not None and not mt.is_open(meeting)
        for name in ("closeMeetingAction", "cancelMeetingAction"):
            self.actions[name].setEnabled(meeting is not None and not closed)
        self._update_start_panel()

    def _update_start_panel(self) -> None:
        if not hasattr(self, "case_stack"):
            return
        if self.session.case is not None:
            self.case_stack.setCurrentWidget(self.case_area)  # type: ignore[arg-type]
            return
        any_meeting = bool(self.session.meetings())
        self.start_panel.show_for(self.session.meeting, any_meeting)
        if self.session.meeting is None or not self.session.lines:
            self.case_stack.setCurrentWidget(self.start_panel)
        else:
            self.case_stack.setCurrentWidget(self.case_area)  # type: ignore[arg-type]

    def refresh_meetings(self, select: int | None) -> None:
        """Reload the selector and show meeting ``select``."""
        self.session.meeting = self.store.get_meeting(select) if select else None
        self.agenda.set_meetings(self.session.meetings(), select)
        self.select_meeting(select)

    def _open_meetings(self) -> list[d.Meeting]:
        today = self.session.today
        return [m for m in self.store.meeting_choices(today, upcoming=30, recent=0)
                if mt.is_open(m)]  # fmt: skip

    # --- meetings -----------------------------------------------------------------------------

    def _chairs(self) -> list[str]:
        names = {m.chair for m in self.store.meeting_choices(self.session.today) if m.chair}
        return sorted(names, key=str.lower)

    def new_meeting(self) -> None:
        from ui.widgets.meeting_dialog import MeetingDialog

        dialog = MeetingDialog(None, self._chairs(), self, today=self.session.today)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                meeting_id = self._save_new_meeting(dialog)
            except UserError as exc:
                dialog.refuse(str(exc))
                continue
            self.refresh_meetings(meeting_id)
            self.statusBar().showMessage(_t("Meeting created"), 4000)
            return

    def _save_new_meeting(self, dialog) -> int:
        meeting, series = dialog.meeting(), dialog.series()
        if series is None:
            return self.store.plan_meeting(meeting)
        series_id = self.store.create_series(series, today=self.session.today)
        found = self.store.query(
            "SELECT id FROM meetings WHERE series_id = ? AND date = ?",
            [series_id, meeting.date.isoformat()],
        )
        if found:
            return int(found[0]["id"])
        meeting.series_id = series_id
        return self.store.plan_meeting(meeting)

    def edit_meeting_details(self) -> None:
        from ui.widgets.meeting_dialog import MeetingDialog

        meeting = self.session.meeting
        if meeting is None:
            return
        if not mt.is_open(meeting):
            self.prompts.info(_t("This meeting is {status}; its details are final.").format(
                status=meeting.status))  # fmt: skip
            return
        dialog = MeetingDialog(meeting, self._chairs(), self, today=self.session.today)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.store.edit_meeting(dialog.meeting())
            except UserError as exc:
                dialog.refuse(str(exc))
                continue
            self.refresh_meetings(meeting.id)
            return

    def close_meeting(self) -> None:
        from ui.widgets.close_meeting_dialog import CloseMeetingDialog

        meeting = self.session.meeting
        if meeting is None or not mt.is_open(meeting):
            return
        if not self._draft_saved():
            return
        pending = self.store.undiscussed_items(meeting.id or 0)
        dialog = CloseMeetingDialog(meeting, pending, self._destination(meeting), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        report = self.guard(self.store.close_meeting, meeting.id, dialog.chosen_reasons())
        if report is None:
            return
        self.refresh_meetings(meeting.id)
        self._report_carry(_t("The meeting is closed; its minutes are final."), report)

    def cancel_meeting(self) -> None:
        meeting = self.session.meeting
        if meeting is None or not mt.is_open(meeting):
            return
        reason = self.prompts.reason(
            _t("Cancel the meeting"),
            _t("Why is the meeting of {day} cancelled? Its cases move to {where}.").format(
                day=meeting.date.isoformat(), where=self._destination(meeting)),
        )  # fmt: skip
        if not reason:
            return
        report = self.guard(self.store.cancel_meeting, meeting.id, reason)
        if report is not None:
            self.refresh_meetings(meeting.id)
            self._report_carry(_t("The meeting is cancelled."), report)

    def _destination(self, meeting: d.Meeting) -> str:
        target = self.store.next_open_meeting(meeting)
        if target is not None:
            return _t("the meeting of {day} ({title})").format(
                day=target.date.isoformat(), title=target.title)  # fmt: skip
        if meeting.series_id is not None:
            return _t("the next meeting of the series (created for them)")
        return _t("no meeting yet: none is planned after this one; they will be listed")

    def _report_carry(self, headline: str, report: mt.CarryReport) -> None:
        lines = report.lines()
        self.prompts.info("\n".join([headline, *lines]) if lines else headline)

    def find_meeting(self) -> None:
        from ui.widgets.meeting_finder import MeetingFinder

        finder = MeetingFinder(lambda text: self.store.find_meetings(text), self)
        if finder.exec() == QDialog.DialogCode.Accepted and finder.chosen is not None:
            self.refresh_meetings(finder.chosen)
        else:
            current = self.session.meeting
            self.agenda.set_meetings(self.session.meetings(), current.id if current else None)

    # --- referrals ----------------------------------------------------------------------------

    def new_case(self) -> None:
        from ui.intake_dialog import IntakeDialog

        meeting = self.session.meeting
        current = meeting if meeting is not None and mt.is_open(meeting) else None
        dialog = IntakeDialog(self.store, self._open_meetings(), current, self,
                              today=self.session.today)  # fmt: skip
        draft = self.store.intake_draft()
        if draft is not None:
            if self.prompts.confirm(_t("Continue the referral form left unfinished?")):
                dialog.load_state(draft)
                dialog.touched = True
            else:
                self.store.discard_intake_draft()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_case_id is not None:
            self._show_case(dialog.saved_case_id, dialog.meeting_id())
            self.statusBar().showMessage(_t("Referral saved"), 4000)

    def import_cases(self) -> None:
        files = self.prompts.case_files()
        if files:
            self.import_files(files)

    def import_files(self, paths: list[str]) -> None:
        from ui.import_dialog import ImportDialog

        meeting = self.session.meeting
        current = meeting if meeting is not None and mt.is_open(meeting) else None
        dialog = ImportDialog(self.db_path, list(paths), self._open_meetings(), current, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            target = dialog.meeting_id()
            if target is not None:
                self.refresh_meetings(target)
            report = dialog.result_report
            self.statusBar().showMessage(
                report.summary() if report is not None
                else _t("{n} case(s) imported").format(n=len(dialog.case_ids)), 8000
            )  # fmt: skip

    def _show_case(self, case_id: int, meeting_id: int | None) -> None:
        if meeting_id is None:
            return
        if self.session.meeting is None or self.session.meeting.id != meeting_id:
            self.refresh_meetings(meeting_id)
        else:
            self.session.reload_agenda()
        item = next((x for x in self.session.lines if x.item.case_id == case_id), None)
        if item is not None:
            self.agenda.select_item(item.item_id)

    # --- search -------------------------------------------------------------------------------

    def find_patient(self) -> None:
        self.patient_search.start(add_mode=False)

    def add_case(self) -> None:
        """'Add case to agenda' is the patient search; Enter queues the case chosen."""
        self.patient_search.start(add_mode=True)

    def open_hit(self, hit: SearchHit) -> None:
        row = hit.row
        if row.meeting_id is None:
            self.prompts.info(
                _t(
                    "{name} is on no agenda yet: Ctrl+Enter in the search queues "
                    "the case on the meeting shown."
                ).format(name=row.patient)
            )
            return  # fmt: skip
        if not self._draft_saved():
            return
        self._show_case(row.id, row.meeting_id)

    def queue_hit(self, hit: SearchHit) -> None:
        meeting = self.session.meeting
        if meeting is None:
            self.prompts.info(_t("Choose or create a meeting first."))
            return
        if not mt.is_open(meeting):
            self.prompts.warn(_t("This meeting is {status}: queue the case on an open meeting.")
                              .format(status=meeting.status))  # fmt: skip
            return
        item = self.guard(self.session.add_case, hit.row.id)
        if item is not None:
            self.agenda.select_item(item.id)
            self.statusBar().showMessage(_t("{name} queued").format(name=hit.row.patient), 4000)

    # --- agenda work --------------------------------------------------------------------------

    def defer_case(self) -> None:
        self._send_elsewhere(move=False)

    def move_case_to_meeting(self) -> None:
        self._send_elsewhere(move=True)

    def _send_elsewhere(self, move: bool) -> None:
        s = self.session
        if s.item is None or s.meeting is None or s.case is None:
            return
        title = _t("Move case to another meeting") if move else _t("Defer case")
        choice = self.prompts.defer_case(s.case.patient, s.meeting, self._open_meetings(), title)
        if choice is None:
            return
        self.decision.flush()
        item_id = s.item.id or 0
        if choice.meeting_id is None:
            target_id = self.guard(self.store.meeting_on, choice.new_date, s.meeting)
            if target_id is None:
                return
        else:
            target_id = choice.meeting_id
        if move:
            moved = self.guard(self.store.move_to_meeting, item_id, target_id, choice.reason)
            if moved is not None:
                self.refresh_meetings(s.meeting.id)
        else:
            self.guard(s.defer_item, item_id, target_id, choice.reason)
        self.agenda.set_meetings(s.meetings(), s.meeting.id if s.meeting else None)

    def remove_case(self) -> None:
        s = self.session
        if s.item is None or s.case is None:
            return
        reason = self.prompts.reason(
            _t("Remove from the agenda"),
            _t("Why is {name} (MRN {mrn}) taken off this agenda? (kept in the audit log)").format(
                name=s.case.patient.display_name, mrn=s.case.patient.mrn),
        )  # fmt: skip
        if not reason:
            return
        if self.guard(self.store.remove_from_agenda, s.item.id, reason) is None:
            return
        s.close_case()
        s.reload_agenda()
        if s.lines:
            self.agenda.step(+1)

    def edit_identity(self) -> None:
        from ui.widgets.identity_dialog import IdentityDialog

        s = self.session
        if s.case is None:
            return
        dialog = IdentityDialog(s.case.patient, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                if not dialog.reason():
                    raise UserError(_t("correcting a patient's identity needs a reason"))
                self.store.edit_identity(dialog.patient(), dialog.reason())
            except UserError as exc:
                dialog.refuse(str(exc))
                continue
            if s.item is not None:
                item_id = s.item.id or 0
                s.close_case()
                s.reload_agenda()
                self.agenda.select_item(item_id)
            return

    # --- the demo -----------------------------------------------------------------------------

    def connect_team_server(self) -> None:
        """File > Connect to team server…: ask where, remember it for the next start,
        sign in there and open the meeting screen on it in its own window."""
        from ui.app import build_main_window
        from ui.server_connect import ask_server
        from ui.server_sign_in import refuse, sign_in_on_server

        url = ask_server(self)
        if url is None:
            return
        signed = sign_in_on_server(url, None, self)
        if signed is None:
            return
        store, user = signed
        try:
            window = build_main_window(store.path, store)
        except UserError as exc:
            store.close()
            refuse(self, str(exc))
            return
        window.set_user(user)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._other_windows.append(window)
        window.show()

    def open_demo(self) -> None:
        """The demo in its own database and window; this database is left as it is."""
        from mdt_app import paths
        from mdt_app.demo import ensure_demo_database

        target = paths.demo_database_path()
        if isinstance(self.db_path, Path) and target.resolve() == self.db_path.resolve():
            self.prompts.info(_t("This is the demo database."))
            return
        try:
            ensure_demo_database(target)
            from ui.app import build_main_window

            window = build_main_window(target)
        except UserError as exc:
            self.prompts.warn(str(exc))
            return
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._other_windows.append(window)
        window.show()
