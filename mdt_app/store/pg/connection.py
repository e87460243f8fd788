"""The part of sqlite-utils' `Database` the store uses, over one psycopg 3 connection.

Repositories write ``?`` placeholders (SQLite's); they become ``%s`` here, outside
quoted text, and a literal ``%`` is doubled. Python booleans are stored as 0/1, as in
the SQLite file, so every row reads back with the same values on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import pq


@lru_cache(maxsize=2048)
def translate(sql: str, named: bool = False) -> str:
    """SQLite-style SQL with ``?`` placeholders as psycopg wants it (``%s``); with
    ``named`` (a dict of parameters), SQLite's ``:name`` becomes ``%(name)s`` (a cast's
    ``::`` is left alone)."""
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(sql):
        ch = sql[i]
        i += 1
        if quote:
            if ch == quote:
                quote = None
            out.append("%%" if ch == "%" else ch)
            continue
        if ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        elif ch == ":" and named and _starts_name(sql, i) and sql[i - 2 : i - 1] != ":":
            end = i
            while end < len(sql) and (sql[end].isalnum() or sql[end] == "_"):
                end += 1
            out.append(f"%({sql[i:end]})s")
            i = end
        else:
            out.append(ch)
    return "".join(out)


def _starts_name(sql: str, at: int) -> bool:
    return at < len(sql) and (sql[at].isalpha() or sql[at] == "_")


def _params(params: Any) -> Any:
    if params is None:
        return None
    if isinstance(params, dict):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return [int(v) if isinstance(v, bool) else v for v in params]


class PgCursor:
    """A psycopg cursor read the way the store reads sqlite3 cursors."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def description(self) -> list[tuple[str]] | None:
        """Column names, as ``(name,)`` tuples (DB-API's first field)."""
        if self._cursor.description is None:
            return None
        return [(c.name,) for c in self._cursor.description]

    @property
    def rowcount(self) -> int:
        """Rows the statement changed."""
        return self._cursor.rowcount

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every remaining row."""
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.fetchall())


class PgConnection:
    """One autocommit psycopg connection: transactions are begun explicitly."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        """True inside BEGIN ... COMMIT (as sqlite3's attribute of that name)."""
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        """Run one statement (``?`` placeholders)."""
        cursor = self.raw.cursor()
        # Always with a parameter list, so that psycopg reads every "%%" back as "%".
        cursor.execute(translate(sql, isinstance(params, dict)), _params(params) or [])
        return PgCursor(cursor)

    def executemany(self, sql: str, rows: Sequence[Any]) -> None:
        """Run one statement for each parameter row."""
        with self.raw.cursor() as cursor:
            named = bool(rows) and isinstance(rows[0], dict)
            cursor.executemany(translate(sql, named), [_params(r) for r in rows])

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


class PgTable:
    """``db.table(name)``: insert returning the new id, update by id."""

    def __init__(self, db: PgDatabase, name: str) -> None:
        self.db = db
        self.name = name
        self.last_pk: int | None = None

    def insert(self, row: dict[str, Any]) -> PgTable:
        """Insert one row; ``last_pk`` is its id (None for a table without one)."""
        columns = list(row)
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        returning = " RETURNING id" if self.name in self.db.tables_with_id() else ""
        cursor = self.db.execute(
            f"INSERT INTO {self.name} ({names}) VALUES ({marks}){returning}",
            [row[c] for c in columns],
        )
        found = cursor.fetchone() if returning else None
        self.last_pk = int(found[0]) if found else None
        return self

    def update(self, pk: int, values: dict[str, Any]) -> PgTable:
        """Set ``values`` on the row with this id."""
        if values:
            sets = ", ".join(f'"{c}" = ?' for c in values)
            self.db.execute(f"UPDATE {self.name} SET {sets} WHERE id = ?", [*values.values(), pk])
        return self


class PgDatabase:
    """What the store calls on its ``db``: execute, query, table, atomic, close."""

    backend = "postgresql"

    def __init__(
        self, raw: psycopg.Connection[Any], *, release: Any = None, reopen: Any = None
    ) -> None:
        self.conn = PgConnection(raw)
        self._release = release  # gives the connection back to its pool
        self._reopen = reopen  # a new connection from the same pool
        self._with_id: set[str] | None = None
        self._savepoints = 0

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        """Run one statement (``?`` placeholders)."""
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        """Rows as dicts."""
        cursor = self.execute(sql, params)
        names = [c[0] for c in cursor.description or ()]
        for row in cursor.fetchall():
            yield dict(zip(names, row, strict=True))

    def table(self, name: str) -> PgTable:
        """One table, for insert and update."""
        return PgTable(self, name)

    def table_names(self) -> list[str]:
        """The tables of the current schema."""
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def tables_with_id(self) -> set[str]:
        """Tables whose key is an ``id`` column (an insert returns it)."""
        if self._with_id is None:
            rows = self.execute(
                "SELECT table_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND column_name = 'id'"
            ).fetchall()
            self._with_id = {r[0] for r in rows}
        return self._with_id

    @contextmanager
    def atomic(self) -> Iterator[PgDatabase]:
        """A savepoint inside the current transaction (or a transaction of its own)."""
        if not self.conn.in_transaction:
            self.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.execute("ROLLBACK")
                raise
            self.execute("COMMIT")
            return
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            self.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.execute(f"RELEASE SAVEPOINT {name}")
            raise
        finally:
            self._savepoints -= 1
        self.execute(f"RELEASE SAVEPOINT {name}")

    def reconnect(self) -> None:
        """Replace a connection the server dropped (outage over) with a new one."""
        old = self.conn.raw
        if self._reopen is None:
            raise psycopg.OperationalError("this connection cannot be reopened")
        new = self._reopen()
        if self._release is not None:
            self._release(old)  # the pool discards a broken connection
        self.conn = PgConnection(new)

    def close(self) -> None:
        """Roll back anything left open and give the connection back (or close it)."""
        raw = self.conn.raw
        if not raw.closed and self.conn.in_transaction:
            with suppress(psycopg.Error):
                raw.execute("ROLLBACK")
        if self._release is not None:
            self._release(raw)
            self._release = None
        elif not raw.closed:
            raw.close()
