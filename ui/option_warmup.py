"""The option rows of the agenda's cases built in idle time, one case per turn of the
event loop, once the meeting is on screen (issue 17).

A case's first visit was the slowest switch: its option rows were built and polished
then. Here each agenda case's options are read (the session's guidance cache keeps
the answer for its visit) and the options panel builds their rows hidden. Nothing on
screen changes; a case that cannot be read now is left to its visit, which reports
the problem as usual.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from mdt_app.errors import StoreError, UserError
from mdt_app.snapshot import OptionsSnapshot

log = logging.getLogger(__name__)


class OptionsWarmUp(QObject):
    """Prepares the rows of each agenda item not yet prepared, while the window idles."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.done: set[int] = set()
        self.pending: list[int] = []
        self.timer = QTimer(self)
        self.timer.setObjectName("optionsWarmUpTimer")
        self.timer.setInterval(0)  # idle turns only: input and paint events come first
        self.timer.timeout.connect(self.step)
        window.session.agendaChanged.connect(self.offer)

    def offer(self, lines: list) -> None:
        """Queue the items of ``lines`` not prepared yet (the agenda as now shown)."""
        queued = set(self.pending)
        self.pending += [
            line.item_id for line in lines
            if line.item_id not in self.done and line.item_id not in queued
        ]  # fmt: skip
        if self.pending and not self.timer.isActive():
            self.timer.start()

    def step(self) -> None:
        """Prepare one item; stop when none is left, or while the window is offline."""
        if not self.pending or self.window.live.offline_reason is not None:
            self.timer.stop()
            return
        item_id = self.pending.pop(0)
        self.done.add(item_id)
        try:
            rec = self.window.session.preview_item(item_id)
        except StoreError as exc:  # the database is away: the window's own checks say so
            log.info("options not prepared: %s", exc)
            self.pending.clear()
            self.timer.stop()
            return
        except UserError as exc:  # its visit reads it again and says what is wrong
            log.info("options of agenda item %s not prepared: %s", item_id, exc)
            return
        self.window.options.prepare(OptionsSnapshot.of(rec.as_dict()))
