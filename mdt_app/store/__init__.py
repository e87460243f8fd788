"""The case store: one SQLite file through sqlite-utils.

`open_store(path)` checks the file, copies it before migrating, applies migrations,
turns on WAL and foreign keys. Every multi-step write runs in one transaction and is
written to the append-only audit log in that same transaction.

A Store (one sqlite connection) belongs to the thread that opened it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from mdt_app.errors import StoreError
from mdt_app.store import schema
from mdt_app.store.agenda import AgendaMixin
from mdt_app.store.base import StoreBase, _operational_message, default_actor, now
from mdt_app.store.cases import CasesMixin
from mdt_app.store.decisions import DecisionsMixin
from mdt_app.store.intake import IntakeMixin
from mdt_app.store.meeting_admin import MeetingAdminMixin

SQLITE_HEADER = b"SQLite format 3\x00"


class Store(CasesMixin, AgendaMixin, DecisionsMixin, MeetingAdminMixin, IntakeMixin):
    """Cases, meetings, agendas, attendance, decisions, audit log and settings."""


__all__ = ["SQLITE_HEADER", "Store", "StoreBase", "default_actor", "now", "open_store"]


def _check_file(path: Path) -> bool:
    """True when the file exists with content; refuse files that are not SQLite."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror})") from None
    if header != SQLITE_HEADER:
        raise StoreError(f"{path}: is not an MDT Assistant database (not an SQLite file)")
    return True


def _connect(path: Path) -> Database:
    conn = sqlite3.connect(str(path), timeout=5.0)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    return db


def _backup_before_migrating(db: Database, path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-migration-{stamp}.bak")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)  # consistent copy, WAL included
    finally:
        dest.close()
    return target


def open_store(path: str | Path, *, actor: str | None = None, create: bool = True) -> Store:
    """Open (creating and migrating as needed) the database at ``path``."""
    path = Path(path)
    existed = _check_file(path)
    if not existed:
        if not create:
            raise StoreError(
                f"{path}: no such database (create one with 'mdt-app import' or 'mdt-app demo')"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create folder ({exc.strerror})") from None
    try:
        db = _connect(path)
        _verify_identity(db, path, existed)
        pending = schema.migrations.pending(db)
        if pending and existed and db.table_names():
            _backup_before_migrating(db, path)
        if pending:
            db.enable_wal()
            schema.migrations.apply(db)
        elif db.journal_mode != "wal":
            db.enable_wal()
    except StoreError:
        raise
    except sqlite3.OperationalError as exc:
        raise StoreError(_operational_message(path, exc)) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: is damaged or not a database ({exc})") from None
    return Store(db, path, actor)


def _verify_identity(db: Database, path: Path, existed: bool) -> None:
    if not existed:
        return
    tables = db.table_names()
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if tables and app_id != schema.APPLICATION_ID:
        raise StoreError(f"{path}: is an SQLite file of another program, not MDT Assistant")
    result = db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise StoreError(f"{path}: the database is damaged ({result}); restore a backup")
