"""Copying a whole database between backends (SQLite <-> PostgreSQL), audit chain
included, then checking the copy with the same checks as `mdt-app verify`.

Every row keeps its id, so the audit log, which names records by id, stays true, and
every hash (audit chain, signed decisions) is recomputed equal from the copy. The
target must be new or empty; the copy is one transaction there: a failure leaves it as
it was (a new file is removed).

The target's own triggers stay on throughout: a signed decision is written as a draft
with its actions, then marked signed (what sign-off itself does); audit entries go in
id order, each linking to the one before, as the append-only rule demands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mdt_app.errors import StoreError

if TYPE_CHECKING:
    from mdt_app.store import Store

# Parents before children; every table of the schema (tests/test_pg_schema.py keeps
# the two backends' tables the same; test_transfer checks this list covers them).
TABLE_ORDER = (
    "settings",
    "users",
    "meeting_series",
    "meetings",
    "patients",
    "cases",
    "imaging",
    "labs",
    "prior_treatments",
    "agenda_items",
    "attendance",
    "decisions",
    "actions",
    "panel_referrals",
    "case_notes",
    "intake_drafts",
    "audit_log",
)
BATCH = 500


@dataclass
class TransferReport:
    """What was copied, table by table, and what the check of the copy found."""

    rows: dict[str, int] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Rows copied in all."""
        return sum(self.rows.values())


def _rows(source: Store, table: str) -> list[dict[str, Any]]:
    order = "key" if table == "settings" else "actor" if table == "intake_drafts" else "id"
    return source.query(f"SELECT * FROM {table} ORDER BY {order}")


def require_empty(target: Store) -> None:
    """Refuse a target that already holds records (only the new schema's own settings)."""
    for table in TABLE_ORDER:
        if table == "settings":
            continue
        if target.query(f"SELECT 1 AS x FROM {table} LIMIT 1"):
            raise StoreError(
                f"{target.path}: already holds {table.replace('_', ' ')}; "
                "copy into a new file or an empty database"
            )


def copy_database(source: Store, target: Store) -> TransferReport:
    """Copy every row of ``source`` into the empty ``target``, then verify the copy."""
    from mdt_app.security.verify import verify_database

    require_empty(target)
    report = TransferReport()
    with target.atomic():
        target.db.execute("DELETE FROM settings")  # the source's database_uuid is kept
        for table in TABLE_ORDER:
            rows = _rows(source, table)
            report.rows[table] = len(rows)
            if table == "decisions":
                _copy_decisions(target, rows, _rows(source, "actions"))
                continue
            if table == "actions":
                continue  # with their decisions
            _insert_many(target, table, rows)
        if target.is_server:
            _advance_identities(target)
    report.faults = verify_database(target.db, full=True)
    source_chain = source.query("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1")
    copy_chain = target.query("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1")
    if source_chain != copy_chain:
        report.faults.append("audit log: the copy's chain does not end where the source's does")
    for table, count in report.rows.items():
        copied = target.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]
        if int(copied) != count:
            report.faults.append(f"{table}: {count} row(s) in the source, {copied} in the copy")
    return report


def _insert_many(target: Store, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    values = [[r[c] for c in columns] for r in rows]
    for start in range(0, len(values), BATCH):
        target.db.conn.executemany(sql, values[start : start + BATCH])


def _copy_decisions(
    target: Store, decisions: list[dict[str, Any]], actions: list[dict[str, Any]]
) -> None:
    """Drafts as they are; a signed decision as a draft with its actions, then signed."""
    actions_of: dict[int, list[dict[str, Any]]] = {}
    for action in actions:
        actions_of.setdefault(action["decision_id"], []).append(action)
    drafts = [r for r in decisions if r["status"] != "signed"]
    for row in decisions:
        if row["status"] != "signed":
            continue
        _insert_many(target, "decisions", [{**row, "status": "draft"}])
        _insert_many(target, "actions", actions_of.pop(row["id"], []))
        target.db.execute("UPDATE decisions SET status = 'signed' WHERE id = ?", [row["id"]])
    _insert_many(target, "decisions", drafts)
    _insert_many(target, "actions", [a for rows in actions_of.values() for a in rows])


def _advance_identities(target: Store) -> None:
    """PostgreSQL's id sequences continue after the copied ids."""
    for table in TABLE_ORDER:
        if table in ("settings", "intake_drafts"):
            continue
        target.db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )
