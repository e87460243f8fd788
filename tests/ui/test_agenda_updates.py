"""The agenda model brings its rows to a reloaded agenda with the least change: changed
rows repainted, added and removed items inserted and removed, moves moved; no reset."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from mdt_app import domain as d
from ui.models.agenda_model import AgendaLine, AgendaTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def _line(item_id: int, position: int, decision: str = "none") -> AgendaLine:
    item = d.AgendaItem(meeting_id=1, case_id=item_id * 10, position=position)
    item.id = item_id
    return AgendaLine(item=item, patient=f"Patient {item_id}", mrn=f"H{item_id}",
                      stage="IVB", decision_status=decision)  # fmt: skip


class Recorder:
    def __init__(self, model: AgendaTableModel):
        self.events: list[tuple] = []
        model.modelReset.connect(lambda: self.events.append(("reset",)))
        model.rowsInserted.connect(lambda _p, a, b: self.events.append(("insert", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.events.append(("remove", a, b)))
        model.rowsMoved.connect(lambda _p, a, _b, _q, to: self.events.append(("move", a, to)))
        model.dataChanged.connect(lambda tl, _br: self.events.append(("changed", tl.row())))

    def kinds(self) -> set[str]:
        return {e[0] for e in self.events}

    def changed_rows(self) -> set[int]:
        return {e[1] for e in self.events if e[0] == "changed"}


@pytest.fixture()
def model(qapp):
    m = AgendaTableModel(today=date(2026, 5, 13))
    QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
    m.set_rows([_line(1, 1), _line(2, 2), _line(3, 3), _line(4, 4)])
    return m


def _ids(model: AgendaTableModel) -> list[int]:
    return [line.item_id for line in model.rows()]


def test_a_changed_line_repaints_its_row_only(model):
    seen = Recorder(model)
    model.update_lines([_line(1, 1), _line(2, 2, decision="signed"), _line(3, 3), _line(4, 4)])
    assert seen.kinds() == {"changed"}
    assert seen.changed_rows() == {1}
    assert "decided" in model.data(model.index(1, AgendaTableModel.STATUS), DISPLAY)


def test_the_same_agenda_again_changes_nothing(model):
    seen = Recorder(model)
    model.update_lines([_line(1, 1), _line(2, 2), _line(3, 3), _line(4, 4)])
    assert seen.events == []


def test_added_and_removed_items(model):
    seen = Recorder(model)
    model.update_lines([_line(1, 1), _line(3, 2), _line(5, 3), _line(4, 4)])
    assert _ids(model) == [1, 3, 5, 4]
    assert ("remove", 1, 1) in seen.events
    assert ("insert", 2, 2) in seen.events
    assert "reset" not in seen.kinds()
    # Positions changed on the rows that moved up: those rows repaint, row 0 does not.
    assert 0 not in seen.changed_rows()


def test_a_reorder_moves_rows(model):
    seen = Recorder(model)
    model.update_lines([_line(4, 1), _line(1, 2), _line(2, 3), _line(3, 4)])
    assert _ids(model) == [4, 1, 2, 3]
    assert "move" in seen.kinds() and "reset" not in seen.kinds()
    assert [model.data(model.index(r, 0), DISPLAY) for r in range(4)] == ["1", "2", "3", "4"]


def test_another_meeting_resets(model):
    seen = Recorder(model)
    model.update_lines([_line(7, 1), _line(8, 2)])
    assert seen.kinds() == {"reset"}
    assert _ids(model) == [7, 8]


def test_the_current_case_repaints_two_rows(model):
    model.set_current(1)
    seen = Recorder(model)
    model.set_current(3)
    assert seen.changed_rows() == {0, 2}
    seen.events.clear()
    model.set_current(3)
    assert seen.events == []


def test_live_change_repaints_every_status(model):
    model.set_current(2)
    seen = Recorder(model)
    model.live = False
    assert seen.kinds() == {"changed"}
    assert "discussing" not in model.data(model.index(1, AgendaTableModel.STATUS), DISPLAY)
