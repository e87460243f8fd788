"""Words for the case format's enumeration values, as the clinic says them, translated
(the words themselves: `mdt_app.wording`, the one table)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mdt_app.wording import BIOMARKER_NAMES, VALUE_WORDS


def _t(text: str) -> str:
    return QCoreApplication.translate("labels", text)


def word(value: str | None, missing: str = "not recorded") -> str:
    """The display word for an enumeration value (the value itself if it has none)."""
    if value is None or value == "":
        return _t(missing)
    return _t(VALUE_WORDS.get(value, value))


def biomarker_name(field: str) -> str:
    return _t(BIOMARKER_NAMES.get(field, field))


def number(value: float | None) -> str:
    """A lab or biomarker number without a trailing '.0'."""
    if value is None:
        return ""
    return f"{value:g}"
