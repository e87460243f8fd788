"""QT_TR_NOOP typed as text in, text out (PySide6's own is typed ``object -> object``).

The name stays QT_TR_NOOP so the translation tools still find the strings it marks."""

from __future__ import annotations


def QT_TR_NOOP(text: str) -> str:  # noqa: N802  (the name the translation tools look for)
    """Mark ``text`` for translation where it is defined; ``tr()`` translates it where shown."""
    return text
