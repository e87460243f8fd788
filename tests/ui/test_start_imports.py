"""The window's first paint waits for no heavy library (issue 17): the meeting screen is
painted before sqlite-utils, the document libraries and the YAML parser are loaded,
and the first case still opens a moment later, with its patient banner."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from mdt_app.demo import build_demo_database

# Started as `mdt-app` starts the window (ui.app.build_main_window, load_after_paint).
_SCRIPT = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from ui.app import application, build_main_window

app = application()
window = build_main_window(sys.argv[1], load_after_paint=True)
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "at_paint" not in seen:
            seen["at_paint"] = sorted(sys.modules)
            seen["banner_at_paint"] = window.banner.name.text()
        return False

def later():
    seen["banner_later"] = window.banner.name.text()
    print(json.dumps(seen))
    window.close()
    app.quit()

watch = FirstPaint()
window.installEventFilter(watch)
window.show()
QTimer.singleShot(1500, later)
app.exec()
"""

HEAVY = ("sqlite_utils", "reportlab", "docx", "yaml", "fhir", "click", "dateutil", "pluggy")


def test_first_paint_loads_no_heavy_library_and_the_case_follows(tmp_path):
    db = tmp_path / "demo.db"
    build_demo_database(db)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    heavy = sorted({m for m in seen["at_paint"] if m.split(".")[0] in HEAVY})
    assert heavy == [], f"loaded before the first paint: {heavy}"
    assert seen["banner_later"] and seen["banner_later"] != seen["banner_at_paint"]


def test_the_quick_pyside_check_answers_as_pyside_does():
    """ui.pyside_import_check: the same answer as PySide's own check, for every module
    loaded here (the app's, the standard library's, extension modules)."""
    import inspect

    import ui.main_window  # noqa: F401 (modules that use PySide6, and many that do not)
    from ui.pyside_import_check import quick_check

    def pyside_answer(module):  # what PySide's own check does: getsource, then search
        try:
            return "PySide6" in inspect.getsource(module)
        except (TypeError, OSError, SyntaxError):
            return False

    quick = quick_check(pyside_answer)
    modules = [m for m in list(sys.modules.values()) if m is not None]
    assert len(modules) > 300
    differ = [m.__name__ for m in modules if quick(m) != pyside_answer(m)]
    assert differ == []
    assert quick(sys.modules["ui.main_window"]) and not quick(sys.modules["mdt_app.domain"])


def test_the_quick_pyside_check_is_in_place_once_qt_is_loaded():
    import ui.pyside_import_check as check

    check.install()
    installed = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    assert getattr(installed, "_mdt_reads_bytes", False)
    check.install()  # twice: not wrapped twice
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is installed
