"""Dates in the editors: a calendar date field in the house's ISO format, and the
conversions between Python's dates and Qt's."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit


def qdate(day: date) -> QDate:
    """``day`` as Qt's date."""
    return QDate(day.year, day.month, day.day)


def pydate(q: QDate) -> date:
    """Qt's date ``q`` as Python's."""
    return date(q.year(), q.month(), q.day())


def date_edit(name: str) -> QDateEdit:
    """A date field named ``name``, starting today, with a calendar (Alt+Down or F4) and
    YYYY-MM-DD shown, as everywhere else in the app."""
    edit = QDateEdit(QDate.currentDate())
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def day_of(edit: QDateEdit) -> date:
    """The date ``edit`` shows."""
    return pydate(edit.date())
