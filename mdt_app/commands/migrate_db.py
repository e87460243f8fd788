"""`mdt-app migrate-db --from DB --to DB`: a whole database copied between SQLite and
PostgreSQL (either way), audit chain included, then verified (`store/transfer.py`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mdt_app import paths
from mdt_app.errors import StoreError, UserError
from mdt_app.store import open_store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "migrate-db",
        parents=[common],
        help="copy a whole database between SQLite and PostgreSQL, then verify the copy",
        description="Copies every record, the audit chain and the accounts from --from into "
        "--to (a new file or an empty PostgreSQL database; `mdt-app server init` is not "
        "needed first), then checks the copy as `mdt-app verify` does. A failed copy "
        "leaves --to as it was.",
    )
    parser.add_argument("--from", dest="source", required=True, metavar="DB", help="file or URL")
    parser.add_argument("--to", dest="target", required=True, metavar="DB", help="file or URL")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from mdt_app.store.transfer import copy_database

    source_at = paths.database_location(args.source)
    target_at = paths.database_location(args.target)
    if str(source_at) == str(target_at):
        raise UserError("--from and --to name the same database")
    new_file = isinstance(target_at, Path) and not (
        target_at.exists() and target_at.stat().st_size > 0
    )
    with open_store(source_at, create=False, actor="migrate-db") as source:
        try:
            with open_store(target_at, create=True, actor="migrate-db") as target:
                report = copy_database(source, target)
        except BaseException:
            if new_file and isinstance(target_at, Path):
                _remove_new_file(target_at)
            raise
    for fault in report.faults:
        print(fault)
    if report.faults:
        print(
            f"mdt-app: the copy in {target_at} has {len(report.faults)} fault(s); "
            "do not use it (the source is unchanged)",
            file=sys.stderr,
        )
        return 1
    print(
        f"Copied {source_at} to {target_at}: {report.total} rows "
        f"({report.rows.get('audit_log', 0)} audit entries chained, "
        f"{report.rows.get('decisions', 0)} decisions); the copy verifies"
    )
    if isinstance(target_at, paths.ServerURL):
        from mdt_app.commands.server import give_logins

        give_logins(target_at)
    return 0


def _remove_new_file(path: Path) -> None:
    """A new target file that did not get a whole copy is not left behind."""
    for leftover in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", ".users"))):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{leftover}: a half copy could not be removed ({exc.strerror})"
            ) from None
