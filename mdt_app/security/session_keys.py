"""What this process knows about an open database, in memory only: its passphrase (for
an encrypted file) and who is signed in on it. The window's worker threads open their
own connections; they find both here, so their writes are attributed to the window's
user and their connections can read the encrypted file. Nothing here touches the disk.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

PASSPHRASE_ENV = "MDT_APP_PASSPHRASE"

_lock = threading.Lock()
_passphrases: dict[Path | str, str] = {}
_users: dict[Path | str, Any] = {}

Location = str | os.PathLike[str] | Any  # a file, or a paths.ServerURL


def _key(path: Location) -> Path | str:
    url = getattr(path, "url", None)  # a team database on a server: its URL
    if isinstance(url, str):
        return url
    return Path(path).expanduser().absolute().resolve()


def remember_passphrase(path: Location, passphrase: str) -> None:
    with _lock:
        _passphrases[_key(path)] = passphrase


def passphrase_for(path: Location) -> str | None:
    """The passphrase given for ``path`` in this process, else $MDT_APP_PASSPHRASE."""
    with _lock:
        known = _passphrases.get(_key(path))
    return known if known is not None else (os.environ.get(PASSPHRASE_ENV) or None)


def forget(path: Location) -> None:
    with _lock:
        _passphrases.pop(_key(path), None)
        _users.pop(_key(path), None)


def remember_user(path: Location, user: Any) -> None:
    """The user signed in on ``path`` in this process (a security.users.User)."""
    with _lock:
        _users[_key(path)] = user


def user_for(path: Location) -> Any:
    with _lock:
        return _users.get(_key(path))
