"""Editable tables of a meeting and a decision: attendance, and the decision's actions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt

from mdt_app import domain as d
from ui.models.base import Index
from ui.models.case_tables import EditableRows
from ui.translate import QT_TR_NOOP


class AttendanceTableModel(EditableRows):
    """Who is at the meeting: name, specialty (a combo in the view), present (checkbox)."""

    NAME, SPECIALTY, PRESENT = range(3)
    HEADERS = (QT_TR_NOOP("Name"), QT_TR_NOOP("Specialty"), QT_TR_NOOP("Present"))
    EDITABLE_COLUMNS = (NAME, SPECIALTY)

    def __init__(self, parent=None, editable: bool = True):
        super().__init__(parent, editable)

    def display(self, a: d.Attendee, column: int) -> str:
        if column == self.NAME:
            return a.name
        if column == self.SPECIALTY:
            return a.specialty
        return self.tr("✔ present") if a.present else self.tr("✘ absent")

    def extra(self, a: d.Attendee, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and column == self.PRESENT:
            return Qt.CheckState.Checked if a.present else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.column() == self.PRESENT:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == self.PRESENT:
            if not self.editable:
                return False
            present = _checked(value)
            self._rows[index.row()] = replace(self._rows[index.row()], present=present)
            self.dataChanged.emit(index, index)
            return True
        return super().setData(index, value, role)

    def parse(self, a: d.Attendee, column: int, text: str) -> d.Attendee:
        if column == self.NAME:
            if not text:
                raise ValueError(self.tr("every attendee needs a name"))
            return replace(a, name=text)
        if not text:
            raise ValueError(self.tr("every attendee needs a specialty"))
        return replace(a, specialty=text)

    def add_attendee(self, name: str = "", specialty: str = "") -> int:
        return self.append_row(d.Attendee(name=name, specialty=specialty, present=True))

    def attendees(self) -> list[d.Attendee]:
        return self.rows()


class ActionsTableModel(EditableRows):
    """What has to happen after the meeting: description, owner, due date."""

    DESCRIPTION, OWNER, DUE = range(3)
    HEADERS = (QT_TR_NOOP("Action"), QT_TR_NOOP("Owner"), QT_TR_NOOP("Due"))
    EDITABLE_COLUMNS = (DESCRIPTION, OWNER, DUE)

    def display(self, action: d.Action, column: int) -> str:
        if column == self.DESCRIPTION:
            return action.description
        if column == self.OWNER:
            return action.owner or ""
        return action.due_date.isoformat() if action.due_date else ""

    def extra(self, action: d.Action, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DUE:
            return self.tr("YYYY-MM-DD")
        return None

    def parse(self, action: d.Action, column: int, text: str) -> d.Action:
        if column == self.DESCRIPTION:
            return replace(action, description=text)
        if column == self.OWNER:
            return replace(action, owner=text or None)
        return replace(action, due_date=self.date_from(text) if text else None)

    def add_action(self, description: str = "", owner: str | None = None) -> int:
        return self.append_row(d.Action(description=description, owner=owner))

    def actions(self) -> list[d.Action]:
        """The actions as typed (empty descriptions are kept; sign-off names them)."""
        return self.rows()


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == int(Qt.CheckState.Checked.value)
