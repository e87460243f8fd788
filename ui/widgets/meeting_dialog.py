"""The meeting details dialog: date, time, title, chair, room or video link, the
specialties expected for the quorum and, for a new meeting, a weekly repeat.

The dialog only collects; `mdt_app.meetings.check_meeting` (called by the store) decides
what is valid, and its message is shown here without closing the dialog.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
)

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app import meetings as mt
from mdt_app.errors import UserError
from ui.widgets.common import label, stack_dialog
from ui.widgets.date_fields import pydate, qdate


class MeetingDialog(QDialog):
    """New meeting (``meeting`` None) or the details of an existing one."""

    def __init__(self, meeting: d.Meeting | None, chairs: list[str], parent=None,
                 today: date | None = None):  # fmt: skip
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self.existing = meeting
        self.today = today or date.today()
        self.setWindowTitle(self.tr("New meeting") if meeting is None else
                            self.tr("Meeting details"))  # fmt: skip
        m = meeting or d.Meeting(date=self.today, title=self.tr("Thyroid cancer MDT"),
                                 start_time="08:00")  # fmt: skip
        self.date = QDateEdit(qdate(m.date))
        self.date.setObjectName("meetingDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.has_time = QCheckBox(self.tr("at"))
        self.has_time.setObjectName("meetingHasTime")
        self.time = QTimeEdit()
        self.time.setObjectName("meetingTime")
        self.time.setDisplayFormat("HH:mm")
        self.has_time.setChecked(m.start_time is not None)
        if m.start_time:
            hh, mm = m.start_time.split(":")
            self.time.setTime(QTime(int(hh), int(mm)))
        self.time.setEnabled(self.has_time.isChecked())
        self.has_time.toggled.connect(self.time.setEnabled)
        self.title = QLineEdit(m.title)
        self.title.setObjectName("meetingTitle")
        self.chair = QComboBox()
        self.chair.setObjectName("meetingChair")
        self.chair.setEditable(True)
        self.chair.addItems(chairs)
        self.chair.setCurrentText(m.chair or "")
        self.chair.lineEdit().setPlaceholderText(self.tr("name of the chair"))  # type: ignore[union-attr]
        self.location = QLineEdit(m.location or "")
        self.location.setObjectName("meetingLocation")
        self.location.setPlaceholderText(self.tr("room, or video link (https://…)"))
        self.specialties = {}
        grid = QGridLayout()
        for i, name in enumerate(decision_rules.SPECIALTIES):
            box = QCheckBox(name)
            box.setObjectName(f"expect_{name.replace(' ', '_')}")
            box.setChecked(name in m.expected_specialties)
            self.specialties[name] = box
            grid.addWidget(box, i // 2, i % 2)
        self.repeat = QCheckBox()
        self.repeat.setObjectName("meetingRepeat")
        self.weeks = QSpinBox()
        self.weeks.setObjectName("meetingWeeksAhead")
        self.weeks.setRange(1, 52)
        self.weeks.setValue(4)
        self.weeks.setSuffix(self.tr(" weeks ahead"))
        self.date.dateChanged.connect(self._describe_repeat)
        self.has_time.toggled.connect(self._describe_repeat)
        self.time.timeChanged.connect(self._describe_repeat)
        self.problem = label("", "warning", wrap=True, name="meetingProblem")
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        when = QHBoxLayout()
        when.addWidget(self.date)
        when.addWidget(self.has_time)
        when.addWidget(self.time)
        when.addStretch(1)
        form.addRow(self.tr("Date"), when)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Chair"), self.chair)
        form.addRow(self.tr("Place or link"), self.location)
        form.addRow(self.tr("Expected for the quorum"), grid)
        if meeting is None:
            repeat = QHBoxLayout()
            repeat.addWidget(self.repeat)
            repeat.addWidget(self.weeks)
            repeat.addStretch(1)
            form.addRow(self.tr("Repeat"), repeat)
        elif meeting.series_id is not None:
            form.addRow(self.tr("Repeat"), label(self.tr("part of a weekly series"), "muted"))
        stack_dialog(self, form, self.problem, buttons, 620)
        self._describe_repeat()

    def _describe_repeat(self, *args) -> None:
        day = pydate(self.date.date())
        when = f" {self.time.time().toString('HH:mm')}" if self.has_time.isChecked() else ""
        self.repeat.setText(
            self.tr("every {weekday}{time}, creating the next meetings").format(
                weekday=self.locale().dayName(day.isoweekday()), time=when
            )
        )

    def meeting(self) -> d.Meeting:
        """The meeting as filled in (checked by the store when saved)."""
        base = self.existing or d.Meeting(date=self.today, title="")
        return d.Meeting(
            date=pydate(self.date.date()),
            title=self.title.text(),
            status=base.status,
            chair=self.chair.currentText(),
            location=self.location.text(),
            id=base.id,
            start_time=self.time.time().toString("HH:mm") if self.has_time.isChecked() else None,
            expected_specialties=[n for n, box in self.specialties.items() if box.isChecked()],
            series_id=base.series_id,
        )

    def series(self) -> mt.MeetingSeries | None:
        """The weekly series to create with a new meeting (None if it does not repeat)."""
        if self.existing is not None or not self.repeat.isChecked():
            return None
        m = self.meeting()
        return mt.MeetingSeries(
            title=m.title, weekday=m.date.weekday(), starts_on=m.date, start_time=m.start_time,
            chair=m.chair, location=m.location, expected_specialties=m.expected_specialties,
            weeks_ahead=self.weeks.value(),
        )  # fmt: skip

    def accept(self) -> None:
        try:
            mt.check_meeting(self.meeting())
            series = self.series()
            if series is not None:
                mt.check_series(series)
        except UserError as exc:
            self.refuse(str(exc))
            return
        super().accept()

    def refuse(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
