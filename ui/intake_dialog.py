"""Case intake: a referral entered by hand, for a new patient or a new case of a known one
(found through search), queued on a chosen meeting.

What is valid is decided by the mdt-case/1 reader (`mdt_app.intake.case_from_form`),
the rules `mdt-app import` applies; the stage and guideline options are shown live as
the form is filled. The form is kept as a draft (per user, in the database) while it is
open and after it is closed without saving, until it is saved or discarded.
"""

from __future__ import annotations

import copy
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from mdt_app import intake
from mdt_app.errors import UserError
from mdt_app.search import search_cases
from mdt_app.store import Store
from ui import labels
from ui.guidance import recommend_case
from ui.widgets.common import label
from ui.widgets.defer_dialog import meeting_text
from ui.widgets.intake_fields import FormFields, number_or_text

IMAGING_COLUMNS = ("date", "modality", "region", "summary")
LAB_COLUMNS = ("date", "test", "value", "unit", "low", "high")
LIST_TITLES = {"recommended": "✔ Recommended", "consider": "? Consider",
               "not_recommended": "✘ Not recommended", "missing": "! Missing"}  # fmt: skip


class ChoiceDelegate(QStyledItemDelegate):
    """A cell edited by choosing one of the case format's values (e.g. the modality)."""

    def __init__(self, values: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.values = values

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(list(self.values))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or self.values[0])

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class EntryTable(QTableWidget):
    """Imaging studies or lab results as typed; blank rows are ignored."""

    def __init__(self, name: str, columns: tuple[str, ...], headers: list[str], numbers=()):
        super().__init__(0, len(columns))
        self.setObjectName(name)
        self.columns = columns
        self.numbers = set(numbers)
        self.setHorizontalHeaderLabels(headers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)

    def add_row(self, values: dict | None = None) -> None:
        row = self.rowCount()
        self.insertRow(row)
        for col, key in enumerate(self.columns):
            value = (values or {}).get(key)
            self.setItem(row, col, QTableWidgetItem("" if value is None else str(value)))
        self.setCurrentCell(row, 0)

    def remove_current(self) -> None:
        if self.currentRow() >= 0:
            self.removeRow(self.currentRow())

    def entries(self) -> list[dict]:
        out = []
        for row in range(self.rowCount()):
            texts = [(self.item(row, c).text().strip() if self.item(row, c) else "")  # type: ignore[union-attr]
                     for c in range(len(self.columns))]  # fmt: skip
            if not any(texts):
                continue
            out.append({
                key: (number_or_text(t) if key in self.numbers else (t or None))
                for key, t in zip(self.columns, texts, strict=True)
            })  # fmt: skip
        return out

    def load(self, entries: list[dict]) -> None:
        self.setRowCount(0)
        for e in entries:
            self.add_row(e)


class IntakeDialog(QDialog):
    find: QLineEdit  # type: ignore[assignment]  # the patient search field, not QWidget.find()

    def __init__(self, store: Store, meetings: list[d.Meeting], current: d.Meeting | None,
                 parent=None, today: date | None = None):  # fmt: skip
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle(self.tr("New referral"))
        self.store = store
        self.today = today or date.today()
        self.patient_id: int | None = None
        self.saved_case_id: int | None = None
        self.touched = False  # only a form the user has typed in is kept as a draft
        self.case: d.Case | None = None
        self._loading = True
        self.fields = FormFields(self._changed)
        self.live_timer = QTimer(self, singleShot=True, interval=200)
        self.live_timer.timeout.connect(self.refresh)
        self.draft_timer = QTimer(self, singleShot=True, interval=800)
        self.draft_timer.timeout.connect(self.keep_draft)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._patient_page(), self.tr("Patient"))
        self.tabs.addTab(self._referral_page(), self.tr("Referral and diagnosis"))
        self.tabs.addTab(self._disease_page(), self.tr("Staging and biomarkers"))
        self.tabs.addTab(self._clinical_page(), self.tr("Clinical"))
        self.tabs.addTab(self._entries_page(), self.tr("Imaging and labs"))
        self.tabs.addTab(self._consent_page(), self.tr("Consent"))
        self.meeting = QComboBox()
        self.meeting.setObjectName("intakeMeeting")
        self.meeting.addItem(self.tr("not queued yet"), None)
        for m in meetings:
            self.meeting.addItem(meeting_text(m), m.id)
        if current is not None:
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(current.id)))
        self.meeting.currentIndexChanged.connect(self._changed)
        self._layout()
        self.clear_form()
        self._loading = False
        self.refresh()

    # --- pages ------------------------------------------------------------------------

    def _patient_page(self) -> QWidget:
        f, nr = self.fields, self.tr("not recorded")
        self.new_patient = QRadioButton(self.tr("New patient"))
        self.new_patient.setObjectName("intakeNewPatient")
        self.known_patient = QRadioButton(self.tr("Known patient: new case"))
        self.known_patient.setObjectName("intakeKnownPatient")
        self.new_patient.setChecked(True)
        self.new_patient.toggled.connect(self._mode_changed)
        self.find = QLineEdit()
        self.find.setObjectName("intakePatientFind")
        self.find.setPlaceholderText(self.tr("name, MRN or birth date"))
        self.find.textEdited.connect(self._find)
        self.found = QListWidget()
        self.found.setObjectName("intakePatientsFound")
        self.found.itemActivated.connect(self._choose_known)
        self.found.itemClicked.connect(self._choose_known)
        self.mrn = f.text(("patient", "mrn"), "intakeMrn", self.tr("required"))
        self.given = f.text(("patient", "given_name"), "intakeGivenName")
        self.family = f.text(("patient", "family_name"), "intakeFamilyName")
        self.birth = f.text(("patient", "birth_date"), "intakeBirthDate", "YYYY-MM-DD")
        f.choice(("patient", "sex"), "intakeSex", ("female", "male", "other"), nr)
        f.text(("patient", "preferred_language"), "intakeLanguage", "en")
        page = QWidget()
        layout = QVBoxLayout(page)
        mode = QHBoxLayout()
        mode.addWidget(self.new_patient)
        mode.addWidget(self.known_patient)
        mode.addStretch(1)
        layout.addLayout(mode)
        self.find_row = QWidget()
        find_layout = QVBoxLayout(self.find_row)
        find_layout.setContentsMargins(0, 0, 0, 0)
        find_layout.addWidget(self.find)
        find_layout.addWidget(self.found)
        self.found.setMaximumHeight(110)
        layout.addWidget(self.find_row)
        form = QFormLayout()
        form.addRow(self.tr("MRN"), self.mrn)
        form.addRow(self.tr("Given name"), self.given)
        form.addRow(self.tr("Family name"), self.family)
        form.addRow(self.tr("Birth date"), self.birth)
        form.addRow(self.tr("Sex"), f.bindings[-2].widget)
        form.addRow(self.tr("Language"), f.bindings[-1].widget)
        layout.addLayout(form)
        layout.addStretch(1)
        self.find_row.setVisible(False)
        return page

    def _referral_page(self) -> QWidget:
        f, nr = self.fields, self.tr("not recorded")
        form = QFormLayout()
        form.addRow(
            self.tr("Referred on"),
            f.text(("referral", "referred_on"), "intakeReferredOn", "YYYY-MM-DD"),
        )
        form.addRow(
            self.tr("Referring clinician"),
            f.text(("referral", "referring_clinician"), "intakeReferrer"),
        )
        form.addRow(
            self.tr("Question for the MDT"),
            f.plain(
                ("referral", "question"),
                "intakeQuestion",
                self.tr("e.g. Resectable? Treatment plan?"),
            ),
        )
        form.addRow(
            self.tr("Urgency"),
            f.choice(("referral", "urgent"), "intakeUrgent", (True, False), nr, words=False),
        )
        urgent = f.bindings[-1].widget
        urgent.setItemText(1, self.tr("urgent"))  # type: ignore[attr-defined]
        urgent.setItemText(2, self.tr("routine"))  # type: ignore[attr-defined]
        form.addRow(
            self.tr("Histology"),
            f.choice(
                ("diagnosis", "histology"), "intakeHistology", ("anaplastic_thyroid_carcinoma",), nr
            ),
        )
        form.addRow(
            self.tr("Confirmed by"),
            f.choice(("diagnosis", "confirmed_by"), "intakeConfirmedBy", d.CONFIRMED_BY, nr),
        )
        form.addRow(
            self.tr("Diagnosed on"),
            f.text(("diagnosis", "diagnosed_on"), "intakeDiagnosedOn", "YYYY-MM-DD"),
        )
        return _page(form)  # fmt: skip

    def _disease_page(self) -> QWidget:
        f, nr = self.fields, self.tr("not recorded")
        tnm = QHBoxLayout()
        tnm.addWidget(f.choice(("tnm", "t"), "intakeT", d.T_VALUES, "T?", words=False))
        tnm.addWidget(f.choice(("tnm", "n"), "intakeN", d.N_VALUES, "N?", words=False))
        tnm.addWidget(f.choice(("tnm", "m"), "intakeM", d.M_VALUES, self.tr("M not assessed"),
                               words=False))  # fmt: skip
        left = QFormLayout()
        left.addRow(self.tr("TNM"), tnm)
        left.addRow(
            self.tr("Resectability"),
            f.choice(("resectability",), "intakeResectability", d.RESECTABILITY, nr),
        )
        left.addRow(self.tr("Phase"), f.choice(("phase",), "intakePhase", d.PHASES, nr))
        right = QFormLayout()
        for name in d.BIOMARKER_FIELDS:
            right.addRow(
                labels.biomarker_name(name),
                f.choice(("biomarkers", name), f"intake_{name}", d.BIOMARKER_RESULTS, nr),
            )
        right.addRow(
            self.tr("TMB (mut/Mb)"), f.number(("biomarkers", "tmb_mut_per_mb"), "intakeTmb")
        )
        right.addRow(
            self.tr("PD-L1 TPS (%)"), f.number(("biomarkers", "pdl1_tps_percent"), "intakePdl1")
        )
        page = QWidget()
        grid = QGridLayout(page)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setRowStretch(1, 1)
        return page  # fmt: skip

    def _clinical_page(self) -> QWidget:
        f, nr = self.fields, self.tr("not recorded")
        form = QFormLayout()
        form.addRow(self.tr("ECOG"), f.choice(("ecog",), "intakeEcog", range(6), nr, words=False))
        form.addRow(self.tr("Airway"), f.choice(("airway",), "intakeAirway", d.AIRWAY, nr))
        sites = QHBoxLayout()
        for box in f.checks(("metastases", "sites"), "intakeSite", d.METASTATIC_SITES).values():
            sites.addWidget(box)
        sites.addStretch(1)
        form.addRow(self.tr("Distant metastases"), sites)
        form.addRow(
            self.tr("Burden"), f.choice(("metastases", "burden"), "intakeBurden", d.BURDEN, nr)
        )
        yes_no = (True, False)
        brain = f.choice(
            ("metastases", "brain_symptomatic"), "intakeBrainSymptoms", yes_no, nr, words=False
        )
        brain.setItemText(1, self.tr("symptomatic"))
        brain.setItemText(2, self.tr("not symptomatic"))
        form.addRow(self.tr("Brain metastases"), brain)
        imaging = f.choice(("brain_imaging_done",), "intakeBrainImaging", yes_no, nr, words=False)
        imaging.setItemText(1, self.tr("done"))
        imaging.setItemText(2, self.tr("not done"))
        form.addRow(self.tr("Brain imaging"), imaging)
        form.addRow(
            self.tr("Goals of care"),
            f.choice(("goals_of_care",), "intakeGoals", d.GOALS_OF_CARE, nr),
        )
        form.addRow(
            self.tr("Decision capacity"),
            f.choice(("decision_capacity",), "intakeCapacity", d.CAPACITY, nr),
        )
        declines = QHBoxLayout()
        for box in f.checks(("declines",), "intakeDeclines", d.DECLINABLE).values():
            declines.addWidget(box)
        declines.addStretch(1)
        form.addRow(self.tr("Patient declines"), declines)
        return _page(form)  # fmt: skip

    def _entries_page(self) -> QWidget:
        self.imaging = EntryTable(
            "intakeImaging",
            IMAGING_COLUMNS,
            [
                self.tr("Date"),
                self.tr("Modality (CT, FDG-PET/CT, MRI, US…)"),
                self.tr("Region"),
                self.tr("Summary"),
            ],
        )
        self.labs = EntryTable(
            "intakeLabs", LAB_COLUMNS,
            [self.tr("Date"), self.tr("Test"), self.tr("Value"), self.tr("Unit"),
             self.tr("Low"), self.tr("High")], numbers=("value", "low", "high"))  # fmt: skip
        page = QWidget()
        layout = QVBoxLayout(page)
        for title, table, add_name in (
            (self.tr("Imaging"), self.imaging, "intakeAddStudy"),
            (self.tr("Labs"), self.labs, "intakeAddLab"),
        ):
            table.itemChanged.connect(self._changed)
            add = QPushButton(self.tr("Add row"))
            add.setObjectName(add_name)
            add.clicked.connect(lambda _=False, t=table: t.add_row())
            remove = QPushButton(self.tr("Remove row"))
            remove.clicked.connect(lambda _=False, t=table: (t.remove_current(), self._changed()))  # type: ignore[func-returns-value]
            row = QHBoxLayout()
            row.addWidget(label(title, "sectionTitle"))
            row.addStretch(1)
            row.addWidget(add)
            row.addWidget(remove)
            layout.addLayout(row)
            layout.addWidget(table, 1)
        return page  # fmt: skip

    def _consent_page(self) -> QWidget:
        f, nr = self.fields, self.tr("not recorded")
        answers = ("given", "refused")
        form = QFormLayout()
        form.addRow(
            self.tr("To discussion by the MDT and care"),
            f.choice(("consent", "discussion"), "consentDiscussion", answers, nr, words=False),
        )
        form.addRow(
            self.tr("To use of the data in a registry"),
            f.choice(("consent", "registry"), "consentRegistry", answers, nr, words=False),
        )
        form.addRow(
            self.tr("To being contacted for research"),
            f.choice(("consent", "research"), "consentResearch", answers, nr, words=False),
        )
        form.addRow(
            self.tr("Recorded on"),
            f.text(("consent", "recorded_on"), "consentRecordedOn", "YYYY-MM-DD"),
        )
        form.addRow(self.tr("Recorded by"), f.text(("consent", "recorded_by"), "consentRecordedBy"))
        page = _page(form)
        page.layout().addWidget(  # type: ignore[union-attr]
            label(
                self.tr(
                    "Not recorded is never read as given. A refusal of registry use keeps the "
                    "case out "
                    "of pseudonymised exports; every refusal is printed in the minutes."
                ),
                "muted",
                wrap=True,
            )
        )
        return page  # fmt: skip

    def _layout(self) -> None:
        self.stage = label("", "stage", name="intakeStage")
        self.basis = label("", "basis", wrap=True, name="intakeStageBasis")
        self.options = label("", wrap=True, name="intakeOptions")
        self.options.setTextFormat(Qt.TextFormat.RichText)
        self.problem = label("", "warning", wrap=True, name="intakeProblem")
        live = QWidget()
        live.setObjectName("intakeLive")
        column = QVBoxLayout(live)
        column.addWidget(label(self.tr("Live stage and options"), "panelTitle"))
        column.addWidget(self.stage)
        column.addWidget(self.basis)
        column.addWidget(self.problem)
        column.addWidget(self.options, 1)
        column.addStretch(1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(live)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(area)
        splitter.setSizes([820, 420])
        self.save_button = QPushButton(self.tr("Save and queue"))
        self.save_button.setObjectName("intakeSaveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        keep = QPushButton(self.tr("Keep as draft and close"))
        keep.setObjectName("intakeKeepDraftButton")
        keep.clicked.connect(self.reject)
        discard = QPushButton(self.tr("Discard draft"))
        discard.setObjectName("intakeDiscardButton")
        discard.clicked.connect(self.discard)
        self.draft_note = label("", "muted", name="intakeDraftNote")
        buttons = QHBoxLayout()
        buttons.addWidget(label(self.tr("Queue on"), "factName"))
        buttons.addWidget(self.meeting)
        buttons.addWidget(self.draft_note, 1)
        buttons.addWidget(discard)
        buttons.addWidget(keep)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1280, 700)

    # --- the form as a case object ----------------------------------------------------

    def form(self) -> dict:
        out = {**intake.empty_form(), **self.fields.form()}
        out["imaging"] = self.imaging.entries()
        out["labs"] = self.labs.entries()
        return out

    def state(self) -> dict:
        """What a draft keeps: the form, the known patient and the meeting chosen."""
        return {"form": self.form(), "patient_id": self.patient_id,
                "meeting_id": self.meeting.currentData()}  # fmt: skip

    def load_state(self, state: dict) -> None:
        self._loading = True
        form = state.get("form") or {}
        self.fields.load(form)
        self.imaging.load(form.get("imaging") or [])
        self.labs.load(form.get("labs") or [])
        self.patient_id = state.get("patient_id")
        self.known_patient.setChecked(self.patient_id is not None)
        self.new_patient.setChecked(self.patient_id is None)
        self.fields.set_enabled(("patient",), self.patient_id is None)
        index = self.meeting.findData(state.get("meeting_id"))
        if index >= 0:
            self.meeting.setCurrentIndex(index)
        self._loading = False
        self.refresh()

    def clear_form(self) -> None:
        recorder = self.store.actor
        self.load_state({"form": {
            "referral": {"referred_on": self.today.isoformat()},
            "diagnosis": {"histology": "anaplastic_thyroid_carcinoma"},
            "patient": {"preferred_language": "en"},
            "consent": {"recorded_by": recorder, "recorded_on": self.today.isoformat()},
        }, "meeting_id": self.meeting.currentData()})  # fmt: skip

    # --- live checking ------------------------------------------------------------------

    def _changed(self, *args) -> None:
        if self._loading:
            return
        self.touched = True
        self.live_timer.start()
        self.draft_timer.start()

    def refresh(self) -> None:
        """Check the form with the case-file rules; show the stage and options."""
        self.live_timer.stop()
        form = self.form()
        consent = form.get("consent") or {}
        if not any(consent.get(t) for t in d.CONSENT_TOPICS):
            # Date and recorder prefilled without an answer say nothing yet.
            form["consent"] = {}
        try:
            self.case = intake.case_from_form(form)
        except UserError as exc:
            self.case = None
            self.problem.setText("⚠ " + str(exc).removeprefix(intake.WHERE + ": "))
            self.problem.setVisible(True)
            self.save_button.setEnabled(False)
            self._show_stage(_partial_case(form))
            return
        self.problem.setVisible(False)
        self.save_button.setEnabled(True)
        self._show_stage(self.case)

    def _show_stage(self, case: d.Case | None) -> None:
        if case is None:
            self.stage.setText(self.tr("Stage: not yet known"))
            self.basis.setText("")
            self.options.setText("")
            return
        rec = recommend_case(case, today=self.today)
        self.stage.setText(self.tr("Stage {stage}").format(stage=rec.stage))
        self.basis.setText(rec.stage_basis)
        parts = []
        for name, options in rec.lists().items():
            if options:
                items = "".join(f"<li>{o.title}</li>" for o in options)
                parts.append(f"<b>{self.tr(LIST_TITLES[name])}</b><ul>{items}</ul>")
        parts += [f"<p>⚠ {w}</p>" for w in rec.warnings]
        self.options.setText("".join(parts))

    # --- known patients -----------------------------------------------------------------

    def _mode_changed(self, new: bool) -> None:
        self.find_row.setVisible(not new)
        if new:
            self.patient_id = None
            self.fields.set_enabled(("patient",), True)
        else:
            self.find.setFocus()
        self._changed()

    def _find(self, text: str) -> None:
        self.found.clear()
        try:
            hits = search_cases(self.store, text, limit=20) if text.strip() else []
        except UserError:
            hits = []
        seen = set()
        for hit in hits:
            if hit.row.mrn in seen:
                continue
            seen.add(hit.row.mrn)
            born = hit.row.birth_date.isoformat() if hit.row.birth_date else "—"
            item = QListWidgetItem(f"{hit.row.patient} · MRN {hit.row.mrn} · {born}")
            item.setData(Qt.ItemDataRole.UserRole, hit.row.mrn)
            self.found.addItem(item)

    def _choose_known(self, item: QListWidgetItem) -> None:
        patient = self.store.patient_by_mrn(item.data(Qt.ItemDataRole.UserRole))
        if patient is None:
            return
        self.choose_patient(patient)

    def choose_patient(self, patient: d.Patient) -> None:
        """Take a known patient's identity (read-only here; corrected via Edit identity)."""
        state = self.state()
        state["form"]["patient"] = {
            "mrn": patient.mrn, "given_name": patient.given_name,
            "family_name": patient.family_name,
            "birth_date": patient.birth_date.isoformat() if patient.birth_date else None,
            "sex": None if patient.sex == "unknown" else patient.sex,
            "preferred_language": patient.preferred_language,
        }  # fmt: skip
        state["patient_id"] = patient.id
        self.load_state(state)
        self._changed()

    # --- saving -------------------------------------------------------------------------

    def keep_draft(self) -> None:
        self.draft_timer.stop()
        if self.saved_case_id is not None or not self.touched:
            return
        try:
            self.store.save_intake_draft(self.state())
        except UserError as exc:
            self.draft_note.setText(self.tr("Draft NOT kept: {e}").format(e=exc))
            return
        self.draft_note.setText(self.tr("Draft kept"))

    def save(self) -> None:
        self.refresh()
        if self.case is None:
            return
        try:
            self.saved_case_id = self.store.add_referral(
                copy.deepcopy(self.case), meeting_id=self.meeting.currentData(),
                patient_id=self.patient_id,
            )  # fmt: skip
        except UserError as exc:
            self.problem.setText("⚠ " + str(exc))
            self.problem.setVisible(True)
            return
        self.accept()

    def discard(self) -> None:
        self.draft_timer.stop()
        self.store.discard_intake_draft()
        self.clear_form()
        self.touched = False
        self.draft_note.setText(self.tr("Draft discarded"))

    def reject(self) -> None:
        self.keep_draft()  # closing never loses what was typed
        super().reject()

    def meeting_id(self) -> int | None:
        return self.meeting.currentData()


def _page(form: QFormLayout) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addLayout(form)
    layout.addStretch(1)
    return page


def _partial_case(form: dict) -> d.Case | None:
    """While the form is not yet valid, the case it would make once the identity is in
    (or, if something else is wrong too, the stage from its TNM alone)."""
    patient = dict(form.get("patient") or {})
    patient["mrn"] = patient.get("mrn") or "-"
    if not (patient.get("given_name") or patient.get("family_name")):
        patient["family_name"] = "-"
    for attempt in (
        {**form, "patient": patient},
        {**intake.empty_form(), "patient": patient, "tnm": form.get("tnm") or {}},
    ):
        try:
            return intake.case_from_form(attempt)
        except UserError:
            continue
    return None
