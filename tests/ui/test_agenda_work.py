"""Agenda work in the window on the demo database: defer to a new date, move between
meetings, remove a case queued by mistake, open a search hit on its meeting, drop files
on the agenda, 'discussing' only on the meeting's day, the demo in its own database."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog
from ui_helpers import open_window, press

from mdt_app.store import open_store
from tests.conftest import FIXTURES
from ui.import_dialog import ImportDialog
from ui.models.agenda_model import AgendaTableModel
from ui.widgets.defer_dialog import DeferChoice

CTRL = Qt.KeyboardModifier.ControlModifier
NEW_NAMES = ("newMeetingAction", "closeMeetingAction", "newCaseAction", "importCasesAction",
             "patientSearch", "meetingSelector")  # fmt: skip


def _queued(window):
    return next(x for x in window.agenda.model.rows()
                if x.item.status == "queued" and x.decision_status == "none")  # fmt: skip


def test_the_new_object_names_exist(meeting_window):
    for name in NEW_NAMES:
        assert meeting_window.findChild(object, name) is not None, name
    for name in NEW_NAMES[:4]:
        assert isinstance(meeting_window.findChild(QAction, name), QAction)


def test_defer_to_a_new_date_creates_the_meeting(qtbot, meeting_window, demo_db):
    window = meeting_window
    line = _queued(window)
    window.agenda.select_item(line.item_id)
    day = window.session.meeting.date + timedelta(days=35)
    window.prompts.answers["defer"] = DeferChoice("Awaiting surgery opinion", new_date=day)
    window.findChild(QAction, "deferAction").trigger()
    with open_store(demo_db) as store:
        item = store.get_agenda_item(line.item_id)
        target = store.get_meeting(item.deferred_to_meeting_id)
        assert item.status == "deferred" and target.date == day
        assert [i.case_id for i in store.agenda(target.id)] == [line.item.case_id]


def test_move_and_remove_are_audited_with_their_reason(qtbot, meeting_window, demo_db):
    window = meeting_window
    line = _queued(window)
    window.agenda.select_item(line.item_id)
    with open_store(demo_db) as store:
        later = next(m for m in store.list_meetings() if m.status == "planned")
    window.prompts.answers["defer"] = DeferChoice("queued on the wrong week", meeting_id=later.id)
    count = window.agenda.model.rowCount()
    window.findChild(QAction, "moveToMeetingAction").trigger()
    assert window.agenda.model.rowCount() == count - 1
    other = _queued(window)
    window.agenda.select_item(other.item_id)
    window.prompts.answers["reason"] = "referral withdrawn by the surgeon"
    window.findChild(QAction, "removeFromAgendaAction").trigger()
    assert window.agenda.model.rowCount() == count - 2
    with open_store(demo_db) as store:
        log = {e.action: e.details for e in store.audit_log("agenda_item")}
        assert log["move_to_meeting"]["reason"] == "queued on the wrong week"
        assert log["remove_from_agenda"]["reason"] == "referral withdrawn by the surgeon"
        assert line.item.case_id in [i.case_id for i in store.agenda(later.id)]
    # A case with a decision cannot be removed: the refusal is shown, nothing changes.
    decided = next(x for x in window.agenda.model.rows() if x.decision_status == "signed")
    window.agenda.select_item(decided.item_id)
    window.findChild(QAction, "removeFromAgendaAction").trigger()
    assert window.prompts.messages[-1][0] == "warn"
    assert "decision recorded" in window.prompts.messages[-1][1]


def test_enter_on_a_search_hit_opens_it_on_its_meeting(qtbot, meeting_window, demo_db):
    window = meeting_window
    with open_store(demo_db) as store:
        closed = next(m for m in store.list_meetings() if m.status == "closed")
        item = store.agenda(closed.id)[0]
        patient = store.get_case(item.case_id).patient
    press(qtbot, window, Qt.Key.Key_F, CTRL)
    field = window.findChild(object, "patientSearch")
    qtbot.keyClicks(field, patient.mrn)
    qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter before the pause: searches, then opens
    assert window.session.meeting.id == closed.id
    assert window.agenda.meetings.currentData() == closed.id
    assert window.session.case.patient.mrn == patient.mrn
    # On a closed meeting the case is open but not "under discussion".
    row = window.agenda.model.row_of_item(window.session.item.id)
    status = window.agenda.model.index(row, AgendaTableModel.STATUS).data()
    assert "discussing" not in status
    assert window.findChild(QAction, "closeMeetingAction").isEnabled() is False


def test_files_dropped_on_the_agenda_are_imported_with_the_report(qtbot, meeting_window):
    window = meeting_window
    seen = []

    def exec_(dialog):
        seen.append(list(dialog.paths))
        return QDialog.DialogCode.Rejected

    from pytest import MonkeyPatch

    with MonkeyPatch.context() as mp:
        mp.setattr(ImportDialog, "exec", exec_)
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(FIXTURES / "import" / "two_cases.json"))])
        viewport = window.agenda.queue.viewport()
        actions = Qt.DropAction.CopyAction
        enter = QDragEnterEvent(QPoint(10, 10), actions, mime, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier)  # fmt: skip
        QApplication.sendEvent(viewport, enter)
        assert enter.isAccepted()
        drop = QDropEvent(QPoint(10, 10), actions, mime, Qt.MouseButton.NoButton,
                          Qt.KeyboardModifier.NoModifier)  # fmt: skip
        QApplication.sendEvent(viewport, drop)
        qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [[str(FIXTURES / "import" / "two_cases.json")]]


def test_the_demo_opens_in_its_own_database(qtbot, db_location):
    from mdt_app import paths

    db = db_location  # a new file, or an empty team database
    window = open_window(qtbot, db)
    qtbot.mouseClick(window.start_panel.buttons["startDemo"], Qt.MouseButton.LeftButton)
    [demo] = window._other_windows
    assert demo.db_path == paths.demo_database_path()
    assert "DEMO" in demo.windowTitle()
    with open_store(db) as store:
        assert store.list_meetings() == [] and store.case_ids() == []
    demo.close()
    window.close()


def test_an_unfinished_referral_is_kept_and_offered_again(qtbot, meeting_window, monkeypatch):
    from ui.intake_dialog import IntakeDialog

    window = meeting_window
    typed = []

    def first(dialog):
        dialog.findChild(object, "intakeFamilyName").setText("Halfway")
        dialog.reject()  # closed without saving: kept as a draft
        return dialog.result()

    monkeypatch.setattr(IntakeDialog, "exec", first)
    window.findChild(QAction, "newCaseAction").trigger()
    assert window.store.intake_draft()["form"]["patient"]["family_name"] == "Halfway"

    def second(dialog):
        typed.append(dialog.findChild(object, "intakeFamilyName").text())
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(IntakeDialog, "exec", second)
    window.findChild(QAction, "newCaseAction").trigger()  # the scripted prompt says yes
    assert typed == ["Halfway"]
    assert ("confirm", "Continue the referral form left unfinished?") in window.prompts.messages


def test_a_new_case_for_a_known_patient_found_by_search(qtbot, meeting_window, monkeypatch):
    from ui.intake_dialog import IntakeDialog

    window = meeting_window
    known = window.session.case.patient

    def exec_(dialog):
        dialog.known_patient.setChecked(True)
        dialog.find.setText(known.mrn)
        dialog._find(known.mrn)
        dialog._choose_known(dialog.found.item(0))
        assert dialog.findChild(object, "intakeMrn").text() == known.mrn
        assert not dialog.findChild(object, "intakeMrn").isEnabled()  # identity read-only
        dialog.findChild(object, "intakePhase").set_value("progression")
        dialog.refresh()
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(IntakeDialog, "exec", exec_)
    window.findChild(QAction, "newCaseAction").trigger()
    from mdt_app.search import search_cases

    found = [h.row for h in search_cases(window.store, known.mrn)]
    assert len(found) >= 2  # the earlier case and the new one, same patient
    assert window.session.case.patient.id == known.id
    assert window.session.case.phase == "progression"


def test_meeting_details_edited_and_a_meeting_cancelled(qtbot, meeting_window, demo_db,
                                                        monkeypatch):  # fmt: skip
    from ui.widgets.meeting_dialog import MeetingDialog

    window = meeting_window
    with open_store(demo_db) as store:
        later = next(m for m in store.list_meetings() if m.status == "planned")
    window.refresh_meetings(later.id)

    def exec_(dialog):
        dialog.location.setText("Room 2.01")
        dialog.title.setText("   ")  # refused: the dialog stays open with the reason
        dialog.accept()
        assert "needs a title" in dialog.problem.text()
        dialog.title.setText("Thyroid MDT (moved)")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(MeetingDialog, "exec", exec_)
    window.findChild(QAction, "editMeetingAction").trigger()
    assert window.session.meeting.title == "Thyroid MDT (moved)"
    assert "Room 2.01" in window.findChild(object, "meetingDetails").text()
    window.prompts.answers["reason"] = "bank holiday"
    window.findChild(QAction, "cancelMeetingAction").trigger()
    assert window.session.meeting.status == "cancelled"
    assert window.agenda.meetings.currentText().endswith("✘")
    assert not window.findChild(QAction, "closeMeetingAction").isEnabled()
