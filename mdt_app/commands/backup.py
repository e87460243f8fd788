"""`mdt-app backup -o FILE` and `mdt-app restore FILE [--force]`."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
from pathlib import Path
from typing import Any

from mdt_app import paths
from mdt_app.commands._common import store_for
from mdt_app.errors import StoreError, UserError
from mdt_app.security import session_keys
from mdt_app.security.backup import backup_database, backup_faults, restore_backup
from mdt_app.security.cli_identity import check_identity_in_file, sign_in_known
from mdt_app.security.encryption import connector, looks_encrypted
from mdt_app.store import open_store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser(
        "backup",
        parents=[common],
        help="write a checked copy of the database (works while the app is open)",
        description="Copies the database with SQLite's online backup API (safe while the "
        "window is open; an encrypted database stays encrypted with the same passphrase), "
        "checks the copy, then puts it at FILE (created readable by you only).",
    )
    backup.add_argument("-o", "--output", required=True, metavar="FILE", help="backup file")
    backup.set_defaults(func=run_backup)
    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="put a backup in place of the database (refuses to overwrite without --force)",
        description="Checks the backup (integrity, audit chain, signed decisions) before "
        "anything is replaced. With --force an existing database is moved aside (kept "
        "next to it as .replaced-<time>.bak) and the backup takes its place. Close the "
        "window first.",
    )
    restore.add_argument("backup_file", metavar="FILE", help="a file made by 'mdt-app backup'")
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    restore.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from mdt_app.paths import ServerURL

    if ServerURL.is_server(args.output):  # it would be taken for a file name
        raise UserError(
            "-o names the backup file; to copy a database onto a team server use "
            "`mdt-app migrate-db --from DB --to URL`"
        )
    with store_for(args) as store:
        target = backup_database(store, args.output)
        entries = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    print(f"Backup written and checked: {target} ({entries} audit entries)")
    faults = backup_faults(target, connector(store.passphrase))
    if faults:  # a faithful copy of a database with faults: say so, keep the copy
        print(
            f"mdt-app: warning: the database has {len(faults)} fault(s) and so has the "
            f"backup; run 'mdt-app verify'. First: {faults[0]}",
            file=sys.stderr,
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    target = paths.database_path(
        args.db,
        on_server="to load a backup onto a team server, copy it onto a new, empty "
        "database there with 'mdt-app migrate-db --from BACKUP --to URL'",
    )
    backup = Path(args.backup_file)
    # An encrypted backup opens with the passphrase given for --db (the same file's).
    connect = connector(session_keys.passphrase_for(target) if looks_encrypted(backup) else None)
    username = _who_restores(backup, args, connect)
    replaced = restore_backup(backup, target, force=args.force, connect=connect)
    with open_store(target) as store, store.atomic():
        sign_in_known(store, username)
        store.audit(
            "restore_database",
            "database",
            None,
            {"from": str(args.backup_file), "replaced_kept_at": str(replaced or "")},
        )
    print(f"Restored {args.backup_file} to {target}")
    if replaced:
        print(f"The database it replaced is kept at {replaced}")
    return 0


def _who_restores(backup: Path, args: argparse.Namespace, connect: Any) -> str | None:
    """The --as user, checked against the backup's own accounts before anything moves."""
    if not backup.is_file():
        return None  # restore_backup names the problem
    try:
        with contextlib.closing(connect(backup)) as conn:
            return check_identity_in_file(conn, args)
    except (sqlite3.DatabaseError, StoreError):
        return None  # not readable: restore_backup's check says why
