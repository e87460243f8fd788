"""Export the minutes of a meeting: ask for the format and the place, write the file off
the GUI thread with a busy indicator, then say where it was saved.

    export_minutes(window, db_path, meeting_id)

The worker opens its own Store from ``db_path`` (a sqlite connection belongs to the thread
that opened it). Tests replace the dialogs through ``choose``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from mdt_app.errors import UserError
from ui import workers
from ui.location import Location, as_location
from ui.settings import UiSettings

log = logging.getLogger(__name__)

# (label, suffix, file-dialog filter), in the order offered
FORMATS = (
    ("PDF (to circulate)", ".pdf", "PDF (*.pdf)"),
    ("Word document (to edit)", ".docx", "Word document (*.docx)"),
    ("CSV (audit, one row per case)", ".csv", "CSV (*.csv)"),
    ("FHIR R4 Bundle (JSON)", ".json", "FHIR JSON (*.json)"),
)


def _t(text: str) -> str:
    return QCoreApplication.translate("MinutesExport", text)


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    pseudonymise: bool = False


class MinutesFormatDialog(QDialog):
    """Format and pseudonymisation; the place is asked next, with a file dialog."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("minutesFormatDialog")
        self.setWindowTitle(_t("Export minutes"))
        self.format = QComboBox()
        self.format.setObjectName("minutesFormat")
        for label, suffix, _ in FORMATS:
            self.format.addItem(_t(label), suffix)
        self.format.setAccessibleName(_t("Minutes format"))
        self.pseudonymise = QCheckBox(_t("Pseudonymise patients (for audit)"))
        self.pseudonymise.setObjectName("minutesPseudonymise")
        self.pseudonymise.setToolTip(
            _t("Replace patient names and MRNs by stable pseudonyms and leave out birth dates")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_t("Format:"), self.format)
        form.addRow("", self.pseudonymise)
        form.addRow(buttons)

    def suffix(self) -> str:
        return str(self.format.currentData())


def ask_user(parent: QWidget | None, meeting_id: int) -> ExportRequest | None:
    """The dialogs: format (and pseudonymisation), then where to save. None = cancelled."""
    dialog = MinutesFormatDialog(parent)
    if not dialog.exec():
        return None
    suffix, pseudonymise = dialog.suffix(), dialog.pseudonymise.isChecked()
    settings = UiSettings()
    folder = settings.save_directory()  # the folder last saved to, else Documents
    name = f"minutes-meeting-{meeting_id}{'-pseudonymised' if pseudonymise else ''}{suffix}"
    file_filter = next(f for _, s, f in FORMATS if s == suffix)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, _t("Save minutes as"), str(Path(folder) / name), _t(file_filter)
    )
    if not chosen:
        return None
    path = Path(chosen)
    settings.set_save_directory(path.parent)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    return ExportRequest(path, pseudonymise)


def write_minutes(db_path: Location, meeting_id: int, request: ExportRequest) -> Path:
    """Runs on a worker thread: its own store, the export, the audit entry."""
    from mdt_app.documents.minutes import export_minutes as write
    from mdt_app.store import open_store

    with open_store(db_path, create=False) as store:
        return write(store, meeting_id, request.path, pseudonymise=request.pseudonymise)


class MinutesExportJob(QObject):
    """One export in flight: the busy dialog, the worker, and the message at the end."""

    def __init__(self, parent: QWidget, db_path: Location, meeting_id: int, request: ExportRequest):
        super().__init__(parent)
        self.setObjectName("minutesExportJob")
        self.parent_widget = parent
        self.saved: Path | None = None
        self.message: QMessageBox | None = None
        self.progress = QProgressDialog(
            _t("Writing the minutes to {name}…").format(name=request.path.name), "", 0, 0, parent
        )
        self.progress.setObjectName("minutesExportProgress")
        self.progress.setWindowTitle(_t("Export minutes"))
        self.progress.setCancelButton(None)  # the writer cannot be stopped half-way
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        self.worker = workers.start(
            write_minutes,
            db_path,
            meeting_id,
            request,
            on_result=self._saved,
            on_error=self._failed,
            on_finished=self.progress.hide,
        )

    def _saved(self, path: Path) -> None:
        self.saved = path
        self._tell(QMessageBox.Icon.Information, _t("Minutes saved to:\n{path}").format(path=path))

    def _failed(self, exc: BaseException, details: str) -> None:
        if isinstance(exc, UserError):
            self._tell(QMessageBox.Icon.Warning, str(exc))
            return
        log.error("minutes export failed:\n%s", details)
        self._tell(
            QMessageBox.Icon.Critical,
            _t("The minutes could not be exported: {error}").format(error=exc),
            details,
        )

    def _tell(self, icon: QMessageBox.Icon, text: str, details: str = "") -> None:
        self.progress.close()
        box = QMessageBox(icon, _t("Export minutes"), text, parent=self.parent_widget)
        box.setObjectName("minutesExportResult")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if details:
            box.setDetailedText(details)
        box.open()  # not exec(): the window stays responsive, and tests need no event loop
        self.message = box


def export_minutes(
    parent: QWidget,
    db_path: Location,
    meeting_id: int,
    *,
    choose: Callable[[QWidget, int], ExportRequest | None] | None = None,
) -> MinutesExportJob | None:
    """Ask (``choose``, default: the dialogs), then export in the background; None = cancelled."""
    request = (choose or ask_user)(parent, meeting_id)
    if request is None:
        return None
    return MinutesExportJob(parent, as_location(db_path), meeting_id, request)
