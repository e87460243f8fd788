"""The minutes as a PDF in the house style (pdf_style): banner, DejaVu, "Page x of y".

Minutes of a meeting that is not closed carry the house draft mark, worded for minutes.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus import Paragraph as _Paragraph

from mdt_app.documents import pdf_style as ps
from mdt_app.documents.minutes import content as c
from mdt_app.documents.minutes import text

PROVISIONAL = "PROVISIONAL - meeting not closed"
LABEL_WIDTH = 42 * mm
ALERT = ps.DRAFT_RED.hexval().replace("0x", "#")


class Paragraph(_Paragraph):
    """A paragraph that breaks its lines once per width.

    A table lays out each cell two or three times (row heights, the page-split attempt,
    drawing), and reportlab breaks the lines afresh each time; the line breaks depend on
    the width alone, so the second and third times reuse the first. The FHIR minutes
    build one PDF per patient, which made this most of their time."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._wrapped_at is not None and self._wrapped_at == availWidth:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


def write_pdf(minutes: c.MeetingMinutes, path: Path, *, page_size_name: str = "A4") -> None:
    path.write_bytes(minutes_pdf(minutes, page_size_name=page_size_name))


def minutes_pdf(
    minutes: c.MeetingMinutes,
    *,
    page_size_name: str = "A4",
    front: list[Flowable] | None = None,
    one_patient: bool = False,
) -> bytes:
    """The minutes as PDF bytes. ``front`` (from ``front_matter``) lets the one-PDF-per-
    patient FHIR export lay the meeting's header and attendance out once for all.
    ``one_patient`` marks a PDF holding one patient's part only (filed in that patient's
    record): its pages carry that patient's banner (name, birth date, MRN)."""
    s = ps.house_styles(large_print=False)
    width = ps.page_size(page_size_name)[0] - 36 * mm  # the house margins are 18 mm
    story: list[Flowable] = list(front or front_matter(minutes, page_size_name=page_size_name))
    if not minutes.items:
        story.append(Paragraph("No case was on the agenda.", s.body))
    for entry in minutes.items:
        story += [Paragraph(escape(text.entry_title(entry)), s.h2)]
        story += [_rows_table(text.entry_rows(entry), s, width)]
    story += [Paragraph("Summary", s.h1), _rows_table(text.summary_rows(minutes), s, width)]
    return _build(minutes, story, page_size_name, one_patient=one_patient)


def front_matter(minutes: c.MeetingMinutes, *, page_size_name: str = "A4") -> list[Flowable]:
    """Title, the meeting's details and the attendance: the same for every agenda item,
    and never naming a patient, so one layout serves every patient's own PDF."""
    s = ps.house_styles(large_print=False)
    m = minutes.meeting
    width = ps.page_size(page_size_name)[0] - 36 * mm
    return [
        Paragraph(escape(m.title), s.title),
        Paragraph(f"Minutes of the multidisciplinary team meeting, {m.date}", s.subtitle),
        _rows_table(text.header_rows(minutes), s, width),
        Paragraph("Attendance", s.h1),
        *_attendance(minutes, s, width),
        Paragraph("Agenda items", s.h1),
    ]


def _build(
    minutes: c.MeetingMinutes, story: list[Flowable], page_size_name: str, *, one_patient: bool
) -> bytes:
    s = ps.house_styles(large_print=False)
    m = minutes.meeting
    centre = minutes.centre.get("name")
    banner = " · ".join(x for x in (centre, m.title, str(m.date)) if x)
    if one_patient and len(minutes.items) == 1:
        banner = f"{patient_banner(minutes.items[0].patient)} · {banner}"
    if minutes.pseudonymised:
        banner += " · PSEUDONYMISED"
    return ps.build_pdf(
        story,
        info=ps.DocumentInfo(
            title=f"Minutes: {m.title} ({m.date})",
            subject="MDT meeting minutes",
            keywords=("MDT", "minutes", "anaplastic thyroid cancer"),
        ),
        decoration=ps.PageDecoration(
            banner=banner,
            footer=f"Produced {text.moment(minutes.generated_at)} by {minutes.generated_by}",
            draft=m.status != "closed",
            draft_text=PROVISIONAL,
        ),
        styles=s,
        page_size_name=page_size_name,
    )


def patient_banner(p: c.PatientRef) -> str:
    """Name, birth date and MRN as every page of a patient's own document shows them
    (a pseudonymised patient has one code for name and MRN, shown once)."""
    bits = [p.name.upper() if p.mrn != p.name else p.name]
    if p.birth_date:
        bits.append(f"born {p.birth_date.isoformat()}")
    if p.mrn != p.name:
        bits.append(f"MRN {p.mrn}")
    return " · ".join(bits)


def _cell(line: str, style: ParagraphStyle) -> Paragraph:
    markup = escape(line)
    if text.is_alert(line):
        markup = f'<font color="{ALERT}"><b>{markup}</b></font>'
    return Paragraph(markup, style)


def _rows_table(rows: text.Rows, s: ps.HouseStyles, width: float) -> Table:
    data = [
        [_cell(label, s.cell_head), [_cell(line, s.cell) for line in lines]]
        for label, lines in rows
    ]
    table = Table(data, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], hAlign="LEFT")
    style = [cmd for cmd in ps.house_table_style(s) if cmd[0] not in ("BACKGROUND", "LINEBELOW")]
    style += [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, ps.RULE),
        ("BACKGROUND", (0, 0), (0, -1), ps.SHADE),
    ]
    table.setStyle(TableStyle(style))
    return table


def _attendance(m: c.MeetingMinutes, s: ps.HouseStyles, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    if m.attendees:
        head = [Paragraph(x, s.cell_head) for x in ("Name", "Specialty", "Attendance")]
        body = [[Paragraph(escape(x), s.cell) for x in text.attendee_line(a)] for a in m.attendees]
        table = Table([head, *body], colWidths=[width * 0.4, width * 0.4, width * 0.2])
        table.setStyle(TableStyle(ps.house_table_style(s)))
        out.append(table)
    else:
        out.append(Paragraph("No attendance was recorded.", s.body))
    out.append(_cell(m.quorum.describe(), s.note))
    return out
