"""Signing in to the window on a team server. The accounts are the server's; once the
server enforces roles (store/pg/roles.py) the window reconnects as the user's own login
(their app password is that login's password), so the server itself decides what they
may do and records who did it. A refused address or login is one line, never a trace."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from mdt_app.errors import StoreError, UserError
from mdt_app.paths import ServerURL
from mdt_app.security.users import User, authenticate, list_users
from mdt_app.store import Store, open_store
from ui.location import Location
from ui.sign_in import FirstChairDialog, SignInDialog, last_username, remember_username


def _t(text: str) -> str:
    return QCoreApplication.translate("server_sign_in", text)


def refuse(parent: QWidget | None, why: str) -> None:
    """One line in a message box."""
    QMessageBox.warning(parent, _t("MDT Assistant"), " ".join(str(why).split()))


def as_login(store: Store, url: ServerURL, user: User, password: str) -> Store:
    """``store`` reconnected as ``user``'s own server login when the server enforces
    roles and the URL names another login; else ``store`` itself."""
    from mdt_app.store.pg.roles import roles_enforced

    if not roles_enforced(store) or url.username == user.username:
        return store
    try:
        own = open_store(url.with_login(user.username, password), create=False)
    except StoreError as exc:
        # The app account is right (just checked) but its server login is missing, has
        # another password, or is refused: say what to do, not only what the server said.
        raise UserError(
            _t(
                "{problem}; your server login {user} must exist with your app password: a "
                "chair or an administrator sets it (File > Users… > Set password…)"
            ).format(problem=" ".join(str(exc).split()), user=user.username)
        ) from None
    store.close()
    return own


def _typed_login(url: ServerURL, parent: QWidget | None) -> tuple[Store, User] | None:
    """The server refused the URL as given: ask for the user's own login and password."""
    username, ok = QInputDialog.getText(
        parent, _t("Sign in to the team server"), _t("Username"), text=last_username() or ""
    )
    if not ok or not username.strip():
        return None
    password, ok = QInputDialog.getText(
        parent, _t("Sign in to the team server"), _t("Password"), QLineEdit.EchoMode.Password
    )
    if not ok:
        return None
    try:
        store = open_store(url.with_login(username.strip(), password), create=False)
        return store, authenticate(store, username.strip(), password)
    except UserError as exc:
        refuse(parent, str(exc))
        return None


def sign_in_on_server(
    url: Location, store: Store | None = None, parent: QWidget | None = None
) -> tuple[Store, User] | None:
    """The store (as the signed-in user's login) and user; None when cancelled or refused."""
    assert isinstance(url, ServerURL)
    if store is None:
        try:
            store = open_store(url)
        except UserError:
            signed = _typed_login(url, parent)
            if signed is not None:
                remember_username(signed[1].username)
            return signed
    dialog: FirstChairDialog | SignInDialog
    if not list_users(store):
        dialog = FirstChairDialog(store, parent)
    else:
        dialog = SignInDialog(store, last_username(), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        store.close()
        return None
    user = dialog.user
    try:
        store = as_login(store, url, user, dialog.password.text())
    except UserError as exc:
        store.close()
        refuse(parent, str(exc))
        return None
    remember_username(user.username)
    return store, user
