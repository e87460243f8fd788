"""The window's import is the CLI's: an HL7 v2 file and a FHIR Bundle of a deceased patient
imported through File > Import, the report shown before anything is written, the two
"include" choices, and dropping .hl7 files on the agenda."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog
from ui_helpers import open_window, press

from mdt_app import domain as d
from mdt_app.exchange.importer import import_files
from mdt_app.store import open_store
from tests.conftest import FIXTURES
from ui.import_dialog import FILE_FILTER, ImportDialog

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ADT = FIXTURES / "hl7" / "adt_a01_a08.hl7"
DECEASED = FIXTURES / "import" / "deceased_atc.json"
BUNDLE = FIXTURES / "import" / "fhir_bundle.json"  # Zoë H123456 and Jan H200002
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def report_text(dialog) -> str:
    lines = []

    def walk(item, depth):
        lines.append("  " * depth + item.text(0))
        for i in range(item.childCount()):
            walk(item.child(i), depth + 1)

    for i in range(dialog.report.topLevelItemCount()):
        walk(dialog.report.topLevelItem(i), 0)
    return "\n".join(lines)


def test_hl7_and_a_deceased_patients_bundle_through_the_window(qtbot, tmp_path, db_location):
    db = db_location
    with open_store(db, create=True) as store:
        meeting_id = store.plan_meeting(d.Meeting(date=date(2030, 1, 8), title="Thyroid MDT"))
        import_files(store, [BUNDLE])  # Zoë and Jan are known patients
        before = store.get_case(store.find_case_by_mrn("H123456"))
    window = open_window(qtbot, db)
    seen = {}

    def exec_(dialog):
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=15_000)
        text = report_text(dialog)
        seen["first"] = text
        with open_store(db) as store:  # the preview wrote nothing
            assert store.get_case(before.id) == before
            assert len(store.case_ids()) == 2
        assert not dialog.non_atc.isChecked() and not dialog.deceased.isChecked()
        assert "Patients updated (2)" in text and "given name: Zoë → Zoë Maria" in text
        assert "Not imported (1)" in text and "has died" in text
        assert dialog.confirm.text() == "Import 1 patient(s)"  # Zoë, in two messages
        if os.environ.get("MDT_APP_SCREENSHOTS"):
            from test_first_meeting import capture

            capture(window, dialog, DOCS / "import-report-hl7-1366x768.png")
        dialog.deceased.setChecked(True)  # checks again, with the deceased patient
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=15_000)
        text = report_text(dialog)
        seen["second"] = text
        assert "Not imported (0)" in text and "Cases created: new patients (1)" in text
        dialog.meeting.setCurrentIndex(dialog.meeting.findData(meeting_id))
        dialog.confirm.click()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=15_000)
        return dialog.result()

    from pytest import MonkeyPatch

    with MonkeyPatch.context() as mp:
        mp.setattr(ImportDialog, "exec", exec_)
        window.prompts.answers["files"] = [str(ADT), str(DECEASED)]
        press(qtbot, window, Qt.Key.Key_I, CTRL_SHIFT)
    assert "second" in seen
    with open_store(db) as store:
        zoe = store.get_case(before.id)
        assert zoe.patient.given_name == "Zoë Maria" and zoe.tnm == before.tnm
        assert len(store.case_ids()) == 3
        # Zoë (two messages) and the deceased patient queued, as `--meeting` does.
        # (by MRN: a server's ids skip those of the preview's rolled-back trial import)
        deceased = store.find_case_by_mrn("ATC-0999")
        assert {i.case_id for i in store.agenda(meeting_id)} == {before.id, deceased}
    assert "Imported 3 case(s) and queued on meeting" in window.statusBar().currentMessage()


def test_the_preview_is_the_cli_report_and_hl7_files_can_be_dropped(
    qtbot, tmp_path, capsys, db_location
):
    from mdt_app.cli import main

    db = db_location
    with open_store(db, create=True) as store:
        import_files(store, [BUNDLE])
    assert "*.hl7" in FILE_FILTER and "*.json" in FILE_FILTER
    window = open_window(qtbot, db)
    plans = []

    def exec_(dialog):
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=15_000)
        plans.append(dialog.plan)
        return QDialog.DialogCode.Rejected  # cancelled: nothing written

    from pytest import MonkeyPatch

    with MonkeyPatch.context() as mp:
        mp.setattr(ImportDialog, "exec", exec_)
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(ADT)), QUrl.fromLocalFile(str(DECEASED))])
        target = window.agenda.queue.viewport()
        actions, none = Qt.DropAction.CopyAction, Qt.KeyboardModifier.NoModifier
        enter = QDragEnterEvent(QPoint(10, 10), actions, mime, Qt.MouseButton.NoButton, none)
        QApplication.sendEvent(target, enter)
        assert enter.isAccepted()
        drop = QDropEvent(QPoint(10, 10), actions, mime, Qt.MouseButton.NoButton, none)
        QApplication.sendEvent(target, drop)
        qtbot.waitUntil(lambda: bool(plans), timeout=15_000)
    [plan] = plans
    with open_store(db) as store:
        assert len(store.case_ids()) == 2
    # The CLI imports the same files with the same outcome, patient by patient.
    assert main(["import", str(ADT), str(DECEASED), "--db", str(db), "--report", "full"]) == 0
    out = capsys.readouterr().out
    preview = plan.lines(detail=True)

    def strip(lines):
        return [re.sub(r" -> case \d+", "", line) for line in lines]

    assert strip(preview[:-1]) == strip(out.splitlines()[:-1])
    assert preview[-1].startswith("Would import 2 case(s)") and "Nothing was written" in preview[-1]
