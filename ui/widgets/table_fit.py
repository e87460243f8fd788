"""Row heights of a read-only summary table, computed from its text instead of asking
the item delegate for every cell (QTableView.resizeRowsToContents).

The case summary's imaging and lab tables show every row, and only one column of each
wraps (the stretched one; the others are sized to their contents, so one line each).
resizeRowsToContents asks the model for about seven roles of every visible cell, a
Python call each: ~5 ms of every case switch (issue 17). Here each row costs one text
layout of its wrapping cell, laid out the way Qt's item views lay it out (word wrap at
the column's width less the text margins), so the heights are the ones Qt would give.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyle, QTableView

# Text extents already measured, by (text, font, wrap mode, width): the summary's tables
# repeat most of their texts from case to case (test names, units, dates, "Xg" for the
# height of a line), and each measure is a text layout.
_MEASURED: dict[tuple[str, str, int, int], tuple[float, float]] = {}
_KEEP = 4096


def _line_extent(
    text: str, font: QFont, wrap: QTextOption.WrapMode, width: int
) -> tuple[float, float]:
    """(total height, widest line) of ``text`` laid out in lines of ``width`` pixels."""
    key = (text, font.key(), int(wrap.value), width)
    extent = _MEASURED.get(key)
    if extent is None:
        if len(_MEASURED) >= _KEEP:
            _MEASURED.clear()
        extent = _MEASURED[key] = _measure(text, font, wrap, width)
    return extent


def _measure(text: str, font: QFont, wrap: QTextOption.WrapMode, width: int) -> tuple[float, float]:
    layout = QTextLayout(text.replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(wrap)
    layout.setTextOption(option)
    layout.beginLayout()
    height = widest = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1))
        line.setPosition(QPointF(0, height))
        height += line.height()
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return height, widest


def text_height(text: str, font: QFont, width: int) -> int:
    """Height of ``text`` word-wrapped at ``width`` pixels, as an item view lays it out."""
    return math.ceil(_line_extent(text, font, QTextOption.WrapMode.WordWrap, width)[0])


def row_heights(view: QTableView, wrapping: int, column_width: int | None = None) -> list[int]:
    """The height each row of ``view`` needs when only column ``wrapping`` wraps, at its
    width now or at ``column_width`` (the new width, while the header is resizing it)."""
    model = view.model()
    grid = 1 if view.showGrid() else 0
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    if column_width is None:
        column_width = view.columnWidth(wrapping)
    width = column_width - grid - 2 * margin
    base = view.font()
    # A cell that does not wrap is one line: the tallest font any column may use.
    bold = QFont(base)
    bold.setBold(True)
    one_line = max(text_height("Xg", base, 10_000), text_height("Xg", bold, 10_000)) + grid
    # Qt never makes a row lower than its (hidden) row header's own size hint.
    header = view.verticalHeader()
    floor = max(header.minimumSectionSize(), one_line)
    if model.rowCount():
        floor = max(floor, header.sectionSizeHint(0))
    heights = []
    for row in range(model.rowCount()):
        index = model.index(row, wrapping)
        font = index.data(Qt.ItemDataRole.FontRole)
        font = font.resolve(base) if isinstance(font, QFont) else base
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        heights.append(max(floor, text_height(text, font, width) + grid))
    return heights


def text_width(text: str, font: QFont) -> int:
    """Width of ``text`` on one line, as an item view lays it out."""
    return math.ceil(_line_extent(text, font, QTextOption.WrapMode.ManualWrap, 1_000_000)[1])


def column_widths(view: QTableView, wrapping: int) -> dict[int, int]:
    """The width each visible column but ``wrapping`` needs to show every row's text on
    one line, and its title (what QHeaderView's ResizeToContents gives, from all rows)."""
    model = view.model()
    grid = 1 if view.showGrid() else 0
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    base = view.font()
    header = view.horizontalHeader()
    widths = {}
    for column in range(model.columnCount()):
        if column == wrapping or view.isColumnHidden(column):
            continue
        width = 0
        for row in range(model.rowCount()):
            index = model.index(row, column)
            font = index.data(Qt.ItemDataRole.FontRole)
            font = font.resolve(base) if isinstance(font, QFont) else base
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            width = max(width, text_width(text, font) + 2 * margin + grid)
        widths[column] = max(width, header.sectionSizeHint(column), header.minimumSectionSize())
    return widths
