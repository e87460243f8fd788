"""The electronic signature step of a sign-off: a chair enters their password again.

Called from the sign-off path after the sign-off confirmation; it only collects who signs
and their password (mdt_app.security.signing checks both and records the signature)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mdt_app.security.signature import SIGNATURE_MEANING
from mdt_app.security.users import User
from ui.widgets.common import label


class SignatureDialog(QDialog):
    def __init__(
        self, chairs: list[User], default: str | None, summary: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("signatureDialog")
        self.setWindowTitle(self.tr("Sign with your password"))
        self.who = QComboBox()
        self.who.setObjectName("signatureChair")
        for chair in chairs:
            self.who.addItem(chair.label, chair.username)
        index = self.who.findData(default) if default else -1
        if index >= 0:
            self.who.setCurrentIndex(index)
        self.password = QLineEdit()
        self.password.setObjectName("signaturePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Chair"), self.who)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(summary, wrap=True))
        layout.addWidget(
            label(
                self.tr(
                    "Your signature means: {meaning}. It records your name and the time."
                ).format(meaning=self.tr(SIGNATURE_MEANING)),
                "muted",
                wrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.password.setFocus()
        self.resize(460, 0)

    def answer(self) -> tuple[str, str] | None:
        if self.exec() != QDialog.DialogCode.Accepted or not self.password.text():
            return None
        return str(self.who.currentData()), self.password.text()
