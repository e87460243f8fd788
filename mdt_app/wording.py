"""The one table of words for the app's values (issue 12): case-format enumerations,
biomarkers, statuses and option lists, as each reader says them. Plain English here;
the window translates these strings (`ui/labels.py`, `tr()`), the documents print them.

Where a reader words a value its own way (the minutes keep the record's terse words, a
guideline rationale a whole phrase), its column is here too, next to the others, so a
value's words are looked up in one place.
"""

from __future__ import annotations

from mdt_app.domain import AgendaStatus, MeetingStatus, OptionList

UNKNOWN = "unknown"  # the case format's "not known" (never a negative)

# --- case-format values on screen, in care programmes and in summaries ------------------

VALUE_WORDS: dict[str, str] = {
    # sex
    "female": "female",
    "male": "male",
    "other": "other",
    # confirmed_by
    "core_biopsy": "core biopsy",
    "surgical_specimen": "surgical specimen",
    "fna_only": "FNA only",
    "none": "not confirmed",
    # resectability
    "r0_r1_expected": "R0/R1 resection expected",
    "unresectable": "unresectable",
    # phase
    "new": "new diagnosis",
    "post_resection_r0r1": "after R0/R1 resection",
    "post_resection_r2": "after R2 resection",
    "neoadjuvant_response": "response to neoadjuvant therapy",
    "progression": "progression",
    # biomarkers
    "positive": "positive",
    "negative": "negative",
    "pending": "pending",
    "unknown": "unknown",
    # airway
    "compromised": "compromised (stridor)",
    "symptomatic": "symptomatic",
    "stable": "stable",
    # goals of care
    "active_treatment": "active treatment",
    "comfort_only": "comfort care only",
    "undecided": "undecided",
    # capacity
    "intact": "intact",
    "doubtful": "doubtful",
    # follow-up items
    "clinical_examination": "clinical examination",
    "tsh": "TSH",
    "calcium": "calcium",
    "fdg_pet_ct": "FDG PET/CT",
    "ct": "CT",
    "brain_mri": "brain MRI",
    # imaging
    "bone_scintigraphy": "bone scintigraphy",
    "laryngoscopy": "laryngoscopy",
    # histology
    "anaplastic_thyroid_carcinoma": "anaplastic thyroid carcinoma",
    # pathway 2.0 fields
    "dominant": "dominant ATC",
    "focal": "focal ATC (in a differentiated cancer)",
    "papillary": "papillary",
    "follicular": "follicular",
    "oncocytic": "oncocytic",
    "poorly_differentiated": "poorly differentiated",
    "pregnant": "pregnant",
    "breastfeeding": "breastfeeding",
    "not_pregnant": "not pregnant",
    "not_applicable": "not applicable",
    "ihc": "immunohistochemistry",
    "sequencing": "sequencing",
    "done": "done",
    "not_done": "not done",
    "total_thyroidectomy": "total thyroidectomy",
    "lobectomy": "lobectomy",
    "neck_dissection": "neck dissection",
    "debulking": "debulking surgery",
    "tracheostomy": "tracheostomy",
    "ebrt": "external beam radiotherapy",
    "rai": "radioactive iodine",
    "braf_mek": "dabrafenib + trametinib",
    "ntrk_inhibitor": "NTRK inhibitor",
    "ret_inhibitor": "RET inhibitor",
    "alk_inhibitor": "ALK inhibitor",
    "checkpoint_inhibitor": "checkpoint inhibitor",
    "lenvatinib": "lenvatinib",
    "cytotoxic_chemo": "cytotoxic chemotherapy",
    "complete": "complete response",
    "partial": "partial response",
    # declines
    "radiotherapy": "radiotherapy",
    "surgery": "surgery",
    "systemic_therapy": "systemic therapy",
}

BIOMARKER_NAMES: dict[str, str] = {
    "braf_v600e": "BRAF V600E",
    "ntrk_fusion": "NTRK fusion",
    "ret_fusion": "RET fusion",
    "alk_fusion": "ALK fusion",
    "msi_high": "MSI-high",
}
# The targetable drivers, in the order the pathway tests them.
DRIVERS = tuple((f, BIOMARKER_NAMES[f]) for f in ("braf_v600e", "ntrk_fusion", "ret_fusion",
                                                   "alk_fusion"))  # fmt: skip

# --- the minutes: the record's terse words ------------------------------------------------

NOT_KNOWN = "not known"
# Values whose words alone (underscores as spaces) would read badly in the minutes.
MINUTES_WORDS: dict[str, str] = {
    "r0_r1_expected": "R0/R1 resection expected",
    "post_resection_r0r1": "after R0/R1 resection",
    "post_resection_r2": "after R2 resection",
    "new": "new diagnosis",
    "fna_only": "FNA only",
}


def minutes_word(value: str | None) -> str:
    """An enumeration value as the minutes word it: 'core_biopsy' -> 'core biopsy'."""
    if value is None or value == UNKNOWN:
        return NOT_KNOWN
    return MINUTES_WORDS.get(value, value.replace("_", " "))


# --- a guideline rationale: whole phrases about the case ---------------------------------

RESULT_WORDS = {"positive": "positive", "negative": "negative", "pending": "result pending"}
CONFIRMED = {
    "core_biopsy": "histology confirmed by core biopsy",
    "surgical_specimen": "histology confirmed on a surgical specimen",
    "fna_only": "histology from FNA cytology only",
    "none": "histology not confirmed",
    UNKNOWN: "how histology was confirmed is not recorded",
}
RESECTABILITY = {
    "r0_r1_expected": "R0/R1 resection expected",
    "unresectable": "unresectable",
    UNKNOWN: "resectability not assessed",
}
PHASE = {
    "new": "new case",
    "post_resection_r0r1": "after R0/R1 resection",
    "post_resection_r2": "after R2 (incomplete) resection",
    "neoadjuvant_response": "responding to neoadjuvant therapy",
    "progression": "progression after initial therapy",
}
AIRWAY = {
    "compromised": "airway compromised (stridor or impending obstruction)",
    "symptomatic": "airway symptoms without impending obstruction",
    "stable": "airway stable",
    UNKNOWN: "airway not assessed",
}
GOALS = {
    "active_treatment": "goals: active treatment",
    "comfort_only": "goals: comfort care only",
    "undecided": "goals: undecided",
    UNKNOWN: "goals of care not recorded",
}
CAPACITY = {
    "intact": "decision capacity intact",
    "doubtful": "decision capacity doubtful",
    UNKNOWN: "decision capacity not assessed",
}
BURDEN = {
    "low": "low-volume distant disease",
    "high": "high-volume distant disease",
    UNKNOWN: "metastatic burden not recorded",
}
BRAIN_SYMPTOMS = {
    "true": "brain metastases causing symptoms",
    "false": "brain metastases without symptoms",
    UNKNOWN: "brain symptoms not recorded",
}
BRAIN_IMAGING = {
    "true": "brain imaging done",
    "false": "no brain imaging yet",
    UNKNOWN: "brain imaging not recorded",
}

OPERABLE = {
    "true": "medically fit for surgery",
    "false": "medically inoperable",
    UNKNOWN: "fitness for surgery not recorded",
}
URGENT = {
    "true": "referral marked urgent",
    "false": "referral not marked urgent",
    UNKNOWN: "referral urgency not recorded",
}

# --- the four option lists, as a note about a newer pathway names them --------------------

OPTION_LIST_WORDS: dict[OptionList, str] = {
    OptionList.RECOMMENDED: "recommended",
    OptionList.CONSIDER: "consider",
    OptionList.NOT_RECOMMENDED: "not recommended",
    OptionList.MISSING: "missing data",
}
# The option-codes page (docs/option-codes.md) says what the missing-data list is for.
OPTION_LIST_WORDS_CODES_PAGE: dict[OptionList, str] = {
    **OPTION_LIST_WORDS,
    OptionList.MISSING: "missing data (work-up)",
}
# A rationale naming the rules that put an option on a list it did not end up on.
RULE_LIST_WORDS: dict[OptionList, str] = {
    OptionList.RECOMMENDED: "recommended",
    OptionList.CONSIDER: "to consider",
}

# --- statuses -------------------------------------------------------------------------------

# The agenda queue: a symbol and the chair's word for each status.
AGENDA_STATUS_WORDS: dict[AgendaStatus, tuple[str, str]] = {
    AgendaStatus.QUEUED: ("○", "queued"),
    AgendaStatus.UNDER_DISCUSSION: ("▶", "discussing"),
    AgendaStatus.DRAFT: ("✎", "draft"),
    AgendaStatus.DECIDED: ("✔", "decided"),
    AgendaStatus.AMENDED: ("✔", "amended"),
    AgendaStatus.DEFERRED: ("⇥", "deferred"),
    AgendaStatus.NOT_DISCUSSED: ("–", "not discussed"),
}
MEETING_STATUS_WORDS: dict[MeetingStatus, str] = {
    MeetingStatus.PLANNED: "planned",
    MeetingStatus.IN_PROGRESS: "in progress",
    MeetingStatus.CLOSED: "closed",
    MeetingStatus.CANCELLED: "cancelled",
}
