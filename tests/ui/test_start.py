"""The app's own start paints the window before it opens the meeting."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView


def test_start_paints_first_then_opens_the_meeting(qtbot, demo_db):
    from ui.app import build_main_window

    window = build_main_window(demo_db, load_after_paint=True)
    qtbot.addWidget(window)
    queue = window.findChild(QAbstractItemView, "caseQueue")
    assert queue.model().rowCount() == 0  # nothing loaded before the first paint
    window.show()
    qtbot.waitUntil(lambda: queue.model().rowCount() > 0)


def test_built_for_embedding_the_meeting_is_open_at_once(qtbot, demo_db):
    from ui.app import build_main_window

    window = build_main_window(demo_db)
    qtbot.addWidget(window)
    assert window.findChild(QAbstractItemView, "caseQueue").model().rowCount() > 0
