"""PostgreSQL's side of `store.dialect`: how writers queue, id lists, errors in one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from mdt_app import errors
from mdt_app.errors import StoreError

# Every write transaction takes this advisory lock first: writers queue one behind the
# other exactly as SQLite's BEGIN IMMEDIATE makes them, so a version check and the
# write after it, and the audit chain's "last entry, then the next", never interleave.
WRITE_LOCK = 0x4D445431  # "MDT1"


class PostgresDialect:
    """PostgreSQL through psycopg 3."""

    name = "postgresql"
    like = "ILIKE"

    def begin_write(self, db: Any, timeout: float) -> None:
        """``BEGIN``, a lock wait of at most ``timeout``, then the writers' lock."""
        db.execute("BEGIN")
        db.execute(f"SET LOCAL lock_timeout = '{max(1, int(timeout * 1000))}ms'")
        db.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    def id_list(self) -> str:
        """Ids from a JSON array parameter."""
        return "IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(? AS jsonb)))"

    def insert(self, db: Any, table: str, row: dict[str, Any]) -> int | None:
        """Through the connection's table adapter (``INSERT ... RETURNING id``)."""
        return db.table(table).insert(row).last_pk

    def insert_many(self, db: Any, table: str, rows: list[dict[str, Any]]) -> None:
        """Through the table adapter, a row at a time (as before on the server)."""
        for row in rows:
            db.table(table).insert(row)

    @contextmanager
    def bulk_cache(self, db: Any, kib: int) -> Iterator[None]:
        """Nothing to set: the server sizes its own shared buffers."""
        yield

    def store_error(self, where: object, exc: BaseException, timeout: float) -> StoreError | None:
        """psycopg's errors in the store's words."""
        if not isinstance(exc, psycopg.Error):
            return None
        text = message(exc)
        unavailable = getattr(errors, "DatabaseUnavailable", StoreError)
        if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
            # As a file's lock held past the wait: not reachable now, maybe later.
            return unavailable(
                f"{where}: the database is busy with another user's change (still busy after "
                f"waiting {timeout:g} s); nothing was changed - try again in a moment"
            )
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            return StoreError(f"{where}: refused by the server: {text}")
        if isinstance(exc, psycopg.IntegrityError):
            return StoreError(f"refused by the database: {text}")
        if isinstance(exc, psycopg.OperationalError):
            # DatabaseUnavailable: the window then keeps the typing on this computer.
            found: StoreError = unavailable(f"{where}: the server cannot be reached ({text})")
            return found
        return StoreError(f"{where}: database error: {text}")


def message(exc: psycopg.Error) -> str:
    """The server's primary message (no CONTEXT lines), else the driver's text."""
    diag = getattr(exc, "diag", None)
    primary = diag.message_primary if diag is not None else None
    if primary:
        return str(primary)
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


POSTGRES = PostgresDialect()
