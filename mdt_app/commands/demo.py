"""`mdt-app demo [--db PATH] [--archive N]`: create and seed a demo database, no window.

Without --db it is the demo database that `mdt-app --demo` opens (in the user data
directory, beside the real database but never it): created once, then reused. MDT_APP_DB
is not consulted, on purpose: it names the real database, which must never receive
synthetic patients. With --db it creates a new file and refuses an existing one.
"""

from __future__ import annotations

import argparse

from mdt_app import paths
from mdt_app.demo import build_demo_database, ensure_demo_database
from mdt_app.errors import UserError
from mdt_app.security import session_keys


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo",
        parents=[common],
        help="create a demo database of synthetic ATC meetings",
        description="Create a database holding three demo meetings of synthetic ATC cases "
        "(clearly marked DEMO). With --db PATH: a new file (an existing one is refused). "
        "Without --db: the demo database that `mdt-app --demo` opens, in the user data "
        f"directory ({paths.demo_database_path()}), created if absent and reused "
        "after; MDT_APP_DB is ignored, so the real database never gets demo patients.",
    )
    p.add_argument(
        "--archive",
        type=_count,
        default=0,
        metavar="N",
        help="also add N synthetic past cases in closed weekly meetings (for scale tests)",
    )
    p.add_argument(
        "--encrypted",
        action="store_true",
        help="encrypt the new database (passphrase: --passphrase-file or MDT_APP_PASSPHRASE)",
    )
    p.set_defaults(func=run)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{value} is outside 0 to 1000000")
    return value


def run(args: argparse.Namespace) -> int:
    passphrase = None
    if args.encrypted and args.db and paths.ServerURL.is_server(args.db):
        raise UserError("--encrypted is for database files; a team server has its own")
    if args.encrypted:
        target = paths.database_path(args.db) if args.db else paths.demo_database_path()
        passphrase = session_keys.passphrase_for(target)
        if not passphrase:
            raise UserError(
                "--encrypted needs a passphrase: --passphrase-file FILE or MDT_APP_PASSPHRASE"
            )
    if args.db and not args.demo:
        location = paths.database_location(args.db)
        if isinstance(location, paths.ServerURL) and args.encrypted:
            raise UserError("--encrypted is for database files; a team server has its own")
        path = build_demo_database(location, archive=args.archive, passphrase=passphrase)
        print(f"Demo database created: {path}")
        _archive_line(args.archive)
        print(f"Use it with: mdt-app --db {path} [COMMAND]")
        return 0
    where = paths.database_location(args.db) if args.db else paths.demo_database_path()
    if isinstance(where, paths.ServerURL):  # `mdt-app --demo demo --db URL`
        if args.archive:
            raise UserError(
                "--demo with --archive: build it with `mdt-app demo --db URL --archive N`"
            )
        ensure_demo_database(where)
        print(f"Demo database ready: {where}")
        print(f"Use it with: mdt-app --db {where} [COMMAND]")
        return 0
    path = where
    existed = path.exists() and path.stat().st_size > 0
    if existed and args.archive:
        raise UserError(
            f"{path}: the demo database already exists; to add an archive, build a new "
            "one with `mdt-app demo --db NEW.db --archive N`"
        )
    if existed:
        ensure_demo_database(path)
    else:
        build_demo_database(path, archive=args.archive, passphrase=passphrase)
    print(f"Demo database {'already there' if existed else 'created'}: {path}")
    _archive_line(args.archive)
    print("Use it with: mdt-app --demo [COMMAND] (or mdt-app --db PATH [COMMAND])")
    return 0


def _archive_line(archive: int) -> None:
    if archive:
        print(f"With a synthetic archive of {archive} past cases")
