"""Every question the window asks the user, in one place (tests replace these methods)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from ui.widgets.common import label


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
        text, ok = QInputDialog.getMultiLineText(self.window, title, prompt)
        return text.strip() if ok and text.strip() else None

    def chair(self, default: str, summary: str, quorum: str, quorate: bool) -> str | None:
        """The name to sign off with (prefilled with the meeting's chair)."""
        dialog = QDialog(self.window)
        dialog.setObjectName("signOffDialog")
        dialog.setWindowTitle(self.tr("Sign off the decision"))
        name = QLineEdit(default)
        name.setObjectName("chairNameEdit")
        quorum_label = label(quorum, "signed" if quorate else "warning", wrap=True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign off"))
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout()
        form.addRow(self.tr("Chair"), name)
        layout = QVBoxLayout(dialog)
        layout.addWidget(label(summary, wrap=True))
        layout.addWidget(quorum_label)
        layout.addLayout(form)
        layout.addWidget(
            label(self.tr("A signed decision is read-only; changes become amendments."), "muted")
        )
        layout.addWidget(buttons)
        dialog.resize(520, 0)
        if dialog.exec() != QDialog.DialogCode.Accepted or not name.text().strip():
            return None
        return name.text().strip()

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

    def shortcuts(self, rows: list[tuple[str, str]]) -> None:
        dialog = QDialog(self.window)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle(self.tr("Keyboard shortcuts"))
        form = QFormLayout(dialog)
        for keys, what in rows:
            form.addRow(QLabel(f"<b>{keys}</b>"), QLabel(what))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        dialog.exec()
