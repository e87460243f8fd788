"""Work a window does once it has painted: the app's start shows the frame first, then
opens the meeting (a zero timer alone runs before the first paint: Qt takes timers
before the window's first update)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# If the window is never painted (started minimised, say), the work runs anyway.
AT_THE_LATEST_MS = 1500


class AfterFirstPaint(QObject):
    """Runs ``then`` once, on the event-loop turn after ``widget`` first paints."""

    def __init__(self, widget: QWidget, then: Callable[[], None]):
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        self._widget = widget
        widget.installEventFilter(self)
        QTimer.singleShot(AT_THE_LATEST_MS, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._run)  # after this paint has reached the screen
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is None:
            return
        self._widget.removeEventFilter(self)
        if self._widget.isVisible():  # closed meanwhile (or never shown): nothing to open
            then()
