"""Run by test_bench_scale (in its own process): the main window on a database, then
each case switch timed until the window has painted it. Prints JSON: the switch times
(wall clock, and the CPU time of the window's thread) and, as the same run's baseline,
the times of repainting the same window without a switch (ms).

    python tests/benchmarks/case_switch.py DB [SWITCHES]
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QEvent, QObject


class Painted(QObject):
    """Notes when the case area has been painted."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def _until_painted(app, watch: Painted) -> None:
    deadline = time.perf_counter() + 5
    while not watch.seen and time.perf_counter() < deadline:
        app.processEvents()
    app.processEvents()  # what the paint itself posted (e.g. a deferred layout)


def main(db: str, switches: int) -> None:
    from ui.app import application, build_main_window

    app = application()
    window = build_main_window(db)
    window.resize(1366, 768)
    window.show()
    for _ in range(20):
        app.processEvents()
    watch = Painted()
    window.summary.installEventFilter(watch)
    agenda = window.agenda
    rows = agenda.model.rowCount()
    assert rows > 1, "the meeting needs at least two cases"
    step, switch_ms, switch_cpu_ms, repaint_ms = 1, [], [], []
    for _ in range(switches):
        if not 0 <= agenda.queue.currentIndex().row() + step < rows:
            step = -step
        watch.seen = False
        start, cpu = time.perf_counter(), time.thread_time()
        agenda.step(step)
        _until_painted(app, watch)
        switch_ms.append((time.perf_counter() - start) * 1000)
        # The window's own thread's CPU time: what a shared, busy machine barely changes.
        switch_cpu_ms.append((time.thread_time() - cpu) * 1000)
        watch.seen = False
        start = time.perf_counter()
        window.summary.update()
        _until_painted(app, watch)
        repaint_ms.append((time.perf_counter() - start) * 1000)
    window.store.close()
    print(
        json.dumps(
            {"switch": switch_ms, "switch_cpu": switch_cpu_ms, "repaint": repaint_ms, "rows": rows}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 60)
