"""The Qt table models, tested without a view."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from mdt_app import domain as d
from ui.models.agenda_model import AgendaLine, AgendaTableModel, agenda_lines
from ui.models.base import OBJECT_ROLE
from ui.models.case_tables import ImagingTableModel, LabsTableModel
from ui.models.meeting_tables import ActionsTableModel, AttendanceTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole
TODAY = date(2026, 5, 13)


def _line(item_id, position, *, status="queued", decision="none", urgent=False, dx=None):
    item = d.AgendaItem(meeting_id=1, case_id=item_id * 10, position=position, status=status)
    item.id = item_id
    return AgendaLine(
        item=item,
        patient=f"Patient {item_id}",
        mrn=f"H{item_id}",
        stage="IVB",
        decision_status=decision,
        diagnosed_on=dx,
        referred_on=date(2026, 5, 1),
        urgent=urgent,
    )


@pytest.fixture
def agenda(qapp):
    model = AgendaTableModel(today=TODAY)
    model.set_rows(
        [
            _line(1, 1, decision="signed", dx=date(2026, 4, 29)),
            _line(2, 2, decision="draft", urgent=True),
            _line(3, 3, status="deferred"),
            _line(4, 4),
        ]
    )
    return model


def _text(model, row, column):
    return model.data(model.index(row, column), DISPLAY)


def test_agenda_columns_and_statuses(agenda):
    m = AgendaTableModel
    assert agenda.rowCount() == 4 and agenda.columnCount() == 5
    assert agenda.headerData(m.DAYS, Qt.Orientation.Horizontal) == "Days"
    assert _text(agenda, 0, m.POSITION) == "1"
    assert _text(agenda, 0, m.DAYS) == "14"  # since diagnosis
    assert _text(agenda, 1, m.DAYS) == "12"  # no diagnosis date: since referral
    assert _text(agenda, 1, m.PATIENT) == "⚑ Patient 2"
    assert _text(agenda, 0, m.STATUS) == "✔ decided"
    assert _text(agenda, 1, m.STATUS) == "✎ draft"
    assert _text(agenda, 2, m.STATUS) == "⇥ deferred"
    assert _text(agenda, 3, m.STATUS) == "○ queued"
    assert agenda.data(agenda.index(3, 0), OBJECT_ROLE).item_id == 4


def test_agenda_marks_the_case_under_discussion(agenda, qtbot):
    with qtbot.waitSignal(agenda.dataChanged):
        agenda.set_current(4)
    assert _text(agenda, 3, AgendaTableModel.STATUS) == "▶ discussing"
    # A decided case stays "decided" even while it is open.
    agenda.set_current(1)
    assert _text(agenda, 0, AgendaTableModel.STATUS) == "✔ decided"
    assert agenda.row_of_item(3) == 2 and agenda.row_of_item(99) == -1


@pytest.mark.parametrize(
    ("source", "row", "on_row", "expected"),
    [
        (0, 3, None, 3),  # dragged down between rows 2 and 3 -> position 3
        (3, 0, None, 1),  # dragged to the top
        (1, -1, None, 4),  # dropped below the last row
        (0, -1, 2, 3),  # dropped onto the third case: takes its place
    ],
)
def test_agenda_drop_position(agenda, source, row, on_row, expected):
    parent = agenda.index(on_row, 0) if on_row is not None else QModelIndex()
    assert agenda.drop_position(source, row, parent) == expected


def test_agenda_drop_asks_for_a_move_and_keeps_rows(agenda, qtbot):
    mime = agenda.mimeData([agenda.index(0, 1)])
    with qtbot.waitSignal(agenda.moveRequested) as blocker:
        accepted = agenda.dropMimeData(mime, Qt.DropAction.MoveAction, 4, 0, QModelIndex())
    assert blocker.args == [1, 4]
    assert accepted is False  # the view must not delete the dragged row
    assert agenda.rowCount() == 4


def test_agenda_lines_join_rows_and_items():
    items = [_line(2, 1).item, _line(1, 2, status="deferred").item]
    items[1].deferred_to_meeting_id = 7
    rows = [
        d.CaseRow(
            id=i.case_id, mrn=f"M{i.id}", patient=f"P{i.id}", birth_date=None, stage="IVC",
            meeting_id=1, agenda_item_id=i.id, position=i.position, agenda_status=i.status,
            decision_status="none", referred_on=None, diagnosed_on=None, urgent=None,
        )
        for i in items
    ]  # fmt: skip
    meetings = {7: d.Meeting(date=date(2026, 6, 1), title="Next MDT", id=7)}
    lines = agenda_lines(rows, items, meetings)
    assert [line.item_id for line in lines] == [2, 1]
    assert lines[1].deferred_to == "2026-06-01 Next MDT"
    assert lines[0].days_waiting(TODAY) is None


def test_imaging_newest_first_and_edit_checks(qapp, qtbot):
    model = ImagingTableModel(editable=True)
    old = d.ImagingStudy(date(2026, 1, 2), "CT", "neck", "mass")
    new = d.ImagingStudy(date(2026, 3, 4), "bone_scintigraphy", "whole body", "no uptake")
    model.set_rows([old, new])
    assert _text(model, 0, model.DATE) == "2026-03-04"
    assert _text(model, 0, model.MODALITY) == "bone scintigraphy"
    assert model.data(model.index(0, model.MODALITY), Qt.ItemDataRole.EditRole) == (
        "bone_scintigraphy"
    )
    with qtbot.waitSignal(model.invalidEdit) as blocker:
        assert not model.setData(model.index(0, model.DATE), "4 March")
    assert "not a date" in blocker.args[0]
    assert not model.setData(model.index(0, model.MODALITY), "X-ray")
    assert model.setData(model.index(0, model.MODALITY), "MRI")
    assert model.rows()[0].modality == "MRI"


def test_imaging_compact_summary_names_modality_and_region(qapp):
    model = ImagingTableModel(compact=True)
    model.set_rows([d.ImagingStudy(date(2026, 1, 2), "FDG-PET/CT", "whole body", "uptake")])
    assert _text(model, 0, model.SUMMARY) == "FDG-PET/CT, whole body: uptake"
    assert model.data(model.index(0, model.SUMMARY), Qt.ItemDataRole.EditRole) == "uptake"


def test_imaging_read_only_by_default(qapp):
    model = ImagingTableModel()
    model.set_rows([d.ImagingStudy(date(2026, 1, 2), "CT", "neck", "mass")])
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, model.SUMMARY), "changed")


def test_labs_flag_out_of_range_with_symbol_and_colour(qapp):
    model = LabsTableModel()
    model.set_rows(
        [
            d.LabResult(date(2026, 1, 1), "TSH", 2.0, "mIU/L", 0.4, 4.0),
            d.LabResult(date(2026, 2, 1), "TSH", 6.5, "mIU/L", 0.4, 4.0),
            d.LabResult(date(2026, 2, 1), "Calcium", 1.9, "mmol/L", 2.1, 2.6),
        ]
    )
    assert [_text(model, r, model.TEST) for r in range(3)] == ["Calcium", "TSH", "TSH"]
    assert _text(model, 0, model.FLAG) == "▼ low"
    assert _text(model, 1, model.DATE) == "2026-02-01"  # newest first within a test
    assert _text(model, 1, model.FLAG) == "▲ high"
    assert _text(model, 2, model.FLAG) == ""
    assert _text(model, 1, model.REFERENCE) == "0.4–4"
    assert model.data(model.index(1, model.VALUE), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(2, model.VALUE), Qt.ItemDataRole.ForegroundRole) is None


def test_labs_edit_value_and_range(qapp):
    model = LabsTableModel(editable=True)
    model.set_rows([d.LabResult(date(2026, 1, 1), "CRP", 3.0, "mg/L", None, 5.0)])
    assert _text(model, 0, model.REFERENCE) == "<5"
    assert model.setData(model.index(0, model.VALUE), "12,5")
    assert model.rows()[0].value == 12.5 and _text(model, 0, model.FLAG) == "▲ high"
    assert model.setData(model.index(0, model.REFERENCE), "1 - 10")
    assert (model.rows()[0].low, model.rows()[0].high) == (1.0, 10.0)
    assert not model.setData(model.index(0, model.REFERENCE), "10-1")
    assert not model.setData(model.index(0, model.VALUE), "high")
    assert not model.flags(model.index(0, model.FLAG)) & Qt.ItemFlag.ItemIsEditable


def test_attendance_present_checkbox_and_names(qapp):
    model = AttendanceTableModel()
    model.set_rows([d.Attendee("Dr A", "surgeon")])
    model.add_attendee("Dr B", "pathologist")
    index = model.index(1, model.PRESENT)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.attendees()[1].present is False
    assert _text(model, 1, model.PRESENT) == "✘ absent"
    assert not model.setData(model.index(0, model.NAME), "  ")
    model.remove_row(0)
    assert [a.name for a in model.attendees()] == ["Dr B"]


def test_actions_due_date_checked(qapp):
    model = ActionsTableModel(editable=True)
    model.add_action("Book CT", "Dr C")
    assert model.setData(model.index(0, model.DUE), "2026-06-01")
    assert model.actions()[0].due_date == date(2026, 6, 1)
    assert not model.setData(model.index(0, model.DUE), "next week")
    assert model.setData(model.index(0, model.DUE), "")
    assert model.actions()[0].due_date is None
