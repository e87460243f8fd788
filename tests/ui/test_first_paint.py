"""Work after the first paint runs once, after the paint, and not on a closed window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ui.first_paint import AfterFirstPaint


class PaintOrder(QObject):
    def __init__(self, log: list[str]):
        super().__init__()
        self.log = log

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.log.append("paint")
        return False


def test_runs_once_after_the_first_paint(qtbot):
    log: list[str] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    order = PaintOrder(log)
    widget.installEventFilter(order)
    AfterFirstPaint(widget, lambda: log.append("work"))
    assert log == []
    widget.show()
    qtbot.waitUntil(lambda: "work" in log)
    widget.update()
    qtbot.wait(50)
    assert log.index("paint") < log.index("work")
    assert log.count("work") == 1


def test_a_window_closed_first_opens_nothing(qtbot):
    log: list[str] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    after = AfterFirstPaint(widget, lambda: log.append("work"))
    widget.show()
    widget.close()
    after._run()  # the timer firing after the close
    qtbot.wait(20)
    assert log == []
