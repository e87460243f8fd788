"""A date picker for date cells (the actions' due dates): a calendar, not typed ISO text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QStyledItemDelegate, QWidget


class DueDateDelegate(QStyledItemDelegate):
    """Edits a YYYY-MM-DD cell with a QDateEdit that opens a calendar (Alt+Down or F4)."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        editor = QDateEdit(parent)
        editor.setObjectName("dueDateEdit")
        editor.setAccessibleName(self.tr("Due date"))
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("yyyy-MM-dd")
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        try:
            day = date.fromisoformat(text)
        except ValueError:
            day = date.today()  # an empty due date starts from today
        assert isinstance(editor, QDateEdit)
        editor.setDate(QDate(day.year, day.month, day.day))

    def setModelData(self, editor: QWidget, model, index) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(index, editor.date().toString("yyyy-MM-dd"), Qt.ItemDataRole.EditRole)
