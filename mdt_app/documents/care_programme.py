"""The patient's Personalized Care Programme (PCP) from the store: the one entry point.

    pdf = build_care_programme(store, case_id)               # latest signed decision
    pdf = build_care_programme(store, case_id, decision_id=12, allow_draft=True)

Content (care_programme_content) is built from plain data, then laid out
(care_programme_pdf); this module only reads the store and picks the decision.
"""

from __future__ import annotations

from datetime import date

from mdt_app import domain as d
from mdt_app.documents.care_programme_content import CareProgramme, care_programme_for
from mdt_app.documents.care_programme_pdf import UnprintableText, render_care_programme
from mdt_app.errors import UserError, ValidationError
from mdt_app.store import Store

__all__ = [
    "NoSignedDecision",
    "UnprintableText",
    "build_care_programme",
    "care_programme_from_store",
    "choose_decision",
]


class NoSignedDecision(UserError):
    """The case has no signed decision to print (a draft may only be previewed)."""


def choose_decision(
    store: Store, case_id: int, decision_id: int | None = None, *, allow_draft: bool = False
) -> d.Decision:
    """The decision to print: the one asked for, else the case's latest signed one
    (else, when drafts are allowed, its latest draft)."""
    store.get_case(case_id)  # NotFound for an unknown case, before anything else
    if decision_id is not None:
        decision = store.get_decision(decision_id)
        if decision.case_id != case_id:
            raise ValidationError(f"decision {decision_id} belongs to another case")
        if not decision.is_signed and not allow_draft:
            raise NoSignedDecision(f"decision {decision_id} is a draft and is not signed")
        return decision
    signed = store.latest_signed_decision_for_case(case_id)
    if signed is not None:
        return signed
    drafts = [x for x in store.decisions_for_case(case_id) if not x.is_signed]
    if allow_draft and drafts:
        return drafts[-1]
    raise NoSignedDecision(f"case {case_id} has no signed decision; sign it off first")


def care_programme_from_store(
    store: Store,
    case_id: int,
    *,
    decision_id: int | None = None,
    allow_draft: bool = False,
    today: date | None = None,
) -> CareProgramme:
    """The content of the programme, read from the store (no layout)."""
    decision = choose_decision(store, case_id, decision_id, allow_draft=allow_draft)
    meeting = store.get_meeting(store.get_agenda_item(decision.agenda_item_id).meeting_id)
    centre = store.get_setting("centre")
    return care_programme_for(
        store.get_case(case_id),
        decision,
        meeting,
        centre if isinstance(centre, dict) else None,
        today=today,
    )


def build_care_programme(
    store: Store,
    case_id: int,
    *,
    decision_id: int | None = None,
    large_print: bool = False,
    page_size: str = "A4",
    allow_draft: bool = False,
    today: date | None = None,
) -> bytes:
    """The PDF of a case's care programme. A draft (only with ``allow_draft``) carries
    "DRAFT - not validated" on every page."""
    if page_size not in ("A4", "Letter"):
        raise ValidationError(f"unknown page size {page_size!r}; use A4 or Letter")
    programme = care_programme_from_store(
        store, case_id, decision_id=decision_id, allow_draft=allow_draft, today=today
    )
    return render_care_programme(programme, large_print=large_print, page_size=page_size)
