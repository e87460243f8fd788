"""Meeting minutes: one content model (`content`), rendered as PDF, DOCX, CSV or FHIR JSON.

    export_minutes(store, meeting_id, Path("minutes.pdf"), pseudonymise=False)

The format follows the file's suffix. The file is written beside its target and moved
into place only when complete, in the same transaction as the audit entry that records
the export, so a failure leaves neither half a file nor an export that was never made.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mdt_app.documents.minutes.build import build_minutes
from mdt_app.documents.minutes.content import MeetingMinutes
from mdt_app.documents.minutes.pseudonym import Pseudonymiser, pseudonymise_minutes
from mdt_app.documents.output import output_path, write_audited
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
    target = output_path(path)
    fmt = format_for(target)
    minutes = build_minutes(store, meeting_id)
    if pseudonymise:
        minutes = pseudonymise_minutes(minutes, Pseudonymiser.for_store(store))
    details = {"format": fmt, "pseudonymised": pseudonymise, "path": str(target)}
    return write_audited(
        store,
        target,
        lambda tmp: _writer(fmt)(minutes, tmp),
        lambda: store.audit("export_minutes", "meeting", meeting_id, details),
        what=f"{fmt.upper()} minutes",
    )
