"""The window's first run (encrypt the new database?) and its passphrase prompt."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QInputDialog

from mdt_app.security import session_keys
from mdt_app.security.encryption import looks_encrypted
from mdt_app.security.users import get_user
from mdt_app.store import open_store
from ui.database_access import NewDatabaseDialog, ask_passphrase, create_database

PASSPHRASE = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _forget(tmp_path):
    yield
    for path in tmp_path.rglob("*.db"):
        session_keys.forget(path)


def test_first_run_dialog_checks_the_passphrase(qtbot, tmp_path):
    dialog = NewDatabaseDialog(tmp_path / "new.db")
    qtbot.addWidget(dialog)
    assert dialog.encrypt.isChecked()
    dialog.passphrase.setText("short")
    dialog.accept()
    assert "at least" in dialog.problem.text()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.repeat.setText(PASSPHRASE + "x")
    dialog.accept()
    assert "differ" in dialog.problem.text()


def test_first_run_creates_an_encrypted_database(tmp_path):
    db = tmp_path / "new.db"
    create_database(db, True, PASSPHRASE)
    with open_store(db) as store:  # the passphrase is known to this process now
        store.set_setting("centre", {"name": "x"})
    assert looks_encrypted(db)
    session_keys.forget(db)
    with pytest.raises(Exception, match="it is encrypted"):
        open_store(db)


def test_passphrase_prompt_retries_and_never_changes_the_file(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "enc.db"
    create_database(db, True, PASSPHRASE)
    session_keys.forget(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    answers = iter([("wrong one", True), (PASSPHRASE, True)])
    asked = []

    def fake(parent, title, text, mode):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(fake))
    assert ask_passphrase(db)
    assert "Wrong passphrase" in asked[1]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert session_keys.passphrase_for(db) == PASSPHRASE
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a: ("", False)))
    session_keys.forget(db)
    assert not ask_passphrase(db)


def test_workers_act_as_the_window_user(qtbot, meeting_window):
    w = meeting_window
    w.set_user(get_user(w.store, "gosia"))
    with open_store(w.db_path) as worker_store:  # as a worker thread opens its own
        assert (worker_store.actor, worker_store.role) == ("gosia", "nurse")
        assert worker_store.authenticated
    w.close()
    with open_store(w.db_path) as later:
        assert not later.authenticated  # forgotten when the window closed


def test_app_start_on_a_new_file_encrypts_and_creates_the_first_chair(qtbot, tmp_path, monkeypatch):
    """ui.app.run end to end with the dialogs answered: a new encrypted database whose
    first user is its chair, shown in the title bar."""
    from PySide6.QtWidgets import QApplication

    import ui.app as app
    from mdt_app.security.users import add_user

    db = tmp_path / "first-run.db"
    shown = []
    monkeypatch.setattr(
        "ui.database_access.NewDatabaseDialog.choice", lambda self: (True, PASSPHRASE)
    )

    def first_chair(store, parent=None):
        return add_user(store, "chair1", "Dr First", "chair", "chair password 1")

    monkeypatch.setattr(app, "ask_who_is_working", first_chair)
    monkeypatch.setattr(QApplication, "exec", lambda self: shown.append(True) or 0)
    monkeypatch.setattr(
        "ui.main_window.MainWindow.show", lambda self: shown.append(self.windowTitle())
    )
    assert app.run(db) == 0
    assert looks_encrypted(db)
    assert any("Dr First (chair)" in str(x) for x in shown)
