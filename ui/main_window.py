"""The meeting screen: agenda on the left; the open case (banner, summary, guideline
options, decision) on the right. Composes the widgets and wires them to the session."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from mdt_app.errors import ConflictError, UserError
from mdt_app.security.session_keys import forget as forget_session
from mdt_app.snapshot import OptionsSnapshot
from mdt_app.store import Store
from ui import theme
from ui.conflicts import ConflictHandling
from ui.first_paint import AfterFirstPaint
from ui.help import about_text
from ui.live_refresh import LiveRefresh
from ui.location import as_location, on_server
from ui.meeting_admin_tasks import MeetingAdminTasks
from ui.meeting_tasks import MeetingTasks
from ui.option_warmup import OptionsWarmUp
from ui.presentation import Presentation, PresentationBar
from ui.prompts import Prompts
from ui.records import RecordsTasks
from ui.session import DecisionState, MeetingSession
from ui.settings import UiSettings
from ui.user_tasks import UserTasks
from ui.widgets.agenda_panel import AgendaPanel
from ui.widgets.banner import PatientBanner
from ui.widgets.case_summary import CaseSummary
from ui.widgets.decision_form import DecisionForm
from ui.widgets.live_banner import LiveBanner
from ui.widgets.options_panel import OptionsPanel
from ui.window_actions import build_actions, shortcut_rows
from ui.workers import wait_for_workers

if TYPE_CHECKING:
    from ui.widgets.citation_legend import CitationLegend

log = logging.getLogger(__name__)

DEMO_MARK = "DEMO"


def scrolled(widget: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class MainWindow(
    MeetingAdminTasks, MeetingTasks, ConflictHandling, RecordsTasks, UserTasks, QMainWindow
):
    def __init__(
        self, store: Store, settings: UiSettings | None = None, *, load_after_paint: bool = False
    ):
        """``load_after_paint``: show the frame first and open the meeting on the next turn
        of the event loop (the app's start); otherwise the meeting is open on return."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = store
        self.db_path = as_location(store.path)
        self.settings = settings or UiSettings()
        self.session = MeetingSession(store, parent=self)
        self.prompts = Prompts(self)
        self.case_editor = None
        self._splitters_restored = False
        self.agenda = AgendaPanel()
        self.banner = PatientBanner()
        self.summary = CaseSummary()
        self.options = OptionsPanel()
        self.decision = DecisionForm()
        self.presentation_bar = PresentationBar()
        self.live_banner = LiveBanner()  # offline, or changed by another client
        self.citation_legend: CitationLegend | None = None
        self._layout()
        self.presentation = Presentation(self, self.presentation_bar, self._editing_controls())
        self.actions = build_actions(self)
        self._wire()
        self._setup_admin()
        self._restore()
        self.session.meetingChanged.connect(self.watch_meeting_close)
        self.session.decisionChanged.connect(self.apply_role_to_form)
        self.live = LiveRefresh(self)  # other clients' changes; offline drafts
        self.warm_up = OptionsWarmUp(self)  # each case's option rows, in idle time
        if load_after_paint:  # the frame first; then the meeting, the checks, the drafts
            self._after_paint = AfterFirstPaint(self, self._start_then_check)
        else:
            self._start()
            QTimer.singleShot(0, self.check_records)  # once the window is up
            QTimer.singleShot(0, self.live.offer_leftovers)  # drafts kept by an earlier window

    # --- building ---------------------------------------------------------------------------

    def _layout(self) -> None:
        self.case_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.case_splitter.setObjectName("caseSplitter")
        self.case_splitter.addWidget(scrolled(self.summary, "summaryScroll"))
        self.case_splitter.addWidget(scrolled(self.options, "optionsScroll"))
        self.case_splitter.addWidget(self.decision)
        self.case_splitter.setSizes([380, 370, 276])
        case_area = QWidget()
        case_area.setObjectName("caseArea")
        column = QVBoxLayout(case_area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.presentation_bar)
        column.addWidget(self.live_banner)
        column.addWidget(self.banner)
        column.addWidget(self.case_splitter, 1)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.agenda)
        self.main_splitter.addWidget(case_area)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([340, 1026])
        self.setCentralWidget(self.main_splitter)
        self.splitters = {"main": self.main_splitter, "case": self.case_splitter}

    def _wire(self) -> None:
        s = self.session
        s.meetingChanged.connect(self._meeting_changed)
        s.agendaChanged.connect(self._agenda_changed)
        s.caseChanged.connect(self._case_changed)
        s.decisionChanged.connect(self._decision_changed)
        s.attendanceChanged.connect(self._attendance_changed)
        self.agenda.meetingSelected.connect(self.select_meeting)
        self.agenda.itemSelected.connect(self.open_item)
        # Queued: a drop must finish before the agenda it came from is reloaded.
        self.agenda.moveRequested.connect(self.move_item, Qt.ConnectionType.QueuedConnection)
        self.agenda.addCaseRequested.connect(self.add_case)
        self.agenda.deferRequested.connect(self.defer_case)
        self.agenda.attendanceRequested.connect(self.edit_attendance)
        self.summary.editRequested.connect(self.edit_case)
        self.options.pickedChanged.connect(self.decision.set_option_picked)
        self.options.confirm = lambda text: self.prompts.confirm(text)
        self.options.citationRequested.connect(self.show_citations)
        self.options.actionRequested.connect(self.decision.add_action)
        self.decision.saveRequested.connect(self.save_draft)
        self.decision.signOffRequested.connect(self.sign_off)
        self.decision.amendRequested.connect(self.amend)
        self.decision.careProgrammeRequested.connect(self.care_programme)

    def _restore(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        presentation = self.settings.presentation_mode
        self.actions["showAgendaAction"].setChecked(True)
        self.actions["showSummaryAction"].setChecked(self.settings.summary_visible)
        self.set_summary_visible(self.settings.summary_visible)
        self.actions["wideOptionsAction"].setChecked(self.settings.wide_options)
        self.actions["presentationAction"].setChecked(presentation)
        self.set_presentation(presentation)

    def _start_then_check(self) -> None:
        self._start()
        QTimer.singleShot(0, self.check_records)
        QTimer.singleShot(0, self.live.offer_leftovers)  # drafts kept by an earlier window

    def _start(self) -> None:
        self.extend_series()
        remembered = self.settings.last_meeting(self.db_path)
        ids = [m.id for m in self.session.meetings()]
        chosen = remembered if remembered in ids else self.session.default_meeting_id()
        self.agenda.set_meetings(self.session.meetings(), chosen)
        self.select_meeting(chosen)

    # --- session -> widgets ---------------------------------------------------------------------

    def _meeting_changed(self, meeting: d.Meeting | None) -> None:
        self.agenda.show_meeting(meeting)
        demo = bool(meeting and DEMO_MARK in meeting.title)
        self.banner.set_demo(demo)
        title = self.tr("MDT Assistant")
        if meeting is not None:
            title += f" — {meeting.date.isoformat()} {meeting.title}"
        if on_server(self.db_path):  # which team server (never its password)
            title += " — " + self.tr("server {name}").format(name=self.db_path)
        self.setWindowTitle(title + self.user_title())

    def _agenda_changed(self, lines: list) -> None:
        item_id = self.session.item.id if self.session.item else None
        self.agenda.set_lines(lines, item_id)
        decided = sum(1 for line in lines if line.decided)
        self.statusBar().showMessage(
            self.tr("{decided} of {total} cases decided").format(decided=decided, total=len(lines))
        )
        self._show_position()

    def _show_position(self) -> None:
        lines = self.session.lines
        item_id = self.session.item.id if self.session.item else None
        current = next((i for i, x in enumerate(lines) if x.item_id == item_id), -1)
        self.presentation.show_position([x.patient for x in lines], current)

    def _case_changed(self, case: d.Case | None, rec: d.Recommendation | None) -> None:
        self.banner.show_case(case)
        self.summary.show_case(case, rec)
        if case is None and self.case_editor is not None:
            self.case_editor.close()

    def _decision_changed(self, state: DecisionState | None) -> None:
        self.decision.show_state(state)
        self._show_options()

    def _show_options(self) -> None:
        state = self.session.state
        if state is None:
            self.options.show_options(None, (), False)
            return
        note = ""
        if not state.editable and state.decision.is_signed:
            note = self.tr("✔ Options as recorded at sign-off (guideline version {v})").format(
                v=state.decision.guideline_version
            )
            from mdt_app.guideline.newer import newer_pathway_note  # the engine: after paint

            current = self.session.recommendation
            recorded = state.snapshot.as_dict() if state.snapshot else None
            newer = newer_pathway_note(recorded, current) if current else None
            if newer:  # shown, never written: the signed record keeps its own version
                note += "\n⚠ " + self.tr(newer)
        rec = self.session.recommendation
        if state.editable:
            snapshot = OptionsSnapshot.of(rec.as_dict()) if rec else None
        else:
            snapshot = state.snapshot
        self.options.show_options(snapshot, state.decision.chosen_options, state.editable, note)

    def _attendance_changed(self, attendees: list[d.Attendee], quorum) -> None:
        present = sum(1 for a in attendees if a.present)
        self.agenda.quorum.show_quorum(quorum if self.session.meeting else None, present)

    # --- navigation -----------------------------------------------------------------------------

    def select_meeting(self, meeting_id: int | None) -> None:
        if not self._draft_saved():
            current = self.session.meeting.id if self.session.meeting else None
            self.agenda.set_meetings(self.session.meetings(), current)
            return
        self.guard(self.session.select_meeting, meeting_id)
        if meeting_id:
            self.settings.set_last_meeting(self.db_path, meeting_id)
        if self.session.lines:
            self.agenda.step(+1)  # open the first case

    def open_item(self, item_id: int) -> None:
        if self.session.item and self.session.item.id == item_id:
            return
        if not self._draft_saved():
            self.agenda.select_item(self.session.item.id if self.session.item else None)
            return
        self._note_deviation_on_leaving()
        self.guard(self.session.open_item, item_id)
        self.agenda.model.set_current(item_id)
        self.show_case_top()
        self._show_position()

    def show_case_top(self) -> None:
        """A case opens at its top (stage, question, alerts) on the Plan tab."""
        for name in ("summaryScroll", "optionsScroll"):
            area = self.findChild(QScrollArea, name)
            if area is not None:
                area.verticalScrollBar().setValue(0)
        self.decision.show_top()

    def _note_deviation_on_leaving(self) -> None:
        """Leaving a case judges its plan: a deviation without a reason is named."""
        state = self.session.state
        if state is None or not state.editable or self.session.case is None:
            return
        why = self.decision.judge()
        if why and not (self.decision.reason.toPlainText().strip()):
            self.statusBar().showMessage(
                self.tr("⚠ {name}: {why}; a reason is needed before sign-off").format(
                    name=self.session.case.patient.display_name, why=why
                ),
                10000,
            )

    def next_case(self) -> None:
        if not self.agenda.step(+1):
            self.statusBar().showMessage(self.tr("Last case on the agenda"), 3000)

    def previous_case(self) -> None:
        if not self.agenda.step(-1):
            self.statusBar().showMessage(self.tr("First case on the agenda"), 3000)

    def focus_agenda(self) -> None:
        self.agenda.queue.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_options(self) -> None:
        if not self.options.focus_first_option():
            self.options.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_decision(self) -> None:
        self.decision.focus_plan()

    def move_up(self) -> None:
        self.agenda.move_up()

    def move_down(self) -> None:
        self.agenda.move_down()

    def move_item(self, item_id: int, position: int) -> None:
        self.guard(self.session.move_item, item_id, position)

    # --- the draft --------------------------------------------------------------------------------

    def _draft_saved(self) -> bool:
        """Save what is typed now; False if it could not be (then stay on this case)."""
        self.decision.flush()
        return not self.decision.dirty

    def save_draft(self) -> None:
        """Store the form's draft (connected to the form's saveRequested)."""
        try:
            saved = self.live.save_draft(self.decision.decision())  # offline: kept here
        except ConflictError as exc:
            self.draft_conflict(exc)
            return
        except UserError as exc:
            self.draft_not_saved(exc)
            return
        if saved is not None:
            self.decision.mark_saved(saved)

    def export_typed_draft(self) -> None:
        """File > Export the typed draft: what the decision form holds, to a text file."""
        self.live.export()

    def draft_not_saved(self, exc: UserError) -> None:
        """A draft save was refused: say so; what is typed stays on screen."""
        self.statusBar().showMessage(self.tr("Draft NOT saved: {e}").format(e=exc))
        self.prompts.warn(self.tr("The draft could not be saved: {e}").format(e=exc))

    def guard(self, fn, *args):
        """Call ``fn``; a UserError is shown as a warning instead of propagating."""
        try:
            return fn(*args)
        except UserError as exc:
            self.prompts.warn(str(exc))
            return None

    # --- view -----------------------------------------------------------------------------------

    def set_presentation(self, on: bool) -> None:
        """Full screen and large type for the projector; menus, toolbar, agenda and
        editing controls fold away (the keys still walk the agenda and decide)."""
        self.presentation.set_active(on)
        screen = self.screen()
        height = screen.geometry().height() if screen else 768
        self.setStyleSheet(theme.stylesheet(theme.presentation_scale(height) if on else 1.0))
        self.settings.presentation_mode = on
        self.actions["showAgendaAction"].setChecked(not on)
        self.options.set_presenting(on)
        self._show_position()
        if on and QApplication.focusWidget() is None:
            self.options.setFocus()
        # Table heights depend on the type size: lay the case out again once restyled.
        QTimer.singleShot(0, self._relayout_case)

    def _relayout_case(self) -> None:
        self.summary.show_case(self.session.case, self.session.recommendation)

    def leave_presentation(self) -> None:
        self.actions["presentationAction"].setChecked(False)

    def _editing_controls(self) -> list[QWidget]:
        """What presentation mode hides: the room reads, the chair uses the keys."""
        d = self.decision
        return [self.summary.edit_button, d.sign_button, d.amend_button, d.print_button,
                d.actions.add_button, d.actions.remove_button]  # fmt: skip

    def set_agenda_visible(self, on: bool) -> None:
        self.agenda.setVisible(on)

    def set_summary_visible(self, on: bool) -> None:
        """Fold the case summary away to give the options and decision the width."""
        area = self.findChild(QScrollArea, "summaryScroll")
        if area is not None:
            area.setVisible(on)
        self.settings.summary_visible = on

    def set_wide_options(self, on: bool) -> None:
        """Give the guideline options about half of the case area (remembered)."""
        total = sum(self.case_splitter.sizes()) or 1046
        if on:
            sizes = [
                int(total * 0.25),
                int(total * 0.5),
                total - int(total * 0.25) - int(total * 0.5),
            ]
        else:
            sizes = [
                int(total * 0.38),
                int(total * 0.35),
                total - int(total * 0.38) - int(total * 0.35),
            ]
        self.case_splitter.setSizes(sizes)
        self.settings.wide_options = on

    def show_manual(self) -> None:
        self.prompts.manual(shortcut_rows())

    def show_about(self) -> None:
        self.prompts.about(about_text())

    def show_citations(self, title: str, citations: list, index: int) -> None:
        """The citation legend of one option (non-modal: the meeting goes on)."""
        from ui.widgets.citation_legend import CitationLegend  # loaded when first asked for

        if self.citation_legend is not None:
            self.citation_legend.close()
        self.citation_legend = CitationLegend(
            title, list(citations), index if index >= 0 else None, self
        )
        self.citation_legend.show()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._splitters_restored:
            # A hidden splitter ignores restored sizes: restore them once it is laid out.
            self._splitters_restored = True
            for name, splitter in self.splitters.items():
                state = self.settings.splitter_state(name)
                if state is not None:
                    splitter.restoreState(state)

    # --- closing ----------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:
        if (
            not self._draft_saved()
            and not self.live.kept_safe()
            and not self.prompts.confirm(
                self.tr("The draft could not be saved. Close anyway and lose what was typed?")
            )
        ):
            event.ignore()
            return
        for name, splitter in self.splitters.items():
            self.settings.set_splitter_state(name, splitter.saveState())
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.sync()
        self.live.stop()
        self.stop_records_check()
        wait_for_workers(5000)
        if self.case_editor is not None:
            self.case_editor.close()
        super().closeEvent(event)
        if event.isAccepted():
            self.store.close()
            forget_session(self.db_path)  # passphrase and user leave memory with the window
