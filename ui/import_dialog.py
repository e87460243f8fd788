"""Importing files in the window: files are read and checked off the GUI thread with
progress, then the import report says what importing would do, per patient (created,
updated with the fields that change, unchanged, not imported and why) and which resources
are skipped. Nothing is written until the user confirms.

The report is the CLI's (`mdt_app.exchange.importer.apply_import` with ``dry_run``: the
import done in a transaction that is rolled back); confirming runs the same import for
real, refused if it no longer matches the report. Each run is a worker with its own
Store (a connection belongs to the thread that opened it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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
from mdt_app.exchange import importer
from mdt_app.exchange.report import CREATED, NOT_IMPORTED, UNCHANGED, UPDATED, ImportReport
from mdt_app.store import open_store
from ui import workers
from ui.location import Location
from ui.widgets.common import label
from ui.widgets.defer_dialog import meeting_text

FILE_FILTER = (
    "Case files, FHIR Bundles, HL7 v2 (*.json *.hl7 *.txt);;JSON (*.json);;HL7 v2 (*.hl7);;"
    "All files (*)"
)


class ProgressRelay(QObject):
    """Carries a worker's progress to the GUI thread (queued across threads)."""

    progressed = Signal(int, int, str)


def _preview(
    db_path: Location, paths: list[str], options: dict, relay: ProgressRelay
) -> ImportReport:
    def progress(n: int, total: int, name: str) -> None:
        relay.progressed.emit(n, total, name)

    files, refused = importer.read_readable(paths, progress)  # type: ignore[arg-type]
    with open_store(db_path, create=False) as store:
        report = importer.apply_import(store, files, dry_run=True, **options)
    report.refused = refused
    return report


def _write(db_path: Location, preview: ImportReport, options: dict) -> ImportReport:
    files = importer.read_files([f.path for f in preview.files])  # read again, as the CLI
    with open_store(db_path, create=False) as store:
        return importer.apply_import(store, files, expect=preview, **options)


class ImportDialog(QDialog):
    imported = Signal(list)  # case ids, once written

    def __init__(self, db_path: Location, paths: list[str], meetings: list[d.Meeting],
                 current: d.Meeting | None, parent=None):  # fmt: skip
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import cases"))
        self.db_path = db_path
        self.paths = paths
        self.plan: ImportReport | None = None  # the preview shown
        self.result_report: ImportReport | None = None
        self.case_ids: list[int] = []
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._progress)
        self.status = label("", wrap=True, name="importStatus")
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.report = QTreeWidget()
        self.report.setObjectName("importReport")
        self.report.setHeaderHidden(True)
        self.report.setWordWrap(True)
        self.non_atc = QCheckBox(self.tr("Include patients with no thyroid cancer diagnosis"))
        self.non_atc.setObjectName("importIncludeNonAtc")
        self.deceased = QCheckBox(self.tr("Include deceased patients"))
        self.deceased.setObjectName("importIncludeDeceased")
        for box in (self.non_atc, self.deceased):
            box.toggled.connect(lambda _on: self.check())
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
        gates = QHBoxLayout()
        gates.addWidget(self.non_atc)
        gates.addWidget(self.deceased)
        gates.addStretch(1)
        queue = QHBoxLayout()
        queue.addWidget(label(self.tr("Queue the cases on"), "factName"))
        queue.addWidget(self.meeting, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.report, 1)
        layout.addLayout(gates)
        layout.addLayout(queue)
        layout.addWidget(label(self.tr("Nothing is written until you press Import."), "muted"))
        layout.addWidget(self.buttons)
        self.resize(900, 600)
        self.worker: workers.Worker | None = None
        self.check()

    def options(self, queue: bool = False) -> dict:
        """The import's options, as `mdt-app import` takes them."""
        chosen = {"include_non_atc": self.non_atc.isChecked(),
                  "include_deceased": self.deceased.isChecked()}  # fmt: skip
        if queue:
            chosen["meeting_id"] = self.meeting.currentData()
        return chosen

    def check(self) -> None:
        """Work out (again, after an option changed) what the import would do."""
        self.plan = None
        self.confirm.setEnabled(False)
        for box in (self.non_atc, self.deceased):
            box.setEnabled(False)
        self.report.clear()
        self.bar.setRange(0, len(self.paths))
        self.status.setText(self.tr("Checking {n} file(s)…").format(n=len(self.paths)))
        self.status.setProperty("role", None)
        self.worker = workers.start(_preview, self.db_path, list(self.paths), self.options(),
                                    self.relay, on_result=self._checked,
                                    on_error=self._failed)  # fmt: skip

    def _progress(self, done: int, total: int, name: str) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        if name:
            self.status.setText(self.tr("Checking {name} ({done} of {total})…").format(
                name=Path(name).name, done=done + 1, total=total))  # fmt: skip

    def _failed(self, exc: BaseException, _trace: str) -> None:
        self.status.setText(self.tr("⚠ The import could not be done: {e}").format(e=exc))
        self.status.setProperty("role", "warning")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.confirm.setEnabled(False)
        for box in (self.non_atc, self.deceased):
            box.setEnabled(True)

    def _checked(self, plan: ImportReport) -> None:
        self.plan = plan
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        for box in (self.non_atc, self.deceased):
            box.setEnabled(True)
        self.status.setText(plan.summary())
        self._fill(plan)
        patients = {p.mrn for p in plan.patients if p.action != NOT_IMPORTED}
        self.confirm.setEnabled(bool(patients))
        self.confirm.setText(self.tr("Import {n} patient(s)").format(n=len(patients)))

    def _fill(self, plan: ImportReport) -> None:
        self._folded: list[QTreeWidgetItem] = []  # field sources: open on demand
        if plan.refused:
            self._top(self.tr("Files refused: nothing read from them ({n})"),
                      [f"✘ {Path(p).name}: {why}" for p, why in plan.refused])  # fmt: skip
        groups = (
            (CREATED, self.tr("Cases created: new patients ({n})")),
            (UPDATED, self.tr("Patients updated ({n})")),
            (UNCHANGED, self.tr("Unchanged: already up to date ({n})")),
            (NOT_IMPORTED, self.tr("Not imported ({n})")),
        )
        for action, title in groups:
            top = QTreeWidgetItem([title.format(n=plan.count(action))])
            for f in plan.files:
                for p in (p for p in f.patients if p.action == action):
                    top.addChild(self._patient(f.path, p))
            self.report.addTopLevelItem(top)
            top.setExpanded(True)
        skipped = [f"{Path(f.path).name} · {p.name or p.mrn}: {res}: {why}"
                   for f in plan.files for p in f.patients for res, why in p.skipped]  # fmt: skip
        skipped += [f"{Path(f.path).name}: {res}: {why}"
                    for f in plan.files for res, why in f.unattributed]  # fmt: skip
        self._top(self.tr("Resources skipped ({n})"), skipped)
        events = [f"{Path(f.path).name}: {e}" for f in plan.files for e in f.events]
        if events:
            self._top(self.tr("Merges and notes ({n})"), events)
        self.report.expandAll()
        for item in self._folded:
            item.setExpanded(False)

    def _patient(self, path: str, p) -> QTreeWidgetItem:
        text = f"{p.name or self.tr('(no name)')} (MRN {p.mrn}) · {Path(path).name} [{p.source}]"
        item = QTreeWidgetItem([text])
        item.setToolTip(0, path)
        if p.reason:
            # The CLI names its options; here the boxes below do the same.
            reason = p.reason.replace(importer.DECEASED_OPTION, f"“{self.deceased.text()}”")
            reason = reason.replace(importer.NON_ATC_OPTION, f"“{self.non_atc.text()}”")
            item.addChild(QTreeWidgetItem([self.tr("why: {r}").format(r=reason)]))
        for change in p.changes:
            item.addChild(QTreeWidgetItem([change]))
        for note in p.notes:
            item.addChild(QTreeWidgetItem([self.tr("note: {n}").format(n=note)]))
        if p.mapped:
            fields = QTreeWidgetItem([self.tr("where each field comes from ({n})").format(
                n=len(p.mapped))])  # fmt: skip
            for name, where in p.mapped:
                fields.addChild(QTreeWidgetItem([f"{name} ← {where}"]))
            item.addChild(fields)
            self._folded.append(fields)
        return item

    def _top(self, title: str, lines: list[str]) -> None:
        top = QTreeWidgetItem([title.format(n=len(lines))])
        for line in lines:
            child = QTreeWidgetItem([line])
            child.setToolTip(0, line)
            top.addChild(child)
        self.report.addTopLevelItem(top)
        top.setExpanded(True)

    def write(self) -> None:
        if self.plan is None or not self.confirm.isEnabled():
            return
        self.confirm.setEnabled(False)
        for box in (self.non_atc, self.deceased):
            box.setEnabled(False)
        self.status.setText(self.tr("Importing…"))
        self.bar.setRange(0, 0)  # busy
        self.worker = workers.start(_write, self.db_path, self.plan, self.options(queue=True),
                                    on_result=self._written, on_error=self._failed)  # fmt: skip

    def _written(self, report: ImportReport) -> None:
        self.result_report = report
        self.case_ids = [p.case_id for p in report.patients if p.case_id is not None]
        self.imported.emit(self.case_ids)
        self.accept()

    def meeting_id(self) -> int | None:
        return self.meeting.currentData()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.confirm.isEnabled():
            return  # Enter never confirms before the report is there
        super().keyPressEvent(event)
