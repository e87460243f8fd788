"""The meeting agenda as a table: position, patient, stage, days waiting, status."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from mdt_app.meeting import AgendaLine, AgendaStatus, agenda_lines
from mdt_app.wording import AGENDA_STATUS_WORDS
from ui.models.base import OBJECT_ROLE, Index, RowTableModel
from ui.translate import QT_TR_NOOP

MIME_TYPE = "application/x-mdt-agenda-item"

# The chair's words for each agenda status (translated where shown, see status_text_for).
STATUS_TEXT = AGENDA_STATUS_WORDS


HEADER_TIPS = (
    QT_TR_NOOP("Position on the agenda"),
    QT_TR_NOOP("Patient (⚑ urgent referral); the full name and details are in the tooltip"),
    QT_TR_NOOP("Stage (AJCC 8th); IV? = substage not yet known"),
    QT_TR_NOOP("Days since diagnosis (or since referral when no diagnosis date is recorded)"),
    QT_TR_NOOP("Where the case stands: ○ queued, ▶ discussing, ✎ draft, ✔ decided, "
               "⇥ deferred, – not discussed"),
)  # fmt: skip


class AgendaTableModel(RowTableModel[AgendaLine]):
    POSITION, PATIENT, STAGE, DAYS, STATUS = range(5)
    HEADERS = (QT_TR_NOOP("#"), QT_TR_NOOP("Patient"), QT_TR_NOOP("Stage"),
               QT_TR_NOOP("Days"), QT_TR_NOOP("Status"))  # fmt: skip

    # Drag and drop asks for a move; the owner moves it in the store and reloads.
    moveRequested = Signal(int, int)  # agenda item id, new 1-based position

    def __init__(self, parent=None, today: date | None = None):
        super().__init__(parent)
        self.today = today or date.today()
        self.current_item_id: int | None = None
        # Only a meeting held today has a case "under discussion" (set by the window).
        self._live = True

    @property
    def live(self) -> bool:
        return self._live

    @live.setter
    def live(self, value: bool) -> None:
        if value != self._live:
            self._live = value
            if self._rows:  # every status may read differently
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, len(self.HEADERS) - 1)
                )

    def set_current(self, item_id: int | None) -> None:
        """Mark the case under discussion; only its row and the previous one change."""
        if item_id == self.current_item_id:
            return
        rows = {self.row_of_item(self.current_item_id), self.row_of_item(item_id)} - {-1}
        self.current_item_id = item_id
        for row in sorted(rows):
            self._row_changed(row)

    def _row_changed(self, row: int) -> None:
        # Cell by cell: a view repaints one changed cell, but the whole table for a range.
        for column in range(len(self.HEADERS)):
            cell = self.index(row, column)
            self.dataChanged.emit(cell, cell)

    def update_lines(self, lines: list[AgendaLine]) -> None:
        """Bring the rows to ``lines`` (the agenda reloaded) with the least change: rows
        that left are removed, new ones inserted, moved ones moved, and only rows whose
        line changed are repainted, so the view keeps its selection and scroll position
        and the chair's eye is not drawn to rows that did not change."""
        keep = {line.item_id for line in lines}
        if not keep & {line.item_id for line in self._rows}:
            self.set_rows(lines)  # another meeting: nothing to keep
            return
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].item_id not in keep:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        for target, line in enumerate(lines):
            source = self.row_of_item(line.item_id)
            if source < 0:
                self.beginInsertRows(QModelIndex(), target, target)
                self._rows.insert(target, line)
                self.endInsertRows()
                continue
            if source != target:  # source > target: rows before target are already in place
                self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), target)
                self._rows.insert(target, self._rows.pop(source))
                self.endMoveRows()
            if self._rows[target] != line:
                self._rows[target] = line
                self._row_changed(target)

    def row_of_item(self, item_id: int | None) -> int:
        for row, line in enumerate(self._rows):
            if line.item_id == item_id:
                return row
        return -1

    def status_text(self, line: AgendaLine) -> str:
        return self.status_text_for(line.status(self.current_item_id if self.live else None))

    def status_text_for(self, status: str) -> str:
        symbol, words = STATUS_TEXT[AgendaStatus(status)]
        return f"{symbol} {self.tr(words)}"

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(HEADER_TIPS[section])
        return super().headerData(section, orientation, role)

    def display(self, line: AgendaLine, column: int) -> str:
        if column == self.POSITION:
            return str(line.item.position)
        if column == self.PATIENT:
            return ("⚑ " if line.urgent else "") + line.patient
        if column == self.STAGE:
            # Every ATC is stage IV; "IV?" says the substage cannot be set yet.
            return "IV?" if line.stage == "unstageable" else line.stage
        if column == self.DAYS:
            days = line.days_waiting(self.today)
            return "—" if days is None else str(days)
        return self.status_text(line)

    def extra(self, line: AgendaLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.POSITION, self.DAYS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and line.item_id == self.current_item_id:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _tooltip(self, line: AgendaLine) -> str:
        parts = [f"{line.patient} · MRN {line.mrn}"]
        parts.append(self.tr("Stage {stage}").format(stage=line.stage))
        parts.append(self.status_text(line))
        if line.diagnosed_on:
            parts.append(self.tr("Diagnosed {day}").format(day=line.diagnosed_on.isoformat()))
        if line.referred_on:
            parts.append(self.tr("Referred {day}").format(day=line.referred_on.isoformat()))
        if line.urgent:
            parts.append(self.tr("⚑ Urgent referral"))
        if line.deferred_to:
            parts.append(self.tr("Deferred to {meeting}").format(meeting=line.deferred_to))
        if line.item.status_reason:
            parts.append(self.tr("Reason: {reason}").format(reason=line.item.status_reason))
        return "\n".join(parts)

    # --- drag and drop reordering ----------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            mime.setData(MIME_TYPE, QByteArray(str(self._rows[rows[0]].item_id).encode()))
        return mime

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent: Index) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(MIME_TYPE):
            return False
        item_id = int(bytes(data.data(MIME_TYPE).data()).decode())
        source = self.row_of_item(item_id)
        if source < 0:
            return False
        position = self.drop_position(source, row, parent)
        if position != source + 1:
            self.moveRequested.emit(item_id, position)
        # False: the view must not remove the dragged row; the owner reloads the agenda.
        return False

    def drop_position(self, source: int, row: int, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """The 1-based agenda position a row dragged from ``source`` lands on."""
        if row < 0 and parent.isValid():
            return parent.row() + 1  # dropped onto a case: take its place
        if row < 0:
            row = len(self._rows)
        return (row - 1 if row > source else row) + 1


__all__ = ["OBJECT_ROLE", "STATUS_TEXT", "AgendaLine", "AgendaTableModel", "agenda_lines"]
