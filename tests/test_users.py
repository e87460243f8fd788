"""Users, roles, Argon2 passwords, the chair's electronic signature and --as (issue 15)."""

from __future__ import annotations

import pytest

from mdt_app import domain as d
from mdt_app.cli import main
from mdt_app.errors import AuthenticationError, PermissionDenied, ValidationError
from mdt_app.security.demo_users import DEMO_CHAIR, DEMO_PASSWORD
from mdt_app.security.signing import sign_off
from mdt_app.security.users import (
    add_user,
    authenticate,
    disable_user,
    get_user,
    list_users,
    set_password,
    sign_in,
)
from tests.conftest import FIXTURES
from tests.db_state import db_digest, raw_rows
from tests.store_helpers import REFUSED_BY_DATABASE

CASE = FIXTURES / "import" / "valid_case.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def draft_of(store) -> d.Decision:
    row = store.query("SELECT id FROM decisions WHERE status = 'draft' LIMIT 1")[0]
    return store.get_decision(row["id"])


def test_first_user_must_be_a_chair_and_passwords_are_argon2(store):
    with pytest.raises(ValidationError, match="first user"):
        add_user(store, "nina", "Nina Nurse", "nurse", "long enough pw")
    chair = add_user(store, "chair1", "Dr Chair", "chair", "long enough pw", "surgeon")
    stored = store.query("SELECT password_hash FROM users")[0]["password_hash"]
    assert stored.startswith("$argon2id$") and "long enough pw" not in stored
    with pytest.raises(PermissionDenied):  # nobody signed in: cannot add more
        add_user(store, "nina", "Nina Nurse", "nurse", "long enough pw")
    sign_in(store, chair)
    add_user(store, "nina", "Nina Nurse", "nurse", "another long pw")
    with pytest.raises(ValidationError, match="taken"):
        add_user(store, "NINA", "Other", "member", "another long pw")
    with pytest.raises(ValidationError, match="at least"):
        add_user(store, "short", "S", "member", "short")
    assert [u.username for u in list_users(store)] == ["chair1", "nina"]


def test_authentication(demo_store):
    assert authenticate(demo_store, DEMO_CHAIR, DEMO_PASSWORD).role == "chair"
    with pytest.raises(AuthenticationError, match="wrong username or password"):
        authenticate(demo_store, DEMO_CHAIR, "not it")
    with pytest.raises(AuthenticationError, match="wrong username or password"):
        authenticate(demo_store, "nobody", DEMO_PASSWORD)


def test_only_managers_add_and_disable_and_last_chair_stays(demo_store):
    sign_in(demo_store, get_user(demo_store, "gosia"))  # a nurse
    with pytest.raises(PermissionDenied, match="a nurse cannot add users"):
        add_user(demo_store, "x", "X", "member", "long enough pw")
    sign_in(demo_store, get_user(demo_store, "coordinator"))
    with pytest.raises(ValidationError, match="last active chair"):
        disable_user(demo_store, DEMO_CHAIR)
    disable_user(demo_store, "bartek")
    with pytest.raises(AuthenticationError, match="disabled"):
        authenticate(demo_store, "bartek", DEMO_PASSWORD)
    with pytest.raises(REFUSED_BY_DATABASE, match="cannot be deleted"):
        demo_store.db.execute("DELETE FROM users WHERE username = 'bartek'")


def test_password_change_own_or_by_manager(demo_store):
    sign_in(demo_store, get_user(demo_store, "gosia"))
    set_password(demo_store, "gosia", "a new long password")
    assert authenticate(demo_store, "gosia", "a new long password")
    with pytest.raises(PermissionDenied):
        set_password(demo_store, "bartek", "a new long password")


def test_a_non_chair_cannot_sign(demo_store):
    draft = draft_of(demo_store)
    sign_in(demo_store, get_user(demo_store, "bartek"))
    with pytest.raises(PermissionDenied, match="only a chair"):
        demo_store.sign_decision(draft.id, "Dr Bartłomiej Żółkiewski")
    with pytest.raises(PermissionDenied, match="only a chair"):
        sign_off(demo_store, draft.id, "bartek", DEMO_PASSWORD)
    assert not demo_store.get_decision(draft.id).is_signed


def test_a_chair_must_reenter_the_password(demo_store):
    draft = draft_of(demo_store)
    sign_in(demo_store, get_user(demo_store, DEMO_CHAIR))  # signed in, but no re-entry
    with pytest.raises(PermissionDenied, match="password"):
        demo_store.sign_decision(draft.id, "Dr Inés Muñoz-Álvarez")
    assert not demo_store.get_decision(draft.id).is_signed


def test_wrong_password_at_sign_off_signs_nothing(demo_store):
    draft = draft_of(demo_store)
    entries = len(demo_store.audit_log())
    with pytest.raises(AuthenticationError):
        sign_off(demo_store, draft.id, DEMO_CHAIR, "wrong password")
    assert not demo_store.get_decision(draft.id).is_signed
    assert len(demo_store.audit_log()) == entries


def test_sign_off_records_the_electronic_signature(demo_store):
    from dataclasses import replace

    draft = draft_of(demo_store)
    draft = demo_store.save_draft(replace(draft, deviation_reason="Patient's informed choice"))
    signed = sign_off(demo_store, draft.id, DEMO_CHAIR, DEMO_PASSWORD)
    assert signed.is_signed and signed.signed_by == "Dr Inés Muñoz-Álvarez"
    entry = demo_store.audit_log("decision", draft.id)[-1]
    assert entry.action == "sign_decision"
    assert (entry.actor, entry.role, entry.authenticated) == (DEMO_CHAIR, "chair", True)
    assert entry.details["meaning"] == "approved as the MDT decision"
    assert entry.details["password_confirmed"] is True
    assert demo_store.actor != DEMO_CHAIR  # the store's own identity is put back


def test_cli_user_add_on_empty_table_creates_the_chair(db_location, tmp_path, capsys, monkeypatch):
    db = db_location
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", "first chair pw")
    code, out, err = run(capsys, "user", "add", "boss", "--name", "Dr Boss", "--db", str(db))
    assert code == 0, err
    assert out.split("\t")[2].strip() == "chair"
    code, _, err = run(
        capsys, "user", "add", "m1", "--name", "M", "--role", "member", "--db", str(db)
    )
    assert code == 1 and "sign in as a chair or administrator" in err
    pw = tmp_path / "pw"
    pw.write_text("first chair pw\n")
    code, _, err = run(
        capsys, "user", "add", "m1", "--name", "M", "--role", "member",
        "--as", "boss", "--password-file", str(pw), "--db", str(db),
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "user", "list", "--db", str(db))
    assert out.splitlines()[0].split("\t") == [
        "id", "username", "name", "specialty", "role", "active"
    ]  # fmt: skip
    assert len(out.splitlines()) == 3


def test_cli_writes_with_and_without_as(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LOGNAME", "dr.consultant")
    monkeypatch.setenv("USER", "dr.consultant")
    assert run(capsys, "import", str(CASE), "--db", str(demo_db))[0] == 0
    monkeypatch.setenv("MDT_APP_PASSWORD", DEMO_PASSWORD)
    other = FIXTURES / "import" / "two_cases.json"
    code, _, err = run(capsys, "import", str(other), "--db", str(demo_db), "--as", "bartek")
    assert code == 0, err
    rows = raw_rows(
        demo_db,
        "SELECT actor, role, authenticated FROM audit_log WHERE action = 'import_case'"
        " ORDER BY id DESC LIMIT 3",
    )
    assert ("bartek", "member", 1) in rows
    assert ("dr.consultant", None, 0) in rows  # the OS login, marked not authenticated


def test_cli_wrong_password_is_one_line_and_changes_nothing(demo_db, capsys, monkeypatch):
    monkeypatch.setenv("MDT_APP_PASSWORD", "wrong")
    before = db_digest(demo_db)
    code, _, err = run(capsys, "import", str(CASE), "--db", str(demo_db), "--as", DEMO_CHAIR)
    assert code == 1 and err.strip() == "mdt-app: error: wrong username or password"
    assert db_digest(demo_db) == before
    monkeypatch.delenv("MDT_APP_PASSWORD")
    code, _, err = run(capsys, "import", str(CASE), "--db", str(demo_db), "--as", DEMO_CHAIR)
    assert code == 1 and "--password-file" in err


def test_named_users_setting_refuses_unnamed_writes(demo_db, tmp_path, capsys, monkeypatch):
    pw = tmp_path / "pw"
    pw.write_text(DEMO_PASSWORD + "\n")
    as_admin = ("--as", "coordinator", "--password-file", str(pw))
    code, _, err = run(capsys, "user", "cli-named-users", "on", "--db", str(demo_db))
    assert code == 1  # only a manager may change it
    assert run(capsys, "user", "cli-named-users", "on", "--db", str(demo_db), *as_admin)[0] == 0
    # demo.db-wal holds the change until a checkpoint: compare the data, not the bytes
    before = raw_rows(demo_db, "SELECT count(*) FROM audit_log")[0][0]
    code, _, err = run(capsys, "import", str(CASE), "--db", str(demo_db))
    assert code == 1 and "requires named users on the command line" in err
    assert raw_rows(demo_db, "SELECT count(*) FROM audit_log")[0][0] == before
    assert run(capsys, "cases", "--db", str(demo_db))[0] == 0  # reads need no user
    other = FIXTURES / "import" / "two_cases.json"
    code, _, err = run(capsys, "import", str(other), "--db", str(demo_db), *as_admin)
    assert code == 0, err
