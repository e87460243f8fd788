"""Who is working: the first chair of a new database, then the sign-in at each start
(the last user on this machine is offered first). The password is checked by
mdt_app.security.users; nothing here decides who may do what."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from mdt_app.errors import UserError
from mdt_app.security.first_chair import add_first_chair
from mdt_app.security.users import User, authenticate, list_users
from mdt_app.store import Store
from ui.settings import settings_path
from ui.widgets.common import label, stack_dialog

LAST_USER_KEY = "security/lastUser"


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class FirstChairDialog(QDialog):
    """A new database's first account: its chair."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.user: User | None = None
        self.setObjectName("firstChairDialog")
        self.setWindowTitle(self.tr("Create the first chair"))
        self.name = QLineEdit()
        self.name.setObjectName("firstChairName")
        self.username = QLineEdit()
        self.username.setObjectName("firstChairUsername")
        self.specialty = QLineEdit()
        self.password = _password_field("firstChairPassword")
        self.repeat = _password_field("firstChairRepeat")
        self.problem = label("", "warning", wrap=True)
        self.problem.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Full name (as signed)"), self.name)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Specialty"), self.specialty)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Repeat password"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        intro = self.tr(
            "This database has no users yet. The first user is its chair: the "
            "person who signs decisions off and adds the other users."
        )
        stack_dialog(self, form, self.problem, buttons, 480, intro)

    def accept(self) -> None:
        if self.password.text() != self.repeat.text():
            self._refuse(self.tr("the two passwords differ"))
            return
        try:
            self.user = add_first_chair(  # on a team server: its roles set up first
                self.store,
                self.username.text(),
                self.name.text(),
                self.password.text(),
                self.specialty.text(),
            )
        except UserError as exc:
            self._refuse(str(exc))
            return
        super().accept()

    def _refuse(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)


class SignInDialog(QDialog):
    """Who is working on this window: a user and their password."""

    def __init__(self, store: Store, last_username: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.user: User | None = None
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Who is working?"))
        self.who = QComboBox()
        self.who.setObjectName("signInUser")
        for user in list_users(store, active_only=True):
            self.who.addItem(user.label, user.username)
        index = self.who.findData(last_username) if last_username else -1
        if index >= 0:
            self.who.setCurrentIndex(index)
        self.password = _password_field("signInPassword")
        self.problem = label("", "warning", wrap=True)
        self.problem.setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("User"), self.who)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        stack_dialog(self, form, self.problem, buttons, 420)
        self.password.setFocus()

    def accept(self) -> None:
        try:
            self.user = authenticate(self.store, str(self.who.currentData()), self.password.text())
        except UserError as exc:
            self.password.clear()
            self.problem.setText("⚠ " + str(exc))
            self.problem.setVisible(True)
            return
        super().accept()


def _machine_settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def last_username() -> str | None:
    value = _machine_settings().value(LAST_USER_KEY)
    return str(value) if value else None


def remember_username(username: str) -> None:
    settings = _machine_settings()
    settings.setValue(LAST_USER_KEY, username)
    settings.sync()


def ask_who_is_working(store: Store, parent: QWidget | None = None) -> User | None:
    """The first chair of a new database, or the user signing in; None if cancelled."""
    if not list_users(store):
        first = FirstChairDialog(store, parent)
        if first.exec() != QDialog.DialogCode.Accepted or first.user is None:
            return None
        remember_username(first.user.username)
        return first.user
    dialog = SignInDialog(store, last_username(), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        return None
    remember_username(dialog.user.username)
    return dialog.user
