"""Files only the user can read: the data folder 0700; the database, its WAL and SHM,
backups, pre-migration copies, logs and every export 0600, whatever the umask.

SQLite creates the WAL and SHM with the database file's own permissions, so a database
created private stays private. On Windows these calls only set what chmod can (the
user's profile folder is already private to them).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; an existing folder is left alone
    unless it is the app's own data folder (see ``tighten_dir``)."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing:
        with contextlib.suppress(OSError):
            folder.chmod(DIR_MODE)
    return path


def tighten_dir(path: Path) -> None:
    """Make the app's own data folder 0700 (never a folder the user chose, like /tmp)."""
    with contextlib.suppress(OSError):
        if path.is_dir():
            path.chmod(DIR_MODE)


def create_private(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 (or make an existing one 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def make_private(path: Path) -> None:
    """Set 0600 on an existing file (not an error when it is gone or not ours)."""
    with contextlib.suppress(OSError):
        if path.is_file():
            path.chmod(FILE_MODE)


def make_database_private(path: Path) -> None:
    """The database and its side files 0600 (an older, world-readable file is tightened)."""
    make_private(path)
    for suffix in SIDE_FILES:
        make_private(path.with_name(path.name + suffix))


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Everything created inside is owner-only (restores the umask after)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)
