"""`user_version`: a database from a newer build is refused in one line, untouched."""

from __future__ import annotations

import sqlite3

import pytest

from mdt_app.errors import StoreError
from mdt_app.store import open_store
from mdt_app.store.schema_version import known_version
from tests.db_state import db_digest


def _digest(path) -> str:
    """The file's bytes: see ``db_digest``."""
    return db_digest(path)


def _set_version(path, version: int) -> None:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "mdt.db"
    open_store(path, actor="t").close()
    return path


def test_a_new_database_records_the_version_this_build_knows(db_path):
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == known_version() > 0
    con.close()


def test_an_older_unversioned_database_is_brought_up_to_date(db_path):
    _set_version(db_path, 0)  # files written before the version was recorded
    with open_store(db_path, actor="t") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == 0  # nothing pending
    con = sqlite3.connect(db_path)
    con.execute("DELETE FROM _sqlite_migrations WHERE name = 'm190_tnm_basis'")
    con.execute("ALTER TABLE cases DROP COLUMN tnm_basis")
    con.commit()
    con.close()
    with open_store(db_path, actor="t") as store:  # one migration pending: applied
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == known_version()


@pytest.mark.parametrize("version", [known_version() + 1, 2**31 - 1, -3])
def test_a_database_from_a_newer_build_is_refused_and_untouched(db_path, capsys, version):
    _set_version(db_path, version)
    before = _digest(db_path)
    with pytest.raises(StoreError) as err:
        open_store(db_path, actor="t")
    message = str(err.value)
    assert "\n" not in message and str(version) in message
    assert ("newer MDT Assistant" in message) == (version > 0)
    assert _digest(db_path) == before
    from mdt_app.cli import main

    assert main(["cases", "--db", str(db_path)]) == 1
    out, errout = capsys.readouterr()
    assert len(errout.strip().splitlines()) == 1 and "Traceback" not in errout
    assert _digest(db_path) == before
