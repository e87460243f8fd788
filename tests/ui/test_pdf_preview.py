"""PDF pages as images (PDFium), the in-app preview, and printing through a QPrinter.

MDT_APP_SCREENSHOTS=1 pytest tests/ui/test_pdf_preview.py   # also docs/screenshots/
"""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from mdt_app.documents.care_programme import make_care_programme
from mdt_app.store import open_store
from ui import pdf_pages
from ui.pdf_preview import DESK, SHADOW, PdfPreviewDialog

A4_PT = (595.28, 841.89)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOT_SIZE = (1000, 720)


@pytest.fixture
def programme(demo_file):
    """The demo's first signed care programme (several A4 pages). The preview and the
    printing get only its bytes, so one backend is enough here (the programme from a
    team server: tests/test_care_programme*.py and the window tests, on both)."""
    with open_store(demo_file) as store:
        for case_id in store.case_ids():
            decision = store.latest_signed_decision_for_case(case_id)
            if decision is not None:
                return make_care_programme(store, case_id, decision_id=decision.id).pdf
    pytest.fail("the demo database has no signed decision")


def pages_in(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdf_printer(path, copies: int = 1) -> QPrinter:
    """A printer writing a PDF file, as "Print to file" makes (needs a QApplication)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setCopyCount(copies)
    return printer


# --- rendering ------------------------------------------------------------------------------


def test_render_pages_one_image_per_page_sized_by_dpi(programme):
    count = pages_in(programme)
    assert count > 1 and pdf_pages.page_count(programme) == count
    at_72 = pdf_pages.render_pages(programme, 72)
    at_144 = pdf_pages.render_pages(programme, 144)
    assert len(at_72) == len(at_144) == count
    for small, large in zip(at_72, at_144, strict=True):
        assert abs(small.width() - A4_PT[0]) <= 1 and abs(small.height() - A4_PT[1]) <= 1
        assert abs(large.width() - 2 * small.width()) <= 1
        assert abs(large.height() - 2 * small.height()) <= 1
    sizes = pdf_pages.page_sizes(programme)
    assert len(sizes) == count and abs(sizes[0].width() - A4_PT[0]) < 0.5


def test_rendered_pages_have_the_right_colours(programme):
    [first, *_] = pdf_pages.render_pages(programme, 72)
    assert first.format() == QImage.Format.Format_RGBX8888
    assert first.pixelColor(0, 0).name() == "#ffffff"  # white paper
    data = bytes(first.constBits())
    reds, blues = data[0::4], data[2::4]
    # The programme's headings are dark blue: with red and blue swapped none would be.
    assert any(b > r + 60 for r, b in zip(reds, blues, strict=True))


def test_pages_rendered_on_several_threads_at_once_are_the_same(programme):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:  # PDFium is not thread-safe: the module serialises
        results = list(pool.map(lambda _: pdf_pages.render_pages(programme, 60), range(8)))
    first = results[0]
    for images in results[1:]:
        assert all(a == b for a, b in zip(first, images, strict=True))


def test_page_count_of_one_page():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    one = canvas.Canvas(buffer)
    one.drawString(72, 720, "one page")
    one.save()
    assert pdf_pages.page_count(buffer.getvalue()) == 1


# --- printing -------------------------------------------------------------------------------


def _print(pdf, printer):
    """What the dialog's print job does, at once: plan, render, paint."""
    plan = pdf_pages.plan_print(pdf, printer)
    return pdf_pages.paint_pages(pdf_pages.render_for_print(pdf, plan), printer)


def test_print_pdf_to_a_pdf_printer_prints_every_page(qapp, programme, tmp_path):
    target = tmp_path / "printed.pdf"
    printer = pdf_printer(target)
    count = pages_in(programme)
    assert _print(programme, printer) == count
    assert target.stat().st_size > 0
    reader = PdfReader(target)
    assert len(reader.pages) == count
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4_PT[0]) < 1 and abs(float(box.height) - A4_PT[1]) < 1


def test_print_pdf_honours_range_copies_and_order(qapp, programme, tmp_path):
    target = tmp_path / "range.pdf"
    printer = pdf_printer(target, copies=2)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert not printer.supportsMultipleCopies()  # so the copies are ours to make
    printer.setCollateCopies(True)
    assert pdf_pages.pages_to_print(5, printer) == [1, 2, 1, 2]
    printer.setCollateCopies(False)
    assert pdf_pages.pages_to_print(5, printer) == [1, 1, 2, 2]
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert pdf_pages.pages_to_print(5, printer) == [2, 2, 1, 1]
    assert _print(programme, printer) == 4
    assert len(PdfReader(target).pages) == 4


def test_a_range_past_the_last_page_prints_nothing(qapp, programme, tmp_path):
    target = tmp_path / "none.pdf"
    printer = pdf_printer(target)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(40, 41)
    assert _print(programme, printer) == 0
    assert not target.exists()


# --- the preview dialog ---------------------------------------------------------------------


@pytest.fixture
def preview(qtbot, programme):
    dialog = PdfPreviewDialog(programme, title="Care programme")
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    with qtbot.waitSignal(dialog.pagesRendered, timeout=20_000):
        dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def shortcut(qtbot, dialog, key, modifier=Qt.KeyboardModifier.NoModifier):
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.scroll, key, modifier)


def test_preview_shows_every_page(preview, programme):
    count = pages_in(programme)
    assert preview.objectName() == "pdfPreviewDialog"
    assert preview.page_count == count == len(preview.page_views)
    assert all(view.image is not None for view in preview.page_views)
    assert preview.counter.text() == f"Page 1 of {count}"
    first = preview.page_views[0]
    assert first.accessibleName() == f"Page 1 of {count}"
    # fitted to the width, and rendered sharp enough for the paper as shown
    assert preview.fit and preview.scroll.horizontalScrollBar().maximum() == 0
    ratio = first.image.width() / (first.paper().width() * preview.devicePixelRatioF())
    assert 0.95 < ratio < 1.05


def test_preview_renders_off_the_gui_thread(qtbot, programme, monkeypatch):
    threads, real = [], pdf_pages.render_pages

    def spy(pdf, dpi):
        threads.append(threading.get_ident())
        return real(pdf, dpi)

    monkeypatch.setattr(pdf_pages, "render_pages", spy)
    dialog = PdfPreviewDialog(programme)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.pagesRendered, timeout=20_000):
        dialog.show()
    assert threads and threading.get_ident() not in threads


def test_zoom_with_the_keyboard(qtbot, preview):
    page = preview.page_views[0]
    fitted_width, fitted_dpi = page.width(), preview.rendered_dpi
    with qtbot.waitSignal(preview.pagesRendered, timeout=20_000) as rendered:
        shortcut(qtbot, preview, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert page.width() > fitted_width and not preview.fit
    assert rendered.args[0] > fitted_dpi  # sharper images for the bigger pages
    assert preview.zoom_label.text() == f"{round(preview.zoom * 100)} %"
    for _ in range(3):
        shortcut(qtbot, preview, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert page.width() < fitted_width
    shortcut(qtbot, preview, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.fit and page.width() == fitted_width


def test_zoom_stays_within_its_steps(preview):
    for _ in range(30):
        preview.zoom_in()
    assert preview.zoom == 3.0
    for _ in range(30):
        preview.zoom_out()
    assert preview.zoom == 0.25


def test_page_counter_follows_the_view(qtbot, preview):
    count = preview.page_count
    shortcut(qtbot, preview, Qt.Key.Key_End)
    assert preview.counter.text() == f"Page {count} of {count}"
    shortcut(qtbot, preview, Qt.Key.Key_Home)
    assert preview.counter.text() == f"Page 1 of {count}"
    preview.go_to_page(2)
    assert preview.counter.text() == f"Page 2 of {count}"


def test_print_button_asks_the_caller(qtbot, preview):
    assert preview.print_button.isEnabled() and not preview.note.isVisible()
    with qtbot.waitSignal(preview.printRequested, timeout=1000):
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)


def test_preview_without_printing_says_why(qtbot, programme):
    dialog = PdfPreviewDialog(programme, can_print=False, note="Draft: preview only.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.print_button.isEnabled()
    assert dialog.note.isVisible() and dialog.note.text() == "Draft: preview only."


# --- a look at it ---------------------------------------------------------------------------


def test_screenshot_of_the_care_programme_preview(qtbot, demo_db, demo_store, tmp_path):
    """MDT_APP_SCREENSHOTS=1 also writes docs/screenshots/pcp-in-app-preview.png."""
    import ui.care_programme_dialog as pcp
    from ui import theme
    from ui.app import application

    application()  # the app's fonts
    host = QWidget()  # stands in for the main window: its style sheet reaches the dialogs
    host.setStyleSheet(theme.stylesheet())
    qtbot.addWidget(host)
    case_id = demo_store.case_ids()[0]
    decision = demo_store.latest_signed_decision_for_case(case_id)
    pcp.open_care_programme(host, demo_db, case_id, decision.id)
    dialog = host.findChild(pcp.CareProgrammeDialog, "careProgrammeDialog")
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None, timeout=20_000)
    preview = dialog.preview_dialog
    preview.resize(*SHOT_SIZE)
    preview.set_zoom(0.75)  # the whole width of the page on its desk
    qtbot.waitUntil(preview.up_to_date, timeout=20_000)
    out = DOCS if os.environ.get("MDT_APP_SCREENSHOTS") else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    shot = out / "pcp-in-app-preview.png"
    assert preview.grab().save(str(shot))
    image = QImage(str(shot))
    assert (image.width(), image.height()) == SHOT_SIZE
    first = preview.page_views[0]
    left_of_page = first.mapTo(preview, first.paper().topLeft()) - QPoint(SHADOW + 3, -40)
    assert image.pixelColor(left_of_page) == DESK
    page = first.mapTo(preview, first.paper().center())
    sample = {image.pixelColor(page.x() + dx, page.y() + dy).name()
              for dx in range(-300, 300, 7) for dy in range(-200, 200, 11)}  # fmt: skip
    assert len(sample) > 5  # a rendered page, not blank paper
