"""What the case area shows when no case is open: on an empty database the ways to
begin (first meeting, import referrals, the demo in its own database); on a meeting
with an empty agenda, the ways to fill it. Never an empty screen with no way forward."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from mdt_app import domain as d
from ui.widgets.common import label


class StartPanel(QWidget):
    newMeetingRequested = Signal()
    importRequested = Signal()
    demoRequested = Signal()
    newCaseRequested = Signal()
    searchRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("startPanel")
        self.title = label("", "bannerName", wrap=True, name="startTitle")
        self.text = label("", "muted", wrap=True, name="startText")
        self.buttons: dict[str, QPushButton] = {}
        column = QVBoxLayout()
        column.addWidget(self.title)
        column.addWidget(self.text)
        for name, text, signal in (
            ("startNewMeeting", self.tr("Create the first meeting…"), self.newMeetingRequested),
            ("startNewCase", self.tr("Enter a referral by hand… (Ctrl+Shift+R)"),
             self.newCaseRequested),
            ("startImport", self.tr("Import referrals (case files, FHIR Bundles)… (Ctrl+Shift+I)"),
             self.importRequested),
            ("startSearch", self.tr("Find a patient to add… (Ctrl+N)"), self.searchRequested),
            ("startDemo", self.tr("Open the demo (its own database, synthetic patients)"),
             self.demoRequested),
        ):  # fmt: skip
            button = QPushButton(text)
            button.setObjectName(name)
            button.setMinimumHeight(40)
            button.clicked.connect(signal)
            self.buttons[name] = button
            column.addWidget(button)
        column.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        holder = QWidget()
        holder.setMaximumWidth(560)
        holder.setLayout(column)
        outer.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def show_for(self, meeting: d.Meeting | None, any_meeting: bool) -> None:
        """Offer what fits: no meeting at all, or a meeting whose agenda is empty."""
        first_run = meeting is None
        if first_run and not any_meeting:
            self.title.setText(self.tr("Welcome to MDT Assistant"))
            self.text.setText(self.tr(
                "This database is empty. Create the first meeting, import the referrals you "
                "have, or look around in the demo first."))  # fmt: skip
            self.buttons["startNewMeeting"].setText(self.tr("Create the first meeting…"))
        elif first_run:
            self.title.setText(self.tr("No meeting chosen"))
            self.text.setText(self.tr("Choose a meeting on the left, or create one."))
            self.buttons["startNewMeeting"].setText(self.tr("Create a meeting… (Ctrl+Shift+N)"))
        else:
            self.title.setText(self.tr("The agenda of {day} is empty").format(
                day=meeting.date.isoformat() if meeting else ""))  # fmt: skip
            self.text.setText(self.tr(
                "Add cases: enter a referral, import case files (or drop them on the "
                "agenda), or find a patient already in the database."))  # fmt: skip
            self.buttons["startNewMeeting"].setText(self.tr("Create another meeting…"))
        self.buttons["startNewCase"].setVisible(True)
        self.buttons["startSearch"].setVisible(not first_run)
        self.buttons["startDemo"].setVisible(first_run)
