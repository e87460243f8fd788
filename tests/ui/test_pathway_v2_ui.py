"""Pathway 2.0 in the window: warnings above the options, patient alerts, prior treatments,
and a v1 decision shown with what the current pathway would advise."""

from __future__ import annotations

from ui_helpers import open_window


def _select(window, mrn):
    for line in window.agenda.model.rows():
        if line.mrn == mrn:
            window.agenda.select_item(line.item_id)
            return
    raise AssertionError(mrn)


def test_pregnant_patient_warnings_and_alerts(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    _select(window, "DEMO-0201")
    qtbot.waitUntil(lambda: "Lefèvre" in window.banner.name.text() or "LEFÈVRE" in
                    window.banner.name.text(), timeout=3000)  # fmt: skip
    warnings = window.options.warnings
    assert warnings.isVisible()
    lines = warnings.text().splitlines()
    assert "safety-critical" in lines[0]
    assert "pregnant" in lines[1]  # critical first
    assert window.summary.alerts.isVisible() and "Pregnant" in window.summary.alerts.text()
    assert window.options.rows["OBSTETRIC_INPUT"].group == "recommended"
    # the warnings sit above the option groups
    assert warnings.y() < window.options.groups["missing"].y()


def test_progression_timeline_shown(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    _select(window, "DEMO-0202")
    qtbot.waitUntil(lambda: "dabrafenib" in window.summary.treatments.text(), timeout=3000)
    assert "progression" in window.summary.treatments.text()
    assert window.options.rows["BRAF_MEK"].group == "not_recommended"


def test_signed_v1_decision_shows_newer_pathway_without_changing_it(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    selector = window.findChild(object, "meetingSelector")
    closed = None
    for i in range(selector.count()):
        selector.setCurrentIndex(i)
        if window.session.meeting and window.session.meeting.status == "closed":
            closed = i
            break
    assert closed is not None
    selector.setCurrentIndex(closed)
    first = window.agenda.model.rows()[0]
    window.agenda.select_item(first.item_id)
    qtbot.waitUntil(lambda: "newer pathway" in window.options.note.text(), timeout=3000)
    assert "version 1.0" in window.options.guideline.text()  # the record's own options
    assert "version 2.0 is current" in window.options.note.text()


def test_case_editor_edits_the_v2_fields_and_options_follow(qtbot, demo_db):
    from datetime import date

    from PySide6.QtCore import QDate, Qt
    from ui_helpers import press

    from mdt_app.store import open_store

    window = open_window(qtbot, demo_db)
    _select(window, "DEMO-0203")  # FNA only, stridor
    qtbot.waitUntil(lambda: "Dvořák" in window.banner.name.text()
                    or "DVOŘÁK" in window.banner.name.text(), timeout=3000)  # fmt: skip
    press(qtbot, window, Qt.Key.Key_F2)
    editor = window.case_editor
    assert editor is not None
    page = editor.v2
    page.operable.set_value(False)
    page.pregnancy.set_value("not_applicable")
    page.new_type.set_value("tracheostomy")
    page.new_started.setDate(QDate(2026, 11, 30))
    page.add_treatment()
    assert "AIRWAY_SECURE" not in window.options.rows  # tracheostomy in place
    case_id = window.session.case.id
    with open_store(demo_db) as store:
        case = store.get_case(case_id)
    assert case.operable is False and case.pregnancy == "not_applicable"
    assert [(t.type, t.started_on, t.ended_on) for t in case.prior_treatments] == [
        ("tracheostomy", date(2026, 11, 30), None)
    ]
    assert "tracheostomy" in window.summary.treatments.text()
    page.new_ongoing.setChecked(False)
    page.new_started.setDate(QDate(2026, 11, 30))
    page.new_ended.setDate(QDate(2026, 11, 1))
    page.add_treatment()
    assert not page.problem.isHidden() and len(page.model.rows()) == 1
