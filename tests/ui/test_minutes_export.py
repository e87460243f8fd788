"""The minutes export in the window: asks format and place, works off the GUI thread, reports."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

import ui.minutes_export as mx
from mdt_app.store import open_store
from tests.minutes_data import build_meeting


@pytest.fixture
def db(db_location):
    path = db_location
    with open_store(path, actor="builder") as store:
        build_meeting(store)
    return path


def finish(qtbot, job) -> QMessageBox:
    qtbot.waitUntil(lambda: job.message is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not job.progress.isVisible(), timeout=5_000)
    return job.message


def test_exports_off_the_gui_thread_and_reports_the_path(qtbot, window, db, tmp_path, monkeypatch):
    threads = []
    real = mx.write_minutes

    def spy(*args):
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(mx, "write_minutes", spy)
    target = tmp_path / "minutes.pdf"
    job = mx.export_minutes(window, db, 1, choose=lambda *_: mx.ExportRequest(target))
    assert job.progress.objectName() == "minutesExportProgress"
    message = finish(qtbot, job)
    assert threads and threads[0] != threading.get_ident()
    assert job.saved == target and target.read_bytes().startswith(b"%PDF")
    assert message.icon() == QMessageBox.Icon.Information
    assert str(target) in message.text()
    with open_store(db) as store:
        [entry] = [e for e in store.audit_log("meeting", 1) if e.action == "export_minutes"]
    assert entry.details == {"format": "pdf", "pseudonymised": False, "path": str(target)}


def test_unknown_meeting_is_reported_as_a_warning(qtbot, window, db, tmp_path):
    job = mx.export_minutes(window, db, 99, choose=lambda *_: mx.ExportRequest(tmp_path / "m.csv"))
    message = finish(qtbot, job)
    assert message.icon() == QMessageBox.Icon.Warning
    assert message.text() == "no meeting with id 99"
    assert job.saved is None and not (tmp_path / "m.csv").exists()


def test_cancel_does_nothing(window, db):
    assert mx.export_minutes(window, db, 1, choose=lambda *_: None) is None


def test_dialogs_choose_format_pseudonymisation_and_place(qtbot, window, tmp_path, monkeypatch):
    def pick_csv(dialog):
        dialog.format.setCurrentIndex(2)
        dialog.pseudonymise.setChecked(True)
        return 1

    asked = {}

    def save_as(parent, caption, start, file_filter):
        asked.update(start=start, file_filter=file_filter)
        return str(tmp_path / "audit"), file_filter

    monkeypatch.setattr(mx.MinutesFormatDialog, "exec", pick_csv)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    request = mx.ask_user(window, 7)
    assert request == mx.ExportRequest(tmp_path / "audit.csv", pseudonymise=True)
    assert asked["start"].endswith("minutes-meeting-7-pseudonymised.csv")
    assert asked["file_filter"] == "CSV (*.csv)"


def test_format_dialog_offers_every_format(qtbot):
    dialog = mx.MinutesFormatDialog()
    qtbot.addWidget(dialog)
    suffixes = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert suffixes == [".pdf", ".docx", ".csv", ".json"]
    assert dialog.suffix() == ".pdf" and not dialog.pseudonymise.isChecked()


def test_main_window_action_runs_the_export(qtbot, demo_db, tmp_path, monkeypatch):
    pytest.importorskip("ui.main_window")
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QAction

    from ui.app import build_main_window

    target = tmp_path / "from-window.docx"
    monkeypatch.setattr(mx, "ask_user", lambda *_: mx.ExportRequest(target))
    window = build_main_window(demo_db)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "exportMinutesAction")
    action.trigger()
    job = window.findChild(QObject, "minutesExportJob")
    assert job is not None
    message = finish(qtbot, job)
    assert str(target) in message.text() and target.stat().st_size > 0
