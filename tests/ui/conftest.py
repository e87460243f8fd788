"""Fixtures for the meeting-screen tests."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget
from ui_helpers import open_window


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
