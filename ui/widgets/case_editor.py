"""Correcting or adding case data in preparation or in the meeting.

Every change is applied at once (``caseEdited``): the window saves it and the stage and
guideline options are recomputed while the editor stays open. Choices are limited to the
case format's values, numbers to their ranges, and table edits are checked as typed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from ui import labels
from ui.models.case_tables import ImagingTableModel, LabsTableModel
from ui.widgets.case_editor_v2 import PathwayV2Page
from ui.widgets.common import DialogPart, label, stack_dialog, table_view
from ui.widgets.date_fields import date_edit, day_of


class EnumCombo(QComboBox):
    """A choice among a field's values; ``none_text`` (if given) stands for None."""

    def __init__(self, name: str, values, none_text: str | None = None, words: bool = True):
        super().__init__()
        self.setObjectName(name)
        if none_text is not None:
            self.addItem(none_text, None)
        for value in values:
            self.addItem(labels.word(value) if words else str(value), value)

    def value(self):
        return self.currentData()

    def set_value(self, value) -> None:
        index = self.findData(value)
        self.setCurrentIndex(index if index >= 0 else 0)


class NumberBox(QDoubleSpinBox):
    """A number or 'not recorded' (the minimum, shown as words)."""

    def __init__(self, name: str, top: float, suffix: str):
        super().__init__()
        self.setObjectName(name)
        self.setRange(-1, top)
        self.setDecimals(1)
        self.setSuffix(suffix)
        self.setSpecialValueText(self.tr("not recorded"))

    def number(self) -> float | None:
        return None if self.value() < 0 else self.value()

    def set_number(self, value: float | None) -> None:
        self.setValue(-1 if value is None else value)


class CaseDataDialog(QDialog):
    caseEdited = Signal(object)  # the edited Case, to be saved

    def __init__(
        self,
        case: d.Case,
        parent=None,
        signed: d.Decision | None = None,
        confirm: Callable[[str], bool] | None = None,
    ):
        """``signed``: the case's signed decision, if any; the first change then asks
        ``confirm`` first, and a refused change is undone in the form."""
        super().__init__(parent)
        self.setObjectName("caseDataDialog")
        self.signed = signed
        self.confirm = confirm
        self.acknowledged = signed is None
        self.setWindowTitle(self.tr("Case data: {name}").format(name=case.patient.display_name))
        self.case = copy.deepcopy(case)
        self._loading = True
        self.tabs = QTabWidget()
        self.tabs.addTab(self._clinical_page(), self.tr("Staging and findings"))
        self.tabs.addTab(self._imaging_page(), self.tr("Imaging"))
        self.tabs.addTab(self._labs_page(), self.tr("Labs"))
        self.v2 = PathwayV2Page(EnumCombo)
        self.v2.changed.connect(self.apply)
        self.tabs.addTab(self.v2, self.tr("History, pregnancy, surgery fitness"))
        self.problem = label("", "warning", wrap=True, name="caseEditProblem")
        self.problem.setVisible(False)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        intro = label(self.tr("Changes are saved at once; stage and options update live."), "muted")
        parts: list[DialogPart] = [(self.tabs, 1)]
        if signed is not None:
            warning = label(self.signed_warning(), "warning", wrap=True, name="signedCaseWarning")
            parts.insert(0, warning)
        # Close, not reject: the editor saves as it goes, there is nothing to cancel.
        stack_dialog(self, parts, self.problem, close, 760, intro, height=560,
                     on_reject=self.close)  # fmt: skip
        self._load(self.case)
        self._loading = False

    # --- pages ------------------------------------------------------------------------------

    def _clinical_page(self) -> QWidget:
        nr = self.tr("not recorded")
        self.t = EnumCombo("editT", d.T_VALUES, nr, words=False)
        self.n = EnumCombo("editN", d.N_VALUES, nr, words=False)
        self.m = EnumCombo("editM", d.M_VALUES, self.tr("not assessed"), words=False)
        self.tnm_basis = EnumCombo("editTnmBasis", d.TNM_BASES, nr)
        self.tnm_basis.setToolTip(
            self.tr("What the TNM rests on: clinical or the resected specimen")
        )
        self.resectability = EnumCombo("editResectability", d.RESECTABILITY)
        self.phase = EnumCombo("editPhase", d.PHASES)
        self.markers = {f: EnumCombo(f"edit_{f}", d.BIOMARKER_RESULTS) for f in d.BIOMARKER_FIELDS}
        self.tmb = NumberBox("editTmb", 1000, " mut/Mb")
        self.pdl1 = NumberBox("editPdl1", 100, " %")
        self.ecog = EnumCombo("editEcog", range(6), nr, words=False)
        self.airway = EnumCombo("editAirway", d.AIRWAY)
        self.goals = EnumCombo("editGoals", d.GOALS_OF_CARE, nr)
        self.capacity = EnumCombo("editCapacity", d.CAPACITY)
        self.sites = {s: QCheckBox(s) for s in d.METASTATIC_SITES}
        self.burden = EnumCombo("editBurden", d.BURDEN, nr)
        self.confirmed_by = EnumCombo("editConfirmedBy", d.CONFIRMED_BY, nr)
        self.declines = {x: QCheckBox(labels.word(x)) for x in d.DECLINABLE}
        self.brain_imaging = EnumCombo("editBrainImaging", (True, False), nr, words=False)
        self.brain_imaging.setItemText(1, self.tr("done"))
        self.brain_imaging.setItemText(2, self.tr("not done"))
        page = QWidget()
        grid = QGridLayout(page)
        left, right = QFormLayout(), QFormLayout()
        tnm = QHBoxLayout()
        for combo in (self.t, self.n, self.m, self.tnm_basis):
            tnm.addWidget(combo)
        left.addRow(self.tr("TNM"), tnm)
        left.addRow(self.tr("Histology by"), self.confirmed_by)
        left.addRow(self.tr("Resectability"), self.resectability)
        left.addRow(self.tr("Phase"), self.phase)
        left.addRow(self.tr("ECOG"), self.ecog)
        left.addRow(self.tr("Airway"), self.airway)
        left.addRow(self.tr("Goals of care"), self.goals)
        left.addRow(self.tr("Capacity"), self.capacity)
        sites = QHBoxLayout()
        for box in self.sites.values():
            sites.addWidget(box)
        left.addRow(self.tr("Metastases"), sites)
        left.addRow(self.tr("Burden"), self.burden)
        left.addRow(self.tr("Brain imaging"), self.brain_imaging)
        for field, combo in self.markers.items():
            right.addRow(labels.biomarker_name(field), combo)
        right.addRow(self.tr("TMB"), self.tmb)
        right.addRow(self.tr("PD-L1 TPS"), self.pdl1)
        declines = QVBoxLayout()
        for box in self.declines.values():
            declines.addWidget(box)
        right.addRow(self.tr("Patient declines"), declines)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setRowStretch(1, 1)
        combos = [self.t, self.n, self.m, self.tnm_basis, self.resectability, self.phase,
                  self.ecog, self.airway, self.goals, self.capacity, self.burden,
                  self.brain_imaging, self.confirmed_by,
                  *self.markers.values()]  # fmt: skip
        for combo in combos:
            combo.currentIndexChanged.connect(self.apply)
        for box in [*self.sites.values(), *self.declines.values()]:
            box.toggled.connect(self.apply)
        for spin in (self.tmb, self.pdl1):
            spin.editingFinished.connect(self.apply)
        return page

    def _imaging_page(self) -> QWidget:
        self.imaging_model = ImagingTableModel(self, editable=True)
        view = table_view("editImagingTable", self.tr("Imaging"))
        view.setModel(self.imaging_model)
        view.horizontalHeader().setStretchLastSection(True)
        self.imaging_view = view
        self.new_study_date = date_edit("newStudyDate")
        self.new_modality = EnumCombo("newModality", d.IMAGING_MODALITIES)
        self.new_region = QLineEdit()
        self.new_region.setObjectName("newRegion")
        self.new_region.setPlaceholderText(self.tr("region"))
        self.new_summary = QLineEdit()
        self.new_summary.setObjectName("newSummary")
        self.new_summary.setPlaceholderText(self.tr("summary"))
        add = QPushButton(self.tr("Add study"))
        add.setObjectName("addStudyButton")
        add.clicked.connect(self.add_study)
        row = QHBoxLayout()
        for w in (self.new_study_date, self.new_modality, self.new_region):
            row.addWidget(w)
        row.addWidget(self.new_summary, 1)
        row.addWidget(add)
        return self._table_page(view, self.imaging_model, row)

    def _labs_page(self) -> QWidget:
        self.labs_model = LabsTableModel(self, editable=True)
        view = table_view("editLabsTable", self.tr("Labs"))
        view.setModel(self.labs_model)
        self.labs_view = view
        self.new_lab_date = date_edit("newLabDate")
        self.new_test = QComboBox()
        self.new_test.setObjectName("newTest")
        self.new_test.setEditable(True)
        self.new_value = QLineEdit()
        self.new_value.setObjectName("newValue")
        self.new_value.setPlaceholderText(self.tr("value"))
        self.new_unit = QLineEdit()
        self.new_unit.setObjectName("newUnit")
        self.new_unit.setPlaceholderText(self.tr("unit"))
        self.new_range = QLineEdit()
        self.new_range.setObjectName("newRange")
        self.new_range.setPlaceholderText(self.tr("range, e.g. 0.4-4.0"))
        add = QPushButton(self.tr("Add result"))
        add.setObjectName("addLabButton")
        add.clicked.connect(self.add_lab)
        row = QHBoxLayout()
        for w in (self.new_lab_date, self.new_test, self.new_value, self.new_unit, self.new_range):
            row.addWidget(w)
        row.addWidget(add)
        return self._table_page(view, self.labs_model, row)

    def _table_page(self, view, model, add_row) -> QWidget:
        remove = QPushButton(self.tr("Remove selected"))
        remove.clicked.connect(lambda: self._remove(view, model))
        model.dataChanged.connect(self.apply)
        model.invalidEdit.connect(self.refuse)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(view, 1)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(label(self.tr("Add:"), "factName"))
        layout.addLayout(add_row)
        return page

    # --- loading and applying ---------------------------------------------------------------

    def _load(self, case: d.Case) -> None:
        self.t.set_value(case.tnm.t)
        self.n.set_value(case.tnm.n)
        self.m.set_value(case.tnm.m)
        self.tnm_basis.set_value(case.tnm.basis)
        self.resectability.set_value(case.resectability)
        self.phase.set_value(case.phase)
        for field, combo in self.markers.items():
            combo.set_value(getattr(case.biomarkers, field))
        self.tmb.set_number(case.biomarkers.tmb_mut_per_mb)
        self.pdl1.set_number(case.biomarkers.pdl1_tps_percent)
        self.ecog.set_value(case.ecog)
        self.airway.set_value(case.airway)
        self.goals.set_value(case.goals_of_care)
        self.capacity.set_value(case.decision_capacity)
        for site, box in self.sites.items():
            box.setChecked(site in case.metastases.sites)
        self.burden.set_value(case.metastases.burden)
        self.brain_imaging.set_value(case.brain_imaging_done)
        self.confirmed_by.set_value(case.diagnosis.confirmed_by)
        for value, box in self.declines.items():
            box.setChecked(value in case.declines)
        self.imaging_model.set_rows(case.imaging)
        self.labs_model.set_rows(case.labs)
        self.v2.load(case)
        self.new_test.clear()
        self.new_test.addItems(sorted({lab.test for lab in case.labs}, key=str.lower))

    def edited_case(self) -> d.Case:
        case = copy.deepcopy(self.case)
        case.tnm = d.TNM(
            self.t.value(), self.n.value(), self.m.value(), basis=self.tnm_basis.value()
        )
        case.resectability = self.resectability.value()
        case.phase = self.phase.value()
        for field, combo in self.markers.items():
            setattr(case.biomarkers, field, combo.value())
        case.biomarkers.tmb_mut_per_mb = self.tmb.number()
        case.biomarkers.pdl1_tps_percent = self.pdl1.number()
        case.ecog = self.ecog.value()
        case.airway = self.airway.value()
        case.goals_of_care = self.goals.value()
        case.decision_capacity = self.capacity.value()
        case.metastases.sites = [s for s, box in self.sites.items() if box.isChecked()]
        case.metastases.burden = self.burden.value()
        case.brain_imaging_done = self.brain_imaging.value()
        case.diagnosis.confirmed_by = self.confirmed_by.value()
        case.declines = [x for x, box in self.declines.items() if box.isChecked()]
        case.imaging = self.imaging_model.rows()
        case.labs = self.labs_model.rows()
        self.v2.apply_to(case)
        return case

    def signed_warning(self) -> str:
        x = self.signed
        assert x is not None
        return self.tr(
            "⚠ This case has a decision signed off by {who} on {when}. Changing its data does "
            "not change the signed decision: it will show it was made on older data, and an "
            "amendment may be needed."
        ).format(
            who=x.signed_by or "?", when=x.signed_at.strftime("%Y-%m-%d") if x.signed_at else "?"
        )

    def apply(self, *args) -> None:
        if self._loading:
            return
        if not self.acknowledged:
            question = self.signed_warning() + "\n\n" + self.tr("Change the case data anyway?")
            if self.confirm is None or not self.confirm(question):
                self._undo()
                return
            self.acknowledged = True
        self.problem.setVisible(False)
        self.case = self.edited_case()
        self.caseEdited.emit(self.case)

    def _undo(self) -> None:
        """Put the form back to the saved case (the change was not confirmed)."""
        self._loading = True
        try:
            self._load(self.case)
        finally:
            self._loading = False

    def refuse(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)

    def add_study(self) -> None:
        summary = self.new_summary.text().strip()
        if not summary:
            self.refuse(self.tr("an imaging study needs a summary"))
            return
        study = d.ImagingStudy(
            day_of(self.new_study_date), self.new_modality.value(),
            self.new_region.text().strip(), summary,
        )  # fmt: skip
        self.imaging_model.set_rows([*self.imaging_model.rows(), study])
        self.new_summary.clear()
        self.apply()

    def add_lab(self) -> None:
        test = self.new_test.currentText().strip()
        try:
            if not test:
                raise ValueError(self.tr("a lab result needs a test name"))
            value = self.labs_model.number_from(self.new_value.text().strip())
            low, high = self.labs_model.range_from(self.new_range.text())
        except ValueError as exc:
            self.refuse(str(exc))
            return
        unit = self.new_unit.text().strip() or None
        lab = d.LabResult(day_of(self.new_lab_date), test, value or 0.0, unit, low, high)
        self.labs_model.set_rows([*self.labs_model.rows(), lab])
        self.new_value.clear()
        self.apply()

    def _remove(self, view, model) -> None:
        index = view.currentIndex()
        if index.isValid():
            model.remove_row(index.row())
            self.apply()
