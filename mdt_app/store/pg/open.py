"""Opening a store on a PostgreSQL server: a pooled connection, the identity check, the
schema's migrations (each in one transaction, recorded in ``mdt_schema_migrations``).

A Store borrows one connection from the URL's pool for as long as it is open (a Store
belongs to one thread, as on SQLite) and gives it back on close.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from mdt_app.errors import StoreError
from mdt_app.paths import ServerURL
from mdt_app.store.base import now
from mdt_app.store.pg import schema
from mdt_app.store.pg.connection import PgDatabase
from mdt_app.store.pg.dialect import POSTGRES, WRITE_LOCK, message

POOL_MAX = 8  # connections one program keeps to one server (window, feed, workers)
POOL_ENV = "MDT_APP_POOL_SIZE"  # more for a program that holds many stores open at once


def pool_size() -> int:
    """$MDT_APP_POOL_SIZE (1-100), else POOL_MAX."""
    raw = os.environ.get(POOL_ENV, "").strip()
    if raw.isdigit() and 1 <= int(raw) <= 100:
        return int(raw)
    return POOL_MAX


CONNECT_TIMEOUT = 10  # seconds
CORE_TABLES = ("patients", "cases", "meetings", "agenda_items", "decisions", "audit_log")

_pools: dict[str, ConnectionPool[Any]] = {}
_pools_lock = threading.Lock()


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.autocommit = True  # transactions are begun explicitly (StoreCore.atomic)


def pool_for(url: ServerURL) -> ConnectionPool[Any]:
    """The small connection pool of this URL (made on first use)."""
    with _pools_lock:
        pool = _pools.get(url.url)
        if pool is None:
            pool = ConnectionPool(
                url.url,
                min_size=0,
                max_size=pool_size(),
                reconnect_timeout=CONNECT_TIMEOUT,
                kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
                configure=_configure,
                check=ConnectionPool.check_connection,
                open=True,
                name=f"mdt-{url.name}",
            )
            _pools[url.url] = pool
        return pool


def close_pools() -> None:
    """Close every pool (at exit, and between tests that stop their server)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


def close_pool(url: ServerURL) -> None:
    """Close the pool of one URL (its database is about to be dropped or renamed)."""
    with _pools_lock:
        pool = _pools.pop(url.url, None)
    if pool is not None:
        pool.close()


def connect(url: ServerURL, timeout: float = CONNECT_TIMEOUT) -> PgDatabase:
    """One pooled connection wrapped for the store; StoreError if the server says no."""
    with _pools_lock:
        known = url.url in _pools
    if not known:  # first use: a wrong address or password is told at once, not after a wait
        try:
            psycopg.connect(url.url, connect_timeout=CONNECT_TIMEOUT).close()
        except psycopg.Error as exc:
            raise StoreError(f"{url}: cannot connect to the server ({message(exc)})") from None
    pool = pool_for(url)
    try:
        raw = pool.getconn(timeout=timeout)
    except PoolTimeout:
        # The pool only says it waited: one direct attempt names the server's reason.
        try:
            psycopg.connect(url.url, connect_timeout=CONNECT_TIMEOUT).close()
            why = "no free connection in time"
        except psycopg.Error as direct:
            why = message(direct)
        raise StoreError(f"{url}: cannot connect to the server ({why})") from None
    except psycopg.Error as exc:
        raise StoreError(f"{url}: cannot connect to the server ({message(exc)})") from None
    return PgDatabase(raw, release=pool.putconn, reopen=lambda: pool.getconn(timeout=timeout))


def connect_direct(url: ServerURL) -> PgDatabase:
    """A connection outside the pool (server administration: roles, init)."""
    try:
        raw = psycopg.connect(url.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise StoreError(f"{url}: cannot connect to the server ({message(exc)})") from None
    return PgDatabase(raw)


def has_schema(url: ServerURL) -> bool:
    """True when the database at ``url`` already holds MDT Assistant's schema (an empty
    database is a team database not made yet: as a file not there yet)."""
    db = connect_direct(url)
    try:
        return "mdt_schema_migrations" in db.table_names()
    finally:
        db.close()


def applied(db: PgDatabase) -> set[str]:
    """Names of the migrations this database has."""
    if "mdt_schema_migrations" not in db.table_names():
        return set()
    return {r[0] for r in db.execute("SELECT name FROM mdt_schema_migrations").fetchall()}


def verify_identity(db: PgDatabase, url: ServerURL) -> list[str]:
    """Refuse a database of another program or of a newer MDT Assistant."""
    tables = db.table_names()
    if not tables:
        return tables
    if "mdt_schema_migrations" not in tables:
        raise StoreError(
            f"{url}: holds tables of another program, not an MDT Assistant database; "
            "use an empty database"
        )
    done = applied(db)
    known = {m.name for m in schema.MIGRATIONS}
    newer = sorted(done - known)
    if newer:
        raise StoreError(
            f"{url}: was written by a newer MDT Assistant (schema {newer[-1]}); "
            "update this program before opening it"
        )
    missing = [t for t in CORE_TABLES if t not in tables]
    if done and missing:
        raise StoreError(
            f"{url}: is marked as an MDT Assistant database but has no {missing[0]} table"
        )
    return tables


def pending(db: PgDatabase) -> list[schema.PgMigration]:
    """The migrations not yet applied, in order."""
    done = applied(db)
    return [m for m in schema.MIGRATIONS if m.name not in done]


def migrate(db: PgDatabase, timeout: float) -> list[str]:
    """Apply the pending migrations, each in one transaction with its record; the names.

    Another program migrating the same database at the same moment waits on the
    writers' lock; what it applied meanwhile is skipped."""
    done: list[str] = []
    for migration in pending(db):
        raw = db.conn.raw
        with raw.transaction():
            raw.execute(f"SET LOCAL lock_timeout = '{max(1, int(timeout * 1000))}ms'")
            raw.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            raw.execute(schema.MIGRATIONS_TABLE)
            already = raw.execute(
                "SELECT 1 FROM mdt_schema_migrations WHERE name = %s", [migration.name]
            ).fetchone()
            if already:
                continue
            raw.execute(migration.sql)
            raw.execute(
                "INSERT INTO mdt_schema_migrations (name, applied_at) VALUES (%s, %s)",
                [migration.name, now().isoformat()],
            )
        done.append(migration.name)
    db._with_id = None  # the tables may be new
    return done


def open_server_database(url: ServerURL, *, create: bool, timeout: float) -> PgDatabase:
    """A checked, migrated connection to the team database at ``url``."""
    db = connect(url)
    try:
        tables = verify_identity(db, url)
        if not tables and not create:
            raise StoreError(
                f"{url}: has no MDT Assistant schema yet; create it with "
                "'mdt-app server init URL --chair USERNAME'"
            )
        if pending(db):
            migrate(db, timeout)
    except StoreError:
        db.close()
        raise
    except psycopg.Error as exc:
        db.close()
        mapped = POSTGRES.store_error(url, exc, timeout)
        raise (mapped or StoreError(f"{url}: {message(exc)}")) from None
    return db
