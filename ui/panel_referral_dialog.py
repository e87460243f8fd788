"""Case > Refer to expert panel: ask the question for the panel and the folder, then write
the pseudonymised summary (mdt_app.exchange.panel does the work and the consent check)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from mdt_app.errors import UserError
from ui.location import Location, as_location
from ui.widgets.banner import identity_line


def _t(text: str) -> str:
    return QCoreApplication.translate("PanelReferralDialog", text)


class PanelReferralDialog(QDialog):
    """The question for the panel and where to write the referral."""

    def __init__(self, parent: QWidget, db_path: Location, case_id: int):
        super().__init__(parent)
        from mdt_app.store import open_store

        self.setObjectName("panelReferralDialog")
        self.setWindowTitle(_t("Refer to expert panel"))
        self.db_path, self.case_id = db_path, case_id
        with open_store(db_path, create=False) as store:
            case = store.get_case(case_id)
        consent = case.consent.discussion
        form = QFormLayout(self)
        form.addRow(identity_line(case.patient, "panelReferralBanner"))
        words = {"given": _t("given"), "refused": _t("refused")}
        self.consent = QLabel(words.get(consent or "", _t("not recorded")))
        self.consent.setObjectName("panelReferralConsent")
        form.addRow(_t("Consent to discussion:"), self.consent)
        self.question = QPlainTextEdit(case.referral.question or "")
        self.question.setObjectName("panelQuestion")
        self.question.setPlaceholderText(_t("What should the expert panel answer?"))
        self.question.setTabChangesFocus(True)
        form.addRow(_t("Question for the panel:"), self.question)
        self.folder = QLineEdit(str(Path.home()))
        self.folder.setObjectName("panelFolder")
        browse = QPushButton(_t("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        form.addRow(_t("Write to folder:"), row)
        note = QLabel(
            _t("The summary leaves out name, MRN and birth date; the patient is named by a "
               "pseudonym that the panel's reply will carry.")
        )  # fmt: skip
        note.setWordWrap(True)
        form.addRow(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_t("Write referral"))
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.written: list[Path] = []

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _t("Folder for the referral"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def write(self) -> None:
        """Write the referral; a refusal (no consent, no question) keeps the dialog open."""
        from mdt_app.exchange.panel import refer_case
        from mdt_app.store import open_store

        try:
            with open_store(self.db_path, create=False) as store:
                self.written = refer_case(
                    store, self.case_id, self.folder.text(), self.question.toPlainText()
                )
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        QMessageBox.information(
            self,
            self.windowTitle(),
            _t("Referral written:\n{paths}").format(paths="\n".join(str(p) for p in self.written)),
        )
        self.accept()


def refer_to_panel(parent: QWidget, db_path: Location, case_id: int) -> None:
    """Open the referral dialog for one case (window-modal, returns at once)."""
    dialog = PanelReferralDialog(parent, as_location(db_path), case_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
