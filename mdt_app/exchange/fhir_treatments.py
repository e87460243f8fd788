"""FHIR R4 Bundles: the case facts of pathway 2.0 (docs/fhir-import.md, "Pathway 2.0").

Read after the main mapping (fhir_bundle.py), from the same Bundle:
- pregnancy: Observation LOINC 82810-3 (pregnancy status), 63895-7 (breastfeeding);
- eGFR: Observations LOINC 33914-3, 62238-1, 98979-8, 48642-3, 48643-1, 50044-7, 50210-4,
  69405-9, 88293-6, 88294-4, 94677-2 and 77147-7 become labs named "eGFR", the test name
  the pathway reads (a lab the main mapping already took under another name is renamed);
- prior treatments: Procedure (thyroid surgery, neck dissection, tracheostomy,
  radiotherapy, radioactive iodine) and MedicationStatement / MedicationAdministration
  (the drugs of each line), matched by SNOMED code or by name.
Each resource read here is validated with the fhir.resources R4B model first; a problem is
one CaseFileError naming the entry and the element. Each case is checked again with the
case-file rules at the end. A response to treatment is not in these resources and stays
unknown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from mdt_app import domain as d
from mdt_app.casefile import CaseFileError, case_to_dict, parse_case

Json = dict[str, Any]
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
READ_HERE = ("Observation", "Procedure", "MedicationStatement", "MedicationAdministration")
VOID = ("entered-in-error", "not-done", "cancelled", "unknown", "preparation")

PREGNANCY_STATUS = "82810-3"
BREASTFEEDING_STATUS = "63895-7"
EGFR_LOINC = frozenset(
    {
        "33914-3", "62238-1", "98979-8", "48642-3", "48643-1", "50044-7", "50210-4",
        "69405-9", "88293-6", "88294-4", "94677-2", "77147-7",
    }
)  # fmt: skip
# Answers for pregnancy status: LOINC answer codes and SNOMED findings.
PREGNANT = {"LA15173-0", "77386006"}
NOT_PREGNANT = {"LA26683-5", "60001007"}
BREASTFEEDING_YES = {"LA33-6", "373066001", "169750002"}  # yes; currently breastfeeding

# Procedure -> prior treatment type: SNOMED codes we are sure of, then words.
PROCEDURE_CODES = {"48387007": "tracheostomy"}
PROCEDURE_WORDS = (
    (r"\btotal thyroidectomy\b|\bnear[- ]total thyroidectomy\b", "total_thyroidectomy"),
    (r"\bcompletion thyroidectomy\b", "total_thyroidectomy"),
    (r"\blobectomy\b|\bhemithyroidectomy\b|\bhemi-thyroidectomy\b", "lobectomy"),
    (r"\bneck dissection\b", "neck_dissection"),
    (r"\bdebulking\b", "debulking"),
    (r"\btracheostomy\b|\btracheotomy\b", "tracheostomy"),
    (r"radioactive iodine|radioiodine|\bI-?131\b|\bRAI\b", "rai"),
    (r"radiotherapy|radiation therapy|\bIMRT\b|\bEBRT\b|external beam", "ebrt"),
)
# Drug -> line (MedicationStatement / MedicationAdministration), by name.
DRUG_LINES = {
    "dabrafenib": "braf_mek", "trametinib": "braf_mek", "encorafenib": "braf_mek",
    "binimetinib": "braf_mek", "vemurafenib": "braf_mek", "cobimetinib": "braf_mek",
    "larotrectinib": "ntrk_inhibitor", "entrectinib": "ntrk_inhibitor",
    "repotrectinib": "ntrk_inhibitor",
    "selpercatinib": "ret_inhibitor", "pralsetinib": "ret_inhibitor",
    "crizotinib": "alk_inhibitor", "alectinib": "alk_inhibitor", "ceritinib": "alk_inhibitor",
    "brigatinib": "alk_inhibitor", "lorlatinib": "alk_inhibitor",
    "pembrolizumab": "checkpoint_inhibitor", "nivolumab": "checkpoint_inhibitor",
    "atezolizumab": "checkpoint_inhibitor", "durvalumab": "checkpoint_inhibitor",
    "spartalizumab": "checkpoint_inhibitor", "ipilimumab": "checkpoint_inhibitor",
    "cemiplimab": "checkpoint_inhibitor",
    "lenvatinib": "lenvatinib",
    "paclitaxel": "cytotoxic_chemo", "docetaxel": "cytotoxic_chemo",
    "doxorubicin": "cytotoxic_chemo", "carboplatin": "cytotoxic_chemo",
    "cisplatin": "cytotoxic_chemo",
    "sodium iodide i-131": "rai", "sodium iodide i 131": "rai",
}  # fmt: skip


# --- small readers (kept here so this module does not depend on fhir_mapping's shape) ------


def _codings(cc: Any) -> list[Json]:
    return [c for c in (cc or {}).get("coding") or [] if isinstance(c, dict)]


def _has(cc: Any, system: str, codes: set[str] | frozenset[str]) -> bool:
    return any(c.get("system") == system and c.get("code") in codes for c in _codings(cc))


def _codes(cc: Any) -> set[str]:
    return {c["code"] for c in _codings(cc) if isinstance(c.get("code"), str)}


def _words(cc: Any) -> str:
    if not isinstance(cc, dict):
        return ""
    parts = [cc.get("text")] + [c.get("display") for c in _codings(cc)]
    return " | ".join(p for p in parts if isinstance(p, str))


def _day(value: Any, fail: Callable[[str, str], Exception], element: str) -> date | None:
    """A full date from a FHIR date or dateTime; a partial date is refused (one line)."""
    if value is None:
        return None
    text = str(value)
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise fail(element, f"{text!r} is not a full date (YYYY-MM-DD)") from None


# --- entries ----------------------------------------------------------------------------


class _Entry:
    def __init__(self, where: str, index: int, full_url: Any, resource: Json):
        self.where, self.index, self.resource = where, index, resource
        self.type = resource.get("resourceType")
        self.id = resource.get("id") if isinstance(resource.get("id"), str) else None
        self.full_url = full_url if isinstance(full_url, str) else None

    @property
    def short(self) -> str:
        """As the import report names an entry: 'Bundle entry 3 (Procedure p1)'."""
        name = f"{self.type} {self.id}" if self.id else self.type
        return f"Bundle entry {self.index} ({name})"

    def fail(self, element: str, problem: str) -> CaseFileError:
        return CaseFileError(f"{self.where}: {self.short}: field '{element}': {problem}")

    def validate(self) -> None:
        from pydantic import ValidationError as PydanticError

        try:
            _model(str(self.type)).model_validate(self.resource)
        except PydanticError as exc:
            first = exc.errors()[0]
            element = ".".join(str(x) for x in first.get("loc", ()) if x != "__root__")
            raise self.fail(element or "(resource)", first.get("msg", "invalid")) from None


@functools.cache
def _model(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _entries(data: Json, where: str) -> list[_Entry]:
    out = []
    for i, raw in enumerate(data.get("entry") or []):
        resource = raw.get("resource") if isinstance(raw, dict) else None
        if isinstance(resource, dict):
            out.append(_Entry(where, i + 1, raw.get("fullUrl"), resource))
    return out


def _patient_keys(e: _Entry) -> set[str]:
    keys = set()
    if e.full_url:
        keys.add(e.full_url)
    if e.id:
        keys.add(f"Patient/{e.id}")
    return keys


def _owner(e: _Entry, by_key: dict[str, d.Case], cases: list[d.Case]) -> d.Case | None:
    for element in ("subject", "patient"):
        ref = e.resource.get(element)
        if not isinstance(ref, dict):
            continue
        target = ref.get("reference")
        if isinstance(target, str) and target.strip():
            target = re.sub(r"/_history/[^/]+$", "", target.strip())
            tail = re.search(r"(?:^|/)(Patient/[A-Za-z0-9\-.]{1,64})$", target)
            found = by_key.get(target) or (by_key.get(tail.group(1)) if tail else None)
            if found is None and target.startswith("Patient?identifier="):
                value = target.split("=", 1)[1].split("|")[-1]
                found = next((c for c in cases if c.patient.mrn == value.strip()), None)
            return found
        ident = ref.get("identifier")
        if isinstance(ident, dict) and isinstance(ident.get("value"), str):
            return next((c for c in cases if c.patient.mrn == ident["value"].strip()), None)
    return None


# --- the readers ------------------------------------------------------------------------


def apply_to_import(data: Json, result: Any, where: str) -> None:
    """Add the pathway 2.0 facts to a fhir_bundle.BundleImport in place: its cases, its
    per-patient report (the resources read here no longer count as skipped; the fields
    they gave are listed with their source)."""
    cases, read = _read(data, result.cases, where)
    result.cases = cases
    for i, patient in enumerate(result.patients):
        patient.case = cases[i]
        used = read.get(i, [])
        shorts = {short for short, _ in used}
        patient.skipped = [(res, why) for res, why in patient.skipped if res not in shorts]
        for short, field_name in used:
            patient.mapped.setdefault(field_name, short)


def add_pathway_v2_facts(data: Json, cases: list[d.Case], where: str) -> list[d.Case]:
    """``cases`` (one per Patient entry, in order) with pregnancy, eGFR and prior
    treatments from the Bundle added, each checked again with the case-file rules."""
    return _read(data, cases, where)[0]


def _read(
    data: Json, cases: list[d.Case], where: str
) -> tuple[list[d.Case], dict[int, list[tuple[str, str]]]]:
    entries = _entries(data, where)
    patients = [e for e in entries if e.type == "Patient"]
    by_key = {k: case for e, case in zip(patients, cases, strict=False) for k in _patient_keys(e)}
    pregnancy: dict[int, tuple[date, str]] = {}
    treatments: dict[int, list[d.PriorTreatment]] = {}
    index_of = {id(case): i for i, case in enumerate(cases)}
    read: dict[int, list[tuple[str, str]]] = {}
    for e in entries:
        if e.type not in READ_HERE or e.resource.get("status") in VOID:
            continue
        reader = {
            "Observation": _observation,
            "Procedure": _procedure,
            "MedicationStatement": _medication,
            "MedicationAdministration": _medication,
        }[e.type]
        if not reader(e, None):  # not one of ours: nothing to validate or read
            continue
        e.validate()
        case = _owner(e, by_key, cases)
        if case is None:
            continue  # the main mapping already refuses results of unknown patients
        found = reader(e, case)
        if found is not None:
            read.setdefault(index_of[id(case)], []).append((e.short, _field(e, found)))
        if isinstance(found, tuple):  # (date, pregnancy value): the latest counts
            held = pregnancy.get(id(case))
            if held is None or found[0] >= held[0]:
                pregnancy[id(case)] = found
        elif isinstance(found, d.PriorTreatment):  # "egfr": already on the case
            treatments.setdefault(id(case), []).append(found)
    out = []
    for i, case in enumerate(cases):
        said: set[str] = set()  # the fields this Bundle now says (an import changes only these)
        if id(case) in pregnancy:
            case.pregnancy = pregnancy[id(case)][1]
            said.add("pregnancy")
        if treatments.get(id(case)):
            case.prior_treatments = _merge(case.prior_treatments + treatments[id(case)])
            said.add("prior_treatments")
        if any(f == "labs (eGFR)" for _, f in read.get(i, [])):
            said.add("labs")
        # The case-file rules check what was added; the case itself (with what the main
        # mapping set beyond the file format, such as identifiers) is kept.
        checked = parse_case(case_to_dict(case), f"{where}: case (MRN {case.patient.mrn})")
        case.prior_treatments = checked.prior_treatments
        if case.present is not None:
            case.present = case.present | said
        out.append(case)
    return out, read


def _field(e: _Entry, found: Any) -> str:
    if isinstance(found, tuple):
        return "pregnancy"
    return "labs (eGFR)" if found == "egfr" else "prior_treatments"


def _observation(e: _Entry, case: d.Case | None) -> Any:
    r = e.resource
    code = r.get("code")
    if _has(code, LOINC, EGFR_LOINC):
        if case is None:
            return True
        return "egfr" if _egfr(e, case) else None
    if not (_has(code, LOINC, {PREGNANCY_STATUS}) or _has(code, LOINC, {BREASTFEEDING_STATUS})):
        return None
    if case is None:
        return True
    when = _day(r.get("effectiveDateTime") or r.get("issued"), e.fail, "effectiveDateTime")
    answer = _codes(r.get("valueCodeableConcept"))
    words = _words(r.get("valueCodeableConcept")).lower()
    if _has(code, LOINC, {BREASTFEEDING_STATUS}):
        yes = answer & BREASTFEEDING_YES or words.startswith("yes")
        return (when or date.min, "breastfeeding") if yes else None
    if answer & PREGNANT or (words.startswith("pregnant") and "not" not in words):
        return (when or date.min, "pregnant")
    if answer & NOT_PREGNANT or "not pregnant" in words:
        return (when or date.min, "not_pregnant")
    return None  # unknown / possible pregnancy: stays not recorded


def _egfr(e: _Entry, case: d.Case) -> bool:
    """Put the eGFR result on the case; False if it holds no usable number."""
    r = e.resource
    quantity = r.get("valueQuantity") or {}
    value = quantity.get("value")
    if value is None or quantity.get("comparator"):
        return False  # ">90" and the like are not a number the thresholds can use
    when = _day(r.get("effectiveDateTime") or r.get("issued"), e.fail, "effectiveDateTime")
    if when is None:
        raise e.fail("effectiveDateTime", "an eGFR result needs a date")
    for lab in case.labs:  # the main mapping may have taken it under its long name
        if lab.date == when and lab.value == float(value):
            lab.test = "eGFR"
            return True
    case.labs.append(d.LabResult(when, "eGFR", float(value), "mL/min/1.73m2"))
    return True


def _treatment_type(e: _Entry) -> str | None:
    code = e.resource.get("code")
    for c in _codings(code):
        if c.get("system") == SNOMED and c.get("code") in PROCEDURE_CODES:
            return PROCEDURE_CODES[c["code"]]
    text = _words(code)
    for pattern, kind in PROCEDURE_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return None


def _procedure(e: _Entry, case: d.Case | None) -> Any:
    kind = _treatment_type(e)
    if kind is None or case is None:
        return kind is not None
    r = e.resource
    period = r.get("performedPeriod") or {}
    start = _day(r.get("performedDateTime") or period.get("start"), e.fail, "performed[x]")
    end = _day(period.get("end"), e.fail, "performedPeriod.end")
    if r.get("performedDateTime") and kind != "tracheostomy":
        end = start  # an operation is over the day it is done
    if kind == "tracheostomy":
        end = None  # a tracheostomy stays in place unless a closure is recorded
    if r.get("status") == "in-progress" and kind == "ebrt":
        end = None
    return d.PriorTreatment(kind, start, end, None, _words(r.get("code")) or None)


def _drug_line(e: _Entry) -> str | None:
    r = e.resource
    concept = r.get("medicationCodeableConcept") or {}
    text = _words(concept).lower()
    for name, line in DRUG_LINES.items():
        if name in text:
            return line
    return None


def _medication(e: _Entry, case: d.Case | None) -> Any:
    line = _drug_line(e)
    if line is None or case is None:
        return line is not None
    r = e.resource
    period = r.get("effectivePeriod") or {}
    start = _day(r.get("effectiveDateTime") or period.get("start"), e.fail, "effective[x]")
    end = _day(period.get("end"), e.fail, "effectivePeriod.end")
    status = r.get("status")
    if status in ("active", "in-progress", "on-hold", "intended"):
        end = None
    elif end is None and status in ("completed", "stopped"):
        end = _day(r.get("dateAsserted"), e.fail, "dateAsserted") or start
    return d.PriorTreatment(line, start, end, None, _words(r.get("medicationCodeableConcept")))


def _merge(items: list[d.PriorTreatment]) -> list[d.PriorTreatment]:
    """One line per (type, start): dabrafenib and trametinib, or the doses of one
    regimen, are one line; it is ongoing if any part is, else it ended at the last end."""
    merged: dict[tuple[str, date | None], d.PriorTreatment] = {}
    for t in items:
        key = (t.type, t.started_on)
        held = merged.get(key)
        if held is None:
            merged[key] = d.PriorTreatment(t.type, t.started_on, t.ended_on, t.response, t.note)
            continue
        if held.ended_on is None or t.ended_on is None:
            held.ended_on = None
        else:
            held.ended_on = max(held.ended_on, t.ended_on)
        if t.note and t.note not in (held.note or ""):
            held.note = f"{held.note}; {t.note}" if held.note else t.note
    return list(merged.values())
