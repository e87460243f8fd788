"""ui.widgets.date_fields: the editors' one date field and the date conversions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from ui.widgets.date_fields import date_edit, day_of, pydate, qdate


def test_dates_go_to_qt_and_back():
    for day in (date(2026, 12, 2), date(2024, 2, 29), date(1931, 1, 1)):
        assert pydate(qdate(day)) == day
    assert qdate(date(2026, 12, 2)) == QDate(2026, 12, 2)


def test_a_date_field_starts_today_with_a_calendar_in_iso_format(qtbot):
    edit = date_edit("newLabDate")
    qtbot.addWidget(edit)
    assert edit.objectName() == "newLabDate"
    assert edit.calendarPopup()
    assert edit.displayFormat() == "yyyy-MM-dd"
    assert day_of(edit) == date.today()
    edit.setDate(QDate(2025, 3, 9))
    assert day_of(edit) == date(2025, 3, 9)
    assert edit.text() == "2025-03-09"
