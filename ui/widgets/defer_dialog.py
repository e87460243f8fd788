"""Deferring a case: the patient named, to the next meeting, another open meeting or a
new date (a meeting is created for it), and the reason, which is required: an empty
reason keeps the dialog open with the choice made so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QPlainTextEdit,
    QRadioButton,
)

from mdt_app import domain as d
from ui.widgets.common import DialogPart, label, stack_dialog
from ui.widgets.date_fields import pydate, qdate


@dataclass(frozen=True)
class DeferChoice:
    reason: str
    meeting_id: int | None = None  # an existing meeting
    new_date: date | None = None  # or a date to create one on


def meeting_text(m: d.Meeting) -> str:
    when = f" {m.start_time}" if m.start_time else ""
    return f"{m.date.isoformat()}{when} · {m.title}"


class DeferDialog(QDialog):
    def __init__(self, patient: d.Patient, current: d.Meeting, open_meetings: list[d.Meeting],
                 parent=None, title: str | None = None):  # fmt: skip
        super().__init__(parent)
        self.setObjectName("deferDialog")
        self.setWindowTitle(title or self.tr("Defer case"))
        later = [m for m in open_meetings if m.id != current.id]
        self.next_meeting = next((m for m in later if m.date >= current.date), None)
        self.to_next = QRadioButton()
        self.to_next.setObjectName("deferToNext")
        self.to_other = QRadioButton(self.tr("Another meeting"))
        self.to_other.setObjectName("deferToOther")
        self.to_date = QRadioButton(self.tr("A new date"))
        self.to_date.setObjectName("deferToDate")
        group = QButtonGroup(self)
        for b in (self.to_next, self.to_other, self.to_date):
            group.addButton(b)
        self.others = QComboBox()
        self.others.setObjectName("deferMeeting")
        for m in later:
            self.others.addItem(meeting_text(m), m.id)
        self.day = QDateEdit(qdate(current.date + timedelta(days=7)))
        self.day.setObjectName("deferDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        if self.next_meeting is not None:
            self.to_next.setText(self.tr("The next meeting: {m}").format(
                m=meeting_text(self.next_meeting)))  # fmt: skip
            self.to_next.setChecked(True)
        else:
            self.to_next.setText(self.tr("The next meeting: none planned"))
            self.to_next.setEnabled(False)
            self.to_date.setChecked(True)
        self.to_other.setEnabled(bool(later))
        self.others.setEnabled(bool(later))
        self.why = QPlainTextEdit()
        self.why.setObjectName("deferReason")
        self.why.setPlaceholderText(self.tr("Reason (required), e.g. awaiting FDG PET/CT"))
        self.why.setTabChangesFocus(True)
        self.problem = label("", "warning", name="deferProblem")
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Defer"))
        grid = QGridLayout()
        grid.addWidget(self.to_next, 0, 0, 1, 2)
        grid.addWidget(self.to_other, 1, 0)
        grid.addWidget(self.others, 1, 1)
        grid.addWidget(self.to_date, 2, 0)
        grid.addWidget(self.day, 2, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        who = label(self.tr("{name} · MRN {mrn}").format(name=patient.display_name,
                                                        mrn=patient.mrn), "panelTitle",
                    name="deferPatient")  # fmt: skip
        parts: list[DialogPart] = [
            label(self.tr("from {m}").format(m=meeting_text(current)), "muted"),
            grid,
            label(self.tr("Reason"), "factName"),
            (self.why, 1),
        ]
        stack_dialog(self, parts, self.problem, buttons, 560, who, height=380)

    def choice(self) -> DeferChoice:
        reason = self.why.toPlainText().strip()
        if self.to_next.isChecked() and self.next_meeting is not None:
            return DeferChoice(reason, meeting_id=self.next_meeting.id)
        if self.to_other.isChecked() and self.others.count():
            return DeferChoice(reason, meeting_id=int(self.others.currentData()))
        return DeferChoice(reason, new_date=pydate(self.day.date()))

    def accept(self) -> None:
        if not self.why.toPlainText().strip():
            # Ask again; the meeting chosen stays chosen.
            self.problem.setText(self.tr("⚠ A deferral needs a reason."))
            self.problem.setVisible(True)
            self.why.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()
