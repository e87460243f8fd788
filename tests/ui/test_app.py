"""The window as a whole: contract object names, hand-overs, reordering, settings, help."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPushButton
from ui_helpers import open_window, press, sign_in_as_demo_chair

from mdt_app.store import open_store
from ui import app as ui_app
from ui.sign_in import SignInDialog

CONTRACT_NAMES = ("meetingSelector", "caseQueue", "patientBanner", "stagingSummary",
                  "imagingTable", "labsTable", "guidelineOptions", "decisionForm",
                  "signOffButton", "printCareProgrammeButton")  # fmt: skip
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def test_contract_object_names(meeting_window):
    window = meeting_window
    assert window.objectName() == "mainWindow"
    for name in CONTRACT_NAMES:
        assert window.findChild(object, name) is not None, name
    for name in ("caseQueue", "imagingTable", "labsTable"):
        assert isinstance(window.findChild(object, name), QAbstractItemView)
    action = window.findChild(QAction, "exportMinutesAction")
    assert action.shortcut().toString() == "Ctrl+Shift+E"
    assert any(action in bar.actions() for bar in window.findChildren(object, "mainToolbar"))
    assert "DEMO" in window.windowTitle()
    assert window.banner.demo.isVisible()


def test_care_programme_hands_over_the_signed_decision(qtbot, meeting_window, monkeypatch):
    window = meeting_window
    calls = []
    import ui.care_programme_dialog
    import ui.minutes_export

    monkeypatch.setattr(ui.care_programme_dialog, "open_care_programme", lambda *a: calls.append(a))
    monkeypatch.setattr(ui.minutes_export, "export_minutes", lambda *a: calls.append(a))
    button = window.findChild(QPushButton, "printCareProgrammeButton")
    assert button.isEnabled()  # the first demo case is signed
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    signed = window.session.state.signed_decision
    assert calls == [(window, window.db_path, signed.case_id, signed.id)]
    press(qtbot, window, Qt.Key.Key_E, CTRL_SHIFT)  # export minutes
    assert calls[-1] == (window, window.db_path, window.session.meeting.id)


def test_reorder_with_keys_and_drop(qtbot, meeting_window, demo_db):
    window = meeting_window
    model = window.agenda.model
    first, second = model.row_object(0).item_id, model.row_object(1).item_id
    press(qtbot, window, Qt.Key.Key_Down, CTRL_SHIFT)  # move the open (first) case down
    qtbot.waitUntil(lambda: model.row_object(1).item_id == first, timeout=2000)
    assert model.row_object(0).item_id == second
    assert window.agenda.current_line().item_id == first  # still the case under discussion
    mime = model.mimeData([model.index(model.rowCount() - 1, 0)])
    last = model.row_object(model.rowCount() - 1).item_id
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # to the top
    qtbot.waitUntil(lambda: model.row_object(0).item_id == last, timeout=2000)
    with open_store(demo_db) as store:
        meeting_id = window.session.meeting.id
        assert [i.id for i in store.agenda(meeting_id)][:3] == [last, second, first]


def test_add_case_from_another_meeting_is_a_search(qtbot, meeting_window, demo_db):
    """Ctrl+N is the patient search, never a list of the whole archive; Enter queues."""
    window = meeting_window
    on_agenda = {line.item.case_id for line in window.session.lines}
    candidates = [r for r in window.store.list_cases() if r.id not in on_agenda]
    assert candidates
    count = window.agenda.model.rowCount()
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    field = window.findChild(object, "patientSearch")
    assert QApplication.focusWidget() is field
    qtbot.keyClicks(field, candidates[0].mrn)
    qtbot.waitUntil(window.patient_search.is_open, timeout=3000)
    assert window.patient_search.model.row_object(0).row.id == candidates[0].id
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.agenda.model.rowCount() == count + 1
    assert window.agenda.current_line().item.case_id == candidates[0].id


def test_splitter_sizes_are_remembered(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    window.case_splitter.setSizes([500, 300, 200])
    window.main_splitter.setSizes([300, 1066])
    sizes = window.case_splitter.sizes(), window.main_splitter.sizes()
    window.close()
    again = open_window(qtbot, demo_db)
    assert (again.case_splitter.sizes(), again.main_splitter.sizes()) == sizes
    again.close()


def test_presentation_mode_is_remembered(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    base = window.styleSheet()
    press(qtbot, window, Qt.Key.Key_F5)
    assert window.actions["presentationAction"].isChecked()
    from ui import theme

    scale = theme.presentation_scale(window.screen().geometry().height())
    assert scale >= theme.PRESENTATION_SCALE
    assert window.styleSheet() != base and f"{10 * scale:.1f}pt" in window.styleSheet()
    assert not window.agenda.isVisible()  # folded away for the room
    press(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # still walks
    assert window.session.item.id == window.agenda.model.row_object(1).item_id
    window.close()
    again = open_window(qtbot, demo_db)
    assert again.actions["presentationAction"].isChecked()
    press(qtbot, again, Qt.Key.Key_F5)
    assert not again.actions["presentationAction"].isChecked() and again.agenda.isVisible()
    again.close()


def test_help_lists_the_shortcuts(qtbot, meeting_window):
    press(qtbot, meeting_window, Qt.Key.Key_F1)
    kind, rows = meeting_window.prompts.asked[-1]
    keys = dict(rows)
    assert kind == "manual"
    assert {"Alt+Down", "Alt+Up", "Alt+O", "Alt+D", "Ctrl+Shift+S", "F5 / Ctrl+Shift+P"} <= set(
        keys
    )


def test_run_opens_the_window_and_returns_on_close(qtbot, demo_db, monkeypatch, root_handlers):
    from mdt_app.security.demo_users import DEMO_CHAIR
    from mdt_app.security.users import get_user

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    # Who is working: answered as the demo chair (the dialog itself is tested elsewhere).
    monkeypatch.setattr(ui_app, "ask_who_is_working", lambda store: get_user(store, DEMO_CHAIR))
    # On a team server the window signs in with the server's own dialog: answered likewise.
    monkeypatch.setattr(SignInDialog, "exec", sign_in_as_demo_chair)

    def close_it():
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "mainWindow" and widget.isVisible():
                widget.close()

    QTimer.singleShot(300, close_it)
    assert ui_app.run(demo_db) == 0
    assert isinstance(sys.excepthook, ui_app.excepthook.ExceptionHandler)
    assert sys.excepthook.rescue  # the window's draft is saved on an unexpected error


def test_run_reports_an_unusable_database(qtbot, tmp_path, monkeypatch, root_handlers):
    bad = tmp_path / "not-a-db.db"
    bad.write_text("hello")
    shown = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(ui_app.QMessageBox, "critical", lambda *a: shown.append(a[2]))
    assert ui_app.run(bad) == 1
    assert "not an MDT Assistant database" in shown[0]
