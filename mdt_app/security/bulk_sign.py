"""Sealing many sign-offs at once, for the synthetic archive of scale tests
(`demo --archive N`): each decision gets the sign-off audit entry a real sign-off
would write (signed-content hash, attendance, chained), with set-based statements.
The archive's decisions are synthetic; no person's password stands behind them, and
their entries say so (`password_confirmed` false, `synthetic` true)."""

from __future__ import annotations

import json
from typing import Any

from mdt_app.security import audit_chain
from mdt_app.security.signature import SIGNATURE_MEANING, signed_hash
from mdt_app.store import Store, now


def sign_drafts_in_bulk(store: Store, first_item: int, last_item: int, chair: str) -> int:
    """Mark the drafts of agenda items ``first_item``..``last_item`` signed (their
    signed_by/signed_at already set) and write one chained sign-off entry each; call
    inside the transaction that inserted them. Returns how many were signed."""
    db = store.db
    db.execute(
        "UPDATE decisions SET status = 'signed' WHERE status = 'draft'"
        " AND agenda_item_id BETWEEN ? AND ?",
        [first_item, last_item],
    )
    decisions = list(
        db.query(
            "SELECT d.*, i.meeting_id AS _meeting FROM decisions d"
            " JOIN agenda_items i ON i.id = d.agenda_item_id"
            " WHERE d.status = 'signed' AND d.agenda_item_id BETWEEN ? AND ? ORDER BY d.id",
            [first_item, last_item],
        )
    )
    actions: dict[int, list[dict[str, Any]]] = {}
    for a in db.query(
        "SELECT a.* FROM actions a JOIN decisions d ON d.id = a.decision_id"
        " WHERE d.agenda_item_id BETWEEN ? AND ?",
        [first_item, last_item],
    ):
        actions.setdefault(a["decision_id"], []).append(a)
    attendance: dict[int, list[dict[str, Any]]] = {}
    for r in db.query(
        "SELECT meeting_id, name, specialty, present FROM attendance WHERE meeting_id IN"
        " (SELECT meeting_id FROM agenda_items WHERE id BETWEEN ? AND ?) ORDER BY name",
        [first_item, last_item],
    ):
        attendance.setdefault(r["meeting_id"], []).append(
            {"name": r["name"], "specialty": r["specialty"], "present": bool(r["present"])}
        )
    last = db.execute("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    next_id, prev = ((last[0] + 1), last[1]) if last else (1, audit_chain.GENESIS)
    at = now().isoformat()
    entries = []
    for x in decisions:
        meeting = x.pop("_meeting")
        signature = {
            "chair": chair,
            "signer": store.actor,
            "authenticated": store.authenticated,
            "role": store.role,
            "password_confirmed": False,
            "synthetic": True,
            "meaning": SIGNATURE_MEANING,
            "attendance": attendance.get(meeting, []),
            "options": json.loads(x["chosen_options"]),
            "guideline": [x["guideline_id"], x["guideline_version"]],
            "amends": x["amends_decision_id"],
        }
        entry = {
            "id": next_id,
            "at": at,
            "actor": store.actor,
            "role": store.role,
            "authenticated": int(store.authenticated),
            "action": "sign_decision",
            "entity": "decision",
            "entity_id": x["id"],
            "details": json.dumps(signature, ensure_ascii=False, default=str),
            "signed_hash": signed_hash(x, actions.get(x["id"], []), signature),
            "prev_hash": prev,
        }
        entry["entry_hash"] = prev = audit_chain.entry_hash(prev, entry)
        entries.append(tuple(entry.values()))
        next_id += 1
    if entries:
        columns = "id, at, actor, role, authenticated, action, entity, entity_id, details,"
        columns += " signed_hash, prev_hash, entry_hash"
        db.conn.executemany(
            f"INSERT INTO audit_log ({columns}) VALUES ({', '.join('?' * 12)})", entries
        )
    return len(entries)
