"""Importing case files in the window: files are read and checked off the GUI thread with
progress, then a report says what importing would do (cases created, patients updated
and what changed, items skipped and why). Nothing is written until the user confirms.

Reading and writing are `mdt_app.import_preview.plan_import` / `apply_import`, each run
by a worker with its own Store (a connection belongs to the thread that opened it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from mdt_app import domain as d
from mdt_app import import_preview as ip
from mdt_app.store import open_store
from ui import workers
from ui.widgets.common import label
from ui.widgets.defer_dialog import meeting_text

FILE_FILTER = "Case files (*.json);;All files (*)"


class ProgressRelay(QObject):
    """Carries a worker's progress to the GUI thread (queued across threads)."""

    progressed = Signal(int, int, str)


def _plan(db_path: Path, paths: list[str], relay: ProgressRelay) -> ip.ImportPlan:
    with open_store(db_path, create=False) as store:
        return ip.plan_import(store, paths, lambda n, total, f: relay.progressed.emit(n, total, f))


def _apply(db_path: Path, plan: ip.ImportPlan, meeting_id: int | None) -> list[int]:
    with open_store(db_path, create=False) as store:
        return ip.apply_import(store, plan, meeting_id)


class ImportDialog(QDialog):
    imported = Signal(list)  # case ids, once written

    def __init__(self, db_path: Path, paths: list[str], meetings: list[d.Meeting],
                 current: d.Meeting | None, parent=None):  # fmt: skip
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import cases"))
        self.db_path = db_path
        self.paths = paths
        self.plan: ip.ImportPlan | None = None
        self.case_ids: list[int] = []
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._progress)
        self.status = label(self.tr("Checking {n} file(s)…").format(n=len(paths)), wrap=True,
                            name="importStatus")  # fmt: skip
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.bar.setRange(0, len(paths))
        self.report = QTreeWidget()
        self.report.setObjectName("importReport")
        self.report.setHeaderHidden(True)
        self.report.setWordWrap(True)
        self.meeting = QComboBox()
        self.meeting.setObjectName("importMeeting")
        self.meeting.addItem(self.tr("do not queue"), None)
        for m in meetings:
            self.meeting.addItem(meeting_text(m), m.id)
        if current is not None:
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(current.id)))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(self.tr("Import"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        self.confirm.setObjectName("importConfirmButton")
        self.confirm.setEnabled(False)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        queue = QHBoxLayout()
        queue.addWidget(label(self.tr("Queue the cases on"), "factName"))
        queue.addWidget(self.meeting, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.report, 1)
        layout.addLayout(queue)
        layout.addWidget(label(self.tr("Nothing is written until you press Import."), "muted"))
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self.worker = workers.start(_plan, db_path, list(paths), self.relay,
                                    on_result=self._planned, on_error=self._failed)  # fmt: skip

    def _progress(self, done: int, total: int, name: str) -> None:
        self.bar.setValue(done)
        if name:
            self.status.setText(self.tr("Checking {name} ({done} of {total})…").format(
                name=Path(name).name, done=done + 1, total=total))  # fmt: skip

    def _failed(self, exc: BaseException, _trace: str) -> None:
        self.status.setText(self.tr("⚠ The import could not be done: {e}").format(e=exc))
        self.status.setProperty("role", "warning")
        self.confirm.setEnabled(False)

    def _planned(self, plan: ip.ImportPlan) -> None:
        self.plan = plan
        self.bar.setValue(self.bar.maximum())
        self.status.setText(self.tr("Report: {summary}.").format(summary=plan.summary()))
        self._group(self.tr("Cases created: new patients ({n})"), plan.of(ip.NEW_PATIENT))
        self._group(self.tr("Patients updated ({n})"), plan.of(ip.UPDATE), changes=True)
        self._group(self.tr("Unchanged: already up to date ({n})"), plan.of(ip.UNCHANGED))
        skipped = QTreeWidgetItem([self.tr("Skipped ({n})").format(n=len(plan.skipped))])
        for s in plan.skipped:
            child = QTreeWidgetItem([f"✘ {s.what}: {s.reason}"])
            child.setToolTip(0, s.reason)
            skipped.addChild(child)
        self.report.addTopLevelItem(skipped)
        self.report.expandAll()
        self.confirm.setEnabled(bool(plan.cases))
        self.confirm.setText(self.tr("Import {n} case(s)").format(n=len(plan.cases)))

    def _group(self, title: str, cases: list[ip.PlannedCase], changes: bool = False) -> None:
        top = QTreeWidgetItem([title.format(n=len(cases))])
        for c in cases:
            child = QTreeWidgetItem([f"{c.patient} · {Path(c.file).name}"])
            if changes:
                for change in c.changes:
                    child.addChild(QTreeWidgetItem([change]))
            top.addChild(child)
        self.report.addTopLevelItem(top)

    def write(self) -> None:
        if self.plan is None:
            return
        self.confirm.setEnabled(False)
        self.status.setText(self.tr("Importing…"))
        self.worker = workers.start(_apply, self.db_path, self.plan, self.meeting.currentData(),
                                    on_result=self._written, on_error=self._failed)  # fmt: skip

    def _written(self, ids: list[int]) -> None:
        self.case_ids = ids
        self.imported.emit(ids)
        self.accept()

    def meeting_id(self) -> int | None:
        return self.meeting.currentData()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.confirm.isEnabled():
            return  # Enter never confirms before the report is there
        super().keyPressEvent(event)
