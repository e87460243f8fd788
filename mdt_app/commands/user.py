"""`mdt-app user add|list|disable|passwd|cli-named-users`: the database's app accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from mdt_app.commands._common import add_json_flag, print_rows, store_for
from mdt_app.errors import UserError
from mdt_app.security.cli_identity import NAMED_USERS_SETTING, read_secret_file
from mdt_app.security.cli_options import add_encrypted_option
from mdt_app.security.users import (
    MANAGERS,
    ROLES,
    add_user,
    disable_user,
    has_users,
    list_users,
    require_role,
    set_password,
)

NEW_PASSWORD_ENV = "MDT_APP_NEW_PASSWORD"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "user",
        parents=[common],
        help="manage the app's user accounts (chair, member, nurse, administrator)",
        description="Accounts live in the database. The first account of a database is "
        "its first chair and needs no --as; after that a chair or an administrator "
        "(--as USERNAME) manages accounts. A new password comes from --new-password-file, "
        f"${NEW_PASSWORD_ENV} or a prompt.",
    )
    actions = parser.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="create an account")
    add.add_argument("username", help="sign-in name: letters, digits, . _ -")
    add.add_argument("--name", required=True, help="full name as shown and signed")
    add.add_argument("--role", choices=ROLES, default=None, help="default: chair for the first")
    add.add_argument("--specialty", default="", help="e.g. medical oncologist")
    _new_password_option(add)
    add_encrypted_option(add)
    add.set_defaults(func=run_add)
    show = actions.add_parser("list", parents=[common], help="list accounts")
    add_json_flag(show)
    show.set_defaults(func=run_list)
    disable = actions.add_parser("disable", parents=[common], help="disable an account")
    disable.add_argument("username")
    disable.set_defaults(func=run_disable)
    passwd = actions.add_parser("passwd", parents=[common], help="set a new password")
    passwd.add_argument("username")
    _new_password_option(passwd)
    passwd.set_defaults(func=run_passwd)
    named = actions.add_parser(
        "cli-named-users",
        parents=[common],
        help="require --as for every write on the command line (on) or not (off)",
    )
    named.add_argument("state", choices=("on", "off"))
    named.set_defaults(func=run_named)


def _new_password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--new-password-file", metavar="FILE", help="file whose first line is the new password"
    )


def _new_password(args: argparse.Namespace) -> str:
    if args.new_password_file:
        return read_secret_file(args.new_password_file, "new password")
    env = os.environ.get(NEW_PASSWORD_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        raise UserError(f"no new password: give --new-password-file FILE or set {NEW_PASSWORD_ENV}")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise UserError("the two passwords differ; nothing was changed")
    return first


def run_add(args: argparse.Namespace) -> int:
    with store_for(args, create=True) as store:
        first = not has_users(store)
        role = args.role or ("chair" if first else None)
        if role is None:
            raise UserError("give --role (chair, member, nurse or administrator)")
        if first and role == "chair":  # on a server: its roles set up first (first_chair.py)
            from mdt_app.security.first_chair import add_first_chair

            password = _new_password(args)
            user = add_first_chair(store, args.username, args.name, password, args.specialty)
        else:
            user = add_user(
                store, args.username, args.name, role, _new_password(args), args.specialty
            )
    print(f"{user.id}\t{user.username}\t{user.role}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        users = list_users(store)
    rows = [
        {
            "id": u.id,
            "username": u.username,
            "name": u.name,
            "specialty": u.specialty,
            "role": u.role,
            "active": "yes" if u.active else "no",
        }
        for u in users
    ]
    print_rows(rows, ("id", "username", "name", "specialty", "role", "active"), args.json)
    return 0


def run_disable(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        user = disable_user(store, args.username)
    print(f"{user.username}: disabled")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        set_password(store, args.username, _new_password(args))
    print(f"{args.username}: password changed")
    return 0


def run_named(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        require_role(store, MANAGERS, "change who may write on the command line")
        store.set_setting(NAMED_USERS_SETTING, args.state == "on")
    print(f"named users on the command line: {args.state}")
    return 0
