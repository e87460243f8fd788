"""The command line's identity and passphrase options (argparse only: imported by
`mdt-app` at start, so it must stay free of the store and its dependencies)."""

from __future__ import annotations

import argparse


def add_identity_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        default=argparse.SUPPRESS,
        help="the app user acting (password from --password-file or $MDT_APP_PASSWORD)",
    )
    parser.add_argument(
        "--password-file",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="file whose first line is the --as user's password",
    )


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="file whose first line is the encrypted database's passphrase "
        "(else $MDT_APP_PASSPHRASE)",
    )


def add_encrypted_option(parser: argparse.ArgumentParser) -> None:
    """`--encrypted` for a command that creates the database when it does not exist yet."""
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="when the database does not exist yet, create it encrypted with SQLCipher "
        "(passphrase: --passphrase-file FILE or $MDT_APP_PASSPHRASE); an existing plain "
        "database is refused (encrypt it with `mdt-app encrypt`)",
    )
