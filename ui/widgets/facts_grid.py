"""The clinical findings of the case summary as one painted widget: name/value pairs,
two pairs to a row when the column is wide enough for them, else one.

Before (issue 17) each pair was two labels in a grid: some forty labels re-texted,
re-laid out and painted one by one on every case switch, about a sixth of a switch.
Here the pairs are measured once per width and painted in one pass; the height changes
(and the summary is laid out again) only when the case's findings need another height.
Names look as the stylesheet's ``factName`` labels, values as ``factValue`` (bold) ones:
two hidden labels of those roles lend their font and colour, so a theme or presentation
size change applies here too.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QStaticText,
)
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QStyle, QWidget

H_SPACING = 8  # between a name and its value, and between the two pairs of a row
V_SPACING = 2  # between rows
WRAP = int(Qt.TextFlag.TextWordWrap)


class Layout(NamedTuple):
    """The findings placed for one width."""

    per_row: int  # pairs to a row: 2 when the width has room for them, else 1
    cells: list[tuple[QRect, QRect]]  # each pair's name and value rectangles
    height: int


class FactsGrid(QWidget):
    """Name/value pairs (``set_facts``); ``values`` maps each name to its value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, str] = {}
        self.facts: list[tuple[str, str]] = []
        self._advances: tuple[list[int], list[int]] | None = None
        self._layouts: dict[int, Layout] = {}  # by width, for this case's findings
        self._texts: list[tuple[QStaticText, QStaticText]] = []  # what the paint draws
        self._texts_for = -1  # the width they are laid out for
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+C copies after a click
        self.setAccessibleName(self.tr("Clinical findings"))
        # The stylesheet's look for names and values, never shown themselves.
        self._name_style = self._style_label("factName")
        self._value_style = self._style_label("factValue")

    def _style_label(self, role: str) -> QLabel:
        lab = QLabel("Xg", self)  # one line of text: its height is a row's least height
        lab.setProperty("role", role)
        lab.hide()
        return lab

    # --- contents ---------------------------------------------------------------------------

    def set_facts(self, facts: list[tuple[str, str]]) -> None:
        """Show (name, value) pairs; the widget is laid out again only when its height
        for the present width changes (a case switch usually keeps it)."""
        if facts == self.facts:
            return
        before = self.heightForWidth(self.width())
        self.facts = list(facts)
        self.values = dict(facts)
        self._forget()
        self.setAccessibleDescription(self.text())
        if self.heightForWidth(self.width()) != before:
            self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The findings as lines of "name: value" (what Copy puts on the clipboard)."""
        return "\n".join(f"{name}: {value}" for name, value in self.facts)

    def _forget(self) -> None:
        """Measure again: other findings, or another font."""
        self._advances = None
        self._layouts.clear()
        self._texts = []
        self._texts_for = -1

    # --- measuring --------------------------------------------------------------------------

    def _metrics(self) -> tuple[QFontMetrics, QFontMetrics]:
        self._name_style.ensurePolished()
        self._value_style.ensurePolished()
        return QFontMetrics(self._name_style.font()), QFontMetrics(self._value_style.font())

    def _widths(self) -> tuple[list[int], list[int]]:
        """Each name's and value's width on one line, measured once per case."""
        if self._advances is None:
            names, values = self._metrics()
            self._advances = (
                [names.horizontalAdvance(n) for n, _ in self.facts],
                [values.horizontalAdvance(v) for _, v in self.facts],
            )
        return self._advances

    def _needed(self) -> int:
        """Width two pairs to a row need: the longest name and value of each."""
        if not self.facts:
            return 0
        names, values = self._widths()
        return 2 * (max(names) + max(values)) + 3 * H_SPACING + 8

    def _layout_for(self, width: int) -> Layout:
        """The name and value rectangles for ``width`` (kept per width): names on one
        line when they fit, as wide as the longest name of their column but never more than two
        fifths of a pair (longer names wrap); values take the rest and wrap."""
        kept = self._layouts.get(width)
        if kept is not None:
            return kept
        names, values = self._metrics()
        per_row = 2 if width >= self._needed() > 0 else 1
        name_advances, value_advances = self._widths()
        gaps = H_SPACING * (2 * per_row - 1)
        # A name takes at most two fifths of its pair, so a long name (large type, a
        # narrow pane) wraps instead of pushing its value off the edge.
        cap = max(1, (width - gaps) * 2 // (5 * per_row))
        name_widths = [
            min(cap, max(name_advances[slot::per_row], default=0)) for slot in range(per_row)
        ]
        spare = width - sum(name_widths) - gaps
        value_width = max(1, spare // per_row)
        # A row is as high as a label of that text would be (its margins included).
        line = max(self._name_style.sizeHint().height(), self._value_style.sizeHint().height())
        extra = self._value_style.sizeHint().height() - values.height()
        name_extra = self._name_style.sizeHint().height() - names.height()
        cells: list[tuple[QRect, QRect]] = []
        top = 0
        for start in range(0, len(self.facts), per_row):
            row = self.facts[start : start + per_row]
            height = line
            for i, (name, value) in enumerate(row, start):
                if value_advances[i] > value_width:  # it wraps: measured wrapped
                    box = values.boundingRect(QRect(0, 0, value_width, 100_000), WRAP, value)
                    height = max(height, box.height() + extra)
                name_width = name_widths[(i - start) % per_row]
                if name_advances[i] > name_width:
                    box = names.boundingRect(QRect(0, 0, name_width, 100_000), WRAP, name)
                    height = max(height, box.height() + name_extra)
            left = 0
            for slot in range(len(row)):
                name_box = QRect(left, top, name_widths[slot], height)
                left += name_widths[slot] + H_SPACING
                cells.append((name_box, QRect(left, top, value_width, height)))
                left += value_width + H_SPACING
            top += height + V_SPACING
        layout = self._layouts[width] = Layout(per_row, cells, max(0, top - V_SPACING))
        return layout

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return self._layout_for(width).height

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = max(self.minimumSizeHint().width(), 300)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # Names and values both wrap, so the findings never hold their pane open wider.
        name = min(max(self._widths()[0], default=0), 120)
        return QSize(name + H_SPACING, 0)

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        layout = self._layout_for(self.width())
        if self._texts_for != self.width():
            self._texts = [
                (_static(name, name_box.width()), _static(value, value_box.width()))
                for (name, value), (name_box, value_box) in zip(
                    self.facts, layout.cells, strict=True
                )
            ]
            self._texts_for = self.width()
        painter = QPainter(self)
        area = event.rect()
        direction = self.layoutDirection()
        for style, part in ((self._name_style, 0), (self._value_style, 1)):
            painter.setFont(style.font())
            painter.setPen(style.palette().color(QPalette.ColorRole.WindowText))
            for texts, cells in zip(self._texts, layout.cells, strict=True):
                box = QStyle.visualRect(direction, self.rect(), cells[part])
                if box.intersects(area):
                    text = texts[part]
                    # Centred in the row's height, as a label in a grid row is.
                    top = box.top() + (box.height() - round(text.size().height())) // 2
                    painter.drawStaticText(box.left(), top, text)
        painter.end()

    @property
    def per_row(self) -> int:
        """Pairs to a row at the present width."""
        return self._layout_for(self.width()).per_row

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._forget()  # another size or look (presentation mode): measure again
            self.updateGeometry()
        super().changeEvent(event)

    # --- copying ----------------------------------------------------------------------------

    def _fact_at(self, x: int, y: int) -> int:
        for i, (name_box, value_box) in enumerate(self._layout_for(self.width()).cells):
            for box in (name_box, value_box):
                if QStyle.visualRect(self.layoutDirection(), self.rect(), box).contains(x, y):
                    return i
        return -1

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt's name)
        menu = QMenu(self)
        at = self._fact_at(event.pos().x(), event.pos().y())
        if at >= 0:
            name, value = self.facts[at]
            one = menu.addAction(self.tr("Copy “{name}: {value}”").format(name=name, value=value))
            one.triggered.connect(lambda: _copy(f"{name}: {value}"))
        every = menu.addAction(self.tr("Copy all clinical findings"))
        every.setShortcut(QKeySequence.StandardKey.Copy)
        every.triggered.connect(lambda: _copy(self.text()))
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.matches(QKeySequence.StandardKey.Copy):
            _copy(self.text())
            return
        super().keyPressEvent(event)


def _static(text: str, width: int = -1) -> QStaticText:
    """``text`` laid out once for painting (plain text; wrapped at ``width`` if given)."""
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    if width > 0:
        static.setTextWidth(width)
    return static


def _copy(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
