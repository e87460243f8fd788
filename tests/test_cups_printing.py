"""Printing keeps the PDF's text: the care programme goes to CUPS as a PDF (lp), and a
CUPS-PDF printer's output can be read back."""

from __future__ import annotations

import subprocess

import pytest

from mdt_app.documents.care_programme import build_care_programme
from mdt_app.printing import PrintError, lp_arguments, send_pdf
from tests.test_care_programme import add_case


@pytest.fixture
def cups_env(cups, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    return cups


def pdftotext(path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def test_lp_arguments_name_printer_copies_and_pages():
    args = lp_arguments("Ward_4", copies=2, pages=(2, 3), title="Care programme")
    assert args[:4] == ["-d", "Ward_4", "-n", "2"]
    assert args[args.index("-P") : args.index("-P") + 2] == ["-P", "2-3"]
    assert "collate=true" in args
    with pytest.raises(PrintError, match="no printer chosen"):
        lp_arguments(" ")


def test_printed_cups_pdf_has_the_text(store, cups_env):
    case_id, _ = add_case(store, given="Ana", family="Kowalska")
    pdf = build_care_programme(store, case_id)
    before = set(cups_env.output.glob("*.pdf"))
    job = send_pdf(pdf, cups_env.printer, copies=2)
    assert job.job_id.startswith(cups_env.printer) and job.copies == 2
    printed = cups_env.printed_since(before)
    try:
        text = pdftotext(printed)
        assert "KOWALSKA" in text and "Hospital number H123456" in text
        assert "In an emergency" in text and "Page 1 of" in text
        assert printed.stat().st_size < 2_000_000  # a PDF job, not page images
    finally:
        printed.unlink(missing_ok=True)


def test_unknown_printer_is_a_one_line_error(store, cups_env):
    case_id, _ = add_case(store)
    with pytest.raises(PrintError, match="refused the job") as caught:
        send_pdf(build_care_programme(store, case_id), "No_Such_Printer")
    assert "\n" not in str(caught.value)
