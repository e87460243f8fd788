"""Lays a CareProgramme out as a PDF in the house style (pdf_style)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from mdt_app.documents import pdf_style as ps
from mdt_app.documents.care_programme_content import (
    Block,
    Bullets,
    CareProgramme,
    Definitions,
    Para,
    SubHeading,
)
from mdt_app.documents.care_programme_content import Table as TableBlock
from mdt_app.errors import ValidationError

ALERT_BACK = colors.HexColor("#FFF3D6")
ALERT_BAR = colors.HexColor("#C77700")


class UnprintableText(ValidationError):
    """Text with characters the embedded font cannot print (they would be lost)."""


def render_care_programme(
    programme: CareProgramme, *, large_print: bool = False, page_size: str = "A4"
) -> bytes:
    """The programme as PDF bytes: A4 or Letter, normal or large print."""
    _check_printable(programme)
    styles = ps.house_styles(large_print=large_print)
    story = _Story(styles, ps.page_size(page_size)[0] - 2 * ps.PAGE_MARGIN).build(programme)
    return ps.build_pdf(
        story,
        info=ps.DocumentInfo(
            title=programme.pdf_title,
            subject=programme.subject,
            lang=programme.language,
            keywords=programme.keywords or ("care programme", "anaplastic thyroid cancer"),
        ),
        decoration=ps.PageDecoration(
            banner=programme.banner,
            footer=programme.footer,
            page_label=programme.page_label,
            draft=programme.draft,
            draft_text=programme.draft_mark,
        ),
        styles=styles,
        page_size_name=page_size,
    )


def _check_printable(programme: CareProgramme) -> None:
    missing = ps.unprintable("".join(programme.texts()))
    if missing:
        shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing)
        raise UnprintableText(
            f"the care programme cannot print these characters with its font: {shown}"
        )


def _text(value: str) -> str:
    return escape(value)


class _Story:
    """Turns content blocks into reportlab flowables."""

    def __init__(self, styles: ps.HouseStyles, width: float):
        self.s = styles
        self.width = width
        b = styles.base_size
        self.lead = ParagraphStyle(
            "lead", parent=styles.body, fontSize=b * 1.05, leading=round(b * 1.45, 1)
        )
        self.alert = ParagraphStyle("alert", parent=styles.body, fontName=ps.BOLD, spaceAfter=0)
        self.boxed = ParagraphStyle("boxed", parent=styles.body, spaceAfter=0)
        self.label = ParagraphStyle("label", parent=styles.body, spaceAfter=b * 0.2, keepWithNext=1)
        self.alert_bullet = ParagraphStyle("alert_bullet", parent=styles.bullet, spaceAfter=b * 0.1)
        # named "h1" so the PDF outline lists it like every other section
        self.first_h1 = ParagraphStyle("h1", parent=styles.h1, spaceBefore=b * 0.3)

    def build(self, programme: CareProgramme) -> list[Flowable]:
        s = self.s
        # Page 1 must hold the whole emergency box, in every language and in large print:
        # the title is only a little larger than the headings, the subtitle one paragraph.
        title = ParagraphStyle(
            "pcp_title", parent=s.title, fontSize=s.h1.fontSize * 1.15,
            leading=round(s.h1.fontSize * 1.15 * 1.25, 1), spaceAfter=s.base_size * 0.3,
        )  # fmt: skip
        subtitle = ParagraphStyle(
            "pcp_subtitle", parent=s.subtitle, spaceBefore=s.base_size * 0.6,
            spaceAfter=s.base_size * 0.3,
        )  # fmt: skip
        story: list[Flowable] = [Paragraph(_text(programme.title), title)]
        who = Paragraph("<br/>".join(_text(x) for x in programme.subtitle_lines), subtitle)
        if programme.section("emergency") is None:
            story.append(who)
        for section in programme.sections:
            flowables: list[Flowable] = []
            if section.heading:  # keepWithNext: a heading never ends a page
                h1 = self.first_h1 if section.key == "emergency" else s.h1
                flowables.append(Paragraph(_text(section.heading), h1))
            for block in section.blocks:
                flowables.extend(self.block(block))
            story.extend([KeepTogether(flowables)] if section.keep_together else flowables)
            for block in section.after:
                story.extend(self.block(block))
            if section.key == "emergency":  # whom it is for, right after what to do now
                story.append(who)
        return story

    def block(self, block: Block) -> list[Flowable]:
        if isinstance(block, Para):
            return self.para(block)
        if isinstance(block, Bullets):
            return self.bullets(block)
        if isinstance(block, SubHeading):
            style = self.s.h2 if block.level == 2 else self.s.h3
            return [Paragraph(_text(block.text), style)]
        if isinstance(block, TableBlock):
            return [self.table(block)]
        return self.definitions(block)

    def para(self, block: Para) -> list[Flowable]:
        text = _text(block.text)
        if block.label:
            text = f"<b>{_text(block.label)}:</b> {text}"
        if block.style == "alert":
            return [self.box([Paragraph(text, self.alert)], ALERT_BACK, ALERT_BAR)]
        if block.style == "note":
            return [self.box([Paragraph(text, self.boxed)], ps.SHADE, ps.RULE)]
        style = {"lead": self.lead, "small": self.s.small}.get(block.style, self.s.body)
        return [Paragraph(text, style)]

    def bullets(self, block: Bullets) -> list[Flowable]:
        alert = block.style == "alert"
        item_style = self.alert_bullet if alert else self.s.bullet
        items: list[Flowable] = [
            Paragraph(_text(item), item_style, bulletText="•") for item in block.items
        ]
        head = [Paragraph(f"<b>{_text(block.label)}</b>", self.label)] if block.label else []
        if alert:
            return [self.box(head + items, ALERT_BACK, ALERT_BAR)]
        return head + items  # the label is keepWithNext: it never ends a page alone

    def box(self, content: list[Flowable], back: colors.Color, bar: colors.Color) -> Flowable:
        pad = self.s.base_size * 0.5
        # one row that cannot split: the box is never cut in two
        table = Table([[content]], colWidths=[self.width], spaceAfter=self.s.base_size * 0.5)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), ps.FAMILY, self.s.base_size),
                    ("BACKGROUND", (0, 0), (-1, -1), back),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, bar),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ]
            )
        )
        return table

    def table(self, block: TableBlock) -> Flowable:
        s = self.s

        def cell(value: str | tuple[str, ...], style: ParagraphStyle) -> Paragraph:
            lines = (value,) if isinstance(value, str) else value
            return Paragraph("<br/>".join(_text(line) for line in lines), style)

        commands = ps.house_table_style(s)
        if block.show_header:
            rows = [[cell(h, s.cell_head) for h in block.header]]
            rows += [[cell(c, s.cell) for c in r] for r in block.rows]
        else:  # label / value rows: labels bold, no header band
            rows = [
                [cell(c, s.cell_head if i == 0 else s.cell) for i, c in enumerate(r)]
                for r in block.rows
            ]
            commands = [c for c in commands if c[0] != "BACKGROUND" and c[1:3] != ((0, 0), (-1, 0))]
            commands.append(("LINEABOVE", (0, 0), (-1, 0), 0.4, ps.RULE))
            commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.4, ps.RULE))
        widths = [self.width * f for f in block.widths] if block.widths else None
        table = Table(
            rows,
            colWidths=widths,
            repeatRows=1 if block.show_header else 0,
            spaceAfter=s.base_size * 0.8,
        )
        table.setStyle(TableStyle(commands))
        return table

    def definitions(self, block: Definitions) -> list[Flowable]:
        """One term a line, in a single column: the easiest to read down."""
        b = self.s.base_size
        style = ParagraphStyle(
            "definition", parent=self.s.body, leftIndent=b, firstLineIndent=-b, spaceAfter=b * 0.3
        )
        return [
            Paragraph(f"<b>{_text(term)}</b>: {_text(definition)}", style)
            for term, definition in block.entries
        ]
