"""What a reader of a case must not miss, and its treatment history, in plain words.

Used by the window's case summary and by the minutes, so both say the same thing.
The thresholds come from the pathway's settings (eGFR), never from the screen.
"""

from __future__ import annotations

from datetime import date

from mdt_app import domain as d
from mdt_app.guideline.history import LINE_NAMES, latest_lab
from mdt_app.guideline.situation import Settings

RESPONSE_WORDS = {
    "complete": "complete response",
    "partial": "partial response",
    "stable": "stable disease",
    "progression": "progression",
}
PREGNANCY_WORDS = {
    "pregnant": "pregnant",
    "breastfeeding": "breastfeeding",
    "not_pregnant": "not pregnant",
    "not_applicable": "not applicable",
}


def case_alerts(case: d.Case, settings: Settings | None = None) -> list[str]:
    """Alerts about the patient: pregnancy, breastfeeding, renal function, histology."""
    s = settings or Settings()
    out: list[str] = []
    if case.pregnancy == "pregnant":
        out.append("Pregnant: obstetric input before contrast imaging, radiotherapy or drugs")
    elif case.pregnancy == "breastfeeding":
        out.append("Breastfeeding: lactation advice before systemic therapy or contrast")
    egfr = latest_lab(case, "eGFR")
    if egfr is not None and egfr.value < s.egfr_cisplatin_min:
        what = "avoid cisplatin"
        if egfr.value < s.egfr_contrast_min:
            what += "; iodinated contrast only with precautions"
        out.append(
            f"Renal function: eGFR {egfr.value:g} mL/min/1.73m2 on {egfr.date.isoformat()} ({what})"
        )
    if case.diagnosis.confirmed_by in (None, "fna_only", "none"):
        out.append("Histology not confirmed by core biopsy or surgical specimen")
    if case.operable is False:
        out.append("Medically inoperable (unfit for surgery)")
    return out


def treatment_line(t: d.PriorTreatment) -> str:
    """One prior treatment as a timeline line: dates, what, response, note."""
    start = t.started_on.isoformat() if t.started_on else "start not recorded"
    end = t.ended_on.isoformat() if t.ended_on else "ongoing"
    text = f"{start} – {end}: {LINE_NAMES.get(t.type, t.type)}"
    if t.response:
        text += f" ({RESPONSE_WORDS.get(t.response, t.response)})"
    if t.note:
        text += f" – {t.note}"
    return text


def treatment_timeline(case: d.Case) -> list[str]:
    """Prior treatments oldest first (undated ones last), one line each."""
    ordered = sorted(
        case.prior_treatments,
        key=lambda t: (t.started_on is None, t.started_on or t.ended_on or date.min),
    )
    return [treatment_line(t) for t in ordered]


def pathway_v2_facts(case: d.Case) -> list[tuple[str, str]]:
    """The case facts added with pathway 2.0, as (name, value); unrecorded says so."""

    def word(value: str | None) -> str:
        return value.replace("_", " ") if value else "not recorded"

    operable = {True: "yes", False: "no (medically inoperable)", None: "not recorded"}
    return [
        ("ATC extent", word(case.diagnosis.atc_extent)),
        ("Coexisting differentiated cancer", word(case.diagnosis.coexisting_dtc)),
        ("Fit for surgery", operable[case.operable]),
        ("Pregnancy", PREGNANCY_WORDS.get(case.pregnancy or "", "not recorded")),
        ("BRAF method", word(case.biomarkers.braf_method)),
        ("Sequencing (NGS)", word(case.biomarkers.sequencing)),
    ]
