"""The window's actions: menus, toolbar and keyboard shortcuts, defined in one table so the
Help > Keyboard shortcuts dialog always tells the truth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from ui.translate import QT_TR_NOOP


@dataclass(frozen=True)
class ActionSpec:
    name: str  # objectName, and the attribute on the actions holder
    menu: str
    text: str
    keys: tuple[str, ...] = ()
    slot: str = ""  # the window's method to call
    checkable: bool = False
    toolbar: bool = False


MENUS = (QT_TR_NOOP("&File"), QT_TR_NOOP("&Meeting"), QT_TR_NOOP("&Case"),
         QT_TR_NOOP("&View"), QT_TR_NOOP("&Help"))  # fmt: skip

SPECS = (
    ActionSpec("exportMinutesAction", "&File", QT_TR_NOOP("Export minutes…"), ("Ctrl+Shift+E",),
               "export_minutes", toolbar=True),
    ActionSpec("importCasesAction", "&File", QT_TR_NOOP("Import cases…"), ("Ctrl+Shift+I",),
               "import_cases"),
    ActionSpec("connectServerAction", "&File", QT_TR_NOOP("Connect to team server…"), (),
               "connect_team_server"),
    ActionSpec("openDemoAction", "&File", QT_TR_NOOP("Open the demo database"), (), "open_demo"),
    ActionSpec("backupAction", "&File", QT_TR_NOOP("Back up database…"), ("Ctrl+Shift+B",),
               "backup_now"),
    ActionSpec("exportDraftAction", "&File", QT_TR_NOOP("Export the typed draft…"), (),
               "export_typed_draft"),
    ActionSpec("manageUsersAction", "&File", QT_TR_NOOP("Users…"), (), "manage_users"),
    ActionSpec("quitAction", "&File", QT_TR_NOOP("Quit"), ("Ctrl+Q",), "close"),
    ActionSpec("newMeetingAction", "&Meeting", QT_TR_NOOP("New meeting…"), ("Ctrl+Shift+N",),
               "new_meeting"),
    ActionSpec("editMeetingAction", "&Meeting", QT_TR_NOOP("Meeting details…"), (),
               "edit_meeting_details"),
    ActionSpec("findMeetingAction", "&Meeting", QT_TR_NOOP("Find an older meeting…"), (),
               "find_meeting"),
    ActionSpec("closeMeetingAction", "&Meeting", QT_TR_NOOP("Close meeting…"), (),
               "close_meeting"),
    ActionSpec("cancelMeetingAction", "&Meeting", QT_TR_NOOP("Cancel meeting…"), (),
               "cancel_meeting"),
    ActionSpec("attendanceAction", "&Meeting", QT_TR_NOOP("Attendance…"), ("Ctrl+Shift+A",),
               "edit_attendance", toolbar=True),
    ActionSpec("addCaseAction", "&Meeting", QT_TR_NOOP("Add case to agenda…"), ("Ctrl+N",),
               "add_case"),
    ActionSpec("deferAction", "&Meeting", QT_TR_NOOP("Defer case…"), ("Ctrl+Shift+D",),
               "defer_case"),
    ActionSpec("moveToMeetingAction", "&Meeting", QT_TR_NOOP("Move case to another meeting…"),
               (), "move_case_to_meeting"),
    ActionSpec("removeFromAgendaAction", "&Meeting", QT_TR_NOOP("Remove case from agenda…"),
               (), "remove_case"),
    ActionSpec("moveUpAction", "&Meeting", QT_TR_NOOP("Move case up"), ("Ctrl+Shift+Up",),
               "move_up"),
    ActionSpec("moveDownAction", "&Meeting", QT_TR_NOOP("Move case down"), ("Ctrl+Shift+Down",),
               "move_down"),
    ActionSpec("newCaseAction", "&Case", QT_TR_NOOP("New patient / referral…"),
               ("Ctrl+Shift+R",), "new_case", toolbar=True),
    ActionSpec("findPatientAction", "&Case", QT_TR_NOOP("Find patient…"), ("Ctrl+F",),
               "find_patient"),
    ActionSpec("editIdentityAction", "&Case", QT_TR_NOOP("Edit patient identity…"), (),
               "edit_identity"),
    ActionSpec("previousCaseAction", "&Case", QT_TR_NOOP("Previous case"), ("Alt+Up",),
               "previous_case", toolbar=True),
    ActionSpec("nextCaseAction", "&Case", QT_TR_NOOP("Next case"), ("Alt+Down",), "next_case",
               toolbar=True),
    ActionSpec("focusAgendaAction", "&Case", QT_TR_NOOP("Go to agenda"), ("Alt+A",),
               "focus_agenda"),
    ActionSpec("focusOptionsAction", "&Case", QT_TR_NOOP("Go to guideline options"), ("Alt+O",),
               "focus_options"),
    ActionSpec("focusDecisionAction", "&Case", QT_TR_NOOP("Go to decision"), ("Alt+D",),
               "focus_decision"),
    ActionSpec("editCaseAction", "&Case", QT_TR_NOOP("Edit case data…"), ("F2",), "edit_case"),
    ActionSpec("signOffAction", "&Case", QT_TR_NOOP("Sign off decision…"), ("Ctrl+Shift+S",),
               "sign_off", toolbar=True),
    ActionSpec("amendAction", "&Case", QT_TR_NOOP("Amend signed decision…"), ("Ctrl+Shift+M",),
               "amend"),
    ActionSpec("careProgrammeAction", "&Case", QT_TR_NOOP("Care programme…"), ("Ctrl+P",),
               "care_programme"),
    ActionSpec("referPanelAction", "&Case", QT_TR_NOOP("Refer to expert panel…"), (),
               "refer_to_panel"),
    ActionSpec("caseNotesAction", "&Case", QT_TR_NOOP("Case notes…"), (), "case_notes"),
    ActionSpec("caseHistoryAction", "&Case", QT_TR_NOOP("Case history (audit log)…"), (),
               "show_case_history"),
    ActionSpec("presentationAction", "&View", QT_TR_NOOP("Presentation mode (full screen)"),
               ("F5", "Ctrl+Shift+P"), "set_presentation", checkable=True, toolbar=True),
    ActionSpec("presentNextAction", "&View", QT_TR_NOOP("Presenting: next case"),
               ("PgDown", "Down", "Right"), "next_case"),
    ActionSpec("presentPreviousAction", "&View", QT_TR_NOOP("Presenting: previous case"),
               ("PgUp", "Up", "Left"), "previous_case"),
    ActionSpec("leavePresentationAction", "&View", QT_TR_NOOP("Leave presentation mode"),
               ("Esc",), "leave_presentation"),
    ActionSpec("showAgendaAction", "&View", QT_TR_NOOP("Show agenda"), ("Ctrl+L",),
               "set_agenda_visible", checkable=True),
    ActionSpec("showSummaryAction", "&View", QT_TR_NOOP("Show case summary"), ("Ctrl+Shift+H",),
               "set_summary_visible", checkable=True),
    ActionSpec("wideOptionsAction", "&View", QT_TR_NOOP("Wide guideline options"),
               ("Ctrl+Shift+W",), "set_wide_options", checkable=True),
    ActionSpec("manualAction", "&Help", QT_TR_NOOP("Manual and keyboard shortcuts"), ("F1",),
               "show_manual"),
    ActionSpec("aboutAction", "&Help", QT_TR_NOOP("About MDT Assistant"), (), "show_about"),
)  # fmt: skip

# Only while presenting: otherwise the arrows and Esc belong to the widgets.
PRESENTING_ONLY = ("presentNextAction", "presentPreviousAction", "leavePresentationAction")


def _t(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def build_actions(window: QMainWindow) -> dict[str, QAction]:
    """Create every action on ``window`` with its menu entry, toolbar button and keys."""
    menus = {name: window.menuBar().addMenu(_t(name)) for name in MENUS}
    toolbar = QToolBar(_t("Meeting tools"), window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.addToolBar(toolbar)
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(_t(spec.text), window)
        action.setObjectName(spec.name)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        keys = ", ".join(spec.keys)
        action.setToolTip(f"{_t(spec.text)} ({keys})" if keys else _t(spec.text))
        action.setCheckable(spec.checkable)
        slot: Callable = getattr(window, spec.slot)
        if spec.checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False, s=slot: s())
        menus[spec.menu].addAction(action)
        if spec.toolbar:
            toolbar.addAction(action)
        window.addAction(action)  # shortcuts work even with the menu bar hidden
        action.setEnabled(spec.name not in PRESENTING_ONLY)
        actions[spec.name] = action
    return actions


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what) for the Help dialog, from the same table the actions are built from."""
    rows = [(" / ".join(s.keys), _t(s.text).replace("&", "")) for s in SPECS
            if s.keys and s.name not in PRESENTING_ONLY]  # fmt: skip
    rows.append(("PgDown / PgUp / ↓ / ↑, Esc", _t("presenting: next / previous case, leave")))
    rows.append(("Enter", _t("in the options: the full references of the option with focus")))
    rows.append(("Up / Down", _t("in the agenda: previous / next case")))
    rows.append(("Space", _t("in the options: pick or unpick the option with focus")))
    return rows
