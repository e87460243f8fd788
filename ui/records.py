"""The window's record-keeping tasks: the check of the records on open, and the audit
history of the open case. (Mixed into MainWindow; nothing here decides anything.)"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from mdt_app.errors import UserError
from mdt_app.paths import ServerURL
from mdt_app.security.audit_chain import short
from mdt_app.security.backup import backup_database, backup_file
from mdt_app.security.encryption import connector
from mdt_app.security.history import case_history, describe
from mdt_app.store import Store
from ui.location import as_location
from ui.window_parts import WindowParts
from ui.workers import start as start_worker

log = logging.getLogger(__name__)
SHOWN_FAULTS = 8


def _t(text: str) -> str:
    return QCoreApplication.translate("Records", text)


class RecordsTasks(WindowParts):
    """Mixed into MainWindow (which provides store, prompts, session)."""

    store: Store

    def check_records(self) -> None:
        """The fast check (triggers, audit chain, signatures) on a worker thread, so a
        large database opens at once; warns when it finds a fault. A team server is
        checked the same way (its triggers as the server has them)."""
        start_worker(
            _records_faults,
            as_location(self.store.path),
            on_result=self.show_records_faults,
            on_error=lambda exc, details: log.warning("records check failed: %s", exc),
        )

    def stop_records_check(self) -> None:
        """Closing: a check still running in its own process is stopped, not waited for."""
        from mdt_app.security.records_check import stop_checks

        stop_checks()

    def show_records_faults(self, faults: list[str]) -> None:
        if not faults:
            return
        log.warning("records check on open: %d fault(s)", len(faults))
        shown = "\n".join(faults[:SHOWN_FAULTS])
        more = len(faults) - SHOWN_FAULTS
        if more > 0:
            shown += "\n" + _t("… and {n} more").format(n=more)
        self.prompts.warn(
            _t(
                "The records in this database do not match their audit trail. They may "
                "have been changed outside MDT Assistant. Do not rely on them until "
                "checked (run 'mdt-app verify' and restore a backup if needed).\n\n"
            )
            + shown
        )

    def backup_now(self, why: str | None = None) -> Path | None:
        """File > Back up database: a checked copy while the window stays open."""
        if why is None:
            default = str(Path.home() / suggested_backup_name(as_location(self.store.path)))
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                _t("Back up the database"),
                default,
                _t("Database backups (*.db *.bak)"),
            )
            target = Path(chosen) if chosen else None
        else:
            target = self.ask_backup_file(why)
        if target is None:
            return None
        try:
            written = backup_database(self.store, target)
        except UserError as exc:
            self.prompts.warn(str(exc))
            return None
        self.statusBar().showMessage(
            _t("Backup written and checked: {path}").format(path=written), 8000
        )
        return written

    def ask_backup_file(self, why: str) -> Path | None:
        """Whether to make the backup the window offers (``why``), into the app's own
        backups folder (private; the path is shown); None when declined."""
        target = default_backup_path(as_location(self.store.path))
        question = _t("Make a backup copy of the database now? It will be saved as {path}.")
        if not self.prompts.confirm(why + "\n\n" + question.format(path=target)):
            return None
        return target

    def watch_meeting_close(self, meeting: d.Meeting | None) -> None:
        """Offer a backup when the meeting shown has just been closed."""
        seen = getattr(self, "_meeting_statuses", {})
        self._meeting_statuses = seen
        if meeting is None or meeting.id is None:
            return
        before = seen.get(meeting.id)
        seen[meeting.id] = meeting.status
        if meeting.status == "closed" and before is not None and before != "closed":
            self.backup_now(
                _t("The meeting of {date} is closed; its decisions are final.").format(
                    date=meeting.date.isoformat()
                )
            )

    def show_case_history(self) -> None:
        case = self.session.case
        if case is None or case.id is None:
            self.prompts.info(_t("Open a case to see its history."))
            return
        dialog = CaseHistoryDialog(self.store, case.id, self)
        dialog.exec()


class CaseHistoryDialog(QDialog):
    """Who did what to one case, oldest first, read from the audit log."""

    COLUMNS = ("When", "Who", "Role", "Signed in", "What", "Record", "Details")

    def __init__(self, store: Store, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseHistoryDialog")
        self.setWindowTitle(self.tr("Case history (audit log)"))
        entries = case_history(store, case_id)
        self.table = QTableWidget(len(entries), len(self.COLUMNS))
        self.table.setObjectName("caseHistoryTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        for row, e in enumerate(entries):
            what = e.action.replace("_", " ")
            if e.signed_hash:
                what += " · " + self.tr("record check {code}").format(code=short(e.signed_hash))
            cells = (
                e.at.strftime("%Y-%m-%d %H:%M"),
                e.actor,
                e.role or "",
                self.tr("yes") if e.authenticated else self.tr("no"),
                what,
                f"{e.entity.replace('_', ' ')} {e.entity_id or ''}".strip(),
                describe(e),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(1000, 480)


def _records_faults(db_path: Path | ServerURL) -> list[str]:
    """On a worker: its own connection (as every worker opens), the fast check (in a
    separate process on a large database, so the window keeps painting)."""
    from mdt_app.security.records_check import records_faults

    return records_faults(db_path)


def default_backup_path(db_path: Path | ServerURL) -> Path:
    """A new file in the data folder's private backups folder."""
    from mdt_app.paths import user_data_dir
    from mdt_app.security.private_files import private_dir

    return private_dir(user_data_dir() / "backups") / suggested_backup_name(db_path)


def suggested_backup_name(db_path: Path | ServerURL) -> str:
    """A backup's file name: the database's name (a file's stem, a server database's name)
    and the time."""
    stem = db_path.name if isinstance(db_path, ServerURL) else db_path.stem
    return f"{stem}-backup-{datetime.now().strftime('%Y%m%d-%H%M')}.db"


def ask_backup_file(parent: QWidget | None, db_path: Path, why: str) -> Path | None:
    """Ask whether to make a backup now (``why``), then where; None when declined."""
    answer = QMessageBox.question(
        parent,
        _t("MDT Assistant"),
        why + "\n\n" + _t("Make a backup copy of the database now?"),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    default = str(Path.home() / suggested_backup_name(db_path))
    chosen, _ = QFileDialog.getSaveFileName(
        parent, _t("Back up the database"), default, _t("Database backups (*.db *.bak)")
    )
    return Path(chosen) if chosen else None


def offer_backup_before_upgrade(
    db_path: Path, parent: QWidget | None = None, connect: Any = None
) -> Path | None:
    """Before the window upgrades an older database: offer a backup elsewhere (a
    pre-migration copy is made beside the file in any case)."""
    target = ask_backup_file(
        parent,
        db_path,
        _t(
            "This database was made by an older version of MDT Assistant and will now be "
            "upgraded. A copy is kept beside it automatically."
        ),
    )
    if target is None:
        return None
    try:
        return backup_file(db_path, target, connect or connector(None))
    except UserError as exc:
        QMessageBox.warning(parent, _t("MDT Assistant"), str(exc))
        return None
