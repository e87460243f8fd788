"""Sending a PDF to the print system as a PDF, so the printed job keeps its text.

On Linux and macOS the print system is CUPS: ``lp -d PRINTER -n COPIES`` takes the PDF
itself and the printer's driver renders it at the printer's own resolution. Where there
is no such path (Windows), the window falls back to painting rendered pages.

    if pdf_printing_available():
        job = send_pdf(pdf, "Ward_4_laser", copies=2)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from mdt_app.errors import UserError

LP_TIMEOUT_S = 60


class PrintError(UserError):
    """The print system refused or could not take the job."""


def lp_command() -> str | None:
    """The CUPS ``lp`` program, or None where printing goes another way (Windows)."""
    if sys.platform == "win32":
        return None
    return shutil.which("lp")


def pdf_printing_available() -> bool:
    """True where a PDF can be handed to the print system as it is."""
    return lp_command() is not None


@dataclass(frozen=True)
class PrintJob:
    printer: str
    copies: int
    job_id: str  # as CUPS names it, e.g. "Ward_4_laser-17"; "" if it did not say


def lp_arguments(
    printer: str,
    *,
    copies: int = 1,
    pages: tuple[int, int] | None = None,
    collate: bool = True,
    reverse: bool = False,
    title: str = "Care programme",
) -> list[str]:
    """The ``lp`` options for one job (the PDF comes on standard input)."""
    if not printer.strip():
        raise PrintError("no printer chosen")
    args = ["-d", printer, "-n", str(max(copies, 1)), "-t", title]
    if pages is not None:
        first, last = pages
        args += ["-P", f"{first}-{last}" if last != first else str(first)]
    if copies > 1:
        args += ["-o", f"collate={'true' if collate else 'false'}"]
    if reverse:
        args += ["-o", "outputorder=reverse"]
    return args


def send_pdf(
    pdf: bytes,
    printer: str,
    *,
    copies: int = 1,
    pages: tuple[int, int] | None = None,
    collate: bool = True,
    reverse: bool = False,
    title: str = "Care programme",
) -> PrintJob:
    """Give ``pdf`` to CUPS for ``printer``; a one-line PrintError if it is refused.

    The job title never names the patient: print queues are visible to others."""
    lp = lp_command()
    if lp is None:
        raise PrintError("this system has no CUPS print command (lp)")
    args = lp_arguments(
        printer, copies=copies, pages=pages, collate=collate, reverse=reverse, title=title
    )
    try:
        done = subprocess.run(
            [lp, *args, "--"],
            input=pdf,
            capture_output=True,
            timeout=LP_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrintError(f"the print system did not answer within {LP_TIMEOUT_S} s") from None
    except OSError as exc:
        raise PrintError(f"the print command could not be run: {exc.strerror}") from None
    out = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no reason given"]
        raise PrintError(f"the printer {printer} refused the job: {why[-1].strip()}")
    found = re.search(r"request id is (\S+)", out)
    return PrintJob(printer, max(copies, 1), found.group(1) if found else "")
