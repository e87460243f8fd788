"""Backups through SQLite's online backup API, and restoring one safely.

`backup_database` copies a consistent snapshot page by page while other connections
(the window) keep working, to a private temporary file beside the target that is
checked before it takes the target's name. `restore_backup` checks the backup first
(SQLite integrity, an MDT Assistant file, audit chain and signatures sound) and only
then puts it in place, keeping the database it replaces as a private side copy.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdt_app.errors import StoreError, UserError
from mdt_app.security.encryption import connector
from mdt_app.security.private_files import SIDE_FILES, create_private, make_private
from mdt_app.security.verify import integrity_faults, verify_database
from mdt_app.store import Store, schema
from mdt_app.store.sqlite_handle import SQLiteDatabase

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

Connect = Callable[[Path], Any]  # opens a DB-API connection on a file (plain or encrypted)


def _plain(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path))


def _temporary_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")


def copy_database(source: Any, target: Path, connect: Connect = _plain) -> None:
    """Online backup of the open connection ``source`` into a new private file."""
    create_private(target)
    dest = connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
    make_private(target)


def backup_faults(path: Path, connect: Connect = _plain) -> list[str]:
    """Why the file at ``path`` is not a usable backup (empty when it is). A copy made
    before a schema upgrade gets SQLite's checks only (the app's come with the upgrade)."""
    try:
        conn = connect(path)
    except Exception as exc:  # the driver's own error types differ (sqlite3 / sqlcipher3)
        return [f"cannot be opened ({exc})"]
    db = SQLiteDatabase(conn)
    try:
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
        except Exception as exc:
            return [f"is not a readable database ({exc})"]
        if app_id != schema.APPLICATION_ID or "audit_log" not in db.table_names():
            return ["is not an MDT Assistant database"]
        try:
            if schema.migrations.pending(db):
                return integrity_faults(db)
            return verify_database(db, full=True)
        except Exception as exc:
            return [f"cannot be checked ({exc})"]
    finally:
        db.close()


def schema_upgrade_pending(path: Path, connect: Connect = _plain) -> bool:
    """True when opening ``path`` would migrate an existing database (read-only check;
    a file that cannot be read is left for open_store to report)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        with contextlib.closing(connect(path)) as conn:
            db = SQLiteDatabase(conn)
            return bool(db.table_names()) and bool(schema.migrations.pending(db))
    except Exception:
        return False


def backup_database(store: Store, target: str | os.PathLike[str]) -> Path:
    """Write a checked copy of the store's database to ``target``; returns the path.
    An encrypted database gives an encrypted backup (same passphrase). A team database
    on a server is backed up as a database file (`backup_server`)."""
    if store.is_server:
        return backup_server(store, target)
    connect = connector(store.passphrase)
    return backup_connection(store.db.conn, Path(store.path), target, connect)


def backup_server(store: Store, target: str | os.PathLike[str]) -> Path:
    """A team database copied into a new SQLite file (what `mdt-app restore` and
    `mdt-app migrate-db` read), checked like the file itself, then put in place.

    The copy is read in one transaction of the server (REPEATABLE READ), so it is one
    consistent moment even while others keep working."""
    from mdt_app.store import open_store
    from mdt_app.store.transfer import copy_database

    target = Path(target).expanduser().absolute()
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder")
    if target.is_dir():
        raise UserError(f"{target}: is a folder; give a file name")
    tmp = _temporary_beside(target)
    try:
        store.db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            with open_store(tmp, actor=store.actor) as copy:
                report = copy_database(store, copy)
            # As for a file: a faithful copy keeps the faults the records already have
            # (the command then warns about them); only a fault of the copy alone fails it.
            own = set(verify_database(store.db, full=True)) if report.faults else set()
        finally:
            store.db.execute("ROLLBACK")
        failed = [fault for fault in report.faults if fault not in own]
        if failed:
            raise StoreError(f"{target}: the copy failed its check ({failed[0]}); not written")
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in (*SIDE_FILES, ".users"))):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return target


def backup_file(path: Path, target: str | os.PathLike[str], connect: Connect = _plain) -> Path:
    """The same from a database file that is not open as a Store (e.g. before it is
    upgraded: the copy keeps the old schema)."""
    with contextlib.closing(connect(path)) as conn:
        return backup_connection(conn, path, target, connect)


def backup_connection(
    conn: Any, own_path: Path, target: str | os.PathLike[str], connect: Connect = _plain
) -> Path:
    """Online backup of ``conn`` (the database at ``own_path``) to ``target``, checked."""
    target = Path(target).expanduser().absolute()
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder")
    if target.is_dir():
        raise UserError(f"{target}: is a folder; give a file name")
    if target.resolve() == own_path.resolve():
        raise UserError(f"{target}: is the database itself; choose another file")
    tmp = _temporary_beside(target)
    try:
        copy_database(conn, tmp, connect)
        problem = _copy_problem(conn, tmp, connect)
        if problem:
            raise StoreError(f"{target}: the copy failed its check ({problem}); not written")
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in SIDE_FILES)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return target


def _head(db: Database | SQLiteDatabase) -> tuple:
    """What identifies a database's state: its audit head and the size of its tables."""
    head = db.execute("SELECT max(id), count(*) FROM audit_log").fetchone()
    last = db.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    sizes = tuple(
        (t, db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0])
        for t in sorted(db.table_names())
    )
    return tuple(head), tuple(last or ()), sizes


def _copy_problem(source: Any, copy: Path, connect: Connect) -> str | None:
    """None when the copy is sound SQLite and holds what the source held."""
    with contextlib.closing(connect(copy)) as conn:
        db = SQLiteDatabase(conn)
        result = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            return f"SQLite integrity: {result[0]}"
        copied = _head(db)
    if copied != _head(SQLiteDatabase(source)):
        return "the copy does not hold what the database holds"
    return None


def restore_backup(
    backup: str | os.PathLike[str],
    target: Path,
    *,
    force: bool = False,
    connect: Connect = _plain,
) -> Path | None:
    """Put ``backup`` in place of the database at ``target``. The backup is checked first;
    an existing database is replaced only with ``force`` and is kept beside it (the
    returned path) until the user deletes it."""
    source = Path(backup).expanduser()
    if not source.is_file():
        raise UserError(f"{source}: no such backup file")
    faults = backup_faults(source, connect)
    if faults:
        more = f" (and {len(faults) - 1} more)" if len(faults) > 1 else ""
        raise StoreError(
            f"{source}: the backup fails its check: {faults[0]}{more}; nothing was replaced"
        )
    exists = target.exists() and target.stat().st_size > 0
    if exists and not force:
        raise UserError(f"{target}: a database is already there; add --force to replace it")
    if target.exists() and target.resolve() == source.resolve():
        raise UserError(f"{source}: is the database itself")
    tmp = _temporary_beside(target)
    replaced: Path | None = None
    try:
        with contextlib.closing(connect(source)) as conn:
            copy_database(conn, tmp, connect)
        if backup_faults(tmp, connect):
            raise StoreError(f"{target}: the restored copy failed its check; nothing replaced")
        if exists:
            replaced = _set_aside(target)
        for suffix in SIDE_FILES:  # a stale WAL must never be replayed into the backup
            with contextlib.suppress(FileNotFoundError):
                target.with_name(target.name + suffix).unlink()
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(f"{target}: cannot be replaced ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return replaced


def _set_aside(target: Path) -> Path:
    """Move the database about to be replaced aside, as it is (with its WAL), so that
    even a damaged one can still be looked at; private like the database."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.replaced-{stamp}.bak")
    os.replace(target, aside)
    make_private(aside)
    wal = target.with_name(target.name + "-wal")
    if wal.exists():
        os.replace(wal, aside.with_name(aside.name + "-wal"))
    return aside
