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
from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

_savepoints = itertools.count(1)

# sqlite-utils' Column (what `table.columns` lists), field for field.
Column = namedtuple("Column", ("cid", "name", "type", "notnull", "default_value", "is_pk"))


class SQLiteTable:
    """``db.table(name)``: its columns here; anything else is sqlite-utils' Table."""

    def __init__(self, db: SQLiteDatabase, name: str) -> None:
        self.db = db
        self.name = name

    @property
    def columns(self) -> list[Any]:
        """The table's columns (as `Table.columns`: none for a table that is not there)."""
        if self.name not in self.db.table_names():
            return []
        quoted = '"' + self.name.replace('"', '""') + '"'
        return [Column(*row) for row in self.db.execute(f"PRAGMA table_info({quoted})")]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.db.database.table(self.name), name)


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

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        """The rows of a read as dictionaries (as `Database.query`); any other statement
        goes to sqlite-utils, whose guard refuses statements that return no rows."""
        if not sql.lstrip()[:6].upper().startswith(("SELECT", "WITH")):
            return iter(self.database.query(sql, params))
        cursor = self.execute(sql, params if params is not None else ())
        names = [c[0] for c in cursor.description or ()]
        return (dict(zip(names, row, strict=True)) for row in cursor)

    def table(self, name: str) -> SQLiteTable:
        return SQLiteTable(self, name)

    def enable_wal(self) -> None:
        """WAL journal mode (as `Database.enable_wal`: outside a transaction)."""
        if self.journal_mode == "wal":
            return
        if self.conn.in_transaction:  # sqlite-utils refuses it, with its own error
            self.database.enable_wal()
        self.conn.execute("PRAGMA journal_mode=wal;")

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

    def __getitem__(self, name: str) -> SQLiteTable:
        return SQLiteTable(self, name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # never the Database's internals (nor during set-up)
            raise AttributeError(name)
        return getattr(self.database, name)


def as_database(db: Any) -> Database:
    """sqlite-utils' Database for ``db`` (a SQLiteDatabase, or already one)."""
    return db.database if isinstance(db, SQLiteDatabase) else db
