"""What FHIR codes and texts mean in the case format: the mapping tables of the FHIR import.

Pure functions over FHIR JSON that fhir.resources has already validated (so shapes are
right: a CodeableConcept is an object, `coding` a list, dates well-formed). Nothing here
reads files or knows about bundle entries; problems are raised as ``MappingError`` with
the element they concern and fhir_bundle adds the entry. docs/fhir-import.md is the
readable version of these tables: keep the two in step.

The rule throughout: what cannot be interpreted stays unknown, never negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from mdt_app import domain as d
from mdt_app.exchange import codes as k

Json = dict[str, Any]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
ASSERTED_DATE = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"


class MappingError(ValueError):
    """A value that is present but impossible in the case format; names the element."""

    def __init__(self, element: str, problem: str):
        super().__init__(problem)
        self.element = element
        self.problem = problem


# --- small readers over FHIR JSON --------------------------------------------------------


def codings(cc: Any) -> list[Json]:
    """The codings of a CodeableConcept (or the Coding itself when given one)."""
    if not isinstance(cc, dict):
        return []
    if "coding" not in cc and ("code" in cc or "system" in cc or "display" in cc):
        return [cc]
    return [c for c in cc.get("coding") or [] if isinstance(c, dict)]


def has_code(cc: Any, system: str, codes: set[str] | frozenset[str]) -> bool:
    """True if a coding carries one of ``codes`` in ``system`` (or with no system given)."""
    return any(c.get("code") in codes and c.get("system") in (None, system) for c in codings(cc))


def has_system(cc: Any, system: str) -> bool:
    """True if a coding of ``cc`` is in ``system``."""
    return any(c.get("system") == system for c in codings(cc))


def code_in(cc: Any, system: str, table: dict[str, Any]) -> Any:
    """The table entry for the first coding of ``system`` (or without one) found in it."""
    for c in codings(cc):
        if c.get("code") in table and c.get("system") in (None, system):
            return table[c["code"]]
    return None


def texts(cc: Any) -> list[str]:
    """The human-readable parts of a CodeableConcept: its text, then each display."""
    if not isinstance(cc, dict):
        return []
    out = [cc["text"]] if isinstance(cc.get("text"), str) else []
    out += [c["display"] for c in codings(cc) if isinstance(c.get("display"), str)]
    return [t.strip() for t in out if t.strip()]


def label(cc: Any) -> str | None:
    """A name for a coded thing: text, else a display, else a code."""
    found = texts(cc)
    if found:
        return found[0]
    for c in codings(cc):
        if isinstance(c.get("code"), str) and c["code"].strip():
            return c["code"].strip()
    return None


def words(*ccs: Any) -> str:
    """Every text and display of the given CodeableConcepts as one string, for keywords."""
    return " | ".join(t for cc in ccs for t in texts(cc))


# --- dates -------------------------------------------------------------------------------


def full_date(value: Any, element: str) -> date:
    """A FHIR date or dateTime as the calendar date written in it (YYYY-MM-DD required)."""
    if not isinstance(value, str) or len(value) < 10:
        raise MappingError(
            element, f"{value!r} is a partial date; the case format needs a full date (YYYY-MM-DD)"
        )
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        raise MappingError(element, f"{value!r} is not a valid date") from None
    if day.year < 1900 or day > date(2200, 1, 1):
        raise MappingError(element, f"{value} is not a plausible date")
    return day


def sort_date(value: Any) -> date | None:
    """A date only for ordering results (partial dates count as their first day)."""
    if not isinstance(value, str) or len(value) < 4:
        return None
    try:
        year = int(value[:4])
        month = int(value[5:7]) if len(value) >= 7 else 1
        day = int(value[8:10]) if len(value) >= 10 else 1
        return date(year, month, day)
    except ValueError:
        return None


def observation_date(obs: Json) -> tuple[str, Any]:
    """(element, value) of when an Observation applies: effective[x], else issued."""
    if obs.get("effectiveDateTime"):
        return "effectiveDateTime", obs["effectiveDateTime"]
    if obs.get("effectiveInstant"):
        return "effectiveInstant", obs["effectiveInstant"]
    period = obs.get("effectivePeriod") or {}
    if period.get("start"):
        return "effectivePeriod.start", period["start"]
    if obs.get("issued"):
        return "issued", obs["issued"]
    return "effectiveDateTime", None


# --- patient -------------------------------------------------------------------------------

GENDERS = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


def mrn_of(patient: Json) -> str | None:
    """The identifier typed MR (v2-0203), else the first identifier with a value."""
    idents = [i for i in patient.get("identifier") or [] if isinstance(i, dict)]
    valued = [i for i in idents if isinstance(i.get("value"), str) and i["value"].strip()]
    for ident in valued:
        if has_code(ident.get("type"), V2_0203, {"MR"}):
            return ident["value"].strip()
    return valued[0]["value"].strip() if valued else None


def identifier_values(patient: Json) -> set[str]:
    return {
        i["value"].strip()
        for i in patient.get("identifier") or []
        if isinstance(i, dict) and isinstance(i.get("value"), str) and i["value"].strip()
    }


def name_of(patient: Json) -> tuple[str, str]:
    """(given, family) from the official name, else the first; text alone -> family."""
    names = [n for n in patient.get("name") or [] if isinstance(n, dict)]
    if not names:
        return "", ""
    chosen = next((n for n in names if n.get("use") == "official"), names[0])
    given = " ".join(g.strip() for g in chosen.get("given") or [] if g and g.strip())
    family = (chosen.get("family") or "").strip()
    if not (given or family):
        family = (chosen.get("text") or "").strip()
    return given, family


def language_of(patient: Json) -> str | None:
    """The preferred communication language's primary subtag ("pl" for "pl-PL")."""
    comms = [c for c in patient.get("communication") or [] if isinstance(c, dict)]
    chosen = next((c for c in comms if c.get("preferred") is True), None)
    if chosen is None and len(comms) == 1:
        chosen = comms[0]
    if chosen is None:
        return None
    for c in codings(chosen.get("language")):
        code = c.get("code")
        if isinstance(code, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", code):
            return code.split("-")[0].lower()
    return None


# --- diagnosis ----------------------------------------------------------------------------

# ICD-O-3 morphology of anaplastic (undifferentiated) carcinoma: 8020/3 is the WHO code for
# anaplastic thyroid carcinoma, 8021/3 "carcinoma, anaplastic, NOS".
ATC_MORPHOLOGY = k.ATC_MORPHOLOGY  # 8020/3, 8021/3, 8030/3 ... (see exchange/codes.py)
_ATC_TEXT = re.compile(
    r"\b(anaplastic|undifferentiated)\b.*\bthyroid|\bthyroid\b.*\b(anaplastic|undifferentiated)\b",
    re.IGNORECASE,
)
# Histology words of an anaplastic carcinoma, read together with a thyroid site.
_ATC_HISTOLOGY_TEXT = re.compile(
    r"\banaplastic\b|\bundifferentiated carcinoma|giant[- ]cell carcinoma"
    r"|spindle[- ]cell carcinoma",
    re.IGNORECASE,
)
THYROID_SITE_SNOMED = frozenset({"69748006"})  # Thyroid structure (body structure)
# A thyroid cancer named in words (SNOMED CT displays such as "Malignant tumor of thyroid
# gland (disorder)", or text): counts as C73 does.
_THYROID_CANCER_TEXT = re.compile(
    r"\b(malignan\w*|cancer|carcinoma)\b.*\bthyroid|\bthyroid\b.*\b(malignan\w*|cancer|carcinoma)\b",
    re.IGNORECASE,
)
_BENIGN = re.compile(r"\bbenign|\badenoma\b|\bnodule\b|\bgoit(re|er)\b|history of|screening", re.I)
_OTHER_HISTOLOGY = re.compile(
    r"papillary|follicular|medullary|oncocytic|h[uü]rthle|poorly differentiated|lymphoma|"
    r"sarcoma|metasta|secondary",
    re.IGNORECASE,
)
_C73 = re.compile(r"C73(\.\d)?")


def _is_icd(system: Any) -> bool:
    return system is None or "icd" in str(system).lower() or "2.16.840.1.113883.6." in system


def _morphology(c: Json) -> str | None:
    code = c.get("code")
    if not isinstance(code, str):
        return None
    code = code.strip().upper().removeprefix("M").replace("-", "/")
    return code if code in ATC_MORPHOLOGY and _is_icd(c.get("system")) else None


def diagnosis_kind(condition: Json) -> str | None:
    """'atc', 'thyroid_cancer' (C73, histology not stated) or None (not ours).

    Looks at Condition.code, bodySite and the CodeableConcepts of top-level extensions
    (where mCODE puts histology-morphology-behavior).
    """
    concepts: list[Any] = [condition.get("code")]
    concepts += list(condition.get("bodySite") or [])
    concepts += [
        e.get("valueCodeableConcept")
        for e in condition.get("extension") or []
        if isinstance(e, dict) and e.get("valueCodeableConcept")
    ]
    all_codings = [c for cc in concepts for c in codings(cc)]
    site_c73 = any(
        isinstance(c.get("code"), str)
        and _C73.fullmatch(c["code"].strip().upper())
        and _is_icd(c.get("system"))
        for c in all_codings
    )
    text = words(*concepts)
    thyroid = site_c73 or "thyroid" in text.lower()
    thyroid = thyroid or any(
        c.get("code") in THYROID_SITE_SNOMED and c.get("system") in (None, k.SNOMED)
        for c in all_codings
    )
    histology_text = words(*concepts[:1], *concepts[1 + len(condition.get("bodySite") or []) :])
    if _ATC_TEXT.search(words(condition.get("code"))) or (
        thyroid
        and (any(_morphology(c) for c in all_codings) or _ATC_HISTOLOGY_TEXT.search(histology_text))
    ):
        return "atc"
    code_text = words(condition.get("code"))
    named = bool(_THYROID_CANCER_TEXT.search(code_text)) and not _BENIGN.search(code_text)
    if (site_c73 or named) and not _OTHER_HISTOLOGY.search(code_text):
        return "thyroid_cancer"
    return None


def diagnosis_date(condition: Json) -> tuple[str, Any]:
    """(element, value) of the diagnosis date: assertedDate extension, onset, recordedDate."""
    for i, ext in enumerate(condition.get("extension") or []):
        if isinstance(ext, dict) and ext.get("url") == ASSERTED_DATE and ext.get("valueDateTime"):
            return f"extension[{i}].valueDateTime", ext["valueDateTime"]
    if condition.get("onsetDateTime"):
        return "onsetDateTime", condition["onsetDateTime"]
    if (condition.get("onsetPeriod") or {}).get("start"):
        return "onsetPeriod.start", condition["onsetPeriod"]["start"]
    if condition.get("recordedDate"):
        return "recordedDate", condition["recordedDate"]
    return "onsetDateTime", None


def is_refuted(condition: Json) -> bool:
    status = condition.get("verificationStatus")
    return any(c.get("code") in ("refuted", "entered-in-error") for c in codings(status))


# --- what an Observation (or one of its components) is about ------------------------------


@dataclass(frozen=True)
class Target:
    """A case field an observation code feeds: kind tnm/ecog/biomarker/tmb/pdl1."""

    kind: str
    name: str = ""
    detail: str = ""


TNM_CODES = {
    "21905-5": Target("tnm", "t", "clinical"),
    "21906-3": Target("tnm", "n", "clinical"),
    "21907-1": Target("tnm", "m", "clinical"),
    "21899-0": Target("tnm", "t", "pathological"),
    "21900-6": Target("tnm", "n", "pathological"),
    "21901-4": Target("tnm", "m", "pathological"),
}
ECOG_CODE = "89247-1"
TMB_CODE = "94076-7"
MSI_CODE = "81695-9"

_FUSION = re.compile(r"\bfusion|rearrang|translocation", re.IGNORECASE)
_GENES = {
    "ntrk_fusion": re.compile(r"\bNTRK[123]?\b", re.IGNORECASE),
    "ret_fusion": re.compile(r"\bRET\b"),
    "alk_fusion": re.compile(r"\bALK\b"),
}
_BRAF = re.compile(r"\bBRAF\b", re.IGNORECASE)
_V600E = re.compile(r"V600E|Val600Glu|1799T>A", re.IGNORECASE)
_V600 = re.compile(r"V600|Val600", re.IGNORECASE)
_MSI = re.compile(r"microsatellite|\bMSI\b", re.IGNORECASE)
_TMB = re.compile(r"tumou?r mutation(al)? burden|\bTMB\b|mutations?/megabase", re.IGNORECASE)
_PDL1 = re.compile(r"PD-?L1", re.IGNORECASE)
_TPS = re.compile(r"\bTPS\b|tumou?r proportion|tumou?r cells?", re.IGNORECASE)
_NOT_TPS = re.compile(r"\bCPS\b|combined positive|immune cells?|\bIC\b", re.IGNORECASE)
_ECOG = re.compile(r"\bECOG\b", re.IGNORECASE)


def target_of(code: Any) -> Target | None:
    """Which case field an observation code feeds, or None (then it may be a lab)."""
    tnm = code_in(code, LOINC, TNM_CODES)
    if tnm:
        return tnm
    axis = code_in(code, SNOMED, k.TNM_SNOMED)  # mCODE 4, German oncology profiles
    if axis:
        return Target("tnm", axis[0], axis[1])
    basis = code_in(code, SNOMED, k.STAGE_GROUP_SNOMED) or code_in(code, LOINC, k.STAGE_GROUP_LOINC)
    if basis:
        return Target("stage", "", basis)
    text = words(code)
    if has_code(code, LOINC, {ECOG_CODE}) or _ECOG.search(text):
        return Target("ecog")
    if has_code(code, LOINC, {TMB_CODE}) or _TMB.search(text):
        return Target("tmb")
    if has_code(code, LOINC, {MSI_CODE}) or _MSI.search(text):
        return Target("biomarker", "msi_high")
    if _PDL1.search(text):
        if _TPS.search(text) and not _NOT_TPS.search(text):
            return Target("pdl1")
        return Target("ignore")  # CPS or IC score: not the case format's TPS
    if _BRAF.search(text):
        if _FUSION.search(text):
            return Target("ignore")  # a BRAF fusion says nothing about V600E
        detail = "v600e" if _V600E.search(text) else "v600" if _V600.search(text) else "gene"
        return Target("biomarker", "braf_v600e", detail)
    if _FUSION.search(text):
        genes = [name for name, rx in _GENES.items() if rx.search(text)]
        if len(genes) == 1:
            return Target("biomarker", genes[0])
        if genes:
            return Target("ignore")  # a panel naming several genes: whose result is it?
    return None


# --- TNM values -----------------------------------------------------------------------------

_ONE = r"(?:r?y?[cpa]?)([TNM])(is|[0-4][a-d]?|X)"
_TOKEN = re.compile(rf"(?<![A-Za-z0-9]){_ONE}(?![A-Za-z0-9])")
_COMPACT = re.compile(rf"\s*(?:{_ONE}\s*)+")
_TNM_ALLOWED = {"t": d.T_VALUES, "n": d.N_VALUES, "m": d.M_VALUES}


def tnm_tokens(text: str) -> list[tuple[str, str]]:
    """[(category 't'/'n'/'m', value without prefix)] found in a text like 'cT4a N1b cM0'."""
    rx = re.compile(_ONE) if _COMPACT.fullmatch(text) else _TOKEN
    return [(m.group(1).lower(), m.group(1) + m.group(2)) for m in rx.finditer(text)]


def tnm_value(value_cc: Any, value_string: Any, category: str, element: str) -> str:
    """The T, N or M category an observation value states ('cT4a' -> 'T4a'): an AJCC
    SNOMED CT value code first (mCODE 4), else a code or text such as 'cT4a'."""
    for c in codings(value_cc):
        if c.get("system") == SNOMED and c.get("code") in k.AJCC_SNOMED_VALUES:
            value = k.AJCC_SNOMED_VALUES[c["code"]][1]
            if value[0].lower() == category:
                return check_tnm(category, value, element)
    candidates = [c["code"] for c in codings(value_cc) if isinstance(c.get("code"), str)]
    candidates += texts(value_cc)
    if isinstance(value_string, str):
        candidates.append(value_string)
    for text in candidates:
        for cat, value in tnm_tokens(text):
            if cat == category:
                return check_tnm(category, value, element)
    shown = candidates[0] if candidates else None
    raise MappingError(
        element,
        f"cannot read a {category.upper()} category from {shown!r}"
        if shown
        else f"a {category.upper()} category observation needs a value",
    )


def check_tnm(category: str, value: str, element: str) -> str:
    allowed = _TNM_ALLOWED[category]
    if re.fullmatch(r"M1[a-d]", value):
        return "M1"  # a subcategorised M1 is distant metastasis: M1 for thyroid staging
    if value in ("T3", "N2", "N3") and value not in allowed:
        sub = "T3a or T3b" if value == "T3" else "N0, N1a or N1b"
        raise MappingError(
            element, f"{value!r} without a thyroid subcategory ({sub}) cannot be staged"
        )
    if value not in allowed:
        raise MappingError(element, f"{value!r} is not one of {', '.join(allowed)}")
    return value


# --- results: positive / negative / pending / unknown -------------------------------------

POSITIVE_CODES = frozenset(
    {
        "LA6576-8",  # Positive
        "LA11882-0",  # Detected
        "LA9633-4",  # Present
        "10828004",  # SNOMED Positive
        "260373001",  # SNOMED Detected
        "52101004",  # SNOMED Present
        "POS",  # v3 ObservationInterpretation
        "DET",
    }
)
NEGATIVE_CODES = frozenset(
    {
        "LA6577-6",  # Negative
        "LA11883-8",  # Not detected
        "LA9634-2",  # Absent
        "260385009",  # SNOMED Negative
        "260415000",  # SNOMED Not detected
        "2667000",  # SNOMED Absent
        "NEG",
        "ND",
    }
)
MSI_HIGH_CODES = frozenset({"LA26203-2"})  # MSI-H
MSI_NOT_HIGH_CODES = frozenset({"LA26202-4", "LA14122-8"})  # MSI-L, Stable
UNCLEAR_CODES = frozenset({"IND", "E", "LA11884-6", "LA9663-1", "LA11885-3", "LA15841-2"})

_UNCLEAR = re.compile(
    r"indeterminate|equivocal|inconclusive|invalid|fail|insufficient|not (?:assessable|evaluable)"
    r"|not tested|unknown",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\bnot detected\b|\bnegative\b|\babsent\b|\bwild[- ]?type\b|^no\b"
    r"|\bnot (?:found|identified|present)\b",
    re.IGNORECASE,
)
_POSITIVE = re.compile(r"\bdetected\b|\bpositive\b|\bpresent\b|\bmutated\b|\bidentified\b", re.I)
_MSI_HIGH = re.compile(r"\bMSI[- ]?H(igh)?\b|instability[- ]high|\bhigh\b", re.IGNORECASE)
_MSI_NOT_HIGH = re.compile(
    r"\bMSS\b|\bstable\b|\bMSI[- ]?L(ow)?\b|instability[- ]low|\blow\b", re.IGNORECASE
)

PENDING_STATUSES = ("registered", "preliminary")
VOID_STATUSES = ("cancelled", "entered-in-error")


def _signal(cc: Any, target: Target) -> str | None:
    """positive / negative / unclear / None from one CodeableConcept (value or interpretation)."""
    found: set[str] = set()
    for c in codings(cc):
        code = c.get("code")
        if target.name == "msi_high" and code in MSI_HIGH_CODES:
            found.add("positive")
        elif target.name == "msi_high" and code in MSI_NOT_HIGH_CODES:
            found.add("negative")
        elif code in POSITIVE_CODES:
            found.add("positive")
        elif code in NEGATIVE_CODES:
            found.add("negative")
        elif code in UNCLEAR_CODES:
            found.add("unclear")
    for text in texts(cc):
        found.add(_text_signal(text, target))
    found.discard("")
    if "unclear" in found or len(found) > 1:
        return "unclear"
    return found.pop() if found else None


def _text_signal(text: str, target: Target) -> str:
    if _UNCLEAR.search(text):
        return "unclear"
    if target.name == "msi_high":
        if _MSI_NOT_HIGH.search(text):
            return "negative"
        if _MSI_HIGH.search(text):
            return "positive"
    if _NEGATIVE.search(text):
        return "negative"
    if _POSITIVE.search(text):
        return "positive"
    return ""


def biomarker_result(item: Json, status: str, target: Target) -> str:
    """positive / negative / pending / unknown for one observation (or component).

    Signals from interpretation, valueCodeableConcept, valueString and valueBoolean must
    agree; any disagreement or anything unreadable leaves the biomarker unknown.
    """
    if status in PENDING_STATUSES:
        return "pending"
    signals: set[str] = set()
    for cc in item.get("interpretation") or []:
        s = _signal(cc, target)
        if s:
            signals.add(s)
    s = _signal(item.get("valueCodeableConcept"), target)
    if s:
        signals.add(s)
    if isinstance(item.get("valueString"), str):
        s = _text_signal(item["valueString"], target) or None
        if s:
            signals.add(s)
    if isinstance(item.get("valueBoolean"), bool):
        signals.add("positive" if item["valueBoolean"] else "negative")
    if len(signals) != 1 or "unclear" in signals:
        return "unknown"
    result = signals.pop()
    if target.name == "braf_v600e" and result == "positive" and target.detail != "v600e":
        # A BRAF (or V600, not V600E) test that is positive says V600E only if the value does.
        said = words(item.get("valueCodeableConcept")) + " " + str(item.get("valueString") or "")
        if not _V600E.search(said):
            return "unknown"
    return result


# --- ECOG, TMB, PD-L1 -----------------------------------------------------------------------

ECOG_ANSWERS = {
    "LA9622-7": 0,
    "LA9623-5": 1,
    "LA9624-3": 2,
    "LA9625-0": 3,
    "LA9626-8": 4,
    "LA9627-6": 5,
}


def _ecog_checked(value: Any, element: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise MappingError(element, f"ECOG {value!r} is not a whole number 0-5")
    if not 0 <= value <= 5:
        raise MappingError(element, f"ECOG {value:g} is outside 0-5")
    return int(value)


def ecog_value(item: Json) -> int | None:
    """The ECOG grade of an observation: valueInteger, valueQuantity, an LA answer code
    (value or interpretation) or a code '0'..'5'; None if none of these is readable."""
    if item.get("valueInteger") is not None:
        return _ecog_checked(item["valueInteger"], "valueInteger")
    quantity = item.get("valueQuantity") or {}
    if quantity.get("value") is not None:
        return _ecog_checked(quantity["value"], "valueQuantity.value")
    for element, cc in [("valueCodeableConcept", item.get("valueCodeableConcept"))] + [
        (f"interpretation[{i}]", cc) for i, cc in enumerate(item.get("interpretation") or [])
    ]:
        grade = code_in(cc, LOINC, ECOG_ANSWERS)
        if grade is not None:
            return int(grade)
        for c in codings(cc):
            if c.get("code") in ("0", "1", "2", "3", "4", "5"):
                return int(c["code"])
        for text in texts(cc):
            m = re.fullmatch(r"(?:ECOG\s*)?([0-9]+)", text.strip(), re.IGNORECASE)
            if m:
                return _ecog_checked(int(m.group(1)), element)
    return None


def _unit_text(quantity: Json) -> str:
    return f"{quantity.get('unit') or ''} {quantity.get('code') or ''}".strip()


def tmb_value(item: Json) -> float | None:
    """Mutations per megabase from valueQuantity (unit absent or naming Mb)."""
    quantity = item.get("valueQuantity") or {}
    if quantity.get("value") is None or quantity.get("comparator"):
        return None
    unit = _unit_text(quantity)
    # UCUM forms in use: 1/1000000{Base}, {mutations}/1000000{Base}, /Mb, mut/Mb, 10*-6.
    if unit and not re.search(r"mb|megabase|1000000\{base|10\*6\{base|10\*-6", unit, re.I):
        return None
    value = float(quantity["value"])
    if not 0 <= value <= 1000:
        raise MappingError("valueQuantity.value", f"{value:g} mutations/Mb is outside 0-1000")
    return value


def pdl1_value(item: Json) -> float | None:
    """PD-L1 tumour proportion score in percent from valueQuantity (unit % or absent)."""
    quantity = item.get("valueQuantity") or {}
    if quantity.get("value") is None or quantity.get("comparator"):
        return None
    unit = _unit_text(quantity)
    if unit and "%" not in unit:
        return None
    value = float(quantity["value"])
    if not 0 <= value <= 100:
        raise MappingError("valueQuantity.value", f"{value:g} % is outside 0-100")
    return value


# --- labs -------------------------------------------------------------------------------------


def lab_name(code: Any) -> str | None:
    """The contract's test name for a LOINC-coded lab (TSH, free T4 ...), else its label.

    A text that already is the contract's name in another case ("Free T4") is kept as
    written, so an exported case comes back exactly as it left.
    """
    mapped = code_in(code, LOINC, k.LAB_LOINC)
    written = label(code)
    if mapped and not (written and written.lower() == mapped.lower()):
        return str(mapped)
    return written


def is_laboratory(obs: Json) -> bool:
    """Observation.category laboratory (observation-category) or LAB (v2-0074)."""
    for cc in obs.get("category") or []:
        if any(c.get("code") in ("laboratory", "LAB") for c in codings(cc)):
            return True
        if any(t.lower() == "laboratory" for t in texts(cc)):
            return True
    return False


def reference_range(obs: Json) -> tuple[float | None, float | None]:
    """low/high of the first reference range that is the normal range (or untyped)."""
    for rr in obs.get("referenceRange") or []:
        if not isinstance(rr, dict):
            continue
        kind = rr.get("type")
        if kind and not any(c.get("code") == "normal" for c in codings(kind)):
            continue
        low = (rr.get("low") or {}).get("value")
        high = (rr.get("high") or {}).get("value")
        return (float(low) if low is not None else None, float(high) if high is not None else None)
    return None, None


# --- imaging ------------------------------------------------------------------------------------

DICOM_MODALITIES = {
    "PT": "FDG-PET/CT",
    "CT": "CT",
    "MR": "MRI",
    "US": "US",
    "NM": "bone_scintigraphy",
}
_OTHER_TRACER = re.compile(
    r"PSMA|DOTA|DOPA|choline|fluciclovine|FES\b|Ga-?68|68-?Ga|fluoride|NaF", re.IGNORECASE
)
_BONE = re.compile(r"\bbone|skelet|MDP|HDP|osseous", re.IGNORECASE)
_MODALITY_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bPET\b|positron", re.IGNORECASE), "PT"),
    (re.compile(r"\bCT\b|computed tomograph", re.IGNORECASE), "CT"),
    (re.compile(r"\bMRI?\b|magnetic resonance", re.IGNORECASE), "MR"),
    (re.compile(r"\bUS\b|ultrasound|ultrason|sonograph", re.IGNORECASE), "US"),
    (re.compile(r"bone scan|scintigra", re.IGNORECASE), "NM"),
    (re.compile(r"laryngoscop", re.IGNORECASE), "LARYNGOSCOPY"),
]


def modality_codes_from_text(text: str) -> list[str]:
    return [code for rx, code in _MODALITY_WORDS if rx.search(text)]


def map_modality(codes: list[str], text: str) -> str | None:
    """The case-format modality for DICOM modality codes (or LARYNGOSCOPY from a report's
    text), or None: then the study is skipped.

    PT (with or without CT) is FDG-PET/CT unless the text names another tracer; NM is
    bone_scintigraphy only if the text says bone (thyroid and iodine scans are NM too).
    """
    found = {c.upper() for c in codes}
    if "PT" in found:
        return None if _OTHER_TRACER.search(text) else "FDG-PET/CT"
    for code in ("CT", "MR", "US"):
        if code in found:
            return DICOM_MODALITIES[code]
    if "NM" in found:
        return "bone_scintigraphy" if _BONE.search(text) else None
    if "LARYNGOSCOPY" in found:
        return "laryngoscopy"
    return None


def is_imaging_report(report: Json) -> bool:
    """DiagnosticReport.category RAD (v2-0074), LOINC LP29684-5 or text imaging/radiology."""
    for cc in report.get("category") or []:
        if any(c.get("code") in ("RAD", "LP29684-5", "imaging") for c in codings(cc)):
            return True
        if any(re.search(r"imaging|radiolog", t, re.IGNORECASE) for t in texts(cc)):
            return True
    return False
