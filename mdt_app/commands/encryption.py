"""`mdt-app encrypt` (the --db database, in place) and `mdt-app decrypt -o FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mdt_app import paths
from mdt_app.commands._common import store_for
from mdt_app.errors import UserError
from mdt_app.security import session_keys
from mdt_app.security.encryption import decrypt_copy, encrypt_in_place
from mdt_app.security.private_files import make_private


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    encrypt = sub.add_parser(
        "encrypt",
        parents=[common],
        help="encrypt the database in place (SQLCipher; copy, verify, swap)",
        description="Makes an encrypted copy of the --db database with the passphrase "
        "(--passphrase-file FILE or MDT_APP_PASSPHRASE), checks it holds everything, then "
        "puts it in place of the plain file. Close the window first.",
    )
    encrypt.set_defaults(func=run_encrypt)
    decrypt = sub.add_parser(
        "decrypt",
        parents=[common],
        help="write a plain (unencrypted) copy of an encrypted database",
    )
    decrypt.add_argument("-o", "--output", required=True, metavar="FILE")
    decrypt.add_argument("--force", action="store_true", help="replace an existing FILE")
    decrypt.set_defaults(func=run_decrypt)


def _passphrase(db: Path) -> str:
    passphrase = session_keys.passphrase_for(db)
    if not passphrase:
        raise UserError("a passphrase is needed: --passphrase-file FILE or MDT_APP_PASSPHRASE")
    return passphrase


SERVER_ENCRYPTION = (
    "a team server is protected by its own means (TLS on the connection, the hospital's "
    "disk encryption); ask its administrator"
)


def run_encrypt(args: argparse.Namespace) -> int:
    db = paths.database_path(args.db, on_server=SERVER_ENCRYPTION)
    passphrase = _passphrase(db)
    with store_for(args) as store:  # migrated and identity checked, then closed
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    encrypt_in_place(db, passphrase)
    with store_for(args) as store, store.atomic():
        store.audit("encrypt_database", "database", None, {})
    print(f"{db}: encrypted")
    plain = sorted(db.parent.glob(f"{db.name}.*.bak"))
    if plain:
        print(
            f"mdt-app: warning: {len(plain)} older copies beside it are not encrypted "
            f"(e.g. {plain[0].name}); delete them or keep them somewhere safe",
            file=sys.stderr,
        )
    return 0


def run_decrypt(args: argparse.Namespace) -> int:
    db = paths.database_path(args.db, on_server=SERVER_ENCRYPTION)
    output = Path(args.output).expanduser().absolute()
    if output.exists() and not args.force:
        raise UserError(f"{output}: already exists; add --force to replace it")
    if not output.parent.is_dir():
        raise UserError(f"{output.parent}: no such folder")
    with store_for(args) as store, store.atomic():  # refused before any copy is made
        store.audit("decrypt_copy", "database", None, {"to": str(output)})
        decrypt_copy(db, _passphrase(db), output)
    make_private(output)
    print(f"Plain copy written: {output} (it is not encrypted: keep it safe)")
    return 0
