"""Editing case data in the meeting: the stage and the guideline options follow at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import press

from mdt_app.store import open_store
from ui.models.agenda_model import AgendaTableModel

UNSTAGED = "DVOŘÁK, Jiří"  # demo: T4a N1b, M not assessed, BRAF V600E unknown


def _open(window, banner_name):
    model = window.agenda.model
    for row in range(model.rowCount()):
        window.agenda.select_item(model.row_object(row).item_id)
        if window.banner.name.text() == banner_name:
            return row
    raise AssertionError(banner_name)


def test_editing_tnm_and_braf_changes_stage_and_options(qtbot, meeting_window, demo_db):
    window = meeting_window
    row = _open(window, UNSTAGED)
    case_id = window.session.case.id
    assert "Unstageable" in window.summary.staging.text()
    assert window.options.rows["STAGING_IMAGING"].group == "missing"
    assert window.options.rows["MOLECULAR_TESTING"].group == "missing"
    assert "BRAF_MEK" not in window.options.rows
    qtbot.mouseClick(window.options.rows["GOALS_OF_CARE"].box, Qt.MouseButton.LeftButton)
    window.decision.flush()  # a draft exists, made against the unstaged case
    item_id = window.session.item.id

    press(qtbot, window, Qt.Key.Key_F2)
    editor = window.case_editor
    assert editor is not None and editor.isVisible()

    editor.m.set_value("M1")  # distant metastases found
    assert "T4a N1b M1  →  Stage IVC" in window.summary.staging.text()
    # pathway 2.0: M1 with no metastatic site recorded is flagged and still prompts imaging
    assert window.options.rows["STAGING_IMAGING"].group == "missing"
    assert "M1" in window.options.warnings.text()
    assert window.options.rows["HOSPICE"].group == "recommended"
    stage_cell = window.agenda.model.index(row, AgendaTableModel.STAGE)
    assert window.agenda.model.data(stage_cell) == "IVC"
    assert window.options.rows["GOALS_OF_CARE"].box.isChecked()  # the pick is kept

    editor.markers["braf_v600e"].set_value("positive")
    assert window.options.rows["BRAF_MEK"].group == "recommended"
    # pathway 2.0: BRAF known, but fusions not profiled yet: the prompt now asks for NGS
    assert "sequencing" in window.options.rows["MOLECULAR_TESTING"].option.rationale
    assert window.summary.facts.values["BRAF V600E"] == "positive"

    editor.ecog.set_value(3)
    assert window.summary.facts.values["ECOG"] == "3"
    editor.tnm_basis.set_value("pathological")  # staged on the resected specimen

    with open_store(demo_db) as store:
        case = store.get_case(case_id)
        assert (case.tnm.m, case.biomarkers.braf_v600e, case.ecog) == ("M1", "positive", 3)
        assert case.tnm.basis == "pathological"
        draft = store.current_draft(item_id)
        assert draft.options_snapshot["stage"] == "IVC"  # the draft follows the new options
        # pathway 2.0: at ECOG 3 targeted therapy is capped at "consider"
        assert "BRAF_MEK" in {o["code"] for o in draft.options_snapshot["consider"]}
        edits = [e for e in store.audit_log("case", case_id) if e.action == "edit_case"]
        assert edits and "m" in str(edits[0].details)


def test_lab_and_imaging_entries_are_checked(qtbot, meeting_window, demo_db):
    window = meeting_window
    _open(window, UNSTAGED)
    case_id = window.session.case.id
    labs_before = window.summary.labs_model.rowCount()
    window.edit_case()
    editor = window.case_editor

    editor.new_test.setCurrentText("CRP")
    editor.new_value.setText("abc")
    editor.add_lab()
    assert editor.problem.isVisible() and "not a number" in editor.problem.text()
    assert window.summary.labs_model.rowCount() == labs_before

    editor.new_value.setText("55")
    editor.new_unit.setText("mg/L")
    editor.new_range.setText("0-5")
    editor.add_lab()
    assert window.summary.labs_model.rowCount() == labs_before + 1
    flagged = [x for x in window.summary.labs_model.rows() if x.value == 55]
    assert flagged and flagged[0].flag == "high"

    editor.new_summary.setText("")
    editor.add_study()
    assert "needs a summary" in editor.problem.text()
    editor.new_summary.setText("New lung nodules, largest 9 mm")
    editor.new_modality.set_value("CT")
    editor.new_region.setText("chest")
    editor.add_study()
    newest = window.summary.imaging_model.row_object(0)
    assert newest.summary == "New lung nodules, largest 9 mm"

    with open_store(demo_db) as store:
        case = store.get_case(case_id)
        assert any(x.test == "CRP" and x.value == 55 for x in case.labs)
        assert any(s.summary.startswith("New lung nodules") for s in case.imaging)


def test_editing_a_decided_case_leaves_its_signed_decision_alone(qtbot, meeting_window, demo_db):
    window = meeting_window  # opens on the first case, signed in the demo
    state = window.session.state
    assert not state.editable
    snapshot_before = state.decision.options_snapshot
    window.edit_case()
    window.case_editor.ecog.set_value(4)
    assert window.summary.facts.values["ECOG"] == "4"
    assert window.options.note.isVisible()  # still the options as recorded at sign-off
    confirms = [m for m in window.prompts.messages if m[0] == "confirm"]
    assert len(confirms) == 1 and "signed off" in confirms[0][1]  # asked once, then saved
    window.close()
    assert not window.isVisible()  # nothing unsaved to ask about
    assert len([m for m in window.prompts.messages if m[0] == "confirm"]) == 1
    with open_store(demo_db) as store:
        kept = store.get_decision(state.decision.id)
        assert kept.options_snapshot == snapshot_before and kept.is_signed


def test_core_biopsy_and_a_refusal_change_the_options(qtbot, meeting_window):
    window = meeting_window
    _open(window, "KOVÁCS, Gábor")  # demo: histology not confirmed by core biopsy
    assert window.options.rows["BIOPSY_CORE"].group == "missing"
    window.edit_case()
    editor = window.case_editor
    editor.confirmed_by.set_value("core_biopsy")
    assert "BIOPSY_CORE" not in window.options.rows
    assert "core biopsy" in window.summary.diagnosis.text()
    editor.declines["surgery"].setChecked(True)
    assert window.summary.facts.values["Declines"] == "surgery"
