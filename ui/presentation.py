"""Presentation mode for the projector: full screen, large type, no menus, toolbar or
editing controls; a line saying "Case 6 of 14 · Next: NAME"; Page Up/Down or the arrow
keys step through the agenda and Esc leaves. The chair's shortcuts keep working."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QToolBar, QWidget

from ui.widgets.common import label

NAV_ACTIONS = ("presentNextAction", "presentPreviousAction", "leavePresentationAction")


class PresentationBar(QWidget):
    """Where the meeting stands, in type the back of the room can read."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("presentationBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.position = label("", "presentPosition", name="presentationPosition")
        self.next = label("", "presentNext", name="presentationNext")
        self.hint = label(self.tr("Page Down / ↓ next · Page Up / ↑ previous · Esc leaves"),
                          "presentHint")  # fmt: skip
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.position)
        row.addSpacing(24)
        row.addWidget(self.next, 1)
        row.addWidget(self.hint)

    def show_position(self, index: int, total: int, next_name: str | None) -> None:
        """``index`` is 0-based; -1 when no case is open."""
        if total == 0:
            self.position.setText(self.tr("No cases on the agenda"))
        elif index < 0:
            self.position.setText(self.tr("{total} cases").format(total=total))
        else:
            self.position.setText(self.tr("Case {n} of {total}").format(n=index + 1, total=total))
        self.next.setText(
            self.tr("Next: {name}").format(name=next_name) if next_name else self.tr("Last case")
        )


class Presentation(QObject):
    """Turns the window's presentation look on and off, and keeps the bar up to date."""

    def __init__(self, window: QMainWindow, bar: PresentationBar, editing: list[QWidget]):
        super().__init__(window)
        self.window = window
        self.bar = bar
        self.editing = editing  # hidden while presenting; the keys still work
        self.active = False
        self._was_maximized = False
        self.bar.hide()

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        w = self.window
        if on:
            self._was_maximized = w.isMaximized()
        w.menuBar().setVisible(not on)
        for toolbar in w.findChildren(QToolBar):
            toolbar.setVisible(not on)
        w.statusBar().setVisible(not on)
        for widget in self.editing:
            widget.setVisible(not on)
        self.bar.setVisible(on)
        for name in NAV_ACTIONS:
            action = w.findChild(QObject, name)
            if action is not None:
                action.setEnabled(on)  # type: ignore[attr-defined]
        if on:
            w.showFullScreen()
        elif self._was_maximized:
            w.showMaximized()
        else:
            w.showNormal()

    def show_position(self, names: list[str], current: int) -> None:
        """The agenda's patient names in order and the open case's row (-1: none)."""
        following = names[current + 1] if 0 <= current < len(names) - 1 else None
        self.bar.show_position(current, len(names), following)
