"""`mdt-app verify` on a server: the protections the schema put there are still there.

A dropped or disabled trigger, or a reference constraint marked NOT VALID, is itself
evidence that someone worked around the app; each is one line naming it.
"""

from __future__ import annotations

from typing import Any

# trigger name -> (table, function) as the migrations in pg/schema.py create them
EXPECTED_TRIGGERS = {
    "signed_decision_guard": ("decisions", "mdt_signed_decision_guard"),
    "actions_of_signed_guard": ("actions", "mdt_actions_of_signed_guard"),
    "audit_log_no_change": ("audit_log", "mdt_refuse"),
    "audit_log_no_truncate": ("audit_log", "mdt_refuse"),
    "audit_log_append_only": ("audit_log", "mdt_audit_append_only"),
    "users_are_kept": ("users", "mdt_refuse"),
    "patients_identifier_key_default": ("patients", "mdt_identifier_key_default"),
    "audit_log_db_user": ("audit_log", "mdt_audit_db_user"),
    "decisions_only_chairs_sign": ("decisions", "mdt_only_chairs_sign"),
    "audit_log_notify": ("audit_log", "mdt_notify_change"),
}


def installed_triggers(db: Any) -> dict[str, tuple[str, str, str]]:
    """name -> (table, function, enabled flag) of the app's schema's triggers."""
    rows = db.execute(
        "SELECT t.tgname, c.relname, p.proname, t.tgenabled FROM pg_trigger t"
        " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def server_faults(db: Any, *, full: bool = True) -> list[str]:
    """One line per missing, altered, disabled or foreign trigger, and (``full``) per
    reference constraint the server does not enforce."""
    actual = installed_triggers(db)
    faults = []
    for name, (table, function) in EXPECTED_TRIGGERS.items():
        found = actual.get(name)
        if found is None:
            faults.append(f"trigger {name}: missing (a protection of the records was removed)")
        elif found[:2] != (table, function):
            faults.append(f"trigger {name}: altered (differs from the one the app created)")
        elif found[2] == "D":
            faults.append(f"trigger {name}: disabled (a protection of the records is off)")
    faults += [
        f"trigger {name}: not created by the app"
        for name in actual
        if name not in EXPECTED_TRIGGERS
    ]
    if full:
        for name, table in db.execute(
            "SELECT con.conname, c.relname FROM pg_constraint con"
            " JOIN pg_class c ON c.oid = con.conrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND con.contype IN ('f', 'c')"
            " AND NOT con.convalidated"
        ).fetchall():
            faults.append(f"{table}: constraint {name} is not enforced on existing rows")
    return faults
