"""Encryption at rest: SQLCipher (through the sqlcipher3 package) under sqlite-utils.

An encrypted database, its WAL and its backups are AES-256 encrypted page by page with a
key derived from the passphrase (SQLCipher 4 defaults: PBKDF2-HMAC-SHA512, 256 000
iterations). The passphrase is only ever in memory; it is never written to disk or
the log.

sqlcipher3 raises its own exception classes; `CipherConnection` hands sqlite-utils and
the store a connection whose errors are the standard library's sqlite3 ones, so every
`except sqlite3....` in the code works for encrypted files too.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from mdt_app.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"


class WrongPassphrase(StoreError):
    """The passphrase does not open the file (or the file is not a database at all)."""


def _translate(exc: Exception) -> Exception:
    """The standard sqlite3 exception matching a sqlcipher3 one (same message)."""
    kind = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)
    if not (isinstance(kind, type) and issubclass(kind, sqlite3.Error)):
        kind = sqlite3.DatabaseError
    translated = kind(*exc.args)
    return translated


def _cipher_errors() -> tuple[type[BaseException], ...]:
    import sqlcipher3

    return (sqlcipher3.Error,)


class CipherCursor:
    def __init__(self, cursor: Any):
        self._cursor = cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __iter__(self) -> Any:
        try:
            yield from self._cursor
        except _cipher_errors() as exc:
            raise _translate(exc) from exc  # type: ignore[arg-type]

    def _call(self, name: str, *args: Any) -> Any:
        try:
            result = getattr(self._cursor, name)(*args)
        except _cipher_errors() as exc:
            raise _translate(exc) from exc  # type: ignore[arg-type]
        return self if result is self._cursor else result

    def execute(self, *args: Any) -> Any:
        return self._call("execute", *args)

    def executemany(self, *args: Any) -> Any:
        return self._call("executemany", *args)

    def fetchone(self) -> Any:
        return self._call("fetchone")

    def fetchall(self) -> Any:
        return self._call("fetchall")

    def fetchmany(self, *args: Any) -> Any:
        return self._call("fetchmany", *args)


class CipherConnection:
    """A sqlcipher3 connection that raises sqlite3's exceptions (``raw``: the real one,
    for the backup API)."""

    def __init__(self, raw: Any):
        self.raw = raw

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            result = getattr(self.raw, name)(*args, **kwargs)
        except _cipher_errors() as exc:
            raise _translate(exc) from exc  # type: ignore[arg-type]
        return CipherCursor(result) if name.startswith(("execute", "cursor")) else result

    def execute(self, *args: Any) -> Any:
        return self._call("execute", *args)

    def executemany(self, *args: Any) -> Any:
        return self._call("executemany", *args)

    def executescript(self, *args: Any) -> Any:
        return self._call("executescript", *args)

    def cursor(self, *args: Any) -> Any:
        return self._call("cursor", *args)

    def commit(self) -> None:
        self._call("commit")

    def rollback(self) -> None:
        self._call("rollback")

    def backup(self, target: Any, **kwargs: Any) -> None:
        self._call("backup", getattr(target, "raw", target), **kwargs)

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> CipherConnection:
        self.raw.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self.raw.__exit__(*exc)


def _quoted(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect_encrypted(
    path: Path, passphrase: str, *, timeout: float = 5.0, uri: str | None = None
) -> CipherConnection:
    """Open (or create) the encrypted database at ``path`` (``uri``: the store's
    mode=rw/rwc URI; autocommit, transactions begun explicitly like the plain ones);
    WrongPassphrase when the passphrase does not open an existing file. Nothing is
    written by a failed open."""
    import sqlcipher3

    if not passphrase:
        raise StoreError(f"{path}: an empty passphrase cannot encrypt a database")
    if uri:
        raw = sqlcipher3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    else:
        raw = sqlcipher3.connect(str(path), timeout=timeout)
    try:
        with contextlib.suppress(sqlcipher3.Error):  # no "hmac check failed" on stderr
            raw.execute("PRAGMA cipher_log_level = NONE")
        raw.execute(f"PRAGMA key = {_quoted(passphrase)}")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        raw.close()
        raise WrongPassphrase(
            f"{path}: wrong passphrase (or not an MDT Assistant database); nothing was changed"
        ) from None
    return CipherConnection(raw)


def looks_encrypted(path: Path) -> bool:
    """A file that is not plain SQLite but is shaped like a database (whole pages of at
    least 512 bytes): encrypted, or some other binary file. Short or odd-sized files
    are left for the plain SQLite check to refuse."""
    try:
        size = path.stat().st_size if path.is_file() else 0
        if size < 1024 or size % 512:
            return False
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER
    except OSError:
        return False


def connector(passphrase: str | None) -> Any:
    """A function opening another file the same way (plain, or with this passphrase)."""
    if passphrase:
        return lambda path: connect_encrypted(Path(path), passphrase)
    return lambda path: sqlite3.connect(str(path))


def export_database(
    source: Path, source_passphrase: str | None, target: Path, target_passphrase: str | None
) -> None:
    """Write a whole copy of ``source`` to the new file ``target`` with other encryption
    (sqlcipher_export: schema, data, user_version; the application id set after)."""
    import sqlcipher3

    from mdt_app.security.private_files import create_private, make_private
    from mdt_app.store import schema

    create_private(target)
    raw = sqlcipher3.connect(str(source))
    try:
        with contextlib.suppress(sqlcipher3.Error):
            raw.execute("PRAGMA cipher_log_level = NONE")
        if source_passphrase:
            raw.execute(f"PRAGMA key = {_quoted(source_passphrase)}")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        key = _quoted(target_passphrase or "")
        raw.execute(f"ATTACH DATABASE {_quoted(str(target))} AS exported KEY {key}")
        raw.execute("SELECT sqlcipher_export('exported')")
        raw.execute(f"PRAGMA exported.application_id = {schema.APPLICATION_ID}")
        raw.execute("PRAGMA exported.journal_mode = WAL")
        raw.execute("DETACH DATABASE exported")
    except sqlcipher3.Error as exc:
        raise StoreError(f"{source}: cannot be copied ({exc})") from None
    finally:
        raw.close()
    make_private(target)
    for suffix in ("-wal", "-shm"):
        make_private(target.with_name(target.name + suffix))


def remove_side_files(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path.with_name(path.name + suffix))


def _state(conn: Any) -> tuple:
    """What must be the same in a copy: the audit head and every table's size."""
    c = conn.cursor() if hasattr(conn, "cursor") else conn
    head = tuple(c.execute("SELECT max(id), count(*), max(entry_hash) FROM audit_log").fetchone())
    tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    sizes = tuple(
        (t, c.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]) for t in sorted(tables)
    )
    return head, sizes


def _check_copy(source: Any, copy: Any, where: Path) -> None:
    result = [r[0] for r in copy.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise StoreError(f"{where}: the new copy failed SQLite's check ({result[0]}); unchanged")
    if _state(copy) != _state(source):
        raise StoreError(f"{where}: the new copy does not hold what the database holds; unchanged")


def encrypt_in_place(path: Path, passphrase: str) -> None:
    """Turn the plain database at ``path`` into an encrypted one: copy, verify, swap. The
    plain original stays until the encrypted copy has been checked."""
    if looks_encrypted(path):
        raise StoreError(f"{path}: is already encrypted (or not a database)")
    if not path.is_file():
        raise StoreError(f"{path}: no such database")
    tmp = path.with_name(f".{path.name}.encrypting.part")
    remove_side_files(tmp)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        export_database(path, None, tmp, passphrase)
        with (
            contextlib.closing(sqlite3.connect(str(path))) as plain,
            contextlib.closing(connect_encrypted(tmp, passphrase)) as encrypted,
        ):
            _check_copy(plain, encrypted, path)
        with contextlib.closing(sqlite3.connect(str(path))) as plain:
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        remove_side_files(path)  # a plain WAL must never be replayed into the new file
        remove_side_files(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        remove_side_files(tmp)


def decrypt_copy(path: Path, passphrase: str, output: Path) -> None:
    """Write a plain, checked copy of the encrypted database at ``path`` to ``output``."""
    if not looks_encrypted(path):
        raise StoreError(f"{path}: is not encrypted; copy it with 'mdt-app backup'")
    with contextlib.closing(connect_encrypted(path, passphrase)):
        pass  # a wrong passphrase stops here, before anything is written
    tmp = output.with_name(f".{output.name}.decrypting.part")
    try:
        export_database(path, passphrase, tmp, None)
        with (
            contextlib.closing(connect_encrypted(path, passphrase)) as encrypted,
            contextlib.closing(sqlite3.connect(str(tmp))) as plain,
        ):
            _check_copy(encrypted, plain, output)
        remove_side_files(tmp)
        os.replace(tmp, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        remove_side_files(tmp)
