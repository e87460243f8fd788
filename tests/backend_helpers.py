"""What the CLI and window tests need to run the same on a database file and on a team
server (the ``db_location`` fixture): a fingerprint of everything a database holds, so a
refused command can be shown to have changed nothing, on either backend."""

from __future__ import annotations

from pathlib import Path

from mdt_app.paths import ServerURL
from tests.db_state import db_digest


def is_server(location: object) -> bool:
    """True for a ``postgresql://`` URL (a team database), False for a file."""
    return ServerURL.is_server(location)


def digest(location: str | Path) -> str:
    """Everything a database holds, the stricter meaning: a file with every companion
    beside it (WAL, journal, presence file), a server database row by row. See
    ``db_digest``, which is the one implementation."""
    return db_digest(location, companions=True)


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
