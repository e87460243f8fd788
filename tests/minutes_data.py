"""Meetings for the minutes tests, built through the store API (no demo data needed).

`build_meeting(store, n)` queues n cases whose fate cycles through every kind an agenda
item can have, so any n >= len(FATES) covers all of them:
signed and following the guideline, signed with a deviation, signed then amended,
an unsigned draft, deferred, not discussed, still queued.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from mdt_app import domain as d
from mdt_app.casefile import parse_case
from mdt_app.decision_rules import CARE_FRAMEWORK
from mdt_app.guideline.engine import recommend
from mdt_app.store import Store

FATES = ("follows", "deviates", "amended", "draft", "deferred", "not_discussed", "queued")
MEETING_DAY = date(2026, 11, 25)
CHAIR = "Dr Inés Muñoz-Álvarez"
ATTENDEES = [
    d.Attendee(CHAIR, "medical oncologist"),
    d.Attendee("Dr Bartłomiej Żółkiewski", "surgeon"),
    d.Attendee("Dr Søren Kjærgaard", "radiation oncologist"),
    d.Attendee("Dr Aoife Ní Bhriain", "endocrinologist"),
    d.Attendee("Małgorzata Dąbrowska", "nurse specialist"),
    d.Attendee("Dr Jürgen Groß", "pathologist", present=False),
]
GIVEN = ("Zoë", "Łukasz", "Ana", "José María", "Siobhán", "Øyvind", "Ngozi", "Hü")
FAMILY = ("Müller", "Wiśniewski", "Kowalska", "Núñez", "O'Brien", "Ærø-Lund", "Okafor", "Đặng")
TNMS = (("T3a", "N0", "M0"), ("T4a", "N1b", "M0"), ("T4b", "N1a", "M1"), ("T2", "N0", None))


def case_object(i: int) -> dict:
    t, n, m = TNMS[i % len(TNMS)]
    return {
        "format": "mdt-case/1",
        "patient": {
            "mrn": f"H{700000 + i}",
            "given_name": GIVEN[i % len(GIVEN)],
            "family_name": f"{FAMILY[i % len(FAMILY)]}{'' if i < len(FAMILY) else i}",
            "birth_date": date(1940 + i % 40, 1 + i % 12, 1 + i % 28).isoformat(),
            "sex": ("female", "male")[i % 2],
        },
        "referral": {
            "referred_on": (MEETING_DAY - timedelta(days=9)).isoformat(),
            "referring_clinician": "Dr A. Smith",
            "question": f"Treatment plan for case {i + 1}?",
            "urgent": i % 3 == 0,
        },
        "diagnosis": {"confirmed_by": "core_biopsy", "diagnosed_on": "2026-11-10"},
        "tnm": {"t": t, "n": n, "m": m},
        "resectability": ("r0_r1_expected", "unresectable")[i % 2],
        "biomarkers": {"braf_v600e": ("positive", "negative", "pending", "unknown")[i % 4]},
        "ecog": i % 3,
        "airway": ("stable", "symptomatic", "compromised", "unknown")[i % 4],
        "metastases": {"sites": ["lung", "bone"] if m == "M1" else [], "burden": "low"},
        "brain_imaging_done": True,
        "goals_of_care": "active_treatment",
        "decision_capacity": "intact",
    }


def build_meeting(store: Store, n: int = len(FATES)) -> tuple[int, int]:
    """A meeting (closed, quorate) of n cases; returns (meeting id, the later meeting's id)."""
    meeting_id = store.create_meeting(
        d.Meeting(MEETING_DAY, "Thyroid ATC MDT", "closed", CHAIR, "Room 4.12 / video link")
    )
    later_id = store.create_meeting(d.Meeting(MEETING_DAY + timedelta(days=14), "Next ATC MDT"))
    store.set_attendance(meeting_id, ATTENDEES)
    for i in range(n):
        with store.atomic():
            case_id, _ = store.import_case(parse_case(case_object(i), f"case {i}"))
        item = store.add_to_agenda(meeting_id, case_id)
        _give_fate(store, item, FATES[i % len(FATES)], later_id)
    return meeting_id, later_id


def _give_fate(store: Store, item: d.AgendaItem, fate: str, later_id: int) -> None:
    assert item.id is not None
    if fate == "deferred":
        store.defer(item.id, later_id, "PET-CT result awaited")
    elif fate == "not_discussed":
        store.set_agenda_status(item.id, "not_discussed", "ran out of time")
    elif fate in ("follows", "deviates", "amended", "draft"):
        decision = store.save_draft(_decision(store, item, deviate=fate == "deviates"))
        if fate == "draft":
            return
        signed = store.sign_decision(decision.id or 0, CHAIR, today=MEETING_DAY)
        if fate == "amended":
            amendment = store.start_amendment(signed.id or 0, "patient declined radiotherapy")
            amendment = replace(amendment, plan_text="Amended plan: systemic therapy only.")
            store.sign_decision(store.save_draft(amendment).id or 0, CHAIR, today=MEETING_DAY)


def _decision(store: Store, item: d.AgendaItem, *, deviate: bool) -> d.Decision:
    case = store.get_case(item.case_id)
    rec = recommend(case, today=MEETING_DAY)
    if deviate:
        chosen = [rec.not_recommended[0].code]
        reason = "patient's informed choice after discussion"
    else:
        directed = [o.code for o in rec.recommended if o.code not in CARE_FRAMEWORK]
        chosen = directed[:1] + ["GOALS_OF_CARE"]
        reason = None
    return d.Decision(
        case_id=item.case_id,
        agenda_item_id=item.id or 0,
        chosen_options=chosen,
        plan_text=f"Plan agreed for {case.patient.display_name}.",
        deviation_reason=reason,
        guideline_id=rec.guideline_id,
        guideline_version=rec.guideline_version,
        options_snapshot=rec.as_dict(),
        actions=[d.Action("Book CT chest", "Dr Søren Kjærgaard", MEETING_DAY + timedelta(7))],
    )
