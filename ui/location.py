"""Where the window's database is: a file (a Path) or a team server (a ServerURL).

Dialogs and workers open their own Store from this; a server URL must stay a URL (a
Path of it would name a folder on this machine)."""

from __future__ import annotations

from pathlib import Path

from mdt_app.paths import ServerURL

Location = Path | ServerURL


def as_location(value: object) -> Location:
    """``value`` as a Path, or as the ServerURL it names."""
    if isinstance(value, ServerURL):
        return value
    if ServerURL.is_server(value):
        return ServerURL(str(value))
    return Path(str(value))


def on_server(value: object) -> bool:
    """True when the database is on a team server (file-only steps are skipped)."""
    return ServerURL.is_server(value)
