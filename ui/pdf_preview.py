"""An in-app preview of a PDF: every page stacked in a scroll area, zoom, Print….

    dialog = PdfPreviewDialog(pdf_bytes, parent, title=_t("Care programme"))
    dialog.printRequested.connect(...)   # the Print… button; the caller prints
    dialog.open()

Pages are rendered off the GUI thread (ui.workers, ui.pdf_pages) at the resolution the
zoom needs; while a new rendering is on its way the old images are stretched to fit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import pdf_pages, workers

log = logging.getLogger(__name__)

SCREEN_DPI = 96.0  # 100 % zoom: a page about its real size on an ordinary monitor
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
MAX_VIEW_DPI = 240.0  # caps memory at high zoom on a HiDPI screen (about 23 MB an A4 page)
GAP = 18  # between pages and around them, in logical pixels
SHADOW = 6  # room kept around a page for its shadow
DESK = QColor("#5f6670")  # what the pages lie on


def _t(text: str) -> str:
    return QCoreApplication.translate("PdfPreview", text)


def _render_job(pdf: bytes, dpi: float, generation: int) -> tuple[int, float, list[QImage]]:
    """Worker thread: plain bytes in, QImages out (tagged, so stale results are dropped)."""
    return generation, dpi, pdf_pages.render_pages(pdf, dpi)


class PageView(QWidget):
    """One page: white paper with a soft shadow, its image stretched to the paper."""

    def __init__(self, number: int, count: int, size_pt: QSizeF, parent: QWidget | None = None):
        super().__init__(parent)
        self.number, self.size_pt = number, size_pt
        self.image: QImage | None = None
        self.setObjectName(f"pdfPreviewPage{number}")
        self.setAccessibleName(_t("Page {n} of {count}").format(n=number, count=count))

    def set_scale(self, px_per_pt: float) -> None:
        width = round(self.size_pt.width() * px_per_pt)
        height = round(self.size_pt.height() * px_per_pt)
        self.setFixedSize(width + 2 * SHADOW, height + 2 * SHADOW)

    def paper(self) -> QRect:
        return self.rect().adjusted(SHADOW, SHADOW, -SHADOW, -SHADOW)

    def set_image(self, image: QImage) -> None:
        self.image = image
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        paper = self.paper()
        painter.setPen(Qt.PenStyle.NoPen)
        for spread in range(SHADOW, 0, -1):  # wider and fainter outwards, a little low
            painter.setBrush(QColor(0, 0, 0, 10 + 6 * (SHADOW - spread)))
            painter.drawRoundedRect(
                paper.adjusted(-spread, -spread + 2, spread, spread + 1), spread, spread
            )
        painter.fillRect(paper, Qt.GlobalColor.white)
        if self.image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(paper, self.image)
        painter.end()


class Desk(QWidget):
    """What the pages lie on: painted, so no style sheet can turn it white like the paper."""

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), DESK)
        painter.end()


class PdfPreviewDialog(QDialog):
    scroll: QScrollArea  # type: ignore[assignment]  # shadows QWidget.scroll()
    """Every page of a PDF, zoomable, with a Print… button that asks the caller to print."""

    printRequested = Signal()
    pagesRendered = Signal(float)  # the dpi of the images now shown
    renderFailed = Signal(str)

    def __init__(
        self,
        pdf: bytes,
        parent: QWidget | None = None,
        *,
        title: str = "",
        can_print: bool = True,
        note: str = "",
    ):
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(title or _t("Preview"))
        self.pdf = pdf
        self.sizes = pdf_pages.page_sizes(pdf)
        self.zoom = 1.0
        self.fit = True  # keep fitting the width as the window is resized
        self.rendered_dpi = 0.0
        self._generation = 0
        self._render_timer = QTimer(self, singleShot=True, interval=120)
        self._render_timer.timeout.connect(self._render)
        self._build(can_print, note)
        self._size_to_screen()

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    # --- building ---------------------------------------------------------------------------

    def _build(self, can_print: bool, note: str) -> None:
        self.pages = Desk()
        self.pages.setObjectName("pdfPreviewPages")
        column = QVBoxLayout(self.pages)
        column.setContentsMargins(GAP, GAP, GAP, GAP)
        column.setSpacing(GAP - 2 * SHADOW)
        count = self.page_count
        self.page_views = [PageView(n, count, size) for n, size in enumerate(self.sizes, 1)]
        for view in self.page_views:
            column.addWidget(view, 0, Qt.AlignmentFlag.AlignHCenter)
        self.scroll = self._scroll_area()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.scroll, 1)
        layout.addLayout(self._buttons(can_print, note))
        self._apply_zoom()

    def _scroll_area(self) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setObjectName("pdfPreviewScroll")
        scroll.setAccessibleName(_t("Pages of {title}").format(title=self.windowTitle()))
        scroll.setWidget(self.pages)
        scroll.setFrameShape(QFrame.Shape.NoFrame)  # the desk's edge is border enough
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        scroll.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
        scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows, Page Up/Down scroll
        scroll.viewport().installEventFilter(self)
        scroll.verticalScrollBar().valueChanged.connect(self._update_counter)
        return scroll

    def _toolbar(self) -> QHBoxLayout:
        zoom_in = self._action(
            _t("Zoom in"), "+", self.zoom_in, QKeySequence(QKeySequence.StandardKey.ZoomIn)
        )
        zoom_in.setShortcuts([*zoom_in.shortcuts(), QKeySequence("Ctrl+=")])
        zoom_out = self._action(
            _t("Zoom out"), "−", self.zoom_out, QKeySequence(QKeySequence.StandardKey.ZoomOut)
        )
        fit = self._action(_t("Fit width"), _t("Fit width"), self.fit_width, QKeySequence("Ctrl+0"))
        self._action(_t("First page"), "", lambda: self.go_to_page(1), QKeySequence("Home"))
        self._action(
            _t("Last page"), "", lambda: self.go_to_page(self.page_count), QKeySequence("End")
        )
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("pdfPreviewZoomLevel")
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("000 %") + 8)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counter = QLabel()
        self.counter.setObjectName("pdfPreviewPageCounter")
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 2)
        for name, action in (("Out", zoom_out), ("In", zoom_in), ("Fit", fit)):
            button = self._tool_button(f"pdfPreviewZoom{name}", action)
            bar.addWidget(button)
            if name == "Out":
                bar.addWidget(self.zoom_label)
        bar.addStretch(1)
        bar.addWidget(self.counter)
        bar.addStretch(1)
        return bar

    def _action(
        self, text: str, icon_text: str, slot: Callable[[], None], shortcut: QKeySequence
    ) -> QAction:
        action = QAction(text, self)
        action.setIconText(icon_text or text)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is in the dialog
        return action

    def _tool_button(self, name: str, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setDefaultAction(action)
        button.setAccessibleName(action.text())
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.text()} ({keys})")
        button.setMinimumWidth(30)
        return button

    def _buttons(self, can_print: bool, note: str) -> QHBoxLayout:
        self.note = QLabel(note)
        self.note.setObjectName("pdfPreviewNote")
        self.note.setWordWrap(True)
        self.note.setProperty("role", "warning" if note else "")
        self.note.setVisible(bool(note))
        self.print_button = QPushButton(_t("P&rint…"))
        self.print_button.setObjectName("pdfPreviewPrintButton")
        self.print_button.setAccessibleName(_t("Print"))
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_button.setEnabled(can_print)
        self.print_button.clicked.connect(self.printRequested)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.rejected.connect(self.reject)
        close = box.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("pdfPreviewCloseButton")
        for button in (self.print_button, close):
            button.setAutoDefault(False)
        row = QHBoxLayout()
        row.setContentsMargins(8, 0, 8, 0)
        row.addWidget(self.note, 1)
        row.addWidget(box)
        return row

    def _size_to_screen(self) -> None:
        screen = (self.parentWidget() or self).screen().availableGeometry()
        widest = max((s.width() for s in self.sizes), default=595.0)
        width = round(widest * SCREEN_DPI / 72) + 2 * GAP + 40
        self.resize(min(width, round(screen.width() * 0.9)), round(screen.height() * 0.9))

    # --- zoom and pages ---------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoom + 0.005), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        lower = [z for z in ZOOM_STEPS if z < self.zoom - 0.005]
        self.set_zoom(lower[-1] if lower else ZOOM_STEPS[0])

    def fit_width(self) -> None:
        self.fit = True
        self._apply_zoom()

    def set_zoom(self, zoom: float) -> None:
        self.fit = False
        self.zoom = min(max(zoom, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        self._apply_zoom()

    def _fit_zoom(self) -> float:
        widest = max((s.width() for s in self.sizes), default=595.0)
        room = self.scroll.viewport().width() - 2 * (GAP + SHADOW)
        return min(max(room / (widest * SCREEN_DPI / 72), ZOOM_STEPS[0]), ZOOM_STEPS[-1])

    def _apply_zoom(self) -> None:
        """Resize the pages now; render them at the new resolution shortly after."""
        if self.fit:
            self.zoom = self._fit_zoom()
        centre = self._scroll_fraction()
        for view in self.page_views:
            view.set_scale(self.zoom * SCREEN_DPI / 72)
        self._lay_out_desk()
        self.zoom_label.setText(_t("{percent} %").format(percent=round(self.zoom * 100)))
        self.zoom_label.setAccessibleName(
            _t("Zoom {percent} percent").format(percent=round(self.zoom * 100))
        )
        self.scroll.verticalScrollBar().setValue(round(centre * self.pages.height()))
        self._update_counter()
        self._render_timer.start()

    def _lay_out_desk(self) -> None:
        """The desk is as wide as the view (pages centred) and as tall as the pages."""
        layout = self.pages.layout()
        assert layout is not None  # the desk is built with its layout
        layout.activate()
        content = layout.sizeHint()
        self.pages.resize(max(content.width(), self.scroll.viewport().width()), content.height())
        layout.activate()  # place the pages now, so their geometry is known at once

    def _scroll_fraction(self) -> float:
        height = self.pages.height()
        return self.scroll.verticalScrollBar().value() / height if height else 0.0

    def current_page(self) -> int:
        """The page at the upper third of the view (1-based)."""
        line = self.scroll.verticalScrollBar().value() + self.scroll.viewport().height() / 3
        for view in self.page_views:
            if view.geometry().bottom() >= line:
                return view.number
        return self.page_count

    def go_to_page(self, number: int) -> None:
        view = self.page_views[min(max(number, 1), self.page_count) - 1]
        self.scroll.verticalScrollBar().setValue(view.y() - GAP // 2)

    def _update_counter(self) -> None:
        self.counter.setText(
            _t("Page {n} of {count}").format(n=self.current_page(), count=self.page_count)
        )

    # --- rendering --------------------------------------------------------------------------

    def wanted_dpi(self) -> float:
        """The resolution the pages need at this zoom on this screen."""
        return min(SCREEN_DPI * self.zoom * self.devicePixelRatioF(), MAX_VIEW_DPI)

    def up_to_date(self) -> bool:
        """True once the images shown are rendered for the current zoom."""
        return not self._render_timer.isActive() and abs(self.wanted_dpi() - self.rendered_dpi) < 1

    def _render(self) -> None:
        dpi = self.wanted_dpi()
        if abs(dpi - self.rendered_dpi) < 1:
            return
        self._generation += 1
        workers.start(
            _render_job,
            self.pdf,
            dpi,
            self._generation,
            on_result=self._rendered,
            on_error=self._render_failed,
        )

    def _rendered(self, result: tuple[int, float, list[QImage]]) -> None:
        generation, dpi, images = result
        if generation != self._generation:
            return  # the zoom changed again while this was rendering
        for view, image in zip(self.page_views, images, strict=True):
            view.set_image(image)
        self.rendered_dpi = dpi
        self.pagesRendered.emit(dpi)

    def _render_failed(self, exc: BaseException, details: str) -> None:
        log.error("preview rendering failed:\n%s", details)
        text = _t("The pages could not be shown: {error}").format(error=exc)
        self.counter.setText(text)
        self.renderFailed.emit(text)

    # --- events -----------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._apply_zoom()  # the view has its real width only now
        self.scroll.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll.viewport():
            if event.type() == QEvent.Type.Resize:
                if self.fit:
                    self._apply_zoom()
                else:
                    self._lay_out_desk()
            elif event.type() == QEvent.Type.Wheel and (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier  # type: ignore[attr-defined]
            ):
                if event.angleDelta().y() > 0:  # type: ignore[attr-defined]
                    self.zoom_in()
                else:
                    self.zoom_out()
                return True
        return super().eventFilter(watched, event)
