"""The window's records check on open: past a size it runs in a child process (so the
window's thread is never starved), with the same result as on the calling thread."""

from __future__ import annotations

import sqlite3

import pytest

from mdt_app.archive import add_archive
from mdt_app.security import records_check
from mdt_app.security.verify import verify_database
from mdt_app.store import open_store


@pytest.fixture()
def archive_db(tmp_path):
    path = tmp_path / "archive.db"
    with open_store(path, actor="tester") as store:
        add_archive(store, 45)
    return path


@pytest.mark.parametrize("child_from", [1, 10**9])
def test_sound_database_in_child_and_in_thread(archive_db, monkeypatch, child_from):
    monkeypatch.setattr(records_check, "CHILD_PROCESS_FROM", child_from)
    assert records_check.records_faults(archive_db) == []


def test_child_reports_the_same_faults(archive_db, monkeypatch):
    conn = sqlite3.connect(archive_db)
    conn.execute("DROP TRIGGER users_are_kept")  # a change made outside the app
    conn.commit()
    conn.close()
    with open_store(archive_db, create=False) as store:
        expected = verify_database(store.db, full=False)
    assert expected
    monkeypatch.setattr(records_check, "CHILD_PROCESS_FROM", 1)
    assert records_check.records_faults(archive_db) == expected


def test_child_names_an_unopenable_file(tmp_path, monkeypatch):
    monkeypatch.setattr(records_check, "CHILD_PROCESS_FROM", 0)
    with pytest.raises(records_check.StoreError):
        records_check._in_child(tmp_path / "missing.db")
