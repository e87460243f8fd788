"""The decision form's "For the patient" tab: words for the patient (whole plan and per
option) and "discussed with the patient on/by", saved with the draft; a warning while
typing shorthand the glossary does not explain."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from test_autosave import _queued_case

from mdt_app.store import open_store
from ui.widgets.decision_form import AUTOSAVE_MS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_words_for_the_patient_are_saved_with_the_draft(qtbot, meeting_window, demo_db, tmp_path):
    window = meeting_window
    item_id = _queued_case(window)
    form = window.decision
    words = form.patient_words
    form.tabs.setCurrentIndex(form.tabs.indexOf(words.parentWidget().parentWidget()))
    assert form.tabs.tabText(form.tabs.currentIndex()) == "For the patient"
    form.set_option_picked("PALLIATIVE_RT", True)
    edit = words.findChild(type(words.discussed_by), "patientOptionExplanation_PALLIATIVE_RT")
    assert edit is not None
    words.plan.setPlainText("Five short radiotherapy visits, then we see you in clinic.")
    edit.setText("To ease the pressure in your neck; 8 Gy od")
    assert words.shorthand.isVisible() and "od" in words.shorthand.text()
    assert "Gy" in words.shorthand.text()
    edit.setText("To ease the pressure in your neck.")
    assert not words.shorthand.isVisible()
    words.discussed.setChecked(True)
    words.discussed_on.setDate(QDate(2026, 11, 30))
    words.discussed_by.setText("Małgorzata Dąbrowska")
    with open_store(demo_db) as store:
        qtbot.waitUntil(
            lambda: (
                (store.current_draft(item_id) or None) is not None
                and store.current_draft(item_id).discussed_with_patient_by is not None
            ),
            timeout=AUTOSAVE_MS * 10,
        )
        draft = store.current_draft(item_id)
    assert draft.patient_explanation.startswith("Five short radiotherapy visits")
    assert draft.patient_option_explanations == {
        "PALLIATIVE_RT": "To ease the pressure in your neck."
    }
    assert draft.discussed_with_patient_on == date(2026, 11, 30)
    assert draft.discussed_with_patient_by == "Małgorzata Dąbrowska"
    assert draft.plan_text == ""  # the clinicians' note stays its own field
    image = form.grab()
    image.save(str(tmp_path / "patient-words.png"))
    if os.environ.get("MDT_APP_SCREENSHOTS"):
        image.save(str(DOCS / "decision-for-the-patient.png"))


def test_unticking_discussed_clears_the_record(qtbot, meeting_window):
    _queued_case(meeting_window)
    words = meeting_window.decision.patient_words
    words.discussed.setChecked(True)
    words.discussed_by.setText("Dr A")
    assert words.values()["discussed_with_patient_by"] == "Dr A"
    words.discussed.setChecked(False)
    values = words.values()
    assert values["discussed_with_patient_on"] is None
    assert values["discussed_with_patient_by"] is None
