"""Words for the case format's enumeration values, as the clinic says them (translatable)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("labels", text)


_WORDS = {
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

BIOMARKER_NAMES = {
    "braf_v600e": "BRAF V600E",
    "ntrk_fusion": "NTRK fusion",
    "ret_fusion": "RET fusion",
    "alk_fusion": "ALK fusion",
    "msi_high": "MSI-high",
}


def word(value: str | None, missing: str = "not recorded") -> str:
    """The display word for an enumeration value (the value itself if it has none)."""
    if value is None or value == "":
        return _t(missing)
    return _t(_WORDS.get(value, value))


def biomarker_name(field: str) -> str:
    return _t(BIOMARKER_NAMES.get(field, field))


def number(value: float | None) -> str:
    """A lab or biomarker number without a trailing '.0'."""
    if value is None:
        return ""
    return f"{value:g}"
