"""A scrolled column's size hint measured once (the case summary, the options).

Each time a QScrollArea lays its widget out again it asks that widget's size hint (for
its smallest size), and a widget whose layout has a height for a width answers by laying
out every wrapped label at the preferred width: on each case switch the whole summary
and the whole options panel were laid out a second time, at a width they are never
shown at (issue 17). In a resizable scroll area only the minimum size hint and the
height for the actual width matter (the splitter sizes the column), so the hint is the
first one measured, kept.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget


class KeptSizeHint:
    """Mixin for a QWidget shown in a resizable scroll area: first sizeHint() kept."""

    _kept_hint: QSize | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        if self._kept_hint is None:
            self._kept_hint = QWidget.sizeHint(self)  # type: ignore[arg-type]
        return self._kept_hint
