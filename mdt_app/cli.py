"""`mdt-app`: the command line (the README's command table is its reference).

Each command lives in `mdt_app/commands/<name>.py` with `register(subparsers, common)`.
User errors raise UserError: one line on stderr, non-zero exit, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from mdt_app import __version__
from mdt_app.errors import UserError
from mdt_app.security.cli_options import add_identity_options, add_passphrase_option

# Each command and the module under mdt_app.commands that registers it, in the order
# `--help` lists them. Only the module of the command asked for is imported, so that a
# command pays for nothing it does not use (reportlab alone costs 80 ms).
COMMANDS = {
    "meetings": "meetings",
    "meeting": "meeting",
    "cases": "cases",
    "search": "search",
    "import": "import_cases",
    "demo": "demo",
    "recommend": "recommend",
    "guideline": "guideline",
    "care-programme": "care_programme",
    "centre": "centre",
    "minutes": "minutes",
    "refer": "refer",
    "notes": "notes",
    "verify": "verify",
    "backup": "backup",
    "restore": "backup",
    "user": "user",
    "encrypt": "encryption",
    "decrypt": "encryption",
    "server": "server",
    "migrate-db": "migrate_db",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size()` gives it ($COLUMNS, else the
    terminal of stdout, else 80), without importing shutil and the compression modules
    it loads (a few ms of every start: argparse asks on every `add_argument`)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, as wide as the terminal (see `terminal_columns`)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(
            prog,
            indent_increment,
            max_help_position,
            terminal_columns() - 2 if width is None else width,
        )


class ArgumentParser(argparse.ArgumentParser):
    """The parser of `mdt-app` and of each command (its subparsers are of this class
    too): argparse's, with `HelpFormatter` unless another is asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def _common() -> argparse.ArgumentParser:
    common = ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file or postgresql:// URL of a team server (default: $MDT_APP_DB, "
        "else the user data directory)",
    )
    add_identity_options(common)
    add_passphrase_option(common)
    return common


def _requested_command(argv: Sequence[str], common: argparse.ArgumentParser) -> str | None:
    """The command word in ``argv`` (skipping global options and their values), if any."""
    takes_value = {
        flag for action in common._actions if action.nargs != 0 for flag in action.option_strings
    }
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word.startswith("-"):
            if word in takes_value:
                next(words, None)
            continue
        return word
    return None


def _modules_for(argv: Sequence[str] | None, common: argparse.ArgumentParser) -> tuple[str, ...]:
    if argv is None:
        return COMMAND_MODULES
    word = _requested_command(argv, common)
    if word in COMMANDS:
        return (COMMANDS[word],)
    if word is None and not {"-h", "--help"} & set(argv):
        return ()  # the window or --version: no command module is needed
    return COMMAND_MODULES  # top-level help, or an unknown word argparse lists choices for


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv``, only the command it names is registered."""
    common = _common()
    parser = ArgumentParser(
        prog="mdt-app",
        description="MDT Assistant: anaplastic thyroid cancer MDT meetings. "
        "Without a command, opens the desktop app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"mdt-app {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the demo database (in the user data directory, never $MDT_APP_DB): "
        "without a command, open the desktop app on it (created and seeded if absent)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _modules_for(argv, common):
        importlib.import_module(f"mdt_app.commands.{name}").register(sub, common)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    open_window: Callable[[argparse.Namespace], int] | None = None,
) -> int:
    """Run `mdt-app ARGV`. Without a command the desktop app opens through
    ``open_window``, which the window's own entry point (`ui.launch`) gives: the core
    never imports the window."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None)
    if args.demo and args.command and not args.db:
        from mdt_app import paths

        args.db = str(paths.demo_database_path())  # `mdt-app --demo cases` and the like
    old_umask = os.umask(0o077)  # whatever a command creates is owner-only (patient data)
    try:
        _take_passphrase(args)
        if args.command is None:
            if open_window is None:
                raise UserError(
                    "no command given: `mdt-app` (or `python -m ui.launch`) opens the "
                    "desktop app; `mdt-app --help` lists the commands"
                )
            return open_window(args)
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"mdt-app: error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mdt-app: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        os.umask(old_umask)
        _forget_passphrase(args)


def _take_passphrase(args: argparse.Namespace) -> None:
    if getattr(args, "passphrase_file", None):
        from mdt_app import paths
        from mdt_app.security.cli_identity import take_passphrase

        take_passphrase(args, paths.database_location(args.db))


def _forget_passphrase(args: argparse.Namespace) -> None:
    """The passphrase lives only as long as the command (matters when called in-process).

    Runs in main's ``finally``: it must not raise (a server URL is not refused here;
    the command itself said so in one line)."""
    if getattr(args, "passphrase_file", None):
        from mdt_app import paths
        from mdt_app.security import session_keys

        session_keys.forget(paths.database_location(args.db))


def one_line(message: str) -> str:
    """A message as one printable line: no line breaks, no unprintable surrogates."""
    text = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return " ".join(text.split())
