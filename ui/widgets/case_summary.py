"""The case as the MDT reads it: referral, diagnosis, staging, clinical facts, imaging, labs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from mdt_app.case_alerts import case_alerts, pathway_v2_facts, treatment_timeline
from ui import labels
from ui.models.case_tables import ImagingTableModel, LabsTableModel
from ui.widgets.common import label, table_view
from ui.widgets.facts_grid import FactsGrid
from ui.widgets.kept_hint import KeptSizeHint
from ui.widgets.lab_trends import LabTrends
from ui.widgets.table_fit import column_widths, row_heights


class StagingSummary(QFrame):
    """TNM, the computed stage and its basis; an unstageable case says what is missing."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("stagingSummary")
        self.setAccessibleName(self.tr("Staging summary"))
        self.stage = label("", "stage", wrap=True, name="stageLabel")
        self.basis = label("", "basis", wrap=True, name="stageBasis")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.stage)
        layout.addWidget(self.basis)

    def show_stage(self, tnm: d.TNM, stage: str, basis: str) -> None:
        if stage == "unstageable":
            head = self.tr("{tnm}  ⚠ Unstageable").format(tnm=tnm)
        else:
            head = self.tr("{tnm}  →  Stage {stage}").format(tnm=tnm, stage=stage)
        self.stage.setText(head)
        self.basis.setText(self.tr("Basis: {basis}").format(basis=basis))
        self.setAccessibleDescription(f"{head}. {self.basis.text()}")

    def text(self) -> str:
        return f"{self.stage.text()} {self.basis.text()}"


class CaseSummary(KeptSizeHint, QWidget):
    editRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("caseSummary")
        self.question = label("", "question", wrap=True, name="referralQuestion")
        self.referral = label("", "muted", wrap=True, name="referralDetails")
        self.diagnosis = label("", wrap=True, name="diagnosisText")
        # Pregnancy, renal function, unconfirmed histology: shown first, in the alert style.
        self.alerts = label("", "warning", wrap=True, name="caseAlerts")
        self.treatments = label("", wrap=True, name="priorTreatments")
        self.staging = StagingSummary()
        self.facts = FactsGrid()
        self.facts.setObjectName("clinicalFacts")
        self.imaging_model = ImagingTableModel(self, compact=True)
        self.imaging = table_view("imagingTable", self.tr("Imaging"))
        self.imaging.setModel(self.imaging_model)
        for column in (ImagingTableModel.MODALITY, ImagingTableModel.REGION):
            self.imaging.setColumnHidden(column, True)
        self.labs_model = LabsTableModel(self, compact=True)
        self.labs = table_view("labsTable", self.tr("Lab results"))
        self.labs.setModel(self.labs_model)
        for column in (LabsTableModel.UNIT, LabsTableModel.FLAG):
            self.labs.setColumnHidden(column, True)
        self.trends = LabTrends()
        self.edit_button = QPushButton(self.tr("Edit case data…"))
        self.edit_button.setObjectName("editCaseButton")
        self.edit_button.setToolTip(self.tr("Correct or add TNM, biomarkers, ECOG… (F2)"))
        self.edit_button.clicked.connect(self.editRequested)
        self._layout()

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Referral question"), "sectionTitle", wrap=True), 1)
        head.addWidget(self.edit_button)
        layout.addLayout(head)
        layout.addWidget(self.alerts)
        layout.addWidget(self.question)
        layout.addWidget(self.referral)
        layout.addWidget(label(self.tr("Diagnosis and staging"), "sectionTitle", wrap=True))
        layout.addWidget(self.diagnosis)
        layout.addWidget(self.staging)
        layout.addWidget(label(self.tr("Prior treatments"), "sectionTitle", wrap=True))
        layout.addWidget(self.treatments)
        layout.addWidget(label(self.tr("Clinical findings"), "sectionTitle", wrap=True))
        layout.addWidget(self.facts)
        layout.addWidget(label(self.tr("Imaging (newest first)"), "sectionTitle", wrap=True))
        layout.addWidget(self.imaging)
        # The table first: today's values are what the meeting reads; the trends follow.
        layout.addWidget(label(self.tr("Lab results (▲ high, ▼ low)"), "sectionTitle", wrap=True))
        layout.addWidget(self.labs)
        layout.addWidget(label(self.tr("Lab trends"), "sectionTitle", wrap=True))
        layout.addWidget(self.trends)
        layout.addStretch(1)
        for view in (self.imaging, self.labs):
            # Column widths and row heights are fitted once per case (_fit_tables) from
            # the texts, not by the views at every layout.
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The one column of each table that stretches, and so the only one that wraps.
        self._wrapping = {self.imaging: ImagingTableModel.SUMMARY, self.labs: LabsTableModel.TEST}
        for view, column in self._wrapping.items():
            header = view.horizontalHeader()
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            header.sectionResized.connect(
                lambda section, _old, new, v=view: self._column_resized(v, section, new)
            )

    def show_case(self, case: d.Case | None, rec: d.Recommendation | None) -> None:
        self.setEnabled(case is not None)
        if case is None:
            for widget in (self.question, self.referral, self.diagnosis, self.treatments):
                widget.clear()
            self.alerts.clear()
            self.alerts.hide()
            self.staging.stage.clear()
            self.staging.basis.clear()
            self.facts.set_facts([])
            self.imaging_model.set_rows([])
            self.labs_model.set_rows([])
            self.trends.set_labs([])
            return
        r = case.referral
        self.question.setText(r.question or self.tr("No referral question recorded"))
        self.referral.setText(self._referral_line(r))
        self.diagnosis.setText(self._diagnosis_line(case.diagnosis))
        alerts = case_alerts(case)
        self.alerts.setText("\n".join(f"⚠ {_t(a)}" for a in alerts))
        self.alerts.setVisible(bool(alerts))
        self.alerts.setAccessibleName(self.tr("Patient alerts"))
        timeline = treatment_timeline(case)
        self.treatments.setText(
            "\n".join(f"• {line}" for line in timeline) or self.tr("None recorded")
        )
        if rec is not None:
            self.staging.show_stage(case.tnm, rec.stage, rec.stage_basis)
        self.facts.set_facts(clinical_facts(case))
        self.imaging_model.set_rows(case.imaging)
        self.labs_model.set_rows(case.labs)
        self.trends.set_labs(case.labs)
        self._fit_tables()

    def _fit_tables(self) -> None:
        """Tables show every row: the summary scrolls as a whole, not each table."""
        for view, wrapping in self._wrapping.items():
            # Columns fitted to this case's texts now (ResizeToContents would ask the model
            # for every cell's roles, on a timer after the switch), the wrapping one takes
            # the rest of the width; then the rows fit the wrapped text.
            header = view.horizontalHeader()
            for column, width in column_widths(view, wrapping).items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
            self._fit_rows(view, wrapping)

    def _fit_rows(self, view: QTableView, wrapping: int, width: int | None = None) -> None:
        """Row heights from the text of the one column that wraps (table_fit)."""
        heights = row_heights(view, wrapping, width)
        for row, height in enumerate(heights):
            if view.rowHeight(row) != height:
                view.setRowHeight(row, height)
        total = view.horizontalHeader().sizeHint().height() + 4
        total += sum(heights) if heights else 24
        if view.height() != total or view.minimumHeight() != total:
            view.setFixedHeight(total)

    def _column_resized(self, view: QTableView, column: int, width: int) -> None:
        """The wrapping column got wider or narrower (the window or the splitter moved,
        or another column fitted new contents): its rows wrap anew."""
        if column == self._wrapping[view]:
            self._fit_rows(view, column, width)

    def _referral_line(self, r: d.Referral) -> str:
        parts = []
        if r.urgent:
            parts.append(self.tr("⚑ Urgent"))
        if r.referred_on:
            parts.append(self.tr("referred {day}").format(day=r.referred_on.isoformat()))
        if r.referring_clinician:
            parts.append(self.tr("by {who}").format(who=r.referring_clinician))
        return " · ".join(parts)

    def _diagnosis_line(self, dx: d.Diagnosis) -> str:
        how = labels.word(dx.confirmed_by, "confirmation not recorded")
        if dx.confirmed_by in (None, "fna_only", "none"):
            how = "⚠ " + how
        text = self.tr("{histology}, confirmed by: {how}").format(
            histology=labels.word(dx.histology, "histology not recorded"), how=how
        )
        if dx.diagnosed_on:
            text += self.tr(" · diagnosed {day}").format(day=dx.diagnosed_on.isoformat())
        return text


def _t(text: str) -> str:
    return QCoreApplication.translate("CaseSummary", text)


def clinical_facts(case: d.Case) -> list[tuple[str, str]]:
    """The clinical findings the options depend on, as (name, value) pairs."""
    t = labels.word
    b = case.biomarkers
    markers = [(labels.biomarker_name(f), t(getattr(b, f))) for f in d.BIOMARKER_FIELDS]
    if b.tmb_mut_per_mb is not None:
        markers.append((_t("TMB"), f"{labels.number(b.tmb_mut_per_mb)} mut/Mb"))
    if b.pdl1_tps_percent is not None:
        markers.append((_t("PD-L1 TPS"), f"{labels.number(b.pdl1_tps_percent)} %"))
    if case.brain_imaging_done is None:
        brain = t(None)
    else:
        brain = _t("done") if case.brain_imaging_done else _t("not done")
    return [
        (_t("ECOG"), t(None) if case.ecog is None else str(case.ecog)),
        (_t("Airway"), t(case.airway)),
        (_t("Goals of care"), t(case.goals_of_care)),
        (_t("Capacity"), t(case.decision_capacity)),
        (_t("Resectability"), t(case.resectability)),
        (_t("Phase"), t(case.phase)),
        (_t("Metastases"), _metastases(case)),
        (_t("Brain imaging"), brain),
        *markers,
        (_t("Declines"), ", ".join(t(x) for x in case.declines) or "—"),
        *((_t(name), _t(value)) for name, value in pathway_v2_facts(case)),
    ]


def _metastases(case: d.Case) -> str:
    m = case.metastases
    if not m.sites:
        return _t("none") if case.tnm.m == "M0" else labels.word(None)
    text = ", ".join(m.sites)
    if m.burden:
        text += _t(" ({burden} burden)").format(burden=m.burden)
    if "brain" in m.sites and m.brain_symptomatic is not None:
        text += _t("; brain symptomatic") if m.brain_symptomatic else _t("; brain asymptomatic")
    return text
