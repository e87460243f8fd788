"""The generic worker runs off the GUI thread and reports result, error and finished."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool

from ui.workers import Worker, start, wait_for_workers


def test_worker_returns_result_from_another_thread(qtbot):
    gui_thread = threading.get_ident()
    seen = {}

    def work(a, b, *, scale):
        seen["thread"] = threading.get_ident()
        return (a + b) * scale

    worker = Worker(work, 2, 3, scale=10)
    with (
        qtbot.waitSignal(worker.signals.result, timeout=5000) as blocker,
        qtbot.waitSignal(worker.signals.finished, timeout=5000),
    ):
        QThreadPool.globalInstance().start(worker)
    assert blocker.args == [50]
    assert seen["thread"] != gui_thread


def test_worker_reports_error_with_traceback(qtbot):
    def fail():
        raise ValueError("disk full")

    errors = []
    finished = []
    start(
        fail,
        on_error=lambda exc, tb: errors.append((exc, tb)),
        on_finished=lambda: finished.append(1),
    )
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert wait_for_workers(5000)
    assert len(errors) == 1
    exc, tb = errors[0]
    assert isinstance(exc, ValueError) and "disk full" in tb


@pytest.mark.parametrize("value", [None, {"path": "x.pdf"}])
def test_start_passes_any_value(qtbot, value):
    results = []
    start(lambda: value, on_result=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [value]
