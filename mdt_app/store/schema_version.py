"""The schema version in SQLite's `user_version` header field.

Every open compares it with what this build knows (the number of migrations it has), so
a database written by a newer MDT Assistant is refused with one line naming both
versions before anything is read or migrated: never migrated downward, never misread.
The migration names recorded in `_sqlite_migrations` are checked as well (store
`_verify_identity`); `user_version` also answers for a file whose tables are not yet
readable to an older build, and it is what other tools (`sqlite3`, backups) can see.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mdt_app.errors import StoreError
from mdt_app.store import schema

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

    from mdt_app.store.sqlite_handle import SQLiteDatabase


def known_version() -> int:
    """The schema version this build writes: one per migration it knows."""
    return len(schema.migrations._migrations)


def stored_version(db: Database | SQLiteDatabase) -> int:
    """The database's `user_version` (0 for files from before it was recorded)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check_version(db: Database | SQLiteDatabase, path: Path) -> None:
    """Refuse a database this build cannot read: newer than it knows, or a value no
    MDT Assistant ever writes (below zero)."""
    version = stored_version(db)
    known = known_version()
    if version > known:
        raise StoreError(
            f"{path}: was written by a newer MDT Assistant (database version {version}; "
            f"this program knows up to {known}); update this program before opening it"
        )
    if version < 0:
        raise StoreError(
            f"{path}: has a database version ({version}) no MDT Assistant writes; restore a backup"
        )


def record_version(db: Database | SQLiteDatabase) -> None:
    """After migrating: the version this build knows (never lowered)."""
    if stored_version(db) < known_version():
        db.execute(f"PRAGMA user_version = {known_version()}")
