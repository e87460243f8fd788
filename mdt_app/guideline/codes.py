"""The closed list of option codes (docs/option-codes.md), in the order shown to users."""

from __future__ import annotations

from mdt_app.domain import OPTION_LISTS

# Group -> codes, in the order users see them. A pathway file may only use these codes;
# options are listed in this order inside each of the four lists.
CODE_GROUPS: dict[str, tuple[str, ...]] = {
    "work-up prompts": (
        "BIOPSY_CORE",
        "MOLECULAR_TESTING",
        "PDL1_IHC",
        "STAGING_IMAGING",
        "BRAIN_MRI",
        "PS_ASSESS",
        "AIRWAY_ASSESSMENT",
        "CAPACITY_ASSESSMENT",
    ),
    "care framework": (
        "GOALS_OF_CARE",
        "PALLIATIVE_CARE",
        "HOSPICE",
        "ADVANCE_DIRECTIVE",
        "THYROID_HORMONE_REPLACEMENT",
        "CRISIS_PLAN",
    ),
    "referrals": ("OBSTETRIC_INPUT", "GERMLINE_REFERRAL"),
    "airway": ("AIRWAY_SECURE", "PREEMPTIVE_TRACH"),
    "surgery": (
        "SURGERY_R0R1",
        "RADICAL_RESECTION",
        "DEBULKING_R2",
        "SURGERY_RECONSIDER",
        "COMPLETION_THYROIDECTOMY",
    ),
    "radiotherapy": ("EBRT_CHEMO_ADJ", "EBRT_CHEMO_DEF", "PALLIATIVE_RT"),
    "systemic": (
        "BRAF_MEK",
        "NEOADJ_BRAF_MEK",
        "BRIDGING_CHEMO",
        "NTRK_INHIBITOR",
        "RET_INHIBITOR",
        "ALK_INHIBITOR",
        "CHECKPOINT_INHIBITOR",
        "IO_COMBINATION",
        "CYTOTOXIC_CHEMO",
        "CONTINUE_CURRENT_THERAPY",
        "CLINICAL_TRIAL",
    ),
    "metastases / progression": (
        "NEURO_RADONC_REFERRAL",
        "DEXAMETHASONE",
        "CONSOLIDATIVE_LOCAL",
        "BONE_METASTASIS_LOCAL",
        "EXPERT_REFERRAL",
    ),
    "never for ATC": ("RAI", "THYROGLOBULIN_MARKER"),
}

# Codes added with pathway 2.0: a 1.0 file (kept for its decisions) does not title them.
ADDED_IN_V2 = frozenset(
    {
        "OBSTETRIC_INPUT",
        "GERMLINE_REFERRAL",
        "CRISIS_PLAN",
        "CONTINUE_CURRENT_THERAPY",
        "IO_COMBINATION",
    }
)

OPTION_CODES: tuple[str, ...] = tuple(code for codes in CODE_GROUPS.values() for code in codes)
CODE_ORDER: dict[str, int] = {code: i for i, code in enumerate(OPTION_CODES)}

# Work-up prompts live in the "missing" list and nowhere else; "missing" holds nothing else.
WORKUP_CODES = frozenset(CODE_GROUPS["work-up prompts"])
MISSING = "missing"
NOT_RECOMMENDED = "not_recommended"
LISTS = OPTION_LISTS

# Which list wins when rules put one code in several lists (see resources/guidelines/
# README.md): a "not recommended" (refusal, comfort-only care, contraindication) beats a
# recommendation, which beats a "consider".
PRECEDENCE = ("not_recommended", "recommended", "consider", "missing")
