"""The building blocks of a care programme (paragraphs, lists, tables, sections), its
glossary, and `Words`: one language's texts from resources/text/<lang>/ with date
formatting. No layout, no store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from mdt_app.texts import load_texts, text_language

GROUP_ORDER = ("tests", "treatment", "care", "not_for_atc")
NBSP = "\u00a0"


# --- the blocks a section is made of -------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """A paragraph; ``label`` is printed in bold before the text. Styles: body, lead,
    note (shaded box), alert (bold, boxed: what needs action), small."""

    text: str
    style: str = "body"
    label: str | None = None


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    label: str | None = None
    style: str = "body"  # "alert" for what to report straight away


@dataclass(frozen=True)
class SubHeading:
    text: str
    level: int = 3  # 2: a group of options; 3: one option


@dataclass(frozen=True)
class Table:
    """Rows of cells; a cell with several lines is a tuple of lines."""

    header: tuple[str, ...]
    rows: tuple[tuple[str | tuple[str, ...], ...], ...]
    widths: tuple[float, ...] = ()  # fractions of the text width
    show_header: bool = True


@dataclass(frozen=True)
class Definitions:
    entries: tuple[tuple[str, str], ...]


Block = Para | Bullets | SubHeading | Table | Definitions


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]
    keep_together: bool = False  # short sections that must not be cut (what to do urgently)
    after: tuple[Block, ...] = ()  # blocks after a kept-together part, free to run on


@dataclass(frozen=True)
class CareProgramme:
    """One patient's programme in one language, ready to lay out."""

    language: str
    title: str
    pdf_title: str
    subject: str
    subtitle_lines: tuple[str, ...]
    banner: str
    footer: str
    page_label: str
    draft: bool
    draft_mark: str
    sections: tuple[Section, ...]
    option_codes: tuple[str, ...] = ()
    glossary_terms: tuple[str, ...] = field(default=())
    keywords: tuple[str, ...] = ()  # PDF metadata, in the programme's language

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def texts(self, *, include_glossary: bool = True) -> Iterator[str]:
        """Every piece of text the document prints (banner, footer and body)."""
        yield from (self.title, self.banner, self.footer, self.draft_mark, *self.subtitle_lines)
        for section in self.sections:
            if section.key == "glossary" and not include_glossary:
                continue
            yield section.heading
            for block in (*section.blocks, *section.after):
                yield from _block_texts(block)


def _block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, Para):
        yield from (block.label or "", block.text)
    elif isinstance(block, Bullets):
        yield from (block.label or "", *block.items)
    elif isinstance(block, SubHeading):
        yield block.text
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            for cell in row:
                yield from (cell,) if isinstance(cell, str) else cell
    elif isinstance(block, Definitions):
        for term, definition in block.entries:
            yield from (term, definition)


# --- the glossary --------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    pattern: re.Pattern[str]

    def used_in(self, text: str) -> bool:
        return self.pattern.search(text) is not None


def _trigger_pattern(triggers: list[str]) -> re.Pattern[str]:
    """Whole-word match; a trigger with a capital letter matches only as written."""
    parts = []
    for trigger in triggers:
        words = r"\s+".join(re.escape(w) for w in trigger.split())
        parts.append(words if trigger != trigger.lower() else f"(?i:{words})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


@cache
def glossary(language: str) -> tuple[GlossaryTerm, ...]:
    """The glossary of ``language``, in alphabetical order of term."""
    entries = load_texts("glossary", language)["terms"]
    terms = [
        GlossaryTerm(e["term"], " ".join(e["definition"].split()), _trigger_pattern(e["triggers"]))
        for e in entries
    ]
    return tuple(sorted(terms, key=lambda t: t.term.casefold()))


def terms_used(texts: list[str], language: str) -> tuple[GlossaryTerm, ...]:
    """The glossary terms any of ``texts`` uses."""
    body = "\n".join(texts)
    return tuple(t for t in glossary(language) if t.used_in(body))


# --- one language's words ---------------------------------------------------------------------


def shipped_languages() -> tuple[str, ...]:
    """Languages with a care programme text file (English first)."""
    from mdt_app.paths import resource_path

    root = resource_path("text")
    found = sorted(p.name for p in root.iterdir() if (p / "care_programme.yaml").is_file())
    return tuple(sorted(found, key=lambda lang: (lang != "en", lang)))


class Words:
    """The language's texts with formatting helpers."""

    def __init__(self, language: str):
        self.language = text_language("care_programme", language)
        self.t: dict[str, Any] = load_texts("care_programme", self.language)
        self.options: dict[str, Any] = load_texts("options", self.language)

    def __getitem__(self, path: str) -> Any:
        node: Any = self.t
        for key in path.split("."):
            node = node[key]
        return " ".join(node.split()) if isinstance(node, str) else node

    def fmt(self, path: str, **values: Any) -> str:
        return self[path].format(**values)

    def items(self, path: str) -> tuple[str, ...]:
        """A list of texts, each on one line."""
        return tuple(" ".join(str(i).split()) for i in self[path])

    def day(self, value: date | None) -> str:
        """An unambiguous date in the language's order ("2 April 1951", "2. April 1951",
        "1er avril 1951"): the month in words, never 02/04."""
        if value is None:
            return self["dates.not_recorded"]
        dates = self.t["dates"]
        month = dates["months"][value.month - 1]
        day = dates.get("first_day", "{day}") if value.day == 1 else "{day}"
        return str(dates["format"]).format(day=day.format(day=value.day), month=month,
                                           year=value.year)  # fmt: skip

    def number(self, value: float) -> str:
        """A number as the language writes it: "2.5" in English, "2,5" in French and German;
        whole numbers without decimals."""
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text.replace(".", str(self.t["dates"].get("decimal", ".")))

    def month(self, value: date) -> str:
        """ "June 2026"."""
        month = self.t["dates"]["months"][value.month - 1]
        return str(self.t["dates"]["month_format"]).format(month=month, year=value.year)

    def option_title(self, code: str) -> str | None:
        text = self.options.get(code)
        return " ".join(text["title"].split()) if text else None
