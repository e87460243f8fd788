"""One change made by a client, as the audit log records it, resolved to what it concerns.

Every write of the store appends to the audit log in the same transaction, so the log's
newest id is a complete, ordered journal of changes: nothing else needs writing. An entry
names one record (``entity``, ``entity_id``); the meeting and case it belongs to are
looked up here, from the record itself or, for a record that is gone (a discarded
draft, a case removed from an agenda), from what the entry's details say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mdt_app.store import Store

# Entities whose changes are about one meeting's agenda or one case's decision; an entry
# of these that cannot be placed is shown as "somewhere" (the agenda is read again).
MEETING_ENTITIES = ("decision", "agenda_item", "meeting")


@dataclass(frozen=True)
class Change:
    """One audit entry written by a client: who did what to which record, and where."""

    audit_id: int
    at: str  # ISO time the change was committed with
    actor: str
    action: str  # the audit action, e.g. "sign_decision", "move_agenda_item"
    entity: str  # "decision", "agenda_item", "meeting", "case", "patient", ...
    entity_id: int | None
    meeting_ids: frozenset[int] = frozenset()
    case_ids: frozenset[int] = frozenset()
    agenda_item_id: int | None = None
    decision_id: int | None = None
    placed: bool = True  # False: a meeting record that is gone and said not where it was

    def concerns_meeting(self, meeting_id: int | None) -> bool:
        """True when the change is (or may be) in that meeting's agenda or decisions."""
        if meeting_id is None:
            return False
        return meeting_id in self.meeting_ids or not self.placed


def _ints(*values: Any) -> frozenset[int]:
    return frozenset(v for v in values if isinstance(v, int) and not isinstance(v, bool))


def resolve(store: Store, row: dict[str, Any]) -> Change:
    """The Change of one ``audit_log`` row, placed in its meeting and case."""
    try:
        details = json.loads(row.get("details") or "{}")
    except ValueError:
        details = {}
    if not isinstance(details, dict):
        details = {}
    entity, entity_id = row["entity"], row["entity_id"]
    meetings: frozenset[int] = frozenset()
    cases: frozenset[int] = frozenset()
    item_id: int | None = None
    decision_id: int | None = None
    placed = True
    if entity == "decision":
        decision_id = entity_id
        found = store.query(
            "SELECT d.agenda_item_id, d.case_id, a.meeting_id FROM decisions d"
            " LEFT JOIN agenda_items a ON a.id = d.agenda_item_id WHERE d.id = ?",
            [entity_id],
        )
        if found:
            item_id = found[0]["agenda_item_id"]
            cases = _ints(found[0]["case_id"])
            meetings = _ints(found[0]["meeting_id"])
        elif isinstance(details.get("item"), int):
            item_id = details["item"]
        placed = bool(meetings)
    elif entity == "agenda_item":
        item_id = entity_id
        found = store.query(
            "SELECT meeting_id, case_id FROM agenda_items WHERE id = ?", [entity_id]
        )
        said = [details.get(k) for k in ("meeting_id", "from_meeting_id", "to_meeting_id")]
        meetings = _ints(*said, *(r["meeting_id"] for r in found))
        cases = _ints(details.get("case_id"), *(r["case_id"] for r in found))
        placed = bool(meetings)
    elif entity == "meeting":
        meetings = _ints(entity_id)
    elif entity == "case":
        cases = _ints(entity_id)
        meetings = _ints(details.get("meeting_id"))  # a referral put on an agenda
    elif entity == "patient":
        cases = _ints(
            *(
                r["id"]
                for r in store.query("SELECT id FROM cases WHERE patient_id = ?", [entity_id])
            )
        )
    return Change(
        audit_id=row["id"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        entity=entity,
        entity_id=entity_id,
        meeting_ids=meetings,
        case_ids=cases,
        agenda_item_id=item_id,
        decision_id=decision_id,
        placed=placed,
    )


def changes_after(store: Store, audit_id: int, limit: int = 500) -> list[Change]:
    """The changes committed after audit entry ``audit_id``, oldest first (at most
    ``limit``; the caller asks again from the last one it got)."""
    rows = store.query(
        "SELECT id, at, actor, action, entity, entity_id, details FROM audit_log"
        " WHERE id > ? ORDER BY id LIMIT ?",
        [audit_id, limit],
    )
    return [resolve(store, row) for row in rows]


def newest_audit_id(store: Store) -> int:
    """The id of the newest audit entry (0 for an empty log)."""
    rows = store.query("SELECT COALESCE(MAX(id), 0) AS newest FROM audit_log")
    return int(rows[0]["newest"])
