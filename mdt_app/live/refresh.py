"""Which parts of the meeting screen a batch of changes makes stale.

The window asks, never decides: given what it shows (`OnScreen`), `what_to_refresh`
says whether the agenda, the open case and the open decision need reading again, and
who made the changes (for the note shown when the user's own typing is kept instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mdt_app.live.changes import Change
from mdt_app.store import Store


@dataclass(frozen=True)
class OnScreen:
    """What a window shows: the meeting, its agenda's cases, and the open item."""

    meeting_id: int | None
    agenda_case_ids: frozenset[int] = frozenset()
    case_id: int | None = None
    agenda_item_id: int | None = None
    decision_ids: frozenset[int] = frozenset()  # the item's decisions, signed and draft


@dataclass(frozen=True)
class Refresh:
    """What to read again, and the changes that made it necessary."""

    agenda: bool = False
    case: bool = False
    decision: bool = False
    changes: tuple[Change, ...] = field(default_factory=tuple)
    meeting: bool = False  # the shown meeting's own details or status
    meeting_list: bool = False  # a meeting was planned, edited, closed or cancelled

    def __bool__(self) -> bool:
        return self.agenda or self.case or self.decision or self.meeting or self.meeting_list

    def by(self) -> list[str]:
        """Who made the changes, each once, in the order they acted."""
        return list(dict.fromkeys(c.actor for c in self.changes))

    def decision_changes(self) -> list[Change]:
        """The changes to the open decision or its agenda item (the ones that matter to a
        user with unsaved typing)."""
        return [c for c in self.changes if c.entity in ("decision", "agenda_item", "meeting")]


def _touches_decision(change: Change, screen: OnScreen) -> bool:
    if screen.agenda_item_id is None:
        return False
    if change.agenda_item_id is not None and change.agenda_item_id == screen.agenda_item_id:
        return True  # a draft, sign-off, amendment, deferral or move of the open item
    if change.decision_id is not None and change.decision_id in screen.decision_ids:
        return True  # e.g. a discarded draft (its row is gone)
    if change.entity == "meeting" and change.concerns_meeting(screen.meeting_id):
        return change.action != "set_attendance"  # closing or cancelling makes it final
    return change.entity == "decision" and not change.placed  # gone, nobody knows where


def what_to_refresh(changes: Iterable[Change], screen: OnScreen) -> Refresh:
    """The parts of ``screen`` that ``changes`` make stale."""
    agenda = case = decision = meeting = meeting_list = False
    relevant: list[Change] = []
    for change in changes:
        hit = False
        if change.entity in ("meeting", "meeting_series") and change.action != "set_attendance":
            meeting_list = True
            if change.concerns_meeting(screen.meeting_id):
                meeting = hit = True
        if change.concerns_meeting(screen.meeting_id) or (
            change.entity in ("case", "patient") and change.case_ids & screen.agenda_case_ids
        ):
            agenda = hit = True  # a line, its status or its stage column changed
        if (
            screen.case_id is not None
            and screen.case_id in change.case_ids
            and (change.entity in ("case", "patient"))
        ):
            case = hit = True
        if _touches_decision(change, screen):
            decision = hit = True
        if hit:
            relevant.append(change)
    return Refresh(agenda, case, decision, tuple(relevant), meeting, meeting_list)


def item_state(store: Store, agenda_item_id: int) -> tuple:
    """What the open decision's screen depends on, as stored now: the item's status and
    meeting, the meeting's status, and every decision of the item with its version.
    Equal before and after a batch of changes: nothing there for the window to show."""
    item = store.query(
        "SELECT a.status, a.version, a.meeting_id, m.status AS meeting_status"
        " FROM agenda_items a LEFT JOIN meetings m ON m.id = a.meeting_id WHERE a.id = ?",
        [agenda_item_id],
    )
    decisions = store.query(
        "SELECT id, status, version FROM decisions WHERE agenda_item_id = ? ORDER BY id",
        [agenda_item_id],
    )
    return (
        tuple(item[0].values()) if item else None,
        tuple((r["id"], r["status"], r["version"]) for r in decisions),
    )


def case_state(store: Store, case_id: int) -> tuple[int, int] | None:
    """The stored versions of a case and of its patient (None: the case is gone)."""
    rows = store.query(
        "SELECT c.version AS case_version, p.version AS patient_version FROM cases c"
        " JOIN patients p ON p.id = c.patient_id WHERE c.id = ?",
        [case_id],
    )
    return (int(rows[0]["case_version"]), int(rows[0]["patient_version"])) if rows else None
