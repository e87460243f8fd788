"""Minutes PDF: every agenda item, attendance and the concordance summary, page x of y."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from mdt_app.documents.minutes import build_minutes, export_minutes
from tests.minutes_data import ATTENDEES, build_meeting


@pytest.fixture
def meeting(store):
    meeting_id, _ = build_meeting(store)
    return meeting_id


def pdf_text(path) -> tuple[list[str], str]:
    pages = [p.extract_text() for p in PdfReader(path).pages]
    return pages, " ".join(" ".join(pages).split())


def test_pdf_holds_every_item_attendance_and_summary(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    pages, text = pdf_text(export_minutes(store, meeting, tmp_path / "m.pdf"))
    for entry in minutes.items:
        assert f"{entry.position}. {entry.patient.name}" in text
        assert entry.patient.mrn in text
    assert "Deferred: PET-CT result awaited; to the meeting of 2026-12-09" in text
    assert "Not discussed: ran out of time" in text
    assert "UNSIGNED DRAFT" in text and "NOT SIGNED OFF" in text
    for attendee in ATTENDEES:
        assert attendee.name in text
    assert "apologies" in text and "Quorate:" in text
    assert "2 of 3 signed decisions followed the guideline" in text
    assert "1 deviated" in text
    assert "reason given: patient's informed choice after discussion" in text
    assert "amends an earlier signed decision; reason: patient declined radiotherapy" in text
    assert "Superseded decision" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_only_the_embedded_house_font_is_used(store, meeting, tmp_path):
    reader = PdfReader(export_minutes(store, meeting, tmp_path / "m.pdf"))
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.split("+")[-1].startswith("DejaVuSans") for name in fonts)


def test_closed_meeting_has_no_provisional_mark(store, meeting, tmp_path):
    pages, _ = pdf_text(export_minutes(store, meeting, tmp_path / "m.pdf"))
    assert all("PROVISIONAL" not in page for page in pages)


def test_demo_meeting_pdf_lists_every_case_and_is_provisional(demo_store, tmp_path):
    current = next(m for m in demo_store.list_meetings() if m.status == "in_progress")
    minutes = build_minutes(demo_store, current.id)
    pages, text = pdf_text(export_minutes(demo_store, current.id, tmp_path / "demo.pdf"))
    assert len(minutes.items) >= 10
    for entry in minutes.items:
        assert entry.patient.name in text, entry.patient.name
    assert "PROVISIONAL - meeting not closed" in pages[0]
    info = PdfReader(tmp_path / "demo.pdf").metadata
    assert info.title.startswith("Minutes: ")


def test_pseudonymised_pdf_has_no_names(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    _, text = pdf_text(export_minutes(store, meeting, tmp_path / "p.pdf", pseudonymise=True))
    assert "PSEUDONYMISED" in text
    assert len(set(re.findall(r"PSN-[0-9A-F]{10}", text))) == len(minutes.items)
    for entry in minutes.items:
        assert entry.patient.name not in text and entry.patient.mrn not in text
