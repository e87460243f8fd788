"""Filling a plain-text editor from the case switched to."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit


def set_plain_text(edit: QPlainTextEdit, text: str) -> None:
    """Show ``text`` in ``edit`` as ``setPlainText`` does, without rebuilding a document
    that is empty and stays empty (most cases open with no plan yet; a rebuild lays out,
    scrolls and repaints the editor, issue 17). Undo never reaches back into the case
    shown before, either way."""
    if not text and edit.document().isEmpty():
        edit.document().clearUndoRedoStacks()
        return
    edit.setPlainText(text)
