"""Who else has the database open, learnt without touching the database file itself.

SQLite's own locks are POSIX record locks on the database file; any plain open() and
close() of that file by this process would silently drop them (so another program could
decide it is the last user and delete our -wal file). So the database, its -wal and its
-shm are never opened here. Instead each Store holds a shared ``flock`` on a small
companion file ``<db>.users``: the first Store to open the database finds no other
holder, and only then does a left-over -wal file mean the last user did not close
cleanly (a crash or a kill), which is when the full integrity check is worth its time.
"""

from __future__ import annotations

import os
from pathlib import Path

try:  # POSIX; elsewhere the check falls back to "a -wal file is there"
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def users_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".users")


class Presence:
    """A shared hold on ``<db>.users`` for as long as a Store is open."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.fd: int | None = None
        self.alone = False

    def join(self) -> None:
        """Take the shared hold; ``alone`` says whether nobody else held it."""
        if fcntl is None:
            self.alone = False
            return
        try:
            self.fd = os.open(users_file(self.db_path), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # read-only folder: no record, assume others may be there
            self.alone = False
            return
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.alone = True
            fcntl.flock(self.fd, fcntl.LOCK_SH)  # downgrade: others may join now
        except OSError:
            self.alone = False
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def leave(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # releases the flock
            self.fd = None


def unclean_shutdown(db_path: Path, presence: Presence) -> bool:
    """True when a -wal file is left over and nobody else is using the database."""
    wal = db_path.with_name(db_path.name + "-wal")
    try:
        left_over = wal.stat().st_size > 0  # stat() opens nothing: SQLite's locks are safe
    except OSError:
        return False
    return left_over and (presence.alone or fcntl is None)
