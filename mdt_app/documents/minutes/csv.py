"""The minutes as CSV: one row per agenda item, columns in COLUMNS (docs/minutes-csv.md).

UTF-8 with a byte-order mark (so Excel reads accents right; Python's csv module reads it
with ``encoding="utf-8-sig"``), RFC 4180 quoting, CRLF line ends. Codes inside a cell
are separated by "; ", actions by " | ". Empty cell = not recorded / not applicable.
A cell that would start with = + - @ gets a leading apostrophe, so a spreadsheet shows
it as text instead of running it as a formula (free text is typed by users). The
columns are a public interface for audit scripts: add new ones at the end, never
rename or reorder.
"""

from __future__ import annotations

import csv
from pathlib import Path

from mdt_app.documents.minutes import content as c
from mdt_app.documents.minutes import text

# (column, meaning); the meanings are what docs/minutes-csv.md lists.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("meeting_id", "database id of the meeting"),
    ("meeting_date", "date of the meeting, YYYY-MM-DD"),
    ("meeting_title", "title of the meeting"),
    ("quorate", "yes / no: the meeting's attendance met the quorum rule"),
    ("position", "the item's place on the agenda, from 1"),
    ("agenda_item_id", "database id of the agenda item"),
    ("case_id", "database id of the case"),
    ("mrn", "medical record number; the pseudonym when pseudonymised"),
    ("patient_name", "patient's name; the same pseudonym when pseudonymised"),
    ("birth_date", "YYYY-MM-DD; empty when pseudonymised"),
    ("age", "age in whole years on the meeting day"),
    ("sex", "female / male / other / unknown"),
    ("referral_question", "the question put to the MDT"),
    ("agenda_status", "discussed / deferred / not_discussed / queued"),
    ("status_reason", "why the item was deferred or not discussed"),
    ("deferred_to_meeting_id", "meeting the item was deferred to"),
    ("deferred_to_date", "date of that meeting"),
    ("tnm", "T N M as recorded (? = not recorded)"),
    ("stage", "AJCC 8th stage: IVA / IVB / IVC / unstageable"),
    ("stage_basis", "how the stage follows from TNM"),
    ("ecog", "ECOG performance status 0-4; empty = not recorded"),
    ("airway", "compromised / symptomatic / stable / unknown"),
    ("braf_v600e", "BRAF V600E: positive / negative / pending / unknown"),
    ("ntrk_fusion", "NTRK fusion: the same four values"),
    ("ret_fusion", "RET fusion: the same four values"),
    ("alk_fusion", "ALK fusion: the same four values"),
    ("msi_high", "MSI-high: the same four values"),
    ("metastases", "sites (burden), 'none (M0)' or 'not assessed'"),
    ("guideline_id", "guideline pathway id"),
    ("guideline_version", "pathway version the options come from"),
    ("options_source", "decision (recorded with it) / computed (no decision)"),
    ("recommended", "recommended option codes"),
    ("consider", "option codes to consider"),
    ("not_recommended", "option codes not recommended"),
    ("missing", "missing-data prompts"),
    ("decision_status", "signed / amended / draft / none"),
    ("chosen_options", "option codes of the effective signed decision"),
    ("plan", "plan text of the signed decision"),
    ("clinical_trial", "trial named in the decision"),
    ("concordance", "follows / deviates / not assessed; empty without a signed decision"),
    ("deviation", "what departs from the guideline"),
    ("deviation_reason", "the MDT's reason for the deviation"),
    ("signed_by", "chair who signed the effective decision"),
    ("signed_at", "when, YYYY-MM-DDTHH:MM:SS+hh:mm"),
    ("amendment_reason", "why the decision was amended"),
    ("actions", "each action as: description (owner: name; due: date), separated by ' | '"),
    ("follow_up_months", "follow-up interval in months"),
    ("follow_up_items", "follow-up examinations"),
    ("unsigned_draft", "yes when an unsigned draft exists for the item"),
    ("follow_up_weeks", "follow-up interval in weeks, when it was set in weeks (else empty)"),
    ("sign_off_exception", "not_quorate / not_meeting_day (';'-separated) when signed so"),
    ("sign_off_reason", "the chair's recorded reason for signing despite the exception"),
    (
        "consent_discussion",
        "the patient's consent to discussion: given / refused; empty = not recorded",
    ),
    ("consent_recorded_on", "when that consent was recorded, YYYY-MM-DD; empty when pseudonymised"),
)
HEADER = tuple(name for name, _ in COLUMNS)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(minutes: c.MeetingMinutes, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(HEADER)
        for entry in minutes.items:
            row = item_row(minutes, entry)
            writer.writerow([_inert(row[name]) for name in HEADER])


def item_row(m: c.MeetingMinutes, e: c.AgendaEntry) -> dict[str, str]:
    facts = dict(e.facts)
    o = e.options
    deferred = e.deferred_to
    row = {
        "meeting_id": str(m.meeting.id),
        "meeting_date": m.meeting.date.isoformat(),
        "meeting_title": m.meeting.title,
        "quorate": "yes" if m.quorum.quorate else "no",
        "position": str(e.position),
        "agenda_item_id": str(e.item_id),
        "case_id": str(e.case_id),
        "mrn": e.patient.mrn,
        "patient_name": e.patient.name,
        "birth_date": _s(e.patient.birth_date),
        "age": _s(e.patient.age),
        "sex": e.patient.sex,
        "referral_question": _s(e.referral_question),
        "agenda_status": e.status,
        "status_reason": _s(e.status_reason),
        "deferred_to_meeting_id": _s(deferred.id if deferred else None),
        "deferred_to_date": _s(deferred.date if deferred else None),
        "tnm": facts.get("TNM", ""),
        "stage": e.stage,
        "stage_basis": e.stage_basis,
        **e.coded,
        "metastases": facts.get("Metastases", ""),
        "guideline_id": o.guideline_id if o else "",
        "guideline_version": o.version if o else "",
        "options_source": ("decision" if o.at_decision else "computed") if o else "",
        **{name: _codes(o.lists.get(name, ()) if o else ()) for name in text.LIST_LABELS},
    }
    row.update(_decision_columns(e))
    consent = e.case.consent if e.case else None
    row["consent_discussion"] = _s(consent.discussion) if consent else ""
    # a date tied to the patient: left out of pseudonymised minutes, like the birth date
    recorded = consent.recorded_on if consent and not m.pseudonymised else None
    row["consent_recorded_on"] = _s(recorded)
    return row


def _decision_columns(e: c.AgendaEntry) -> dict[str, str]:
    x = e.decision
    status = "none" if x is None else ("amended" if x.amends_decision_id else "signed")
    if x is None and e.draft is not None:
        status = "draft"
    return {
        "decision_status": status,
        "chosen_options": _codes(x.chosen) if x else "",
        "plan": x.plan_text if x else "",
        "clinical_trial": _s(x.clinical_trial) if x else "",
        "concordance": x.concordance if x else "",
        "deviation": _s(x.deviation) if x else "",
        "deviation_reason": _s(x.deviation_reason) if x else "",
        "signed_by": _s(x.signed_by) if x else "",
        "signed_at": _s(x.signed_at) if x else "",
        "amendment_reason": _s(x.amendment_reason) if x else "",
        "actions": " | ".join(text.action_line(a) for a in x.actions) if x else "",
        "follow_up_months": str(x.follow_up_months) if x else "",
        "follow_up_items": "; ".join(x.follow_up_items) if x else "",
        "unsigned_draft": "yes" if e.draft else "no",
        "follow_up_weeks": str(x.follow_up_weeks) if x and x.follow_up_weeks else "",
        "sign_off_exception": "; ".join(x.sign_off_exceptions) if x else "",
        "sign_off_reason": _s(x.sign_off_reason) if x else "",
    }


def _inert(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate (OWASP CSV injection advice)."""
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell


def _codes(options: tuple[c.OptionRef, ...]) -> str:
    return "; ".join(o.code for o in options)


def _s(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
