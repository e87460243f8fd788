"""A database copied onto a team server with `migrate-db` gets what `server init` and
`user add` would have given it (issue 19): the group roles, and each active account's
own server login in the group of its role. The server cannot use the app's Argon2
hashes, so the command names the logins still without a server password and how each
sets it; once set, a migrated nurse signs in on her own login and the server itself
refuses her signing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mdt_app.cli import main
from mdt_app.errors import StoreError
from mdt_app.security.signing import sign_off
from mdt_app.security.users import get_user, sign_in
from mdt_app.store import open_store
from tests import store_helpers as h

PASSWORDS = {"mg_lead": "migrated chair password", "mg_nina": "migrated nurse password"}
GONE = "mg_gone"  # a disabled account: no login on the server


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team_file(tmp_path, capsys, monkeypatch):
    """A team's database file: a chair, a nurse, a disabled member, a draft to sign."""
    db = tmp_path / "team.db"
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS["mg_lead"])
    assert run(capsys, "user", "add", "mg_lead", "--db", db, "--name", "Dr Lead")[0] == 0
    monkeypatch.setenv("MDT_APP_PASSWORD", PASSWORDS["mg_lead"])
    for username, role in (("mg_nina", "nurse"), (GONE, "member")):
        monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS.get(username, "a gone password"))
        code, _, err = run(
            capsys, "user", "add", username, "--db", db, "--as", "mg_lead",
            "--name", username.title(), "--role", role,
        )  # fmt: skip
        assert code == 0, err
    assert run(capsys, "user", "disable", GONE, "--db", db, "--as", "mg_lead")[0] == 0
    with open_store(db) as store:
        sign_in(store, get_user(store, "mg_lead"))
        _, item, draft = h.meeting_with_draft(store)
    monkeypatch.delenv("MDT_APP_PASSWORD")
    monkeypatch.delenv("MDT_APP_NEW_PASSWORD")
    return db, draft.id


@pytest.fixture
def server_db(pg_cluster) -> Iterator[tuple[str, str]]:
    """An empty database on the test cluster; (its name, its owner's URL). The logins
    and groups the test makes are dropped after it."""
    from mdt_app.paths import ServerURL
    from mdt_app.store.pg.open import close_pool, close_pools

    name = "team_migrated"
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_cluster.admin(f"CREATE DATABASE {name}")
    yield name, pg_cluster.url(name)
    close_pool(ServerURL(pg_cluster.url(name)))
    close_pools()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    for role in [
        *PASSWORDS,
        GONE,
        *(f"{name}_{r}" for r in ("chair", "member", "nurse", "administrator")),
    ]:
        pg_cluster.admin(f'DROP ROLE IF EXISTS "{role}"')


def test_migrated_accounts_get_their_logins_and_a_migrated_nurse_cannot_sign(
    capsys, team_file, server_db, pg_cluster, monkeypatch
):
    db, draft_id = team_file
    name, owner = server_db
    code, out, err = run(capsys, "migrate-db", "--from", db, "--to", owner)
    assert code == 0, err
    assert "the copy verifies" in out
    assert "Server logins in their role groups: 1 chair (mg_lead), 1 nurse (mg_nina)" in out
    assert GONE not in out  # a disabled account is given no login
    told = next(line for line in out.splitlines() if line.startswith("No server password yet"))
    assert "mg_lead, mg_nina" in told and "mdt-app user passwd USERNAME --db" in told
    nina_url = pg_cluster.url(name, "mg_nina", PASSWORDS["mg_nina"])
    # Until her server password is set, her login is refused in one line, no trace.
    code, _, err = run(capsys, "cases", "--db", nina_url)
    assert code == 1 and "cannot connect to the server" in err and len(err.splitlines()) == 1
    assert PASSWORDS["mg_nina"] not in err
    # Each sets it once, through the connection the copy was made on (as the output says).
    for username, password in PASSWORDS.items():
        monkeypatch.setenv("MDT_APP_PASSWORD", password)
        monkeypatch.setenv("MDT_APP_NEW_PASSWORD", password)
        code, _, err = run(capsys, "user", "passwd", username, "--db", owner, "--as", username)
        assert code == 0, err
    # The nurse on her own login: reading works, and her signing is refused by the server,
    # even from a client that claims she is the chair.
    code, out, err = run(capsys, "cases", "--db", nina_url)
    assert code == 0, err
    with open_store(nina_url) as nurse_store:
        assert nurse_store.query("SELECT session_user AS who")[0]["who"] == "mg_nina"
        sign_in(nurse_store, get_user(nurse_store, "mg_lead"))
        nurse_store.confirmed_signer = get_user(nurse_store, "mg_lead").id
        with pytest.raises(StoreError, match="refused by the server"):
            nurse_store.sign_decision(draft_id, "Dr Lead")
    # The chair on his own login signs, attributed by the server to his login.
    lead_url = pg_cluster.url(name, "mg_lead", PASSWORDS["mg_lead"])
    with open_store(lead_url) as chair_store:
        sign_in(chair_store, get_user(chair_store, "mg_lead"))
        draft = chair_store.get_decision(draft_id)
        sign_off(chair_store, draft_id, "mg_lead", PASSWORDS["mg_lead"], version=draft.version)
    with open_store(owner) as store:
        (entry,) = store.query(
            "SELECT actor, role, db_user FROM audit_log WHERE action = 'sign_decision'"
        )
        assert (entry["actor"], entry["role"], entry["db_user"]) == ("mg_lead", "chair", "mg_lead")
        groups = store.query(
            "SELECT r.rolname AS login, g.rolname AS grp FROM pg_auth_members m"
            " JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid"
            " WHERE r.rolname IN ('mg_lead', 'mg_nina', 'mg_gone') ORDER BY 1"
        )
    assert [(g["login"], g["grp"]) for g in groups] == [
        ("mg_lead", f"{name}_chair"),
        ("mg_nina", f"{name}_nurse"),
    ]
    # `server roles` again (a DBA making sure): the same logins, passwords kept.
    code, out, err = run(capsys, "server", "roles", owner)
    assert code == 0, err
    assert "1 chair (mg_lead), 1 nurse (mg_nina)" in out and "No server password" not in out
    assert run(capsys, "cases", "--db", nina_url)[0] == 0


def test_a_login_that_may_not_create_roles_is_told_what_the_dba_runs(
    capsys, team_file, server_db, pg_cluster, monkeypatch
):
    db, _ = team_file
    name, owner = server_db
    assert run(capsys, "migrate-db", "--from", db, "--to", owner)[0] == 0
    monkeypatch.setenv("MDT_APP_PASSWORD", PASSWORDS["mg_nina"])
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS["mg_nina"])
    assert run(capsys, "user", "passwd", "mg_nina", "--db", owner, "--as", "mg_nina")[0] == 0
    nina_url = pg_cluster.url(name, "mg_nina", PASSWORDS["mg_nina"])
    code, out, err = run(capsys, "server", "roles", nina_url)
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "mdt-app server roles postgresql://" in err and PASSWORDS["mg_nina"] not in err
