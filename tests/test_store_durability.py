"""The database file is never touched behind SQLite's back (issue 11, point 1)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from mdt_app.store import open_store
from tests import store_helpers as h


def test_sign_off_after_export_and_another_program_reaches_the_file(tmp_path, db_location):
    """The live failure: window open, an export, `mdt-app cases` from another process,
    then a sign-off; the window is killed; the sign-off must be in the database (a file,
    or a team server)."""
    db = db_location
    meeting_id, _item, draft = h.build_db(db)
    window = h.worker(db)
    try:
        assert h.ask(window, f"export {meeting_id} {tmp_path / 'minutes.pdf'}") == "ok"
        cases = h.mdt_app("cases", "--db", str(db))
        out, err = cases.communicate(timeout=60)
        assert cases.returncode == 0, err
        if not str(db).startswith("postgresql://"):
            assert Path(f"{db}-wal").exists(), "another program deleted the window's WAL"
        assert h.ask(window, f"sign {draft.id}") == "ok"
    finally:
        os.kill(window.pid, signal.SIGKILL)
        window.wait(timeout=30)
    with open_store(db) as store:
        signed = store.get_decision(draft.id or 0)
        assert signed.is_signed and signed.signed_by == "Dr Chair"
        assert any(e.action == "sign_decision" for e in store.audit_log("decision", draft.id))


def test_opening_reads_no_bytes_of_the_database_with_plain_python(tmp_path, monkeypatch):
    """open_store never opens the database, its -wal or its -shm with open()."""
    import builtins
    import io
    import pathlib

    db = tmp_path / "mdt.db"
    h.build_db(db)
    touched: list[str] = []
    real_open = builtins.open

    def watch(file, *args, **kwargs):
        if str(file).startswith(str(db)) and not str(file).endswith(".users"):
            touched.append(str(file))
        return real_open(file, *args, **kwargs)

    def watch_path(self, *args, **kwargs):
        return watch(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watch)
    monkeypatch.setattr(io, "open", watch)
    monkeypatch.setattr(pathlib.Path, "open", watch_path)
    with open_store(db) as store:
        with open_store(db) as second:  # e.g. an export worker beside the window
            second.list_cases()
        store.list_cases()
    assert touched == []


def test_full_check_only_after_an_unclean_shutdown(tmp_path, monkeypatch):
    from mdt_app import store as store_module

    db = tmp_path / "mdt.db"
    h.build_db(db)
    checks: list[str] = []
    real = store_module._full_check
    monkeypatch.setattr(
        store_module, "_full_check", lambda *a: (checks.append("check"), real(*a))[1]
    )
    open_store(db).close()
    assert checks == []  # a clean file: no full check on open
    window = h.worker(db)
    try:
        assert h.ask(window, "hold 0") == "ok"  # the window has written: its WAL has frames
        open_store(db).close()
        assert checks == []  # someone else has it open: their WAL is not a crash
    finally:
        os.kill(window.pid, signal.SIGKILL)
        window.wait(timeout=30)
    assert (tmp_path / "mdt.db-wal").stat().st_size > 0
    open_store(db).close()
    assert checks == ["check"]  # the killed window left its WAL: checked once
    open_store(db).close()
    assert checks == ["check"]  # and not again once it was closed cleanly
