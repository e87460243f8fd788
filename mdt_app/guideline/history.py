"""Readings of pathway 2.0: what the patient has had, the latest labs, dates and age.

Each reading returns a fact token (or a set of them) and has its wording, so a rationale
can name the case facts behind it. "unknown" stays its own value everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta

from mdt_app import domain as d
from mdt_app.guideline.situation import UNKNOWN, Situation
from mdt_app.wording import VALUE_WORDS

# Treatment words come from the one words table (mdt_app/wording.py), for every prior
# treatment type of the case format; "other" reads as "other treatment" in a rationale.
LINE_NAMES = {code: VALUE_WORDS[code] for code in d.PRIOR_TREATMENT_TYPES if code != "other"} | {
    "other": "other treatment"
}
SYSTEMIC_LINES = (
    "braf_mek",
    "ntrk_inhibitor",
    "ret_inhibitor",
    "alk_inhibitor",
    "checkpoint_inhibitor",
    "lenvatinib",
    "cytotoxic_chemo",
)
WORKING = ("complete", "partial", "stable")
NONE = "none"


def _several(values: list[str]) -> frozenset[str]:
    return frozenset(values) if values else frozenset({NONE})


def had(s: Situation) -> frozenset[str]:
    """Every treatment type recorded, at any time."""
    return _several([t.type for t in s.case.prior_treatments])


def progressed_on(s: Situation) -> frozenset[str]:
    """Lines the disease progressed on."""
    return _several([t.type for t in s.case.prior_treatments if t.response == "progression"])


def ongoing(s: Situation) -> frozenset[str]:
    """Treatments with no end date (a tracheostomy in place, a line still given)."""
    return _several([t.type for t in s.case.prior_treatments if t.ongoing])


def ongoing_working(s: Situation) -> frozenset[str]:
    """Ongoing systemic lines with a complete or partial response or stable disease."""
    return _several(
        [
            t.type
            for t in s.case.prior_treatments
            if t.ongoing and t.type in SYSTEMIC_LINES and t.response in WORKING
        ]
    )


def _names(types: frozenset[str]) -> str:
    return ", ".join(LINE_NAMES[t] for t in d.PRIOR_TREATMENT_TYPES if t in types)


def had_words(s: Situation) -> str:
    types = had(s)
    return "no prior treatment recorded" if NONE in types else f"prior treatment: {_names(types)}"


def progressed_words(s: Situation) -> str:
    types = progressed_on(s)
    return (
        "no progression on a recorded line" if NONE in types else f"progressed on {_names(types)}"
    )


def ongoing_words(s: Situation) -> str:
    types = ongoing(s)
    return "nothing ongoing" if NONE in types else f"ongoing: {_names(types)}"


def ongoing_working_words(s: Situation) -> str:
    lines = [
        f"{LINE_NAMES[t.type]} ({t.response})"
        for t in s.case.prior_treatments
        if t.ongoing and t.type in SYSTEMIC_LINES and t.response in WORKING
    ]
    return f"working on {', '.join(lines)}" if lines else "no ongoing line that is working"


def ongoing_drugs(s: Situation) -> str:
    """The drugs of the ongoing lines that work, for the CONTINUE_CURRENT_THERAPY title."""
    return _names(ongoing_working(s) - {NONE}) or "current therapy"


def thyroid(s: Situation) -> str:
    """removed (total thyroidectomy), lobectomy (only), or not_recorded."""
    types = had(s)
    if "total_thyroidectomy" in types:
        return "removed"
    return "lobectomy" if "lobectomy" in types else "not_recorded"


THYROID_WORDS = {
    "removed": "total thyroidectomy recorded",
    "lobectomy": "lobectomy only recorded",
    "not_recorded": "extent of thyroid surgery not recorded",
}


# --- labs -------------------------------------------------------------------------------


def latest_lab(case: d.Case, test: str) -> d.LabResult | None:
    """The most recent dated value of ``test`` (name matched case-insensitively).

    On one date with several values, the worst (lowest) counts: the engine reads eGFR,
    where a lower value is the safe one to act on.
    """
    wanted = test.casefold()
    matches = [x for x in case.labs if x.test.strip().casefold() == wanted]
    if not matches:
        return None
    day = max(x.date for x in matches)
    return min((x for x in matches if x.date == day), key=lambda x: x.value)


def egfr(s: Situation) -> str:
    lab = latest_lab(s.case, "eGFR")
    if lab is None:
        return UNKNOWN
    if lab.value < s.settings.egfr_contrast_min:
        return "below_contrast"
    return "below_cisplatin" if lab.value < s.settings.egfr_cisplatin_min else "adequate"


def egfr_value(s: Situation) -> str:
    lab = latest_lab(s.case, "eGFR")
    if lab is None:
        return "not recorded"
    return f"{lab.value:g} mL/min/1.73m2 on {lab.date.isoformat()}"


def egfr_words(s: Situation) -> str:
    lab = latest_lab(s.case, "eGFR")
    if lab is None:
        return "eGFR not recorded"
    st = s.settings
    return (
        f"eGFR {egfr_value(s)} (cisplatin caution below {st.egfr_cisplatin_min:g}, "
        f"contrast caution below {st.egfr_contrast_min:g})"
    )


# --- dates, age, urgency ----------------------------------------------------------------


def target_date(s: Situation) -> date | None:
    dx = s.case.diagnosis.diagnosed_on
    return dx + timedelta(days=s.settings.treatment_start_target_days) if dx else None


def target_words(s: Situation) -> str:
    when = target_date(s)
    return f"target date {when.isoformat()}" if when else "diagnosis date not recorded"


def treatment_start(s: Situation) -> str:
    """started / overdue / on_track / unknown against the treatment-start target."""
    dx = s.case.diagnosis.diagnosed_on
    if dx is None:
        return UNKNOWN
    if any(t.started_on and t.started_on >= dx for t in s.case.prior_treatments):
        return "started"
    when = target_date(s)
    if s.today is None or when is None:
        return UNKNOWN
    return "overdue" if s.today > when else "on_track"


TREATMENT_START_WORDS = {
    "started": "treatment started since diagnosis",
    "overdue": "treatment-start target date passed without a recorded start",
    "on_track": "within the treatment-start target",
    UNKNOWN: "treatment-start target not computable (no diagnosis date)",
}


def reproductive_age(s: Situation) -> str:
    """Whether a pregnancy check applies: female and in the reproductive-age setting."""
    p = s.case.patient
    if p.sex == "male":
        return "false"
    day = s.case.diagnosis.diagnosed_on or s.case.referral.referred_on or s.today
    age = p.age_on(day) if day else None
    if age is not None and not (
        s.settings.reproductive_age_min <= age <= s.settings.reproductive_age_max
    ):
        return "false"
    if p.sex == "female" and age is not None:
        return "true"
    return UNKNOWN  # sex or age not known: the check is not skipped


REPRODUCTIVE_WORDS = {
    "true": "female of reproductive age",
    "false": "pregnancy check not applicable (sex or age)",
    UNKNOWN: "sex or age not recorded: pregnancy not excluded",
}


def sequencing(s: Situation) -> str:
    """Broad molecular profiling: done / pending / not_done / unknown.

    Files written before the field existed count as done when every driver and MSI is
    known and BRAF was not read from IHC alone (resources/guidelines/README.md, facts).
    """
    b = s.case.biomarkers
    if b.sequencing:
        return b.sequencing
    known = all(getattr(b, f) in ("positive", "negative") for f in d.BIOMARKER_FIELDS)
    return "done" if known and b.braf_method != "ihc" else UNKNOWN


def pending_names(s: Situation) -> str:
    """What results are pending, named for the chase-them warning."""
    b = s.case.biomarkers
    names = [
        label
        for f, label in (
            ("braf_v600e", "BRAF V600E"),
            ("ntrk_fusion", "NTRK"),
            ("ret_fusion", "RET"),
        )
        + (("alk_fusion", "ALK"), ("msi_high", "MSI"))
        if getattr(b, f) == "pending"
    ]
    if b.sequencing == "pending":
        names.append("sequencing")
    return ", ".join(names) or "none"


def metastatic_sites(s: Situation) -> str:
    return ", ".join(s.case.metastases.sites) or "none"
