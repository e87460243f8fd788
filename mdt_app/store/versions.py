"""Optimistic concurrency: every editable row carries a ``version``, raised by one with
each audited change. A save names the version it was read at; if the stored row has
moved on, the save is refused with a ConflictError saying who changed it and what
differs, and nothing is written. Checks run inside the write transaction (BEGIN
IMMEDIATE), so no other writer can slip in between the check and the write.

Version 0 on a record means "not read from the store" (a script building a record by
hand): no check is made for it.
"""

from __future__ import annotations

from typing import Any

from mdt_app.errors import ConflictError, NotFound
from mdt_app.store.base import StoreCore


def stored_version(store: StoreCore, table: str, record_id: int) -> int:
    found = store.query(f"SELECT version FROM {table} WHERE id = ?", [record_id])
    if not found:
        raise NotFound(f"no {table.rstrip('s').replace('_', ' ')} with id {record_id}")
    return int(found[0]["version"])


def require_version(
    store: StoreCore,
    table: str,
    entity: str,
    record_id: int,
    expected: int,
    what: str,
    changes: dict | None = None,
    current: Any = None,
) -> int:
    """The stored version; ConflictError when ``expected`` (if not 0) is older."""
    stored = stored_version(store, table, record_id)
    if expected and expected != stored:
        last = store.query(
            "SELECT actor, at FROM audit_log WHERE entity = ? AND entity_id = ?"
            " ORDER BY id DESC LIMIT 1",
            [entity, record_id],
        )
        raise ConflictError(
            what,
            expected_version=expected,
            stored_version=stored,
            changed_by=last[0]["actor"] if last else None,
            changed_at=last[0]["at"] if last else None,
            changes=changes,
            current=current,
        )
    return stored


def bump(store: StoreCore, table: str, record_id: int) -> None:
    """Raise the row's version (inside the transaction that audits the change)."""
    store.db.execute(f"UPDATE {table} SET version = version + 1 WHERE id = ?", [record_id])


def differences(stored: dict, yours: dict) -> dict:
    """{field: {"stored": ..., "yours": ...}} for every key whose values differ."""
    return {
        key: {"stored": stored.get(key), "yours": yours.get(key)}
        for key in sorted(set(stored) | set(yours))
        if stored.get(key) != yours.get(key)
    }
