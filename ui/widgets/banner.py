"""The patient banner: who this is, always visible, big enough for the back of the room."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from mdt_app import domain as d
from ui import labels
from ui.widgets.common import label


def banner_name(patient: d.Patient) -> str:
    """'ÅNGSTRÖM, Zoë': family name in capitals so it cannot be misread as a given name."""
    family = patient.family_name.upper()
    return f"{family}, {patient.given_name}" if patient.given_name else family


def identity_line(patient: d.Patient, name: str) -> QLabel:
    """One line naming whose case a dialog is about: name, birth date ("unknown" when not
    recorded) and MRN, as the banner does on every screen; ``name`` is its objectName."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("PatientBanner", text)

    line = QLabel(
        tr("{name}, born {born}, MRN {mrn}").format(
            name=patient.display_name, born=patient.birth_date or tr("unknown"), mrn=patient.mrn
        )
    )
    line.setObjectName(name)
    return line


class PatientBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("patientBanner")
        self.setAccessibleName(self.tr("Patient banner"))
        self.name = label("", "bannerName")
        self.name.setObjectName("bannerName")
        self.facts = label("", "bannerFacts")
        self.facts.setObjectName("bannerFacts")
        self.demo = label(self.tr("DEMO DATA: synthetic patients"), "demoBadge")
        self.demo.setObjectName("demoBadge")
        self.demo.setVisible(False)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.name)
        text.addWidget(self.facts)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addLayout(text, 1)
        row.addWidget(self.demo)
        self.show_case(None)

    def show_case(self, case: d.Case | None, today: date | None = None) -> None:
        if case is None:
            self.name.setText(self.tr("No case open"))
            self.facts.setText(self.tr("Choose a case on the agenda (Alt+Down: next case)"))
            self.setAccessibleDescription(self.name.text())
            return
        p = case.patient
        self.name.setText(banner_name(p))
        self.facts.setText(self.facts_text(p, today or date.today()))
        self.setAccessibleDescription(f"{self.name.text()} · {self.facts.text()}")

    def facts_text(self, p: d.Patient, today: date) -> str:
        parts = []
        if p.birth_date:
            parts.append(
                self.tr("born {day} ({age} y)").format(
                    day=p.birth_date.isoformat(), age=p.age_on(today)
                )
            )
        else:
            parts.append(self.tr("birth date not recorded"))
        parts.append(labels.word(p.sex, "sex not recorded"))
        parts.append(self.tr("MRN {mrn}").format(mrn=p.mrn))
        return " · ".join(parts)

    def text(self) -> str:
        """The banner as one line (for tests and screen readers)."""
        return f"{self.name.text()} · {self.facts.text()}"

    def set_demo(self, on: bool) -> None:
        self.demo.setVisible(on)
