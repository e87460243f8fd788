"""What exchange keeps in the database: its identity, case notes and panel referrals.

Tables and the ``database_uuid`` setting come from store/migrations_exchange.py. These
functions take a Store and write inside the caller's transaction (or their own), each
write with its audit entry, as every other write in the app.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mdt_app.store import Store

UUID_SETTING = "database_uuid"
NOTE_KINDS = ("histology", "imaging", "panel_reply", "other")


def database_uuid(store: Store) -> str:
    """This database's own UUID (made by migration m180_database_uuid; made here if absent)."""
    value = store.get_setting(UUID_SETTING)
    if not value:
        with store.atomic():
            store.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [UUID_SETTING, json.dumps(str(uuid.uuid4()))],
            )
            store.audit("create_database_uuid", "setting", None, {"key": UUID_SETTING})
        value = store.get_setting(UUID_SETTING)
    return str(value)


def resource_id(namespace: str, *parts: object) -> str:
    """A UUIDv5 under the database's UUID: stable per record, unique across databases."""
    return str(uuid.uuid5(uuid.UUID(namespace), "/".join(str(p) for p in parts)))


@dataclass(frozen=True)
class CaseNote:
    case_id: int
    kind: str
    noted_on: date | None
    source: str
    text: str
    created_by: str


def add_note(
    store: Store,
    case_id: int,
    kind: str,
    text: str,
    *,
    source: str,
    source_key: str,
    noted_on: date | None = None,
) -> bool:
    """Add a note unless the same source already gave it; True if added. In a transaction."""
    from mdt_app.store import now

    if kind not in NOTE_KINDS:
        raise ValueError(f"unknown note kind {kind!r}")
    have = store.query(
        "SELECT id FROM case_notes WHERE case_id = ? AND source_key = ?", [case_id, source_key]
    )
    if have:
        return False
    note_id = store.insert(
        "case_notes",
        {
            "case_id": case_id,
            "kind": kind,
            "noted_on": noted_on.isoformat() if noted_on else None,
            "source": source,
            "source_key": source_key,
            "text": text,
            "created_at": now().isoformat(),
            "created_by": store.actor,
        },
    )
    store.audit(
        "add_case_note", "case", case_id, {"note_id": note_id, "kind": kind, "source": source}
    )
    return True


def notes(store: Store, case_id: int, kind: str | None = None) -> list[CaseNote]:
    """The case's notes, oldest first."""
    sql = "SELECT * FROM case_notes WHERE case_id = ?"
    params: list[object] = [case_id]
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    return [
        CaseNote(
            r["case_id"],
            r["kind"],
            date.fromisoformat(r["noted_on"]) if r["noted_on"] else None,
            r["source"],
            r["text"],
            r["created_by"],
        )
        for r in store.query(sql + " ORDER BY id", params)
    ]


def record_referral(store: Store, case_id: int, pseudonym: str, question: str) -> None:
    """Keep the pseudonym a panel referral went out under (once per pseudonym)."""
    from mdt_app.store import now

    with store.atomic():
        have = store.query("SELECT case_id FROM panel_referrals WHERE pseudonym = ?", [pseudonym])
        if have and have[0]["case_id"] != case_id:
            from mdt_app.errors import StoreError

            raise StoreError(f"pseudonym {pseudonym} already names another case")
        store.db.execute(
            "INSERT INTO panel_referrals (case_id, pseudonym, question, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(pseudonym) DO UPDATE SET question ="
            " excluded.question",
            [case_id, pseudonym, question, now().isoformat(), store.actor],
        )
        store.audit(
            "refer_to_panel", "case", case_id, {"pseudonym": pseudonym, "question": question}
        )


def case_for_pseudonym(store: Store, pseudonym: str) -> int | None:
    found = store.query("SELECT case_id FROM panel_referrals WHERE pseudonym = ?", [pseudonym])
    return int(found[0]["case_id"]) if found else None
