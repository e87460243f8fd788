"""The care programme dialog: options, preview, save and print off the GUI thread; drafts."""

from __future__ import annotations

import io
import os
import stat
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

import ui.care_programme_dialog as pcp
from mdt_app.documents.care_programme import CareProgrammePdf
from mdt_app.errors import NotFound
from mdt_app.store import open_store
from tests.test_care_programme import BANNER_NAME, add_case


@pytest.fixture
def db(tmp_path):
    """Case 1 signed (decision 1); case 2 with a draft only (decision 2)."""
    path = tmp_path / "mdt.db"
    with open_store(path, actor="builder") as store:
        add_case(store, mrn="S1")
        add_case(store, mrn="D1", sign=False)
    return path


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def dialog_for(window, db, case_id: int, decision_id: int) -> pcp.CareProgrammeDialog:
    pcp.open_care_programme(window, db, case_id, decision_id)
    dialog = window.findChild(pcp.CareProgrammeDialog, "careProgrammeDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.opened: list = []
    dialog.open_file = dialog.opened.append
    return dialog


def click_and_wait(qtbot, dialog, button_name: str):
    dialog.last_result = None
    qtbot.mouseClick(dialog.findChild(pcp.QPushButton, button_name), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)
    assert not dialog.busy
    return dialog.last_result


def audit(db, action: str):
    with open_store(db) as store:
        return [e for e in store.audit_log("decision") if e.action == action]


def test_preview_is_built_off_the_gui_thread(qtbot, window, db, monkeypatch):
    threads = []
    real = pcp.build

    def spy(request):
        threads.append(threading.get_ident())
        return real(request)

    monkeypatch.setattr(pcp, "build", spy)
    dialog = dialog_for(window, db, 1, 1)
    for name in ("pcpPaperSize", "pcpLargePrint", "pcpPreviewButton", "pcpSaveButton"):
        assert dialog.findChild(QWidget, name) is not None
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    dialog.large.setChecked(True)
    dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
    built = click_and_wait(qtbot, dialog, "pcpPreviewButton")
    assert threads and threads[0] != threading.get_ident()
    assert isinstance(built, CareProgrammePdf) and not built.draft
    [path] = dialog.opened
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert reader.pages[0].mediabox.width == 612
    assert all(BANNER_NAME in p.extract_text() for p in reader.pages)
    assert "Preview opened" in dialog.status.text()


def test_save_writes_the_file_and_audits(qtbot, window, db, tmp_path):
    dialog = dialog_for(window, db, 1, 1)
    target = tmp_path / "out" / "pcp.pdf"
    target.parent.mkdir()
    asked = []
    dialog.ask_save_path = lambda parent, name: asked.append(name) or target
    assert click_and_wait(qtbot, dialog, "pcpSaveButton") == target
    assert asked and asked[0].startswith("care-programme-S1-") and asked[0].endswith(".pdf")
    assert target.read_bytes().startswith(b"%PDF")
    [entry] = audit(db, "save_care_programme")
    assert entry.entity_id == 1 and entry.details["path"] == str(target)


def test_print_to_file_from_the_print_dialog(qtbot, window, db, tmp_path):
    dialog = dialog_for(window, db, 1, 1)
    target = tmp_path / "printed.pdf"
    dialog.ask_print_job = lambda parent: pcp.PrintJob(printer="", output_file=str(target))
    assert click_and_wait(qtbot, dialog, "pcpPrintButton") == str(target)
    assert target.read_bytes().startswith(b"%PDF")
    [entry] = audit(db, "print_care_programme")
    assert entry.details["printer"] == str(target)


def test_print_goes_to_the_chosen_printer_through_lp(qtbot, window, db, tmp_path, monkeypatch):
    bin_dir, log = tmp_path / "bin", tmp_path / "lp.log"
    bin_dir.mkdir()
    fake_lp = bin_dir / "lp"
    fake_lp.write_text(f'#!/bin/sh\nprintf "%s " "$@" > {log}\nhead -c 4 "$7" >> {log}\n')
    fake_lp.chmod(fake_lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    dialog = dialog_for(window, db, 1, 1)
    dialog.ask_print_job = lambda parent: pcp.PrintJob(printer="Ward_4", copies=2, duplex=True)
    assert click_and_wait(qtbot, dialog, "pcpPrintButton") == "Ward_4"
    args = log.read_text()
    assert args.startswith("-n 2 -d Ward_4 -o sides=two-sided-long-edge ")
    assert args.rstrip().endswith("%PDF")
    assert not Path(args.split()[-2]).exists()  # the spooled temporary copy is removed
    assert audit(db, "print_care_programme")[0].details["printer"] == "Ward_4"


def test_no_print_service_is_a_clear_warning(qtbot, window, db, monkeypatch):
    monkeypatch.setattr(pcp.shutil, "which", lambda name: None)
    monkeypatch.setattr(pcp.sys, "platform", "linux")
    dialog = dialog_for(window, db, 1, 1)
    dialog.ask_print_job = lambda parent: pcp.PrintJob(printer="Ward_4")
    click_and_wait(qtbot, dialog, "pcpPrintButton")
    assert dialog.message is not None and dialog.message.icon() == QMessageBox.Icon.Warning
    assert "No print service" in dialog.message.text()
    assert audit(db, "print_care_programme") == []


def test_draft_can_only_be_previewed_and_is_marked(qtbot, window, db):
    dialog = dialog_for(window, db, 2, 2)
    assert "not signed yet" in dialog.heading.text()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    built = click_and_wait(qtbot, dialog, "pcpPreviewButton")
    assert built.draft
    pages = PdfReader(io.BytesIO(dialog.opened[0].read_bytes())).pages
    assert all("DRAFT - not validated" in p.extract_text() for p in pages)
    assert "DRAFT" in dialog.opened[0].name


def test_saving_a_draft_is_refused_even_if_asked(qtbot, window, db, tmp_path):
    dialog = dialog_for(window, db, 2, 2)
    dialog.ask_save_path = lambda parent, name: tmp_path / "x.pdf"
    dialog.save_as()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)
    assert "draft can only be previewed" in dialog.message.text()
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_decision_is_a_user_error(window, db):
    with pytest.raises(NotFound):
        pcp.open_care_programme(window, db, 1, 99)


def test_dialog_looks_right(qtbot, window, db, tmp_path):
    dialog = dialog_for(window, db, 1, 1)
    shot = tmp_path / "pcp-dialog.png"
    assert dialog.grab().save(str(shot))
    assert shot.stat().st_size > 0
