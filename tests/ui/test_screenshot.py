"""Screenshots of the meeting screen on the demo database (offscreen): 1366x768 normal and
presentation, 1920x1080 presentation.

    pytest tests/ui/test_screenshot.py                        # checks, images in tmp only
    MDT_APP_SCREENSHOTS=1 pytest tests/ui/test_screenshot.py  # also docs/screenshots/

Each size runs in its own process on an offscreen screen of that size, so full screen is
really that size. The docs images are then looked at before they are committed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCRIPT = Path(__file__).with_name("screenshots.py")
SIZES = {(1366, 768): ("meeting", "meeting-presentation"), (1920, 1080): ("meeting-presentation",)}


def _draw(db: Path, out: Path, size: tuple[int, int], tmp: Path) -> None:
    screen = tmp / f"screen-{size[0]}.json"
    screen.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0,
        "width": size[0], "height": size[1], "logicalDpi": 96, "logicalBaseDpi": 96,
        "dpr": 1}]}))  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "MDT_APP_UI_SETTINGS": str(tmp / f"ui-{size[0]}.ini")}  # fmt: skip
    subprocess.run([sys.executable, str(SCRIPT), str(db), str(out), str(size[0]), str(size[1])],
                   env=env, check=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize("size", list(SIZES))
def test_screenshots(demo_db, backend, tmp_path, size):
    # The docs show the file the demo opens; the server's run only checks that it paints.
    docs = os.environ.get("MDT_APP_SCREENSHOTS") and backend == "sqlite"
    out = DOCS if docs else tmp_path
    _draw(demo_db, out, size, tmp_path)
    for stem in SIZES[size]:
        image = QImage(str(out / f"{stem}-{size[0]}x{size[1]}.png"))
        assert (image.width(), image.height()) == size  # full screen is the screen's size
        sample = {image.pixelColor(x, y).name() for x in range(0, size[0], 37)
                  for y in range(0, size[1], 23)}  # fmt: skip
        assert len(sample) > 20  # a drawn window, not a blank one
