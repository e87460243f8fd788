"""File > Connect to team server…: where the team database is (host, port, database and
login, or a pasted ``postgresql://`` URL), checked by connecting, and remembered on this
machine (the user's settings file, never with a password) so the next start opens it.

The window then opens on the server in a new window, after signing in there."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from mdt_app.errors import UserError
from mdt_app.paths import ServerURL
from ui.server_sign_in import refuse
from ui.settings import settings_path
from ui.widgets.common import label, stack_dialog

SERVER_KEY = "server/url"
DEFAULT_PORT = 5432


def _t(text: str) -> str:
    return QCoreApplication.translate("server_connect", text)


def _machine_settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def without_password(url: ServerURL) -> ServerURL:
    """``url`` with any password taken out (what may be written to disk)."""
    parts = urlsplit(url.url)
    if parts.password is None:
        return url
    user = f"{parts.username}@" if parts.username else ""
    host = parts.netloc.rsplit("@", 1)[-1]
    return ServerURL(urlunsplit(parts._replace(netloc=user + host)))


def remembered_server() -> ServerURL | None:
    """The team server chosen on this machine, if any."""
    value = _machine_settings().value(SERVER_KEY)
    return ServerURL(str(value)) if value and ServerURL.is_server(str(value)) else None


def remember_server(url: ServerURL | None) -> None:
    """Remember ``url`` (without its password) for the next start; None forgets it."""
    settings = _machine_settings()
    if url is None:
        settings.remove(SERVER_KEY)
    else:
        settings.setValue(SERVER_KEY, without_password(url).url)
    settings.sync()


def server_url(pasted: str, host: str, port: int, database: str, username: str = "") -> ServerURL:
    """The URL the dialog's fields name: a pasted URL wins, else host/port/database."""
    pasted = pasted.strip()
    if pasted:
        if not ServerURL.is_server(pasted):
            raise UserError(f"{pasted}: not a team server address (it starts with postgresql://)")
        return ServerURL(pasted).check()
    if not host.strip() or not database.strip():
        raise UserError("give the server's host and the database's name, or paste its URL")
    user = f"{quote(username.strip(), safe='')}@" if username.strip() else ""
    netloc = f"{user}{host.strip()}:{int(port)}"
    return ServerURL(f"postgresql://{netloc}/{quote(database.strip(), safe='')}")


def check_server(url: ServerURL) -> None:
    """Connect once and close: a wrong address or refused login is a one-line UserError.
    A server that only asks for a password has answered: the sign-in asks for it."""
    from mdt_app.store import open_store

    try:
        open_store(url, create=False).close()
    except UserError as exc:
        if "no password supplied" not in str(exc):
            raise


class ConnectServerDialog(QDialog):
    """Asks where the team server is; ``url`` is set when it answered."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("connectServerDialog")
        self.setWindowTitle(self.tr("Connect to team server"))
        self.url: ServerURL | None = None
        self.pasted = QLineEdit()
        self.pasted.setObjectName("serverUrl")
        self.pasted.setPlaceholderText("postgresql://user@host:5432/database")
        self.host = QLineEdit()
        self.host.setObjectName("serverHost")
        self.port = QSpinBox()
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setObjectName("serverDatabase")
        self.username = QLineEdit()
        self.username.setObjectName("serverUsername")
        remembered = remembered_server()
        if remembered is not None:
            self.pasted.setText(remembered.url)
        self.problem = label("", "warning", wrap=True)
        self.problem.setObjectName("serverProblem")
        self.problem.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Server URL"), self.pasted)
        form.addRow(self.tr("or host"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("Your username"), self.username)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Connect"))
        self.forget = buttons.addButton(
            self.tr("Use the file on this computer"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.forget.setObjectName("forgetServerButton")
        self.forget.setToolTip(self.tr("Forget the team server: the next start opens the file"))
        self.forget.setEnabled(remembered is not None)
        self.forget.clicked.connect(self.forget_server)
        intro = self.tr(
            "The team database on your hospital's PostgreSQL server. Your password "
            "is asked when you sign in and is never stored on this computer."
        )
        stack_dialog(self, form, self.problem, buttons, 520, intro)

    def accept(self) -> None:
        try:
            url = server_url(
                self.pasted.text(),
                self.host.text(),
                self.port.value(),
                self.database.text(),
                self.username.text(),
            )
            check_server(url)
        except UserError as exc:
            why = " ".join(str(exc).split())
            self.problem.setText("⚠ " + why)
            self.problem.setVisible(True)
            refuse(self, why)
            return
        self.url = url
        remember_server(url)
        super().accept()

    def forget_server(self) -> None:
        """Back to the database file: the next start opens it, not the server."""
        remember_server(None)
        self.reject()


def ask_server(parent: QWidget | None = None) -> ServerURL | None:
    """The team server the user chose (checked and remembered); None if cancelled."""
    dialog = ConnectServerDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.url
