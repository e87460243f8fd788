"""Is a signed decision still made on the case as it stands? Pure functions.

At sign-off the store keeps the case facts the decision was made against
(`Decision.case_snapshot`, the mdt-case/1 form). If the case has changed since (a later
import, an edit), the decision was "made on older data": the window, the minutes and
the care programme dialog say so, with what changed, and offer an amendment. The
decision itself is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mdt_app import domain as d

IGNORED = {"format"}


@dataclass(frozen=True)
class FactChange:
    """One case fact that differs from when the decision was signed."""

    field: str  # mdt-case/1 path, e.g. "tnm.m", "ecog", "labs"
    then: Any
    now: Any

    def describe(self) -> str:
        # Patient details are named, not quoted: the note also goes into pseudonymised
        # minutes, and lists are too long for one line.
        if (
            self.field.startswith("patient.")
            or isinstance(self.then, list)
            or isinstance(self.now, list)
        ):
            return f"{self.field} changed"
        return f"{self.field} {_shown(self.then)} → {_shown(self.now)}"


def changes_since_signed(decision: d.Decision, case: d.Case) -> list[FactChange]:
    """The case facts that changed after ``decision`` was signed (empty if none, if the
    decision is not signed, or if it was signed before snapshots were kept)."""
    if not decision.is_signed or not decision.case_snapshot:
        return []
    from mdt_app.case_merge import fact_differences
    from mdt_app.casefile import case_to_dict

    return [
        FactChange(key, then, now)
        for key, then, now in fact_differences(decision.case_snapshot, case_to_dict(case))
        if key.split(".")[0] not in IGNORED
    ]


def older_data_note(changes: list[FactChange], limit: int = 6) -> str:
    """One line for banners, minutes and dialogs ('' when nothing changed)."""
    if not changes:
        return ""
    shown = "; ".join(c.describe() for c in changes[:limit])
    more = f"; and {len(changes) - limit} more" if len(changes) > limit else ""
    return f"Made on older data - the case changed after sign-off: {shown}{more}"


def _shown(value: Any) -> str:
    return "not known" if value is None else str(value)
