"""Small helpers every widget uses: labelled QLabels with a style role, section titles."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

_HINT_WIDTH, _MINIMUM_HEIGHT = -1_000_001, -1_000_002  # SizedLabel's kept hints


class SizedLabel(QLabel):
    """A QLabel that remembers its height for a width until its text, font or style
    changes. Qt's layouts ask a wrapped label the same question several times per
    layout pass, and each answer is a text layout (a rich-text label: a whole document);
    the options and the case summary re-text dozens of labels on every case switch
    (issue 17)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._hfw: dict[int, int] = {}
        self._hfw_text = text

    def _remembered(self) -> dict[int, int]:
        """The heights remembered for this text (forgotten when the text changed)."""
        text = self.text()
        if text != self._hfw_text:
            self._hfw_text = text
            self._hfw.clear()
        return self._hfw

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        height = self._remembered().get(width)
        if height is None:
            height = self._hfw[width] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        self._hfw.clear()  # font, style, contents margins...: measure again
        super().changeEvent(event)

    # A wrapped label's size hints, measured with one text layout instead of Qt's three or
    # four (QLabel tries 80, 40 and 20 characters wide, then lays the text out at width 0
    # for its minimum); a layout asks both of every label re-texted (issue 17). Heights
    # still come from heightForWidth, so what is shown is the same.
    # Remembered with the heights (under keys no width takes), so for
    # as long as the text, font and style stay.
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        if not self._plain_wrapped():
            return super().sizeHint()
        kept = self._remembered()
        width = kept.get(_HINT_WIDTH)
        if width is None:
            metrics = self.fontMetrics()
            one_line = metrics.horizontalAdvance(self.text())
            width = kept[_HINT_WIDTH] = (
                min(one_line, 80 * metrics.averageCharWidth()) + self._extra_width()
            )
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        if not self._plain_wrapped():
            return super().minimumSizeHint()
        kept = self._remembered()
        height = kept.get(_MINIMUM_HEIGHT)
        if height is None:
            height = kept[_MINIMUM_HEIGHT] = self.fontMetrics().height() + self._extra_height()
        # A few characters wide: the column's width decides where the words wrap.
        return QSize(4 * self.fontMetrics().averageCharWidth() + self._extra_width(), height)

    def _plain_wrapped(self) -> bool:
        if not self.wordWrap() or self.pixmap() is not None and not self.pixmap().isNull():
            return False
        text_format = self.textFormat()
        if text_format == Qt.TextFormat.AutoText:
            return not QtGui.Qt.mightBeRichText(self.text())
        return text_format == Qt.TextFormat.PlainText

    def _extra_width(self) -> int:
        margins = self.contentsMargins()
        return margins.left() + margins.right() + 2 * self.margin()

    def _extra_height(self) -> int:
        margins = self.contentsMargins()
        return margins.top() + margins.bottom() + 2 * self.margin()

    # What else a height depends on (none of these sends a change event).
    def setWordWrap(self, on: bool) -> None:  # noqa: N802 (Qt's name)
        self._hfw.clear()
        super().setWordWrap(on)

    def setTextFormat(self, text_format: Qt.TextFormat) -> None:  # noqa: N802 (Qt's name)
        self._hfw.clear()
        super().setTextFormat(text_format)

    def setMargin(self, margin: int) -> None:  # noqa: N802 (Qt's name)
        self._hfw.clear()
        super().setMargin(margin)

    def setIndent(self, indent: int) -> None:  # noqa: N802 (Qt's name)
        self._hfw.clear()
        super().setIndent(indent)


class CopyableLabel(SizedLabel):
    """A label whose text the user can select and copy, made selectable on the first
    press of a mouse button rather than when built.

    A selectable QLabel lays out and paints its text through a text document, several
    times the cost of a plain label; the case summary and the options hold dozens, each
    re-texted on every case switch (issue 17). Heights for a width are the same either
    way, so nothing moves when the press switches selection on; the press itself goes on
    to the text, so a drag selects and a right click offers Copy as before.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setCursor(Qt.CursorShape.IBeamCursor)  # says "selectable" before the press

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        selectable = Qt.TextInteractionFlag.TextSelectableByMouse
        if not self.textInteractionFlags() & selectable:
            self.setTextInteractionFlags(selectable)
        super().mousePressEvent(event)


def label(text: str = "", role: str | None = None, *, wrap: bool = False, name: str = "") -> QLabel:
    """A label with a style ``role`` (the stylesheet's selector), optionally wrapped and
    named; its text is selectable with the mouse (see CopyableLabel)."""
    widget = CopyableLabel(text)
    if role:
        widget.setProperty("role", role)
    if wrap:
        widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    return widget


def set_read_only(edit: QWidget, on: bool) -> None:
    """Make an editor read-only or editable, re-styled (the stylesheet greys read-only
    fields) only when that changes: a re-polish costs more than the case switch gains."""
    if edit.isReadOnly() != on:  # type: ignore[attr-defined]
        edit.setReadOnly(on)  # type: ignore[attr-defined]
        restyle(edit)


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` the stylesheet role ``role``, re-styled only when it changes."""
    if widget.property("role") != role:
        widget.setProperty("role", role)
        restyle(widget)


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


# What a dialog stacks between its introduction and its problem line: a widget, a
# layout, or a widget with its stretch factor (the part that takes the spare height).
DialogPart = QWidget | QLayout | tuple[QWidget, int]


def stack_dialog(
    dialog: QDialog,
    form: QLayout | Sequence[DialogPart],
    problem: QWidget,
    buttons: QDialogButtonBox,
    width: int | None,
    intro: str | QWidget = "",
    *,
    height: int = 0,
    notes: Sequence[QWidget] = (),
    on_accept: Callable[[], object] | None = None,
    on_reject: Callable[[], object] | None = None,
) -> None:
    """Lay a small form dialog out top to bottom - its introduction (if any: a text, shown
    wrapped, or a label of its own), the form (one layout, or the parts in order), the
    line that names a problem, any ``notes`` below it, the buttons - with the buttons'
    accept and reject wired to the dialog's (or to ``on_accept`` / ``on_reject``, where
    the dialog checks first or closes instead).

    The order is also the Tab order. ``width`` None leaves the size to the dialog (one
    that fits itself to its content)."""
    buttons.accepted.connect(on_accept or dialog.accept)
    buttons.rejected.connect(on_reject or dialog.reject)
    layout = QVBoxLayout(dialog)
    if isinstance(intro, QWidget):
        layout.addWidget(intro)
    elif intro:
        layout.addWidget(label(intro, wrap=True))
    for part in [form] if isinstance(form, QLayout) else form:
        if isinstance(part, tuple):
            layout.addWidget(*part)
        elif isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(problem)
    for note in notes:
        layout.addWidget(note)
    layout.addWidget(buttons)
    if width is not None:
        dialog.resize(width, height)
