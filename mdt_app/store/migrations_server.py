"""Schema for the team database (issue 19), SQLite side.

- ``audit_log.db_user``: on a PostgreSQL server, the database login that wrote the entry
  (``session_user``, set by the server's trigger whatever the client sends), so who did
  what does not rest on the client alone. A file has no logins: NULL there. Not part of
  the entry's hash (the chain stays the same on both backends and across migrate-db).
  Its PostgreSQL twin is `store/pg/schema.py` (p004_server_roles).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app.store.schema import migrations

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


@migrations()
def m219_server_audit_db_user(db: Database) -> None:
    db.execute("ALTER TABLE audit_log ADD COLUMN db_user TEXT")
