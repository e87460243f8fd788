"""The shared PDF house style: banner and "Page x of y" on every page, draft mark, metadata."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

from mdt_app.documents import pdf_style

BANNER = "Zoë ŁUKASIEWICZ-ÅNGSTRÖM · born 2 April 1951 · MRN H123456"


def _three_pages(*, draft: bool = False, large: bool = False, size: str = "A4") -> bytes:
    styles = pdf_style.house_styles(large_print=large)
    story: list = [Paragraph("A test document", styles.title)]
    for n in range(3):
        story += [Paragraph(f"Section {n + 1}", styles.h1), Paragraph("Some text.", styles.body)]
        story.append(Paragraph("A point", styles.bullet, bulletText="•"))
        table = Table([[Paragraph("cell", styles.cell)]])
        table.setStyle(TableStyle(pdf_style.house_table_style(styles)))
        story.append(table)
        if n < 2:
            story.append(PageBreak())
    return pdf_style.build_pdf(
        story,
        info=pdf_style.DocumentInfo(title="Test title", subject="Test subject", lang="en-GB"),
        decoration=pdf_style.PageDecoration(banner=BANNER, footer="Footer text", draft=draft),
        styles=styles,
        page_size_name=size,
    )


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_banner_and_page_numbers_on_every_page():
    pages = _pages(_three_pages())
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert "Zoë ŁUKASIEWICZ-ÅNGSTRÖM" in text
        assert "MRN H123456" in text.replace("\xa0", " ")
        assert f"Page {number} of 3" in text
        assert "Footer text" in text
        assert pdf_style.DRAFT_MARK not in text


def test_draft_mark_on_every_page_only_when_asked():
    for text in _pages(_three_pages(draft=True)):
        assert pdf_style.DRAFT_MARK in text


def test_metadata_language_and_outline():
    reader = PdfReader(io.BytesIO(_three_pages()))
    assert reader.metadata is not None
    assert reader.metadata.title == "Test title"
    assert reader.metadata.subject == "Test subject"
    assert reader.metadata.author == "MDT Assistant"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Section 1", "Section 2", "Section 3"]
    # each bookmark points at its own page (held-back pages must not all point at page 1)
    assert [reader.get_destination_page_number(item) for item in reader.outline] == [0, 1, 2]


def test_page_sizes():
    assert PdfReader(io.BytesIO(_three_pages(size="Letter"))).pages[0].mediabox.width == 612
    assert round(PdfReader(io.BytesIO(_three_pages())).pages[0].mediabox.width) == 595
    with pytest.raises(ValueError, match="unknown page size"):
        pdf_style.page_size("A5")


def test_large_print_sizes():
    normal, large = pdf_style.house_styles(), pdf_style.house_styles(large_print=True)
    assert normal.body.fontSize >= 11
    assert large.body.fontSize >= 14 and large.large_print
    assert large.h1.fontSize > large.h2.fontSize > large.body.fontSize


def test_reproducible_with_invariant(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)
    assert _three_pages() == _three_pages()


def test_unprintable_characters_are_reported():
    assert pdf_style.unprintable("Zoë Łukasiewicz-Ångström Øre Ţugulea Ğ Ωμέγα Жанна") == []
    assert pdf_style.unprintable("王芳") == ["王", "芳"]


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) absent")
def test_fonts_embedded(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(_three_pages())
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows and all(" yes " in row and "DejaVuSans" in row for row in rows)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf absent")
def test_qpdf_check(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(_three_pages(draft=True, large=True, size="Letter"))
    subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=True)
