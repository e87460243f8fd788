"""How case facts are worded in a rationale, and the facts derived from several fields.

Derived facts: the targetable driver (BRAF V600E, NTRK, RET, ALK), performance status
against the pathway's ECOG cut-off, PD-L1 and TMB against theirs, pending results.
"""

from __future__ import annotations

from mdt_app import domain as d
from mdt_app.guideline.situation import UNKNOWN, Situation
from mdt_app.wording import (
    AIRWAY,
    BIOMARKER_NAMES,
    BRAIN_IMAGING,
    BRAIN_SYMPTOMS,
    BURDEN,
    CAPACITY,
    CONFIRMED,
    DRIVERS,
    GOALS,
    OPERABLE,
    PHASE,
    RESECTABILITY,
    RESULT_WORDS,
    URGENT,
)

__all__ = ["AIRWAY", "BIOMARKER_LABELS", "BRAIN_IMAGING", "BRAIN_SYMPTOMS", "BURDEN",
           "CAPACITY", "CONFIRMED", "DRIVERS", "GOALS", "OPERABLE", "PHASE", "RESECTABILITY",
           "RESULT_WORDS", "URGENT"]  # fmt: skip

# The words tables live in the one table of words (mdt_app.wording); named here too
# because the pathway's facts read them as ``wording.X``.
BIOMARKER_LABELS = BIOMARKER_NAMES


def yes_no(value: bool | None) -> str:
    return UNKNOWN if value is None else str(value).lower()


def driver(s: Situation) -> str:
    results = [getattr(s.case.biomarkers, f) for f, _ in DRIVERS]
    for value, token in (("positive", "present"), (UNKNOWN, UNKNOWN), ("pending", "pending")):
        if value in results:
            return token
    return "absent"


def driver_words(s: Situation) -> str:
    token = driver(s)
    if token == "absent":
        return "no targetable driver (BRAF V600E, NTRK, RET and ALK negative)"
    wanted = {"present": "positive", UNKNOWN: UNKNOWN, "pending": "pending"}[token]
    names = ", ".join(label for f, label in DRIVERS if getattr(s.case.biomarkers, f) == wanted)
    prefix = {"present": "targetable driver", UNKNOWN: "not known", "pending": "pending"}[token]
    return f"{prefix}: {names}"


def ecog(s: Situation) -> str:
    """good / intermediate / poor against the pathway's two ECOG cut-offs."""
    if s.case.ecog is None:
        return UNKNOWN
    if s.case.ecog <= s.settings.good_ps_max_ecog:
        return "good"
    return "poor" if s.case.ecog >= s.settings.poor_from else "intermediate"


def ecog_words(s: Situation) -> str:
    if s.case.ecog is None:
        return "ECOG not recorded"
    cut, flag = s.settings.good_ps_max_ecog, s.settings.flag("good_ps_max_ecog")
    poor = s.settings.poor_from
    tiers = f"good = ECOG 0-{cut}" + (f", poor = {poor} or more" if poor > cut + 1 else "")
    return f"ECOG {s.case.ecog} ({ecog(s)} PS; {tiers}{flag})"


def level(value: float | None, cut: float) -> str:
    return UNKNOWN if value is None else ("high" if value >= cut else "low")


def pdl1_words(s: Situation) -> str:
    value, cut = s.case.biomarkers.pdl1_tps_percent, s.settings.pdl1_high_min_tps
    if value is None:
        return "PD-L1 not known"
    flag = s.settings.flag("pdl1_high_min_tps")
    return f"PD-L1 TPS {value:g}% ({level(value, cut)}; high = {cut:g}% or more{flag})"


def tmb_words(s: Situation) -> str:
    value, cut = s.case.biomarkers.tmb_mut_per_mb, s.settings.tmb_high_min_mut_per_mb
    if value is None:
        return "TMB not known"
    return f"TMB {value:g} mut/Mb ({level(value, cut)}; high = {cut:g} or more)"


def pending(s: Situation) -> str:
    return yes_no(any(getattr(s.case.biomarkers, f) == "pending" for f in d.BIOMARKER_FIELDS))


def pending_words(s: Situation) -> str:
    names = [
        BIOMARKER_LABELS[f]
        for f in d.BIOMARKER_FIELDS
        if getattr(s.case.biomarkers, f) == "pending"
    ]
    return f"results pending: {', '.join(names)}" if names else "no results pending"


def stage_words(s: Situation) -> str:
    if s.staging.is_staged:
        return f"stage {s.staging.stage}"
    return f"stage not assignable ({s.staging.reason_text})"
