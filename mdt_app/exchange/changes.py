"""What an import changed in a stored case, in words, for the import report.

Computed from the case as stored before and after `Store.import_case`, so the report says
what the store really did, whatever its merge rules are.
"""

from __future__ import annotations

from mdt_app import domain as d
from mdt_app.casefile import case_to_dict

_PATIENT = (("given_name", "given name"), ("family_name", "family name"),
            ("birth_date", "birth date"), ("sex", "sex"),
            ("preferred_language", "language"), ("mrn", "MRN"))  # fmt: skip
_LISTS = (("imaging", "imaging studies"), ("labs", "lab results"))


def case_changes(before: d.Case, after: d.Case) -> list[str]:
    """The differences between two versions of a case: "family name: A → B", "2 new lab results"."""
    changes = []
    for key, words in _PATIENT:
        old, new = getattr(before.patient, key), getattr(after.patient, key)
        if old != new:
            changes.append(f"{words}: {_show(old)} → {_show(new)}")
    was, now = case_to_dict(before), case_to_dict(after)
    for key in sorted(set(was) | set(now)):
        if key in ("patient", "format", *(k for k, _ in _LISTS)):
            continue
        if was.get(key) != now.get(key):
            changes.append(f"{key}: {_brief(was.get(key))} → {_brief(now.get(key))}")
    for key, words in _LISTS:
        had = {repr(sorted(e.items())) for e in was.get(key, [])}
        kept = {repr(sorted(e.items())) for e in now.get(key, [])}
        added, gone = len(kept - had), len(had - kept)
        if added:
            changes.append(f"{added} new {words}")
        if gone:
            changes.append(f"{gone} {words} no longer listed")
    return changes


def _show(value: object) -> str:
    return "—" if value in (None, "") else str(value)


def _brief(value: object) -> str:
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v not in (None, [], "")}
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "—"
    text = _show(value)
    return text if len(text) <= 60 else text[:57] + "…"
