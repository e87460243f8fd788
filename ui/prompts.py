"""Every question the window asks the user, in one place (tests replace these methods)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from mdt_app import domain as d
from ui.sign_off_dialog import SignOffAnswer, SignOffDialog, SignOffSummary


class Prompts(QObject):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.window = parent

    def title(self) -> str:
        return self.tr("MDT Assistant")

    def info(self, text: str) -> None:
        QMessageBox.information(self.window, self.title(), text)

    def warn(self, text: str) -> None:
        QMessageBox.warning(self.window, self.title(), text)

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self.window, self.title(), text)
        return answer == QMessageBox.StandardButton.Yes

    def reason(self, title: str, prompt: str) -> str | None:
        """The text typed (stripped; "" when OK was pressed on nothing), None on Cancel."""
        text, ok = QInputDialog.getMultiLineText(self.window, title, prompt)
        return text.strip() if ok else None

    def sign_off(self, summary: SignOffSummary) -> SignOffAnswer | None:
        """What is signed, shown in full; the chair's name (and reason, when needed)."""
        dialog = SignOffDialog(summary, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    def defer(self, meetings: list[d.Meeting]) -> tuple[int, str] | None:
        """The meeting to defer to, and why."""
        if not meetings:
            self.warn(self.tr("There is no other meeting to defer to."))
            return None
        dialog = QDialog(self.window)
        dialog.setObjectName("deferDialog")
        dialog.setWindowTitle(self.tr("Defer case"))
        combo = QComboBox()
        for m in meetings:
            combo.addItem(f"{m.date.isoformat()} · {m.title}", m.id)
        why = QPlainTextEdit()
        why.setPlaceholderText(self.tr("Reason (e.g. awaiting PET/CT)"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(self.tr("Defer to"), combo)
        form.addRow(self.tr("Reason"), why)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        if not why.toPlainText().strip():
            self.warn(self.tr("Deferring a case needs a reason."))
            return None
        return int(combo.currentData()), why.toPlainText().strip()

    def pick_case(self, rows: list[d.CaseRow]) -> int | None:
        if not rows:
            self.info(self.tr("Every case in the database is already on this agenda."))
            return None
        items = [f"{r.patient} · MRN {r.mrn} · {r.stage}" for r in rows]
        choice, ok = QInputDialog.getItem(
            self.window, self.tr("Add case to agenda"), self.tr("Case"), items, 0, False
        )
        return rows[items.index(choice)].id if ok else None

    def manual(self, rows: list[tuple[str, str]]) -> None:
        """F1: the short manual with the shortcut table."""
        from ui.help import ManualDialog

        ManualDialog(rows, self.window).exec()

    def about(self, text: str) -> None:
        QMessageBox.about(self.window, self.tr("About MDT Assistant"), text)
