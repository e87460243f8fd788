"""Helpers shared by the commands: opening the store, printing tables."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mdt_app import paths
from mdt_app.errors import PermissionDenied, UserError
from mdt_app.security import roles
from mdt_app.security.cli_identity import apply_identity
from mdt_app.store import Store, open_store


def store_for(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store named by --db / $MDT_APP_DB / the default; reading commands never create.
    The --as user is signed in on it (see mdt_app.security.cli_identity)."""
    location = paths.database_location(args.db)
    encrypted = create and getattr(args, "encrypted", False)
    if encrypted:
        if isinstance(location, paths.ServerURL):
            raise UserError("--encrypted is for database files; a team server has its own")
        refuse_plain_existing(location)
    store = open_store(location, create=create, encrypted=encrypted)
    try:
        apply_identity(store, args)
        _check_role(store, args)
    except BaseException:
        store.close()
        raise
    return store


def made_yet(location: Path | paths.ServerURL) -> bool:
    """Whether the database exists yet: a file that is there, or a server database that
    holds the schema (a refused command must not create either)."""
    if isinstance(location, paths.ServerURL):
        from mdt_app.store.pg.open import has_schema

        return has_schema(location)
    return location.exists()


def command_name(args: argparse.Namespace) -> str:
    """The command's words as `roles.COMMANDS` names them ("meeting create", "centre set")."""
    command = getattr(args, "command", None) or ""
    action = getattr(args, f"{command.replace('-', '_')}_command", None)
    if command == "centre" and any(
        getattr(args, key, None) is not None for key in _CENTRE_SETTINGS
    ):
        return "centre set"
    return f"{command} {action}" if action else command


_CENTRE_SETTINGS = ("name", "address", "phone", "phone_24h", "email", "country", "emergency_number")


def _check_role(store: Store, args: argparse.Namespace) -> None:
    """A signed-in --as user runs only what their role is given (security/roles.py)."""
    role = store.role if store.authenticated else None
    name = command_name(args)
    if not roles.command_allowed(name, role):
        allowed = " or ".join(roles.COMMANDS.get(name, ("chair",)))
        raise PermissionDenied(f"a {role} cannot run `mdt-app {name}`; a {allowed} can")


def refuse_plain_existing(path: Path) -> None:
    """--encrypted asks for an encrypted database: an existing plain one is not silently
    used instead (nothing is opened or changed)."""
    from mdt_app.security.encryption import looks_encrypted

    if path.exists() and path.stat().st_size > 0 and not looks_encrypted(path):
        raise UserError(
            f"{path}: --encrypted, but this database already exists and is not encrypted; "
            "encrypt it with `mdt-app encrypt`, or leave out --encrypted"
        )


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list of objects")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    # Tabs and newlines would break the one-row-per-line, tab-separated form.
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def print_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], as_json: bool) -> None:
    """Header line then one tab-separated row per line, or the same as a JSON list."""
    if as_json:
        json.dump(
            [{c: r.get(c) for c in columns} for r in rows],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
            default=str,
        )
        sys.stdout.write("\n")
        return
    print("\t".join(columns))
    for r in rows:
        print("\t".join(_cell(r.get(c)) for c in columns))
