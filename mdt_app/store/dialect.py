"""The few places where SQLite and PostgreSQL speak differently, behind one small object.

The repositories write portable SQL with ``?`` placeholders; the PostgreSQL connection
(`store.pg.connection`) translates the placeholders. What cannot be written the same
way in both is asked of the store's dialect: how a write transaction begins (SQLite's
``BEGIN IMMEDIATE``; PostgreSQL's ``BEGIN`` plus one advisory lock, so writers queue
exactly as they do on a file), a list of ids passed as one JSON parameter, a
case-insensitive LIKE, and what a driver error means in one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from mdt_app.errors import StoreError


class Dialect(Protocol):
    """What the store's core asks of its backend."""

    name: str
    like: str  # case-insensitive LIKE for ASCII text

    def begin_write(self, db: Any, timeout: float) -> None:
        """Begin the outermost write transaction, waiting up to ``timeout`` for others."""

    def id_list(self) -> str:
        """``IN (...)`` over one parameter holding a JSON array of integers."""

    def store_error(self, where: object, exc: BaseException, timeout: float) -> StoreError | None:
        """The one-line StoreError for a driver error (None: not a database error)."""

    def insert(self, db: Any, table: str, row: dict[str, Any]) -> int | None:
        """Insert one row; its id (None for a table without one)."""

    def insert_many(self, db: Any, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows that share their columns."""

    def bulk_cache(self, db: Any, kib: int) -> AbstractContextManager[None]:
        """A page cache of ``kib`` for a bulk build, put back after (where the client sets it)."""


class SQLiteDialect:
    """SQLite through sqlite-utils (the single-file app)."""

    name = "sqlite"
    like = "LIKE"

    def begin_write(self, db: Any, timeout: float) -> None:
        """``BEGIN IMMEDIATE``: the write lock before the first read (busy timeout waits)."""
        db.execute("BEGIN IMMEDIATE")

    def id_list(self) -> str:
        """Ids from ``json_each``."""
        return "IN (SELECT value FROM json_each(?))"

    def insert(self, db: Any, table: str, row: dict[str, Any]) -> int | None:
        """One prepared INSERT (sqlite-utils re-reads the table's schema on every insert)."""
        from mdt_app.store.row_writer import insert_row

        return insert_row(db.conn, table, row)

    def insert_many(self, db: Any, table: str, rows: list[dict[str, Any]]) -> None:
        """One prepared INSERT for all the rows (``executemany``)."""
        from mdt_app.store.row_writer import insert_rows

        insert_rows(db.conn, table, rows)

    @contextmanager
    def bulk_cache(self, db: Any, kib: int) -> Iterator[None]:
        """``PRAGMA cache_size`` raised for the build, then set back to what it was."""
        before = db.execute("PRAGMA cache_size").fetchone()[0]
        db.execute(f"PRAGMA cache_size = -{int(kib)}")
        try:
            yield
        finally:
            db.execute(f"PRAGMA cache_size = {int(before)}")

    def store_error(self, where: object, exc: BaseException, timeout: float) -> StoreError | None:
        """SQLite's errors as the store has always worded them."""
        from mdt_app.store.base import _database_error_message, _operational_error

        path = Path(str(where))
        if isinstance(exc, sqlite3.IntegrityError):
            return StoreError(f"refused by the database: {exc}")
        if isinstance(exc, sqlite3.OperationalError):  # DatabaseUnavailable if it may pass
            return _operational_error(path, exc, timeout)
        if isinstance(exc, sqlite3.DatabaseError):
            return StoreError(_database_error_message(path, exc))
        return None


SQLITE = SQLiteDialect()
