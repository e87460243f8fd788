"""Writing a document file whole or not at all, recorded in the audit log with the move."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from mdt_app.errors import UserError
from mdt_app.store import Store


def output_path(path: str | os.PathLike[str]) -> Path:
    """The absolute target, refused with a clear message when it cannot be a new file."""
    target = Path(path).expanduser().absolute()
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder")
    if target.is_dir():
        raise UserError(f"{target}: is a folder; give a file name")
    return target


def _refuse_database_files(store: Store, path: Path) -> None:
    """Never write a document over the database, its -wal, -shm or companion files."""
    db = store.path.absolute()
    own = {
        db,
        *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal", ".users")),
    }
    if path.absolute() in own or (path.exists() and db.exists() and path.samefile(db)):
        raise UserError(f"{path}: is the database itself; choose another file name")


def write_audited(
    store: Store, path: Path, write: Callable[[Path], object], audit: Callable[[], object]
) -> Path:
    """Write through a temporary file beside ``path``, then move it into place inside the
    transaction that records ``audit``: no half-written file, no entry for a failed write."""
    # Beside the target, so os.replace is atomic; made by the writer with the usual
    # permissions (mkstemp's would be owner-only).
    _refuse_database_files(store, path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        write(tmp)
        with store.atomic():
            audit()
            os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
