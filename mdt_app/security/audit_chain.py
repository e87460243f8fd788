"""The audit log as a hash chain: each entry holds the hash of the one before it and of
its own content, so an entry edited, rewritten, reordered or removed with a plain SQLite
tool breaks the chain at that point and `mdt-app verify` names it.

The hash is SHA-256 over a canonical JSON form of the stored values (the details column
exactly as stored), so it can be recomputed by anyone from the database alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry

# The columns an entry's hash covers, in the order they are hashed.
HASHED_COLUMNS = (
    "id",
    "at",
    "actor",
    "role",
    "authenticated",
    "action",
    "entity",
    "entity_id",
    "details",
    "signed_hash",
)


def canonical(value: Any) -> bytes:
    """One byte form for a JSON-able value: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The hash of one audit entry, chained to the hash of the entry before it."""
    content = {c: entry.get(c) for c in HASHED_COLUMNS}
    if content["authenticated"] is not None:
        content["authenticated"] = int(bool(content["authenticated"]))
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii", "replace"))
    digest.update(b"\n")
    digest.update(canonical(content))
    return digest.hexdigest()


def chain_faults(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    """One line per break in the chain, for entries given in id order."""
    faults: list[str] = []
    expected_prev = GENESIS
    previous_id: int | None = None
    for entry in entries:
        where = f"audit entry {entry['id']}"
        if previous_id is not None and entry["id"] != previous_id + 1:
            faults.append(f"{where}: follows entry {previous_id} (entries in between are missing)")
        stored_prev = entry.get("prev_hash")
        stored_hash = entry.get("entry_hash")
        if not stored_hash or not stored_prev:
            faults.append(f"{where}: has no chain hash (inserted outside the app)")
        else:
            if stored_prev != expected_prev:
                faults.append(f"{where}: does not link to the entry before it (chain broken)")
            if entry_hash(stored_prev, entry) != stored_hash:
                faults.append(
                    f"{where}: content does not match its hash (edited after it was written)"
                )
        expected_prev = stored_hash or ""
        previous_id = entry["id"]
    return faults


def short(hash_hex: str | None) -> str:
    """The short form printed on paper: the first 12 hex digits in groups of four."""
    if not hash_hex:
        return ""
    head = hash_hex[:12]
    return "-".join(head[i : i + 4] for i in range(0, len(head), 4))
