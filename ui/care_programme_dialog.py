"""Print the patient's Personalized Care Programme from the meeting screen.

    open_care_programme(window, db_path, case_id, decision_id)

A small dialog: paper (A4 / US Letter) and large print, then Preview, Save as… or Print….
The PDF is built off the GUI thread by a worker that opens its own Store from ``db_path``.
A decision that is not signed yet can only be previewed, marked "DRAFT - not validated"
on every page.

Qt for Python Essentials has no PDF renderer (QtPdf is in the Addons), so Preview opens
the PDF in the system's viewer, and Print sends the file to the printer chosen in the
system print dialog through the print service (CUPS `lp`; on Windows the default PDF
handler). "Print to file" in that dialog gets the PDF itself.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
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
    make_care_programme,
    record_care_programme,
    save_care_programme,
)
from mdt_app.errors import UserError
from ui import workers

log = logging.getLogger(__name__)

PREVIEW_DIR_NAME = "mdt-assistant-care-programmes"
PREVIEW_MAX_AGE_S = 24 * 3600  # previews hold patient data: older ones are removed


def _t(text: str) -> str:
    return QCoreApplication.translate("CareProgramme", text)


# --- plain data handed to the worker ------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What to build: the decision and the print options (plain data for the worker)."""

    db_path: Path
    case_id: int
    decision_id: int
    large_print: bool = False
    page_size: str = "A4"


@dataclass(frozen=True)
class PrintJob:
    """The choices of the system print dialog, copied out of the QPrinter."""

    printer: str
    copies: int = 1
    duplex: bool = False
    output_file: str = ""


@dataclass(frozen=True)
class DecisionInfo:
    patient: str
    mrn: str
    signed: bool
    signed_by: str | None


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
        )


def save(request: Request, path: Path) -> Path:
    """Worker thread: build, write the file whole and record it in the audit log."""
    from mdt_app.store import open_store

    built = build(request)
    if built.draft:
        raise UserError(_t("A draft can only be previewed; sign the decision off first."))
    with open_store(request.db_path, create=False) as store:
        return save_care_programme(store, built, path)


def print_programme(request: Request, job: PrintJob) -> str:
    """Worker thread: build, hand the PDF to the printer, record it; returns the printer."""
    from mdt_app.store import open_store

    built = build(request)
    if built.draft:
        raise UserError(_t("A draft can only be previewed; sign the decision off first."))
    send_to_printer(built.pdf, job)
    with open_store(request.db_path, create=False) as store, store.atomic():
        record_care_programme(
            store, built, "print_care_programme", printer=job.output_file or job.printer
        )
    return job.output_file or job.printer


def send_to_printer(pdf: bytes, job: PrintJob) -> None:
    """Print to file, CUPS `lp`, or (Windows) the default PDF handler."""
    if job.output_file:
        Path(job.output_file).write_bytes(pdf)
        return
    path = _preview_dir() / f"print-{os.getpid()}-{time.time_ns()}.pdf"
    path.write_bytes(pdf)
    lp = shutil.which("lp")
    if lp:
        cmd = [lp, "-n", str(max(job.copies, 1))]
        if job.printer:
            cmd += ["-d", job.printer]
        if job.duplex:
            cmd += ["-o", "sides=two-sided-long-edge"]
        try:
            done = subprocess.run([*cmd, str(path)], capture_output=True, text=True, timeout=60)
        finally:
            path.unlink(missing_ok=True)  # lp has spooled its own copy
        if done.returncode != 0:
            raise UserError(
                _t("The printer refused the job: {why}").format(why=done.stderr.strip())
            )
        return
    if sys.platform == "win32":
        os.startfile(str(path), "print")  # type: ignore[attr-defined]
        return
    raise UserError(
        _t(
            "No print service was found on this computer. Save the programme as a PDF "
            "and print it from a PDF viewer."
        )
    )


def write_preview(built: CareProgrammePdf) -> Path:
    """A temporary copy for the system viewer (old ones are cleared out)."""
    folder = _preview_dir()
    path = folder / built.file_name
    path.write_bytes(built.pdf)
    return path


def _preview_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / PREVIEW_DIR_NAME
    folder.mkdir(mode=0o700, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.pdf"):
        try:
            if now - old.stat().st_mtime > PREVIEW_MAX_AGE_S:
                old.unlink()
        except OSError:
            pass  # in use by a viewer: next time
    return folder


def read_decision(db_path: Path, case_id: int, decision_id: int) -> DecisionInfo:
    """A short read on the GUI thread for the dialog's heading."""
    from mdt_app.store import open_store

    with open_store(db_path, create=False) as store:
        decision = store.get_decision(decision_id)
        patient = store.get_case(case_id).patient
    return DecisionInfo(patient.display_name, patient.mrn, decision.is_signed, decision.signed_by)


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

    # Replaced in tests: the file dialog, the print dialog, the system viewer.
    ask_save_path: Callable[[QWidget, str], Path | None]
    ask_print_job: Callable[[QWidget], PrintJob | None]
    open_file: Callable[[Path], None]

    def __init__(self, parent: QWidget | None, db_path: Path, case_id: int, decision_id: int):
        super().__init__(parent)
        self.setObjectName("careProgrammeDialog")
        self.setWindowTitle(_t("Personalized Care Programme"))
        self.db_path, self.case_id, self.decision_id = Path(db_path), case_id, decision_id
        self.info = read_decision(self.db_path, case_id, decision_id)
        self.busy = False
        self.last_result: object = None
        self.message: QMessageBox | None = None
        self.ask_save_path = ask_save_path
        self.ask_print_job = ask_print_job
        self.open_file = open_in_viewer
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
        form.addRow("", self.large)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

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

    def save_as(self) -> None:
        name = self._suggested_name()
        path = self.ask_save_path(self, name)
        if path is not None:
            self._run(_t("Saving…"), lambda r: save(r, path), self._saved)

    def print_(self) -> None:
        job = self.ask_print_job(self)
        if job is not None:
            self._run(
                _t("Sending to the printer…"), lambda r: print_programme(r, job), self._printed
            )

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
        path = write_preview(built)
        self._finish(built, _t("Preview opened: {path}").format(path=path))
        try:
            self.open_file(path)
        except UserError as exc:
            self._tell(QMessageBox.Icon.Warning, str(exc))

    def _saved(self, path: object) -> None:
        self._finish(path, _t("Saved to {path}").format(path=path))

    def _printed(self, printer: object) -> None:
        self._finish(printer, _t("Sent to {printer}.").format(printer=printer or _t("the printer")))

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
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, _t("Save the care programme as"), str(Path(folder) / name), _t("PDF (*.pdf)")
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def ask_print_job(parent: QWidget) -> PrintJob | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_t("Print the care programme"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return PrintJob(
        printer=printer.printerName(),
        copies=printer.copyCount(),
        duplex=printer.duplex() != QPrinter.DuplexMode.DuplexNone,
        output_file=printer.outputFileName(),
    )


def open_in_viewer(path: Path) -> None:
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise UserError(
            _t("No PDF viewer could be opened. The preview is at {path}").format(path=path)
        )


def open_care_programme(parent: QWidget, db_path: Path, case_id: int, decision_id: int) -> None:
    """The care programme dialog for one decision (window-modal, returns at once)."""
    dialog = CareProgrammeDialog(parent, Path(db_path), case_id, decision_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
