"""Every question the window asks the user, in one place (tests replace these methods)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QInputDialog,
    QMessageBox,
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

    def defer_case(self, patient: d.Patient, current: d.Meeting, meetings: list[d.Meeting],
                   title: str | None = None):  # fmt: skip
        """Where to defer (or move) the case and why: a DeferChoice, or None if cancelled."""
        from ui.widgets.defer_dialog import DeferDialog

        dialog = DeferDialog(patient, current, meetings, self.window, title)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def case_files(self) -> list[str]:
        """Files to import, chosen in the system file dialog."""
        from PySide6.QtWidgets import QFileDialog

        from ui.import_dialog import FILE_FILTER

        files, _ = QFileDialog.getOpenFileNames(
            self.window, self.tr("Import cases"), "", self.tr(FILE_FILTER)
        )
        return files

    def conflict(self, error) -> str:
        """Someone else saved first: "keep" editing, "overwrite" theirs, or "reload"."""
        from ui.widgets.conflict_dialog import ConflictDialog

        dialog = ConflictDialog(error, self.window)
        dialog.exec()
        return dialog.choice

    def local_draft(self, what: str, reason: str) -> str:
        """A draft kept on this computer while offline: "restore", "export", "discard"
        or "later" (asked again on the next start)."""
        box = QMessageBox(self.window)
        box.setWindowTitle(self.title())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(
            self.tr("A decision draft typed while the database could not be reached was "
                    "not saved to it:\n{what}\n({reason})").format(what=what, reason=reason)
        )  # fmt: skip
        buttons: dict[QAbstractButton, str] = {
            box.addButton(
                self.tr("Restore and save"), QMessageBox.ButtonRole.AcceptRole
            ): "restore",
            box.addButton(
                self.tr("Export to a file…"), QMessageBox.ButtonRole.ActionRole
            ): "export",
            box.addButton(self.tr("Discard…"), QMessageBox.ButtonRole.DestructiveRole): "discard",
            box.addButton(self.tr("Ask me later"), QMessageBox.ButtonRole.RejectRole): "later",
        }
        box.exec()
        return buttons.get(box.clickedButton(), "later")

    def save_path(self, title: str, suggested: str) -> str | None:
        """Where to write a file (the system save dialog); None when cancelled."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self.window, title, suggested, self.tr("Text files (*.txt)")
        )
        return path or None

    def manual(self, rows: list[tuple[str, str]]) -> None:
        """F1: the short manual with the shortcut table."""
        from ui.help import ManualDialog

        ManualDialog(rows, self.window).exec()

    def about(self, text: str) -> None:
        QMessageBox.about(self.window, self.tr("About MDT Assistant"), text)

    def signature(self, chairs: list, default: str | None, summary: str) -> tuple[str, str] | None:
        """The chair and password of an electronic signature (ui/signature_dialog.py)."""
        from ui.signature_dialog import SignatureDialog

        return SignatureDialog(chairs, default, summary, self.window).answer()
