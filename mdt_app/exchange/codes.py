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
# The observation code the export writes per (category, basis): mCODE 4's TNM profiles
# (ValueSets mcode-tnm-*-staging-type-vs). AJCC has no pM0: a pathologically staged case
# with no distant metastasis is cM0, so M0 keeps the clinical axis whatever the basis.
TNM_EXPORT = {
    ("t", "clinical"): ("399504009", "cT category"),
    ("n", "clinical"): ("399534004", "cN category"),
    ("m", "clinical"): ("399387003", "cM category"),
    ("t", "pathological"): ("384625004", "pT category"),
    ("n", "pathological"): ("371494008", "pN category"),
    ("m", "pathological"): ("371497001", "pM category"),
}
STAGE_GROUP_EXPORT = {
    "clinical": ("399537006", "Clinical TNM stage grouping"),
    "pathological": ("399588009", "Pathologic TNM stage grouping"),
}
# SNOMED CT "American Joint Committee on Cancer ... (qualifier value)" concepts for the
# thyroid categories of the case format, by (basis, value). The mCODE 4 examples use these
# (cT3 1228938002, cN0 1229967007, cM0 1229901006, pT3 1229859000, pN0 1229947003); the
# others are the same AJCC allowable-value hierarchies (descendants of 1222585009,
# 1222589003 ... that mCODE's ValueSets name). pN0b has no concept there: it is exported
# as text only, and the display text carries every value either way.
AJCC_SNOMED: dict[tuple[str, str], str] = {
    ("clinical", "TX"): "1222604002",
    ("clinical", "T0"): "1228882005",
    ("clinical", "T1"): "1228889001",
    ("clinical", "T1a"): "1228892002",
    ("clinical", "T1b"): "1228895000",
    ("clinical", "T2"): "1228929004",
    ("clinical", "T3a"): "1228939005",
    ("clinical", "T3b"): "1228940007",
    ("clinical", "T4"): "1228944003",
    ("clinical", "T4a"): "1228945002",
    ("clinical", "T4b"): "1228946001",
    ("clinical", "NX"): "1229966003",
    ("clinical", "N0"): "1229967007",
    ("clinical", "N0a"): "1229968002",
    ("clinical", "N0b"): "1229969005",
    ("clinical", "N1"): "1229973008",
    ("clinical", "N1a"): "1229975001",
    ("clinical", "N1b"): "1229976000",
    ("clinical", "M0"): "1229901006",
    ("clinical", "M1"): "1229903009",
    ("pathological", "TX"): "1228950008",
    ("pathological", "T0"): "1228951007",
    ("pathological", "T1"): "1228957006",
    ("pathological", "T1a"): "1228959009",
    ("pathological", "T1b"): "1228962007",
    ("pathological", "T2"): "1229852009",
    ("pathological", "T3a"): "1229860005",
    ("pathological", "T3b"): "1229861009",
    ("pathological", "T4"): "1229864001",
    ("pathological", "T4a"): "1229865000",
    ("pathological", "T4b"): "1229866004",
    ("pathological", "NX"): "1229945006",
    ("pathological", "N0"): "1229947003",
    ("pathological", "N0a"): "1229948008",
    ("pathological", "N1"): "1229951001",
    ("pathological", "N1a"): "1229954009",
    ("pathological", "N1b"): "1229955005",
    ("pathological", "M1"): "1229916009",
}
# Stage groups (the same concepts serve clinical and pathological stage groupings).
AJCC_STAGE_SNOMED = {"IVA": "1222838008", "IVB": "1222841004", "IVC": "1222842006"}
# Read back: SNOMED value code -> (basis, value), stage code -> stage. The cT3/pT3 and
# cN2/cN3-type codes are not thyroid values: they are read as their text and refused as
# before (T3 without subcategory cannot be staged).
AJCC_SNOMED_VALUES: dict[str, tuple[str, str]] = {c: key for key, c in AJCC_SNOMED.items()}
AJCC_SNOMED_VALUES.update(
    {
        "1228938002": ("clinical", "T3"),
        "1229859000": ("pathological", "T3"),
        "1229978004": ("clinical", "N2"),
        "1229984001": ("clinical", "N3"),
        "1229957002": ("pathological", "N2"),
        "1229962001": ("pathological", "N3"),
        "1229904003": ("clinical", "M1a"),
        "1229907005": ("clinical", "M1b"),
        "1229910003": ("clinical", "M1c"),
        "1229917000": ("pathological", "M1a"),
        "1229920008": ("pathological", "M1b"),
        "1229923005": ("pathological", "M1c"),
    }
)
AJCC_STAGE_VALUES = {c: stage for stage, c in AJCC_STAGE_SNOMED.items()}


def ajcc_display(basis: str, value: str) -> str:
    """The SNOMED CT display of an AJCC category, e.g. ('clinical', 'T4a') ->
    'American Joint Committee on Cancer cT4a (qualifier value)'."""
    prefix = "p" if basis == "pathological" else "c"
    return f"American Joint Committee on Cancer {prefix}{value} (qualifier value)"


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
