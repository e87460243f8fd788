"""The full reference behind a citation ("ATA21 R20 (S-L)"): source, item text and grade,
read from resources/guidelines/references.yaml. Also splits "[unverified]" notes out of a
rationale so a window can show them as a discreet marker. Pure, no Qt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mdt_app.errors import UserError
from mdt_app.paths import resource_path

STRENGTH = {"S": "strong recommendation", "C": "conditional recommendation"}
EVIDENCE = {"H": "high", "M": "moderate", "L": "low"}
_GRADE = re.compile(r"^([SC])(?:-([HML]))?$")
_UNVERIFIED_SENTENCE = re.compile(r"\s*Unverified:\s*([^\n]*?)(?=$|\n)")
_UNVERIFIED_MARK = re.compile(r"\s*\[(unverified[^\]]*)\]", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """The full reference behind a citation tag."""

    tag: str
    authors: str
    title: str
    journal: str
    year: int | None
    details: str = ""
    link: str = ""

    def full(self) -> str:
        """'Authors. Title. Journal. Year;details.' (what a reference list prints)."""
        tail = f"{self.year}" if self.year else ""
        if self.details:
            tail = f"{tail};{self.details}" if tail else self.details
        parts = [self.authors, self.title, self.journal, tail]
        return ". ".join(p.rstrip(".") for p in parts if p) + "."


@dataclass(frozen=True)
class Reference:
    """One citation as the legend shows it."""

    citation: str  # as written in the pathway
    source: Source | None  # None: a source the project has no reference for
    item: str  # "Recommendation 20", "Good Practice Statement 5", "" for the whole source
    grade: str  # "strong recommendation, low-quality evidence" or ""
    text: str  # what the item says, where known
    note: str  # the citation's own remark, e.g. "grade unverified"

    @property
    def unverified(self) -> bool:
        return "unverified" in self.citation.lower()


@lru_cache(maxsize=1)
def _data() -> dict:
    import yaml  # on first use: the window paints before any citation is looked up

    path = resource_path("guidelines", "references.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: cannot read the guideline references ({exc})") from None
    return data


def _source(tag: str) -> Source | None:
    sources = _data().get("sources") or {}
    raw = sources.get(tag)
    if raw is None:
        return None
    if raw.get("same_as"):
        return _source(raw["same_as"])
    return Source(tag, str(raw.get("authors") or ""), str(raw.get("title") or ""),
                  str(raw.get("journal") or ""), raw.get("year"), str(raw.get("details") or ""),
                  str(raw.get("link") or ""))  # fmt: skip


def _item_words(tag: str, item: str) -> str:
    if tag == "GPS":
        return f"Good Practice Statement {item}"
    kinds = {"R": "Recommendation", "T": "Table", "Fig": "Figure"}
    found = re.match(r"^(R|T|Fig)(\S+)$", item)
    if found:
        return f"{kinds[found.group(1)]} {found.group(2)}"
    return item


def reference(citation: str) -> Reference:
    """The full reference for one citation string of the pathway."""
    main, _, remark = citation.partition("(")
    remark = remark.rstrip(")").strip()
    words = main.split()
    if not words:
        return Reference(citation, None, "", "", "", remark)
    gps = re.match(r"^GPS(\d+)$", words[0])
    tag, item = ("GPS", gps.group(1)) if gps else (words[0], " ".join(words[1:]))
    grade, note = "", remark
    found = _GRADE.match(remark)
    if found:
        grade = STRENGTH[found.group(1)]
        if found.group(2):
            grade += f", {EVIDENCE[found.group(2)]}-quality evidence"
        note = ""
    key = " ".join(words) if not gps else words[0]
    text = str((_data().get("items") or {}).get(key) or "")
    source = _source(tag)
    item_words = _item_words(tag, item).replace("/Fig", "/") if item and source else ""
    if tag == "FDA" and item:
        item_words = f"approval dated {item}" + (f" ({remark})" if remark else "")
        note = ""
    return Reference(citation, source, item_words, grade, text, note)


def split_unverified(text: str) -> tuple[str, tuple[str, ...]]:
    """(text without its unverified notes, the notes): for a discreet marker + tooltip."""
    notes = [m.group(1).strip() for m in _UNVERIFIED_SENTENCE.finditer(text)]
    text = _UNVERIFIED_SENTENCE.sub("", text)
    notes += [m.group(1).strip() for m in _UNVERIFIED_MARK.finditer(text)]
    text = _UNVERIFIED_MARK.sub("", text)
    return text.strip(), tuple(n for n in notes if n)
