"""Fixtures for the meeting-screen tests."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from ui_helpers import open_window


@pytest.fixture(autouse=True)
def _widgets_gone_within_the_test(qtbot):
    """Each test's windows and dialogs are closed and deleted before the next test
    starts, with the garbage collected here. Left to Python's collector, a window from
    one test could be destroyed in the middle of a later one, on whatever thread ran
    the collection (CI once crashed that way in a server test)."""
    yield
    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def meeting_window(qtbot, demo_db):
    """The main window on a fresh copy of the demo database, active, 1366x768."""
    w = open_window(qtbot, demo_db)
    yield w
    if w.isVisible():
        w.close()


@pytest.fixture
def window(qtbot):
    """A plain parent widget for dialogs under test."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget
