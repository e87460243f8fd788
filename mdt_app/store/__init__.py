"""The case store: one SQLite file through sqlite-utils.

`open_store(path)` checks the file through SQLite itself, copies it before migrating,
applies migrations, turns on WAL and foreign keys. Every multi-step write runs in one
``BEGIN IMMEDIATE`` transaction (waiting up to the busy timeout for another writer) and
is written to the append-only audit log in that same transaction.

The database file, its -wal and its -shm are never opened with plain Python while the
process may hold a connection: closing such a handle drops SQLite's POSIX locks (see
`presence`). Only ``stat()`` looks at them.

A Store (one sqlite connection) belongs to the thread that opened it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from mdt_app import paths
from mdt_app.errors import StoreError
from mdt_app.security import session_keys
from mdt_app.security.encryption import connect_encrypted, connector
from mdt_app.security.private_files import (
    create_private,
    make_database_private,
    private_dir,
    tighten_dir,
)
from mdt_app.store import schema, schema_version
from mdt_app.store.base import (
    DEFAULT_BUSY_TIMEOUT,
    StoreBase,
    _database_error_message,
    _operational_message,
    default_actor,
    now,
)
from mdt_app.store.facade import Store, StoreParts
from mdt_app.store.presence import Presence, unclean_shutdown
from mdt_app.store.sqlite_handle import SQLiteDatabase

SQLITE_HEADER = b"SQLite format 3\x00"
CORE_TABLES = ("patients", "cases", "meetings", "agenda_items", "decisions", "audit_log")


__all__ = [
    "SQLITE_HEADER",
    "Store",
    "StoreBase",
    "StoreParts",
    "default_actor",
    "now",
    "open_store",
    "prune_pre_migration_copies",
]


def busy_timeout_seconds(value: float | None = None) -> float:
    """The lock wait: the argument, else $MDT_APP_BUSY_TIMEOUT (seconds), else 5 s (the
    stored setting `busy_timeout_seconds` applies once the database is open)."""
    if value is not None:
        return max(0.0, float(value))
    raw = os.environ.get("MDT_APP_BUSY_TIMEOUT", "").strip()
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            raise StoreError(f"MDT_APP_BUSY_TIMEOUT={raw!r} is not a number of seconds") from None
    return DEFAULT_BUSY_TIMEOUT


def _exists(path: Path) -> bool:
    """True when the file exists with content (``stat`` only: nothing is opened)."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror})") from None


def _connect(
    path: Path, *, create: bool, timeout: float, passphrase: str | None = None
) -> SQLiteDatabase:
    # mode=rw never creates a file; mode=rwc does. autocommit at the driver level
    # (isolation_level=None): transactions are begun explicitly, as BEGIN IMMEDIATE.
    mode = "rwc" if create else "rw"
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    conn: Any
    if passphrase:  # SQLCipher (issue 15)
        conn = connect_encrypted(path, passphrase, timeout=timeout, uri=uri)
    else:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    # Plain sqlite3 until something needs sqlite-utils (see sqlite_handle): opening
    # and the meeting screen's reads and writes do not.
    db = SQLiteDatabase(conn)
    db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    db.execute("PRAGMA foreign_keys = ON")
    return db


KEEP_PRE_MIGRATION_COPIES = 3


def prune_pre_migration_copies(path: Path, keep: int = KEEP_PRE_MIGRATION_COPIES) -> list[Path]:
    """Delete all but the newest ``keep`` pre-migration copies of ``path``; the deleted."""
    copies = sorted(path.parent.glob(f"{path.name}.before-migration-*.bak"))
    old = copies[:-keep] if keep else copies
    for copy in old:
        copy.unlink(missing_ok=True)
    return old


def _backup_before_migrating(db: SQLiteDatabase, path: Path, passphrase: str | None = None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-migration-{stamp}.bak")
    create_private(target)
    dest = connector(passphrase)(target)  # encrypted like the database
    try:
        db.conn.backup(dest)  # consistent copy through SQLite, WAL included
    finally:
        dest.close()
    prune_pre_migration_copies(path)
    return target


def open_store(
    path: str | Path | paths.ServerURL,
    *,
    actor: str | None = None,
    create: bool = True,
    busy_timeout: float | None = None,
    passphrase: str | None = None,
    encrypted: bool = False,
) -> Store:
    """Open (creating and migrating as needed) the database at ``path``.

    ``busy_timeout`` (seconds) is how long a write waits for another program's write
    to finish; default $MDT_APP_BUSY_TIMEOUT or 5 s. An encrypted file needs its
    passphrase (given, known to this process, or $MDT_APP_PASSPHRASE); ``encrypted``
    creates a new database encrypted with it.
    """
    if paths.ServerURL.is_server(path):
        return _open_server_store(
            path if isinstance(path, paths.ServerURL) else paths.ServerURL(str(path)),
            actor=actor,
            create=create,
            busy_timeout=busy_timeout,
        )
    path = Path(str(path))
    timeout = busy_timeout_seconds(busy_timeout)
    existed = _exists(path)
    passphrase = passphrase or session_keys.passphrase_for(path)
    key = None
    if not existed:
        if not create:
            raise StoreError(
                f"{path}: no such database (create one with 'mdt-app import' or 'mdt-app demo')"
            )
        if encrypted and not passphrase:
            raise StoreError(
                "a new encrypted database needs a passphrase: --passphrase-file FILE or "
                "MDT_APP_PASSPHRASE"
            )
        key = passphrase if encrypted else None
        try:
            private_dir(path.parent)
            create_private(path)  # 0600 before SQLite writes; its WAL and SHM follow
        except OSError as exc:
            raise StoreError(f"{path}: cannot be created ({exc.strerror})") from None
    # The user data folder is named after the app on every platform: asked only then
    # (platformdirs is a few ms of every start with --db elsewhere).
    if path.parent.name == paths.APP_NAME and path.parent == paths.user_data_dir():
        tighten_dir(path.parent)
    make_database_private(path)
    presence = Presence(path)
    db: SQLiteDatabase | None = None
    try:
        db = _connect(path, create=create or not existed, timeout=timeout, passphrase=key)
        try:
            tables = _verify_identity(db, path, existed)
        except sqlite3.DatabaseError as exc:
            if not existed or "not a database" not in str(exc):
                raise
            db.close()  # encrypted (or not a database): SQLite said so, no bytes were read
            db = None
            if not passphrase:
                raise StoreError(
                    f"{path}: is not an MDT Assistant database (not an SQLite file), or it is "
                    "encrypted: give its passphrase with --passphrase-file FILE or "
                    "MDT_APP_PASSPHRASE"
                ) from None
            key = passphrase
            db = _connect(path, create=False, timeout=timeout, passphrase=key)
            tables = _verify_identity(db, path, existed)
        presence.join()  # only beside a database of ours
        pending = schema.migrations.pending(db)
        if pending and tables:
            _backup_before_migrating(db, path, key)
        if pending or unclean_shutdown(path, presence):
            _full_check(db, path, tables)
        if db.journal_mode != "wal":
            _when_not_busy(db.enable_wal, timeout)  # a mode change may not wait by itself
        if pending:
            _migrate(db, timeout, new_file=not tables)
    except StoreError:
        _abandon(db, presence)
        raise
    except sqlite3.OperationalError as exc:
        _abandon(db, presence)
        raise StoreError(_operational_message(path, exc, timeout)) from None
    except sqlite3.DatabaseError as exc:
        _abandon(db, presence)
        raise StoreError(_database_error_message(path, exc)) from None
    store = Store(db, path, actor)
    store.busy_timeout = timeout
    store.presence = presence
    store.passphrase = key
    if busy_timeout is None and not os.environ.get("MDT_APP_BUSY_TIMEOUT", "").strip():
        _apply_stored_busy_timeout(store)
    user = session_keys.user_for(path)
    if user is not None and actor is None:  # a worker of the window: its user acts
        from mdt_app.security.users import sign_in

        sign_in(store, user)
    return store


def _open_server_store(
    url: paths.ServerURL, *, actor: str | None, create: bool, busy_timeout: float | None
) -> Store:
    """The team database on a PostgreSQL server (issue 19): same Store, other backend."""
    from mdt_app.store.pg.dialect import POSTGRES
    from mdt_app.store.pg.open import open_server_database

    timeout = busy_timeout_seconds(busy_timeout)
    db = open_server_database(url, create=create, timeout=timeout)
    store = Store(db, url, actor, dialect=POSTGRES)
    store.busy_timeout = timeout
    if busy_timeout is None and not os.environ.get("MDT_APP_BUSY_TIMEOUT", "").strip():
        _apply_stored_busy_timeout(store)
    user = session_keys.user_for(url)
    if user is not None and actor is None:  # a worker of the window: its user acts
        from mdt_app.security.users import sign_in

        sign_in(store, user)
    return store


def _apply_stored_busy_timeout(store: Store) -> None:
    """The centre's setting `busy_timeout_seconds`, when one is stored."""
    value = store.get_setting("busy_timeout_seconds")
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 600:
        store.busy_timeout = float(value)
        if not store.is_server:  # on a server the wait is set per write transaction
            store.db.execute(f"PRAGMA busy_timeout = {int(value * 1000)}")


def _abandon(db: SQLiteDatabase | None, presence: Presence) -> None:
    if db is not None:
        db.close()
    presence.leave()


def _verify_identity(db: SQLiteDatabase, path: Path, existed: bool) -> list[str]:
    """Refuse what is not an MDT Assistant database, asking SQLite (never reading bytes)."""
    tables = db.table_names()  # "file is not a database" surfaces here
    if not tables:
        return tables
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id != schema.APPLICATION_ID:
        raise StoreError(f"{path}: is an SQLite file of another program, not MDT Assistant")
    schema_version.check_version(db, path)  # newer than this build: refused, one line
    missing = [t for t in CORE_TABLES if t not in tables]
    missing += [] if "_sqlite_migrations" in tables else ["_sqlite_migrations"]
    if missing:
        raise StoreError(
            f"{path}: is marked as an MDT Assistant database but has no {missing[0]} "
            "table; restore a backup"
        )
    known = {m.name for m in schema.migrations._migrations}
    applied = {
        r[0]
        for r in db.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [schema.migrations.name]
        ).fetchall()
    }
    newer = sorted(applied - known)
    if newer:
        raise StoreError(
            f"{path}: was written by a newer MDT Assistant (schema {newer[-1]}); "
            "update this program before opening it"
        )
    return tables


def _full_check(db: SQLiteDatabase, path: Path, tables: list[str]) -> None:
    """The full integrity check: before migrating and after an unclean shutdown."""
    if not tables:
        return
    result = db.execute("PRAGMA integrity_check(1)").fetchone()[0]
    if result != "ok":
        raise StoreError(f"{path}: the database is damaged ({result}); restore a backup")


def _when_not_busy(step: Callable[[], None], timeout: float) -> None:
    """Run ``step``, again while another program holds the lock, up to ``timeout``.

    For the few steps that cannot start with BEGIN IMMEDIATE (changing the journal mode,
    a migration that runs its own transaction) and so may be told "busy" at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _migrate(
    db: SQLiteDatabase, timeout: float = DEFAULT_BUSY_TIMEOUT, *, new_file: bool = False
) -> None:
    """Apply the pending migrations, each in its own IMMEDIATE transaction.

    A new, empty file is built without waiting for the disk after each migration
    (synchronous=NORMAL, about 1 ms a commit): a power cut meanwhile can only lose
    migrations of a database that holds nothing yet, and the next open applies them
    again; the first write of any record (synchronous as before) makes them durable.

    Foreign-key enforcement is off while migrating (SQLite's documented way to rebuild a
    table that others refer to) and every key is checked before each commit. A migration
    marked non-transactional runs its own transaction. Another program may be migrating
    the same file at the same moment: what it has applied meanwhile is skipped.
    """
    migrations = schema.migrations
    synchronous = db.execute("PRAGMA synchronous").fetchone()[0]
    if new_file:
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        for migration in migrations.pending(db):
            if not migration.transactional:

                def run(migration: Any = migration) -> None:
                    if not _applied(db, migration.name):  # another program may have done it
                        migration.fn(db)

                _when_not_busy(run, timeout)
                db.execute("BEGIN IMMEDIATE")
                try:
                    migrations.ensure_migrations_table(db)
                    if not _applied(db, migration.name):
                        migrations._record_applied(db, migration.name)
                    db.execute("COMMIT")
                except BaseException:
                    _rollback(db)
                    raise
                continue
            db.execute("BEGIN IMMEDIATE")
            try:
                # With the first migration, in its transaction: another program never
                # sees a file holding only the migrations table (not yet marked as ours).
                migrations.ensure_migrations_table(db)
                if not _applied(db, migration.name):
                    migration.fn(db)
                    migrations._record_applied(db, migration.name)
                    broken = db.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(
                            f"migration {migration.name} would leave {len(broken)} broken "
                            f"reference(s) (first in table {broken[0][0]}); nothing was changed"
                        )
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
        schema_version.record_version(db)
    finally:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA synchronous = {int(synchronous)}")


def _applied(db: SQLiteDatabase, name: str) -> bool:
    if "_sqlite_migrations" not in db.table_names():
        return False
    return bool(
        db.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? AND name = ?",
            [schema.migrations.name, name],
        ).fetchall()
    )


def _rollback(db: SQLiteDatabase) -> None:
    if db.conn.in_transaction:
        db.execute("ROLLBACK")
