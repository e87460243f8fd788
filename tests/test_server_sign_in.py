"""Signing in to a team server on the command line when something is wrong with the
login (issue 19): a server login that does not exist, a wrong server password, a wrong
app password, a login the server rejects, a server that does not offer SCRAM when the
client asks for it. Each is one line naming the problem, never a traceback, never the
password."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mdt_app.cli import main

LEAD, NINA = "si_lead", "si_nina"
PASSWORDS = {LEAD: "sign-in chair password", NINA: "sign-in nurse password"}
DB = "team_sign_in"


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team(pg_cluster, capsys, monkeypatch) -> Iterator[dict[str, str]]:
    """`server init` with a chair, who adds a nurse; {login: URL as that login}."""
    from mdt_app.store.pg.open import close_pools

    pg_cluster.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    pg_cluster.admin(f"CREATE DATABASE {DB}")
    monkeypatch.setenv("MDT_APP_PASSWORD", PASSWORDS[LEAD])
    assert main(["server", "init", pg_cluster.url(DB), "--chair", LEAD]) == 0
    urls = {u: pg_cluster.url(DB, u, pw) for u, pw in PASSWORDS.items()}
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS[NINA])
    code = main(["user", "add", NINA, "--db", urls[LEAD], "--as", LEAD,
                 "--name", "Nina", "--role", "nurse"])  # fmt: skip
    assert code == 0
    monkeypatch.delenv("MDT_APP_PASSWORD")
    capsys.readouterr()
    yield urls
    close_pools()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    for role in [*PASSWORDS, *(f"{DB}_{r}" for r in ("chair", "member", "nurse", "administrator"))]:
        pg_cluster.admin(f'DROP ROLE IF EXISTS "{role}"')


def _one_line(code: int, err: str, *words: str) -> None:
    assert code == 1 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    for password in PASSWORDS.values():
        assert password not in err


def test_a_login_the_server_does_not_have_is_one_line(capsys, team, pg_cluster):
    code, _, err = run(capsys, "cases", "--db", pg_cluster.url(DB, "si_ghost", "any password"))
    _one_line(code, err, "cannot connect to the server", "si_ghost")


def test_a_wrong_server_password_is_one_line(capsys, team, pg_cluster):
    code, _, err = run(capsys, "cases", "--db", pg_cluster.url(DB, NINA, "not her password"))
    _one_line(code, err, "cannot connect to the server", "password authentication failed")


def test_a_wrong_app_password_is_one_line(capsys, team, monkeypatch):
    monkeypatch.setenv("MDT_APP_PASSWORD", "not her app password")
    code, _, err = run(capsys, "care-programme", "1", "-o", "x.pdf", "--db", team[NINA],
                       "--as", NINA)  # fmt: skip
    _one_line(code, err, "wrong username or password")


def test_a_disabled_account_cannot_reach_the_server(capsys, team, monkeypatch):
    monkeypatch.setenv("MDT_APP_PASSWORD", PASSWORDS[LEAD])
    assert run(capsys, "user", "disable", NINA, "--db", team[LEAD], "--as", LEAD)[0] == 0
    code, _, err = run(capsys, "cases", "--db", team[NINA])
    _one_line(code, err, "cannot connect to the server")


@pytest.fixture
def hba_line(pg_cluster):
    """Put one rule first in the test cluster's pg_hba.conf (undone after the test)."""
    hba = pg_cluster.data / "pg_hba.conf"
    original = hba.read_text()

    def put(line: str) -> None:
        hba.write_text(line + "\n" + original)
        pg_cluster.admin("SELECT pg_reload_conf()")

    yield put
    hba.write_text(original)
    pg_cluster.admin("SELECT pg_reload_conf()")


def test_a_login_the_server_rejects_is_one_line(capsys, team, hba_line):
    hba_line(f"local all {NINA} reject")
    code, _, err = run(capsys, "cases", "--db", team[NINA])
    _one_line(code, err, "cannot connect to the server", "pg_hba.conf rejects")


def test_a_server_that_does_not_offer_scram_is_refused_when_scram_is_required(
    capsys, team, hba_line
):
    hba_line(f"local all {NINA} password")  # the password in clear, not SCRAM
    code, _, err = run(capsys, "cases", "--db", team[NINA] + "&require_auth=scram-sha-256")
    _one_line(code, err, "cannot connect to the server", "scram-sha-256")
