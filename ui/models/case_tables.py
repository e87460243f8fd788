"""Imaging and lab tables of a case; editable copies are used by the case data editor.

Edits are checked as they are made (a date must be a date, a value a number, a modality
one of the case format's), so a bad entry never reaches the store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from mdt_app import domain as d
from mdt_app.lab_display import lab_value
from ui import labels
from ui.models.base import Index, RowTableModel
from ui.translate import QT_TR_NOOP

FLAG_TEXT = {"high": ("▲", QT_TR_NOOP("high")), "low": ("▼", QT_TR_NOOP("low"))}
FLAG_COLOUR = QColor("#a4161a")


class EditableRows(RowTableModel):
    """Adds checked editing: ``parse(obj, column, text)`` returns the new object or raises."""

    invalidEdit = Signal(str)  # why an edit was refused, for the editor to show
    EDITABLE_COLUMNS: tuple[int, ...] = ()

    def __init__(self, parent=None, editable: bool = False):
        super().__init__(parent)
        self.editable = editable

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.column() in self.EDITABLE_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not (self.editable and index.isValid() and role == Qt.ItemDataRole.EditRole):
            return False
        try:
            new = self.parse(self._rows[index.row()], index.column(), str(value).strip())
        except ValueError as exc:
            self.invalidEdit.emit(str(exc))
            return False
        self._rows[index.row()] = new
        left, right = self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1)
        self.dataChanged.emit(left, right)
        return True

    def parse(self, obj: Any, column: int, text: str) -> Any:
        raise ValueError(self.tr("this column cannot be edited"))

    def append_row(self, obj: Any) -> int:
        row = len(self._rows)
        self.beginInsertRows(self.index(-1, -1).parent(), row, row)
        self._rows.append(obj)
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(self.index(-1, -1).parent(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def date_from(self, text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                self.tr("'{text}' is not a date (YYYY-MM-DD)").format(text=text)
            ) from None

    def number_from(self, text: str, optional: bool = False) -> float | None:
        if optional and not text:
            return None
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise ValueError(self.tr("'{text}' is not a number").format(text=text)) from None


class ImagingTableModel(EditableRows):
    """Imaging studies, newest first. ``compact``: the summary column also names the
    modality and region (for a narrow view that hides those two columns)."""

    DATE, MODALITY, REGION, SUMMARY = range(4)
    HEADERS = (QT_TR_NOOP("Date"), QT_TR_NOOP("Modality"), QT_TR_NOOP("Region"),
               QT_TR_NOOP("Summary"))  # fmt: skip
    EDITABLE_COLUMNS = (DATE, MODALITY, REGION, SUMMARY)

    def __init__(self, parent=None, editable: bool = False, compact: bool = False):
        super().__init__(parent, editable)
        self.compact = compact

    def set_rows(self, rows: list[d.ImagingStudy]) -> None:
        """Newest first, whatever order they come in."""
        super().set_rows(sorted(rows, key=lambda s: s.date, reverse=True))

    def display(self, study: d.ImagingStudy, column: int) -> str:
        if column == self.DATE:
            return study.date.isoformat()
        if column == self.MODALITY:
            return labels.word(study.modality)
        if column == self.REGION:
            return study.region
        if self.compact:
            where = ", ".join(x for x in (labels.word(study.modality), study.region) if x)
            return f"{where}: {study.summary}"
        return study.summary

    def extra(self, study: d.ImagingStudy, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.SUMMARY:
            return study.summary
        return None

    def edit_value(self, study: d.ImagingStudy, column: int) -> str:
        if column == self.MODALITY:
            return study.modality
        return study.summary if column == self.SUMMARY else self.display(study, column)

    def parse(self, study: d.ImagingStudy, column: int, text: str) -> d.ImagingStudy:
        if column == self.DATE:
            return replace(study, date=self.date_from(text))
        if column == self.MODALITY:
            if text not in d.IMAGING_MODALITIES:
                raise ValueError(
                    self.tr("modality must be one of {values}").format(
                        values=", ".join(d.IMAGING_MODALITIES)
                    )
                )
            return replace(study, modality=text)
        if column == self.REGION:
            return replace(study, region=text)
        if not text:
            raise ValueError(self.tr("an imaging study needs a summary"))
        return replace(study, summary=text)


class LabsTableModel(EditableRows):
    """Lab results by test, newest first. ``compact``: the value column also shows the unit
    and the flag symbol (for a narrow view that hides those two columns)."""

    DATE, TEST, VALUE, UNIT, REFERENCE, FLAG = range(6)
    HEADERS = (QT_TR_NOOP("Date"), QT_TR_NOOP("Test"), QT_TR_NOOP("Value"), QT_TR_NOOP("Unit"),
               QT_TR_NOOP("Reference"), QT_TR_NOOP("Flag"))  # fmt: skip
    EDITABLE_COLUMNS = (DATE, TEST, VALUE, UNIT, REFERENCE)

    def __init__(self, parent=None, editable: bool = False, compact: bool = False):
        super().__init__(parent, editable)
        self.compact = compact

    def set_rows(self, rows: list[d.LabResult]) -> None:
        """By test, newest first within a test."""
        ordered = sorted(rows, key=lambda x: x.date, reverse=True)
        super().set_rows(sorted(ordered, key=lambda x: x.test.lower()))

    def display(self, lab: d.LabResult, column: int) -> str:
        if column == self.DATE:
            return lab.date.isoformat()
        if column == self.TEST:
            return lab.test
        if column == self.VALUE:
            if self.compact:
                symbol = FLAG_TEXT[lab.flag][0] if lab.flag else ""
                return " ".join(x for x in (lab_value(lab.test, lab.value, lab.unit), lab.unit,
                                            symbol) if x)  # fmt: skip
            return lab_value(lab.test, lab.value, lab.unit)
        if column == self.UNIT:
            return lab.unit or ""
        if column == self.REFERENCE:
            return reference_range(lab)
        return flag_text(lab.flag)

    def extra(self, lab: d.LabResult, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.VALUE, self.REFERENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not lab.flag or column not in (self.VALUE, self.FLAG):
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(FLAG_COLOUR)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Outside the reference range {range}").format(range=reference_range(lab))
        return None

    def edit_value(self, lab: d.LabResult, column: int) -> str:
        return labels.number(lab.value) if column == self.VALUE else self.display(lab, column)

    def parse(self, lab: d.LabResult, column: int, text: str) -> d.LabResult:
        if column == self.DATE:
            return replace(lab, date=self.date_from(text))
        if column == self.TEST:
            if not text:
                raise ValueError(self.tr("a lab result needs a test name"))
            return replace(lab, test=text)
        if column == self.VALUE:
            return replace(lab, value=self.number_from(text))  # type: ignore[arg-type]
        if column == self.UNIT:
            return replace(lab, unit=text or None)
        low, high = self.range_from(text)
        return replace(lab, low=low, high=high)

    def range_from(self, text: str) -> tuple[float | None, float | None]:
        """'0.4-4.0', '<5', '>1' or empty."""
        text = text.replace("–", "-").replace(" ", "")
        if not text:
            return None, None
        if text.startswith("<"):
            return None, self.number_from(text[1:])
        if text.startswith(">"):
            return self.number_from(text[1:]), None
        low, sep, high = text.partition("-")
        if not sep:
            raise ValueError(self.tr("a reference range looks like 0.4-4.0, <5 or >1"))
        lo, hi = self.number_from(low), self.number_from(high)
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(self.tr("the low end of the range is above the high end"))
        return lo, hi


def flag_text(flag: str) -> str:
    """'▲ high', '▼ low' or '': a symbol and a word, so colour is never the only mark."""
    if not flag:
        return ""
    symbol, words = FLAG_TEXT[flag]
    return f"{symbol} {QCoreApplication.translate('LabsTableModel', words)}"


def reference_range(lab: d.LabResult) -> str:
    if lab.low is not None and lab.high is not None:
        return f"{labels.number(lab.low)}–{labels.number(lab.high)}"
    if lab.high is not None:
        return f"<{labels.number(lab.high)}"
    if lab.low is not None:
        return f">{labels.number(lab.low)}"
    return ""
