"""The case data editor's page for the fields of pathway 2.0: ATC extent and coexisting
differentiated cancer, fitness for surgery, pregnancy, how BRAF was tested, sequencing
status, and the prior treatments (what the patient has already had)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from ui.models.prior_treatments_model import PriorTreatmentsModel
from ui.widgets.common import label, table_view
from ui.widgets.date_fields import date_edit, day_of


class PathwayV2Page(QWidget):
    """Edits the v2 fields of a Case in place; ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, combo_factory, parent=None):
        super().__init__(parent)
        nr = self.tr("not recorded")
        self.atc_extent = combo_factory("editAtcExtent", d.ATC_EXTENT, nr)
        self.coexisting_dtc = combo_factory("editCoexistingDtc", d.COEXISTING_DTC, nr)
        none = self.coexisting_dtc.findData("none")  # "none" is an answer here, not "unknown"
        self.coexisting_dtc.setItemText(none, self.tr("none (no differentiated component)"))
        self.operable = combo_factory("editOperable", (True, False), nr, words=False)
        self.operable.setItemText(1, self.tr("fit for surgery"))
        self.operable.setItemText(2, self.tr("medically inoperable"))
        self.pregnancy = combo_factory("editPregnancy", d.PREGNANCY, nr)
        self.braf_method = combo_factory("editBrafMethod", d.BRAF_METHODS, nr)
        self.sequencing = combo_factory("editSequencing", d.SEQUENCING, nr)
        form = QFormLayout()
        form.addRow(self.tr("ATC extent"), self.atc_extent)
        form.addRow(self.tr("Coexisting differentiated cancer"), self.coexisting_dtc)
        form.addRow(self.tr("Fitness for surgery"), self.operable)
        form.addRow(self.tr("Pregnancy"), self.pregnancy)
        form.addRow(self.tr("BRAF tested by"), self.braf_method)
        form.addRow(self.tr("Sequencing (NGS)"), self.sequencing)
        for combo in self.combos():
            combo.currentIndexChanged.connect(self._edited)
        self.model = PriorTreatmentsModel(self)
        self.view = table_view("editPriorTreatments", self.tr("Prior treatments"))
        self.view.setModel(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.new_type = combo_factory("newTreatmentType", d.PRIOR_TREATMENT_TYPES)
        self.new_started = date_edit("newTreatmentStarted")
        self.new_ongoing = QCheckBox(self.tr("ongoing"))
        self.new_ongoing.setObjectName("newTreatmentOngoing")
        self.new_ongoing.setChecked(True)
        self.new_ended = date_edit("newTreatmentEnded")
        self.new_ended.setEnabled(False)
        self.new_ongoing.toggled.connect(lambda on: self.new_ended.setEnabled(not on))
        self.new_response = combo_factory("newTreatmentResponse", d.RESPONSES, nr)
        self.new_note = QLineEdit()
        self.new_note.setObjectName("newTreatmentNote")
        self.new_note.setPlaceholderText(self.tr("note"))
        self.new_note.setMinimumWidth(160)
        add = QPushButton(self.tr("Add treatment"))
        add.setObjectName("addTreatmentButton")
        add.clicked.connect(self.add_treatment)
        remove = QPushButton(self.tr("Remove selected"))
        remove.setObjectName("removeTreatmentButton")
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        for w in (self.new_type, self.new_started, self.new_ongoing, self.new_ended,
                  self.new_response):  # fmt: skip
            row.addWidget(w)
        row.addWidget(self.new_note, 1)
        row.addWidget(add)
        self.problem = label("", "warning", wrap=True, name="treatmentProblem")
        self.problem.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(label(self.tr("Prior treatments (no end date = ongoing)"), "factName"))
        layout.addWidget(self.view, 1)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        self._loading = False

    def combos(self) -> list:
        return [self.atc_extent, self.coexisting_dtc, self.operable, self.pregnancy,
                self.braf_method, self.sequencing]  # fmt: skip

    def load(self, case: d.Case) -> None:
        self._loading = True
        self.atc_extent.set_value(case.diagnosis.atc_extent)
        self.coexisting_dtc.set_value(case.diagnosis.coexisting_dtc)
        self.operable.set_value(case.operable)
        self.pregnancy.set_value(case.pregnancy)
        self.braf_method.set_value(case.biomarkers.braf_method)
        self.sequencing.set_value(case.biomarkers.sequencing)
        self.model.set_rows(case.prior_treatments)
        self._loading = False

    def apply_to(self, case: d.Case) -> None:
        case.diagnosis.atc_extent = self.atc_extent.value()
        case.diagnosis.coexisting_dtc = self.coexisting_dtc.value()
        case.operable = self.operable.value()
        case.pregnancy = self.pregnancy.value()
        case.biomarkers.braf_method = self.braf_method.value()
        case.biomarkers.sequencing = self.sequencing.value()
        case.prior_treatments = self.model.rows()

    def add_treatment(self) -> None:
        started = day_of(self.new_started)
        ended = None if self.new_ongoing.isChecked() else day_of(self.new_ended)
        if ended is not None and ended < started:
            self.problem.setText("⚠ " + self.tr("the end date is before the start date"))
            self.problem.setVisible(True)
            return
        self.problem.setVisible(False)
        treatment = d.PriorTreatment(
            type=self.new_type.value(),
            started_on=started,
            ended_on=ended,
            response=self.new_response.value(),
            note=self.new_note.text().strip() or None,
        )
        self.model.set_rows([*self.model.rows(), treatment])
        self.new_note.clear()
        self.changed.emit()

    def remove_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())
            self.changed.emit()

    def _edited(self, *args) -> None:
        if not self._loading:
            self.changed.emit()
