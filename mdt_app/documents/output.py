"""Writing a document file whole or not at all, recorded in the audit log with the move."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from mdt_app.errors import UserError
from mdt_app.security.private_files import create_private, make_private
from mdt_app.store import Store


def output_path(path: str | os.PathLike[str]) -> Path:
    """The absolute target, refused with a clear message when it cannot be a new file."""
    target = Path(path).expanduser().absolute()
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder")
    if target.is_dir():
        raise UserError(f"{target}: is a folder; give a file name")
    return target


class RenderError(UserError):
    """A document could not be produced: a fault in the renderer (a missing template, a
    bug), never a problem with the output path. Nothing was written."""


def _refuse_database_files(store: Store, path: Path) -> None:
    """Never write a document over the database, its -wal, -shm or companion files."""
    if store.is_server:  # a team database on a server has no files here
        return
    db = store.path.absolute()
    own = {
        db,
        *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal", ".users")),
    }
    if path.absolute() in own or (path.exists() and db.exists() and path.samefile(db)):
        raise UserError(f"{path}: is the database itself; choose another file name")


def write_audited(
    store: Store,
    path: Path,
    write: Callable[[Path], object],
    audit: Callable[[], object],
    what: str = "document",
) -> Path:
    """Write through a temporary file beside ``path``, then move it into place inside the
    transaction that records ``audit``: no half-written file, no entry for a failed write.

    Only a failure to write the file itself is reported as the path's problem; anything
    else the renderer raises is a RenderError naming the renderer's own error."""
    # Beside the target, so os.replace is atomic; owner-only from the start (patient
    # data), so the file it replaces ends up private too.
    _refuse_database_files(store, path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        create_private(tmp)
        _render(write, tmp, what)
        make_private(tmp)  # in case the writer recreated it
        with store.atomic():
            audit()
            os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def _render(write: Callable[[Path], object], tmp: Path, what: str) -> None:
    try:
        write(tmp)
    except UserError:
        raise
    except OSError as exc:
        if _about_the_file(exc, tmp):
            raise  # full disk, no permission, read-only folder: the path's problem
        raise _render_error(what, exc) from exc
    except Exception as exc:
        raise _render_error(what, exc) from exc


def _about_the_file(exc: OSError, tmp: Path) -> bool:
    """Whether an OSError is about writing ``tmp`` (no file named, as for a full disk
    during write(), or the temporary file itself) rather than a file the renderer reads."""
    named = [f for f in (exc.filename, exc.filename2) if f is not None]
    if not named:
        return True
    return any(Path(os.fsdecode(f)).absolute() == tmp.absolute() for f in named)


def _render_error(what: str, exc: BaseException) -> RenderError:
    detail = " ".join(str(exc).split()) or "no detail"
    return RenderError(
        f"the {what} could not be produced: {type(exc).__name__}: {detail} "
        "(a fault in MDT Assistant, not in the output path; nothing was written)"
    )
