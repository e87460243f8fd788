"""Correcting a patient's identity (name, birth date, sex, language, MRN): the reason is
required and the change is audited. The case-file rules check the new values."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
)

from mdt_app import domain as d
from mdt_app.errors import ValidationError
from ui.widgets.common import label, stack_dialog


class IdentityDialog(QDialog):
    def __init__(self, patient: d.Patient, parent=None):
        super().__init__(parent)
        self.setObjectName("identityDialog")
        self.setWindowTitle(self.tr("Edit patient identity"))
        self.original = patient
        self.mrn = QLineEdit(patient.mrn)
        self.mrn.setObjectName("identityMrn")
        self.given = QLineEdit(patient.given_name)
        self.given.setObjectName("identityGivenName")
        self.family = QLineEdit(patient.family_name)
        self.family.setObjectName("identityFamilyName")
        self.birth = QLineEdit(patient.birth_date.isoformat() if patient.birth_date else "")
        self.birth.setObjectName("identityBirthDate")
        self.birth.setPlaceholderText("YYYY-MM-DD")
        self.sex = QComboBox()
        self.sex.setObjectName("identitySex")
        for value in d.SEXES:
            self.sex.addItem(value, value)
        self.sex.setCurrentIndex(max(0, self.sex.findData(patient.sex)))
        self.why = QPlainTextEdit()
        self.why.setObjectName("identityReason")
        self.why.setPlaceholderText(self.tr("Why (required), e.g. birth date mistyped at referral"))
        self.why.setTabChangesFocus(True)
        self.problem = label("", "warning", wrap=True, name="identityProblem")
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow(self.tr("MRN"), self.mrn)
        form.addRow(self.tr("Given name"), self.given)
        form.addRow(self.tr("Family name"), self.family)
        form.addRow(self.tr("Birth date"), self.birth)
        form.addRow(self.tr("Sex"), self.sex)
        form.addRow(self.tr("Reason"), self.why)
        intro = label(self.tr(
            "The change is kept in the audit log with the old values and the reason. Signed "
            "decisions keep the facts they were made on."), "muted", wrap=True)  # fmt: skip
        stack_dialog(self, form, self.problem, buttons, 520, intro)

    def patient(self) -> d.Patient:
        text = self.birth.text().strip()
        try:
            birth = date.fromisoformat(text) if text else None
        except ValueError:
            raise ValidationError(f"birth date {text!r} is not a valid date (YYYY-MM-DD)") from None
        return d.Patient(
            mrn=self.mrn.text().strip(), given_name=self.given.text().strip(),
            family_name=self.family.text().strip(), birth_date=birth,
            sex=self.sex.currentData(), preferred_language=self.original.preferred_language,
            id=self.original.id,
        )  # fmt: skip

    def reason(self) -> str:
        return self.why.toPlainText().strip()

    def refuse(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)
