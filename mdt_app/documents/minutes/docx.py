"""The minutes as a Word document an administrator can edit (Word, LibreOffice).

Plain built-in styles (Title, Heading 1/2, Table Grid) so edits keep the look; the page
footer carries live PAGE / NUMPAGES fields, so "Page x of y" stays right after edits.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from mdt_app.documents.minutes import content as c
from mdt_app.documents.minutes import text

FONT = "Arial"  # present on every office machine; LibreOffice maps it to Liberation Sans
HEADING = RGBColor(0x1F, 0x3A, 0x5F)  # the PDF house style's heading colour
ALERT = RGBColor(0xB0, 0x00, 0x20)
LABEL_WIDTH, VALUE_WIDTH = Cm(4.6), Cm(12.4)


def write_docx(minutes: c.MeetingMinutes, path: Path) -> None:
    doc = Document()
    _set_up(doc, minutes)
    doc.add_paragraph(minutes.meeting.title, style="Title")
    doc.add_paragraph(f"Minutes of the multidisciplinary team meeting of {minutes.meeting.date}")
    _rows_table(doc, text.header_rows(minutes))
    doc.add_heading("Attendance", level=1)
    _attendance(doc, minutes)
    doc.add_heading("Agenda items", level=1)
    if not minutes.items:
        doc.add_paragraph("No case was on the agenda.")
    for entry in minutes.items:
        doc.add_heading(text.entry_title(entry), level=2)
        _rows_table(doc, text.entry_rows(entry))
    doc.add_heading("Summary", level=1)
    _rows_table(doc, text.summary_rows(minutes))
    doc.save(str(path))


def _set_up(doc: DocxDocument, m: c.MeetingMinutes) -> None:
    props = doc.core_properties
    props.title = f"Minutes: {m.meeting.title} ({m.meeting.date})"
    props.author = "MDT Assistant"
    props.subject = "MDT meeting minutes"
    props.language = "en"
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.name = FONT
        doc.styles[name].font.color.rgb = HEADING
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    section.header.paragraphs[0].text = f"{m.meeting.title} · {m.meeting.date}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (updated by Word and LibreOffice when the page is laid out)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    field.append(run)
    paragraph._p.append(field)


def _rows_table(doc: DocxDocument, rows: text.Rows) -> Table:
    table = doc.add_table(rows=len(rows), cols=2, style="Table Grid")
    table.autofit = False
    # LibreOffice lays out by the grid's column widths, Word by the cells': set both.
    table.columns[0].width, table.columns[1].width = LABEL_WIDTH, VALUE_WIDTH
    for (label, lines), row in zip(rows, table.rows, strict=True):
        head, value = row.cells
        head.width, value.width = LABEL_WIDTH, VALUE_WIDTH
        _write(head, [label], bold=True)
        _write(value, lines, bold=False)
    doc.add_paragraph()
    return table


def _write(cell: _Cell, lines: list[str], *, bold: bool) -> None:
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold or text.is_alert(line)
        if text.is_alert(line):
            run.font.color.rgb = ALERT


def _attendance(doc: DocxDocument, m: c.MeetingMinutes) -> None:
    if m.attendees:
        table = doc.add_table(rows=1 + len(m.attendees), cols=3, style="Table Grid")
        for cell, title in zip(
            table.rows[0].cells, ("Name", "Specialty", "Attendance"), strict=True
        ):
            _write(cell, [title], bold=True)
        for a, row in zip(m.attendees, table.rows[1:], strict=True):
            for cell, value in zip(row.cells, text.attendee_line(a), strict=True):
                _write(cell, [value], bold=False)
    else:
        doc.add_paragraph("No attendance was recorded.")
    quorum = m.quorum.describe()
    run = doc.add_paragraph().add_run(quorum)
    run.bold = True
    if text.is_alert(quorum):
        run.font.color.rgb = ALERT
