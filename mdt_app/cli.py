"""`mdt-app`: the command line (contracts.md section 1).

Each command lives in `mdt_app/commands/<name>.py` with `register(subparsers, common)`.
User errors raise UserError: one line on stderr, non-zero exit, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mdt_app import __version__
from mdt_app.errors import UserError

# Modules under mdt_app.commands, in the order `--help` lists them.
COMMAND_MODULES = (
    "meetings",
    "cases",
    "import_cases",
    "demo",
    "recommend",
    "guideline",
    "care_programme",
    "minutes",
)


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $MDT_APP_DB, else the user data directory)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="mdt-app",
        description="MDT Assistant: anaplastic thyroid cancer MDT meetings. "
        "Without a command, opens the desktop app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"mdt-app {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the desktop app on a demo database (created and seeded if absent)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"mdt_app.commands.{name}").register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None)
    try:
        if args.command is None:
            return _open_window(args)
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"mdt-app: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mdt-app: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _open_window(args: argparse.Namespace) -> int:
    from mdt_app import paths
    from mdt_app.store import open_store

    if args.demo:
        from mdt_app.demo import ensure_demo_database

        db_path = paths.database_path(args.db) if args.db else paths.demo_database_path()
        ensure_demo_database(db_path)
    else:
        db_path = paths.database_path(args.db)
        open_store(db_path).close()  # create/migrate now, so a bad file is reported here
    try:
        # The window lives in the `ui` package; the core only hands over to it, by name,
        # so that mdt_app itself never depends on Qt.
        gui = importlib.import_module("ui.app")
    except ImportError as exc:
        raise UserError(f"the desktop app cannot start: {exc}") from None
    return int(gui.run(db_path))
