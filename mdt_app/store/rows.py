"""Converting between database rows and domain objects."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from mdt_app import domain as d
from mdt_app.security.redact import remember_patient
from mdt_app.store import rows_v2


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def flag(value: bool | None) -> int | None:
    return None if value is None else int(bool(value))


def unflag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def patient_row(p: d.Patient) -> dict:
    remember_patient(p.mrn, p.given_name, p.family_name, p.birth_date)  # kept out of logs
    return {
        "mrn": p.mrn.strip(),
        "given_name": p.given_name,
        "family_name": p.family_name,
        "birth_date": iso(p.birth_date),
        "sex": p.sex,
        "preferred_language": p.preferred_language,
    }


def patient_from(row: dict) -> d.Patient:
    remember_patient(row["mrn"], row["given_name"], row["family_name"], row["birth_date"])
    return d.Patient(
        mrn=row["mrn"],
        given_name=row["given_name"],
        family_name=row["family_name"],
        birth_date=day(row["birth_date"]),
        sex=row["sex"],
        preferred_language=row["preferred_language"],
        id=row["id"],
        identifier_system=row.get("identifier_system"),
    )


def case_row(c: d.Case) -> dict:
    """The `cases` columns for a Case (not its patient, imaging or labs)."""
    b = c.biomarkers
    return {
        "referred_on": iso(c.referral.referred_on),
        "referring_clinician": c.referral.referring_clinician,
        "referral_question": c.referral.question,
        "urgent": flag(c.referral.urgent),
        "histology": c.diagnosis.histology,
        "confirmed_by": c.diagnosis.confirmed_by,
        "diagnosed_on": iso(c.diagnosis.diagnosed_on),
        "t": c.tnm.t,
        "n": c.tnm.n,
        "m": c.tnm.m,
        "tnm_basis": c.tnm.basis,
        "resectability": c.resectability,
        "phase": c.phase,
        **{name: getattr(b, name) for name in d.BIOMARKER_FIELDS},
        "tmb_mut_per_mb": b.tmb_mut_per_mb,
        "pdl1_tps_percent": b.pdl1_tps_percent,
        "ecog": c.ecog,
        "airway": c.airway,
        "metastatic_sites": json.dumps(list(c.metastases.sites)),
        "metastatic_burden": c.metastases.burden,
        "brain_symptomatic": flag(c.metastases.brain_symptomatic),
        "brain_imaging_done": flag(c.brain_imaging_done),
        "goals_of_care": c.goals_of_care,
        "decision_capacity": c.decision_capacity,
        "declines": json.dumps(list(c.declines)),
        "key_contact_name": c.care_team.key_contact_name,
        "key_contact_phone": c.care_team.key_contact_phone,
        "centre": c.care_team.centre,
        **{f"consent_{t}": getattr(c.consent, t) for t in d.CONSENT_TOPICS},
        "consent_recorded_on": iso(c.consent.recorded_on),
        "consent_recorded_by": c.consent.recorded_by,
        **rows_v2.case_columns(c),
    }


def case_from(
    row: dict, patient: d.Patient, imaging: list[d.ImagingStudy], labs: list[d.LabResult]
) -> d.Case:
    case = _case_v1_from(row, patient, imaging, labs)
    rows_v2.apply_columns(case, row)
    return case


def _case_v1_from(
    row: dict, patient: d.Patient, imaging: list[d.ImagingStudy], labs: list[d.LabResult]
) -> d.Case:
    return d.Case(
        patient=patient,
        referral=d.Referral(
            referred_on=day(row["referred_on"]),
            referring_clinician=row["referring_clinician"],
            question=row["referral_question"],
            urgent=unflag(row["urgent"]),
        ),
        diagnosis=d.Diagnosis(
            histology=row["histology"],
            confirmed_by=row["confirmed_by"],
            diagnosed_on=day(row["diagnosed_on"]),
        ),
        tnm=d.TNM(t=row["t"], n=row["n"], m=row["m"], basis=row["tnm_basis"]),
        resectability=row["resectability"],
        phase=row["phase"],
        biomarkers=d.Biomarkers(
            **{name: row[name] for name in d.BIOMARKER_FIELDS},
            tmb_mut_per_mb=row["tmb_mut_per_mb"],
            pdl1_tps_percent=row["pdl1_tps_percent"],
        ),
        ecog=row["ecog"],
        airway=row["airway"],
        metastases=d.Metastases(
            sites=json.loads(row["metastatic_sites"]),
            burden=row["metastatic_burden"],
            brain_symptomatic=unflag(row["brain_symptomatic"]),
        ),
        brain_imaging_done=unflag(row["brain_imaging_done"]),
        goals_of_care=row["goals_of_care"],
        decision_capacity=row["decision_capacity"],
        declines=json.loads(row["declines"]),
        imaging=imaging,
        labs=labs,
        care_team=d.CareTeam(
            key_contact_name=row["key_contact_name"],
            key_contact_phone=row["key_contact_phone"],
            centre=row["centre"],
        ),
        consent=d.Consent(
            **{t: row[f"consent_{t}"] for t in d.CONSENT_TOPICS},
            recorded_on=day(row["consent_recorded_on"]),
            recorded_by=row["consent_recorded_by"],
        ),
        id=row["id"],
        version=row.get("version", 0),
    )


def imaging_row(i: d.ImagingStudy) -> dict:
    return {"date": iso(i.date), "modality": i.modality, "region": i.region, "summary": i.summary}


def imaging_from(row: dict) -> d.ImagingStudy:
    return d.ImagingStudy(
        date=date.fromisoformat(row["date"]),
        modality=row["modality"],
        region=row["region"],
        summary=row["summary"],
        id=row["id"],
    )


def lab_row(x: d.LabResult) -> dict:
    return {
        "date": iso(x.date),
        "test": x.test,
        "value": x.value,
        "unit": x.unit,
        "low": x.low,
        "high": x.high,
    }


def lab_from(row: dict) -> d.LabResult:
    return d.LabResult(
        date=date.fromisoformat(row["date"]),
        test=row["test"],
        value=row["value"],
        unit=row["unit"],
        low=row["low"],
        high=row["high"],
        id=row["id"],
    )


def meeting_from(row: dict) -> d.Meeting:
    return d.Meeting(
        date=date.fromisoformat(row["date"]),
        title=row["title"],
        status=row["status"],
        chair=row["chair"],
        location=row["location"],
        id=row["id"],
        start_time=row.get("start_time"),
        expected_specialties=json.loads(row.get("expected_specialties") or "[]"),
        series_id=row.get("series_id"),
        status_reason=row.get("status_reason"),
        closed_at=moment(row.get("closed_at")),
        closed_by=row.get("closed_by"),
        version=row.get("version", 0),
    )


def agenda_item_from(row: dict) -> d.AgendaItem:
    return d.AgendaItem(
        meeting_id=row["meeting_id"],
        case_id=row["case_id"],
        position=row["position"],
        status=row["status"],
        status_reason=row["status_reason"],
        deferred_to_meeting_id=row["deferred_to_meeting_id"],
        id=row["id"],
        version=row.get("version", 0),
    )


def decision_row(x: d.Decision) -> dict:
    return {
        "case_id": x.case_id,
        "agenda_item_id": x.agenda_item_id,
        "chosen_options": json.dumps(list(x.chosen_options)),
        "plan_text": x.plan_text,
        "deviation_reason": x.deviation_reason or None,
        "clinical_trial": x.clinical_trial or None,
        "follow_up_months": x.follow_up_months,
        "follow_up_items": json.dumps(list(x.follow_up_items)),
        "guideline_id": x.guideline_id,
        "guideline_version": x.guideline_version,
        "options_snapshot": (
            json.dumps(x.options_snapshot, ensure_ascii=False) if x.options_snapshot else None
        ),
        "amends_decision_id": x.amends_decision_id,
        "amendment_reason": x.amendment_reason,
        "follow_up_weeks": x.follow_up_weeks,
        "patient_explanation": x.patient_explanation.strip(),
        "patient_option_explanations": json.dumps(
            {k: v.strip() for k, v in x.patient_option_explanations.items() if v.strip()},
            ensure_ascii=False,
        ),
        "discussed_with_patient_on": iso(x.discussed_with_patient_on),
        "discussed_with_patient_by": (x.discussed_with_patient_by or "").strip() or None,
    }


def decision_from(row: dict, actions: list[d.Action]) -> d.Decision:
    return d.Decision(
        case_id=row["case_id"],
        agenda_item_id=row["agenda_item_id"],
        status=row["status"],
        chosen_options=json.loads(row["chosen_options"]),
        plan_text=row["plan_text"],
        deviation_reason=row["deviation_reason"],
        clinical_trial=row["clinical_trial"],
        follow_up_months=row["follow_up_months"],
        follow_up_items=json.loads(row["follow_up_items"]),
        actions=actions,
        guideline_id=row["guideline_id"],
        guideline_version=row["guideline_version"],
        options_snapshot=json.loads(row["options_snapshot"]) if row["options_snapshot"] else None,
        created_by=row["created_by"],
        created_at=moment(row["created_at"]),
        updated_at=moment(row["updated_at"]),
        signed_by=row["signed_by"],
        signed_at=moment(row["signed_at"]),
        amends_decision_id=row["amends_decision_id"],
        amendment_reason=row["amendment_reason"],
        patient_explanation=row.get("patient_explanation") or "",
        patient_option_explanations=json.loads(row.get("patient_option_explanations") or "{}"),
        discussed_with_patient_on=day(row.get("discussed_with_patient_on")),
        discussed_with_patient_by=row.get("discussed_with_patient_by"),
        id=row["id"],
        follow_up_weeks=row.get("follow_up_weeks"),
        sign_off_exceptions=json.loads(row.get("sign_off_exceptions") or "[]"),
        sign_off_reason=row.get("sign_off_reason"),
        version=row.get("version", 0),
        case_snapshot=json.loads(row["case_snapshot"]) if row.get("case_snapshot") else None,
    )


def action_from(row: dict) -> d.Action:
    return d.Action(
        description=row["description"],
        owner=row["owner"],
        due_date=day(row["due_date"]),
        id=row["id"],
    )
