"""The window's sign-in on a team server when the login goes wrong (issue 19): an app
account whose server login was never made (it was added before the server enforced
roles), and a server that refuses the URL as given, so the window asks for a username
and password, which are wrong. One line in a message box each, never a traceback, and
no store left open."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QInputDialog

from mdt_app.paths import ServerURL
from mdt_app.security.users import add_user, get_user, sign_in
from mdt_app.store import open_store
from ui import server_sign_in
from ui.sign_in import SignInDialog

CHAIR, LATE = "fb_chair", "fb_late"
PASSWORDS = {CHAIR: "fallback chair password", LATE: "fallback late password"}


@pytest.fixture
def team(pg_cluster, pg_url):
    """Two app accounts made before the server enforced roles; then the roles are set
    up and only the chair is given a server login."""
    from mdt_app.store.pg.open import close_pools
    from mdt_app.store.pg.roles import save_login, set_up_server_roles

    with open_store(pg_url) as store:
        add_user(store, CHAIR, "Dr Chair", "chair", PASSWORDS[CHAIR])
        sign_in(store, get_user(store, CHAIR))
        add_user(store, LATE, "Dr Late", "member", PASSWORDS[LATE])
        groups = set_up_server_roles(store)
        with store.atomic():
            save_login(store, CHAIR, "chair", PASSWORDS[CHAIR])
    yield pg_url
    close_pools()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {ServerURL(pg_url).name} WITH (FORCE)")
    for role in [*PASSWORDS, *groups]:
        pg_cluster.admin(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def refused(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(server_sign_in, "refuse", lambda parent, why: said.append(why))
    return said


def _sign_in_as(monkeypatch, username: str) -> None:
    def choose(dialog):
        dialog.who.setCurrentIndex(dialog.who.findData(username))
        dialog.password.setText(PASSWORDS[username])
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignInDialog, "exec", choose)


def test_an_account_without_a_server_login_is_one_line_saying_what_to_do(
    qtbot, team, refused, monkeypatch
):
    _sign_in_as(monkeypatch, LATE)
    assert server_sign_in.sign_in_on_server(ServerURL(team)) is None
    (why,) = refused
    assert "cannot connect to the server" in why and "\n" not in why
    assert f"your server login {LATE} must exist with your app password" in why
    assert "Set password" in why and PASSWORDS[LATE] not in why
    # Once a chair sets it (the Users dialog's Set password), the same sign-in works.
    with open_store(team) as store:
        sign_in(store, get_user(store, CHAIR))
        from mdt_app.security.users import set_password

        set_password(store, LATE, PASSWORDS[LATE])
    signed = server_sign_in.sign_in_on_server(ServerURL(team))
    assert signed is not None
    store, user = signed
    assert store.query("SELECT session_user AS who")[0]["who"] == LATE
    store.close()


def test_a_typed_login_the_server_refuses_is_one_line(
    qtbot, team, pg_cluster, refused, monkeypatch
):
    answers = iter([(CHAIR, True), ("not the password", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    without_login = ServerURL(pg_cluster.url(ServerURL(team).name, "fb_nobody", "x"))
    assert server_sign_in.sign_in_on_server(without_login) is None
    (why,) = refused
    assert "cannot connect to the server" in why and "\n" not in why
    assert "not the password" not in why and "Traceback" not in why
