"""The patient's Personalized Care Programme (PCP) from the store: the one entry point.

    pdf = build_care_programme(store, case_id)               # latest signed decision
    pdf = build_care_programme(store, case_id, decision_id=12, allow_draft=True)

Content (care_programme_content) is built from plain data, then laid out
(care_programme_pdf); this module only reads the store and picks the decision.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mdt_app import domain as d
from mdt_app.documents.care_programme_check import print_warnings
from mdt_app.documents.care_programme_content import (
    CareProgramme,
    care_programme_for,
    shipped_languages,
)
from mdt_app.documents.care_programme_pdf import UnprintableText, render_care_programme
from mdt_app.documents.output import output_path, write_audited
from mdt_app.errors import UserError, ValidationError
from mdt_app.security.audit_chain import short
from mdt_app.security.seal import checked_signed_hash
from mdt_app.store import Store

__all__ = [
    "CareProgrammePdf",
    "NoSignedDecision",
    "UnprintableText",
    "build_care_programme",
    "check_before_printing",
    "check_language",
    "care_programme_from_store",
    "choose_decision",
    "make_care_programme",
    "record_care_programme",
    "save_care_programme",
]


class NoSignedDecision(UserError):
    """The case has no signed decision to print (a draft may only be previewed)."""

    def __init__(self, message: str, *, has_draft: bool):
        super().__init__(message)
        self.has_draft = has_draft


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
            raise NoSignedDecision(
                f"decision {decision_id} is a draft and is not signed", has_draft=True
            )
        return decision
    signed = store.latest_signed_decision_for_case(case_id)
    if signed is not None:
        return signed
    drafts = [x for x in store.decisions_for_case(case_id) if not x.is_signed]
    if allow_draft and drafts:
        return drafts[-1]
    if drafts:
        raise NoSignedDecision(
            f"case {case_id} has no signed decision; sign it off first", has_draft=True
        )
    raise NoSignedDecision(
        f"case {case_id} has no decision yet; record the team's decision at a meeting first",
        has_draft=False,
    )


def care_programme_from_store(
    store: Store,
    case_id: int,
    *,
    decision_id: int | None = None,
    allow_draft: bool = False,
    today: date | None = None,
    language: str | None = None,
) -> CareProgramme:
    """The content of the programme, read from the store (no layout)."""
    decision = choose_decision(store, case_id, decision_id, allow_draft=allow_draft)
    return _programme(store, decision, today, language)


def centre_settings(store: Store) -> dict[str, Any] | None:
    """The centre's settings (name, phones incl. the 24-hour line, country...), if set."""
    centre = store.get_setting("centre")
    return centre if isinstance(centre, dict) else None


def check_before_printing(
    store: Store, case_id: int, decision_id: int, language: str | None = None
) -> list[str]:
    """What the nurse should check before printing (shorthand in the patient's words, a
    missing 24-hour line, no record that the plan was discussed with the patient)."""
    decision = store.get_decision(decision_id)
    case = store.get_case(case_id)
    chosen = check_language(language or case.patient.preferred_language)
    return print_warnings(decision, centre_settings(store), chosen)


def check_language(language: str | None) -> str:
    """A shipped language, or a one-line error naming the ones there are."""
    shipped = shipped_languages()
    if language and language not in shipped:
        raise ValidationError(
            f"no care programme texts in language {language!r}; use one of " + ", ".join(shipped)
        )
    return language or "en"


def _programme(
    store: Store, decision: d.Decision, today: date | None, language: str | None = None
) -> CareProgramme:
    meeting = store.get_meeting(store.get_agenda_item(decision.agenda_item_id).meeting_id)
    previous = (
        store.get_decision(decision.amends_decision_id) if decision.amends_decision_id else None
    )
    case = store.get_case(decision.case_id)
    if language is not None:
        check_language(language)
    # A signed decision prints only if it still matches its signature (issue 15).
    seal = checked_signed_hash(store.db, decision.id or 0) if decision.is_signed else None
    return care_programme_for(
        case,
        decision,
        meeting,
        centre_settings(store),
        today=today,
        language=language,
        previous=previous,
        record_check=short(seal),
    )


@dataclass(frozen=True)
class CareProgrammePdf:
    """A built programme and what it was built from."""

    pdf: bytes
    case_id: int
    decision_id: int
    draft: bool
    file_name: str  # a suggested file name, e.g. care-programme-H123456-2026-11-06.pdf
    language: str = "en"


def make_care_programme(
    store: Store,
    case_id: int,
    *,
    decision_id: int | None = None,
    large_print: bool = False,
    page_size: str = "A4",
    allow_draft: bool = False,
    today: date | None = None,
    language: str | None = None,
) -> CareProgrammePdf:
    """Build the programme's PDF and say which decision it shows; ``language`` (en, fr,
    de) overrides the patient's preferred language."""
    if page_size not in ("A4", "Letter"):
        raise ValidationError(f"unknown page size {page_size!r}; use A4 or Letter")
    decision = choose_decision(store, case_id, decision_id, allow_draft=allow_draft)
    programme = _programme(store, decision, today, language)
    pdf = render_care_programme(programme, large_print=large_print, page_size=page_size)
    mrn = re.sub(r"[^A-Za-z0-9-]+", "_", store.get_case(case_id).patient.mrn)
    day = (today or date.today()).isoformat()
    name = f"care-programme-{mrn}-{day}{'-DRAFT' if programme.draft else ''}.pdf"
    return CareProgrammePdf(
        pdf, case_id, decision.id or 0, programme.draft, name, programme.language
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
    language: str | None = None,
) -> bytes:
    """The PDF of a case's care programme. A draft (only with ``allow_draft``) carries
    "DRAFT - not validated" on every page."""
    return make_care_programme(
        store,
        case_id,
        decision_id=decision_id,
        large_print=large_print,
        page_size=page_size,
        allow_draft=allow_draft,
        today=today,
        language=language,
    ).pdf


def save_care_programme(
    store: Store, built: CareProgrammePdf, path: str | os.PathLike[str]
) -> Path:
    """Write a built programme to ``path`` (whole or not at all) and record it in the audit log."""
    target = output_path(path)
    return write_audited(
        store,
        target,
        lambda tmp: tmp.write_bytes(built.pdf),
        lambda: record_care_programme(store, built, "save_care_programme", path=str(target)),
        what="care programme",
    )


def record_care_programme(
    store: Store, built: CareProgrammePdf, action: str, **details: Any
) -> None:
    """Audit that a programme left the app (saved or printed); call inside store.atomic()."""
    store.audit(
        action,
        "decision",
        built.decision_id,
        {"case": built.case_id, "draft": built.draft, "language": built.language, **details},
    )
