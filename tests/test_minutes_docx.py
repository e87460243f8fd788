"""Minutes DOCX: opens with python-docx, holds the same items; LibreOffice converts it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from mdt_app.documents.minutes import build_minutes, export_minutes
from tests.minutes_data import ATTENDEES, build_meeting


@pytest.fixture
def meeting(store):
    meeting_id, _ = build_meeting(store)
    return meeting_id


def docx_text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def test_docx_holds_every_item_attendance_and_summary(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    path = export_minutes(store, meeting, tmp_path / "m.docx")
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == [
        f"{e.position}. {e.patient.name} (MRN {e.patient.mrn}, born "
        f"{e.patient.birth_date}, {e.patient.age} y, {e.patient.sex})"
        for e in minutes.items
    ]
    text = docx_text(path)
    assert "Deferred: PET-CT result awaited; to the meeting of 2026-12-09" in text
    assert "UNSIGNED DRAFT" in text
    for attendee in ATTENDEES:
        assert attendee.name in text
    assert "2 of 3 signed decisions followed the guideline" in text
    assert doc.core_properties.title.startswith("Minutes: Thyroid ATC MDT")
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_office() is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_docx_to_pdf(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    source = export_minutes(store, meeting, tmp_path / "minutes.docx")
    profile = (tmp_path / "lo-profile").as_uri()  # own profile: no clash with a running office
    done = subprocess.run(
        [_office(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    converted = tmp_path / "out" / "minutes.pdf"
    assert converted.exists(), done.stdout + done.stderr
    pages = [p.extract_text() for p in PdfReader(converted).pages]
    text = " ".join(" ".join(pages).split())
    for entry in minutes.items:
        assert entry.patient.name in text
    assert f"Page 1 of {len(pages)}" in " ".join(pages[0].split())
    assert f"Page {len(pages)} of {len(pages)}" in " ".join(pages[-1].split())
