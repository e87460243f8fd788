"""Code tables shared by FHIR import and export and HL7 v2 (one place, so both directions agree).

Sources: LOINC for laboratory tests, staging axes and genomics; SNOMED CT for the mCODE 4
TNM observation codes (ValueSets mcode-tnm-*-staging-type-vs), ICD-O-3 for morphology.
"""

from __future__ import annotations

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
HISTOLOGY_EXTENSION = MCODE + "mcode-histology-morphology-behavior"
# The app's own systems, for facts that no FHIR or mCODE element carries.
CASE_FIELD = "urn:mdt-assistant:case-field"
MRN_SYSTEM_DEFAULT = "urn:mdt-assistant:mrn"
PSEUDONYM_SYSTEM = "urn:mdt-assistant:pseudonym"

# The contract's laboratory test names (case-file labs[].test) by LOINC code.
LAB_LOINC: dict[str, str] = {
    "3016-3": "TSH",
    "11580-8": "TSH",
    "3024-7": "free T4",
    "14920-3": "free T4",
    "17861-6": "calcium",
    "2000-8": "calcium",
    "33914-3": "eGFR",
    "48642-3": "eGFR",
    "48643-1": "eGFR",
    "62238-1": "eGFR",
    "69405-9": "eGFR",
    "98979-8": "eGFR",
    "2160-0": "creatinine",
    "14682-9": "creatinine",
    "38483-4": "creatinine",
    "718-7": "haemoglobin",
    "20509-6": "haemoglobin",
    "751-8": "neutrophils",
    "753-4": "neutrophils",
    "26499-4": "neutrophils",
    "777-3": "platelets",
    "26515-7": "platelets",
    "1742-6": "ALT",
    "1743-4": "ALT",
    "76625-3": "ALT",
    "1975-2": "bilirubin",
    "14631-6": "bilirubin",
    "1751-7": "albumin",
    "61151-7": "albumin",
    "61152-5": "albumin",
}
# The code the export writes for each test name (the first listed above).
LAB_EXPORT_LOINC: dict[str, str] = {}
for _code, _name in LAB_LOINC.items():
    LAB_EXPORT_LOINC.setdefault(_name.lower(), _code)

# TNM axes: (category, basis) by SNOMED CT (mCODE 4) and LOINC codes.
TNM_SNOMED: dict[str, tuple[str, str]] = {
    "399504009": ("t", "clinical"),
    "399534004": ("n", "clinical"),
    "399387003": ("m", "clinical"),
    "384625004": ("t", "pathological"),
    "371494008": ("n", "pathological"),
    "371497001": ("m", "pathological"),
    "78873005": ("t", "unspecified"),
    "277206009": ("n", "unspecified"),
    "277208005": ("m", "unspecified"),
}
TNM_LOINC: dict[str, tuple[str, str]] = {
    "21905-5": ("t", "clinical"),
    "21906-3": ("n", "clinical"),
    "21907-1": ("m", "clinical"),
    "21899-0": ("t", "pathological"),
    "21900-6": ("n", "pathological"),
    "21901-4": ("m", "pathological"),
}
STAGE_GROUP_SNOMED = {
    "399537006": "clinical",
    "399588009": "pathological",
    "399390009": "unspecified",
}
STAGE_GROUP_LOINC = {"21908-9": "clinical", "21902-2": "pathological"}
TNM_EXPORT = {  # category -> (SNOMED code, display), clinical
    "t": ("399504009", "cT category"),
    "n": ("399534004", "cN category"),
    "m": ("399387003", "cM category"),
}
TNM_PROFILES = {
    "t": MCODE + "mcode-tnm-primary-tumor-category",
    "n": MCODE + "mcode-tnm-regional-nodes-category",
    "m": MCODE + "mcode-tnm-distant-metastases-category",
}
AJCC_8TH = {
    "system": SNOMED,
    "code": "897275008",
    "display": "American Joint Commission on Cancer, Cancer Staging Manual, 8th edition "
    "neoplasm staging system (tumor staging)",
}

# ICD-O-3 morphology codes of anaplastic / undifferentiated carcinoma. 8020/3 is the WHO
# code for anaplastic thyroid carcinoma; 8021/3 anaplastic carcinoma NOS; 8030/3 giant
# cell and spindle cell carcinoma; 8031/3 giant cell carcinoma; 8032/3 spindle cell
# carcinoma; 8033/3 pseudosarcomatous carcinoma; 8034/3 polygonal cell carcinoma;
# 8035/3 carcinoma with osteoclast-like giant cells (all described as ATC patterns).
ATC_MORPHOLOGY = frozenset(
    {"8020/3", "8021/3", "8030/3", "8031/3", "8032/3", "8033/3", "8034/3", "8035/3"}
)
