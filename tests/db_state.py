"""What a database holds, as one digest, on either backend: "the database is untouched"
is checked the same way on a file and on the test cluster."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mdt_app.paths import ServerURL


def db_digest(location: Path | str, *, companions: bool = False) -> str:
    """What a database holds, as one digest: equal before and after a refused command
    means the command changed nothing.

    A file (SQLite): its bytes. With ``companions`` - the stricter meaning - also every
    file beside it named after it, name and bytes: a -wal or -journal a write would
    leave, the -shm, the presence file ``<db>.users`` (made by the first open), a backup
    copy. The import and bad-input tests use it, so a refused command that left anything
    at all beside the file is caught too. Without it only the file's bytes count: for a
    command that opens the database and then refuses (a wrong password, a refused backup
    or encryption), an open that leaves the presence file or a -shm behind has changed
    nothing the database holds.

    A team database (PostgreSQL): every row of every table, ``companions`` or not. A
    refused write may still move a sequence (PostgreSQL never gives a number back),
    which is no change of the records, so only the rows count.
    """
    if not ServerURL.is_server(location):
        db = Path(location)
        if not companions:
            return hashlib.sha256(db.read_bytes()).hexdigest()
        total = hashlib.sha256()
        for path in sorted(db.parent.glob(db.name + "*")):
            total.update(path.name.encode() + b"\0" + path.read_bytes())
        return total.hexdigest()
    import psycopg  # only for a server: the file tests never load it

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
        import psycopg

        with psycopg.connect(str(location), autocommit=True) as conn:
            return [tuple(row) for row in conn.execute(sql)]
    import sqlite3

    file = sqlite3.connect(str(location))
    try:
        return [tuple(row) for row in file.execute(sql)]
    finally:
        file.close()
