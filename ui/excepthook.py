"""Unhandled exceptions are logged to a file and shown in a dialog, never a silent exit.

A UserError (bad input, locked database, signed decision) is the user's to fix: it is
shown as a plain warning with its one-line message. Anything else is a bug: logged with
its traceback and shown as an error with the log's location.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from mdt_app.errors import UserError
from mdt_app.security.private_files import create_private, private_dir, tighten_dir
from mdt_app.security.redact import RedactingFormatter, redact_user_error

log = logging.getLogger("mdt_app.ui")

LOG_FILENAME = "mdt-app.log"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def log_path() -> Path:
    from mdt_app.paths import user_data_dir

    return user_data_dir() / "logs" / LOG_FILENAME


def configure_logging(path: Path | None = None) -> Path:
    """Send the app's log records to ``path`` (created on demand)."""
    default = path is None
    path = path or log_path()
    private_dir(path.parent)
    tighten_dir(path.parent)
    if default:
        tighten_dir(path.parent.parent)  # the app's data folder
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        create_private(path)  # owner-only before the first line is written
        handler = logging.FileHandler(path, encoding="utf-8")
        # No patient identifier reaches the file (mdt_app.security.redact).
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExceptHook", text)


def show_exception(exc: BaseException, details: str = "", parent=None) -> None:
    """The dialog for one exception (used by the hook and by slots that catch errors)."""
    if QApplication.instance() is None:
        return
    parent = parent or QApplication.activeWindow()
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, _tr("MDT Assistant"), str(exc))
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_tr("MDT Assistant: unexpected error"))
    box.setText(
        _tr("Something went wrong: {error}\n\nYour typed work is saved as you go.").format(
            error=f"{type(exc).__name__}: {exc}"
        )
    )
    box.setInformativeText(_tr("Details were written to {path}").format(path=log_path()))
    if details:
        box.setDetailedText(details)
    box.exec()


class ExceptionHandler:
    """Callable used as ``sys.excepthook``; ``showing`` stops a cascade of dialogs."""

    def __init__(self, show: Callable[[BaseException, str], None] | None = None):
        self.show = show or (lambda exc, details: show_exception(exc, details))
        self.showing = False
        self.previous: ExceptHook | None = None
        # Run first on an unexpected error, e.g. saving the draft on screen.
        self.rescue: list[Callable[[], None]] = []

    def __call__(
        self,
        kind: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            if self.previous:
                self.previous(kind, exc, tb)
            return
        details = "".join(traceback.format_exception(kind, exc, tb))
        if isinstance(exc, UserError):
            log.warning("user error (%s): %s", kind.__name__, redact_user_error(str(exc)))
        else:
            log.error("unhandled exception\n%s", details)
        if not isinstance(exc, UserError):
            for rescue in self.rescue:
                try:
                    rescue()
                except Exception:
                    log.exception("rescue after an unexpected error failed")
        if self.showing:
            return
        self.showing = True
        try:
            self.show(exc, details)
        except Exception:  # the dialog itself failed: the log still has it
            log.exception("could not show the error dialog")
        finally:
            self.showing = False


def install(show: Callable[[BaseException, str], None] | None = None) -> ExceptionHandler:
    """Log to the user data dir and replace ``sys.excepthook``; returns the handler."""
    with contextlib.suppress(OSError):  # a read-only home still gets the dialog
        configure_logging()
    handler = ExceptionHandler(show)
    handler.previous = sys.excepthook
    sys.excepthook = handler
    return handler
