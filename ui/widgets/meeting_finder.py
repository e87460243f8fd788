"""Finding an older meeting by date (2025, 2025-03, 2025-03-04) or title; the selector
itself lists only upcoming and recent meetings, so it stays fast with thousands."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from mdt_app import domain as d
from ui.widgets.defer_dialog import meeting_text


class MeetingFinder(QDialog):
    find: Callable[[str], list[d.Meeting]]  # type: ignore[assignment]  # not QWidget.find()

    def __init__(self, find: Callable[[str], list[d.Meeting]], parent=None):
        super().__init__(parent)
        self.setObjectName("meetingFinder")
        self.setWindowTitle(self.tr("Find a meeting"))
        self.find = find
        self.chosen: int | None = None
        self.text = QLineEdit()
        self.text.setObjectName("meetingFinderText")
        self.text.setPlaceholderText(self.tr("date (2025, 2025-03, 2025-03-04) or title"))
        self.text.textChanged.connect(self.run)
        self.list = QListWidget()
        self.list.setObjectName("meetingFinderResults")
        self.list.itemActivated.connect(self._chosen)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._open_current)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def run(self, text: str) -> None:
        self.list.clear()
        for m in self.find(text):
            status = "" if m.status in ("planned", "in_progress") else f" ({m.status})"
            item = QListWidgetItem(meeting_text(m) + status)
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._chosen(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.chosen = int(item.data(Qt.ItemDataRole.UserRole))
        self.accept()
