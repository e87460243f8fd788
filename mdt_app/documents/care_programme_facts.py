"""What the care programme needs to know about one patient's situation, from the case and
the decision: plain facts, no wording (check-up rules: "Your check-ups" in docs/care-programme.md).

    facts = programme_facts(case, decision, today)
    facts.situation   # "local" | "control" | "comfort" | "workup"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mdt_app import domain as d
from mdt_app.guideline.codes import CODE_GROUPS

# Option codes grouped by what they mean for the patient.
# Systemic therapy: the closed list's systemic group (so a code added there is one here
# too) but a trial referral, which is not yet a treatment; and the chemoradiotherapy
# options of the radiotherapy group, whose chemotherapy is systemic.
SYSTEMIC = (frozenset(CODE_GROUPS["systemic"]) - {"CLINICAL_TRIAL"}) | {
    "EBRT_CHEMO_ADJ",
    "EBRT_CHEMO_DEF",
}
# Systemic therapy whose first response scan comes early (pathway section 4).
RESPONSE_IMAGED = frozenset(
    {
        "BRAF_MEK",
        "NEOADJ_BRAF_MEK",
        "NTRK_INHIBITOR",
        "RET_INHIBITOR",
        "ALK_INHIBITOR",
        "IO_COMBINATION",
        "CHECKPOINT_INHIBITOR",
        "CONTINUE_CURRENT_THERAPY",
    }
)
LOCAL_TREATMENT = frozenset(
    {
        "SURGERY_R0R1",
        "RADICAL_RESECTION",
        "COMPLETION_THYROIDECTOMY",
        "SURGERY_RECONSIDER",
        "EBRT_CHEMO_ADJ",
        "EBRT_CHEMO_DEF",
        "NEOADJ_BRAF_MEK",
    }
)
THYROID_SURGERY = frozenset({"SURGERY_R0R1", "COMPLETION_THYROIDECTOMY", "RADICAL_RESECTION"})
NECK_TREATMENT = frozenset(
    {*THYROID_SURGERY, "DEBULKING_R2", "EBRT_CHEMO_ADJ", "EBRT_CHEMO_DEF", "PALLIATIVE_RT"}
)
TUMOUR_DIRECTED = frozenset(
    {
        *SYSTEMIC,
        *LOCAL_TREATMENT,
        "DEBULKING_R2",
        "CONSOLIDATIVE_LOCAL",
        "NEURO_RADONC_REFERRAL",
        "CLINICAL_TRIAL",
        "EXPERT_REFERRAL",
    }
)
COMFORT = frozenset({"PALLIATIVE_CARE", "HOSPICE", "CRISIS_PLAN", "PALLIATIVE_RT"})
WORKUP = frozenset(
    {
        "BIOPSY_CORE",
        "MOLECULAR_TESTING",
        "PDL1_IHC",
        "STAGING_IMAGING",
        "BRAIN_MRI",
        "PS_ASSESS",
        "AIRWAY_ASSESSMENT",
        "CAPACITY_ASSESSMENT",
    }
)
THYROID_TOXIC = frozenset({"CHECKPOINT_INHIBITOR", "IO_COMBINATION"})
AIRWAY_PROCEDURES = frozenset({"AIRWAY_SECURE", "PREEMPTIVE_TRACH"})


@dataclass(frozen=True)
class Prior:
    """One entry of the case's ``prior_treatments`` (whatever shape the domain gives it)."""

    type: str
    started_on: date | None = None
    ended_on: date | None = None
    response: str | None = None

    @property
    def ongoing(self) -> bool:
        return self.ended_on is None


def _field(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return None


def _as_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def prior_treatments(case: d.Case) -> tuple[Prior, ...]:
    """The case's prior treatments (an empty tuple where the case has none recorded)."""
    out = []
    for item in getattr(case, "prior_treatments", None) or ():
        kind = _field(item, "type", "kind", "treatment")
        if kind:
            out.append(
                Prior(
                    str(kind),
                    _as_day(_field(item, "started_on")),
                    _as_day(_field(item, "ended_on")),
                    _field(item, "response"),
                )
            )
    return tuple(out)


@dataclass(frozen=True)
class Steps:
    """The decision's actions split at ``today``: dated in the past, or still to come."""

    past: tuple[d.Action, ...]
    coming: tuple[d.Action, ...]


def split_steps(actions: list[d.Action], today: date) -> Steps:
    """Past steps (due before today) never appear as coming up; undated ones are to come."""
    past = tuple(a for a in actions if a.due_date is not None and a.due_date < today)
    coming = tuple(a for a in actions if a.due_date is None or a.due_date >= today)
    return Steps(past, coming)


@dataclass(frozen=True)
class ProgrammeFacts:
    stage: str
    situation: str  # local | control | comfort | workup
    chosen: frozenset[str]
    thyroid_removed: bool  # total or completion thyroidectomy done
    lobectomy_only: bool
    thyroid_surgery_planned: bool
    central_neck_surgery: bool  # thyroidectomy or neck dissection done or planned
    systemic: bool
    response_imaging: bool
    on_braf_mek: bool
    brain_metastases: bool
    bone_metastases: bool
    tracheostomy: bool
    eating_matters: bool
    comfort_only: bool
    poor_ps: bool
    ecog: int | None
    sex: str


def _stage(case: d.Case, decision: d.Decision) -> str:
    from mdt_app.staging import stage_for

    return (decision.options_snapshot or {}).get("stage") or stage_for(case.tnm).stage


def programme_facts(case: d.Case, decision: d.Decision) -> ProgrammeFacts:
    """The facts the programme's sections are chosen and worded by."""
    chosen = frozenset(decision.chosen_options)
    priors = prior_treatments(case)
    kinds = {p.type for p in priors}
    phase_resected = case.phase in ("post_resection_r0r1", "post_resection_r2")
    # An operation recorded only as a phase: the extent is not known, so the thyroid is
    # taken as removed (pathway: thyroid hormone "with the extent not recorded").
    thyroid_removed = "total_thyroidectomy" in kinds or (
        phase_resected and not ({"lobectomy", "debulking"} & kinds)
    )
    lobectomy_only = "lobectomy" in kinds and "total_thyroidectomy" not in kinds
    planned = bool(chosen & THYROID_SURGERY)
    ongoing_dt = any(p.type == "braf_mek" and p.ongoing for p in priors)
    braf_positive = case.biomarkers.braf_v600e == "positive"
    on_braf_mek = bool(chosen & {"BRAF_MEK", "NEOADJ_BRAF_MEK"}) or (
        ("IO_COMBINATION" in chosen and braf_positive)
        or ("CONTINUE_CURRENT_THERAPY" in chosen and ongoing_dt)
    )
    comfort_only = case.goals_of_care == "comfort_only" or (
        bool(chosen & COMFORT) and not (chosen & TUMOUR_DIRECTED)
    )
    stage = _stage(case, decision)
    if comfort_only:
        situation = "comfort"
    elif chosen and chosen <= (WORKUP | {"GOALS_OF_CARE", "ADVANCE_DIRECTIVE"}):
        situation = "workup"
    elif stage in ("IVA", "IVB") and chosen & LOCAL_TREATMENT and case.phase != "progression":
        situation = "local"
    else:
        situation = "control"
    tracheostomy = bool(chosen & AIRWAY_PROCEDURES) or any(
        p.type == "tracheostomy" and p.ongoing for p in priors
    )
    return ProgrammeFacts(
        stage=stage,
        situation=situation,
        chosen=chosen,
        thyroid_removed=thyroid_removed,
        lobectomy_only=lobectomy_only,
        thyroid_surgery_planned=planned,
        central_neck_surgery=thyroid_removed or planned or "neck_dissection" in kinds,
        systemic=bool(chosen & SYSTEMIC),
        response_imaging=bool(chosen & RESPONSE_IMAGED),
        on_braf_mek=on_braf_mek,
        brain_metastases="brain" in case.metastases.sites,
        bone_metastases="bone" in case.metastases.sites,
        tracheostomy=tracheostomy,
        eating_matters=bool(chosen & NECK_TREATMENT)
        or case.airway in ("symptomatic", "compromised"),
        comfort_only=comfort_only,
        poor_ps=case.ecog is not None and case.ecog >= 3,
        ecog=case.ecog,
        sex=case.patient.sex,
    )


def follow_up_plan(facts: ProgrammeFacts, decision: d.Decision) -> tuple[str, ...]:
    """The follow-up items that apply (keys of follow_up.items in the texts), in order.

    Pathway section 4: examination always; TSH only with a thyroidectomy (done or planned),
    once after a lobectomy, or on drugs that upset the thyroid; calcium only after thyroid
    or central neck surgery; a first response scan on targeted or immune therapy; routine
    scans only with active treatment and ECOG 0-2, otherwise scans for symptoms only."""
    chosen_items = set(decision.follow_up_items)
    items = ["clinical_examination"]
    if facts.thyroid_removed:
        items.append("tsh_thyroxine")
    elif facts.thyroid_surgery_planned:
        items.append("tsh_after_surgery")
    elif facts.lobectomy_only:
        items.append("tsh_lobectomy")
    elif facts.chosen & THYROID_TOXIC:
        items.append("tsh_medicine")
    if facts.thyroid_removed or facts.central_neck_surgery:
        items.append("calcium" if not facts.thyroid_surgery_planned else "calcium_after_surgery")
    if facts.response_imaging and not facts.comfort_only:
        items.append("response_scan")
    routine_scans = not facts.comfort_only and not facts.poor_ps and facts.situation != "workup"
    if routine_scans:
        if "fdg_pet_ct" in chosen_items:
            items.append("fdg_pet_ct")
        if "ct" in chosen_items or "fdg_pet_ct" not in chosen_items:
            items.append("ct")
    else:
        items.append("scans_for_symptoms")
    if facts.brain_metastases or "brain_mri" in chosen_items:
        items.append("brain_mri")
    return tuple(items)
