"""The `mdt-app` command (console script and frozen bundle): the core's command line,
which opens the desktop app when no command is given.

The core (`mdt_app.cli`) never imports the window; this entry point hands it the window
opener. Nothing here imports Qt at module level, so `mdt-app COMMAND` runs without it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from mdt_app import cli
from mdt_app.errors import UserError


def main(argv: Sequence[str] | None = None) -> int:
    """`mdt-app [OPTIONS] [COMMAND ...]`."""
    return cli.main(argv, open_window=open_window)


def open_window(args: argparse.Namespace) -> int:
    """`mdt-app` without a command: the desktop app on the database the options name."""
    from mdt_app import paths
    from mdt_app.security.backup import schema_upgrade_pending
    from mdt_app.security.encryption import looks_encrypted
    from mdt_app.store import open_store

    # Qt is imported inside this function only, so that every command runs without it.
    # Whether a window can open at all is asked before Qt loads: without a display Qt
    # aborts the process with no way back.
    try:
        from ui import display
    except ImportError as exc:
        raise UserError(f"the desktop app cannot start: {exc}") from None
    problem = display.display_problem()
    if problem:
        raise UserError(f"the desktop app cannot start: {problem}")
    try:
        from ui.pyside_import_check import install

        install()  # Qt, and its check of each module imported from here on made cheap
        from ui.app import run
    except ImportError as exc:
        raise UserError(display.import_problem(exc)) from None
    location = paths.database_location(args.db)
    if not args.db and not os.environ.get(paths.DB_ENV) and not args.demo:
        from ui.app import remembered_server  # File > Connect to team server…

        location = remembered_server() or location
    if isinstance(location, paths.ServerURL):
        # A team server: no file to create, encrypt or upgrade after a backup here; the
        # window signs in against the server's accounts (ui.server_sign_in). With --demo:
        # the demo built on an empty database or reused, a team's database refused.
        if args.demo:
            from mdt_app.demo import ensure_demo_database

            ensure_demo_database(location)
        return run(location)
    if args.demo:
        from mdt_app.demo import ensure_demo_database

        db_path = paths.database_path(args.db) if args.db else paths.demo_database_path()
        ensure_demo_database(db_path)
    else:
        db_path = paths.database_path(args.db)
    # Opened (created, migrated) here, so a bad file is reported on the terminal; the
    # window takes this store over rather than opening the file a second time. A new or
    # encrypted file is the window's to set up (first run: encrypt it?; the passphrase
    # prompt), and an older one is upgraded there after offering a backup.
    store = None
    if db_path.exists() and not looks_encrypted(db_path) and not schema_upgrade_pending(db_path):
        store = open_store(db_path)
    return run(db_path, store)


if __name__ == "__main__":
    sys.exit(main())
