"""What a Personalized Care Programme says, built from plain data; no layout, no store.

`care_programme_for(case, decision, meeting, centre)` turns the team's decision into a
`CareProgramme`: the patient's banner and a list of sections made of simple blocks
(paragraphs, bullet lists, tables). Every sentence comes from resources/text/<lang>/, so
a translation needs no code. The glossary holds exactly the terms the other sections use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any

from mdt_app import domain as d
from mdt_app.staging import stage_for
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

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def texts(self, *, include_glossary: bool = True) -> Iterator[str]:
        """Every piece of text the document prints (banner, footer and body)."""
        yield from (self.title, self.banner, self.footer, self.draft_mark, *self.subtitle_lines)
        for section in self.sections:
            if section.key == "glossary" and not include_glossary:
                continue
            yield section.heading
            for block in section.blocks:
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


# --- building ------------------------------------------------------------------------------


class _Words:
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

    def day(self, value: date | None) -> str:
        """An unambiguous date: "2 April 1951" (month in words, never 02/04)."""
        if value is None:
            return self["dates.not_recorded"]
        month = self.t["dates"]["months"][value.month - 1]
        return self["dates.format"].format(day=value.day, month=month, year=value.year)


def care_programme_for(
    case: d.Case,
    decision: d.Decision,
    meeting: d.Meeting,
    centre: Mapping[str, Any] | None,
    *,
    today: date | None = None,
    language: str | None = None,
) -> CareProgramme:
    """The care programme of ``decision`` (signed, or a draft to be marked as such)."""
    w = _Words(language or case.patient.preferred_language or "en")
    today = today or date.today()
    patient = case.patient
    draft = not decision.is_signed
    sections = [
        _care_team(w, case, centre),
        _illness(w, case, decision),
        _recommendations(w, decision),
        *([_trial(w, decision)] if decision.clinical_trial else []),
        _next_steps(w, decision),
        _follow_up(w, case, decision),
        _urgent(w),
        _validation(w, decision, draft),
        _listed(w, "questions"),
        _listed(w, "tips"),
        _listed(w, "support"),
    ]
    subtitle = [w.fmt("intro.for", name=patient.display_name)]
    subtitle += [w.fmt("intro.meeting", date=w.day(meeting.date))]
    subtitle += [w.fmt("intro.made", date=w.day(today))]
    intro = [Para(w["document.draft_note"], "alert")] if draft else []
    intro.append(Para(w["intro.lead"], "lead"))
    sections.insert(0, Section("intro", "", tuple(intro)))
    programme = CareProgramme(
        language=w.language,
        title=w["document.title"],
        pdf_title=w.fmt("document.pdf_title", name=patient.display_name),
        subject=w["document.subject"],
        subtitle_lines=tuple(subtitle),
        banner=_banner(w, patient),
        footer=w.fmt("document.footer", date=w.day(today)),
        page_label=w["document.page_label"],
        draft=draft,
        draft_mark=w["document.draft_mark"],
        sections=tuple(sections),
        option_codes=tuple(decision.chosen_options),
    )
    return _with_glossary(w, programme)


def _with_glossary(w: _Words, programme: CareProgramme) -> CareProgramme:
    used = terms_used(list(programme.texts(include_glossary=False)), w.language)
    if not used:
        return programme
    section = Section(
        "glossary",
        w["glossary.heading"],
        (Definitions(tuple((t.term, t.definition) for t in used)),),
    )
    return replace(
        programme,
        sections=(*programme.sections, section),
        glossary_terms=tuple(t.term for t in used),
    )


def _banner(w: _Words, patient: d.Patient) -> str:
    """ "Zoë ŁUKASIEWICZ-ÅNGSTRÖM · born 2 April 1951 · Hospital number H123456"."""
    family = "".join(ch if ch == "ß" else ch.upper() for ch in patient.family_name)
    name = f"{patient.given_name} {family}".strip()
    parts = [
        name,
        w.fmt("banner.born", date=w.day(patient.birth_date)),
        w.fmt("banner.number", mrn=patient.mrn),
    ]
    # Non-breaking spaces keep "born 2 April 1951" and the number on one line each.
    return " · ".join([parts[0]] + [p.replace(" ", NBSP) for p in parts[1:]])


def _lines(*values: str | None) -> tuple[str, ...]:
    return tuple(v for v in values if v)


def _care_team(w: _Words, case: d.Case, centre: Mapping[str, Any] | None) -> Section:
    ct, missing = case.care_team, w["care_team.not_recorded"]
    centre = centre or {}
    phone = ct.key_contact_phone and w.fmt("care_team.phone", phone=ct.key_contact_phone)
    contact = _lines(ct.key_contact_name, phone) or (missing,)
    centre_lines = _lines(
        centre.get("name") or ct.centre,
        centre.get("address"),
        centre.get("phone") and w.fmt("care_team.phone", phone=centre["phone"]),
        centre.get("email") and w.fmt("care_team.email", email=centre["email"]),
    )
    rows: tuple[tuple[str | tuple[str, ...], ...], ...] = (
        (w["care_team.key_contact"], contact),
        (w["care_team.referring_doctor"], case.referral.referring_clinician or missing),
        (w["care_team.centre"], centre_lines or (missing,)),
    )
    blocks: tuple[Block, ...] = (
        Table(("", ""), rows, widths=(0.32, 0.68), show_header=False),
        Para(w["care_team.key_contact_help"]),
        Para(w["care_team.team"]),
    )
    return Section("care_team", w["care_team.heading"], blocks)


def _illness(w: _Words, case: d.Case, decision: d.Decision) -> Section:
    stage = (decision.options_snapshot or {}).get("stage") or stage_for(case.tnm).stage
    stages = w["illness.stages"]
    blocks: list[Block] = [Para(w["illness.disease"])]
    if stage in stages:
        blocks.append(Para(" ".join(stages[stage].split())))
    blocks.append(Para(w["illness.ask"]))
    return Section("illness", w["illness.heading"], tuple(blocks))


def _option_blocks(w: _Words, code: str) -> list[Block]:
    text = w.options.get(code)
    if text is None:  # a code this language does not explain yet: never print the code
        return [Para(w["recommendations.unknown_option"])]
    clean = {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in text.items()}
    blocks: list[Block] = [
        SubHeading(clean["title"]),
        Para(clean["what"], label=w["recommendations.what"]),
        Para(clean["why"], label=w["recommendations.why"]),
        Para(clean["how"], label=w["recommendations.how"]),
    ]
    side_effects = tuple(" ".join(s.split()) for s in clean.get("side_effects") or ())
    if side_effects:
        blocks.append(Bullets(side_effects, label=w["recommendations.side_effects"]))
    report = tuple(" ".join(s.split()) for s in clean.get("report") or ())
    if report:
        blocks.append(Bullets(report, label=w["recommendations.report"], style="alert"))
    return blocks


def _group_of(w: _Words, code: str) -> str:
    group = (w.options.get(code) or {}).get("group", "treatment")
    return group if group in GROUP_ORDER else "treatment"


def _recommendations(w: _Words, decision: d.Decision) -> Section:
    blocks: list[Block] = [Para(w["recommendations.intro"])]
    codes = list(dict.fromkeys(decision.chosen_options))  # once each, in the team's order
    if not codes:
        blocks.append(Para(w["recommendations.nothing_chosen"]))
    for group in GROUP_ORDER:
        in_group = [c for c in codes if _group_of(w, c) == group]
        if not in_group:
            continue
        blocks.append(SubHeading(w[f"recommendations.groups.{group}"], level=2))
        for code in in_group:
            blocks.extend(_option_blocks(w, code))
    if decision.plan_text.strip():
        blocks.append(SubHeading(w["recommendations.plan_notes"]))
        blocks.append(Para(w["recommendations.plan_notes_help"], "small"))
        for paragraph in re.split(r"\n\s*\n", decision.plan_text.strip()):
            blocks.append(Para(" ".join(paragraph.split()), "note"))
    return Section("recommendations", w["recommendations.heading"], tuple(blocks))


def _trial(w: _Words, decision: d.Decision) -> Section:
    blocks: list[Block] = [Para(w["trial.text"]), Para(str(decision.clinical_trial), "note")]
    if "CLINICAL_TRIAL" not in decision.chosen_options and "CLINICAL_TRIAL" in w.options:
        blocks.append(Para(" ".join(w.options["CLINICAL_TRIAL"]["what"].split())))
    blocks.append(Para(w["trial.help"]))
    return Section("trial", w["trial.heading"], tuple(blocks))


def _next_steps(w: _Words, decision: d.Decision) -> Section:
    if not decision.actions:
        return Section("next_steps", w["next_steps.heading"], (Para(w["next_steps.none"]),))
    rows = tuple(
        (
            a.description,
            a.owner or w["next_steps.who_default"],
            w.day(a.due_date) if a.due_date else w["next_steps.when_default"],
        )
        for a in decision.actions
    )
    header = (w["next_steps.what"], w["next_steps.who"], w["next_steps.when"])
    blocks = (Para(w["next_steps.intro"]), Table(header, rows, widths=(0.46, 0.3, 0.24)))
    return Section("next_steps", w["next_steps.heading"], blocks)


def _follow_up(w: _Words, case: d.Case, decision: d.Decision) -> Section:
    months = decision.follow_up_months
    interval = (
        w["follow_up.interval_one"] if months == 1 else w.fmt("follow_up.interval", months=months)
    )
    if decision.follow_up_weeks:  # set in weeks at the meeting: say it in weeks
        interval = w.fmt("follow_up.interval_weeks", weeks=decision.follow_up_weeks)
    items = tuple(
        w[f"follow_up.items.{item}"]
        for item in d.FOLLOW_UP_ITEMS
        if item in decision.follow_up_items
    )
    blocks: list[Block] = [Para(interval)]
    if items:
        blocks.append(Bullets(items, label=w["follow_up.includes"]))
    contact = case.care_team.key_contact_name
    who = (
        w.fmt("follow_up.arranged_by", contact=contact)
        if contact
        else w["follow_up.arranged_by_team"]
    )
    blocks.append(Para(who))
    return Section("follow_up", w["follow_up.heading"], tuple(blocks))


def _urgent(w: _Words) -> Section:
    blocks: tuple[Block, ...] = (
        Para(w["urgent.emergency"], "alert"),
        Bullets(tuple(w["urgent.items"]), label=w["urgent.intro"]),
        Para(w["urgent.out_of_hours"]),
    )
    return Section("urgent", w["urgent.heading"], blocks, keep_together=True)


def _listed(w: _Words, key: str) -> Section:
    blocks: list[Block] = []
    intro = w.t[key].get("intro")
    if intro:
        blocks.append(Para(" ".join(intro.split())))
    blocks.append(Bullets(tuple(" ".join(i.split()) for i in w.t[key]["items"])))
    return Section(key, w[f"{key}.heading"], tuple(blocks))


def _validation(w: _Words, decision: d.Decision, draft: bool) -> Section:
    blocks: list[Block] = []
    if draft:
        blocks.append(Para(w["validation.not_validated"], "alert"))
    else:
        signed_on = decision.signed_at.date() if decision.signed_at else None
        blocks.append(Para(w.fmt("validation.chair", chair=decision.signed_by or "")))
        blocks.append(Para(w.fmt("validation.signed", date=w.day(signed_on))))
    guideline = (decision.options_snapshot or {}).get("guideline", {}).get("title")
    guideline = guideline or decision.guideline_id
    if guideline or decision.guideline_version:
        blocks.append(
            Para(
                w.fmt(
                    "validation.guideline",
                    guideline=guideline or "",
                    version=decision.guideline_version or "",
                )
            )
        )
    if decision.amends_decision_id:
        blocks.append(Para(w["validation.amended"]))
    blocks.append(Para(w["validation.statement"], "note"))
    return Section("validation", w["validation.heading"], tuple(blocks), keep_together=True)
