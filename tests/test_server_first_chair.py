"""The first chair of a team database made without `server init` (issue 19): with
`mdt-app user add` or the window's first-chair dialog on an empty server database. The
server's roles are set up first, as `server init` does, so it enforces who may do what
from the first account on (before, such a database enforced nothing); a login that may
not create roles is told in one line who can set it up, and no account is made."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mdt_app.cli import main
from mdt_app.errors import StoreError
from mdt_app.security.users import get_user, list_users, sign_in
from mdt_app.store import open_store
from mdt_app.store.pg.roles import roles_enforced
from tests import store_helpers as h

LEAD, NINA = "fc_lead", "fc_nina"
PASSWORDS = {LEAD: "first chair password", NINA: "first nurse password"}
DB = "team_first_chair"
OWNER = "fc_owner"  # a database owner who may not create roles


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty_team(pg_cluster) -> Iterator[str]:
    """An empty database on the cluster (its superuser's URL); roles dropped after."""
    from mdt_app.store.pg.open import close_pools

    pg_cluster.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    pg_cluster.admin(f"CREATE DATABASE {DB}")
    yield pg_cluster.url(DB)
    close_pools()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    groups = [f"{DB}_{r}" for r in ("chair", "member", "nurse", "administrator")]
    for role in [*PASSWORDS, OWNER, *groups]:
        pg_cluster.admin(f'DROP ROLE IF EXISTS "{role}"')


def test_user_add_of_the_first_chair_makes_the_server_enforce_the_roles(
    capsys, empty_team, pg_cluster, monkeypatch
):
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS[LEAD])
    code, _, err = run(capsys, "user", "add", LEAD, "--name", "Dr Lead", "--db", empty_team)
    assert code == 0, err
    lead_url = pg_cluster.url(DB, LEAD, PASSWORDS[LEAD])
    monkeypatch.setenv("MDT_APP_PASSWORD", PASSWORDS[LEAD])
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS[NINA])
    code, _, err = run(capsys, "user", "add", NINA, "--name", "Nina", "--role", "nurse",
                       "--db", lead_url, "--as", LEAD)  # fmt: skip
    assert code == 0, err  # the chair on his own server login adds the nurse
    with open_store(empty_team) as store:
        assert roles_enforced(store)
        _, _, draft = h.meeting_with_draft(store)
    with open_store(pg_cluster.url(DB, NINA, PASSWORDS[NINA])) as nurse:
        sign_in(nurse, get_user(nurse, LEAD))  # a client claiming she is the chair
        nurse.confirmed_signer = get_user(nurse, LEAD).id
        with pytest.raises(StoreError, match="refused by the server"):
            nurse.sign_decision(draft.id, "Dr Lead")


def test_a_first_chair_by_a_login_that_may_not_create_roles_is_one_line(
    capsys, empty_team, pg_cluster, monkeypatch
):
    pg_cluster.admin(f"CREATE ROLE {OWNER} LOGIN PASSWORD 'owner password'")
    pg_cluster.admin(f"ALTER DATABASE {DB} OWNER TO {OWNER}")
    owner_url = pg_cluster.url(DB, OWNER, "owner password")
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS[LEAD])
    code, out, err = run(capsys, "user", "add", LEAD, "--name", "Dr Lead", "--db", owner_url)
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "mdt-app server init URL --chair USERNAME" in err and "owner password" not in err
    with open_store(empty_team) as store:
        assert list_users(store) == [] and not roles_enforced(store)


def test_the_windows_first_chair_dialog_on_a_server_signs_in_on_the_chairs_own_login(
    qtbot, empty_team, monkeypatch
):
    from mdt_app.paths import ServerURL
    from ui.server_sign_in import sign_in_on_server
    from ui.sign_in import FirstChairDialog

    def fill(dialog):
        dialog.username.setText(LEAD)
        dialog.name.setText("Dr Lead")
        dialog.password.setText(PASSWORDS[LEAD])
        dialog.repeat.setText(PASSWORDS[LEAD])
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FirstChairDialog, "exec", fill)
    signed = sign_in_on_server(ServerURL(empty_team))
    assert signed is not None
    store, user = signed
    assert user.username == LEAD and user.role == "chair"
    assert store.query("SELECT session_user AS who")[0]["who"] == LEAD  # his own login
    assert roles_enforced(store)
    store.close()
