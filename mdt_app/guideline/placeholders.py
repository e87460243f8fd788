"""Placeholders a pathway's warning or title text may use, filled from the case.

Written as ``{name}`` in the pathway file; the loader refuses a name not listed here, so
a typo cannot reach a chair as a raw brace.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from mdt_app.guideline import history as h
from mdt_app.guideline.conditions import SchemaProblem
from mdt_app.guideline.situation import Situation

PLACEHOLDERS: dict[str, Callable[[Situation], str]] = {
    "treatment_start_target_days": lambda s: str(s.settings.treatment_start_target_days),
    "target_date": h.target_words,
    "response_imaging_weeks": lambda s: str(s.settings.response_imaging_weeks),
    "egfr": h.egfr_value,
    "egfr_cisplatin_min": lambda s: f"{s.settings.egfr_cisplatin_min:g}",
    "egfr_contrast_min": lambda s: f"{s.settings.egfr_contrast_min:g}",
    "pending": h.pending_names,
    "ongoing_drugs": h.ongoing_drugs,
    "metastatic_sites": h.metastatic_sites,
    "title": lambda s: "",  # the code's own title; filled by the engine
}


def names_in(text: str) -> list[str]:
    """The placeholder names used in ``text``."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def check(text: str, path: str) -> None:
    """SchemaProblem if ``text`` uses an unknown placeholder or broken braces."""
    try:
        used = names_in(text)
    except ValueError as exc:
        raise SchemaProblem(path, f"broken placeholder braces ({exc})") from None
    for name in used:
        if name not in PLACEHOLDERS:
            known = ", ".join(PLACEHOLDERS)
            raise SchemaProblem(path, f"unknown placeholder {{{name}}} (known: {known})")


def fill(text: str, s: Situation, **extra: str) -> str:
    """``text`` with every placeholder replaced by its value for this situation."""
    used = names_in(text)
    if not used:
        return text
    values = {name: extra[name] if name in extra else PLACEHOLDERS[name](s) for name in used}
    return text.format(**values)
