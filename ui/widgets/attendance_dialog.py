"""Who is at the meeting, with specialties; the quorum updates as the list is edited."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
)

from mdt_app import decision_rules
from mdt_app import domain as d
from ui.models.meeting_tables import AttendanceTableModel
from ui.widgets.agenda_panel import QuorumIndicator
from ui.widgets.common import label, stack_dialog, table_view


class SpecialtyDelegate(QStyledItemDelegate):
    """An editable combo of the usual specialties (others can be typed)."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(decision_rules.SPECIALTIES)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class AttendanceDialog(QDialog):
    def __init__(
        self,
        attendees: list[d.Attendee],
        quorum: Callable[[list[d.Attendee]], decision_rules.Quorum],
        parent=None,
        users: list[tuple[str, str]] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("attendanceDialog")
        self.setWindowTitle(self.tr("Attendance"))
        self.quorum_of = quorum
        self.model = AttendanceTableModel(self)
        self.model.set_rows([d.Attendee(a.name, a.specialty, a.present) for a in attendees])
        self.view = table_view("attendanceTable", self.tr("Attendance"))
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(AttendanceTableModel.SPECIALTY, SpecialtyDelegate(self))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            AttendanceTableModel.PRESENT, QHeaderView.ResizeMode.ResizeToContents
        )
        self.quorum = QuorumIndicator()
        self.problem = label("", "warning", wrap=True)
        self.problem.setVisible(False)
        # The app's users (name, specialty) to pick from; anyone else is a guest.
        self.users = QComboBox()
        self.users.setObjectName("attendeeUserPicker")
        self.users.addItem(self.tr("Add a user…"), None)
        for name, specialty in users or []:
            self.users.addItem(f"{name} · {specialty}" if specialty else name, (name, specialty))
        self.users.setVisible(bool(users))
        self.users.activated.connect(self.add_user)
        add = QPushButton(self.tr("Add guest"))
        add.setObjectName("addAttendeeButton")
        add.clicked.connect(self.add_person)
        remove = QPushButton(self.tr("Remove"))
        remove.setObjectName("removeAttendeeButton")
        remove.clicked.connect(self.remove_selected)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_quorum)
        self.model.invalidEdit.connect(self._refused)
        row = QHBoxLayout()
        row.addWidget(self.users)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        intro = label(self.tr("Tick who is present; double-click to edit."), "muted")
        stack_dialog(self, [(self.view, 1), row], self.problem, buttons, 620, intro,
                     height=460, notes=[self.quorum])  # fmt: skip
        self._update_quorum()

    def _update_quorum(self, *args) -> None:
        attendees = self.model.attendees()
        present = sum(1 for a in attendees if a.present)
        self.quorum.show_quorum(self.quorum_of(attendees), present)

    def _refused(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)

    def add_person(self) -> None:
        row = self.model.add_attendee(self.tr("New attendee"), "")
        index = self.model.index(row, AttendanceTableModel.NAME)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def add_user(self, index: int) -> None:
        picked = self.users.itemData(index)
        self.users.setCurrentIndex(0)
        if not picked:
            return
        name, specialty = picked
        if name in [a.name for a in self.model.attendees()]:
            self._refused(self.tr("{name} is already listed").format(name=name))
            return
        self.model.add_attendee(name, specialty)

    def remove_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())

    def accept(self) -> None:
        attendees = self.model.attendees()
        names = [a.name.strip() for a in attendees]
        if any(not a.specialty.strip() for a in attendees):
            self._refused(self.tr("every attendee needs a specialty"))
            return
        if len(set(names)) != len(names):
            self._refused(self.tr("a person is listed twice"))
            return
        super().accept()

    def attendees(self) -> list[d.Attendee]:
        return self.model.attendees()
