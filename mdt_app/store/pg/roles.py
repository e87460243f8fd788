"""The server enforces who may do what (issue 19): one group role per app role, one
login role per app user.

The groups are named after the database (``<database>_chair``, ``_member``, ``_nurse``,
``_administrator``) so two teams on one server stay apart. What each may do:

- every group reads the records and appends to the audit log (printing and exporting
  are recorded there);
- chairs and members edit cases, agendas, meetings and decisions; only chairs sign (the
  trigger ``decisions_only_chairs_sign`` of migration p004 checks the login's group,
  whatever the client claims);
- administrators and chairs manage accounts (``users``) and the centre's settings;
- nurses read and print; nothing else.

An app user's login has their app password (sent to the server as a SCRAM-SHA-256
verifier, never as the password itself) and connects as ``postgresql://USER@HOST/DB``;
the audit trigger records that login (``audit_log.db_user``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mdt_app.store import Store

APP_ROLES = ("chair", "member", "nurse", "administrator")
SCRAM_ITERATIONS = 4096

# Tables each group may change (all of them read every table).
EDITORS_WRITE = (
    "patients", "cases", "imaging", "labs", "prior_treatments", "meetings",
    "meeting_series", "agenda_items", "attendance", "decisions", "actions",
    "intake_drafts", "case_notes", "panel_referrals", "settings",
)  # fmt: skip
MANAGERS_WRITE = ("users", "settings")


def group(store: Store, app_role: str) -> str:
    """The group role of ``app_role`` on this database."""
    return str(store.query("SELECT mdt_group(?) AS g", [app_role])[0]["g"])


def roles_enforced(store: Store) -> bool:
    """True once `set_up_server_roles` has made this database's groups."""
    return bool(store.query("SELECT mdt_roles_enforced() AS enforced")[0]["enforced"])


def scram_verifier(password: str, *, salt: bytes | None = None) -> str:
    """PostgreSQL's SCRAM-SHA-256 verifier of ``password`` (what ``PASSWORD '...'``
    accepts instead of the password itself, RFC 5802 / 7677)."""
    salt = salt or os.urandom(16)
    normalised = unicodedata.normalize("NFKC", password).encode("utf-8")  # SASLprep's core
    salted = hashlib.pbkdf2_hmac("sha256", normalised, salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def set_up_server_roles(store: Store) -> list[str]:
    """Create this database's groups and their GRANTs (as the database's owner; idempotent).
    Returns the group names."""
    names = {r: group(store, r) for r in APP_ROLES}
    with store.atomic():
        for name in names.values():
            if not store.query("SELECT 1 AS x FROM pg_roles WHERE rolname = ?", [name]):
                store.db.execute(f'CREATE ROLE "{name}" NOLOGIN')
        every = ", ".join(f'"{n}"' for n in names.values())
        editors = f'"{names["chair"]}", "{names["member"]}"'
        managers = f'"{names["chair"]}", "{names["administrator"]}"'
        database = str(store.query("SELECT current_database() AS d")[0]["d"])
        for sql in (
            # Only the team's own logins connect (each is granted CONNECT when made).
            f'REVOKE CONNECT, TEMPORARY ON DATABASE "{database}" FROM PUBLIC',
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"GRANT USAGE ON SCHEMA public TO {every}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {every}",
            f"GRANT INSERT ON audit_log TO {every}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {every}",
            f"GRANT INSERT, UPDATE, DELETE ON {', '.join(EDITORS_WRITE)} TO {editors}",
            f"GRANT INSERT, UPDATE ON {', '.join(MANAGERS_WRITE)} TO {managers}",
            f"GRANT EXECUTE ON FUNCTION mdt_save_login(TEXT, TEXT, TEXT) TO {every}",
            f"GRANT EXECUTE ON FUNCTION mdt_disable_login(TEXT) TO {managers}",
            # Tables of later migrations are readable by the team too.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {every}",
        ):
            store.db.execute(sql)
        store.audit("set_up_server_roles", "database", None, {"groups": sorted(names.values())})
    return sorted(names.values())


def save_login(store: Store, username: str, app_role: str, password: str) -> None:
    """Give ``username`` a server login in the group of ``app_role`` with ``password``
    (inside the caller's transaction); nothing when the groups are not set up."""
    if roles_enforced(store):
        store.db.execute(
            "SELECT mdt_save_login(?, ?, ?)", [username, scram_verifier(password), app_role]
        )


def disable_login(store: Store, username: str) -> None:
    """Take away a disabled user's right to connect (inside the caller's transaction)."""
    if roles_enforced(store):
        store.db.execute("SELECT mdt_disable_login(?)", [username])


@dataclass
class CopiedLogins:
    """What `give_copied_logins` did: the groups, each role's logins, and the logins
    made without a server password (every one of them needs `user passwd` once)."""

    groups: list[str]
    by_role: dict[str, list[str]] = field(default_factory=dict)
    without_password: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def give_copied_logins(store: Store) -> CopiedLogins:
    """After `migrate-db` onto a server (or `mdt-app server roles`): this database's
    groups and GRANTs, and every active account's login in the group of its role, as
    `server init` + `user add` leave them, but without a server password (the app keeps
    only Argon2 hashes, which the server cannot check), so each login can sign in once
    its password is set (`mdt-app user passwd`). A login that already exists on the
    server keeps its password and is only put in the group; the name of a server
    administrator is never made an app login (skipped). Run as a login that may create
    roles (the database's owner, as for `server init`)."""
    done = CopiedLogins(groups=set_up_server_roles(store))
    done.by_role = {r: [] for r in APP_ROLES}
    database = str(store.query("SELECT current_database() AS d")[0]["d"])
    accounts = store.query("SELECT username, role FROM users WHERE active = 1 ORDER BY username")
    with store.atomic():
        for account in accounts:
            login, app_role = str(account["username"]), str(account["role"])
            found = store.query(
                "SELECT rolsuper OR rolcreaterole AS admin FROM pg_roles WHERE rolname = ?",
                [login],
            )
            if found and found[0]["admin"]:
                done.skipped.append(login)
                continue
            if not found:
                store.db.execute(f'CREATE ROLE "{login}" LOGIN')
                done.without_password.append(login)
            for other in APP_ROLES:
                change = "GRANT {g} TO {u}" if other == app_role else "REVOKE {g} FROM {u}"
                store.db.execute(change.format(g=f'"{group(store, other)}"', u=f'"{login}"'))
            store.db.execute(f'GRANT CONNECT ON DATABASE "{database}" TO "{login}"')
            done.by_role[app_role].append(login)
        store.audit(
            "give_copied_logins",
            "database",
            None,
            {"logins": done.by_role, "without_password": done.without_password},
        )
    return done
