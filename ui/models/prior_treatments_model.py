"""Prior treatments as a table (case data editor): type, dates, response, note."""

from __future__ import annotations

from datetime import date

from mdt_app import domain as d
from ui import labels
from ui.models.base import RowTableModel
from ui.translate import QT_TR_NOOP


class PriorTreatmentsModel(RowTableModel[d.PriorTreatment]):
    TYPE, STARTED, ENDED, RESPONSE, NOTE = range(5)
    HEADERS = (QT_TR_NOOP("Treatment"), QT_TR_NOOP("Started"), QT_TR_NOOP("Ended"),
               QT_TR_NOOP("Response"), QT_TR_NOOP("Note"))  # fmt: skip

    def set_rows(self, rows: list[d.PriorTreatment]) -> None:
        """Oldest first; undated last."""
        super().set_rows(
            sorted(rows, key=lambda t: (t.started_on is None, t.started_on or date.min))
        )

    def display(self, t: d.PriorTreatment, column: int) -> str:
        if column == self.TYPE:
            return labels.word(t.type)
        if column == self.STARTED:
            return t.started_on.isoformat() if t.started_on else labels.word(None)
        if column == self.ENDED:
            return t.ended_on.isoformat() if t.ended_on else self.tr("ongoing")
        if column == self.RESPONSE:
            return labels.word(t.response)
        return t.note or ""

    def remove_row(self, row: int) -> None:
        rows = self.rows()
        if 0 <= row < len(rows):
            del rows[row]
            self.set_rows(rows)
