"""The meeting screen as the chair uses it (issue 14): one test (or more) per point."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDateEdit, QLabel, QScrollArea
from ui_helpers import open_window, press

from mdt_app import domain as d
from mdt_app.lab_display import lab_value
from mdt_app.store import open_store
from ui.models.agenda_model import AgendaTableModel
from ui.models.case_tables import LabsTableModel
from ui.sign_off_dialog import SignOffDialog, SignOffSummary
from ui.widgets.date_delegate import DueDateDelegate
from ui.widgets.decision_parts import history_text

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
BRAF_CASE = "Ingrid Bjørnstad"  # queued; BRAF_MEK recommended


def _open(window, patient: str) -> None:
    line = next(x for x in window.agenda.model.rows() if x.patient == patient)
    window.agenda.select_item(line.item_id)
    assert window.session.case.patient.given_name in patient


def _meeting_day(window) -> None:
    window.session.today = window.session.meeting.date  # the meeting is held today


# --- 1. every case opens at its top, on the Plan tab -------------------------------------


def test_every_case_opens_scrolled_to_top_on_the_plan_tab(qtbot, meeting_window):
    w = meeting_window
    areas = [w.findChild(QScrollArea, n) for n in ("summaryScroll", "optionsScroll")]
    for area in areas:
        bar = area.verticalScrollBar()
        assert bar.maximum() > 0  # there is something to scroll at 1366x768
        bar.setValue(bar.maximum())
    w.decision.tabs.setCurrentIndex(2)  # History
    press(qtbot, w, Qt.Key.Key_Down, ALT)
    assert [a.verticalScrollBar().value() for a in areas] == [0, 0]
    assert w.decision.tabs.currentIndex() == 0
    assert w.decision.plan_scroll.verticalScrollBar().value() == 0


# --- 2. sign-off shows what is signed and enforces the rules -----------------------------


def _summary(**changes) -> SignOffSummary:
    values = dict(
        patient="BJØRNSTAD, Ingrid (MRN DEMO-0005) · guideline atc 1.0",
        options=("✔ Dabrafenib plus trametinib", "♥ Goals-of-care discussion"),
        plan="Start dabrafenib and trametinib this week; review in clinic in 2 weeks.",
        deviation="the plan includes a not-recommended option: Radioactive iodine",
        deviation_reason="Patient's explicit wish after counselling",
        trial="ROAR follow-on screening",
        follow_up="every 6 weeks: clinical examination, TSH",
        actions=("Order dabrafenib (owner: Dr A; due: 2026-12-04)", "PET/CT (owner: -; due: -)"),
        attendance=("Dr Surgeon (surgeon)", "Dr Oncologist (medical oncologist)"),
        quorum="✘ Not quorate: 3 medical specialties needed, 2 present",
        quorate=False,
        chair="Dr Chair",
        exceptions=("the meeting is not quorate (3 medical specialties needed, 2 present)",),
    )
    values.update(changes)
    return SignOffSummary(**values)


def test_sign_off_dialog_is_sized_to_its_content_and_shows_what_is_signed(qtbot, window):
    summary = _summary()
    dialog = SignOffDialog(summary, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    text = " ".join(lab.text() for lab in dialog.findChildren(QLabel))
    s = summary
    parts = (*s.options, s.plan, s.deviation, s.deviation_reason, s.trial, s.follow_up)
    for part in (*parts, *s.actions, *s.attendance):
        assert part in text
    assert dialog.height() > 400  # sized to its content (it was 153 px)
    scroll = dialog.findChild(QScrollArea, "signOffScroll")
    assert scroll.verticalScrollBar().maximum() == 0  # everything visible without scrolling
    for name in ("signOffExceptions", "chairNameEdit", "confirmSignOffButton"):
        widget = dialog.findChild(QLabel, name) or dialog.findChild(object, name)
        bottom = widget.mapTo(dialog, widget.rect().bottomLeft()).y()
        assert widget.isVisible() and bottom <= dialog.height()


def test_sign_off_dialog_refuses_without_the_reason_it_needs(qtbot, window):
    dialog = SignOffDialog(_summary(), window)
    qtbot.addWidget(dialog)
    dialog._accept()
    assert dialog.result() == 0 and "Record why" in dialog.problem.text()
    dialog.reason.setPlainText("urgent: airway at risk, surgeon on call agreed by phone")
    dialog._accept()
    assert dialog.result() == 1
    assert dialog.answer().exception_reason.startswith("urgent: airway")
    normal = SignOffDialog(_summary(exceptions=(), quorate=True), window)
    qtbot.addWidget(normal)
    assert not normal.reason.isVisibleTo(normal)  # no reason asked on a normal sign-off


def test_without_quorum_the_chair_signs_only_with_a_recorded_reason(qtbot, meeting_window, demo_db):
    w = meeting_window
    _meeting_day(w)
    nobody = [d.Attendee(a.name, a.specialty, present=False) for a in w.session.attendees()]
    w.session.set_attendance(nobody)
    _open(w, BRAF_CASE)
    w.options.rows["BRAF_MEK"].box.click()
    w.prompts.answers["chair"] = "default"
    press(qtbot, w, Qt.Key.Key_S, CTRL_SHIFT)  # no reason given: refused by the store
    kind, (summary,) = w.prompts.asked[-1]
    assert kind == "sign_off" and not summary.quorate
    assert any("not quorate" in e for e in summary.exceptions)
    assert "✔ Dabrafenib" in " ".join(summary.options) or summary.options
    assert w.prompts.messages[-1][0] == "warn" and "recorded reason" in w.prompts.messages[-1][1]
    assert w.session.state.editable  # still a draft
    w.prompts.answers["sign_off_reason"] = "quorum lost at 17:05; decision agreed before"
    press(qtbot, w, Qt.Key.Key_S, CTRL_SHIFT)
    assert w.decision.status.text().startswith("✔ Signed off")
    assert "Signed with a recorded exception" in w.decision.history.text()
    item_id = w.session.item.id
    with open_store(demo_db) as store:
        signed = store.effective_decision(item_id)
        assert signed.sign_off_exceptions == ["not_quorate"]
        assert signed.sign_off_reason == "quorum lost at 17:05; decision agreed before"


def test_outside_the_meeting_day_needs_a_reason_too(qtbot, meeting_window):
    w = meeting_window
    w.session.today = date(2030, 1, 1)
    _open(w, BRAF_CASE)
    w.options.rows["BRAF_MEK"].box.click()
    w.prompts.answers["chair"] = "default"
    press(qtbot, w, Qt.Key.Key_S, CTRL_SHIFT)
    _kind, (summary,) = w.prompts.asked[-1]
    assert any("outside the meeting's day" in e for e in summary.exceptions)


def test_signed_decision_offers_no_add_or_remove(qtbot, meeting_window):
    w = meeting_window  # opens on the first case, signed in the demo
    assert w.session.state.decision.is_signed
    assert not w.decision.actions.add_button.isVisibleTo(w)
    assert not w.decision.actions.remove_button.isVisibleTo(w)
    for row in w.options.rows.values():
        if row.add_button is not None:
            assert not row.add_button.isVisibleTo(w)
    _open(w, BRAF_CASE)  # a draft offers them again
    w.decision.tabs.setCurrentIndex(1)
    assert w.decision.actions.add_button.isVisible()


# --- 3. the case editor warns before changing a case with a signed decision -------------


def test_case_editor_warns_and_a_refused_change_is_undone(qtbot, meeting_window, demo_db):
    w = meeting_window  # the first case is signed
    case_id = w.session.case.id
    before = w.session.case.ecog
    w.prompts.confirm = lambda text: w.prompts.messages.append(("confirm", text)) or False
    press(qtbot, w, Qt.Key.Key_F2)
    editor = w.case_editor
    assert "signed off by" in editor.findChild(QLabel, "signedCaseWarning").text()
    editor.ecog.set_value(4)
    assert "Change the case data anyway?" in w.prompts.messages[-1][1]
    assert editor.ecog.value() == before  # undone in the form
    with open_store(demo_db) as store:
        assert store.get_case(case_id).ecog == before  # and nothing saved
    editor.close()
    _open(w, BRAF_CASE)  # no signed decision: no question
    asked = len(w.prompts.messages)
    press(qtbot, w, Qt.Key.Key_F2)
    assert w.case_editor.findChild(QLabel, "signedCaseWarning") is None
    w.case_editor.ecog.set_value(3)
    assert len(w.prompts.messages) == asked


# --- 4. options in clinicians' words; care for everyone; citations ----------------------


def test_care_for_everyone_is_apart_and_does_not_raise_a_deviation_alarm(qtbot, meeting_window):
    w = meeting_window
    _meeting_day(w)
    _open(w, BRAF_CASE)
    care = w.options.groups["care"]
    assert {r.code for r in care.shown} >= {"GOALS_OF_CARE", "PALLIATIVE_CARE", "ADVANCE_DIRECTIVE"}
    assert "BRAF_MEK" in {r.code for r in w.options.groups["recommended"].shown}
    w.options.rows["GOALS_OF_CARE"].box.click()  # ticked first
    assert not w.decision.deviation.isVisible()  # no red alarm while composing
    press(qtbot, w, Qt.Key.Key_S, CTRL_SHIFT)  # asking to sign judges it
    message = w.prompts.messages[-1][1]
    assert "Dabrafenib" in message  # the missing treatment, named
    assert "BRAF_MEK" not in message and "GOALS_OF_CARE" not in message
    assert w.decision.deviation.isVisible() and "Dabrafenib" in w.decision.deviation.text()


def test_leaving_the_case_judges_deviation_and_names_it(qtbot, meeting_window):
    w = meeting_window
    _open(w, BRAF_CASE)
    w.options.rows["GOALS_OF_CARE"].box.click()
    press(qtbot, w, Qt.Key.Key_Down, ALT)
    message = w.statusBar().currentMessage()
    assert "Bjørnstad" in message or "BJØRNSTAD" in message
    assert "Dabrafenib" in message and "BRAF_MEK" not in message


def test_history_and_sources_use_titles_never_codes(qtbot, meeting_window):
    from ui.guidance import option_title

    x = d.Decision(case_id=1, agenda_item_id=1, chosen_options=["EBRT_CHEMO_ADJ"], id=3)
    text = history_text([x], {}, option_title)
    assert "EBRT_CHEMO_ADJ" not in text and option_title("EBRT_CHEMO_ADJ") in text
    w = meeting_window
    for row in w.options.rows.values():
        assert "Code:" not in row.sources.text() and row.code not in row.sources.text()


def test_enter_on_an_option_opens_the_citation_legend(qtbot, meeting_window):
    w = meeting_window
    _open(w, BRAF_CASE)
    box = w.options.rows["BRAF_MEK"].box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    legend = w.citation_legend
    assert legend is not None and legend.isVisible()
    text = legend.plain_text()
    assert "Bible KC" in text and "Thyroid" in text and "2021" in text
    assert "Recommendation 20" in text and "strong recommendation" in text
    assert "dabrafenib plus trametinib is the preferred" in text  # what it says
    w.options.rows["BRAF_MEK"].sources.linkActivated.emit("cite:0")  # the mouse way
    assert w.citation_legend.isVisible()


def test_unverified_is_a_discreet_marker_with_a_tooltip(qtbot, meeting_window):
    w = meeting_window
    _open(w, "José María Núñez")
    row = w.options.rows["EBRT_CHEMO_DEF"]
    assert row.unverified.isVisible() and row.unverified.text() == "◇ unverified"
    assert "Not checked against the primary text" in row.unverified.toolTip()
    assert "Unverified:" not in row.rationale.text() and "[unverified" not in row.rationale.text()


# --- 5. presentation mode ------------------------------------------------------------------


def test_presentation_mode_for_the_projector(qtbot, meeting_window):
    w = meeting_window
    _open(w, BRAF_CASE)  # 5th of 18 (14 + the 4 pathway 2.0 demo cases)
    press(qtbot, w, Qt.Key.Key_F5)
    assert w.isFullScreen()
    assert not w.menuBar().isVisible() and not w.findChild(object, "mainToolbar").isVisible()
    for widget in (w.decision.sign_button, w.summary.edit_button, w.agenda):
        assert not widget.isVisible()
    bar = w.presentation_bar
    assert bar.isVisible() and bar.position.text() == "Case 5 of 18"
    assert bar.next.text() == "Next: Dimitrios Papadopoulos"
    w.options.setFocus()
    press(qtbot, w, Qt.Key.Key_PageDown)
    assert bar.position.text() == "Case 6 of 18"
    press(qtbot, w, Qt.Key.Key_Down)
    assert bar.position.text() == "Case 7 of 18"
    press(qtbot, w, Qt.Key.Key_PageUp)
    press(qtbot, w, Qt.Key.Key_Left)
    assert bar.position.text() == "Case 5 of 18"
    assert "pt" in w.styleSheet() and "14." in w.styleSheet()  # large type
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.isFullScreen() and w.menuBar().isVisible() and w.agenda.isVisible()
    assert w.decision.sign_button.isVisible() and not bar.isVisible()
    press(qtbot, w, Qt.Key.Key_PageDown)  # outside presentation the keys are the widgets'
    assert w.session.case.patient.given_name == "Ingrid"


# --- 6. layout at 1366x768 -----------------------------------------------------------------


def test_agenda_columns_are_fixed_and_names_elided_with_tooltip(qtbot, meeting_window):
    w = meeting_window
    view = w.agenda.queue
    widths = [view.columnWidth(c) for c in range(5)]
    _open(w, BRAF_CASE)
    w.options.rows["BRAF_MEK"].box.click()
    w.decision.flush()  # a draft: the status column changes
    press(qtbot, w, Qt.Key.Key_Down, ALT)
    assert [view.columnWidth(c) for c in range(5)] == widths  # no re-flow
    model = w.agenda.model
    row = model.row_of_item(
        next(x.item_id for x in model.rows() if x.patient == "Anneliese Müller")
    )
    tip = model.data(model.index(row, AgendaTableModel.PATIENT), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Anneliese Müller")
    days_tip = model.headerData(AgendaTableModel.DAYS, Qt.Orientation.Horizontal,
                                Qt.ItemDataRole.ToolTipRole)  # fmt: skip
    assert "since diagnosis" in days_tip
    assert "Days" in w.findChild(QLabel, "agendaLegend").text()
    assert "⚑" in w.findChild(QLabel, "agendaLegend").text()


def test_lab_values_are_rounded_per_test_and_chart_titles_not_cut(qtbot, meeting_window):
    assert lab_value("Haemoglobin", 137.25, "g/L") == "137"
    assert lab_value("Calcium (adjusted)", 2.4137, "mmol/L") == "2.41"
    assert lab_value("TSH", 1.8234, "mIU/L") == "1.82"
    assert lab_value("CRP", 4.63, "mg/L") == "4.6" and lab_value("CRP", 55.2, "mg/L") == "55"
    assert lab_value("Odd marker", 12.3456, None) == "12.3"
    model = LabsTableModel(compact=True)
    model.set_rows([d.LabResult(date(2026, 11, 1), "Haemoglobin", 137.25, "g/L", 120, 160)])
    assert model.data(model.index(0, LabsTableModel.VALUE)) == "137 g/L"
    w = meeting_window
    s = w.summary
    assert (
        s.labs.mapTo(s, s.labs.rect().topLeft()).y()
        < s.trends.mapTo(s, s.trends.rect().topLeft()).y()
    )
    for chart in w.summary.trends.charts:
        font = chart.font()
        font.setBold(True)
        from PySide6.QtGui import QFontMetrics

        assert chart.title_text(QFontMetrics(font), chart.width() - 14) == chart.trend.test


def test_summary_can_be_collapsed_and_options_widened_and_it_is_remembered(qtbot, demo_db):
    w = open_window(qtbot, demo_db)
    press(qtbot, w, Qt.Key.Key_H, CTRL_SHIFT)
    assert not w.findChild(QScrollArea, "summaryScroll").isVisible()
    press(qtbot, w, Qt.Key.Key_W, CTRL_SHIFT)
    sizes = w.case_splitter.sizes()
    w.close()
    again = open_window(qtbot, demo_db)
    assert not again.findChild(QScrollArea, "summaryScroll").isVisible()
    assert again.actions["wideOptionsAction"].isChecked()
    assert again.case_splitter.sizes()[1] >= sizes[1] - 2
    press(qtbot, again, Qt.Key.Key_H, CTRL_SHIFT)
    assert again.findChild(QScrollArea, "summaryScroll").isVisible()
    again.close()


# --- 7. keyboard -----------------------------------------------------------------------------


def test_one_tab_stop_per_option_space_toggles_focus_is_visible(qtbot, meeting_window):
    w = meeting_window
    _open(w, BRAF_CASE)
    press(qtbot, w, Qt.Key.Key_O, ALT)
    boxes = w.options.pick_boxes()
    visited = [QApplication.focusWidget()]
    for _ in range(len(boxes) - 1):
        press(qtbot, w, Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert all(isinstance(x, QCheckBox) for x in visited)
    assert len(set(visited)) == len(boxes)  # each option once, nothing in between

    def row_of(box):
        return next(r for r in w.options.rows.values() if r.box is box)

    first = visited[0]
    assert row_of(visited[-1]).property("focused") == "true"  # the whole row is outlined
    assert row_of(first).property("focused") == "false"
    for _ in range(len(boxes) - 1):
        press(qtbot, w, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # and back
    assert QApplication.focusWidget() is first
    row = row_of(first)
    press(qtbot, w, Qt.Key.Key_Space)
    assert first.isChecked() and row.code in w.decision.decision().chosen_options


def test_not_recommended_option_needs_confirmation(qtbot, meeting_window):
    w = meeting_window
    _open(w, BRAF_CASE)
    answers = []
    w.prompts.confirm = lambda text: answers.append(text) or False
    w.options.rows["RAI"].box.click()
    assert answers and "NOT recommended" in answers[0] and "Radioactive" in answers[0]
    assert not w.options.rows["RAI"].box.isChecked()
    assert "RAI" not in w.decision.decision().chosen_options
    w.prompts.confirm = lambda text: True
    w.options.rows["RAI"].box.click()
    assert "RAI" in w.decision.decision().chosen_options


def test_follow_up_in_weeks_and_a_date_picker_for_due_dates(qtbot, meeting_window, demo_db):
    w = meeting_window
    _open(w, BRAF_CASE)
    follow = w.decision.follow_up
    follow.unit.setCurrentIndex(follow.unit.findData("weeks"))
    follow.months.setValue(6)
    x = w.decision.decision()
    assert x.follow_up_weeks == 6 and x.follow_up_months == 2
    w.decision.flush()
    item_id = w.session.item.id
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).follow_up_weeks == 6
    press(qtbot, w, Qt.Key.Key_Down, ALT)
    press(qtbot, w, Qt.Key.Key_Up, ALT)
    assert follow.unit.currentData() == "weeks" and follow.months.value() == 6
    view = w.decision.actions.view
    delegate = view.itemDelegateForColumn(2)
    assert isinstance(delegate, DueDateDelegate)
    w.decision.actions.add("Book PET/CT")
    index = w.decision.actions.model.index(0, 2)
    editor = delegate.createEditor(view, None, index)
    assert isinstance(editor, QDateEdit) and editor.calendarPopup()
    editor.setDate(editor.date().fromString("2026-12-09", "yyyy-MM-dd"))
    delegate.setModelData(editor, w.decision.actions.model, index)
    assert w.decision.actions.actions()[0].due_date == date(2026, 12, 9)


def test_save_dialogs_open_in_documents_or_the_last_folder(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from ui import minutes_export
    from ui.settings import UiSettings

    monkeypatch.setenv("MDT_APP_UI_SETTINGS", str(tmp_path / "ui.ini"))
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    first = UiSettings().save_directory()
    assert first.is_dir()
    seen = []

    def save_as(parent, title, where, filters):
        seen.append(where)
        return str(tmp_path / "out" / "minutes.pdf"), filters

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    monkeypatch.setattr(minutes_export.MinutesFormatDialog, "exec", lambda self: 1)
    minutes_export.ask_user(None, 1)
    minutes_export.ask_user(None, 1)
    assert seen[0].startswith(str(first))
    assert seen[1].startswith(str(tmp_path / "out"))  # the folder used last


# --- 8. small things -------------------------------------------------------------------------


def test_amendments_are_numbered_as_in_history_and_need_a_reason(qtbot, meeting_window):
    w = meeting_window  # the first case is signed
    w.prompts.answers["reason"] = ""  # OK pressed on an empty reason
    press(qtbot, w, Qt.Key.Key_M, CTRL_SHIFT)
    assert w.prompts.messages[-1] == ("warn", "An amendment needs a reason: nothing was changed.")
    assert not w.session.state.editable
    w.prompts.answers["reason"] = "new PET/CT"
    press(qtbot, w, Qt.Key.Key_M, CTRL_SHIFT)
    assert w.decision.amendment.text().startswith("Amendment of record #1.")
    assert "Amends #1" in w.decision.history.text()
    assert "decision " not in w.decision.amendment.text()


def test_f1_opens_the_manual_and_about_names_the_versions(qtbot, meeting_window):
    from ui.help import ManualDialog, about_text

    w = meeting_window
    press(qtbot, w, Qt.Key.Key_F1)
    kind, rows = w.prompts.asked[-1]
    assert kind == "manual"
    dialog = ManualDialog(list(rows), w)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for part in ("Running the meeting", "Care for everyone", "Not recommended", "Ctrl+Shift+S",
                 "Presentation mode"):  # fmt: skip
        assert part in text
    w.actions["aboutAction"].trigger()
    kind, (about,) = w.prompts.asked[-1]
    assert kind == "about" and about == about_text()
    assert "MDT Assistant" in about and "version 2.0" in about
