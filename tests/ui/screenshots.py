"""Draws the meeting screen to PNG files on an offscreen screen of a given size (run in a
subprocess by test_screenshot.py, since the screen size is fixed when Qt starts):

    QT_QPA_PLATFORM=offscreen:configfile=screen.json python tests/ui/screenshots.py DB OUT W H
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]


def settle(rounds: int = 5) -> None:
    """Run the layout requests the last change posted, so a grab shows the final layout."""
    for _ in range(rounds):
        QApplication.processEvents()


def main(db: str, out: str, width: int, height: int) -> None:
    sys.path.insert(0, str(ROOT))
    from ui.app import build_main_window

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    window = build_main_window(db)
    window.resize(width, height)
    window.show()
    settle()
    lines = window.agenda.model.rows()
    # The case under discussion with a draft: what the room sees mid-meeting.
    draft = next(x for x in lines if x.decision_status == "draft")
    window.agenda.select_item(draft.item_id)
    settle()
    size = f"{width}x{height}"
    if (width, height) == (1366, 768):
        window.grab().save(str(folder / f"meeting-{size}.png"))
    window.actions["presentationAction"].setChecked(True)
    settle(10)
    window.grab().save(str(folder / f"meeting-presentation-{size}.png"))
    window.actions["presentationAction"].setChecked(False)
    window.close()


if __name__ == "__main__":
    from ui.app import application

    application()
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
