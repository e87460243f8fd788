"""Closing a meeting: the cases not yet decided, each with the reason it moves on, and
where they go. Closing makes the minutes final."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mdt_app import domain as d
from mdt_app import meetings as mt
from ui.widgets.common import label


class CloseMeetingDialog(QDialog):
    def __init__(
        self,
        meeting: d.Meeting,
        pending: list[tuple[d.AgendaItem, d.Patient]],
        destination: str,
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("closeMeetingDialog")
        self.setWindowTitle(self.tr("Close the meeting"))
        self.reasons: dict[int, QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                self.tr("Close the meeting of {day} ({title})? Its minutes become final and "
                        "no decision can be signed on it afterwards.").format(
                    day=meeting.date.isoformat(), title=meeting.title),
                wrap=True,
            )
        )  # fmt: skip
        if pending:
            layout.addWidget(
                label(
                    self.tr("{n} case(s) not decided. They are marked 'not discussed' and "
                            "move to {where}, each with its reason:").format(
                        n=len(pending), where=destination),
                    "warning",
                    wrap=True,
                    name="closePendingNote",
                )
            )  # fmt: skip
            rows = QWidget()
            grid = QGridLayout(rows)
            grid.addWidget(label(self.tr("Patient"), "factName"), 0, 0)
            grid.addWidget(label(self.tr("Reason"), "factName"), 0, 1)
            for row, (item, patient) in enumerate(pending, start=1):
                grid.addWidget(label(f"{patient.display_name} · MRN {patient.mrn}"), row, 0)
                edit = QLineEdit(mt.DEFAULT_CARRY_REASON)
                edit.setObjectName(f"carryReason{item.id}")
                edit.setAccessibleName(
                    self.tr("Reason for {name}").format(name=patient.display_name)
                )
                self.reasons[item.id or 0] = edit
                grid.addWidget(edit, row, 1)
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(len(pending) + 1, 1)  # rows stay at the top
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setWidget(rows)
            layout.addWidget(area, 1)
        else:
            layout.addWidget(label(self.tr("Every case on the agenda has been decided."),
                                   "signed"))  # fmt: skip
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Close meeting"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(680, 420 if pending else 0)

    def chosen_reasons(self) -> dict[int, str]:
        """Agenda item id -> reason (an emptied field falls back to the default reason)."""
        return {
            item_id: edit.text().strip() or mt.DEFAULT_CARRY_REASON
            for item_id, edit in self.reasons.items()
        }
