"""Dropping files (mdt-case JSON, FHIR Bundles, HL7 v2 messages, panel replies) onto the
agenda imports them, with the same report and confirmation as File > Import."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal


def local_files(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]


class FileDropFilter(QObject):
    """An event filter for a widget (and its viewport) accepting dropped local files."""

    filesDropped = Signal(list)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and local_files(event.mimeData()):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop:
            files = local_files(event.mimeData())
            if files:
                event.acceptProposedAction()
                self.filesDropped.emit(files)
                return True
        return super().eventFilter(watched, event)
