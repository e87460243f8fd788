"""Entry points of the desktop app: ``run(db_path)`` for the CLI, ``build_main_window``
for tests and embedding (no event loop)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from mdt_app import __version__
from mdt_app.errors import UserError
from mdt_app.paths import APP_AUTHOR, APP_NAME, ServerURL
from mdt_app.security import session_keys
from mdt_app.security.backup import schema_upgrade_pending
from mdt_app.security.encryption import connector, looks_encrypted
from mdt_app.store import Store, open_store
from ui import excepthook, theme
from ui.database_access import prepare_database
from ui.location import Location, as_location, on_server
from ui.records import offer_backup_before_upgrade
from ui.sign_in import ask_who_is_working

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = ["application", "build_main_window", "remembered_server", "run", "run_on_server"]

_fonts_loaded = False


def remembered_server() -> ServerURL | None:
    """The team server this user last connected to (ui.server_connect, loaded on use:
    the file's window never needs it before its first paint)."""
    from ui.server_connect import remembered_server as remembered

    return remembered()


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with the app's names, style and fonts."""
    global _fonts_loaded
    app = cast(QApplication, QApplication.instance())
    if app is None:
        QCoreApplication.setOrganizationName(APP_AUTHOR)
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setStyle("Fusion")
    if not _fonts_loaded:
        theme.load_fonts(app)
        _fonts_loaded = True
    return app


def build_main_window(
    db_path: str | Path | ServerURL, store: Store | None = None, *, load_after_paint: bool = False
) -> MainWindow:
    """The main window on the database at ``db_path``, not shown, event loop not started.

    ``store``, when given, is that database already open (the window takes it over), so
    the file is opened once per window. ``load_after_paint`` (the app's own start) paints
    the window first and opens the meeting right after; otherwise it is open on return.
    """
    application()
    from ui.main_window import MainWindow

    return MainWindow(store or open_store(as_location(db_path)), load_after_paint=load_after_paint)


def run(db_path: str | Path | ServerURL, store: Store | None = None) -> int:
    """Open the window on ``db_path`` and run until it is closed; the exit status."""
    os.umask(0o077)  # every file the window creates is owner-only (patient data)
    if on_server(db_path):  # a team server: no file to create, encrypt or back up first
        return run_on_server(as_location(db_path), store)
    db_path = Path(str(db_path))
    app = application()
    handler = excepthook.install()
    if store is None:
        if not prepare_database(Path(db_path)):  # first run: encrypt?; encrypted: passphrase
            return 0
        connect = connector(
            session_keys.passphrase_for(db_path) if looks_encrypted(Path(db_path)) else None
        )
        if schema_upgrade_pending(Path(db_path), connect):
            offer_backup_before_upgrade(Path(db_path), connect=connect)
    try:
        window = build_main_window(db_path, store, load_after_paint=True)
    except UserError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("app", "MDT Assistant"), str(exc))
        return 1
    user = ask_who_is_working(window.store)
    if user is None:
        window.store.close()
        return 0
    window.set_user(user)
    handler.rescue.append(window.decision.flush)  # a bug elsewhere must not cost the draft
    window.show()
    return app.exec()


def run_on_server(url: Location, store: Store | None = None) -> int:
    """The window on a team server: sign in (as the user's own server login once the
    server enforces roles), then the meeting screen; a refusal is one line."""
    from ui.server_sign_in import sign_in_on_server

    app = application()
    handler = excepthook.install()
    signed = sign_in_on_server(url, store)
    if signed is None:
        return 0
    store, user = signed
    try:
        window = build_main_window(store.path, store, load_after_paint=True)
    except UserError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("app", "MDT Assistant"), str(exc))
        return 1
    window.set_user(user)
    handler.rescue.append(window.decision.flush)
    window.show()
    return app.exec()
