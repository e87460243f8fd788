"""PDF pages as images, and printing a PDF through Qt, with PDFium (pypdfium2).

Qt for Python Essentials has no QtPdf, so this module is how the window shows and prints
the PDFs it writes:

    images = render_pages(pdf, dpi=150)        # list[QImage], one per page
    plan = plan_print(pdf, printer)            # GUI thread: what the printer asks for
    images = render_for_print(pdf, plan)       # worker thread: the slow part
    painted = paint_pages(images, printer)     # GUI thread: onto the QPrinter

Rendering makes QImages (never QPixmaps) and is safe on a worker thread. Painting on a
QPrinter stays on the GUI thread: done from a worker it deadlocked now and then. PDFium
itself is not thread-safe, not even across documents, so every call into it holds one
process-wide lock; the lock is held page by page, so a preview is not kept waiting for a
whole print job.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from mdt_app.errors import UserError

# Raster printing (only where the PDF cannot go to the print system as it is) uses the
# printer's own resolution, bounded: an A4 page at 600 dpi is 140 MB of pixels.
MAX_PRINT_DPI = 600.0

_pdfium_lock = threading.RLock()


def _t(text: str) -> str:
    return QCoreApplication.translate("PdfPages", text)


@contextmanager
def _document(pdf: bytes) -> Iterator[pdfium.PdfDocument]:
    """The open document; use it under ``_pdfium_lock``. Closed explicitly (under the
    lock), so no finalizer calls PDFium later from another thread."""
    with _pdfium_lock:
        doc = pdfium.PdfDocument(pdf)
    try:
        yield doc
    finally:
        with _pdfium_lock:
            doc.close()


def _render(doc: pdfium.PdfDocument, index: int, dpi: float, grayscale: bool = False) -> QImage:
    """One page as a QImage that owns its pixels (the PDFium bitmap is freed here)."""
    with _pdfium_lock:
        return _render_locked(doc, index, dpi, grayscale)


def _render_locked(doc: pdfium.PdfDocument, index: int, dpi: float, grayscale: bool) -> QImage:
    page = doc[index]
    try:
        bitmap = page.render(
            scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True, grayscale=grayscale
        )
        try:
            fmt = QImage.Format.Format_RGBX8888  # bytes R, G, B, unused: as rendered
            view = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt)
            return view.copy()  # the view points into PDFium's buffer; the copy owns its data
        finally:
            bitmap.close()
    finally:
        page.close()


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    with _document(pdf) as doc, _pdfium_lock:
        return len(doc)


def page_sizes(pdf: bytes) -> list[QSizeF]:
    """Each page's size in points (1/72 inch), as shown (rotation applied)."""
    with _document(pdf) as doc, _pdfium_lock:
        sizes = []
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            if page.get_rotation() in (90, 270):
                width, height = height, width
            sizes.append(QSizeF(width, height))
            page.close()
        return sizes


def render_pages(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page rendered at ``dpi`` (white paper, no transparency)."""
    with _document(pdf) as doc:
        with _pdfium_lock:
            count = len(doc)
        return [_render(doc, index, dpi) for index in range(count)]


# --- printing ---------------------------------------------------------------------------------


def pages_to_print(count: int, printer: QPrinter) -> list[int]:
    """0-based page numbers in print order: the range chosen in the print dialog, the page
    order, and the copies when the printer cannot make them itself."""
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or count, count)
    pages = list(range(first - 1, last))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if printer.collateCopies():
        return pages * copies
    return [page for page in pages for _ in range(copies)]


@dataclass(frozen=True)
class PrintPlan:
    """What to render for a printer: read from it on the GUI thread, rendered anywhere."""

    dpi: float
    grayscale: bool
    pages: tuple[int, ...]  # 0-based, in print order, copies included


def plan_print(pdf: bytes, printer: QPrinter) -> PrintPlan:
    """The printer's resolution (bounded), colour mode and the pages to print."""
    with _document(pdf) as doc, _pdfium_lock:
        count = len(doc)
    return PrintPlan(
        dpi=min(float(printer.resolution()), MAX_PRINT_DPI),
        grayscale=printer.colorMode() == QPrinter.ColorMode.GrayScale,
        pages=tuple(pages_to_print(count, printer)),
    )


def render_for_print(pdf: bytes, plan: PrintPlan) -> list[QImage]:
    """Worker thread: the images to paint, one per printed page (each page rendered once)."""
    rendered: dict[int, QImage] = {}
    with _document(pdf) as doc:
        for index in plan.pages:
            if index not in rendered:
                rendered[index] = _render(doc, index, plan.dpi, plan.grayscale)
    return [rendered[index] for index in plan.pages]


def paint_pages(images: list[QImage], printer: QPrinter) -> int:
    """GUI thread: paint the images onto ``printer``, one per page, each fitted to the
    printable area keeping its shape; the number of pages painted (0, and no job, if none).

    Painting on a printer stays on the GUI thread: from a worker it can deadlock."""
    if not images:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(_t("The printer could not be started."))
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for n, image in enumerate(images):
            if n and not printer.newPage():
                raise UserError(_t("The printer stopped after {n} pages.").format(n=n))
            painter.drawImage(_fit(image, printer), image)
    finally:
        painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise UserError(_t("The printer reported an error."))
    return len(images)


def _fit(image: QImage, printer: QPrinter) -> QRectF:
    """The largest rectangle of the image's shape centred in the printable area."""
    area = QSizeF(printer.width(), printer.height())  # device pixels, origin at its corner
    size = QSizeF(image.size()).scaled(area, Qt.AspectRatioMode.KeepAspectRatio)
    left = (area.width() - size.width()) / 2
    top = (area.height() - size.height()) / 2
    return QRectF(left, top, size.width(), size.height())


def page_range(count: int, printer: QPrinter) -> list[int]:
    """0-based pages of the range chosen in the print dialog (all pages if none)."""
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or count, count)
    return list(range(first - 1, last))


def subset(pdf: bytes, pages: list[int]) -> bytes:
    """A PDF of only ``pages`` (0-based), copied as they are: text and fonts kept."""
    import io

    with _document(pdf) as doc, _pdfium_lock:
        if pages == list(range(len(doc))):
            return pdf
        out = pdfium.PdfDocument.new()
        try:
            out.import_pages(doc, pages=pages)
            buffer = io.BytesIO()
            out.save(buffer)
            return buffer.getvalue()
        finally:
            out.close()
