"""The audit history of one case: everything recorded about it, its agenda entries and
its decisions, oldest first (what the window's "Case history" dialog lists)."""

from __future__ import annotations

import json

from mdt_app import domain as d
from mdt_app.store import Store
from mdt_app.store.base import audit_entry_from


def case_history(store: Store, case_id: int) -> list[d.AuditEntry]:
    """Every audit entry about the case, its agenda items and its decisions."""
    rows = store.query(
        "SELECT * FROM audit_log WHERE (entity = 'case' AND entity_id = :case)"
        " OR (entity = 'agenda_item' AND entity_id IN"
        "     (SELECT id FROM agenda_items WHERE case_id = :case))"
        " OR (entity = 'decision' AND entity_id IN"
        "     (SELECT id FROM decisions WHERE case_id = :case))"
        " ORDER BY id",
        {"case": case_id},
    )
    return [audit_entry_from(r) for r in rows]


def describe(entry: d.AuditEntry) -> str:
    """One readable line of what an entry's details say (keys in the clinic's words)."""
    details = dict(entry.details)
    details.pop("attendance", None)  # long; shown by the minutes
    parts = []
    for key, value in details.items():
        if value in (None, "", [], {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key.replace('_', ' ')}: {text}")
    return "; ".join(parts)
