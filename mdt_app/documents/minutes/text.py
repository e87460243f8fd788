"""The minutes' wording, shared by the PDF, the DOCX and the FHIR narrative.

Each function returns (label, lines) rows; a renderer only decides how they look.
"""

from __future__ import annotations

from datetime import date, datetime

from mdt_app.documents.minutes import content as c
from mdt_app.domain import Attendee

Rows = list[tuple[str, list[str]]]

LIST_LABELS = {
    "recommended": "Recommended",
    "consider": "Consider",
    "not_recommended": "Not recommended",
    "missing": "Missing data",
}
FOLLOW_UP_LABELS = {
    "clinical_examination": "clinical examination",
    "tsh": "TSH",
    "calcium": "calcium",
    "fdg_pet_ct": "FDG-PET/CT",
    "ct": "CT",
    "brain_mri": "brain MRI",
}


ALERTS = ("UNSIGNED DRAFT", "DEVIATES", "NOT SIGNED OFF", "Not quorate", "Made on older data")


def is_alert(text: str) -> bool:
    """Whether a label or line needs the reader's eye (printed bold, in red)."""
    return text.startswith(ALERTS)


def day(value: date | None) -> str:
    return value.isoformat() if value else "not recorded"


def moment(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "not recorded"


def header_rows(m: c.MeetingMinutes) -> Rows:
    rows: Rows = [
        ("Date", [day(m.meeting.date)]),
        ("Chair", [m.meeting.chair or "not recorded"]),
        ("Location", [m.meeting.location or "not recorded"]),
        ("Meeting status", [m.meeting.status.replace("_", " ")]),
    ]
    if m.centre.get("name"):
        rows.append(("Centre", [m.centre["name"]]))
    rows.append(("Minutes produced", [f"{moment(m.generated_at)} by {m.generated_by}"]))
    if m.pseudonymised:
        rows.append(("Pseudonymised", ["patient names and MRNs replaced by pseudonyms"]))
        if m.withheld:
            rows.append(("Left out", [f"{m.withheld} case(s): the patient refused registry use"]))
    return rows


def attendee_line(a: Attendee) -> tuple[str, str, str]:
    return a.name, a.specialty, "present" if a.present else "apologies"


def entry_title(e: c.AgendaEntry) -> str:
    p = e.patient
    bits = [f"MRN {p.mrn}"] if p.mrn != p.name else []  # pseudonymised: one code for both
    if p.birth_date:
        bits.append(f"born {p.birth_date.isoformat()}")
    if p.age is not None:
        bits.append(f"{p.age} y")
    if p.sex != "unknown":
        bits.append(p.sex)
    return f"{e.position}. {p.name} ({', '.join(bits)})"


def status_line(e: c.AgendaEntry) -> str:
    text = e.status_label
    if e.status_reason:
        text += f": {e.status_reason}"
    if e.deferred_to:
        text += f"; to the meeting of {day(e.deferred_to.date)} ({e.deferred_to.title})"
    return text


def entry_rows(e: c.AgendaEntry) -> Rows:
    referral = [e.referral_question or "not recorded"]
    if e.referring_clinician:
        referral.append(f"Referred by {e.referring_clinician}" + (" (urgent)" if e.urgent else ""))
    rows: Rows = [
        ("Status", [status_line(e)]),
        ("Referral question", referral),
        ("Stage", [f"{e.stage}: {e.stage_basis}" if e.stage_basis else e.stage]),
    ]
    rows.append(("Key facts", [f"{label}: {text}" for label, text in e.facts]))
    rows += options_rows(e.options)
    if e.decision:
        rows += decision_rows(e.decision, "Decision")
    elif e.status == "discussed":
        rows.append(("Decision", ["no signed decision recorded"]))
    for old in e.superseded:
        signed = f"signed by {old.signed_by or '?'} on {moment(old.signed_at)}"
        rows.append(("Superseded decision", [f"{chosen_line(old)} ({signed})"]))
    if e.draft:
        rows += decision_rows(e.draft, "UNSIGNED DRAFT")
    return rows


def options_rows(o: c.GuidelineOptions | None) -> Rows:
    if o is None:
        return [("Guideline", ["no guideline options available"])]
    when = "as recorded with the decision" if o.at_decision else "computed for these minutes"
    rows: Rows = [("Guideline", [f"{o.label} ({when})"])]
    for name, label in LIST_LABELS.items():
        if o.lists.get(name):
            rows.append((label, [str(x) for x in o.lists[name]]))
    return rows


def decision_rows(x: c.DecisionRecord, label: str) -> Rows:
    plan = [str(o) for o in x.chosen] or ["no guideline option chosen"]
    if x.plan_text.strip():
        plan.append(f"Plan: {x.plan_text.strip()}")
    rows: Rows = [(label, plan)]
    if x.clinical_trial:
        rows.append(("Clinical trial", [x.clinical_trial]))
    if x.signed:
        signed = [f"by {x.signed_by or '?'} on {moment(x.signed_at)}"]
        if x.record_check:
            signed.append(f"record check {x.record_check}")
        rows.append(("Signed", signed))
    else:
        rows.append(("Signed", ["NOT SIGNED OFF: this draft is not a decision"]))
    if x.amends_decision_id:
        line = f"amends an earlier signed decision; reason: {x.amendment_reason}"
        rows.append(("Amendment", [line]))
    if x.sign_off_exceptions:
        rows.append(("Sign-off exception", [sign_off_exception_line(x)]))
    if x.older_data:
        rows.append(("Case data", [x.older_data]))
    rows.append(("Guideline concordance", [concordance_line(x)]))
    if x.concordance != c.DEVIATES and x.deviation_reason:
        rows.append(("Stated deviation reason", [x.deviation_reason]))
    actions = [action_line(a) for a in x.actions] or ["none recorded"]
    rows.append(("Actions", actions))
    rows.append(("Follow-up", [follow_up_line(x)]))
    return rows


def concordance_line(x: c.DecisionRecord) -> str:
    if x.concordance == c.FOLLOWS:
        return "follows the guideline"
    if x.concordance == c.NOT_ASSESSED:
        return "not assessed (no guideline options were recorded with the decision)"
    return f"DEVIATES: {x.deviation}; reason given: {x.deviation_reason or 'none'}"


def action_line(a: c.ActionRef) -> str:
    return f"{a.description} (owner: {a.owner or 'not assigned'}; due: {day(a.due_date)})"


def follow_up_line(x: c.DecisionRecord) -> str:
    items = ", ".join(FOLLOW_UP_LABELS.get(i, i) for i in x.follow_up_items)
    n, unit = (x.follow_up_weeks, "weeks") if x.follow_up_weeks else (x.follow_up_months, "months")
    return f"every {n} {unit}" + (f": {items}" if items else "")


EXCEPTION_WORDS = {
    "not_quorate": "signed without a quorum",
    "not_meeting_day": "signed outside the meeting's day",
}


def sign_off_exception_line(x: c.DecisionRecord) -> str:
    what = " and ".join(EXCEPTION_WORDS.get(k, k) for k in x.sign_off_exceptions)
    return f"{what}; reason recorded: {x.sign_off_reason or 'none'}"


def summary_rows(m: c.MeetingMinutes) -> Rows:
    s = m.summary
    drafts = ", ".join(f"item {e.position} ({e.patient.name})" for e in s.unsigned_drafts)
    assessed = len(s.followed) + len(s.deviated)
    concordance = [f"{len(s.followed)} of {assessed} signed decisions followed the guideline"]
    concordance.append(f"{len(s.deviated)} deviated")
    if s.not_assessed:
        concordance.append(f"{len(s.not_assessed)} not assessed (no guideline options recorded)")
    if s.stated_deviations:
        concordance.append(
            f"{len(s.stated_deviations)} more with a deviation reason stated by the MDT"
        )
    rows: Rows = [
        ("Cases on the agenda", [str(s.items)]),
        ("Cases discussed", [str(s.discussed)]),
        ("Deferred", [str(s.deferred)]),
        ("Not discussed", [str(s.not_discussed)]),
        ("Not reached", [str(s.queued)]),
        ("Decisions signed", [f"{s.decisions_signed} ({s.amended} amended)"]),
        ("Unsigned drafts", [f"{len(s.unsigned_drafts)}" + (f": {drafts}" if drafts else "")]),
        ("Guideline concordance", concordance),
    ]
    for e in s.deviated:
        assert e.decision is not None
        line = f"{e.patient.name}: {concordance_line(e.decision)}"
        rows.append((f"Deviation, item {e.position}", [line]))
    for e in s.stated_deviations:
        assert e.decision is not None
        line = f"{e.patient.name}: reason stated: {e.decision.deviation_reason}"
        rows.append((f"Stated deviation, item {e.position}", [line]))
    return rows


def chosen_line(x: c.DecisionRecord) -> str:
    return "; ".join(str(o) for o in x.chosen) or "no guideline option chosen"
