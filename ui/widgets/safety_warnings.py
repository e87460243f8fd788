"""The recommendation's warnings as a box above the options that a chair cannot miss:
a count in the heading, safety-critical warnings first and marked, every line its own."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from mdt_app.guideline.warning_levels import ordered


class SafetyWarnings(QLabel):
    """A rich-text label (one per options panel); ``text_plain()`` for tests and readers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("guidelineWarnings")
        self.setProperty("role", "warning")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._plain = ""
        self.critical = 0

    def set_warnings(self, warnings: list[str]) -> None:
        pairs = ordered(warnings)
        self.critical = sum(1 for critical, _ in pairs if critical)
        head = self.tr("⚠ {n} warning(s), {c} safety-critical: read before deciding").format(
            n=len(pairs), c=self.critical
        )
        lines = [f"⚠ {'[!] ' if critical else ''}{text}" for critical, text in pairs]
        self._plain = "\n".join([head, *lines]) if pairs else ""
        rich = [f"<b>{html.escape(head)}</b>"] + [
            f"<b>⚠ [!] {html.escape(text)}</b>" if critical else f"⚠ {html.escape(text)}"
            for critical, text in pairs
        ]
        self.setText("<br>".join(rich) if pairs else "")
        self.setAccessibleName(head if pairs else self.tr("No warnings"))
        self.setAccessibleDescription(self._plain)
        self.setVisible(bool(pairs))

    def text(self) -> str:
        """The warnings as plain text (the label itself holds rich text)."""
        return self._plain
