"""Screenshots of the meeting screen at 1366x768 on the demo database (offscreen).

    pytest tests/ui/test_screenshot.py                        # checks, images in tmp only
    MDT_APP_SCREENSHOTS=1 pytest tests/ui/test_screenshot.py  # also docs/screenshots/

The docs images are then looked at before they are committed.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from ui_helpers import open_window, press

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZE = (1366, 768)


def settle() -> None:
    """Run the layout requests the last change posted, so the grab shows the final layout."""
    for _ in range(3):
        QApplication.processEvents()


def capture(qtbot, db_path: Path, out: Path) -> dict[str, Path]:
    """The window on the first case, then in presentation mode; the files written."""
    window = open_window(qtbot, db_path)
    window.resize(*SIZE)
    window.agenda.select_item(window.agenda.model.row_object(0).item_id)  # the first case
    qtbot.waitUntil(lambda: window.banner.name.text() != "No case open", timeout=3000)
    out.mkdir(parents=True, exist_ok=True)
    shots = {"meeting": out / "meeting-1366x768.png"}
    settle()
    window.grab().save(str(shots["meeting"]))
    # The case under discussion with a draft, as projected.
    draft = next(x for x in window.agenda.model.rows() if x.decision_status == "draft")
    window.agenda.select_item(draft.item_id)
    press(qtbot, window, Qt.Key.Key_F5)
    settle()
    shots["presentation"] = out / "meeting-presentation-1366x768.png"
    window.grab().save(str(shots["presentation"]))
    press(qtbot, window, Qt.Key.Key_F5)
    window.close()
    return shots


def test_screenshots_at_1366x768(qtbot, demo_db, tmp_path):
    out = DOCS if os.environ.get("MDT_APP_SCREENSHOTS") else tmp_path
    shots = capture(qtbot, demo_db, out)
    for path in shots.values():
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE
        sample = {image.pixelColor(x, y).name() for x in range(0, SIZE[0], 37)
                  for y in range(0, SIZE[1], 23)}  # fmt: skip
        assert len(sample) > 20  # a drawn window, not a blank one
