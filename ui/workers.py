"""Run slow work off the GUI thread: a generic QRunnable with its signals on a QObject.

Pass plain data in (paths, ids), never widgets; a sqlite connection belongs to the
thread that opened it, so a worker that needs the database opens its own Store.

    worker = Worker(write_pdf, db_path, case_id)
    worker.signals.result.connect(on_done)
    worker.signals.error.connect(on_error)
    QThreadPool.globalInstance().start(worker)
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

_running: set[Worker] = set()


class WorkerSignals(QObject):
    """Signals of a Worker (a QRunnable is not a QObject and cannot carry them)."""

    result = Signal(object)  # the function's return value
    error = Signal(object, str)  # the exception, its formatted traceback
    finished = Signal()  # always, after result or error


class Worker(QRunnable):
    """Calls ``fn(*args, **kwargs)`` on a pool thread and reports through ``signals``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        super().__init__()
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.signals = WorkerSignals()
        # Python keeps the worker (and so its signals) alive until ``finished`` has been
        # delivered on the GUI thread; callers need not hold a reference.
        self.setAutoDelete(False)
        _running.add(self)
        self.signals.finished.connect(lambda: _running.discard(self))

    def run(self) -> None:
        try:
            value = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # reported to the GUI thread, never lost
            log.exception("background task failed")
            self.signals.error.emit(exc, traceback.format_exc())
        else:
            self.signals.result.emit(value)
        finally:
            self.signals.finished.emit()


def start(
    fn: Callable[..., Any],
    *args: Any,
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException, str], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    pool: QThreadPool | None = None,
    **kwargs: Any,
) -> Worker:
    """Create a Worker, connect the given callbacks and start it on ``pool``."""
    worker = Worker(fn, *args, **kwargs)
    if on_result is not None:
        worker.signals.result.connect(on_result)
    if on_error is not None:
        worker.signals.error.connect(on_error)
    if on_finished is not None:
        worker.signals.finished.connect(on_finished)
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker


def wait_for_workers(msecs: int = 10_000, pool: QThreadPool | None = None) -> bool:
    """Block until the pool's workers are done (call on quit); False on timeout."""
    return (pool or QThreadPool.globalInstance()).waitForDone(msecs)
