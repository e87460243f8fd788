"""A signed decision seen later: was it made on an older pathway, and what would the
current one advise now? Read-only: the decision and its stored snapshot never change."""

from __future__ import annotations

from mdt_app.domain import OPTION_LISTS, Recommendation

LIST_WORDS = {
    "recommended": "recommended",
    "consider": "consider",
    "not_recommended": "not recommended",
    "missing": "missing data",
}


def _placements(snapshot: dict) -> dict[str, str]:
    return {o["code"]: name for name in OPTION_LISTS for o in snapshot.get(name) or []}


def changes_since(snapshot: dict, now: Recommendation) -> list[str]:
    """What the current recommendation places differently from ``snapshot``, in words."""
    before, after = _placements(snapshot), _placements(now.as_dict())
    lines = []
    for code in dict.fromkeys([*after, *before]):
        old, new = before.get(code), after.get(code)
        if old == new:
            continue
        if old is None:
            lines.append(f"{code}: now {LIST_WORDS[new or '']}")
        elif new is None:
            lines.append(f"{code}: no longer listed (was {LIST_WORDS[old]})")
        else:
            lines.append(f"{code}: {LIST_WORDS[old]} -> {LIST_WORDS[new]}")
    old_warnings = set(snapshot.get("warnings") or [])
    lines += [f"new warning: {w}" for w in now.warnings if w not in old_warnings]
    return lines


def newer_pathway_note(snapshot: dict | None, now: Recommendation) -> str | None:
    """A note when the decision's pathway version is older than ``now``'s, else None."""
    if not snapshot:
        return None
    made_on = (snapshot.get("guideline") or {}).get("version")
    if not made_on or made_on == now.guideline_version:
        return None
    changes = changes_since(snapshot, now)
    head = (
        f"A newer pathway exists: this decision was made on version {made_on}; "
        f"version {now.guideline_version} is current. The record is unchanged."
    )
    if not changes:
        return head + " The current pathway would advise the same."
    return head + " The current pathway would now advise: " + "; ".join(changes) + "."
