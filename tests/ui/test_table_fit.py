"""Summary tables fitted from their text (issue 17): the same column widths and row
heights Qt's ResizeToContents / resizeRowsToContents give, without asking the model
for every cell's roles."""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtWidgets import QHeaderView

from mdt_app import domain as d
from ui.models.case_tables import ImagingTableModel, LabsTableModel
from ui.theme import stylesheet
from ui.widgets.case_summary import CaseSummary
from ui.widgets.common import table_view
from ui.widgets.table_fit import column_widths, row_heights

LABS = [
    d.LabResult(
        date(2026, 11, 1), "Calcium (adjusted, albumin-corrected)", 2.31, "mmol/L", 2.2, 2.6
    ),
    d.LabResult(date(2026, 11, 2), "CRP", 125.0, "mg/L", None, 5.0),  # high: bold
    d.LabResult(date(2026, 11, 3), "TSH", 0.01, "mIU/L", 0.4, 4.0),
]
IMAGING = [
    d.ImagingStudy(date(2026, 11, 20), "ct", "neck", "Short."),
    d.ImagingStudy(date(2026, 11, 21), "pet_ct", "whole body",
                   "Intense uptake in the right thyroid mass (SUVmax 21); distant disease: "
                   "lung, mediastinal nodes and a single rib lesion; no brain uptake\nsecond line"),
]  # fmt: skip


def _qt_fitted(model, wrapping: int, hidden: tuple[int, ...], width: int, sheet: str, qtbot):
    """A view fitted the way Qt does it: columns to contents, rows to contents."""
    view = table_view("qtFitted", "Qt fitted")
    view.setStyleSheet(sheet)
    qtbot.addWidget(view)
    view.setModel(model)
    for column in hidden:
        view.setColumnHidden(column, True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(wrapping, QHeaderView.ResizeMode.Stretch)
    view.resize(width, 600)
    view.show()
    qtbot.waitUntil(lambda: header.sectionSize(wrapping) > 0)
    view.resizeRowsToContents()
    return view


def test_widths_and_heights_are_the_ones_qt_gives(qtbot):
    labs = LabsTableModel(compact=True)
    labs.set_rows(LABS)
    imaging = ImagingTableModel(compact=True)
    imaging.set_rows(IMAGING)
    cases = [
        (labs, LabsTableModel.TEST, (LabsTableModel.UNIT, LabsTableModel.FLAG)),
        (imaging, ImagingTableModel.SUMMARY,
         (ImagingTableModel.MODALITY, ImagingTableModel.REGION)),
    ]  # fmt: skip
    for model, wrapping, hidden in cases:
        for width, sheet in itertools.product((330, 420, 700), ("", stylesheet(), stylesheet(1.4))):
            view = _qt_fitted(model, wrapping, hidden, width, sheet, qtbot)
            widths = column_widths(view, wrapping)
            assert widths == {c: view.columnWidth(c) for c in widths}
            heights = row_heights(view, wrapping)
            assert heights == [view.rowHeight(r) for r in range(model.rowCount())]
            if width == 330:
                assert max(heights) > min(heights)  # something did wrap


def test_the_summary_refits_when_its_width_changes(qtbot):
    """Narrower summary: the long test name wraps onto more lines and the table grows,
    so no row is cut and no row is hidden."""
    summary = CaseSummary()
    qtbot.addWidget(summary)
    case = d.Case(patient=d.Patient(mrn="T1", given_name="Test", family_name="Patient"))
    case.labs = list(LABS)
    case.imaging = list(IMAGING)
    summary.resize(700, 1600)
    summary.show()
    summary.show_case(case, None)
    qtbot.wait(10)
    wide = summary.labs.height()
    summary.resize(330, 1600)
    qtbot.waitUntil(lambda: summary.labs.height() > wide)
    view = summary.labs
    assert [view.rowHeight(r) for r in range(3)] == row_heights(view, LabsTableModel.TEST)
