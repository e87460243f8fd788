"""Finding a patient from anywhere (Ctrl+F): a search field and, under it, the cases
found, each with stage, meeting and decision status.

Keys: Up/Down choose a case, Enter opens it, Ctrl+Enter queues it on the meeting shown,
Esc closes the list. Opened by "Add case to agenda" (Ctrl+N), Enter queues instead.
The search itself is `mdt_app.search.search_cases` (an index, never the whole archive).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHeaderView, QLineEdit, QVBoxLayout, QWidget

from mdt_app.errors import UserError
from mdt_app.search import SearchHit
from ui.models.base import OBJECT_ROLE, RowTableModel
from ui.translate import QT_TR_NOOP
from ui.widgets.common import label, table_view

DECISION_WORDS = {"none": QT_TR_NOOP("no decision"), "draft": QT_TR_NOOP("draft"),
                  "signed": QT_TR_NOOP("signed"), "amended": QT_TR_NOOP("amended")}  # fmt: skip
AGENDA_WORDS = {"queued": QT_TR_NOOP("queued"), "discussed": QT_TR_NOOP("discussed"),
                "deferred": QT_TR_NOOP("deferred"),
                "not_discussed": QT_TR_NOOP("not discussed")}  # fmt: skip


class SearchResultsModel(RowTableModel[SearchHit]):
    PATIENT, MRN, BORN, STAGE, MEETING, DECISION = range(6)
    HEADERS = (QT_TR_NOOP("Patient"), QT_TR_NOOP("MRN"), QT_TR_NOOP("Born"),
               QT_TR_NOOP("Stage"), QT_TR_NOOP("Meeting"), QT_TR_NOOP("Decision"))  # fmt: skip

    def display(self, hit: SearchHit, column: int) -> str:
        r = hit.row
        if column == self.PATIENT:
            return r.patient
        if column == self.MRN:
            return r.mrn
        if column == self.BORN:
            return r.birth_date.isoformat() if r.birth_date else "—"
        if column == self.STAGE:
            return "IV?" if r.stage == "unstageable" else r.stage
        if column == self.MEETING:
            if hit.meeting is None:
                return self.tr("not on any agenda")
            status = self.tr(AGENDA_WORDS.get(r.agenda_status or "", r.agenda_status or ""))
            return f"{hit.meeting.date.isoformat()} {hit.meeting.title} ({status})"
        return self.tr(DECISION_WORDS.get(r.decision_status, r.decision_status))


class SearchField(QLineEdit):
    """The field keeps the focus; the keys that drive the list are taken here."""

    keyForList = Signal(int, object)  # key, modifiers

    KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter,
            Qt.Key.Key_Escape, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)  # fmt: skip

    def keyPressEvent(self, event) -> None:
        if event.key() in self.KEYS:
            self.keyForList.emit(event.key(), event.modifiers())
            return
        super().keyPressEvent(event)


class PatientSearch(QWidget):
    """The search field (objectName ``patientSearch``) and its list of results, which
    floats over the window under the field."""

    openRequested = Signal(object)  # SearchHit
    queueRequested = Signal(object)  # SearchHit

    def __init__(self, search: Callable[[str], list[SearchHit]], window: QWidget):
        super().__init__()
        self.search = search
        self.window_ = window
        self.add_mode = False
        self.field = SearchField()
        self.field.setObjectName("patientSearch")
        self.field.setAccessibleName(self.tr("Find a patient"))
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(260)
        self._placeholder()
        self.field.textEdited.connect(self._typed)
        self.field.keyForList.connect(self._key)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)  # search when typing pauses
        self.timer.timeout.connect(self.run_search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        self.model = SearchResultsModel(self)
        self.popup = QFrame(window)
        self.popup.setObjectName("searchPopup")
        self.popup.setFrameShape(QFrame.Shape.Box)
        self.popup.setAutoFillBackground(True)
        self.results = table_view("searchResults", self.tr("Patients found"), self.popup)
        self.results.setModel(self.model)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setWordWrap(False)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SearchResultsModel.MEETING, QHeaderView.ResizeMode.Stretch)
        self.results.doubleClicked.connect(lambda index: self._activate(index.row(), False))
        self.hint = label("", "muted", name="searchHint")
        pop = QVBoxLayout(self.popup)
        pop.setContentsMargins(4, 4, 4, 4)
        pop.addWidget(self.results, 1)
        pop.addWidget(self.hint)
        self.popup.hide()
        self.field.installEventFilter(self)
        self.meeting_name = ""

    # --- modes --------------------------------------------------------------------------

    def _placeholder(self) -> None:
        self.field.setPlaceholderText(
            self.tr("Add to agenda: name, MRN or birth date (Enter queues)")
            if self.add_mode
            else self.tr("Find patient: name, MRN or birth date (Ctrl+F)")
        )

    def start(self, add_mode: bool = False) -> None:
        """Focus the field (Ctrl+F; Ctrl+N with ``add_mode``)."""
        self.add_mode = add_mode
        self._placeholder()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text().strip():
            self.run_search()

    def set_meeting_name(self, text: str) -> None:
        self.meeting_name = text

    # --- searching ----------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self.timer.start()

    def run_search(self) -> None:
        self.timer.stop()
        text = self.field.text().strip()
        if not text:
            self.close_list()
            return
        try:
            hits = self.search(text)
        except UserError as exc:
            self.model.set_rows([])
            self._show(str(exc))
            return
        self.model.set_rows(hits)
        if hits:
            self.results.selectRow(0)
        self._show(None if hits else self.tr("No patient matches “{text}”.").format(text=text))

    def _show(self, note: str | None) -> None:
        if note:
            self.hint.setText(note)
        else:
            enter = self.tr("queue") if self.add_mode else self.tr("open")
            self.hint.setText(
                self.tr("Enter: {enter} · Ctrl+Enter: queue on {meeting} · Esc: close").format(
                    enter=enter, meeting=self.meeting_name or self.tr("the meeting shown")
                )
            )
        self._place()
        self.popup.show()
        self.popup.raise_()

    def _place(self) -> None:
        window = self.window_
        top_left = self.field.mapTo(window, QPoint(0, self.field.height()))
        width = min(max(720, self.field.width()), window.width() - 16)
        x = max(8, min(top_left.x() + self.field.width() - width, window.width() - width - 8))
        rows = min(self.model.rowCount(), 12)
        height = 64 + self.results.verticalHeader().defaultSectionSize() * max(rows, 1)
        self.popup.setGeometry(x, top_left.y() + 2, width, min(height, window.height() // 2))

    def close_list(self) -> None:
        self.popup.hide()

    def is_open(self) -> bool:
        return self.popup.isVisible()

    # --- keys ---------------------------------------------------------------------------

    def _key(self, key: int, modifiers) -> None:
        if key == Qt.Key.Key_Escape:
            if self.is_open():
                self.close_list()
            else:
                self.field.clear()
                self.window_.setFocus()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.timer.isActive() or not self.is_open():
                self.run_search()  # Enter before the pause: search first
            row = self.results.currentIndex().row()
            if row >= 0:
                ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
                self._activate(row, ctrl or self.add_mode)
            return
        if not self.is_open() or not self.model.rowCount():
            if key == Qt.Key.Key_Down:
                self.run_search()
            return
        steps: dict[int, int] = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10,
                                 Qt.Key.Key_PageDown: 10}  # fmt: skip
        step = steps[key]
        row = max(0, min(self.results.currentIndex().row() + step, self.model.rowCount() - 1))
        self.results.selectRow(row)

    def _activate(self, row: int, queue: bool) -> None:
        hit = self.model.data(self.model.index(row, 0), OBJECT_ROLE)
        if hit is None:
            return
        self.close_list()
        (self.queueRequested if queue else self.openRequested).emit(hit)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.field and event.type() == QEvent.Type.FocusOut and self.is_open():
            # A click elsewhere closes the list (a click on the list itself keeps it).
            QTimer.singleShot(0, self._close_if_unfocused)
        return super().eventFilter(watched, event)

    def _close_if_unfocused(self) -> None:
        if not self.field.hasFocus() and not self.popup.underMouse():
            self.close_list()
