"""The Qt binding must not leak references: PySide6 6.12.0 lost one reference to None on
every call of a method returning nothing, and a long meeting crashed the app."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
before = sys.getrefcount(None)
for _ in range(20000):
    w.update()
print(sys.getrefcount(None) - before)
"""


def test_void_calls_do_not_leak_references_to_none():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-1000:]
    assert abs(int(done.stdout.strip().splitlines()[-1])) < 100
