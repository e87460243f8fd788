"""Encryption at rest with SQLCipher (issue 15): new encrypted databases, encrypt in
place, plain copies, encrypted WAL and backups, wrong passphrases."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mdt_app.cli import main
from mdt_app.errors import StoreError
from mdt_app.security import session_keys
from mdt_app.store import open_store
from tests.db_state import db_digest

PASSPHRASE = "correct horse battery staple"
NAME = b"Kowalska"  # a demo patient's family name


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    """The encrypted file's bytes: see ``db_digest``."""
    return db_digest(path)


@pytest.fixture
def passphrase_file(tmp_path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def encrypted_demo(tmp_path, passphrase_file, capsys) -> Path:
    db = tmp_path / "enc.db"
    code, _, err = run(
        capsys, "demo", "--db", str(db), "--encrypted", "--passphrase-file", str(passphrase_file)
    )
    assert code == 0, err
    session_keys.forget(db)
    return db


def test_new_encrypted_demo_works_and_verifies(encrypted_demo, passphrase_file, capsys):
    key = ("--passphrase-file", str(passphrase_file))
    code, out, err = run(capsys, "cases", "--db", str(encrypted_demo), *key)
    assert code == 0, err and "Kowalska" in out
    assert run(capsys, "verify", "--db", str(encrypted_demo), *key)[0] == 0
    assert NAME not in encrypted_demo.read_bytes()
    assert stat.S_IMODE(encrypted_demo.stat().st_mode) == 0o600


def test_database_wal_and_backup_hold_no_patient_name(encrypted_demo, tmp_path, capsys):
    store = open_store(encrypted_demo, passphrase=PASSPHRASE)
    store.set_setting("centre", {"name": "Ana Kowalska memorial ward"})  # into the WAL
    wal = encrypted_demo.with_name(encrypted_demo.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    from mdt_app.security.backup import backup_database

    backup = backup_database(store, tmp_path / "backup.db")
    for path in (encrypted_demo, wal, backup):
        assert NAME not in path.read_bytes(), path
    store.close()
    with open_store(backup, passphrase=PASSPHRASE) as copy:
        assert copy.get_setting("centre")["name"].startswith("Ana Kowalska")
    with pytest.raises(StoreError, match="it is encrypted"):
        open_store(backup)


CASE = str(Path(__file__).parent / "fixtures" / "import" / "valid_case.json")


@pytest.mark.parametrize("command", [("cases",), ("verify",), ("import", CASE)])
def test_wrong_passphrase_is_one_line_and_file_unchanged(encrypted_demo, tmp_path, capsys, command):
    bad = tmp_path / "bad.txt"
    bad.write_text("not the passphrase\n")
    before = digest(encrypted_demo)
    code, out, err = run(capsys, *command, "--db", str(encrypted_demo), "--passphrase-file",
                         str(bad))  # fmt: skip
    assert code == 1 and "wrong passphrase" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and digest(encrypted_demo) == before
    code, _, err = run(capsys, *command, "--db", str(encrypted_demo))
    assert code == 1 and "it is encrypted" in err
    assert digest(encrypted_demo) == before


def test_encrypt_in_place_then_decrypt_copy(demo_file, tmp_path, passphrase_file, capsys):
    key = ("--passphrase-file", str(passphrase_file))
    assert NAME in demo_file.read_bytes()
    code, out, err = run(capsys, "encrypt", "--db", str(demo_file), *key)
    assert code == 0, err
    assert NAME not in demo_file.read_bytes()
    assert not demo_file.with_name("demo.db-wal").exists() or NAME not in (
        demo_file.with_name("demo.db-wal").read_bytes()
    )
    assert run(capsys, "verify", "--db", str(demo_file), *key)[0] == 0
    with open_store(demo_file, passphrase=PASSPHRASE) as s:
        assert s.audit_log()[-1].action == "encrypt_database"
        cases = len(s.list_cases())
    plain = tmp_path / "plain.db"
    code, out, err = run(capsys, "decrypt", "-o", str(plain), "--db", str(demo_file), *key)
    assert code == 0, err
    assert NAME in plain.read_bytes() and stat.S_IMODE(plain.stat().st_mode) == 0o600
    with open_store(plain) as s:
        assert len(s.list_cases()) == cases
    code, _, err = run(capsys, "decrypt", "-o", str(plain), "--db", str(demo_file), *key)
    assert code == 1 and "--force" in err


def test_encrypt_refusals(demo_file, encrypted_demo, passphrase_file, capsys):
    code, _, err = run(capsys, "encrypt", "--db", str(demo_file))
    assert code == 1 and "passphrase is needed" in err
    before = digest(encrypted_demo)
    code, _, err = run(capsys, "encrypt", "--db", str(encrypted_demo), "--passphrase-file",
                       str(passphrase_file))  # fmt: skip
    assert code == 1 and "already encrypted" in err and digest(encrypted_demo) == before


@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
def test_encryption_on_a_team_server_is_one_line_and_changes_nothing(
    pg_demo_url, tmp_path, passphrase_file, capsys, command
):
    """SQLCipher encrypts a file; a team server protects its data itself (TLS, disk)."""
    before = db_digest(pg_demo_url)
    out = ("-o", str(tmp_path / "plain.db")) if command == "decrypt" else ()
    code, _, err = run(capsys, command, *out, "--db", pg_demo_url,
                       "--passphrase-file", str(passphrase_file))  # fmt: skip
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "not on a server" in err and "TLS" in err
    assert db_digest(pg_demo_url) == before and not (tmp_path / "plain.db").exists()


def test_wrong_passphrase_for_decrypt_writes_nothing(encrypted_demo, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("nope\n")
    out = tmp_path / "plain.db"
    code, _, err = run(capsys, "decrypt", "-o", str(out), "--db", str(encrypted_demo),
                       "--passphrase-file", str(bad))  # fmt: skip
    assert code == 1 and "wrong passphrase" in err and not out.exists()


def test_encrypted_backup_restores(encrypted_demo, tmp_path, passphrase_file, capsys):
    key = ("--passphrase-file", str(passphrase_file))
    backup = tmp_path / "b.db"
    assert run(capsys, "backup", "-o", str(backup), "--db", str(encrypted_demo), *key)[0] == 0
    target = tmp_path / "restored.db"
    code, _, err = run(capsys, "restore", str(backup), "--db", str(target), *key)
    assert code == 0, err
    assert run(capsys, "verify", "--db", str(target), *key)[0] == 0
    assert NAME not in target.read_bytes()


def test_the_passphrase_is_not_written_anywhere(encrypted_demo, tmp_path, capsys):
    with open_store(encrypted_demo, passphrase=PASSPHRASE) as s:
        s.set_setting("centre", {"name": "x"})
    secret = PASSPHRASE.encode()
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "passphrase.txt":
            assert secret not in path.read_bytes(), path
