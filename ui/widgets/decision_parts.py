"""Parts of the decision form: follow-up, actions, and the record's history."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from ui import labels
from ui.models.meeting_tables import ActionsTableModel
from ui.widgets.common import label, table_view
from ui.widgets.date_delegate import DueDateDelegate

WEEKS_MAX = 26  # half a year; beyond that the interval is counted in months
WEEKS_PER_MONTH = 4.345


class FollowUpEditor(QWidget):
    """Interval in weeks or months (default 3 months) and what each visit includes."""

    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.months = QSpinBox()
        self.months.setObjectName("followUpMonths")
        self.months.setAccessibleName(self.tr("Follow-up interval"))
        self.months.setRange(1, 60)
        self.months.setValue(d.DEFAULT_FOLLOW_UP_MONTHS)
        self.months.valueChanged.connect(self.edited)
        self.unit = QComboBox()
        self.unit.setObjectName("followUpUnit")
        self.unit.setAccessibleName(self.tr("Follow-up interval unit"))
        self.unit.addItem(self.tr("months"), "months")
        self.unit.addItem(self.tr("weeks"), "weeks")
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.items: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, item in enumerate(d.FOLLOW_UP_ITEMS):
            box = QCheckBox(labels.word(item))
            box.setObjectName(f"followUp_{item}")
            box.toggled.connect(self.edited)
            grid.addWidget(box, i // 2, i % 2)
            self.items[item] = box
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(label(self.tr("Follow-up every"), "factName"))
        row.addWidget(self.months)
        row.addWidget(self.unit)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(label(self.tr("Each visit includes:"), "factName"))
        layout.addLayout(grid)

    def _unit_changed(self, _index: int) -> None:
        self.months.setMaximum(WEEKS_MAX if self.unit.currentData() == "weeks" else 60)
        self.edited.emit()

    def set_values(self, months: int, items: list[str], weeks: int | None = None) -> None:
        self.unit.blockSignals(True)
        self.unit.setCurrentIndex(1 if weeks else 0)
        self.unit.blockSignals(False)
        self.months.setMaximum(WEEKS_MAX if weeks else 60)
        self.months.setValue(weeks or months)
        for item, box in self.items.items():
            box.setChecked(item in items)

    def weeks(self) -> int | None:
        """The interval in weeks, or None when it is counted in months."""
        return self.months.value() if self.unit.currentData() == "weeks" else None

    def values(self) -> tuple[int, list[str]]:
        """(months, items); an interval in weeks gives its months rounded up."""
        weeks = self.weeks()
        months = math.ceil(weeks / WEEKS_PER_MONTH) if weeks else self.months.value()
        return months, [i for i, box in self.items.items() if box.isChecked()]

    def set_read_only(self, on: bool) -> None:
        self.months.setReadOnly(on)
        self.unit.setEnabled(not on)
        for box in self.items.values():
            box.setEnabled(not on)


class ActionsEditor(QWidget):
    """Actions with owner and due date, in an editable table."""

    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ActionsTableModel(self, editable=True)
        self.view = table_view("actionsTable", self.tr("Actions"))
        self.view.setTabKeyNavigation(True)  # an edited table: Tab goes to the next cell
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ActionsTableModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            ActionsTableModel.OWNER, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(ActionsTableModel.DUE, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setItemDelegateForColumn(ActionsTableModel.DUE, DueDateDelegate(self.view))
        self.add_button = QPushButton(self.tr("Add action"))
        self.add_button.setObjectName("addActionButton")
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("removeActionButton")
        self.add_button.clicked.connect(self.add_blank)
        self.remove_button.clicked.connect(self.remove_selected)
        self.problem = label("", "warning", wrap=True)
        self.problem.setVisible(False)
        self.model.dataChanged.connect(self._changed)
        self.model.invalidEdit.connect(self._refused)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)

    def _changed(self, *args) -> None:
        self.problem.setVisible(False)
        self.edited.emit()

    def _refused(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)

    def add_blank(self) -> None:
        self.add(self.tr("(describe the action)"))
        index = self.model.index(self.model.rowCount() - 1, ActionsTableModel.DESCRIPTION)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def add(self, description: str, owner: str | None = None) -> None:
        self.model.add_action(description, owner)
        self.edited.emit()

    def remove_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())
            self.edited.emit()

    def set_actions(self, actions: list[d.Action]) -> None:
        self.model.set_rows(actions)

    def actions(self) -> list[d.Action]:  # type: ignore[override]  # not QWidget.actions()
        return self.model.actions()

    def set_read_only(self, on: bool) -> None:
        """A signed decision's actions are shown, never offered for change."""
        self.model.editable = not on
        self.add_button.setVisible(not on)
        self.remove_button.setVisible(not on)


def _t(text: str) -> str:
    return QCoreApplication.translate("DecisionHistory", text)


def record_numbers(history: list[d.Decision]) -> dict[int, int]:
    """Decision id -> its number (#1, #2 …) in the item's history, oldest first."""
    return {x.id: n for n, x in enumerate(history, start=1) if x.id is not None}


def history_text(
    history: list[d.Decision], titles: dict[str, str], title_of: Callable[[str], str] = str
) -> str:
    """Every record of the decision, oldest first: originals are kept beside amendments.

    Records are numbered #1, #2 … and refer to each other by those numbers, never by
    database ids; an option missing from ``titles`` is named by ``title_of(code)``.
    """
    if not history:
        return _t("No decision recorded yet.")
    numbers = record_numbers(history)
    blocks = []
    for number, x in enumerate(history, start=1):
        if x.is_signed:
            head = _t("#{n} signed by {who} on {when}").format(
                n=number, who=x.signed_by, when=_when(x.signed_at)
            )
        else:
            head = _t("#{n} draft, last saved {when}").format(n=number, when=_when(x.updated_at))
        lines = [head]
        if x.amends_decision_id:
            lines.append(_t("Amends #{n}. Reason: {reason}").format(
                n=numbers.get(x.amends_decision_id, "?"), reason=x.amendment_reason))  # fmt: skip
        if x.guideline_version:
            lines.append(_t("Guideline {id} version {version}").format(
                id=x.guideline_id, version=x.guideline_version))  # fmt: skip
        options = ", ".join(titles.get(c) or title_of(c) for c in x.chosen_options) or _t("none")
        lines.append(_t("Options: {options}").format(options=options))
        if x.plan_text.strip():
            lines.append(_t("Plan: {plan}").format(plan=x.plan_text.strip()))
        if x.deviation_reason:
            lines.append(_t("Deviation reason: {why}").format(why=x.deviation_reason))
        if x.sign_off_exceptions:
            lines.append(_t("Signed with a recorded exception: {why}").format(
                why=x.sign_off_reason or ""))  # fmt: skip
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"
