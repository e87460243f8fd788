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
    logins = actions.add_parser(
        "roles",
        parents=[common],
        help="make the server enforce the app roles of a team database's accounts",
        description="Sets up the database's group roles (chair, member, nurse, "
        "administrator) and gives every active account a server login in its group, as "
        "`server init` and `user add` do (`migrate-db` onto a server does this itself). "
        "Run as a login that may create roles, e.g. the database's owner.",
    )
    logins.add_argument("url", metavar="URL", help="postgresql://[user@]host[:port]/database")
    logins.set_defaults(func=run_roles)


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


def run_roles(args: argparse.Namespace) -> int:
    if not paths.ServerURL.is_server(args.url):
        raise UserError(f"{args.url}: not a postgresql:// URL")
    give_logins(paths.ServerURL(args.url))
    return 0


def give_logins(url: paths.ServerURL) -> None:
    """Every active account of the team database at ``url`` gets its server login in the
    group of its role (store/pg/roles.py), and the user is told exactly which logins
    still need a server password and how to set it. A login that may not create roles
    is told, in one line, what a DBA still has to run."""
    from mdt_app.errors import StoreError
    from mdt_app.store import open_store
    from mdt_app.store.pg.roles import give_copied_logins

    try:
        with open_store(url, create=False, actor="server roles") as store:
            done = give_copied_logins(store)
    except StoreError as exc:
        raise UserError(
            f"{exc}; the server does not enforce the app roles yet: a login that may create "
            f"roles (the database's owner) runs `mdt-app server roles {url}`"
        ) from None
    counts = ", ".join(
        f"{len(names)} {role}{'s' if len(names) != 1 else ''} ({', '.join(names)})"
        for role, names in done.by_role.items()
        if names
    )
    print(f"Server logins in their role groups: {counts or 'none'}; the server enforces the roles")
    if done.skipped:
        print(f"Not made server logins (server administrators' names): {', '.join(done.skipped)}")
    if done.without_password:
        print(
            f"No server password yet for: {', '.join(done.without_password)} (the app keeps "
            "only password hashes the server cannot use). Each sets it once, through this "
            f"connection: mdt-app user passwd USERNAME --db {url} --as USERNAME (their password "
            f"in ${PASSWORD_ENV}, the server's - it may be the same - in $MDT_APP_NEW_PASSWORD), "
            "or a chair or administrator sets it for them"
        )
