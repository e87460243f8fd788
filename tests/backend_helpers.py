"""What the CLI and window tests need to run the same on a database file and on a team
server (the ``db_location`` fixture): a fingerprint of everything a database holds, so a
refused command can be shown to have changed nothing, on either backend."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mdt_app.paths import ServerURL


def is_server(location: object) -> bool:
    """True for a ``postgresql://`` URL (a team database), False for a file."""
    return ServerURL.is_server(location)


def digest(location: str | Path) -> str:
    """A file: its bytes and its WAL/journal siblings'. A server database: every row of
    every table, in key order (ids, hashes and timestamps included), so nothing can
    change unseen."""
    h = hashlib.sha256()
    if not is_server(location):
        db = Path(location)
        for path in sorted(db.parent.glob(db.name + "*")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        return h.hexdigest()
    import psycopg

    with psycopg.connect(str(location), autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            h.update(table.encode() + b"\0")
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                h.update(repr(row).encode())
    return h.hexdigest()


def exists(location: str | Path) -> bool:
    """A file that was created; a server database always exists (the test made it)."""
    return True if is_server(location) else Path(location).exists()


def missing(location: str | Path) -> str:
    """A database beside ``location`` that does not exist: a file name never created, or
    a database name the server does not have."""
    if not is_server(location):
        return f"{location}.missing"
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(str(location))
    return urlunsplit(parts._replace(path="/no_such_database"))


NO_SUCH_DATABASE = ("no such database", 'database "no_such_database" does not exist')


def says_no_such_database(err: str) -> bool:
    """The one-line refusal of a database that is not there, on either backend."""
    return any(words in err for words in NO_SUCH_DATABASE)


def state(location: str | Path) -> str | None:
    """None for a database file not created (yet), else its ``digest``: equal before and
    after a refused command means it created nothing and changed nothing."""
    if not is_server(location) and not Path(location).exists():
        return None
    return digest(location)
