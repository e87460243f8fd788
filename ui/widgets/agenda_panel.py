"""The meeting and its agenda: meeting selector, the case queue, reordering, deferral,
attendance and the quorum."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app.wording import MEETING_STATUS_WORDS
from ui.models.agenda_model import STATUS_TEXT, AgendaLine, AgendaTableModel
from ui.models.base import OBJECT_ROLE
from ui.widgets.common import label, restyle, table_view

FIND_MEETING = -1  # the selector's last entry: opens the meeting finder


class QuorumIndicator(QWidget):
    """'✔ Quorate' or '✘ Not quorate: …': symbol, words and border, not colour alone."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = label("", name="quorumIndicator", wrap=True)
        self.text.setAccessibleName(self.tr("Quorum"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)

    def show_quorum(self, quorum: decision_rules.Quorum | None, present: int = 0) -> None:
        if quorum is None:
            self.text.setText("")
            return
        if quorum.quorate:
            text = self.tr("✔ Quorate · {people} present").format(people=present)
        else:
            text = self.tr("✘ Not quorate: {missing}").format(missing="; ".join(quorum.missing))
        self.text.setText(text)
        self.text.setToolTip(quorum.describe())
        self.text.setAccessibleDescription(quorum.describe())
        self.text.setProperty("quorate", "true" if quorum.quorate else "false")
        restyle(self.text)


class AgendaPanel(QWidget):
    meetingSelected = Signal(int)
    findMeetingRequested = Signal()
    itemSelected = Signal(int)  # agenda item id
    addCaseRequested = Signal()
    deferRequested = Signal()
    attendanceRequested = Signal()
    moveRequested = Signal(int, int)  # item id, new 1-based position

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("agendaPanel")
        self.meetings = QComboBox()
        self.meetings.setObjectName("meetingSelector")
        self.meetings.setAccessibleName(self.tr("Meeting"))
        self.meetings.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.meetings.setMinimumContentsLength(18)
        self.meetings.currentIndexChanged.connect(self._meeting_changed)
        self.details = label("", "muted", wrap=True, name="meetingDetails")
        self.model = AgendaTableModel(self)
        self.model.moveRequested.connect(self.moveRequested)
        self.queue = table_view("caseQueue", self.tr("Agenda: cases in order"))
        self.queue.setModel(self.model)
        self.queue.setDragEnabled(True)
        self.queue.setAcceptDrops(True)
        self.queue.setDropIndicatorShown(True)
        self.queue.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.queue.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.queue.setDragDropOverwriteMode(False)
        self.queue.setWordWrap(False)
        # Fixed widths, computed from the type size (not from the rows): columns do not
        # re-flow as statuses change, and the patient column gets all the rest. Names too
        # long for it are elided, with the full name in the tooltip.
        header = self.queue.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(AgendaTableModel.PATIENT, QHeaderView.ResizeMode.Stretch)
        self.queue.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.fit_columns()
        self.legend = label(
            self.tr("Days: since diagnosis (or referral) · ⚑ urgent referral · "
                    "▶ discussing ✎ draft ✔ decided ⇥ deferred"),
            "muted", wrap=True, name="agendaLegend",
        )  # fmt: skip
        self.queue.selectionModel().currentRowChanged.connect(self._row_changed)
        self.quorum = QuorumIndicator()
        self._buttons()

    def _buttons(self) -> None:
        def button(text: str, name: str, tip: str, signal) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setToolTip(tip)
            b.setAccessibleName(tip)
            b.clicked.connect(signal)
            return b

        up = button("▲", "moveUpButton", self.tr("Move case up (Ctrl+Shift+Up)"), self.move_up)
        down = button("▼", "moveDownButton", self.tr("Move case down (Ctrl+Shift+Down)"),
                      self.move_down)  # fmt: skip
        add = button(self.tr("Add case…"), "addCaseButton", self.tr("Add a case (Ctrl+N)"),
                     self.addCaseRequested)  # fmt: skip
        defer = button(self.tr("Defer…"), "deferButton", self.tr("Defer case (Ctrl+Shift+D)"),
                       self.deferRequested)  # fmt: skip
        attendance = button(self.tr("Attendance…"), "attendanceButton",
                            self.tr("Record attendance (Ctrl+Shift+A)"),
                            self.attendanceRequested)  # fmt: skip
        row = QHBoxLayout()
        for b in (up, down, add, defer):
            row.addWidget(b)
        row.addStretch(1)
        quorum_row = QHBoxLayout()
        quorum_row.addWidget(self.quorum, 1)
        quorum_row.addWidget(attendance, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(label(self.tr("Meeting"), "panelTitle"))
        layout.addWidget(self.meetings)
        layout.addWidget(self.details)
        layout.addLayout(quorum_row)
        layout.addWidget(label(self.tr("Agenda"), "sectionTitle"))
        layout.addWidget(self.queue, 1)
        layout.addWidget(self.legend)
        layout.addLayout(row)
        self.buttons_row = row

    def fit_columns(self) -> None:
        """Set the fixed column widths once for the current type size."""
        metrics = self.queue.fontMetrics()
        pad = 18
        # Wide enough for the common statuses; a rarer longer one ("not discussed") is
        # elided, with its words in the tooltip.
        widest_status = max(
            metrics.horizontalAdvance(self.model.status_text_for(key))
            for key in STATUS_TEXT if key != "not_discussed"
        )  # fmt: skip
        widths = {
            AgendaTableModel.POSITION: metrics.horizontalAdvance("99") + pad,
            AgendaTableModel.STAGE: metrics.horizontalAdvance("Stage") + pad,
            AgendaTableModel.DAYS: metrics.horizontalAdvance("Days") + pad,
            AgendaTableModel.STATUS: widest_status + pad,
        }
        for column, width in widths.items():
            self.queue.setColumnWidth(column, width)
        # One line per row (no word wrap): a fixed row height from the type size, so a
        # changed row is not a re-measure of every row (ResizeToContents asks data() of
        # every cell on each change).
        rows = self.queue.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 10)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.fit_columns()  # presentation mode changes the type size

    # --- meetings ---------------------------------------------------------------------------

    def set_meetings(self, meetings: list[d.Meeting], selected: int | None) -> None:
        self.meetings.blockSignals(True)
        self.meetings.clear()
        for m in meetings:
            when = f" {m.start_time}" if m.start_time else ""
            mark = {"closed": " ✔", "cancelled": " ✘"}.get(m.status, "")
            self.meetings.addItem(f"{m.date.isoformat()}{when} · {m.title}{mark}", m.id)
            self.meetings.setItemData(
                self.meetings.count() - 1, m.title, Qt.ItemDataRole.ToolTipRole
            )
        # The list holds upcoming and recent meetings; older ones are found by date or title.
        if meetings:
            self.meetings.insertSeparator(self.meetings.count())
            self.meetings.addItem(self.tr("Find an older meeting…"), FIND_MEETING)
        self.meetings.setPlaceholderText(self.tr("no meeting yet"))
        index = self.meetings.findData(selected)
        self.meetings.setCurrentIndex(max(index, 0) if meetings else -1)
        self._shown_index = self.meetings.currentIndex()
        self.meetings.blockSignals(False)

    def show_meeting(self, meeting: d.Meeting | None) -> None:
        if meeting is None:
            self.details.setText(self.tr("No meeting yet: create one (Ctrl+Shift+N)."))
            return
        status = self.tr(MEETING_STATUS_WORDS.get(meeting.status, meeting.status))  # type: ignore[call-overload]
        parts = [status]
        if meeting.start_time:
            parts.append(meeting.start_time)
        if meeting.chair:
            parts.append(self.tr("chair {name}").format(name=meeting.chair))
        if meeting.location:
            parts.append(meeting.location)
        if meeting.status_reason:
            parts.append(meeting.status_reason)
        if meeting.expected_specialties:
            parts.append(self.tr("expected: {who}").format(
                who=", ".join(meeting.expected_specialties)))  # fmt: skip
        self.details.setText(" · ".join(parts))

    def _meeting_changed(self, index: int) -> None:
        meeting_id = self.meetings.itemData(index)
        if meeting_id == FIND_MEETING:
            self.meetings.blockSignals(True)
            self.meetings.setCurrentIndex(getattr(self, "_shown_index", 0))
            self.meetings.blockSignals(False)
            self.findMeetingRequested.emit()
            return
        self._shown_index = index
        if meeting_id is not None:
            self.meetingSelected.emit(int(meeting_id))

    # --- the queue ------------------------------------------------------------------------------

    def set_lines(self, lines: list[AgendaLine], current_item_id: int | None) -> None:
        self.queue.selectionModel().blockSignals(True)
        self.model.set_current(current_item_id)
        self.model.update_lines(lines)
        self.select_item(current_item_id)
        self.queue.selectionModel().blockSignals(False)

    def select_item(self, item_id: int | None) -> None:
        row = self.model.row_of_item(item_id)
        if row < 0:
            self.queue.clearSelection()
            return
        index = self.model.index(row, AgendaTableModel.PATIENT)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
        if self.queue.currentIndex().row() == row:
            # As a click: the row is selected afresh (the agenda now updates in place, so
            # a reloaded row may still be current; the window opens a case not open).
            self.queue.selectionModel().clearCurrentIndex()
        self.queue.selectionModel().setCurrentIndex(index, flags)
        self.queue.scrollTo(index)

    def _row_changed(self, current, _previous) -> None:
        line = self.model.data(current, OBJECT_ROLE) if current.isValid() else None
        if line is not None:
            self.itemSelected.emit(line.item_id)

    def current_line(self) -> AgendaLine | None:
        index = self.queue.currentIndex()
        return self.model.data(index, OBJECT_ROLE) if index.isValid() else None

    def step(self, delta: int) -> bool:
        """Select the next (+1) or previous (-1) case; False at either end."""
        rows = self.model.rowCount()
        if not rows:
            return False
        current = self.queue.currentIndex().row()
        target = 0 if current < 0 else current + delta
        if not 0 <= target < rows:
            return False
        self.queue.selectionModel().setCurrentIndex(
            self.model.index(target, AgendaTableModel.PATIENT),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(+1)

    def _move(self, delta: int) -> None:
        line = self.current_line()
        if line is None:
            return
        target = self.queue.currentIndex().row() + delta  # 0-based row in agenda order
        if 0 <= target < self.model.rowCount():
            self.moveRequested.emit(line.item_id, target + 1)
