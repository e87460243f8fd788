"""Before the window opens a database: the first-run choice for a new file (encrypt it
or not) and the passphrase prompt for an encrypted one. The passphrase is kept in this
process's memory only (mdt_app.security.session_keys)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QWidget,
)

from mdt_app.errors import UserError
from mdt_app.security import session_keys
from mdt_app.security.encryption import connect_encrypted, looks_encrypted
from mdt_app.store import open_store
from ui.widgets.common import label, stack_dialog

MIN_PASSPHRASE = 12


class NewDatabaseDialog(QDialog):
    """First run on a new file: where it will be, and whether to encrypt it."""

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newDatabaseDialog")
        self.setWindowTitle(self.tr("New database"))
        self.encrypt = QCheckBox(self.tr("Encrypt the database (recommended on shared computers)"))
        self.encrypt.setObjectName("encryptDatabaseCheck")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = label("", "warning", wrap=True)
        self.problem.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.passphrase)
        form.addRow(self.tr("Repeat passphrase"), self.repeat)
        self.encrypt.toggled.connect(self.passphrase.setEnabled)
        self.encrypt.toggled.connect(self.repeat.setEnabled)
        self.encrypt.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        intro = self.tr("A new database will be created at {path}.").format(path=db_path)
        keep_it = label(
            self.tr(
                "The passphrase is asked each time the database is opened. It cannot be "
                "recovered: without it the data is lost. Keep it where your team keeps "
                "such secrets."
            ),
            "muted",
            wrap=True,
        )
        stack_dialog(self, [self.encrypt, form, keep_it], self.problem, buttons, 520, intro)

    def accept(self) -> None:
        if self.encrypt.isChecked():
            if len(self.passphrase.text()) < MIN_PASSPHRASE:
                self._refuse(
                    self.tr("a passphrase needs at least {n} characters").format(n=MIN_PASSPHRASE)
                )
                return
            if self.passphrase.text() != self.repeat.text():
                self._refuse(self.tr("the two passphrases differ"))
                return
        super().accept()

    def _refuse(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)

    def choice(self) -> tuple[bool, str | None] | None:
        """(encrypt, passphrase) or None when cancelled."""
        if self.exec() != QDialog.DialogCode.Accepted:
            return None
        if self.encrypt.isChecked():
            return True, self.passphrase.text()
        return False, None


def create_database(db_path: Path, encrypt: bool, passphrase: str | None) -> None:
    open_store(db_path, passphrase=passphrase, encrypted=encrypt).close()
    if encrypt and passphrase:
        session_keys.remember_passphrase(db_path, passphrase)


def ask_passphrase(db_path: Path, parent: QWidget | None = None, attempts: int = 5) -> bool:
    """Ask for an encrypted database's passphrase until it opens (True) or the user gives
    up (False). A wrong passphrase changes nothing in the file."""
    note = ""
    for _ in range(attempts):
        text, ok = QInputDialog.getText(
            parent,
            QDialog.tr("Encrypted database"),  # type: ignore[arg-type, call-arg]
            note + QDialog.tr("Passphrase for {path}").format(path=db_path),  # type: ignore[arg-type, call-arg]
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return False
        try:
            with contextlib.closing(connect_encrypted(db_path, text)):
                pass
        except UserError:
            note = QDialog.tr("Wrong passphrase; try again.") + "\n"  # type: ignore[arg-type, call-arg]
            continue
        session_keys.remember_passphrase(db_path, text)
        return True
    return False


def prepare_database(db_path: Path, parent: QWidget | None = None) -> bool:
    """Create (first run) or unlock the database before the window opens it; False
    when the user cancelled."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        choice = NewDatabaseDialog(db_path, parent).choice()
        if choice is None:
            return False
        create_database(db_path, *choice)
        return True
    if looks_encrypted(db_path) and session_keys.passphrase_for(db_path) is None:
        return ask_passphrase(db_path, parent)
    return True
