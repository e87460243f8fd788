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
