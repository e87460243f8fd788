"""Meeting minutes: one content model (`content`), rendered as PDF, DOCX, CSV or FHIR JSON.

    export_minutes(store, meeting_id, Path("minutes.pdf"), pseudonymise=False)

The format follows the file's suffix. The file is written beside its target and moved
into place only when complete, in the same transaction as the audit entry that records
the export, so a failure leaves neither half a file nor an export that was never made.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mdt_app.documents.minutes.build import build_minutes
from mdt_app.documents.minutes.content import MeetingMinutes
from mdt_app.documents.minutes.pseudonym import Pseudonymiser, pseudonymise_minutes
from mdt_app.errors import UserError

if TYPE_CHECKING:
    from mdt_app.store import Store

__all__ = ["FORMATS", "MeetingMinutes", "build_minutes", "export_minutes", "format_for"]

# suffix -> (format name, what it is)
FORMATS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "PDF for circulation"),
    ".docx": ("docx", "Word document to edit"),
    ".csv": ("csv", "CSV, one row per agenda item"),
    ".json": ("fhir", "FHIR R4 Bundle (JSON)"),
}


def format_for(path: Path) -> str:
    """The format a file name asks for; UserError for a suffix we do not write."""
    try:
        return FORMATS[path.suffix.lower()][0]
    except KeyError:
        known = ", ".join(FORMATS)
        raise UserError(
            f"{path.name}: unknown minutes format {path.suffix or '(no suffix)'!r}; use {known}"
        ) from None


def _writer(fmt: str) -> Callable[[MeetingMinutes, Path], None]:
    # Imported on demand: reportlab, python-docx and fhir.resources are slow to import.
    if fmt == "pdf":
        from mdt_app.documents.minutes.pdf import write_pdf

        return write_pdf
    if fmt == "docx":
        from mdt_app.documents.minutes.docx import write_docx

        return write_docx
    if fmt == "csv":
        from mdt_app.documents.minutes.csv import write_csv

        return write_csv
    from mdt_app.documents.minutes.fhir import write_fhir

    return write_fhir


def export_minutes(
    store: Store, meeting_id: int, path: str | os.PathLike[str], *, pseudonymise: bool = False
) -> Path:
    """Write the minutes of ``meeting_id`` to ``path`` and record the export; returns the path."""
    path = Path(path).expanduser().absolute()
    fmt = format_for(path)
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: no such folder")
    minutes = build_minutes(store, meeting_id)
    if pseudonymise:
        minutes = pseudonymise_minutes(minutes, Pseudonymiser.for_store(store))
    # Beside the target (so os.replace is atomic), created by the writer with the usual
    # permissions (mkstemp's would be owner-only).
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        _writer(fmt)(minutes, tmp)
        details = {"format": fmt, "pseudonymised": pseudonymise, "path": str(path)}
        with store.atomic():
            store.audit("export_minutes", "meeting", meeting_id, details)
            os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
