"""The demo database: three synthetic meetings of ATC cases, clearly marked as demo data.

- an earlier meeting whose cases are all decided (signed, one amended, one deviating);
- the current meeting: 18 cases covering stages IVA/IVB/IVC, resectable and not, BRAF
  positive/negative/pending/unknown, NTRK and RET fusions, unknown M, comfort-only care
  with and without capacity, stridor, symptomatic brain metastases, and the pathway 2.0
  cases (pregnancy, progression on dabrafenib + trametinib, FNA-only histology with
  stridor, a focal ATC in a papillary cancer); three signed decisions, one draft and one
  case deferred. The closed meeting's decisions were made on pathway 1.0;
- the next meeting, holding the deferred case.
Dates are relative to the day the demo is built, so the urgency figures stay realistic.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mdt_app import demo_cases as src
from mdt_app import demo_cases_v2 as src_v2
from mdt_app import domain as d
from mdt_app import paths
from mdt_app.casefile import parse_case
from mdt_app.decision_rules import deviation
from mdt_app.errors import StoreError
from mdt_app.security.demo_users import DEMO_CHAIR, add_demo_users
from mdt_app.security.signing import confirmed_signature
from mdt_app.security.users import get_user
from mdt_app.store import Store, open_store

DEMO_MARK = "DEMO"
V1_PATHWAY = ("guidelines", "history", "atc-1.0.yaml")

# Actions the demo writes for chosen options: (what, owner, days after the meeting).
_ACTIONS = {
    "SURGERY_R0R1": (
        "Operation to remove the thyroid and neck lymph nodes",
        "Dr Bartłomiej Żółkiewski",
        10,
    ),
    "EBRT_CHEMO_ADJ": ("Radiotherapy planning scan after the operation", "Dr Søren Kjærgaard", 35),
    "EBRT_CHEMO_DEF": ("Radiotherapy planning scan; agree chemotherapy", "Dr Søren Kjærgaard", 5),
    "BRAF_MEK": ("Start dabrafenib + trametinib; teaching visit", "Dr Inés Muñoz-Álvarez", 3),
    "BRIDGING_CHEMO": ("First weekly paclitaxel", "Dr Inés Muñoz-Álvarez", 4),
    "CLINICAL_TRIAL": ("Trial eligibility screening", "Research nurse", 7),
    "PALLIATIVE_CARE": ("Palliative care team referral", "Małgorzata Dąbrowska", 2),
    "PALLIATIVE_RT": ("Palliative neck radiotherapy planning", "Dr Søren Kjærgaard", 5),
}


def _tnm_basis(spec: dict) -> str:
    """Staged on the resected specimen after surgery, else clinically (imaging, biopsy)."""
    resected = spec.get("phase", "new").startswith("post_resection")
    return "pathological" if resected or spec["confirmed"] == "surgical_specimen" else "clinical"


def _case_object(spec: dict, today: date, index: int) -> dict:
    """The mdt-case/1 object for one demo description."""
    rng = random.Random(spec["mrn"])
    diagnosed = today - timedelta(days=spec["days"])
    t, n, m = spec["tnm"]
    return {
        "format": "mdt-case/1",
        "patient": {
            "mrn": spec["mrn"],
            "given_name": spec["given"],
            "family_name": spec["family"],
            "birth_date": date(spec["born"], 1 + index % 12, 3 + (index * 7) % 25).isoformat(),
            "sex": spec["sex"],
            "preferred_language": spec.get("language", "en"),
        },
        "referral": {
            "referred_on": (diagnosed + timedelta(days=1)).isoformat(),
            "referring_clinician": src.REFERRERS[index % len(src.REFERRERS)],
            "question": spec["question"],
            "urgent": spec.get("urgent", spec["days"] <= 7),
        },
        "diagnosis": {
            "histology": "anaplastic_thyroid_carcinoma",
            "confirmed_by": spec["confirmed"],
            "diagnosed_on": diagnosed.isoformat(),
        },
        "tnm": {"t": t, "n": n, "m": m, "basis": _tnm_basis(spec)},
        "resectability": spec["resect"],
        "phase": spec.get("phase", "new"),
        "biomarkers": {
            "braf_v600e": spec["braf"],
            "ntrk_fusion": spec.get(
                "ntrk", "unknown" if spec["braf"] != "negative" else "negative"
            ),
            "ret_fusion": spec.get("ret", "unknown" if spec["braf"] != "negative" else "negative"),
            "alk_fusion": spec.get("alk", "unknown" if spec["braf"] != "negative" else "negative"),
            "msi_high": spec.get("msi", "unknown"),
            "tmb_mut_per_mb": spec.get("tmb"),
            "pdl1_tps_percent": spec.get("pdl1"),
        },
        "ecog": spec["ecog"],
        "airway": spec["airway"],
        "metastases": {
            "sites": spec["sites"],
            "burden": spec.get("burden"),
            "brain_symptomatic": spec.get("brain_symptomatic", False if spec["sites"] else None),
        },
        "brain_imaging_done": spec["brain"],
        "goals_of_care": spec["goals"],
        "decision_capacity": spec.get("capacity", "intact"),
        "declines": spec.get("declines", []),
        "imaging": _imaging(spec, diagnosed),
        "labs": _labs(rng, spec, diagnosed, today),
        "care_team": {
            "key_contact_name": src.KEY_CONTACT[0],
            "key_contact_phone": src.KEY_CONTACT[1],
            "centre": src.CENTRE["name"],
        },
    }


def _imaging(spec: dict, diagnosed: date) -> list[dict]:
    size, m = spec["mass_cm"], spec["tnm"][2]
    side = "left" if spec["born"] % 2 else "right"
    invasion = {
        "T4a": "invading the trachea wall",
        "T4b": "encasing the carotid artery",
        "T3b": "extending into the strap muscles",
    }.get(spec["tnm"][0], "confined to the thyroid")
    out = [
        {
            "date": (diagnosed - timedelta(days=6)).isoformat(),
            "modality": "US",
            "region": "neck",
            "summary": f"Solid hypoechoic {side} thyroid mass {size - 0.8:.1f} cm, "
            "irregular margins; suspicious nodes reported separately",
        },
        {
            "date": (diagnosed - timedelta(days=2)).isoformat(),
            "modality": "CT",
            "region": "neck",
            "summary": f"{size:.1f} cm {side} thyroid mass {invasion}",
        },
    ]
    if m is not None:
        distant = ", ".join(spec["sites"]) or "none"
        out.append(
            {
                "date": (diagnosed + timedelta(days=2)).isoformat(),
                "modality": "FDG-PET/CT",
                "region": "whole body",
                "summary": f"Intense uptake in the {side} thyroid mass (SUVmax 21); "
                f"distant disease: {distant}",
            }
        )
    if spec["airway"] in ("symptomatic", "compromised"):
        out.append(
            {
                "date": (diagnosed + timedelta(days=1)).isoformat(),
                "modality": "laryngoscopy",
                "region": "larynx",
                "summary": f"{side.capitalize()} vocal cord palsy"
                + (
                    "; subglottic narrowing, stridor at rest"
                    if spec["airway"] == "compromised"
                    else ""
                ),
            }
        )
    if spec["brain"]:
        finding = (
            "enhancing 1.8 cm right frontal lesion with oedema"
            if "brain" in spec["sites"]
            else "no intracranial metastasis"
        )
        out.append(
            {
                "date": (diagnosed + timedelta(days=3)).isoformat(),
                "modality": "MRI",
                "region": "brain",
                "summary": finding.capitalize(),
            }
        )
    return out


# test: (unit, low, high, start value, step per draw)
_LAB_SPECS = {
    "TSH": ("mIU/L", 0.4, 4.0, 1.8, 0.9),
    "Free T4": ("pmol/L", 12.0, 22.0, 16.0, 2.5),
    "Calcium (adjusted)": ("mmol/L", 2.20, 2.60, 2.35, 0.08),
    "Haemoglobin": ("g/L", 120.0, 160.0, 128.0, 6.0),
    "CRP": ("mg/L", 0.0, 5.0, 9.0, 6.0),
}


def _labs(rng: random.Random, spec: dict, diagnosed: date, today: date) -> list[dict]:
    dates = [diagnosed - timedelta(days=12), diagnosed, today - timedelta(days=1)]
    out = []
    for test, (unit, low, high, start, step) in _LAB_SPECS.items():
        value = start
        for when in dates:
            value = max(0.05, value + rng.uniform(-step, step))
            if test == "CRP" and spec["tnm"][2] == "M1":
                value += step  # inflammatory markers climb with metastatic disease
            out.append(
                {
                    "date": when.isoformat(),
                    "test": test,
                    "value": round(value, 2),
                    "unit": unit,
                    "low": low,
                    "high": high,
                }
            )
    return out


def _with_v2_fields(obj: dict, spec: dict, today: date) -> dict:
    """Merge a pathway 2.0 demo case's ``extra`` fields into its mdt-case/1 object."""
    for key, value in spec.get("extra", {}).items():
        if key in src_v2.DIAGNOSIS_FIELDS:
            obj["diagnosis"][key] = value
        elif key in src_v2.BIOMARKER_FIELDS:
            obj["biomarkers"][key] = value
        elif key == "prior_treatments":
            obj[key] = [
                {
                    "type": t["type"],
                    "started_on": _days_ago(today, t.get("started_days_ago")),
                    "ended_on": _days_ago(today, t.get("ended_days_ago")),
                    "response": t.get("response"),
                    "note": t.get("note"),
                }
                for t in value
            ]
        else:
            obj[key] = value
    return obj


def _days_ago(today: date, days: int | None) -> str | None:
    return None if days is None else (today - timedelta(days=days)).isoformat()


def _import(store: Store, spec: dict, today: date, index: int) -> int:
    obj = _with_v2_fields(_case_object(spec, today, index), spec, today)
    case = parse_case(obj, f"demo case {spec['mrn']}")
    case_id, _ = store.import_case(case)
    return case_id


def _decide(store: Store, item: d.AgendaItem, spec: dict, meeting: d.Meeting, sign: bool) -> None:
    from mdt_app.guideline.engine import load_pathway, recommend
    from mdt_app.paths import resource_path

    plan = spec["decision"] if sign else spec["draft"]
    case = store.get_case(item.case_id)
    # The closed meeting was decided before pathway 2.0: its records keep version 1.0.
    old = load_pathway(resource_path(*V1_PATHWAY)) if meeting.status == "closed" else None
    rec = recommend(case, old, today=meeting.date)
    decision = d.Decision(
        case_id=item.case_id,
        agenda_item_id=item.id or 0,
        chosen_options=list(plan["codes"]),
        plan_text=plan["plan"],
        deviation_reason=plan.get("deviation"),
        clinical_trial=plan.get("trial"),
        patient_explanation=plan.get("for_patient", ""),
        discussed_with_patient_on=(
            meeting.date + timedelta(days=1) if plan.get("discussed_by") else None
        ),
        discussed_with_patient_by=plan.get("discussed_by"),
        guideline_id=rec.guideline_id,
        guideline_version=rec.guideline_version,
        options_snapshot=rec.as_dict(),
        actions=[
            d.Action(what, owner, meeting.date + timedelta(days=after))
            for code, (what, owner, after) in _ACTIONS.items()
            if code in plan["codes"]
        ],
    )
    why = deviation(decision, decision.options_snapshot)
    if sign and why and not decision.deviation_reason:
        raise AssertionError(f"demo decision for {spec['mrn']} deviates unexpectedly: {why}")
    saved = store.save_draft(decision)
    if not sign:
        return
    chair = get_user(store, DEMO_CHAIR)  # the demo chair signs (no password: we made it)
    with confirmed_signature(store, chair):
        signed = store.sign_decision(saved.id or 0, src.CHAIR, today=meeting.date)
    if "amend" in spec:
        amendment = store.start_amendment(signed.id or 0, spec["amend"]["reason"])
        amendment.plan_text = spec["amend"]["plan"]
        amendment.patient_explanation = spec["amend"].get(
            "for_patient", amendment.patient_explanation
        )
        with confirmed_signature(store, chair):
            store.sign_decision(store.save_draft(amendment).id or 0, src.CHAIR, today=meeting.date)


def _meeting(
    store: Store, when: date, title: str, status: d.MeetingStatusValue, attended: bool = True
) -> d.Meeting:
    meeting = d.Meeting(
        date=when,
        title=f"{title} [{DEMO_MARK}: synthetic patients]",
        status=status,
        chair=src.CHAIR,
        location="Room 4.12 and video link (demo)",
    )
    meeting.id = store.create_meeting(meeting)
    if attended:
        store.set_attendance(
            meeting.id, [d.Attendee(name, specialty) for name, specialty in src.ATTENDEES]
        )
    return meeting


def seed_demo(store: Store, today: date | None = None) -> None:
    """Fill an empty store with the demo meetings."""
    today = today or date.today()
    if store.list_meetings():
        raise StoreError(f"{store.path}: already holds meetings; the demo needs an empty database")
    store.set_setting("centre", src.CENTRE)
    add_demo_users(store)
    earlier = _meeting(store, today - timedelta(days=14), "Thyroid ATC MDT", "closed")
    # The meeting in progress is held today: only then is a case "under discussion".
    current = _meeting(store, today, "Thyroid ATC MDT", "in_progress")
    later = _meeting(
        store, current.date + timedelta(days=14), "Thyroid ATC MDT", "planned", attended=False
    )
    for meeting, specs, offset in (
        (earlier, src.EARLIER_MEETING, 14),
        (current, src.CURRENT_MEETING + src_v2.CASES, 0),
    ):
        for index, spec in enumerate(specs):
            with store.atomic():
                case_id = _import(store, spec, today - timedelta(days=offset), index)
            item = store.add_to_agenda(meeting.id or 0, case_id)
            if "decision" in spec:
                _decide(store, item, spec, meeting, sign=True)
            elif "draft" in spec:
                _decide(store, item, spec, meeting, sign=False)
            if "defer" in spec:
                store.defer(item.id or 0, later.id or 0, spec["defer"])


def records_held(store: Store) -> str | None:
    """The first table holding records (not counting the schema's own settings), or
    None for an empty database."""
    from mdt_app.store.transfer import TABLE_ORDER

    for table in TABLE_ORDER:
        if table != "settings" and store.query(f"SELECT 1 AS x FROM {table} LIMIT 1"):
            return table
    return None


def holds_only_the_demo(store: Store) -> bool:
    """True when every meeting of the database is a demo meeting (marked DEMO)."""
    meetings = store.list_meetings()
    return bool(meetings) and all(f"[{DEMO_MARK}:" in m.title for m in meetings)


def _build_on_server(url: paths.ServerURL, today: date | None, archive: int) -> Any:
    """The demo on an empty team database: in one transaction, so a failure leaves the
    database empty (a server has no temporary file to build under another name). A
    database holding any record (accounts or patients without a meeting yet included)
    is refused: synthetic patients never join a team's records."""
    with open_store(url, actor="demo-builder") as store, store.atomic():
        held = records_held(store)
        if held:
            raise StoreError(
                f"{url}: already holds {held.replace('_', ' ')}; the demo is built only on "
                "an empty database, never beside a team's records"
            )
        seed_demo(store, today)
        if archive:
            from mdt_app.archive import add_archive

            add_archive(store, archive, today)
    return url


def build_demo_database(
    path: str | Path | paths.ServerURL,
    today: date | None = None,
    archive: int = 0,
    *,
    passphrase: str | None = None,
) -> Any:
    """Create a new demo database at ``path`` (refuses to touch an existing file;
    encrypted with ``passphrase`` when one is given), or on an empty team database URL.

    ``archive`` adds that many synthetic past cases in closed meetings (scale tests).
    """
    if paths.ServerURL.is_server(path):
        return _build_on_server(paths.ServerURL(str(getattr(path, "url", path))), today, archive)
    path = Path(str(path))
    if path.exists() and path.stat().st_size > 0:
        raise StoreError(f"{path}: already exists; choose a new file for the demo database")
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    store = open_store(
        tmp, actor="demo-builder", passphrase=passphrase, encrypted=passphrase is not None
    )
    try:
        seed_demo(store, today)
        if archive:
            from mdt_app.archive import add_archive

            add_archive(store, archive, today)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    tmp.replace(path)  # a half-built demo never appears under the real name
    Path(f"{tmp}.users").unlink(missing_ok=True)  # the builder's presence file (store.presence)
    return path


def ensure_demo_database(path: str | Path | paths.ServerURL) -> Any:
    """The demo database at ``path``, created and seeded if absent (an existing file is
    checked by whoever opens it next). On a team server (`mdt-app --demo --db URL`): an
    empty database gets the demo, one holding the demo is reused, and one holding a
    team's records is refused in one line, untouched."""
    if paths.ServerURL.is_server(path):
        url = paths.ServerURL(str(getattr(path, "url", path)))
        with open_store(url, actor="demo-builder") as store:
            if holds_only_the_demo(store):
                return url
            if records_held(store):
                raise StoreError(
                    f"{url}: holds a team's records, not the demo; --demo never adds synthetic "
                    "patients to them (leave out --demo to open it, or give an empty database)"
                )
        return _build_on_server(url, None, 0)
    path = Path(str(path))
    if path.exists() and path.stat().st_size > 0:
        return path
    return build_demo_database(path)
