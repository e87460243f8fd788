"""Small helpers every widget uses: labelled QLabels with a style role, section titles."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLayout,
    QTableView,
    QWidget,
)


def label(text: str = "", role: str | None = None, *, wrap: bool = False, name: str = "") -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    if wrap:
        widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def restyle(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property used by it has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def table_view(name: str, accessible: str, parent: QWidget | None = None) -> QTableView:
    """A read-only, row-selecting table with the house look."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setHighlightSections(False)
    view.setWordWrap(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table: arrows move within it
    return view


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget of ``layout`` (hidden at once, deleted later)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()  # type: ignore[union-attr]
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
