"""The decision form's "For the patient" tab: plain words for the whole plan and for each
chosen option, and when and by whom the plan was discussed with the patient. These go
into the care programme; the clinicians' plan text never does. A line warns while typing
when the words hold shorthand the glossary does not explain (IMRT, bd, PS...).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from mdt_app.documents.care_programme_check import shorthand_in
from ui.guidance import option_title
from ui.widgets.common import clear_layout, label, set_read_only
from ui.widgets.plain_text import set_plain_text


class PatientWordsEditor(QWidget):
    """Explanation for the patient (whole plan and per option) and "discussed with"."""

    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("patientWords")
        self._loading = False
        self._option_texts: dict[str, str] = {}
        self._codes: list[str] = []
        self.option_edits: dict[str, QLineEdit] = {}
        self.plan = QPlainTextEdit()
        self.plan.setObjectName("patientExplanationEdit")
        self.plan.setAccessibleName(self.tr("Explanation of the plan for the patient"))
        self.plan.setPlaceholderText(
            self.tr("The plan in plain words for the patient (printed in the care programme)…")
        )
        self.plan.setMinimumHeight(self.fontMetrics().height() * 4)
        self.options_form = QFormLayout()
        self.options_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.discussed = QCheckBox(self.tr("Plan discussed with the patient"))
        self.discussed.setObjectName("discussedWithPatient")
        self.discussed_on = QDateEdit()
        self.discussed_on.setObjectName("discussedOnEdit")
        self.discussed_on.setAccessibleName(self.tr("Date the plan was discussed"))
        self.discussed_on.setCalendarPopup(True)
        self.discussed_on.setDisplayFormat("yyyy-MM-dd")
        self.discussed_on.setMaximumDate(QDate.currentDate())
        self.discussed_on.setDate(QDate.currentDate())
        self.discussed_by = QLineEdit()
        self.discussed_by.setObjectName("discussedByEdit")
        self.discussed_by.setAccessibleName(self.tr("Who discussed the plan with the patient"))
        self.discussed_by.setPlaceholderText(self.tr("Name of the doctor or nurse"))
        self.shorthand = label("", "warning", wrap=True, name="patientShorthandWarning")
        self.shorthand.setVisible(False)
        self.plan.textChanged.connect(self._changed)
        self.discussed.toggled.connect(self._changed)
        self.discussed_on.dateChanged.connect(self._changed)
        self.discussed_by.textChanged.connect(self._changed)
        row = QFormLayout()  # one field a line: the decision panel is narrow
        row.addRow(self.discussed)
        row.addRow(self.tr("On"), self.discussed_on)
        row.addRow(self.tr("By"), self.discussed_by)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(label(self.tr("Explanation for the patient"), "sectionTitle"))
        layout.addWidget(
            label(
                self.tr(
                    "Optional. Printed in the care programme instead of the plan notes, "
                    "which stay with the team."
                ),
                "muted",
                wrap=True,
            )
        )
        layout.addWidget(self.plan)
        layout.addWidget(label(self.tr("For each option (optional)"), "sectionTitle"))
        layout.addLayout(self.options_form)
        layout.addWidget(self.shorthand)
        layout.addWidget(label(self.tr("Agreed with the patient"), "sectionTitle"))
        layout.addLayout(row)
        layout.addStretch(1)
        self._sync_discussed()

    # --- filling and reading ------------------------------------------------------------------

    def set_decision(self, x: d.Decision, editable: bool) -> None:
        self._loading = True
        try:
            set_plain_text(self.plan, x.patient_explanation)
            self._option_texts = dict(x.patient_option_explanations)
            self._codes = []
            on, by = x.discussed_with_patient_on, x.discussed_with_patient_by
            self.discussed.setChecked(bool(on and by))
            self.discussed_on.setDate(
                QDate(on.year, on.month, on.day) if on else QDate.currentDate()
            )
            self.discussed_by.setText(by or "")
            self.set_read_only(not editable)
        finally:
            self._loading = False
        self._sync_discussed()
        self._check_shorthand()

    def set_options(self, codes: list[str], titles: dict[str, str]) -> None:
        """One line per chosen option, keeping what was typed for each."""
        if codes == self._codes:
            return
        self._remember_options()
        self._codes = list(codes)
        clear_layout(self.options_form)
        self.option_edits = {}
        for code in codes:
            edit = QLineEdit(self._option_texts.get(code, ""))
            edit.setObjectName(f"patientOptionExplanation_{code}")
            title = titles.get(code) or option_title(code)
            edit.setAccessibleName(
                self.tr("Explanation for the patient: {title}").format(title=title)
            )
            edit.setPlaceholderText(self.tr("In plain words (optional)"))
            edit.setReadOnly(self.plan.isReadOnly())
            edit.textChanged.connect(self._changed)
            self.options_form.addRow(title, edit)
            self.option_edits[code] = edit

    def _remember_options(self) -> None:
        for code, edit in self.option_edits.items():
            self._option_texts[code] = edit.text()

    def values(self) -> dict:
        """The decision fields this tab holds."""
        self._remember_options()
        chosen = {c: t.strip() for c, t in self._option_texts.items() if t.strip()}
        by = self.discussed_by.text().strip()
        on = self.discussed_on.date().toPython() if self.discussed.isChecked() and by else None
        return {
            "patient_explanation": self.plan.toPlainText().strip(),
            "patient_option_explanations": chosen,
            "discussed_with_patient_on": on if isinstance(on, date) else None,
            "discussed_with_patient_by": by if on else None,
        }

    def set_read_only(self, on: bool) -> None:
        self.plan.setReadOnly(on)
        self.discussed_by.setReadOnly(on)
        self.discussed_on.setReadOnly(on)
        self.discussed.setEnabled(not on)
        for edit in (self.plan, self.discussed_by, *self.option_edits.values()):
            set_read_only(edit, on)

    # --- while typing ----------------------------------------------------------------------

    def _changed(self, *args) -> None:
        self._sync_discussed()
        self._check_shorthand()
        if not self._loading:
            self.edited.emit()

    def _sync_discussed(self) -> None:
        on = self.discussed.isChecked()
        self.discussed_on.setEnabled(on)
        self.discussed_by.setEnabled(on)

    def _check_shorthand(self) -> None:
        texts = [self.plan.toPlainText(), *(e.text() for e in self.option_edits.values())]
        # The words may be in any of the patient's languages: a word counts as shorthand
        # when no shipped glossary explains it (printing checks the chosen language).
        text = "\n".join(texts)
        found = shorthand_in(text, "en")
        if found:  # else nothing to narrow down (and the other glossaries stay unbuilt)
            from mdt_app.documents.care_programme_blocks import shipped_languages  # on use

            for language in shipped_languages():
                unexplained = set(shorthand_in(text, language))
                found = [w for w in found if w in unexplained]
        self.shorthand.setText(
            self.tr("⚠ Shorthand the patient may not understand: {words}. Write it out.").format(
                words=", ".join(found)
            )
            if found
            else ""
        )
        self.shorthand.setVisible(bool(found))
