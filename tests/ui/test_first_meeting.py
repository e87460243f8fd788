"""A real meeting from an empty database, driven through the window: create the meeting
(a weekly series), enter a case by hand, import a file, search a patient and queue
them, record and sign a decision, defer a case, close the meeting (the undiscussed case
moves to the next meeting), export final minutes.

Each new dialog is captured over the window at 1366x768; with MDT_APP_SCREENSHOTS=1 the
images go to docs/screenshots/ (to be looked at before committing).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QDialog
from ui_helpers import open_window, press

from mdt_app.cli import main as cli
from mdt_app.store import open_store
from ui.import_dialog import ImportDialog
from ui.intake_dialog import IntakeDialog
from ui.widgets.close_meeting_dialog import CloseMeetingDialog
from ui.widgets.date_fields import qdate
from ui.widgets.defer_dialog import DeferChoice, DeferDialog
from ui.widgets.identity_dialog import IdentityDialog
from ui.widgets.meeting_dialog import MeetingDialog
from ui.widgets.meeting_finder import MeetingFinder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def shots(tmp_path):
    return DOCS if os.environ.get("MDT_APP_SCREENSHOTS") else tmp_path / "shots"


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def capture(window, dialog, path: Path) -> None:
    """The dialog over the window, as the user sees it on a 1366x768 screen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    dialog.show()
    settle()
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (1366, 768)
    over = dialog.grab()
    assert over.width() <= 1366 and over.height() <= 768, f"{path.name} does not fit"
    painter = QPainter(image)
    x, y = (1366 - over.width()) // 2, (768 - over.height()) // 2
    painter.drawPixmap(x, y, over)
    painter.setPen(Qt.GlobalColor.darkGray)  # offscreen dialogs have no window frame
    painter.drawRect(x - 1, y - 1, over.width() + 1, over.height() + 1)
    painter.end()
    image.save(str(path))
    dialog.hide()
    window.activateWindow()  # shortcuts only reach the active window
    window.windowHandle().requestActivate()
    for _ in range(50):
        if window.isActiveWindow():
            break
        settle()


def fill(widget, text: str) -> None:
    widget.setText(text) if hasattr(widget, "setText") else widget.setPlainText(text)


def test_a_meeting_from_an_empty_database(qtbot, tmp_path, monkeypatch, shots, db_location):
    db = db_location  # a new file, or an empty team database
    today = date.today()
    window = open_window(qtbot, db)
    assert window.case_stack.currentWidget() is window.start_panel
    assert window.start_panel.buttons["startNewMeeting"].isVisible()
    assert window.start_panel.buttons["startDemo"].isVisible()
    shots.mkdir(parents=True, exist_ok=True)
    settle()
    window.grab().save(str(shots / "first-run-1366x768.png"))

    # 1. Create the meeting: today 08:00, weekly, chair and link, expected specialties.
    def meeting_exec(dialog):
        dialog.date.setDate(qdate(today))
        dialog.title.setText("Thyroid cancer MDT")
        dialog.chair.setCurrentText("Dr Ana Chair")
        dialog.location.setText("https://video.example/mdt")
        dialog.specialties["surgeon"].setChecked(True)
        dialog.specialties["medical oncologist"].setChecked(True)
        dialog.repeat.setChecked(True)
        capture(window, dialog, shots / "meeting-dialog-1366x768.png")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(MeetingDialog, "exec", meeting_exec)
    window.findChild(object, "newMeetingAction").trigger()
    meeting = window.session.meeting
    assert meeting is not None and meeting.date == today and meeting.series_id
    assert meeting.expected_specialties == ["medical oncologist", "surgeon"]
    with open_store(db) as store:
        series_days = [m.date for m in store.meeting_choices(today) if m.series_id]
    assert series_days[:2] == [today, today + timedelta(weeks=1)]
    assert window.start_panel.buttons["startSearch"].isVisible()  # empty agenda: fill it

    # 2. Enter a case by hand: identity, staging, biomarkers, consent; live stage.
    def intake_exec(dialog):
        f = {w.objectName(): w for w in dialog.findChildren(object) if w.objectName()}
        fill(f["intakeMrn"], "H900001")
        fill(f["intakeGivenName"], "Ingrid")
        fill(f["intakeFamilyName"], "Bjørnstad")
        fill(f["intakeBirthDate"], "1950-13-02")  # a typo: the case-file rules refuse it
        dialog.refresh()
        assert "patient.birth_date" in dialog.problem.text()
        assert not dialog.save_button.isEnabled()
        fill(f["intakeBirthDate"], "1950-03-02")
        fill(f["intakeQuestion"], "Resectable? Treatment plan?")
        f["intakeT"].set_value("T4a")
        f["intakeN"].set_value("N1b")
        f["intakeM"].set_value("M0")
        f["intakeResectability"].set_value("r0_r1_expected")
        f["intake_braf_v600e"].set_value("negative")
        f["intakeEcog"].set_value(1)
        f["intakeAirway"].set_value("stable")
        f["intakeGoals"].set_value("active_treatment")
        f["consentDiscussion"].set_value("given")
        f["consentRegistry"].set_value("refused")
        dialog.imaging.add_row({"date": today.isoformat(), "modality": "CT", "region": "neck",
                                "summary": "5 cm mass invading strap muscles"})  # fmt: skip
        dialog.refresh()
        assert dialog.save_button.isEnabled(), dialog.problem.text()
        assert dialog.stage.text() == "Stage IVB"
        assert "Recommended" in dialog.options.text()
        dialog.tabs.setCurrentIndex(2)
        capture(window, dialog, shots / "intake-dialog-1366x768.png")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(IntakeDialog, "exec", intake_exec)
    press(qtbot, window, Qt.Key.Key_R, CTRL_SHIFT)
    assert window.banner.name.text().startswith("BJØRNSTAD")
    assert window.agenda.model.rowCount() == 1
    with open_store(db) as store:
        entered = store.get_case(store.find_case_by_mrn("H900001"))
    assert entered.consent.registry == "refused" and entered.imaging[0].modality == "CT"

    # Correct the identity (audited, reason required): the birth date was mistyped.
    calls = []

    def identity_exec(dialog):
        calls.append(dialog.problem.text())
        dialog.birth.setText("1950-03-12")
        if len(calls) == 1:  # first without a reason: refused, the dialog asks again
            capture(window, dialog, shots / "identity-dialog-1366x768.png")
        else:
            dialog.why.setPlainText("Birth date mistyped on the referral")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(IdentityDialog, "exec", identity_exec)
    window.findChild(object, "editIdentityAction").trigger()
    with open_store(db) as store:
        [entry] = [e for e in store.audit_log("patient") if e.action == "edit_identity"]
    assert entry.details["changes"]["birth_date"] == {"from": "1950-03-02", "to": "1950-03-12"}
    assert "needs a reason" in calls[1]
    assert "1950-03-12" in window.banner.text()

    # 3. Import a file: report first, nothing written until confirmed; not queued.
    def import_exec(dialog):
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
        with open_store(db) as store:
            assert store.find_case_by_mrn("B-100") is None  # the preview wrote nothing
        report = "\n".join(
            dialog.report.topLevelItem(i).text(0) for i in range(dialog.report.topLevelItemCount())
        )
        assert "new patients (2)" in report
        dialog.meeting.setCurrentIndex(0)  # do not queue
        capture(window, dialog, shots / "import-report-1366x768.png")
        dialog.confirm.click()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", import_exec)
    window.prompts.answers["files"] = [str(FIXTURES / "import" / "two_cases.json")]
    press(qtbot, window, Qt.Key.Key_I, CTRL_SHIFT)
    with open_store(db) as store:
        assert store.find_case_by_mrn("B-100") is not None
    assert window.agenda.model.rowCount() == 1

    # 4. Search (accents folded) and queue with Ctrl+Enter; Ctrl+N is the same search.
    press(qtbot, window, Qt.Key.Key_F, CTRL)
    field = window.findChild(object, "patientSearch")
    assert QApplication.focusWidget() is field
    qtbot.keyClicks(field, "dvorak")
    qtbot.waitUntil(window.patient_search.is_open, timeout=3000)
    assert window.patient_search.model.rowCount() == 1
    settle()
    window.grab().save(str(shots / "search-1366x768.png"))
    qtbot.keyClick(field, Qt.Key.Key_Return, CTRL)
    assert window.agenda.model.rowCount() == 2
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    assert QApplication.focusWidget() is field
    field.clear()
    qtbot.keyClicks(field, "kowal")
    qtbot.waitUntil(window.patient_search.is_open, timeout=3000)
    qtbot.keyClick(field, Qt.Key.Key_Return)  # in "add" mode Enter queues
    assert window.agenda.model.rowCount() == 3

    # 5. Record and sign a decision for the case entered by hand.
    first = window.agenda.model.row_object(0)
    window.agenda.select_item(first.item_id)
    code = window.session.recommendation.recommended[0].code
    qtbot.mouseClick(window.options.rows[code].box, Qt.MouseButton.LeftButton)
    window.decision.plan.setFocus()
    qtbot.keyClicks(window.decision.plan, "Total thyroidectomy with neck dissection")
    window.prompts.answers["chair"] = "default"
    # No attendance is recorded on this new meeting, so no quorum: the chair signs only
    # with a recorded reason.
    window.prompts.answers["sign_off_reason"] = "Urgent airway case; quorum by phone"
    press(qtbot, window, Qt.Key.Key_S, CTRL_SHIFT)
    with open_store(db) as store:
        assert store.decision_status(first.item_id) == "signed"
    status = window.agenda.model.index(0, window.agenda.model.STATUS).data()
    assert status == "✔ decided"

    # 6. Defer Dvořák to the next meeting of the series; the dialog names the patient
    # and an empty reason asks again.
    dvorak = next(x for x in window.agenda.model.rows() if "Dvořák" in x.patient)
    window.agenda.select_item(dvorak.item_id)
    with open_store(db) as store:
        later = store.next_open_meeting(meeting)
    dialog = DeferDialog(window.session.case.patient, meeting, window._open_meetings(), window)
    assert "Dvořák" in dialog.findChild(object, "deferPatient").text()
    dialog.accept()  # no reason yet
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.problem.isVisibleTo(dialog)
    capture(window, dialog, shots / "defer-dialog-1366x768.png")
    dialog.close()
    window.prompts.answers["defer"] = DeferChoice("Awaiting FDG PET/CT", meeting_id=later.id)
    press(qtbot, window, Qt.Key.Key_D, CTRL_SHIFT)
    dvorak = next(x for x in window.agenda.model.rows() if "Dvořák" in x.patient)
    assert dvorak.item.status == "deferred"

    # 7. Close the meeting: Kowalska, not discussed, moves on with her reason.
    def close_exec(dialog):
        assert len(dialog.reasons) == 1
        edit = next(iter(dialog.reasons.values()))
        edit.setText("Ran out of time")
        capture(window, dialog, shots / "close-meeting-1366x768.png")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CloseMeetingDialog, "exec", close_exec)
    window.findChild(object, "closeMeetingAction").trigger()
    assert window.prompts.messages[-1][0] == "info"
    assert "Kowalska" in window.prompts.messages[-1][1]
    with open_store(db) as store:
        assert store.get_meeting(meeting.id).status == "closed"
        moved = [store.get_case(i.case_id).patient.family_name for i in store.agenda(later.id)]
        assert sorted(moved) == ["Dvořák", "Kowalska"]
        kowalska = next(i for i in store.agenda(meeting.id) if i.status == "not_discussed")
        assert kowalska.status_reason == "Ran out of time"
        assert kowalska.deferred_to_meeting_id == later.id

    # The selector lists upcoming and recent meetings; the finder finds any by date/title.
    finder = MeetingFinder(lambda text: window.store.find_meetings(text), window)
    finder.text.setText(today.isoformat()[:7])
    assert finder.list.count() >= 1
    capture(window, finder, shots / "meeting-finder-1366x768.png")
    finder.close()

    # 8. The minutes of the closed meeting are final (no PROVISIONAL mark).
    from pypdf import PdfReader

    pdf = tmp_path / "minutes.pdf"
    assert cli(["--db", str(db), "minutes", str(meeting.id), "-o", str(pdf)]) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "PROVISIONAL" not in text
    assert "registry use refused" in text
    window.close()
