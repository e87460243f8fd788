"""Referral of a case to a European Reference Network expert panel, and the panel's reply.

EURACAN virtual panels (the EU Clinical Patient Management System) take pseudonymised
cases only, with the patient's consent to the discussion recorded. `refer_case` writes a
case summary as JSON (``mdt-panel-referral/1``) and PDF into a folder: no name, MRN,
birth date or contact details; the patient is named by a panel pseudonym (``ERN-`` and
ten hex digits, an HMAC of the case under the database's pseudonym secret, so a second
referral of the same case gets the same pseudonym). The pseudonym is kept in the
database (table panel_referrals) so the panel's reply, which carries only the pseudonym,
is imported back onto the right case as an audited note (`mdt-app import REPLY.json`).

Reply format (``mdt-panel-reply/1``)::

    {"format": "mdt-panel-reply/1", "pseudonym": "ERN-1A2B3C4D5E",
     "panel": "EURACAN G6 thyroid", "replied_on": "2026-12-10",
     "author": "Prof. N. Expert", "reply": "Free text of the panel's advice"}
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdt_app import domain as d
from mdt_app.casefile import CaseFileError, case_to_dict
from mdt_app.errors import UserError

if TYPE_CHECKING:
    from mdt_app.exchange.importer import FileImport, ImportOptions
    from mdt_app.store import Store

REFERRAL_FORMAT = "mdt-panel-referral/1"
REPLY_FORMAT = "mdt-panel-reply/1"
PREFIX = "ERN-"


class ConsentMissing(UserError):
    """The patient's consent to discussion is not recorded as given."""


def panel_pseudonym(store: Store, case_id: int) -> str:
    """The case's pseudonym for expert panels (stable per case and database)."""
    from mdt_app.documents.minutes.pseudonym import pseudonym_key

    digest = hmac.new(pseudonym_key(store), f"panel:{case_id}".encode(), hashlib.sha256)
    return PREFIX + digest.hexdigest()[:10].upper()


def check_consent(case: d.Case) -> None:
    """ConsentMissing unless consent to discussion is recorded as given."""
    given = case.consent.discussion
    if given == "given":
        return
    said = "refused" if given == "refused" else "not recorded"
    raise ConsentMissing(
        f"case {case.id}: consent to discussion by an expert panel is {said}; "
        "record the patient's consent (consent.discussion = given) before referring"
    )


@dataclass(frozen=True)
class Referral:
    """What goes to the panel (built by `build_referral`, written by `refer_case`)."""

    pseudonym: str
    question: str
    data: dict[str, Any]  # the mdt-panel-referral/1 JSON


def build_referral(store: Store, case_id: int, question: str) -> Referral:
    """The pseudonymised summary of a case for an expert panel (checks consent first)."""
    from mdt_app.documents.minutes.facts import biomarkers, histology, metastases, words
    from mdt_app.documents.minutes.pseudonym import Pseudonymiser
    from mdt_app.guideline.engine import recommend
    from mdt_app.staging import stage_for
    from mdt_app.store import now

    question = (question or "").strip()
    if not question:
        raise UserError("give the question for the panel (--question TEXT)")
    case = store.get_case(case_id)
    check_consent(case)
    code = panel_pseudonym(store, case_id)
    names = (case.patient.display_name, case.patient.given_name, case.patient.family_name)
    scrubber = Pseudonymiser.for_store(store)

    def clean(text: str | None) -> str | None:
        cleaned = scrubber.scrub(text, case.patient.mrn, tuple(n for n in names if n))
        if cleaned is None:
            return None
        # the minutes pseudonym would link this referral to audit exports: use the panel's
        return cleaned.replace(scrubber.pseudonym(case.patient.mrn), code)

    today = now().date()
    staged = stage_for(case.tnm)
    options = recommend(case, today=today).as_dict()
    decision = store.latest_signed_decision_for_case(case_id)
    latest: dict[str, d.LabResult] = {}
    for lab in sorted(case.labs, key=lambda x: x.date):
        latest[lab.test.lower()] = lab
    full = case_to_dict(case)
    data: dict[str, Any] = {
        "format": REFERRAL_FORMAT,
        "pseudonym": code,
        "created_on": today.isoformat(),
        "referring_centre": (store.get_setting("centre", {}) or {}).get("name"),
        "question": clean(question),
        "patient": {"sex": case.patient.sex, "age_years": case.patient.age_on(today)},
        "history": {
            "histology": histology(case.diagnosis),
            "diagnosed_on": _iso(case.diagnosis.diagnosed_on),
            "phase": case.phase,
            "ecog": case.ecog,
            "airway": case.airway,
            "metastases": metastases(case),
            "goals_of_care": case.goals_of_care,
            "goals_of_care_words": words(case.goals_of_care),
            "prior_treatments": full.get("prior_treatments"),
            "referral_question": clean(case.referral.question),
        },
        "stage": {"tnm": str(case.tnm), "stage": staged.stage, "basis": staged.basis},
        "biomarkers": {**full["biomarkers"], "summary": biomarkers(case.biomarkers)},
        "labs": [
            {
                "test": x.test,
                "date": x.date.isoformat(),
                "value": x.value,
                "unit": x.unit,
                "low": x.low,
                "high": x.high,
                "flag": x.flag,
            }
            for x in latest.values()
        ],  # fmt: skip
        "imaging": [
            {
                "date": i.date.isoformat(),
                "modality": i.modality,
                "region": clean(i.region),
                "summary": clean(i.summary),
            }
            for i in case.imaging
        ],  # fmt: skip
        "local_mdt_options": {
            "guideline": options.get("guideline"),
            **{
                name: [
                    {"code": o["code"], "title": o.get("title"), "rationale": o.get("rationale")}
                    for o in options.get(name, [])
                ]
                for name in d.OPTION_LISTS
            },
            "warnings": options.get("warnings", []),
        },
        "local_mdt_decision": None,
    }
    if decision is not None:
        data["local_mdt_decision"] = {
            "signed_on": decision.signed_at.date().isoformat() if decision.signed_at else None,
            "chosen": list(decision.chosen_options),
            "plan": clean(decision.plan_text),
        }
    return Referral(code, data["question"] or "", data)


def refer_case(store: Store, case_id: int, folder: str | Path, question: str) -> list[Path]:
    """Write the referral's JSON and PDF into ``folder`` and keep the pseudonym; the paths."""
    from mdt_app.documents.output import output_path, write_audited
    from mdt_app.exchange.records import record_referral

    target = Path(folder).expanduser().absolute()
    if target.exists() and not target.is_dir():
        raise UserError(f"{target}: is not a folder")
    referral = build_referral(store, case_id, question)  # consent checked before any write
    target.mkdir(parents=True, exist_ok=True)
    stem = f"panel-referral-{referral.pseudonym}"
    json_path = output_path(target / f"{stem}.json")
    pdf_path = output_path(target / f"{stem}.pdf")
    record_referral(store, case_id, referral.pseudonym, referral.question)
    text = json.dumps(referral.data, ensure_ascii=False, indent=2)
    details = {"pseudonym": referral.pseudonym, "folder": str(target)}
    write_audited(
        store,
        json_path,
        lambda tmp: tmp.write_text(text, encoding="utf-8"),
        lambda: store.audit(
            "export_panel_referral", "case", case_id, {**details, "format": "json"}
        ),
    )
    pdf = referral_pdf(referral)
    write_audited(
        store,
        pdf_path,
        lambda tmp: tmp.write_bytes(pdf),
        lambda: store.audit("export_panel_referral", "case", case_id, {**details, "format": "pdf"}),
    )
    return [json_path, pdf_path]


def referral_pdf(referral: Referral) -> bytes:
    """The referral as a PDF in the house style; the banner names only the pseudonym."""
    from reportlab.platypus import Paragraph, Table

    from mdt_app.documents.pdf_style import (
        DocumentInfo,
        PageDecoration,
        build_pdf,
        house_styles,
        house_table_style,
    )

    s = house_styles()
    x = referral.data

    def p(text: Any, style: Any = None) -> Paragraph:
        from xml.sax.saxutils import escape

        return Paragraph(escape(str(text if text is not None else "not known")), style or s.body)

    def rows(pairs: list[tuple[str, Any]]) -> Table:
        table = Table(
            [[p(k, s.cell_head), p(v, s.cell)] for k, v in pairs], colWidths=["30%", "70%"]
        )
        table.setStyle(house_table_style(s))
        return table

    h = x["history"]
    story: list[Any] = [
        p(f"Expert panel referral: {referral.pseudonym}", s.title),
        p(
            f"Pseudonymised case summary from {x['referring_centre'] or 'the referring MDT'}, "
            f"{x['created_on']}. Consent to discussion recorded as given.",
            s.subtitle,
        ),
        p("Question for the panel", s.h1),
        p(x["question"], s.note),
        p("Patient and history", s.h1),
        rows(
            [
                ("Sex, age", f"{x['patient']['sex']}, {x['patient']['age_years'] or '?'} years"),
                ("Histology", h["histology"]),
                ("Diagnosed", h["diagnosed_on"]),
                ("Phase", str(h["phase"]).replace("_", " ")),
                ("ECOG", h["ecog"]),
                ("Airway", h["airway"]),
                ("Metastases", h["metastases"]),
                ("Goals of care", h["goals_of_care_words"]),
                (
                    "Prior treatments",
                    "; ".join(
                        f"{t.get('type')} from {t.get('started_on') or '?'}"
                        for t in h["prior_treatments"] or []
                    )
                    or "none recorded",
                ),
            ]
        ),  # fmt: skip
        p("Stage", s.h1),
        rows(
            [
                ("TNM", x["stage"]["tnm"]),
                ("Stage (AJCC 8th)", x["stage"]["stage"]),
                ("Basis", x["stage"]["basis"]),
            ]
        ),  # fmt: skip
        p("Biomarkers", s.h1),
        p(x["biomarkers"]["summary"]),
        p("Laboratory (latest per test)", s.h1),
    ]
    if x["labs"]:
        story.append(
            rows([(lab["test"], f"{lab['value']:g} {lab['unit'] or ''} ({lab['date']})"
                   + (f" {lab['flag']}" if lab["flag"] else "")) for lab in x["labs"]])
        )  # fmt: skip
    else:
        story.append(p("none recorded"))
    story.append(p("Imaging", s.h1))
    for i in x["imaging"] or []:
        story.append(p(f"{i['date']} {i['modality']} {i['region'] or ''}: {i['summary']}"))
    if not x["imaging"]:
        story.append(p("none recorded"))
    story.append(p("Local MDT: guideline options", s.h1))
    labels = {"recommended": "Recommended", "consider": "Consider",
              "not_recommended": "Not recommended", "missing": "Missing work-up"}  # fmt: skip
    for name, label in labels.items():
        for o in x["local_mdt_options"].get(name, []):
            story.append(p(f"{label}: {o['title'] or o['code']}: {o['rationale'] or ''}", s.bullet))
    decision = x["local_mdt_decision"]
    if decision:
        story.append(p("Local MDT decision", s.h1))
        story.append(p(f"Signed {decision['signed_on']}: {decision['plan']}"))
    return build_pdf(
        story,
        info=DocumentInfo(title=f"Expert panel referral {referral.pseudonym}"),
        decoration=PageDecoration(
            banner=f"Pseudonymised case {referral.pseudonym} (no name, MRN or birth date)",
            footer="Pseudonymised for a European Reference Network expert panel",
        ),
        styles=s,
    )


# --- the panel's reply ----------------------------------------------------------------------


def read_reply(data: dict, where: str) -> FileImport:
    """A panel reply file, checked; imported as a note on the case its pseudonym names."""
    from mdt_app.exchange.importer import FileImport
    from mdt_app.exchange.report import FileReport, PatientReport

    def need(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise CaseFileError(f"{where}: field '{key}': is required (text)")
        return value.strip()

    pseudonym, reply = need("pseudonym"), need("reply")
    panel = str(data["panel"]) if isinstance(data.get("panel"), str) else "expert panel"
    replied = data.get("replied_on")
    try:
        replied_on = date.fromisoformat(replied) if isinstance(replied, str) else None
    except ValueError:
        raise CaseFileError(f"{where}: field 'replied_on': {replied!r} is not a date") from None
    author = data.get("author") if isinstance(data.get("author"), str) else None
    out = FileImport(FileReport(where, "panel reply"))

    def step(store: Store, options: ImportOptions) -> list[str]:
        from mdt_app.exchange.records import add_note, case_for_pseudonym
        from mdt_app.exchange.report import UNCHANGED, UPDATED

        report = PatientReport(pseudonym, "", "reply")
        out.report.patients.append(report)
        case_id = case_for_pseudonym(store, pseudonym)
        if case_id is None:
            raise UserError(f"{where}: pseudonym {pseudonym} was not referred from this database")
        report.case_id = case_id
        patient = store.get_case(case_id).patient
        report.name, report.mrn = f"{patient.display_name} ({pseudonym})", patient.mrn
        text: str = f"{panel} ({author})" if author else panel
        key = "panel:" + hashlib.sha256(f"{pseudonym}\0{reply}".encode()).hexdigest()[:24]
        added = add_note(
            store, case_id, "panel_reply", reply, source=text, source_key=key, noted_on=replied_on
        )
        report.action = UPDATED if added else UNCHANGED
        report.mapped.append(("panel reply note", text))
        return [f"panel reply added as a note to case {case_id}"] if added else []

    out.steps.append(step)
    return out


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
