"""Print the patient's Personalized Care Programme from the meeting screen.

    open_care_programme(window, db_path, case_id, decision_id)

A small dialog: paper (A4 / US Letter) and large print, then Preview, Save as… or Print….
The PDF is built off the GUI thread by a worker that opens its own Store from ``db_path``.
A decision that is not signed yet can only be previewed, marked "DRAFT - not validated"
on every page.

Preview shows the pages in the app (ui.pdf_preview), from memory: no file with patient
data is left in a temporary folder. Print… shows the system print dialog (printer,
copies, pages), then hands the PDF itself to the print system (CUPS ``lp`` on Linux and
macOS, mdt_app.printing), so the printed job keeps its text; "Print to file" writes the
PDF as it is. Only where there is no such path (Windows) are rendered pages painted onto
the printer, at the printer's resolution. Every print is recorded in the audit log.

Before printing or saving, the nurse is told what to check (shorthand in the words for
the patient, no 24-hour line, plan not recorded as discussed with the patient).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QKeySequence, QPageSize
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mdt_app.documents.care_programme import (
    CareProgrammePdf,
    check_before_printing,
    make_care_programme,
    record_care_programme,
    save_care_programme,
)
from mdt_app.documents.care_programme_content import shipped_languages
from mdt_app.errors import UserError
from mdt_app.printing import PrintJob, pdf_printing_available, send_pdf
from ui import workers
from ui.location import Location, as_location
from ui.pdf_pages import (
    page_count,
    page_range,
    paint_pages,
    plan_print,
    render_for_print,
    subset,
)
from ui.pdf_preview import PdfPreviewDialog
from ui.settings import UiSettings

log = logging.getLogger(__name__)

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch"}  # in their own words


def _t(text: str) -> str:
    return QCoreApplication.translate("CareProgramme", text)


def _draft_only() -> str:
    return _t("A draft can only be previewed; sign the decision off first.")


# --- plain data handed to the worker ------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What to build: the decision and the print options (plain data for the worker)."""

    db_path: Location
    case_id: int
    decision_id: int
    large_print: bool = False
    page_size: str = "A4"
    language: str | None = None


@dataclass(frozen=True)
class DecisionInfo:
    patient: str
    mrn: str
    signed: bool
    signed_by: str | None
    language: str = "en"
    older_data: str = ""  # the case changed after sign-off (what changed), else ""


def build(request: Request) -> CareProgrammePdf:
    """Worker thread: its own store, the PDF (drafts allowed: they carry the mark)."""
    from mdt_app.store import open_store

    with open_store(request.db_path, create=False) as store:
        return make_care_programme(
            store,
            request.case_id,
            decision_id=request.decision_id,
            large_print=request.large_print,
            page_size=request.page_size,
            allow_draft=True,
            language=request.language,
        )


def checks(request: Request) -> list[str]:
    """What to check before the programme leaves the app (one line each)."""
    from mdt_app.store import open_store

    with open_store(request.db_path, create=False) as store:
        return check_before_printing(store, request.case_id, request.decision_id, request.language)


@dataclass(frozen=True)
class PrintRoute:
    """How a print job goes out: "file" (the PDF written as it is), "cups" (the PDF handed
    to the print system) or "raster" (pages painted, where nothing else exists)."""

    kind: str
    target: str


def print_route(printer: QPrinter) -> PrintRoute:
    """The route that keeps the PDF's text wherever the platform allows it."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return PrintRoute("file", printer.outputFileName())
    if pdf_printing_available() and printer.printerName():
        return PrintRoute("cups", printer.printerName())
    return PrintRoute("raster", printer.printerName())


def cups_job(built: CareProgrammePdf, printer: QPrinter) -> dict:
    """The lp job for what the print dialog chose (read on the GUI thread)."""
    pages = None
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = (printer.fromPage(), printer.toPage() or printer.fromPage())
    return {
        "printer": printer.printerName(),
        "copies": max(printer.copyCount(), 1),
        "pages": pages,
        "collate": printer.collateCopies(),
        "reverse": printer.pageOrder() == QPrinter.PageOrder.LastPageFirst,
        "title": _t("Care programme"),
    }


def send_to_print_system(built: CareProgrammePdf, job: dict) -> PrintJob:
    """Worker thread: the PDF itself to CUPS."""
    return send_pdf(built.pdf, **job)


def write_printed_file(built: CareProgrammePdf, path: str, pages: list[int]) -> str:
    """Worker thread: "Print to file" keeps the PDF as it is (text, fonts, metadata),
    cut to the chosen page range."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(subset(built.pdf, pages))
    tmp.replace(target)
    return str(target)


def save(request: Request, path: Path) -> Path:
    """Worker thread: build, write the file whole and record it in the audit log."""
    from mdt_app.store import open_store

    built = build(request)
    if built.draft:
        raise UserError(_draft_only())
    with open_store(request.db_path, create=False) as store:
        return save_care_programme(store, built, path)


def record_print(
    db_path: Location, built: CareProgrammePdf, printer: QPrinter, pages: int, **details: object
) -> str:
    """Record a print in the audit log; returns where it went (the printer, or the file of
    "Print to file")."""
    from mdt_app.store import open_store

    where = printer_label(printer)
    with open_store(db_path, create=False) as store, store.atomic():
        record_care_programme(
            store, built, "print_care_programme", printer=where, pages=pages, **details
        )
    return where


def printer_label(printer: QPrinter) -> str:
    """The printer's name, or the file it writes to."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return printer.outputFileName()
    return printer.printerName()


def read_decision(db_path: Location, case_id: int, decision_id: int) -> DecisionInfo:
    """A short read on the GUI thread for the dialog's heading."""
    from mdt_app.decision_currency import older_data_note
    from mdt_app.store import open_store

    with open_store(db_path, create=False) as store:
        decision = store.get_decision(decision_id)
        patient = store.get_case(case_id).patient
        older = older_data_note(store.older_data(decision))
    language = (
        patient.preferred_language if patient.preferred_language in shipped_languages() else "en"
    )
    return DecisionInfo(
        patient.display_name, patient.mrn, decision.is_signed, decision.signed_by, language, older
    )


# --- the dialog -------------------------------------------------------------------------------


def default_page_size() -> str:
    """US Letter where it is the local paper (USA, Canada, Mexico…), else A4."""
    letter = {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Philippines,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
    }
    return "Letter" if QLocale.system().territory() in letter else "A4"


class CareProgrammeDialog(QDialog):
    """Options and the three things to do with the programme."""

    # Replaced in tests: the file dialog, the print dialog and the "check first" question.
    ask_save_path: Callable[[QWidget, str], Path | None]
    choose_printer: Callable[[QWidget, str, int], QPrinter | None]
    confirm_checks: Callable[[QWidget, list[str]], bool]

    def __init__(self, parent: QWidget | None, db_path: Location, case_id: int, decision_id: int):
        super().__init__(parent)
        self.setObjectName("careProgrammeDialog")
        self.setWindowTitle(_t("Personalized Care Programme"))
        self.db_path, self.case_id, self.decision_id = as_location(db_path), case_id, decision_id
        self.info = read_decision(self.db_path, case_id, decision_id)
        self.busy = False
        self.last_result: object = None
        self.last_route: PrintRoute | None = None
        self.message: QMessageBox | None = None
        self.preview_dialog: PdfPreviewDialog | None = None
        self.ask_save_path = ask_save_path
        self.choose_printer = choose_printer
        self.confirm_checks = confirm_checks
        self._build()
        self._set_busy(False)

    def _build(self) -> None:
        self.heading = QLabel(self._heading_text())
        self.heading.setObjectName("pcpHeading")
        self.heading.setWordWrap(True)
        self.paper = QComboBox()
        self.paper.setObjectName("pcpPaperSize")
        self.paper.setAccessibleName(_t("Paper size"))
        self.paper.addItem(_t("A4"), "A4")
        self.paper.addItem(_t("US Letter"), "Letter")
        self.paper.setCurrentIndex(self.paper.findData(default_page_size()))
        self.large = QCheckBox(_t("Large print (16 pt text)"))
        self.large.setObjectName("pcpLargePrint")
        self.large.setAccessibleName(_t("Large print"))
        self.language = QComboBox()
        self.language.setObjectName("pcpLanguage")
        self.language.setAccessibleName(_t("Language of the programme"))
        for code in shipped_languages():
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(self.language.findData(self.info.language), 0))
        self.language.setToolTip(_t("The patient's preferred language is chosen first"))
        self.status = QLabel("")
        self.status.setObjectName("pcpStatus")
        self.status.setWordWrap(True)
        self.preview_button = self._button("pcpPreviewButton", _t("&Preview"), self.preview)
        self.save_button = self._button("pcpSaveButton", _t("&Save as…"), self.save_as)
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.print_button = self._button("pcpPrintButton", _t("P&rint…"), self.print_)
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in (self.preview_button, self.save_button, self.print_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        form = QFormLayout()
        form.addRow(_t("Paper:"), self.paper)
        form.addRow(_t("Language:"), self.language)
        form.addRow("", self.large)
        self.older_data = QLabel(
            _t("⚠ {note}. The programme would be printed from the decision as signed.").format(
                note=self.info.older_data
            )
        )
        self.older_data.setObjectName("pcpOlderData")
        self.older_data.setWordWrap(True)
        self.older_data.setVisible(bool(self.info.older_data))
        self.amend_button = self._button("pcpAmendButton", _t("&Amend the decision…"), self.amend)
        self.amend_button.setVisible(bool(self.info.older_data))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.older_data)
        layout.addWidget(self.amend_button)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def amend(self) -> None:
        """Close, and start an amendment in the meeting screen (it asks for the reason)."""
        window = self.parent()
        self.reject()
        amend = getattr(window, "amend", None)
        if callable(amend):
            amend()

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _heading_text(self) -> str:
        if self.info.signed:
            return _t("Care programme for {name}, from the decision signed by {chair}.").format(
                name=self.info.patient, chair=self.info.signed_by or "?"
            )
        return _t(
            "The decision for {name} is not signed yet. You can preview a draft, marked "
            '"DRAFT - not validated" on every page; save and print once it is signed.'
        ).format(name=self.info.patient)

    def request(self) -> Request:
        return Request(
            self.db_path,
            self.case_id,
            self.decision_id,
            large_print=self.large.isChecked(),
            page_size=str(self.paper.currentData()),
            language=str(self.language.currentData() or "en"),
        )

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.preview_button.setEnabled(not busy)
        for button in (self.save_button, self.print_button):
            button.setEnabled(not busy and self.info.signed)
            if not self.info.signed:
                button.setToolTip(_t("Sign the decision off to save or print the programme"))
        self.status.setText(text)

    # --- the three actions ----------------------------------------------------------------

    def preview(self) -> None:
        self._run(_t("Preparing the preview…"), build, self._previewed)

    def _checked(self) -> bool:
        """Tell the nurse what to check first; False when they go back to fix it."""
        try:
            found = checks(self.request())
        except UserError as exc:
            self._failed(exc, "")
            return False
        return not found or self.confirm_checks(self, found)

    def save_as(self) -> None:
        if not self._checked():
            self._finish(False, _t("Not saved: check the points first."))
            return
        name = self._suggested_name()
        path = self.ask_save_path(self, name)
        if path is not None:
            self._run(_t("Saving…"), lambda r: save(r, path), self._saved)

    def print_(self) -> None:
        """Build first, so the print dialog knows how many pages there are."""
        if not self._checked():
            self._finish(False, _t("Not printed: check the points first."))
            return
        self._run(_t("Preparing to print…"), build, self._ready_to_print)

    def _suggested_name(self) -> str:
        mrn = "".join(ch if ch.isalnum() or ch == "-" else "_" for ch in self.info.mrn)
        return f"care-programme-{mrn}-{date.today().isoformat()}.pdf"

    def _run(self, text: str, fn: Callable[[Request], object], done: Callable[[object], None]):
        if self.busy:
            return
        self._set_busy(True, text)
        workers.start(fn, self.request(), on_result=done, on_error=self._failed)

    def _previewed(self, built: object) -> None:
        assert isinstance(built, CareProgrammePdf)
        if built.draft:
            title = _t("Care programme for {name} (draft)").format(name=self.info.patient)
            note = _t(
                'Draft: "DRAFT - not validated" is on every page; sign the decision off '
                "to print it."
            )
        else:
            title = _t("Care programme for {name}").format(name=self.info.patient)
            note = ""
        preview = PdfPreviewDialog(
            built.pdf, self, title=title, can_print=not built.draft, note=note
        )
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.printRequested.connect(lambda: self._print_from_preview(preview, built))
        preview.destroyed.connect(self._preview_closed)
        self.preview_dialog = preview
        preview.open()  # not exec(): window-modal, and the window stays responsive
        self._finish(built, _t("Preview open."))

    def _preview_closed(self) -> None:
        self.preview_dialog = None

    def _print_from_preview(self, preview: PdfPreviewDialog, built: CareProgrammePdf) -> None:
        """Print exactly the pages shown, then put the preview away."""
        if not self._checked():
            return
        printer = self.choose_printer(preview, self.request().page_size, preview.page_count)
        if printer is not None:
            preview.close()
            self.start_print(built, printer)

    def _ready_to_print(self, built: object) -> None:
        assert isinstance(built, CareProgrammePdf)
        if built.draft:  # the button is off for drafts; never offer a printer for one
            self._failed(UserError(_draft_only()), "")
            return
        self._set_busy(False)
        printer = self.choose_printer(self, self.request().page_size, page_count(built.pdf))
        if printer is None:
            self._finish(False, _t("Printing cancelled."))
        else:
            self.start_print(built, printer)

    def start_print(self, built: CareProgrammePdf, printer: QPrinter) -> None:
        """Send the PDF itself to the print system (or to the file of "Print to file");
        paint rendered pages only where no such path exists."""
        if self.busy:
            return
        if built.draft:
            self._failed(UserError(_draft_only()), "")
            return
        route = print_route(printer)
        self.last_route = route
        if route.kind == "file":
            pages = page_range(page_count(built.pdf), printer)
            if not pages:
                self._failed(
                    UserError(_t("The chosen page range holds no page of the programme.")), ""
                )
                return
            self._set_busy(True, _t("Printing…"))
            workers.start(
                write_printed_file,
                built,
                route.target,
                pages,
                on_result=lambda _p: self._sent(built, printer, route, None),
                on_error=self._failed,
            )
            return
        if route.kind == "cups":
            if not page_range(page_count(built.pdf), printer):
                self._failed(
                    UserError(_t("The chosen page range holds no page of the programme.")), ""
                )
                return
            job = cups_job(built, printer)
            self._set_busy(True, _t("Printing…"))
            workers.start(
                send_to_print_system,
                built,
                job,
                on_result=lambda sent: self._sent(built, printer, route, sent),
                on_error=self._failed,
            )
            return
        self._raster(built, printer)

    def _sent(
        self, built: CareProgrammePdf, printer: QPrinter, route: PrintRoute, job: object
    ) -> None:
        pages = page_count(built.pdf)
        extra: dict[str, object] = {"route": route.kind}
        if isinstance(job, PrintJob):
            extra.update(copies=job.copies, job=job.job_id)
        try:
            where = record_print(self.db_path, built, printer, pages, **extra)
        except UserError as exc:
            self._failed(exc, "")
            return
        self._printed(where)

    def _raster(self, built: CareProgrammePdf, printer: QPrinter) -> None:
        """No way to hand over the PDF: render at the printer's resolution and paint."""
        plan = plan_print(built.pdf, printer)
        if not plan.pages:
            self._failed(UserError(_t("The chosen page range holds no page of the programme.")), "")
            return
        self._set_busy(True, _t("Printing…"))
        workers.start(
            render_for_print,
            built.pdf,
            plan,
            on_result=lambda images: self._paint(built, printer, images),
            on_error=self._failed,
        )

    def _paint(self, built: CareProgrammePdf, printer: QPrinter, images: object) -> None:
        assert isinstance(images, list)
        try:
            pages = paint_pages(images, printer)
            where = record_print(self.db_path, built, printer, pages, route="raster")
        except UserError as exc:
            self._failed(exc, "")
            return
        self._printed(where)

    def _saved(self, path: object) -> None:
        self._finish(path, _t("Saved to {path}").format(path=path))

    def _printed(self, where: object) -> None:
        self._finish(where, _t("Sent to {printer}.").format(printer=where or _t("the printer")))

    def _finish(self, result: object, text: str) -> None:
        self.last_result = result
        self._set_busy(False, text)

    def _failed(self, exc: BaseException, details: str) -> None:
        self._set_busy(False, "")
        if isinstance(exc, UserError):
            text, icon = str(exc), QMessageBox.Icon.Warning
        else:
            log.error("care programme failed:\n%s", details)
            text = _t("The care programme could not be made: {error}").format(error=exc)
            icon = QMessageBox.Icon.Critical
        self.last_result = exc
        self._tell(icon, text, details if icon == QMessageBox.Icon.Critical else "")

    def _tell(self, icon: QMessageBox.Icon, text: str, details: str = "") -> None:
        box = QMessageBox(icon, self.windowTitle(), text, parent=self)
        box.setObjectName("pcpMessage")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if details:
            box.setDetailedText(details)
        box.open()  # not exec(): the window stays responsive
        self.message = box


# --- the system dialogs (replaced in tests) ---------------------------------------------------


def ask_save_path(parent: QWidget, name: str) -> Path | None:
    settings = UiSettings()
    folder = settings.save_directory()  # the folder last saved to, else Documents
    chosen, _ = QFileDialog.getSaveFileName(
        parent, _t("Save the care programme as"), str(Path(folder) / name), _t("PDF (*.pdf)")
    )
    if not chosen:
        return None
    path = Path(chosen)
    settings.set_save_directory(path.parent)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def choose_printer(parent: QWidget, page_size: str, pages: int) -> QPrinter | None:
    """The system print dialog, set to the programme's paper; the printer, or None."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(PAGE_SIZES.get(page_size, QPageSize.PageSizeId.A4)))
    printer.setFullPage(True)  # the programme has its own margins: print it at 100 %
    printer.setDocName(_t("Care programme"))  # print queues are public: no patient name
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_t("Print the care programme"))
    dialog.setMinMax(1, max(pages, 1))
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(
        option.PrintToFile
        | option.PrintPageRange
        | option.PrintCollateCopies
        | option.PrintShowPageSize
    )
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def confirm_checks(parent: QWidget, found: list[str]) -> bool:
    """Ask whether to go on although something should be checked first."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _t("Check before printing"),
        _t("Please check the care programme first:")
        + "\n\n"
        + "\n".join(f"• {line}" for line in found),
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("pcpChecks")
    go_on = box.addButton(_t("Go on anyway"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go_on


def open_care_programme(parent: QWidget, db_path: Location, case_id: int, decision_id: int) -> None:
    """The care programme dialog for one decision (window-modal, returns at once)."""
    dialog = CareProgrammeDialog(parent, as_location(db_path), case_id, decision_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
