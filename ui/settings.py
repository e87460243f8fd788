"""Window preferences (splitter sizes, presentation mode, last meeting) in an INI file.

The file lives in the platform's user config directory, looked up on every call, so a
test that points XDG_CONFIG_HOME (or HOME) at tmp_path never touches the real one.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from mdt_app.paths import APP_AUTHOR, APP_NAME, ServerURL
from ui.location import Location

SETTINGS_ENV = "MDT_APP_UI_SETTINGS"


def settings_path() -> Path:
    """``$MDT_APP_UI_SETTINGS`` if set, else ``<user config dir>/ui.ini``."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "ui.ini"


class UiSettings:
    """Typed access to the few things the window remembers between runs."""

    def __init__(self, path: Path | None = None):
        self.path = path or settings_path()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def splitter_state(self, name: str) -> QByteArray | None:
        value = self._qs.value(f"splitters/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_splitter_state(self, name: str, state: QByteArray) -> None:
        self._qs.setValue(f"splitters/{name}", state)

    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_geometry(self, geometry: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)

    @property
    def presentation_mode(self) -> bool:
        return _as_bool(self._qs.value("view/presentation_mode", False))

    @presentation_mode.setter
    def presentation_mode(self, on: bool) -> None:
        self._qs.setValue("view/presentation_mode", bool(on))

    @property
    def summary_visible(self) -> bool:
        return _as_bool(self._qs.value("view/summary_visible", True))

    @summary_visible.setter
    def summary_visible(self, on: bool) -> None:
        self._qs.setValue("view/summary_visible", bool(on))

    @property
    def wide_options(self) -> bool:
        return _as_bool(self._qs.value("view/wide_options", False))

    @wide_options.setter
    def wide_options(self, on: bool) -> None:
        self._qs.setValue("view/wide_options", bool(on))

    def save_directory(self) -> Path:
        """Where a save dialog opens: the folder last saved to, else the user's documents."""
        last = self._qs.value("files/last_save_dir")
        if last and Path(str(last)).is_dir():
            return Path(str(last))
        from PySide6.QtCore import QStandardPaths

        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs and Path(docs).is_dir() else Path.home()

    def set_save_directory(self, folder: Path) -> None:
        self._qs.setValue("files/last_save_dir", str(folder))

    def last_meeting(self, db_path: Location) -> int | None:
        value = self._qs.value(f"meetings/{_key(db_path)}")
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def set_last_meeting(self, db_path: Location, meeting_id: int) -> None:
        self._qs.setValue(f"meetings/{_key(db_path)}", int(meeting_id))

    def sync(self) -> None:
        self._qs.sync()


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def _key(db_path: Location) -> str:
    # QSettings keys cannot hold slashes meaningfully; a stable hash names the database.
    import hashlib

    if isinstance(db_path, ServerURL):  # a team server: its address without the password
        return hashlib.sha1(str(db_path).encode()).hexdigest()[:16]
    return hashlib.sha1(str(Path(db_path).resolve()).encode()).hexdigest()[:16]
