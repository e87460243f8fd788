"""The whole meeting on the demo database, driven as the chair drives it: keyboard first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox
from ui_helpers import open_window, press

from mdt_app.store import open_store
from ui.models.agenda_model import AgendaTableModel
from ui.widgets.attendance_dialog import AttendanceDialog

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
PATIENT = "BJØRNSTAD, Ingrid"  # 5th on the demo agenda: IVB, BRAF V600E positive


def _status(window, row):
    model = window.agenda.model
    return model.data(model.index(row, AgendaTableModel.STATUS))


def _walk_to(qtbot, window, banner_name):
    for _ in range(window.agenda.model.rowCount()):
        if window.banner.name.text() == banner_name:
            return
        press(qtbot, window, Qt.Key.Key_Down, ALT)
    raise AssertionError(f"{banner_name} not on the agenda")


def _set_attendance(monkeypatch, qtbot, window, edit):
    """Run the attendance dialog with ``edit(dialog)`` as the user's changes, then OK."""

    def exec_(dialog):
        edit(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AttendanceDialog, "exec", exec_)
    press(qtbot, window, Qt.Key.Key_A, CTRL_SHIFT)  # Meeting > Attendance…


def test_meeting_flow_from_agenda_to_signed_decision(qtbot, demo_db, monkeypatch):
    window = open_window(qtbot, demo_db)
    selector = window.findChild(object, "meetingSelector")
    queue = window.findChild(object, "caseQueue")
    with open_store(demo_db) as store:
        meetings = {m.status: m for m in store.list_meetings()}
        current = meetings["in_progress"]
        closed_count = len(store.agenda(meetings["closed"].id))
        agenda_count = len(store.agenda(current.id))
    window.session.today = current.date  # the meeting is held today

    # 1. The meeting in progress is selected; choosing another meeting shows its agenda.
    assert selector.currentData() == current.id
    assert queue.model().rowCount() == agenda_count
    selector.setCurrentIndex(selector.findData(meetings["closed"].id))
    assert queue.model().rowCount() == closed_count
    selector.setCurrentIndex(selector.findData(current.id))
    assert queue.model().rowCount() == agenda_count
    assert window.banner.name.text() == "ÅNGSTRÖM, Zoë"  # the first case opens

    # 2. Walk the agenda with the keyboard (down, up, down again) to the 5th case.
    press(qtbot, window, Qt.Key.Key_Down, ALT)
    second = window.banner.name.text()
    press(qtbot, window, Qt.Key.Key_Up, ALT)
    assert window.banner.name.text() == "ÅNGSTRÖM, Zoë"
    press(qtbot, window, Qt.Key.Key_Down, ALT)
    assert window.banner.name.text() == second != "ÅNGSTRÖM, Zoë"
    _walk_to(qtbot, window, PATIENT)
    row = window.agenda.queue.currentIndex().row()
    assert _status(window, row) == "▶ discussing"
    assert "Stage IVB" in window.summary.staging.text()
    assert "MRN DEMO-" in window.banner.text()

    # 3. The options: four groups, the engine's codes, guideline version shown.
    options = window.findChild(object, "guidelineOptions")
    assert "version 2.0" in options.guideline.text()
    assert window.options.rows["BRAF_MEK"].group == "recommended"
    assert window.options.rows["EBRT_CHEMO_DEF"].group == "not_recommended"
    press(qtbot, window, Qt.Key.Key_O, ALT)
    assert isinstance(QApplication.focusWidget(), QCheckBox)
    assert QApplication.focusWidget() in window.options.pick_boxes()

    # 4. Pick a not-recommended option and none recommended: a deviation, reason required.
    qtbot.mouseClick(window.options.rows["EBRT_CHEMO_DEF"].box, Qt.MouseButton.LeftButton)
    assert window.prompts.messages[-1][0] == "confirm"  # a not-recommended option is confirmed
    form = window.findChild(object, "decisionForm")
    assert not form.deviation.isVisible()  # judged on sign-off or on leaving, not per tick
    press(qtbot, window, Qt.Key.Key_D, ALT)
    assert QApplication.focusWidget() is form.plan
    qtbot.keyClicks(form.plan, "Definitive IMRT with weekly paclitaxel")
    item_id = window.session.item.id
    with open_store(demo_db) as store:
        qtbot.waitUntil(lambda: store.current_draft(item_id) is not None, timeout=3000)
    press(qtbot, window, Qt.Key.Key_S, CTRL_SHIFT)  # sign off: refused
    assert window.prompts.messages[-1][0] == "warn"
    assert "reason for the deviation" in window.prompts.messages[-1][1]
    assert "EBRT_CHEMO_DEF" not in window.prompts.messages[-1][1]  # titles, never codes
    assert not window.prompts.asked  # it never got as far as asking for the chair
    assert form.deviation.isVisible()
    assert "not-recommended" in form.deviation.text()

    # 5. Also pick the recommended option: still a deviation (a not-recommended one stays).
    qtbot.mouseClick(window.options.rows["BRAF_MEK"].box, Qt.MouseButton.LeftButton)
    assert form.deviation.isVisible()
    form.reason.setFocus()
    qtbot.keyClicks(form.reason, "Patient declines BRAF/MEK tablets; RT feasible")
    assert not form.problems.isVisible()

    # 6. Attendance: without the surgeon the meeting is not quorate; back with them, it is.
    def surgeon_absent(dialog):
        model = dialog.model
        for r, a in enumerate(model.attendees()):
            if a.specialty == "surgeon":
                model.setData(model.index(r, model.PRESENT), Qt.CheckState.Unchecked.value,
                              Qt.ItemDataRole.CheckStateRole)  # fmt: skip

    _set_attendance(monkeypatch, qtbot, window, surgeon_absent)
    indicator = window.findChild(object, "quorumIndicator")
    assert indicator.text().startswith("✘ Not quorate")
    assert "surgeon absent" in indicator.text()

    def surgeon_back_and_guest(dialog):
        model = dialog.model
        for r, a in enumerate(model.attendees()):
            if not a.present:
                model.setData(model.index(r, model.PRESENT), Qt.CheckState.Checked.value,
                              Qt.ItemDataRole.CheckStateRole)  # fmt: skip
        model.add_attendee("Dr Guest Visitor", "palliative care physician")

    _set_attendance(monkeypatch, qtbot, window, surgeon_back_and_guest)
    assert indicator.text().startswith("✔ Quorate")
    with open_store(demo_db) as store:
        names = [a.name for a in store.attendance(current.id)]
    assert "Dr Guest Visitor" in names

    # 7. Sign off with the meeting's chair, prefilled.
    window.prompts.answers["chair"] = "default"
    press(qtbot, window, Qt.Key.Key_S, CTRL_SHIFT)
    kind, (summary,) = window.prompts.asked[-1]
    assert kind == "sign_off" and summary.chair == current.chair and summary.quorate
    assert "Ingrid" in summary.patient and "2.0" in summary.patient
    assert not summary.exceptions  # quorate, on the meeting's day
    assert window.prompts.signatures  # the chair's password again
    assert form.status.text().startswith("✔ Signed off by " + current.chair)
    assert form.plan.isReadOnly()
    assert not window.findChild(object, "signOffButton").isEnabled()
    assert window.findChild(object, "printCareProgrammeButton").isEnabled()
    assert _status(window, row) == "✔ decided"
    assert not window.options.rows["BRAF_MEK"].box.isEnabled()  # read-only options
    window.close()

    # 8. Reopen the database: the signed decision and the agenda status are intact.
    with open_store(demo_db) as store:
        signed = store.effective_decision(item_id)
        assert signed is not None and signed.is_signed
        assert signed.signed_by == current.chair and signed.signed_at is not None
        assert signed.guideline_id == "atc" and signed.guideline_version == "2.0"
        assert signed.options_snapshot["guideline"]["version"] == "2.0"
        assert signed.chosen_options == ["EBRT_CHEMO_DEF", "BRAF_MEK"]
        assert signed.plan_text == "Definitive IMRT with weekly paclitaxel"
        assert signed.deviation_reason.startswith("Patient declines")
        assert store.get_agenda_item(item_id).status == "discussed"
        assert store.decision_status(item_id) == "signed"


def test_amendment_keeps_the_original(qtbot, demo_db):
    with open_store(demo_db) as store:
        current = next(m for m in store.list_meetings() if m.status == "in_progress")
        item = store.agenda(current.id)[0]  # signed in the demo
        original = store.effective_decision(item.id)
    window = open_window(qtbot, demo_db)
    window.session.today = current.date
    form = window.decision
    assert window.session.item.id == item.id
    assert form.plan.isReadOnly() and form.amend_button.isVisible()

    window.prompts.answers["reason"] = "PET/CT shows a new lung nodule"
    qtbot.mouseClick(form.amend_button, Qt.MouseButton.LeftButton)
    assert not form.plan.isReadOnly()
    assert "PET/CT shows a new lung nodule" in form.amendment.text()
    form.plan.setPlainText("Surgery as planned; CT chest in 6 weeks for the nodule")
    window.prompts.answers["chair"] = "Dr Deputy Chair (typed)"
    qtbot.mouseClick(window.findChild(object, "signOffButton"), Qt.MouseButton.LeftButton)
    # The signer is the chair who entered the password, never a typed name.
    assert form.status.text().startswith("✔ Signed off by " + original.signed_by)
    assert form.tabs.tabText(2) == "History (2)"
    assert original.plan_text in form.history.text()
    assert "PET/CT shows a new lung nodule" in form.history.text()
    window.close()

    with open_store(demo_db) as store:
        records = store.decisions_for_item(item.id)
        assert [r.status for r in records] == ["signed", "signed"]
        kept = store.get_decision(original.id)
        assert kept.plan_text == original.plan_text and kept.signed_by == original.signed_by
        assert records[1].amends_decision_id == original.id
        assert records[1].amendment_reason == "PET/CT shows a new lung nodule"
        assert store.decision_status(item.id) == "amended"
