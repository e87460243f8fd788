"""The window checks the records on open and shows a case's audit history."""

from __future__ import annotations

import sqlite3

import psycopg
from ui_helpers import open_window

from mdt_app.paths import ServerURL
from ui.records import CaseHistoryDialog


def test_sound_database_opens_without_warning(qtbot, meeting_window):
    from ui.workers import wait_for_workers

    assert wait_for_workers(15000)  # the check runs on a worker thread
    qtbot.wait(50)  # and reports back through the event loop
    assert not [m for m in meeting_window.prompts.messages if m[0] == "warn"]


def _forge_a_signed_plan(db) -> None:
    """Behind the app's back: a file's trigger dropped, or a server's superuser working
    as a replica (no trigger fires)."""
    forge = (
        "UPDATE decisions SET plan_text = 'Forged' WHERE id ="
        " (SELECT min(id) FROM decisions WHERE status = 'signed')"
    )
    if ServerURL.is_server(db):
        with psycopg.connect(str(db), autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")
            conn.execute(forge)
        return
    file = sqlite3.connect(str(db), isolation_level=None)
    file.execute("DROP TRIGGER signed_decision_is_read_only")
    file.execute(forge)
    file.close()


def test_tampered_database_warns_on_open(qtbot, demo_db):
    _forge_a_signed_plan(demo_db)
    window = open_window(qtbot, demo_db)
    qtbot.waitUntil(lambda: bool(window.prompts.messages), timeout=15000)
    kind, text = window.prompts.messages[0]
    assert kind == "warn"
    assert "do not match their audit trail" in text
    assert "differs from what was signed" in text
    window.close()


def test_case_history_lists_sign_off_with_record_check(qtbot, demo_store):
    case_id = demo_store.latest_signed_decision_for_case(1).case_id
    dialog = CaseHistoryDialog(demo_store, case_id)
    qtbot.addWidget(dialog)
    table = dialog.table
    whats = [table.item(r, 4).text() for r in range(table.rowCount())]
    assert any(w.startswith("sign decision · record check ") for w in whats)
    assert any("import case" in w for w in whats)


def test_history_action_opens_for_the_open_case(qtbot, meeting_window, monkeypatch):
    opened = []
    monkeypatch.setattr(CaseHistoryDialog, "exec", lambda self: opened.append(self))
    meeting_window.actions["caseHistoryAction"].trigger()
    assert opened and opened[0].table.rowCount() > 0


def test_backup_action_writes_a_checked_copy(qtbot, meeting_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "window-backup.db"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    meeting_window.actions["backupAction"].trigger()
    assert target.exists()
    assert "Backup written and checked" in meeting_window.statusBar().currentMessage()


def test_closing_the_meeting_offers_a_backup(qtbot, meeting_window):
    meeting = meeting_window.session.meeting
    assert meeting.status != "closed"
    meeting_window.store.close_meeting(meeting.id)
    meeting_window.select_meeting(meeting.id)
    kind, text = meeting_window.prompts.messages[-1]
    assert kind == "confirm" and "is closed" in text and "backups" in text
    from mdt_app.paths import user_data_dir

    written = list((user_data_dir() / "backups").glob("*-backup-*.db"))
    assert len(written) == 1 and written[0].stat().st_mode & 0o077 == 0


def test_backup_offered_before_an_upgrade(qtbot, tmp_path, monkeypatch):
    import sqlite3

    from PySide6.QtWidgets import QFileDialog, QMessageBox
    from sqlite_utils import Database

    from mdt_app.store import schema
    from ui.records import offer_backup_before_upgrade

    old = tmp_path / "old.db"
    db = Database(sqlite3.connect(str(old)))
    schema.migrations.apply(db, stop_before="m150_audit_chain")
    db.close()
    target = tmp_path / "before-upgrade.db"
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    assert offer_backup_before_upgrade(old) == target
    with sqlite3.connect(str(target)) as conn:  # the copy keeps the old schema
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert "m150_audit_chain" not in names
