"""What the decision form shows for the open agenda item, and why it may be read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mdt_app import domain as d
from mdt_app.snapshot import OptionsSnapshot


class ReadOnly(StrEnum):
    """Why the decision shown cannot be edited."""

    SIGNED = "signed"  # a signed record: amend it instead
    DEFERRED = "deferred"  # decided at the meeting it was deferred to
    MEETING_FINAL = "meeting_final"  # the meeting is closed or cancelled: its minutes are final
    ROLE = "role"  # this user's role only reads, prints or exports


@dataclass
class DecisionState:
    """The decision of the open agenda item as the session holds it."""

    decision: d.Decision  # the draft (id None until first saved) or the signed one
    editable: bool
    history: list[d.Decision] = field(default_factory=list)  # every record, oldest first
    snapshot: OptionsSnapshot | None = None  # the options the decision is judged against
    read_only: ReadOnly | None = None  # why it cannot be edited (None: it can)
    meeting_status: str = ""  # the meeting's status, for saying why its decisions are final
    # When the shown decision is signed and the case changed since: what changed.
    older_data: str = ""

    @property
    def signed_decision(self) -> d.Decision | None:
        """The latest signed record (what the care programme is printed from)."""
        signed = [x for x in self.history if x.is_signed]
        return max(signed, key=lambda x: (x.signed_at or x.created_at, x.id or 0), default=None)

    @property
    def judged_against(self) -> OptionsSnapshot | None:
        """The options the decision shown is judged against: the current ones for a draft
        being written, the recorded ones for a record that can no longer change."""
        return (
            self.snapshot if self.editable else OptionsSnapshot.of(self.decision.options_snapshot)
        )


def decision_state(
    history: list[d.Decision],
    draft: d.Decision | None,
    effective: d.Decision | None,
    fresh: d.Decision,
    current: dict[str, Any] | None,
) -> DecisionState:
    """The record to show: the draft being written, else the signed decision in force,
    else a new draft (``fresh``); ``current`` is the options as the guideline gives them now."""
    now = OptionsSnapshot.of(current)
    if draft is not None:
        return DecisionState(draft, True, history, now)
    if effective is not None:
        return DecisionState(effective, False, history, OptionsSnapshot.of(
            effective.options_snapshot), read_only=ReadOnly.SIGNED)  # fmt: skip
    return DecisionState(fresh, True, history, now)
