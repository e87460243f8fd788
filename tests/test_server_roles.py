"""The server enforces who may do what: three clients on one team database (the chair
signing as the window signs, a nurse printing on the command line, an administrator
exporting minutes), each attributed to its own server login; a nurse's or a member's
attempt to sign is refused by the server itself, whatever the client claims."""

from __future__ import annotations

import psycopg
import pytest

from mdt_app import domain as d
from mdt_app.cli import main
from mdt_app.errors import StoreError
from mdt_app.security.signing import sign_off
from mdt_app.security.users import get_user, sign_in
from mdt_app.store import open_store
from mdt_app.store.pg.roles import scram_verifier
from tests import store_helpers as h

PASSWORDS = {
    "lead": "lead chair password",
    "nina": "nina nurse password",
    "adam": "adam admin password",
    "mo": "mo member password",
}


def run(capsys, *argv: str, env: dict[str, str] | None = None, monkeypatch=None):
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team(pg_cluster, capsys, monkeypatch):
    """A team database set up with `server init`; the chair adds a nurse, an
    administrator and a member. Yields {login: URL as that login}."""
    from mdt_app.paths import ServerURL
    from mdt_app.store.pg.open import close_pool

    name = "team_roles"
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_cluster.admin(f"CREATE DATABASE {name}")
    owner_url = pg_cluster.url(name)
    monkeypatch.setenv("MDT_APP_PASSWORD", PASSWORDS["lead"])
    assert main(["server", "init", owner_url, "--chair", "lead", "--name", "Dr Lead"]) == 0
    urls = {u: pg_cluster.url(name, u, pw) for u, pw in PASSWORDS.items()}
    for username, role in (("nina", "nurse"), ("adam", "administrator"), ("mo", "member")):
        monkeypatch.setenv("MDT_APP_NEW_PASSWORD", PASSWORDS[username])
        code = main(
            ["user", "add", username, "--db", urls["lead"], "--as", "lead",
             "--name", username.title(), "--role", role]
        )  # fmt: skip
        assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    yield {"owner": owner_url, **urls}
    for url in [owner_url, *urls.values()]:
        close_pool(ServerURL(url))
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    for login in PASSWORDS:
        pg_cluster.admin(f"DROP ROLE IF EXISTS {login}")
    for role in ("chair", "member", "nurse", "administrator"):
        pg_cluster.admin(f"DROP ROLE IF EXISTS {name}_{role}")


def _entries(url: str, action: str) -> list[dict]:
    with open_store(url) as store:
        return store.query(
            "SELECT actor, role, authenticated, db_user FROM audit_log WHERE action = ?"
            " ORDER BY id",
            [action],
        )


def test_three_clients_each_attributed_and_a_nurse_cannot_sign(team, tmp_path, capsys, monkeypatch):
    # The chair prepares and signs on their own login, through the window's sign-off path.
    with open_store(team["lead"]) as chair_store:
        sign_in(chair_store, get_user(chair_store, "lead"))
        meeting_id, item, draft = h.meeting_with_draft(chair_store)
        signed = sign_off(chair_store, draft.id, "lead", PASSWORDS["lead"])
        second_case, _ = chair_store.import_case(
            d.Case(patient=d.Patient("T-2", "Second", "Patient"))
        )
        second_item = chair_store.add_to_agenda(meeting_id, second_case)
        second = chair_store.save_draft(h.signable_draft(second_item))
    assert signed.is_signed
    # The nurse prints the care programme of that decision on the ward.
    password_file = tmp_path / "nina.pw"
    password_file.write_text(PASSWORDS["nina"])
    code, out, err = run(
        capsys, "care-programme", item.case_id, "-o", tmp_path / "programme.pdf",
        "--db", team["nina"], "--as", "nina", "--password-file", password_file,
    )  # fmt: skip
    assert code == 0, err
    # The administrator exports the minutes in the office.
    password_file = tmp_path / "adam.pw"
    password_file.write_text(PASSWORDS["adam"])
    code, out, err = run(
        capsys, "minutes", meeting_id, "-o", tmp_path / "minutes.pdf",
        "--db", team["adam"], "--as", "adam", "--password-file", password_file,
    )  # fmt: skip
    assert code == 0, err
    # Each is attributed to its own app role and, by the server, to its own login.
    (signing,) = _entries(team["owner"], "sign_decision")
    assert (signing["actor"], signing["role"], signing["db_user"]) == ("lead", "chair", "lead")
    printed = [e for e in _entries(team["owner"], "save_care_programme")]
    assert printed and {(e["role"], e["db_user"]) for e in printed} == {("nurse", "nina")}
    exported = _entries(team["owner"], "export_minutes")
    assert exported and {(e["role"], e["db_user"]) for e in exported} == {("administrator", "adam")}
    # A nurse's client that claims to be the chair (a tampered program) is refused by
    # the server: the nurse's login may not change decisions at all.
    with open_store(team["nina"]) as nurse_store:
        sign_in(nurse_store, get_user(nurse_store, "lead"))
        nurse_store.confirmed_signer = get_user(nurse_store, "lead").id
        with pytest.raises(StoreError, match="refused by the server"):
            nurse_store.sign_decision(second.id, "Dr Lead")
    # So is a member's, by the sign-off rule in the database (members may edit drafts).
    with open_store(team["mo"]) as member_store:
        sign_in(member_store, get_user(member_store, "lead"))
        member_store.confirmed_signer = get_user(member_store, "lead").id
        with pytest.raises(StoreError, match="only chairs sign decisions"):
            member_store.sign_decision(second.id, "Dr Lead")
    with psycopg.connect(team["nina"], autocommit=True) as raw:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE decisions SET status = 'signed' WHERE id = %s", [second.id])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE users SET role = 'chair' WHERE username = 'nina'")
    with open_store(team["owner"]) as store:
        assert store.get_decision(second.id).status == "draft"
        assert not [e for e in store.audit_log() if e.action == "sign_decision"][1:]


def test_the_audit_login_cannot_be_forged_by_the_client(team):
    with psycopg.connect(team["mo"], autocommit=True) as raw:
        last = raw.execute(
            "SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
    with open_store(team["mo"]) as store, store.atomic():
        store.db.execute("SELECT 1")
    from mdt_app.security import audit_chain

    entry = {
        "id": last[0] + 1, "at": "2026-12-02T00:00:00+00:00", "actor": "lead", "role": "chair",
        "authenticated": 1, "action": "probe", "entity": "test", "entity_id": None,
        "details": "{}", "signed_hash": None, "prev_hash": last[1],
    }  # fmt: skip
    entry["entry_hash"] = audit_chain.entry_hash(entry["prev_hash"], entry)
    with psycopg.connect(team["mo"], autocommit=True) as raw:
        columns = ", ".join([*entry, "db_user"])
        marks = ", ".join(["%s"] * (len(entry) + 1))
        raw.execute(
            f"INSERT INTO audit_log ({columns}) VALUES ({marks})", [*entry.values(), "lead"]
        )
        stored = raw.execute("SELECT actor, db_user FROM audit_log WHERE id = %s", [entry["id"]])
        assert stored.fetchone() == ("lead", "mo")  # the client said lead; the server knows


def test_logins_have_scram_passwords_and_disabled_users_cannot_connect(
    team, pg_cluster, capsys, monkeypatch
):
    with psycopg.connect(team["owner"], autocommit=True) as raw:
        secret = raw.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'nina'").fetchone()
    assert secret[0].startswith("SCRAM-SHA-256$4096:")
    with psycopg.connect(team["nina"]) as ok:
        assert ok.execute("SELECT session_user").fetchone() == ("nina",)
    monkeypatch.setenv("MDT_APP_PASSWORD", PASSWORDS["adam"])
    code = main(["user", "disable", "nina", "--db", team["adam"], "--as", "adam"])
    assert code == 0, capsys.readouterr().err
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(team["nina"]).close()
    wrong = pg_cluster.url("team_roles", "mo", "not the password")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong).close()


def test_scram_verifier_matches_the_servers_own(pg_cluster):
    salt = b"0123456789abcdef"
    mine = scram_verifier("pässword", salt=salt)
    assert mine.startswith("SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$")
    pg_cluster.admin(f"CREATE ROLE scram_probe LOGIN PASSWORD '{mine}'")
    try:
        url = pg_cluster.url("postgres", "scram_probe", "pässword")
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT session_user").fetchone() == ("scram_probe",)
    finally:
        pg_cluster.admin("DROP ROLE scram_probe")
