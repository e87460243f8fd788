"""`--encrypted` on every command that can create the database: import, meeting create,
user add (demo has its own test in test_encryption.py)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from mdt_app.cli import main
from mdt_app.security import session_keys
from mdt_app.store import open_store
from tests.conftest import FIXTURES

PASSPHRASE = "another correct horse"
CASE = FIXTURES / "import" / "valid_case.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def key(tmp_path) -> tuple[str, str]:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return ("--passphrase-file", str(path))


CREATORS = {
    "import": ["import", str(CASE)],
    "meeting create": [
        "meeting",
        "create",
        "--date",
        "2026-12-09",
        "--title",
        "MDT",
        "--chair",
        "Dr A",
    ],  # fmt: skip
    "user add": ["user", "add", "chair1", "--name", "Dr Chair"],
}


def _is_plain_sqlite(path: Path) -> bool:
    return path.read_bytes()[:16] == b"SQLite format 3\x00"


@pytest.mark.parametrize("command", list(CREATORS))
def test_a_new_database_is_created_encrypted(tmp_path, key, capsys, monkeypatch, command):
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", "a long enough password 1")
    db = tmp_path / "new.db"
    code, _, err = run(capsys, *CREATORS[command], "--db", str(db), "--encrypted", *key)
    assert code == 0, err
    session_keys.forget(db)
    assert db.exists() and not _is_plain_sqlite(db)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchall()
    with open_store(db, passphrase=PASSPHRASE, create=False) as store:
        assert store.db.execute("SELECT count(*) FROM meetings").fetchone() is not None
    session_keys.forget(db)


@pytest.mark.parametrize("command", list(CREATORS))
def test_encrypted_without_a_passphrase_creates_nothing(tmp_path, capsys, monkeypatch, command):
    monkeypatch.delenv("MDT_APP_PASSPHRASE", raising=False)
    monkeypatch.setenv("MDT_APP_NEW_PASSWORD", "a long enough password 1")
    db = tmp_path / "new.db"
    code, _, err = run(capsys, *CREATORS[command], "--db", str(db), "--encrypted")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "passphrase" in err
    assert not db.exists()


def test_encrypted_on_an_existing_plain_database_is_refused(tmp_path, key, capsys):
    db = tmp_path / "plain.db"
    open_store(db, actor="t").close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    code, _, err = run(capsys, *CREATORS["meeting create"], "--db", str(db), "--encrypted", *key)
    assert code == 1 and "mdt-app encrypt" in err and len(err.strip().splitlines()) == 1
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_encrypted_on_an_existing_encrypted_database_just_uses_it(tmp_path, key, capsys):
    db = tmp_path / "enc.db"
    assert run(capsys, *CREATORS["meeting create"], "--db", str(db), "--encrypted", *key)[0] == 0
    code, out, err = run(capsys, *CREATORS["meeting create"], "--db", str(db), "--encrypted", *key)
    assert code == 0, err
    session_keys.forget(db)
