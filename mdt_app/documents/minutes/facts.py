"""The case facts a decision rests on, in words. "Not known" stays "not known"."""

from __future__ import annotations

from mdt_app import domain as d
from mdt_app.wording import BIOMARKER_NAMES, NOT_KNOWN, minutes_word

BIOMARKER_LABELS = BIOMARKER_NAMES


def words(value: str | None) -> str:
    """An enumeration value as words: 'core_biopsy' -> 'core biopsy'."""
    return minutes_word(value)


def biomarkers(b: d.Biomarkers) -> str:
    parts = [f"{label} {words(getattr(b, name))}" for name, label in BIOMARKER_LABELS.items()]
    parts.append(f"PD-L1 TPS {_number(b.pdl1_tps_percent, '%')}")
    parts.append(f"TMB {_number(b.tmb_mut_per_mb, ' mut/Mb')}")
    return "; ".join(parts)


def metastases(case: d.Case) -> str:
    m = case.metastases
    if m.sites:
        text = ", ".join(m.sites)
        if m.burden:
            text += f" ({m.burden} burden)"
        if "brain" in m.sites and m.brain_symptomatic is not None:
            text += "; brain " + ("symptomatic" if m.brain_symptomatic else "asymptomatic")
        return text
    if case.tnm.m == "M1":
        return "present (M1), sites not recorded"
    if case.tnm.m == "M0":
        return "none (M0)"
    return "not assessed"


def performance_status(ecog: int | None) -> str:
    return f"ECOG {ecog}" if ecog is not None else "not recorded"


def histology(dx: d.Diagnosis) -> str:
    text = words(dx.histology)
    if dx.confirmed_by is None:
        return text
    if dx.confirmed_by == "none":
        return f"{text}, not confirmed"
    return f"{text}, confirmed by {words(dx.confirmed_by)}"


def goals(case: d.Case) -> str:
    text = words(case.goals_of_care)
    if case.decision_capacity != "unknown":
        text += f"; decision capacity {case.decision_capacity}"
    return text


def key_facts(case: d.Case) -> tuple[tuple[str, str], ...]:
    """(label, text) pairs in the order the minutes list them."""
    facts = [
        ("TNM", str(case.tnm)),
        ("Histology", histology(case.diagnosis)),
        ("Biomarkers", biomarkers(case.biomarkers)),
        ("Performance status", performance_status(case.ecog)),
        ("Airway", words(case.airway)),
        ("Metastases", metastases(case)),
        ("Resectability", words(case.resectability)),
        ("Phase", words(case.phase)),
        ("Goals of care", goals(case)),
    ]
    if case.declines:
        facts.append(("Declines", ", ".join(words(x) for x in case.declines)))
    facts.extend(pathway_v2_facts(case))
    return tuple(facts)


def pathway_v2_facts(case: d.Case) -> list[tuple[str, str]]:
    """The facts added with pathway 2.0: alerts, prior treatments, and the new fields
    where recorded (an unrecorded one is left out to keep old minutes as they were)."""
    from mdt_app.case_alerts import case_alerts, treatment_timeline
    from mdt_app.case_alerts import pathway_v2_facts as v2

    out = [("Alert", alert) for alert in case_alerts(case)]
    timeline = treatment_timeline(case)
    if timeline:
        out.append(("Prior treatments", "; ".join(timeline)))
    out += [(label, text) for label, text in v2(case) if text != "not recorded"]
    return out


def warning_facts(snapshot: dict | None) -> tuple[tuple[str, str], ...]:
    """The pathway's warnings as recorded with the decision (or given today)."""
    return tuple(("Warning", w) for w in (snapshot or {}).get("warnings") or [])


def coded_facts(case: d.Case) -> dict[str, str]:
    """ECOG, airway and biomarker results as the case format codes them ('' = not recorded)."""
    coded = {"ecog": "" if case.ecog is None else str(case.ecog), "airway": case.airway}
    coded.update({name: getattr(case.biomarkers, name) for name in BIOMARKER_LABELS})
    return coded


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return NOT_KNOWN
    return f"{value:g}{unit}"
