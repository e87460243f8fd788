"""The citation legend: the full reference behind each source of an option (authors,
title, journal, year, and what the cited item says where the project has it)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from mdt_app.errors import UserError
from mdt_app.guideline.references import Reference, reference


def references_for(citations: list[str]) -> list[Reference]:
    """The references of ``citations`` (an unreadable references file gives bare ones)."""
    out = []
    for citation in citations:
        try:
            out.append(reference(citation))
        except UserError:
            out.append(Reference(citation, None, "", "", "", ""))
    return out


def legend_html(title: str, refs: list[Reference], chosen: int | None = None) -> str:
    """The legend as HTML; the ``chosen`` citation (the one clicked) is marked."""
    blocks = [f"<h3>{escape(title)}</h3>"]
    for i, ref in enumerate(refs):
        head = f"<b>{escape(ref.citation)}</b>" + (" ◀" if i == chosen else "")
        lines = [head]
        if ref.item or ref.grade:
            lines.append(escape(", ".join(x for x in (ref.item, ref.grade) if x)))
        if ref.source is not None:
            lines.append(escape(ref.source.full()))
            if ref.source.link:
                lines.append(f'<a href="{escape(ref.source.link)}">{escape(ref.source.link)}</a>')
        else:
            lines.append("<i>No full reference is recorded for this source.</i>")
        if ref.text:
            lines.append(f"<i>What it says (our summary):</i> {escape(ref.text)}")
        if ref.note:
            lines.append(f"<i>Note:</i> {escape(ref.note)}")
        blocks.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(blocks)


class CitationLegend(QDialog):
    """Shows the references of one option; opened from its sources line or with Enter."""

    def __init__(self, title: str, citations: list[str], chosen: int | None = None,
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.setObjectName("citationLegend")
        self.setWindowTitle(self.tr("Sources: {title}").format(title=title))
        self.refs = references_for(citations)
        self.text = QTextBrowser()
        self.text.setObjectName("citationText")
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(legend_html(title, self.refs, chosen))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def plain_text(self) -> str:
        return self.text.toPlainText()
