"""What a database holds, as one digest, on either backend: "the database is untouched"
is checked the same way on a file and on the test cluster."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg

from mdt_app.paths import ServerURL


def db_digest(location: Path | str) -> str:
    """A file's bytes (SQLite), or every row of every table of a team database.

    On the server a refused write may still move a sequence (PostgreSQL never gives a
    number back), which is no change of the records, so only the rows count.
    """
    if not ServerURL.is_server(location):
        return hashlib.sha256(Path(location).read_bytes()).hexdigest()
    total = hashlib.sha256()
    with psycopg.connect(str(location), autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        for table in tables:
            rows = conn.execute(
                f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                f'FROM "{table}" t'
            ).fetchone()
            total.update(f"{table}:{rows[0] if rows else ''}\n".encode())
    return total.hexdigest()


def raw_rows(location: Path | str, sql: str) -> list[tuple]:
    """``sql`` run outside the app (plain sqlite3 on a file, the test superuser on the
    server): what is really stored, whatever the store would make of it."""
    if ServerURL.is_server(location):
        with psycopg.connect(str(location), autocommit=True) as conn:
            return [tuple(row) for row in conn.execute(sql)]
    import sqlite3

    file = sqlite3.connect(str(location))
    try:
        return [tuple(row) for row in file.execute(sql)]
    finally:
        file.close()
