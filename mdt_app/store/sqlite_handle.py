"""The store's SQLite connection: plain sqlite3 for what every open and every screen
does, sqlite-utils' `Database` made on first use for the rest.

Importing sqlite-utils costs about 80 ms (it brings click, dateutil and pluggy): more
than anything else the window does before its first paint, and a sixth of an import
of a thousand files. Opening the store, reading the meeting and writing rows need only
statements on the connection, tables listed and savepoints, which are here with
exactly sqlite-utils' behaviour; anything else (a migration's `table(...)`, `query`,
`enable_wal`) is handed to the `Database`, loaded then.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

_savepoints = itertools.count(1)


class SQLiteDatabase:
    """A sqlite3 connection with the part of sqlite-utils' `Database` the store uses
    most; any other attribute is the `Database`'s (made on first use)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._database: Database | None = None
        # What sqlite-utils' Database turns on for every connection it wraps: a trigger's
        # own writes fire the triggers on them too (the audit and integrity rules).
        conn.execute("PRAGMA recursive_triggers=on;")

    @property
    def database(self) -> Database:
        """sqlite-utils' Database on this connection (imported on first use)."""
        if self._database is None:
            from sqlite_utils import Database

            # Plugins off: finding them scans every installed package on each start,
            # and none may add code to a connection holding patient data.
            self._database = Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._database

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        """One statement on the connection (as `Database.execute`)."""
        if parameters is not None:
            return self.conn.execute(sql, parameters)
        return self.conn.execute(sql)

    def table_names(self) -> list[str]:
        """The database's tables (as `Database.table_names()`)."""
        rows = self.conn.execute("select name from sqlite_master where type = 'table'")
        return [r[0] for r in rows.fetchall()]

    @property
    def journal_mode(self) -> str:
        return str(self.conn.execute("PRAGMA journal_mode;").fetchone()[0])

    @contextmanager
    def atomic(self) -> Iterator[SQLiteDatabase]:
        """A transaction, or a savepoint inside one (as `Database.atomic()`)."""
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            try:
                yield self
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:  # an error may have ended it already
                    self.conn.execute("ROLLBACK")
                raise
            return
        savepoint = f"mdt_{next(_savepoints)}"
        self.conn.execute(f"SAVEPOINT {savepoint};")
        try:
            yield self
        except BaseException:
            # A RAISE(ROLLBACK) trigger ends the whole transaction, savepoints included:
            # cleaning up then would hide the real error behind "no such savepoint".
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint};")
            raise
        self.conn.execute(f"RELEASE SAVEPOINT {savepoint};")

    def close(self) -> None:
        self.conn.close()

    def __getitem__(self, name: str) -> Any:
        return self.database[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # never the Database's internals (nor during set-up)
            raise AttributeError(name)
        return getattr(self.database, name)


def as_database(db: Any) -> Database:
    """sqlite-utils' Database for ``db`` (a SQLiteDatabase, or already one)."""
    return db.database if isinstance(db, SQLiteDatabase) else db
