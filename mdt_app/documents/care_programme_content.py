"""What a Personalized Care Programme says, built from plain data; no layout, no store.

`care_programme_for(case, decision, meeting, centre)` turns the team's decision into a
`CareProgramme`: the patient's banner and a list of sections made of simple blocks
(paragraphs, bullet lists, tables). Every sentence comes from resources/text/<lang>/, so
a translation needs no code. The clinicians' plan text is never printed: the patient
reads the option explanations and the words the team wrote for them. Sections that do
not apply to the patient are left out. The glossary holds exactly the terms used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from mdt_app import domain as d
from mdt_app.documents import care_programme_sections as sections
from mdt_app.documents.care_programme_blocks import (
    Block,
    Bullets,
    CareProgramme,
    Definitions,
    GlossaryTerm,
    Para,
    Section,
    SubHeading,
    Table,
    Words,
    glossary,
    shipped_languages,
    terms_used,
)
from mdt_app.documents.care_programme_facts import programme_facts

__all__ = [
    "GROUP_ORDER",
    "Block",
    "Bullets",
    "CareProgramme",
    "Definitions",
    "GlossaryTerm",
    "Para",
    "Section",
    "SubHeading",
    "Table",
    "care_programme_for",
    "glossary",
    "shipped_languages",
    "terms_used",
]

GROUP_ORDER = sections.GROUP_ORDER
NBSP = "\u00a0"


def care_programme_for(
    case: d.Case,
    decision: d.Decision,
    meeting: d.Meeting,
    centre: Mapping[str, Any] | None,
    *,
    today: date | None = None,
    language: str | None = None,
    previous: d.Decision | None = None,
    record_check: str | None = None,
) -> CareProgramme:
    """The care programme of ``decision`` (signed, or a draft to be marked as such), in
    ``language`` (default: the patient's preferred language). ``previous`` is the decision
    an amendment replaces, for the "what changed" box."""
    w = Words(language or case.patient.preferred_language or "en")
    today = today or date.today()
    patient = case.patient
    draft = not decision.is_signed
    facts = programme_facts(case, decision)
    intro: list[Block] = [Para(w["document.draft_note"], "alert")] if draft else []
    body = [
        Section("intro", "", tuple(intro)),
        sections.emergency(w, case, centre, decision, facts),
        *sections.what_changed(w, decision, previous),
        Section("lead", "", (Para(w["intro.lead"], "lead"),)),
        _care_team(w, case, centre),
        sections.illness(w, facts),
        sections.recommendations(w, decision),
        *([_trial(w, decision)] if decision.clinical_trial else []),
        *sections.happened(w, case, decision, meeting, today),
        sections.coming_up(w, decision, today),
        sections.follow_up(w, case, decision, facts),
        *sections.living_with(w, facts),
        _validation(w, decision, draft, record_check),
        _listed(w, "questions"),
        _listed(w, "tips"),
        sections.support(w, case, centre),
    ]
    subtitle = [w.fmt("intro.for", name=patient.display_name)]
    subtitle += [w.fmt("intro.meeting", date=w.day(meeting.date))]
    # The date it was made is in every page's footer: page 1 keeps room for the emergency box.
    programme = CareProgramme(
        language=w.language,
        title=w["document.title"],
        pdf_title=w.fmt("document.pdf_title", name=patient.display_name),
        subject=w["document.subject"],
        keywords=w.items("document.keywords"),
        subtitle_lines=tuple(subtitle),
        banner=_banner(w, patient),
        footer=w.fmt("document.footer", date=w.day(today)),
        page_label=w["document.page_label"],
        draft=draft,
        draft_mark=w["document.draft_mark"],
        sections=tuple(s for s in body if s.blocks),
        option_codes=tuple(decision.chosen_options),
    )
    return _with_glossary(w, programme)


def _with_glossary(w: Words, programme: CareProgramme) -> CareProgramme:
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


def _banner(w: Words, patient: d.Patient) -> str:
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


def _care_team(w: Words, case: d.Case, centre: Mapping[str, Any] | None) -> Section:
    ct, missing = case.care_team, w["care_team.not_recorded"]
    centre = centre or {}
    phone = ct.key_contact_phone and w.fmt("care_team.phone", phone=ct.key_contact_phone)
    contact = _lines(ct.key_contact_name, phone) or (missing,)
    centre_lines = _lines(
        centre.get("name") or ct.centre,
        centre.get("address"),
        centre.get("phone") and w.fmt("care_team.phone", phone=centre["phone"]),
        centre.get("phone_24h") and w.fmt("care_team.phone_24h", phone=centre["phone_24h"]),
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


def _trial(w: Words, decision: d.Decision) -> Section:
    blocks: list[Block] = [Para(w["trial.text"]), Para(str(decision.clinical_trial), "note")]
    if "CLINICAL_TRIAL" not in decision.chosen_options and "CLINICAL_TRIAL" in w.options:
        blocks.append(Para(" ".join(w.options["CLINICAL_TRIAL"]["what"].split())))
    blocks.append(Para(w["trial.help"]))
    return Section("trial", w["trial.heading"], tuple(blocks))


def _listed(w: Words, key: str) -> Section:
    blocks: list[Block] = []
    intro = w.t[key].get("intro")
    if intro:
        blocks.append(Para(" ".join(intro.split())))
    blocks.append(Bullets(w.items(f"{key}.items")))
    return Section(key, w[f"{key}.heading"], tuple(blocks))


def _validation(
    w: Words, decision: d.Decision, draft: bool, record_check: str | None = None
) -> Section:
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
    on, by = decision.discussed_with_patient_on, decision.discussed_with_patient_by
    if on and by and by.strip():
        blocks.append(Para(w.fmt("validation.agreed", who=by.strip(), date=w.day(on)), "note"))
    else:
        blocks.append(Para(w["validation.not_yet_agreed"], "note"))
    if record_check:  # the short hash of the signed content, to check paper against file
        blocks.append(Para(w.fmt("validation.record_check", code=record_check), "note"))
    return Section("validation", w["validation.heading"], tuple(blocks), keep_together=True)
