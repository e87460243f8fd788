"""Who acts on the command line (the `--as` rules of the command-line interface).

`--as USERNAME` names the app user; the password comes from `--password-file FILE` (its
first line) or `MDT_APP_PASSWORD`, never from the command line itself. Without `--as` a
write is attributed to the operating-system login and marked not authenticated, unless
the database's setting "named users on the command line" is on: then writes are refused
(reads never need a user).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from mdt_app.errors import AuthenticationError, PermissionDenied, UserError
from mdt_app.paths import ServerURL
from mdt_app.security.passwords import password_matches
from mdt_app.security.users import authenticate, get_user, sign_in
from mdt_app.store import Store

PASSWORD_ENV = "MDT_APP_PASSWORD"
NAMED_USERS_SETTING = "cli_named_users_required"


def take_passphrase(args: argparse.Namespace, db_path: Path | ServerURL) -> None:
    """Keep a --passphrase-file passphrase in memory for ``db_path`` (never on disk)."""
    path = getattr(args, "passphrase_file", None)
    if path:
        from mdt_app.security.session_keys import remember_passphrase

        remember_passphrase(db_path, read_secret_file(path, "passphrase"))


def read_secret_file(path: str | os.PathLike[str], what: str) -> str:
    """The first line of a file holding a password or passphrase (newline dropped)."""
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{path}: cannot read the {what} file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: the {what} file is not UTF-8 text") from None
    secret = text.splitlines()[0] if text else ""
    if not secret:
        raise UserError(f"{path}: the {what} file is empty")
    return secret


def cli_password(args: argparse.Namespace) -> str:
    path = getattr(args, "password_file", None)
    if path:
        return read_secret_file(path, "password")
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    raise UserError(f"--as needs a password: give --password-file FILE or set {PASSWORD_ENV}")


def sign_in_known(store: Store, username: str | None) -> None:
    """Sign in a user whose password was already checked (see check_identity_in_file)."""
    if username:
        sign_in(store, get_user(store, username))


def apply_identity(store: Store, args: argparse.Namespace) -> None:
    """Sign the --as user in on ``store``, or mark unnamed writes as refused when the
    database requires named users."""
    username = getattr(args, "as_user", None)
    if username:
        sign_in(store, authenticate(store, username, cli_password(args)))
        return
    if store.get_setting(NAMED_USERS_SETTING, False):
        store.refuse_unnamed_writes = True


def check_identity_in_file(conn: Any, args: argparse.Namespace) -> str | None:
    """Before a restore replaces anything: the --as user checked against the accounts in
    the backup itself (open DB-API connection ``conn``), or refused when the backup
    requires named users and none is given. Returns the username to record."""
    username = getattr(args, "as_user", None)
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [NAMED_USERS_SETTING])
    found = row.fetchone()
    required = bool(found and json.loads(found[0]))
    if not username:
        if required:
            raise PermissionDenied(
                "this backup requires named users on the command line: add --as USERNAME"
            )
        return None
    account = conn.execute(
        "SELECT password_hash, active, role FROM users WHERE lower(username) = lower(?)",
        [username],
    ).fetchone()
    if account is None or not password_matches(account[0], cli_password(args)):
        raise AuthenticationError("wrong username or password")
    if not account[1]:
        raise AuthenticationError(f"the account {username!r} is disabled")
    from mdt_app.security import roles

    if not roles.command_allowed("restore", account[2]):
        allowed = " or ".join(roles.COMMANDS["restore"])
        raise PermissionDenied(f"a {account[2]} cannot run `mdt-app restore`; a {allowed} can")
    return str(username)
