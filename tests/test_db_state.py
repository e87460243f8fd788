"""tests/db_state.py ``db_digest``: the one "database untouched" check of the suite, in
its two meanings (the file alone, or the file and every companion beside it)."""

from __future__ import annotations

import sqlite3

from tests import backend_helpers
from tests.db_state import db_digest


def _file(tmp_path):
    db = tmp_path / "mdt.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return db


def test_a_change_of_the_file_is_seen_in_both_meanings(tmp_path):
    db = _file(tmp_path)
    before, strict = db_digest(db), db_digest(db, companions=True)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()
    assert db_digest(db) != before
    assert db_digest(db, companions=True) != strict


def test_only_the_stricter_meaning_sees_a_companion_appear_or_change(tmp_path):
    db = _file(tmp_path)
    before, strict = db_digest(db), db_digest(db, companions=True)
    (tmp_path / "mdt.db.users").touch()  # the presence file an open makes
    assert db_digest(db) == before
    assert db_digest(db, companions=True) != strict
    strict = db_digest(db, companions=True)
    (tmp_path / "mdt.db-wal").write_bytes(b"a write left in the WAL")
    assert db_digest(db) == before
    assert db_digest(db, companions=True) != strict
    strict = db_digest(db, companions=True)
    (tmp_path / "other.db").write_bytes(b"another database")  # not a companion
    assert db_digest(db, companions=True) == strict


def test_the_backend_helpers_digest_is_the_stricter_meaning(tmp_path):
    db = _file(tmp_path)
    (tmp_path / "mdt.db.users").touch()
    assert backend_helpers.digest(db) == db_digest(db, companions=True)
    assert backend_helpers.state(db) == db_digest(db, companions=True)
    assert backend_helpers.state(tmp_path / "never.db") is None
