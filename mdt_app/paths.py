"""Where files live: the database, and the resources shipped with the app.

One module decides, so tests and `--db` can override it. Nothing is created at import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "mdt-assistant"
APP_AUTHOR = "MDT Assistant"
DB_ENV = "MDT_APP_DB"
DB_FILENAME = "mdt.db"


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def database_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--db`, then $MDT_APP_DB, then the platform's user data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / DB_FILENAME


def demo_database_path() -> Path:
    return user_data_dir() / "demo.db"


def resources_dir() -> Path:
    """The `resources/` tree in a wheel install, an editable/source tree or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "resources")
    here = Path(__file__).resolve().parent
    candidates.append(here / "_resources")  # wheel: force-included by the build
    candidates.append(here.parent / "resources")  # source tree / editable install
    for candidate in candidates:
        if (candidate / "guidelines").is_dir():
            return candidate
    raise FileNotFoundError(
        "MDT Assistant resources not found (looked in: "
        + ", ".join(str(c) for c in candidates)
        + ")"
    )


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. resource_path("fonts", "DejaVuSans.ttf")."""
    return resources_dir().joinpath(*parts)
