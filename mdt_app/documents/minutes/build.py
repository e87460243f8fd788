"""Read one meeting from the store into a MeetingMinutes (the store is only read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.decision_currency import changes_since_signed, older_data_note
from mdt_app.decision_rules import deviation, quorum
from mdt_app.documents.minutes import content as c
from mdt_app.documents.minutes.consent import consent_fact, excluded_from_pseudonymised
from mdt_app.documents.minutes.facts import coded_facts, key_facts, warning_facts
from mdt_app.security.audit_chain import short
from mdt_app.security.seal import checked_signed_hashes
from mdt_app.snapshot import OptionsSnapshot

if TYPE_CHECKING:
    from mdt_app.store import Store


def build_minutes(store: Store, meeting_id: int) -> c.MeetingMinutes:
    """The minutes of one meeting; NotFound (a UserError) for an unknown id."""
    from mdt_app.exchange.records import database_uuid
    from mdt_app.store import now

    meeting = store.get_meeting(meeting_id)
    attendees = tuple(store.attendance(meeting_id))
    meetings: dict[int, c.MeetingRef] = {}
    agenda = store.agenda(meeting_id)
    # Read the whole agenda's cases and decisions in a few set-based statements.
    cases = store.get_cases([item.case_id for item in agenda])
    records = store.decisions_for_items([item.id for item in agenda if item.id is not None])
    signed = [x.id for xs in records.values() for x in xs if x.is_signed and x.id is not None]
    seals = checked_signed_hashes(store.db, signed)  # a tampered decision stops the export
    items = tuple(
        _entry(
            store,
            meeting,
            item,
            cases[item.case_id],
            records.get(item.id or 0, []),
            meetings,
            seals,
        )
        for item in agenda
    )
    return c.MeetingMinutes(
        meeting=meeting,
        centre=store.get_setting("centre", {}) or {},
        attendees=attendees,
        quorum=quorum(list(attendees), store.get_setting("quorum_rule")),
        items=items,
        generated_at=now(),
        generated_by=store.actor,
        database_uuid=database_uuid(store),
    )


def _entry(
    store: Store,
    meeting: d.Meeting,
    item: d.AgendaItem,
    case: d.Case,
    records: list[d.Decision],
    meetings: dict[int, c.MeetingRef],
    seals: dict[int, str] | None = None,
) -> c.AgendaEntry:
    assert item.id is not None
    effective = _effective(records)
    draft = next((r for r in records if not r.is_signed), None)
    superseded = [r for r in records if r.is_signed and effective and r.id != effective.id]
    shown = effective or draft
    snapshot = shown.options_snapshot if shown else None
    options: c.GuidelineOptions | None
    if snapshot:
        options = _options(snapshot, at_decision=True)
        stage, basis = snapshot.get("stage", "?"), snapshot.get("stage_basis", "")
        warnings = warning_facts(snapshot)
    else:
        options, stage, basis, warnings = _live(case, meeting)
    return c.AgendaEntry(
        item_id=item.id,
        position=item.position,
        status=item.status,
        status_reason=item.status_reason,
        deferred_to=_meeting_ref(store, item.deferred_to_meeting_id, meetings),
        case_id=item.case_id,
        patient=_patient(case.patient, meeting),
        referral_question=case.referral.question,
        referring_clinician=case.referral.referring_clinician,
        urgent=case.referral.urgent,
        stage=stage,
        stage_basis=basis,
        facts=(*key_facts(case), consent_fact(case.consent), *warnings),
        registry_refused=excluded_from_pseudonymised(case.consent),
        coded=coded_facts(case),
        options=options,
        decision=_older(_record(effective, options, seals), effective, case) if effective else None,
        superseded=tuple(_record(r, options, seals) for r in superseded),
        draft=_record(draft, options) if draft else None,
        case=case,
    )


def _effective(records: list[d.Decision]) -> d.Decision | None:
    """The latest signed record (as `Store.effective_decision` chooses it)."""
    signed = [r for r in records if r.is_signed]
    return max(signed, key=lambda r: (r.signed_at or r.created_at, r.id or 0), default=None)


def _live(case: d.Case, meeting: d.Meeting) -> tuple[c.GuidelineOptions, str, str, tuple]:
    """Stage, options and warnings as the engine gives them today (no decision recorded
    them); the stage basis carries the pathway's data-check flags."""
    from mdt_app.guideline.engine import recommend

    rec = recommend(case, today=meeting.date).as_dict()
    return (
        _options(rec, at_decision=False),
        rec["stage"],
        rec["stage_basis"],
        warning_facts(rec),
    )


def _options(snapshot: dict, *, at_decision: bool) -> c.GuidelineOptions:
    options = OptionsSnapshot.of(snapshot) or OptionsSnapshot()
    return c.GuidelineOptions(
        guideline_id=options.guideline_id,
        title=options.guideline_title,
        version=options.guideline_version,
        lists={
            name.value: tuple(c.OptionRef(o.code, o.title) for o in options.options(name))
            for name in d.OptionList
        },
        at_decision=at_decision,
    )


def _older(record: c.DecisionRecord, x: d.Decision, case: d.Case) -> c.DecisionRecord:
    """The record, flagged when the case changed after it was signed."""
    from dataclasses import replace

    note = older_data_note(changes_since_signed(x, case))
    return replace(record, older_data=note) if note else record


def _record(
    x: d.Decision, options: c.GuidelineOptions | None, seals: dict[int, str] | None = None
) -> c.DecisionRecord:
    assert x.id is not None
    seal = short(seals.get(x.id)) if seals and x.is_signed else None
    why = deviation(x, x.options_snapshot)
    concordance = c.NOT_ASSESSED
    if x.options_snapshot:  # concordance and titles as they stood when it was saved
        options = _options(x.options_snapshot, at_decision=True)
        concordance = c.DEVIATES if why else c.FOLLOWS
    return c.DecisionRecord(
        id=x.id,
        signed=x.is_signed,
        chosen=tuple(
            c.OptionRef(code, options.title_of(code) if options else code)
            for code in x.chosen_options
        ),
        plan_text=x.plan_text,
        clinical_trial=x.clinical_trial,
        concordance=concordance,
        deviation=str(why) if why else None,
        deviation_reason=x.deviation_reason,
        actions=tuple(c.ActionRef(a.description, a.owner, a.due_date) for a in x.actions),
        follow_up_months=x.follow_up_months,
        follow_up_items=tuple(x.follow_up_items),
        guideline_version=x.guideline_version,
        signed_by=x.signed_by,
        signed_at=x.signed_at,
        amends_decision_id=x.amends_decision_id,
        amendment_reason=x.amendment_reason,
        sign_off_exceptions=tuple(x.sign_off_exceptions),
        sign_off_reason=x.sign_off_reason,
        follow_up_weeks=x.follow_up_weeks,
        record_check=seal,
    )


def _patient(p: d.Patient, meeting: d.Meeting) -> c.PatientRef:
    return c.PatientRef(p.mrn, p.display_name, p.birth_date, p.age_on(meeting.date), p.sex)


def _meeting_ref(
    store: Store, meeting_id: int | None, seen: dict[int, c.MeetingRef]
) -> c.MeetingRef | None:
    if meeting_id is None:
        return None
    if meeting_id not in seen:
        m = store.get_meeting(meeting_id)
        seen[meeting_id] = c.MeetingRef(meeting_id, m.date, m.title)
    return seen[meeting_id]
