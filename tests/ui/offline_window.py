"""A window in its own process that goes offline while the chair types, then waits to be
killed: ``python tests/ui/offline_window.py DB TEXT`` prints "kept ITEM" once the draft is
kept on this computer (the caller holds the database's write lock, or has cut the
window off its team server)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(db: str, text: str) -> None:
    from PySide6.QtWidgets import QApplication
    from ui_helpers import ScriptedPrompts

    from ui.app import build_main_window

    window = build_main_window(db)
    window.prompts = ScriptedPrompts(window)
    window.show()
    QApplication.processEvents()
    window.store.busy_timeout = 0.2
    if not window.store.is_server:  # a file's lock wait; a server is cut off by the caller
        window.store.db.execute("PRAGMA busy_timeout = 200")
    line = next(x for x in window.agenda.model.rows() if x.decision_status == "draft")
    window.agenda.select_item(line.item_id)
    print("ready", flush=True)
    sys.stdin.readline()  # the caller has taken the lock
    window.decision.plan.setPlainText(text)
    window.decision.flush()  # the autosave: the database is locked, so it is kept here
    assert window.live_banner.is_offline
    print(f"kept {line.item_id}", flush=True)
    while True:  # typing on, until the laptop dies
        QApplication.processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
