"""The care programme dialog: options, in-app preview, save and print off the GUI thread;
drafts."""

from __future__ import annotations

import io
import tempfile
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

import ui.care_programme_dialog as pcp
from mdt_app.documents.care_programme import CareProgrammePdf
from mdt_app.errors import NotFound
from mdt_app.store import open_store
from tests.test_care_programme import BANNER_NAME, add_case
from ui.pdf_preview import PdfPreviewDialog


@pytest.fixture
def db(db_location):
    """Case 1 signed (decision 1); case 2 with a draft only (decision 2); in a file, then
    in a team database on the test server."""
    path = db_location
    with open_store(path, actor="builder") as store:
        add_case(store, mrn="S1")
        add_case(store, mrn="D1", sign=False)
    return path


def dialog_for(window, db, case_id: int, decision_id: int) -> pcp.CareProgrammeDialog:
    pcp.open_care_programme(window, db, case_id, decision_id)
    dialog = window.findChild(pcp.CareProgrammeDialog, "careProgrammeDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.choose_printer = refuse_to_ask
    dialog.confirm_checks = lambda parent, found: True  # checks: tested on their own
    return dialog


def refuse_to_ask(parent, page_size, pages):
    raise AssertionError("the print dialog was not expected")


class PrintToFile:
    """Stands in for the system print dialog: "Print to file", and what it was asked."""

    def __init__(self, path: Path, accept: bool = True):
        self.path, self.accept, self.asked = path, accept, []

    def __call__(self, parent, page_size: str, pages: int) -> QPrinter | None:
        self.asked.append((parent, page_size, pages))
        if not self.accept:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return printer


def preview_of(qtbot, dialog) -> PdfPreviewDialog:
    """Click Preview; the in-app preview once its pages are drawn."""
    built = click_and_wait(qtbot, dialog, "pcpPreviewButton")
    assert isinstance(built, CareProgrammePdf)
    preview = dialog.findChild(PdfPreviewDialog, "pdfPreviewDialog")
    assert preview is not None and preview is dialog.preview_dialog
    qtbot.waitUntil(lambda: preview.rendered_dpi > 0, timeout=20_000)
    assert preview.isVisible()
    return preview


def click_and_wait(qtbot, dialog, button_name: str):
    dialog.last_result = None
    qtbot.mouseClick(dialog.findChild(pcp.QPushButton, button_name), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)
    assert not dialog.busy
    return dialog.last_result


def audit(db, action: str):
    with open_store(db) as store:
        return [e for e in store.audit_log("decision") if e.action == action]


@pytest.fixture
def own_temp(tmp_path, monkeypatch) -> Path:
    """A temporary folder of this test's own in place of the system one (which other
    programs write to at any time), for Python and for Qt alike."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_preview_is_built_off_the_gui_thread_and_shown_in_the_app(
    qtbot, window, db, monkeypatch, own_temp
):
    threads = []
    real = pcp.build

    def spy(request):
        threads.append(threading.get_ident())
        return real(request)

    monkeypatch.setattr(pcp, "build", spy)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", opened.append)
    assert tempfile.gettempdir() == str(own_temp)
    dialog = dialog_for(window, db, 1, 1)
    for name in ("pcpPaperSize", "pcpLargePrint", "pcpPreviewButton", "pcpSaveButton"):
        assert dialog.findChild(QWidget, name) is not None
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    dialog.large.setChecked(True)
    dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
    preview = preview_of(qtbot, dialog)
    assert threads and threads[0] != threading.get_ident()
    built = dialog.last_result
    assert not built.draft
    reader = PdfReader(io.BytesIO(built.pdf))
    assert reader.pages[0].mediabox.width == 612
    assert all(BANNER_NAME in p.extract_text() for p in reader.pages)
    assert preview.page_count == len(reader.pages) == len(preview.page_views)
    assert preview.sizes[0].width() == pytest.approx(612, abs=0.5)  # Letter, as chosen
    assert preview.print_button.isEnabled() and not preview.note.isVisible()
    assert preview.isModal() and preview.parent() is dialog
    assert opened == []  # no system viewer
    assert list(own_temp.iterdir()) == []  # no file left behind, not even a temporary one
    assert "Preview open" in dialog.status.text()
    preview.close()
    qtbot.waitUntil(lambda: dialog.preview_dialog is None)


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


def test_print_paints_onto_the_chosen_printer_and_audits(qtbot, window, db, tmp_path):
    target = tmp_path / "printed.pdf"
    dialog = dialog_for(window, db, 1, 1)
    dialog.paper.setCurrentIndex(dialog.paper.findData("A4"))
    dialog.choose_printer = chooser = PrintToFile(target)
    assert click_and_wait(qtbot, dialog, "pcpPrintButton") == str(target)
    [(parent, page_size, pages)] = chooser.asked
    assert parent is dialog and page_size == "A4" and pages > 1
    assert target.stat().st_size > 0
    assert len(PdfReader(target).pages) == pages  # every page, painted by Qt
    [entry] = audit(db, "print_care_programme")
    assert entry.entity_id == 1 and entry.details["printer"] == str(target)
    assert entry.details["pages"] == pages and entry.details["draft"] is False
    assert f"Sent to {target}" in dialog.status.text()


def test_print_from_the_preview_prints_what_is_shown(qtbot, window, demo_db, demo_store, tmp_path):
    case_id = demo_store.case_ids()[0]
    decision = demo_store.latest_signed_decision_for_case(case_id)
    assert decision is not None
    target = tmp_path / "from-preview.pdf"
    dialog = dialog_for(window, demo_db, case_id, decision.id)
    preview = preview_of(qtbot, dialog)
    dialog.choose_printer = chooser = PrintToFile(target)
    dialog.last_result = None
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)
    [(parent, _, pages)] = chooser.asked
    assert parent is preview and pages == preview.page_count
    assert dialog.preview_dialog is None or not dialog.preview_dialog.isVisible()
    assert len(PdfReader(target).pages) == pages
    [entry] = audit(demo_db, "print_care_programme")
    assert entry.entity_id == decision.id and entry.details["printer"] == str(target)


def test_cancelling_the_print_dialog_prints_nothing(qtbot, window, db, tmp_path):
    target = tmp_path / "never.pdf"
    dialog = dialog_for(window, db, 1, 1)
    dialog.choose_printer = PrintToFile(target, accept=False)
    assert click_and_wait(qtbot, dialog, "pcpPrintButton") is False
    assert "cancelled" in dialog.status.text()
    assert not target.exists() and audit(db, "print_care_programme") == []


def test_an_empty_page_range_is_a_clear_warning(qtbot, window, db, tmp_path):
    target = tmp_path / "empty.pdf"
    dialog = dialog_for(window, db, 1, 1)

    def past_the_end(parent, page_size, pages):
        printer = PrintToFile(target)(parent, page_size, pages)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(pages + 1, pages + 2)
        return printer

    dialog.choose_printer = past_the_end
    click_and_wait(qtbot, dialog, "pcpPrintButton")
    assert dialog.message is not None and dialog.message.icon() == QMessageBox.Icon.Warning
    assert "page range" in dialog.message.text()
    assert audit(db, "print_care_programme") == []


def test_draft_can_only_be_previewed_and_is_marked(qtbot, window, db):
    dialog = dialog_for(window, db, 2, 2)
    assert "not signed yet" in dialog.heading.text()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    preview = preview_of(qtbot, dialog)
    built = dialog.last_result
    assert built.draft and "DRAFT" in built.file_name
    pages = PdfReader(io.BytesIO(built.pdf)).pages
    assert all("DRAFT - not validated" in p.extract_text() for p in pages)
    assert preview.page_count == len(pages)
    assert not preview.print_button.isEnabled()
    assert preview.note.isVisible() and "DRAFT - not validated" in preview.note.text()
    assert "(draft)" in preview.windowTitle()


def test_printing_a_draft_is_refused_even_if_asked(qtbot, window, db, tmp_path):
    dialog = dialog_for(window, db, 2, 2)  # refuse_to_ask: no print dialog for a draft
    dialog.print_()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)
    assert "draft can only be previewed" in dialog.message.text()
    with open_store(db) as store:
        built = pcp.make_care_programme(store, 2, decision_id=2, allow_draft=True)
    dialog.message.setText("")
    dialog.start_print(built, PrintToFile(tmp_path / "x.pdf")(None, "A4", 1))
    assert "draft can only be previewed" in dialog.message.text()
    assert not (tmp_path / "x.pdf").exists()
    assert audit(db, "print_care_programme") == []


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
