"""`mdt-app server init URL --chair USERNAME`: a first-time team database on PostgreSQL.

Creates the schema (the migrations in `store/pg/schema.py`) and the first chair, who
then adds everyone else with
`mdt-app user add --db URL --as CHAIR`. The chair's password comes from
$MDT_APP_PASSWORD or a prompt, never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from mdt_app import paths
from mdt_app.errors import UserError
from mdt_app.security.cli_identity import PASSWORD_ENV


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "server",
        parents=[common],
        help="set up a team database on a PostgreSQL server",
        description="Team databases on PostgreSQL (a postgresql:// URL wherever --db is accepted).",
    )
    actions = parser.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        parents=[common],
        help="create the schema and the first chair on an empty PostgreSQL database",
        description="Creates the schema and the first chair "
        f"on an empty database. The chair's password: ${PASSWORD_ENV}, else a prompt.",
    )
    init.add_argument("url", metavar="URL", help="postgresql://[user@]host[:port]/database")
    init.add_argument("--chair", required=True, metavar="USERNAME", help="the first chair")
    init.add_argument("--name", default=None, help="the chair's full name (default: USERNAME)")
    init.add_argument("--specialty", default="", help="e.g. endocrine surgeon")
    init.set_defaults(func=run_init)


def _chair_password() -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UserError(
            f"the first chair needs a password: set {PASSWORD_ENV} or run in a terminal"
        )
    first = getpass.getpass("Password for the first chair: ")
    if first != getpass.getpass("Again: "):
        raise UserError("the two passwords differ; nothing was created")
    return first


def run_init(args: argparse.Namespace) -> int:
    from mdt_app.store.pg.setup import initialise_server

    if not paths.ServerURL.is_server(args.url):
        raise UserError(f"{args.url}: not a postgresql:// URL")
    url = paths.ServerURL(args.url)
    password = _chair_password()
    chair = initialise_server(
        url, args.chair, args.name or args.chair, password, specialty=args.specialty
    )
    print(f"Team database ready: {url}")
    print(f"First chair: {chair.username} ({chair.name})")
    print(f"Add the team with: mdt-app user add USERNAME --db URL --as {chair.username} ...")
    return 0
