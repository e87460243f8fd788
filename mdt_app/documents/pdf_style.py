"""The house style of every PDF the app writes (care programme, minutes).

One embedded Unicode font family (DejaVu), paragraph styles scaled from one base size
(normal or large print), A4 or US Letter, a banner at the top of every page, "Page x of
y" at the bottom, an optional "DRAFT - not validated" mark, and the PDF's metadata.

Typical use::

    styles = house_styles(large_print=False)
    story = [Paragraph("Title", styles.title), Paragraph("Text", styles.body)]
    pdf = build_pdf(story, info=DocumentInfo(title="..."),
                    decoration=PageDecoration(banner="Ana KOWALSKA · MRN H1"),
                    styles=styles, page_size="A4")
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from mdt_app.paths import resource_path

FAMILY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
_FONT_FILES = {
    FAMILY: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
}

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}
DRAFT_MARK = "DRAFT - not validated"
NORMAL_BASE_SIZE = 12.0
PAGE_MARGIN = 18 * mm
LARGE_BASE_SIZE = 16.0  # large print: body at least 14 pt (we use 16, as low-vision guides do)

INK = colors.HexColor("#111111")
HEADING = colors.HexColor("#1F3A5F")
MUTED = colors.HexColor("#4A4A4A")
RULE = colors.HexColor("#9AA8B8")
SHADE = colors.HexColor("#EEF2F7")
DRAFT_RED = colors.HexColor("#B00020")


def register_fonts() -> str:
    """Register the DejaVu family once per process (bold/italic mapped); returns its name."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    # DejaVu ships no bold-oblique here: bold italic prints bold.
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    return FAMILY


def unprintable(text: str) -> list[str]:
    """Characters of ``text`` the house font has no glyph for (so they would not print)."""
    register_fonts()
    face: Any = pdfmetrics.getFont(FAMILY).face
    cmap = face.charToGlyph
    return sorted({ch for ch in text if ch.isprintable() and ch != " " and ord(ch) not in cmap})


def page_size(name: str) -> tuple[float, float]:
    """(width, height) in points for "A4" or "Letter"."""
    try:
        return PAGE_SIZES[name]
    except KeyError:
        raise ValueError(f"unknown page size {name!r}; use A4 or Letter") from None


@dataclass(frozen=True)
class HouseStyles:
    """Paragraph styles of one document, all scaled from ``base_size``."""

    base_size: float
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    banner: ParagraphStyle

    @property
    def large_print(self) -> bool:
        return self.base_size >= 14


def house_styles(large_print: bool = False) -> HouseStyles:
    """The house paragraph styles for normal print (12 pt body) or large print (16 pt)."""
    register_fonts()
    b = LARGE_BASE_SIZE if large_print else NORMAL_BASE_SIZE

    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("fontName", FAMILY)
        kw.setdefault("bulletFontName", FAMILY)  # never fall back to an unembedded Helvetica
        kw.setdefault("bulletFontSize", size)  # reportlab's default is 10 pt, even in large print
        kw.setdefault("textColor", INK)
        kw.setdefault("alignment", TA_LEFT)
        return ParagraphStyle(name, fontSize=size, leading=round(size * 1.3, 1), **kw)

    return HouseStyles(
        base_size=b,
        title=style("title", b * 1.9, fontName=BOLD, textColor=HEADING, spaceAfter=b * 0.4),
        subtitle=style("subtitle", b * 1.1, textColor=MUTED, spaceAfter=b * 0.8),
        h1=style(
            "h1",
            b * 1.5,
            fontName=BOLD,
            textColor=HEADING,
            spaceBefore=b * 1.0,
            spaceAfter=b * 0.4,
            keepWithNext=1,
        ),
        h2=style(
            "h2",
            b * 1.2,
            fontName=BOLD,
            textColor=HEADING,
            spaceBefore=b * 0.7,
            spaceAfter=b * 0.3,
            keepWithNext=1,
        ),
        h3=style(
            "h3", b * 1.05, fontName=BOLD, spaceBefore=b * 0.5, spaceAfter=b * 0.15, keepWithNext=1
        ),
        body=style("body", b, spaceAfter=b * 0.4),
        bullet=style("bullet", b, leftIndent=b * 1.4, bulletIndent=b * 0.3, spaceAfter=b * 0.15),
        small=style("small", max(b * 0.8, 9.0), textColor=MUTED, spaceAfter=b * 0.3),
        note=style(
            "note",
            b,
            backColor=SHADE,
            borderPadding=b * 0.5,
            spaceBefore=b * 0.6,
            spaceAfter=b * 0.9,
        ),
        cell=style("cell", b * 0.95),
        cell_head=style("cell_head", b * 0.95, fontName=BOLD, textColor=HEADING),
        banner=style("banner", max(b * 0.9, 10.0), fontName=BOLD),
    )


def house_table_style(styles: HouseStyles) -> list[tuple]:
    """TableStyle commands for a plain table whose first row is a header."""
    pad = styles.base_size * 0.35
    return [
        # Tables set their cells' font even when the cells are paragraphs: never Helvetica,
        # which would be referenced without being embedded.
        ("FONT", (0, 0), (-1, -1), FAMILY, styles.cell.fontSize),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, HEADING),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
    ]


@dataclass(frozen=True)
class DocumentInfo:
    """PDF metadata: what a screen reader or a file browser shows."""

    title: str
    author: str = "MDT Assistant"
    subject: str = ""
    lang: str = "en"
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageDecoration:
    """What every page carries: the banner (patient or meeting), a footer and the mark."""

    banner: str
    footer: str = ""
    page_label: str = "Page {page} of {pages}"
    draft: bool = False
    draft_text: str = DRAFT_MARK


@dataclass
class _Layout:
    width: float
    height: float
    margin: float
    header_height: float
    footer_height: float
    styles: HouseStyles
    decoration: PageDecoration
    # PDF outline entries (page, key, level, text), bookmarked when the pages are written.
    outline: list[tuple[int, str, int, str]] = field(default_factory=list)


def _draw_page_furniture(canv: Canvas, doc: BaseDocTemplate) -> None:
    """Header (banner, draft mark) and the watermark; drawn before the page's content."""
    lay: _Layout = doc._house_layout
    deco, s = lay.decoration, lay.styles
    top = lay.height - lay.margin
    canv.saveState()
    if deco.draft:
        _draw_watermark(canv, lay)
        canv.setFillColor(DRAFT_RED)
        canv.setFont(BOLD, s.banner.fontSize)
        canv.drawCentredString(lay.width / 2, top - s.banner.fontSize, deco.draft_text)
        top -= s.banner.leading * 1.3
    banner = Paragraph(escape(deco.banner), s.banner)
    _w, h = banner.wrapOn(canv, lay.width - 2 * lay.margin, lay.header_height)
    banner.drawOn(canv, lay.margin, top - h)
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.8)
    rule_y = top - h - s.base_size * 0.4
    canv.line(lay.margin, rule_y, lay.width - lay.margin, rule_y)
    canv.restoreState()


def _draw_watermark(canv: Canvas, lay: _Layout) -> None:
    text = lay.decoration.draft_text
    diagonal = math.hypot(lay.width, lay.height)
    size = 0.7 * diagonal / max(pdfmetrics.stringWidth(text, BOLD, 1), 1)
    canv.saveState()
    canv.setFillColor(DRAFT_RED)
    canv.setFillAlpha(0.09)
    canv.translate(lay.width / 2, lay.height / 2)
    canv.rotate(math.degrees(math.atan2(lay.height, lay.width)))
    canv.setFont(BOLD, size)
    canv.drawCentredString(0, -size / 3, text)
    canv.restoreState()


def _numbered_canvas(lay: _Layout) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each can say "Page x of y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                _draw_footer(self, lay, number, total)
                # Bookmarks name the page being written, so they are set only now.
                for page, key, level, text in lay.outline:
                    if page == number:
                        self.bookmarkPage(key)
                        self.addOutlineEntry(text, key, level=level, closed=False)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _draw_footer(canv: Canvas, lay: _Layout, page: int, pages: int) -> None:
    size = lay.styles.small.fontSize
    y = lay.margin * 0.75
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(lay.margin, y + size * 1.4, lay.width - lay.margin, y + size * 1.4)
    canv.setFillColor(MUTED)
    canv.setFont(FAMILY, size)
    if lay.decoration.footer:
        canv.drawString(lay.margin, y, lay.decoration.footer)
    canv.setFont(BOLD, size)
    label = lay.decoration.page_label.format(page=page, pages=pages)
    canv.drawRightString(lay.width - lay.margin, y, label)
    canv.restoreState()


class _HouseDocTemplate(BaseDocTemplate):
    """Adds a PDF outline (bookmarks) entry for every h1/h2 paragraph."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if not isinstance(flowable, Paragraph):
            return
        level = {"h1": 0, "h2": 1}.get(flowable.style.name)
        if level is None:
            return
        lay: _Layout = self._house_layout
        page = self.canv.getPageNumber()
        lay.outline.append((page, f"h{len(lay.outline)}", level, flowable.getPlainText()))


def build_pdf(
    story: Sequence[Flowable],
    *,
    info: DocumentInfo,
    decoration: PageDecoration,
    styles: HouseStyles,
    page_size_name: str = "A4",
) -> bytes:
    """Lay ``story`` out in the house style and return the PDF's bytes."""
    register_fonts()
    width, height = page_size(page_size_name)
    margin = PAGE_MARGIN
    banner_lines = 2  # room for a long name that wraps
    header = styles.banner.leading * (banner_lines + (1.3 if decoration.draft else 0))
    header += styles.base_size * 1.2
    footer = styles.small.leading * 2.5
    lay = _Layout(width, height, margin, header, footer, styles, decoration)
    frame = Frame(
        margin,
        margin + footer,
        width - 2 * margin,
        height - 2 * margin - header - footer,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    out = io.BytesIO()
    doc = _HouseDocTemplate(
        out,
        pagesize=(width, height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=info.title,
        author=info.author,
        subject=info.subject,
        creator="MDT Assistant",
        keywords=list(info.keywords),
        lang=info.lang,
        displayDocTitle=True,
        initialFontName=FAMILY,
    )
    doc._house_layout = lay
    doc.addPageTemplates([PageTemplate("house", [frame], onPage=_draw_page_furniture)])
    doc.build(list(story), canvasmaker=_numbered_canvas(lay))
    return out.getvalue()
