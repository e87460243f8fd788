"""An option's "Sources: A, B, C" line: each citation a link, wrapped to the width.

It was a rich-text QLabel: every height Qt asked of it, and every paint, laid out a whole
text document (about a tenth of a case switch with a dozen options shown, issue 17).
Here the line is one text layout with the citations underlined in the link colour; a
click on one emits ``linkActivated("cite:N")`` as the label did.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class SourcesLine(QWidget):
    """``set_sources(lead, citations)``: ``lead`` then the citations, comma-separated."""

    linkActivated = Signal(str)  # "cite:N", N the citation's index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._links: list[tuple[int, int]] = []  # (start, length) of each citation
        self._heights: dict[int, int] = {}
        self._layout: QTextLayout | None = None
        self._laid_for = -1
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(True)  # the pointing hand over a citation only
        # The stylesheet's look for this line (role "sources"), lent by a hidden label.
        self._look = QLabel("Xg", self)
        self._look.setProperty("role", "sources")
        self._look.hide()

    def set_sources(self, lead: str, citations: list[str], none: str = "—") -> None:
        """Show ``lead`` (e.g. "Sources: ") then each citation as a link, or ``none``."""
        text, links = lead, []
        for i, citation in enumerate(citations):
            if i:
                text += ", "
            links.append((len(text), len(citation)))
            text += citation
        if not citations:
            text += none
        if text == self._text and links == self._links:
            return
        before = self.heightForWidth(self.width())
        self._text, self._links = text, links
        self._heights.clear()
        self._laid_for = -1
        self.setAccessibleName(text)
        if self.heightForWidth(self.width()) != before:
            self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The line as shown, in plain text."""
        return self._text

    # --- measuring --------------------------------------------------------------------------

    def _lay_out(self, width: int) -> QTextLayout:
        if self._layout is not None and self._laid_for == width:
            return self._layout
        self._look.ensurePolished()
        layout = QTextLayout(self._text, self._look.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setTextDirection(self.layoutDirection())
        layout.setTextOption(option)
        layout.setFormats(self._link_formats())
        layout.beginLayout()
        top = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            line.setPosition(QPointF(0, top))
            top += line.height()
        layout.endLayout()
        self._layout, self._laid_for = layout, width
        self._heights[width] = int(top + 0.999)
        return layout

    def _link_formats(self) -> list[QTextLayout.FormatRange]:
        link = QTextCharFormat()
        link.setForeground(self.palette().color(QPalette.ColorRole.Link))
        link.setFontUnderline(True)
        ranges = []
        for start, length in self._links:
            span = QTextLayout.FormatRange()
            span.start, span.length, span.format = start, length, link
            ranges.append(span)
        return ranges

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        height = self._heights.get(width)
        if height is None:
            self._lay_out(width)
            height = self._heights[width]
        return height

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = self._heights.get(-1_000_001)  # kept with the heights (no width is this)
        if width is None:
            self._look.ensurePolished()
            metrics = QFontMetrics(self._look.font())
            width = self._heights[-1_000_001] = metrics.horizontalAdvance(self._text) + 1
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        self._look.ensurePolished()
        return QSize(QFontMetrics(self._look.font()).averageCharWidth() * 6, 0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()  # another size (presentation mode): measure again
            self._laid_for = -1
            self.updateGeometry()
        super().changeEvent(event)

    # --- painting and clicks ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        layout = self._lay_out(self.width())
        painter = QPainter(self)
        painter.setPen(self._look.palette().color(QPalette.ColorRole.WindowText))
        layout.draw(painter, QPointF(0, 0), [], QRectF(event.rect()))
        painter.end()

    def _link_at(self, x: float, y: float) -> int:
        """The index of the citation under (x, y), or -1."""
        layout = self._lay_out(self.width())
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            if line.y() <= y < line.y() + line.height() and x <= line.naturalTextWidth():
                at = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
                for i, (start, length) in enumerate(self._links):
                    if start <= at < start + length:
                        return i
        return -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        over = self._link_at(event.position().x(), event.position().y()) >= 0
        if over:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            at = self._link_at(event.position().x(), event.position().y())
            if at >= 0:
                self.linkActivated.emit(f"cite:{at}")
                return
        super().mouseReleaseEvent(event)
