"""No patient identifier in the log: names, MRNs and birth dates are replaced before a
log line is written.

Identifiers come from two places: every patient the store reads or writes in this
process is remembered (so a name in an error message is caught wherever it appears),
and anything written as "MRN ..." or as a date is masked by pattern. User errors also
lose their quoted parts, which echo what was typed or imported.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
from datetime import date

MASK = "‹redacted›"
_known: set[str] = set()
_lock = threading.Lock()
_pattern: re.Pattern[str] | None = None

_MRN = re.compile(r"\b(MRN|mrn|medical record number)\b[\s:=#]*([^\s,;)]+)")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{4}\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|“[^”]*”")


def remember_patient(
    mrn: str | None, given: str | None, family: str | None, birth: date | str | None
) -> None:
    """Add one patient's identifiers to what the log masks."""
    global _pattern
    values = {v.strip() for v in (mrn, given, family) if v and len(v.strip()) >= 2}
    if given and family:
        values.add(f"{given} {family}".strip())
    if birth:
        values.add(birth if isinstance(birth, str) else birth.isoformat())
    with _lock:
        if not values <= _known:
            _known.update(values)
            _pattern = None


def _known_pattern() -> re.Pattern[str] | None:
    global _pattern
    with _lock:
        if _pattern is None and _known:
            ordered = sorted(_known, key=len, reverse=True)  # "Ana Kowalska" before "Ana"
            _pattern = re.compile(
                r"(?<!\w)(" + "|".join(re.escape(v) for v in ordered) + r")(?!\w)",
                re.IGNORECASE,
            )
        return _pattern


def redact(text: str) -> str:
    """``text`` with every known identifier, MRN and date masked."""
    pattern = _known_pattern()
    if pattern is not None:
        text = pattern.sub(MASK, text)
    text = _MRN.sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _DATE.sub(MASK, text)


def redact_user_error(text: str) -> str:
    """A user error for the log: identifiers and every quoted value masked."""
    return redact(_QUOTED.sub(MASK, text))


class RedactingFormatter(logging.Formatter):
    """The message, exception and stack text redacted; the time and level are not."""

    def format(self, record: logging.LogRecord) -> str:
        record = copy.copy(record)
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return super().format(record)
