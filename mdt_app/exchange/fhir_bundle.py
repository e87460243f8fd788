"""FHIR R4 Bundles in: one Case per Patient resource (docs/fhir-import.md has the tables).

Every resource the import reads (Patient, Condition, Observation, ImagingStudy,
DiagnosticReport) is first validated with the fhir.resources R4B models. fhir.resources 8's
top-level models are R5; R4B is the release closest to R4 and its models read these R4
resources unchanged. Other resource types are skipped unread. A validation problem
becomes one CaseFileError line naming the file, the entry (counted from 1), the resource
and the element; so does a value the case format cannot hold (a TNM category outside its
list, a partial date, an ECOG of 7). What the bundle does not say, or says in a way this
reader cannot interpret, stays unknown and is not an error.

Each Case is finally passed through casefile.parse_case, so a Bundle can never produce a
case that an mdt-case/1 file could not.
"""

from __future__ import annotations

import functools
import json
import os.path
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mdt_app import domain as d
from mdt_app.casefile import CaseFileError, case_to_dict, describe_type, parse_case
from mdt_app.exchange import fhir_mapping as fm
from mdt_app.exchange import fhir_treatments
from mdt_app.exchange.codes import CASE_FIELD, PSEUDONYM_SYSTEM
from mdt_app.exchange.fhir_mapping import Json, MappingError, Target

BUNDLE_TYPES = ("collection", "transaction", "document", "searchset")
READ_TYPES = (
    "Patient",
    "Condition",
    "Observation",
    "ImagingStudy",
    "DiagnosticReport",
    "ServiceRequest",
)
STATUSES = {
    "Observation": (
        "registered",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "cancelled",
        "entered-in-error",
        "unknown",
    ),
    "DiagnosticReport": (
        "registered",
        "partial",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "appended",
        "cancelled",
        "entered-in-error",
        "unknown",
    ),
    "ImagingStudy": ("registered", "available", "cancelled", "entered-in-error", "unknown"),
}
NO_REPORT_TEXT = "No report text in the imported FHIR Bundle."
_NOT_READ_WHY = {
    "CarePlan": "plans and decisions are not imported: a decision is made and signed in a meeting",
    "DocumentReference": "documents are not imported (the case data is in the other resources)",
    "Composition": "the document's narrative; its facts are read from the other resources",
}
_MDT_REFERRAL = re.compile(r"multidisciplinary|tumou?r board|\bMDT\b", re.IGNORECASE)


@dataclass
class PatientImport:
    """One Patient of a Bundle: its case and what the import made of each resource."""

    case: d.Case
    label: str  # the Patient entry, e.g. "Bundle entry 1 (Patient pat-zoe)"
    mapped: dict[str, str]  # case field -> the resource it came from
    skipped: list[tuple[str, str]]  # (resource, why it added nothing)
    notes: list[str]  # what the report should say (pathological TNM preferred ...)
    thyroid_cancer: bool  # a thyroid cancer Condition was found
    deceased: bool
    pseudonymised: bool = False  # named only by an app pseudonym (a pseudonymised export)


@dataclass
class BundleImport:
    """The cases of one Bundle and how many results were left out, by reason."""

    cases: list[d.Case]
    skipped: Counter[str] = field(default_factory=Counter)
    patients: list[PatientImport] = field(default_factory=list)
    unattributed: list[tuple[str, str]] = field(default_factory=list)  # (resource, why)


def parse_bundle(data: Json, where: str) -> list[d.Case]:
    """The Cases of a FHIR R4 Bundle (already parsed JSON); ``where`` names the file."""
    return read_bundle(data, where).cases


def read_bundle(data: Json, where: str) -> BundleImport:
    entries = _entries(data, where)
    for entry in entries:
        if entry.type in READ_TYPES:
            entry.validate()
    result = _Mapper(where, entries).run()
    # Pathway 2.0 facts (pregnancy, eGFR, prior treatments) are read in their own module.
    fhir_treatments.apply_to_import(data, result, where)
    return result


# --- entries and validation -----------------------------------------------------------------


class _Entry:
    def __init__(self, where: str, index: int, full_url: Any, resource: Json):
        self.where = where
        self.index = index  # counted from 1, as people count
        self.full_url = full_url if isinstance(full_url, str) else None
        self.resource = resource
        self.type: str = resource["resourceType"]
        self.id = resource.get("id") if isinstance(resource.get("id"), str) else None

    @property
    def label(self) -> str:
        return f"{self.where}: {self.short}"

    @property
    def short(self) -> str:
        name = f"{self.type} {self.id}" if self.id else self.type
        return f"Bundle entry {self.index} ({name})"

    def fail(self, element: str, problem: str) -> CaseFileError:
        if element:
            return CaseFileError(f"{self.label}: field '{element}': {problem}")
        return CaseFileError(f"{self.label}: {problem}")

    def refs(self) -> set[str]:
        """The references that name this resource inside the bundle."""
        out = set()
        if self.full_url:
            out.add(self.full_url)
            tail = re.search(rf"(?:^|/)({self.type}/[A-Za-z0-9\-.]{{1,64}})$", self.full_url)
            if tail:
                out.add(tail.group(1))
        if self.id:
            out.add(f"{self.type}/{self.id}")
        return out

    def validate(self) -> None:
        from pydantic import ValidationError as PydanticError

        try:
            _model(self.type).model_validate(self.resource)
        except PydanticError as exc:
            element, problem = _explain(exc, self.resource)
            raise self.fail(element, problem) from None
        statuses = STATUSES.get(self.type)
        status = self.resource.get("status")
        if statuses and status is not None and status not in statuses:
            raise self.fail("status", f"{status!r} is not one of {', '.join(statuses)}")


@functools.cache
def _model(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _entries(data: Json, where: str) -> list[_Entry]:
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError as PydanticError

    raw = data.get("entry")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise CaseFileError(
            f"{where}: Bundle: field 'entry': expected a list, got {describe_type(raw)}"
        )
    for i, e in enumerate(raw, start=1):
        if not isinstance(e, dict):  # the models would read a JSON string as an object
            raise CaseFileError(
                f"{where}: Bundle entry {i}: expected an object, got {describe_type(e)}"
            )
    # The bundle's own structure is checked without its resources: those are validated one
    # by one below (and only the types the import reads).
    shell = dict(data)
    shell["entry"] = [
        {k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in raw
    ]
    try:
        Bundle.model_validate(shell)
    except PydanticError as exc:
        element, problem = _explain(exc, shell)
        m = re.fullmatch(r"entry\[(\d+)\]\.?(.*)", element)
        if m:
            place, element = f"Bundle entry {int(m.group(1)) + 1}", m.group(2)
        else:
            place = "Bundle"
        if element:
            raise CaseFileError(f"{where}: {place}: field '{element}': {problem}") from None
        raise CaseFileError(f"{where}: {place}: {problem}") from None
    kind = data.get("type")
    if kind not in BUNDLE_TYPES:
        raise CaseFileError(
            f"{where}: Bundle: field 'type': {kind!r} is not imported; "
            f"expected one of {', '.join(BUNDLE_TYPES)}"
        )
    out = []
    for i, e in enumerate(raw, start=1):
        resource = e.get("resource")
        if resource is None:  # e.g. a transaction's DELETE
            continue
        if not isinstance(resource, dict):
            raise CaseFileError(
                f"{where}: Bundle entry {i}: field 'resource': expected an object, "
                f"got {describe_type(resource)}"
            )
        if not isinstance(resource.get("resourceType"), str):
            raise CaseFileError(
                f"{where}: Bundle entry {i}: field 'resource.resourceType': is required"
            )
        out.append(_Entry(where, i, e.get("fullUrl"), resource))
    return out


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _explain(exc: Any, resource: Json) -> tuple[str, str]:
    """(element, problem) for the first error pydantic found, in the case file's words."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(p for p in first["loc"] if p not in ("root", "resource_type"))
    kind, value = str(first["type"]), first.get("input")
    msg = str(first["msg"]).removeprefix("Value error, ")
    element = _path(loc)
    if "resource_type" in first["loc"]:
        problem = "is not a resource of the type its resourceType names"
    elif kind.endswith("missing"):
        problem = "is required"
    elif kind == "extra_forbidden":
        problem = "is not an element of this resource in FHIR R4"
    elif kind in ("json_invalid", "model_type", "dict_type", "model_attributes_type") or (
        kind == "model_validation_format"
    ):
        problem = f"expected an object, got {describe_type(value)}"
    elif kind == "list_type":
        problem = f"expected a list, got {describe_type(value)}"
    elif kind == "string_type":
        problem = f"expected text, got {describe_type(value)}"
    elif kind.startswith("bool"):
        problem = f"expected true or false, got {value!r}"
    elif kind.startswith("int"):
        problem = f"expected a whole number, got {value!r}"
    elif "Any of one field value" in msg:
        names = re.findall(r"'(\w+)'", msg)
        stem = os.path.commonprefix(names) if names else "value"
        here = _at(resource, loc)
        given = [n for n in names if isinstance(here, dict) and n in here]
        element = f"{element}.{stem}[x]" if element else f"{stem}[x]"
        problem = f"only one {stem}[x] may be given, got {', '.join(given) or 'several'}"
    elif re.match(r"\w+ value string does not match spec regex", msg):
        problem = f"{value!r} is not a valid FHIR {msg.split()[0].lower()}"
    elif isinstance(value, (str, int, float, bool)):
        problem = f"{value!r}: {msg}"
    else:
        problem = msg
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return element, problem


# --- mapping ------------------------------------------------------------------------------------

_Key = tuple[Any, ...]


@dataclass
class _Patient:
    """One Patient resource and everything found about it so far."""

    entry: _Entry
    case: d.Case
    identifiers: set[str]
    diagnoses: list[tuple[str, date | None, int]] = field(default_factory=list)
    tnm: dict[str, tuple[_Key, tuple[str, str]]] = field(default_factory=dict)  # (value, basis)
    stage_summary: dict[str, str] = field(default_factory=dict)
    results: dict[str, tuple[_Key, Any]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # case field -> resource
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    overlay: dict[str, tuple[Any, str]] = field(default_factory=dict)  # app case-field facts
    tnm_bases: dict[str, set[str]] = field(default_factory=dict)
    stage_groups: list[tuple[str, str]] = field(default_factory=list)  # (value, resource)
    referral: d.Referral | None = None
    deceased: bool = False
    pseudonymised: bool = False

    def offer(
        self, name: str, key: _Key, value: Any, table: str = "results", source: str = ""
    ) -> None:
        """Keep ``value`` for ``name`` if its key beats the one held (later dates win)."""
        held: dict[str, tuple[_Key, Any]] = getattr(self, table)
        if name not in held or key > held[name][0]:
            held[name] = (key, value)
            self.sources[f"{table}:{name}"] = source


_RESULT_RANK = {"positive": 2, "negative": 2, "pending": 1, "unknown": 0}


class _Mapper:
    def __init__(self, where: str, entries: list[_Entry]):
        self.where = where
        self.entries = entries
        self.patients: list[_Patient] = []
        self.by_key: dict[str, _Patient] = {}
        self.studies: dict[str, _Entry] = {
            k: e for e in entries if e.type == "ImagingStudy" for k in e.refs()
        }
        self.reported_studies: set[int] = set()
        self.skipped: Counter[str] = Counter()
        self.used: set[int] = set()  # entries that gave the cases something
        self.why: dict[int, str] = {}  # entries that gave nothing, and why

    def run(self) -> BundleImport:
        order = (
            "Patient",
            "Condition",
            "Observation",
            "DiagnosticReport",
            "ImagingStudy",
            "ServiceRequest",
        )
        handlers = {
            "Patient": self.patient,
            "Condition": self.condition,
            "Observation": self.observation,
            "DiagnosticReport": self.report,
            "ImagingStudy": self.study,
            "ServiceRequest": self.service_request,
        }
        for kind in order:
            if kind == "Condition" and not self.patients:
                raise CaseFileError(f"{self.where}: the Bundle holds no Patient resource")
            for entry in self.entries:
                if entry.type == kind:
                    try:
                        handlers[kind](entry)
                    except MappingError as err:
                        raise entry.fail(err.element, err.problem) from None
        cases = [self.finish(p) for p in self.patients]
        result = BundleImport(cases, self.skipped)
        self.account(result)
        return result

    def skip(self, e: _Entry, why: str) -> None:
        """Note that an entry added nothing, and why (the import report lists it)."""
        self.why.setdefault(e.index, why)

    def account(self, result: BundleImport) -> None:
        """Every entry that gave nothing is listed, under its patient where it names one."""
        by_patient: dict[int, list[tuple[str, str]]] = {id(p): [] for p in self.patients}
        for e in self.entries:
            if e.index in self.used or e.type == "Patient":
                continue
            why = self.why.get(e.index) or _NOT_READ_WHY.get(e.type)
            if why is None:
                why = (
                    f"{e.type} resources are not read by the import"
                    if e.type not in READ_TYPES
                    else "holds nothing the case format records"
                )
            owner = None
            for element in ("subject", "patient"):
                ref = e.resource.get(element)
                if isinstance(ref, dict):
                    owner = self.find(ref)
                    if owner:
                        break
            if owner is None:
                result.unattributed.append((e.short, why))
            else:
                by_patient[id(owner)].append((e.short, why))
        for p, case in zip(self.patients, result.cases, strict=True):
            mapped = {k.split(":", 1)[1]: v for k, v in p.sources.items() if v}
            result.patients.append(
                PatientImport(
                    case=case,
                    label=p.entry.short,
                    mapped=mapped,
                    skipped=p.skipped + by_patient[id(p)],
                    notes=p.notes,
                    thyroid_cancer=bool(p.diagnoses),
                    deceased=p.deceased,
                    pseudonymised=p.pseudonymised,
                )
            )

    # --- who ---

    def owner(self, e: _Entry, element: str = "subject") -> _Patient:
        ref = e.resource.get(element)
        if not isinstance(ref, dict) or not (ref.get("reference") or ref.get("identifier")):
            raise e.fail(element, "is required: it says which patient this result belongs to")
        found = self.find(ref)
        if found is None:
            shown = ref.get("reference") or (ref.get("identifier") or {}).get("value")
            raise e.fail(element, f"{shown!r} is not a Patient in this Bundle")
        return found

    def find(self, ref: Json) -> _Patient | None:
        target = ref.get("reference")
        if isinstance(target, str) and target.strip():
            target = re.sub(r"/_history/[^/]+$", "", target.strip())
            if target in self.by_key:
                return self.by_key[target]
            tail = re.search(r"(?:^|/)(Patient/[A-Za-z0-9\-.]{1,64})$", target)
            if tail and tail.group(1) in self.by_key:
                return self.by_key[tail.group(1)]
            if target.startswith("Patient?identifier="):
                return self.by_identifier(target.split("=", 1)[1].split("|")[-1])
            return None
        ident = ref.get("identifier")
        if isinstance(ident, dict) and isinstance(ident.get("value"), str):
            return self.by_identifier(ident["value"])
        return None

    def by_identifier(self, value: str) -> _Patient | None:
        return next((p for p in self.patients if value.strip() in p.identifiers), None)

    # --- Patient ---

    def patient(self, e: _Entry) -> None:
        r = e.resource
        mrn = fm.mrn_of(r)
        if not mrn:
            raise e.fail(
                "identifier",
                "is required: the MRN is the identifier typed MR (v2-0203), "
                "else the first identifier with a value",
            )
        gender = r.get("gender")
        if gender is not None and gender not in fm.GENDERS:
            raise e.fail("gender", f"{gender!r} is not one of {', '.join(fm.GENDERS)}")
        given, family = fm.name_of(r)
        if not (given or family):
            raise e.fail("name", "the patient needs a given or family name")
        birth = fm.full_date(r["birthDate"], "birthDate") if r.get("birthDate") else None
        if birth and birth > date.today():
            raise e.fail("birthDate", f"{birth} is in the future")
        case = d.Case(
            patient=d.Patient(
                mrn=mrn,
                given_name=given,
                family_name=family,
                birth_date=birth,
                sex=fm.GENDERS.get(gender or "unknown", "unknown"),
                preferred_language=fm.language_of(r) or "en",
            ),
            diagnosis=d.Diagnosis(histology=None),
        )
        p = _Patient(e, case, fm.identifier_values(r))
        p.deceased = r.get("deceasedBoolean") is True or bool(r.get("deceasedDateTime"))
        p.pseudonymised = all(
            isinstance(i, dict) and i.get("system") == PSEUDONYM_SYSTEM
            for i in r.get("identifier") or []
        )
        for name in ("mrn", "given_name", "family_name", "birth_date", "sex"):
            p.sources[f"patient:patient.{name}"] = e.short
        self.patients.append(p)
        for key in e.refs():
            self.by_key.setdefault(key, p)

    # --- Condition ---

    def condition(self, e: _Entry) -> None:
        r = e.resource
        kind = fm.diagnosis_kind(r)
        if kind is None:
            return self.skip(e, "not a thyroid cancer diagnosis")
        if fm.is_refuted(r):
            return self.skip(e, "verification status refuted or entered-in-error")
        element, value = fm.diagnosis_date(r)
        when = fm.full_date(value, element) if value is not None else None
        summary: dict[str, str] = {}
        p = self.owner(e)
        for i, stage in enumerate(r.get("stage") or []):
            concept = stage.get("summary") if isinstance(stage, dict) else None
            for text in [c.get("code") for c in fm.codings(concept)] + fm.texts(concept):
                for cat, found in fm.tnm_tokens(text) if isinstance(text, str) else []:
                    try:
                        summary.setdefault(cat, fm.check_tnm(cat, found, f"stage[{i}].summary"))
                    except MappingError as err:
                        p.skipped.append((e.short, f"{err.element}: {err.problem}"))
        p.diagnoses.append((kind, when, e.index))
        self.used.add(e.index)
        for cat, found in summary.items():
            if cat not in p.stage_summary:
                p.stage_summary[cat] = found
                p.sources[f"stage_summary:tnm.{cat}"] = e.short

    # --- Observation ---

    def observation(self, e: _Entry) -> None:
        r = e.resource
        status = r.get("status") or "unknown"
        if status in fm.VOID_STATUSES:
            return self.skip(e, f"status {status}")
        if fm.has_system(r.get("code"), CASE_FIELD):
            return self.case_field(e)
        parts: list[tuple[str, Json, Target]] = []
        variant = _genomic_variant(r)
        if variant:
            parts.append(("", r, variant))
        for prefix, item in [("", r)] + [
            (f"component[{i}].", c) for i, c in enumerate(r.get("component") or [])
        ]:
            target = fm.target_of(item.get("code"))
            if target and not (variant and item is r):
                parts.append((prefix, item, target))
        if not parts:
            if fm.has_code(r.get("code"), fm.LOINC, {"69548-6"}):
                return self.skip(e, "genomic variant of a gene or change the case does not record")
            if fm.is_laboratory(r):
                self.lab(e)
            return
        when = fm.sort_date(fm.observation_date(r)[1]) or date.min
        found = []
        for prefix, item, target in parts:
            if target.kind == "stage":
                value = fm.label(item.get("valueCodeableConcept")) or item.get("valueString")
                if value:
                    self.owner(e).stage_groups.append((str(value), e.short))
                    self.skip(e, "stage group read for the report; the app stages from T, N, M")
                continue
            try:
                value = _read(item, status, target)
            except MappingError as err:
                if target.kind == "tnm":  # e.g. T3 without subcategory: listed, not fatal
                    self.skip(e, f"{prefix}{err.element}: {err.problem}; left unknown")
                    continue
                raise MappingError(prefix + err.element, err.problem) from None
            if value is not None and value != "unknown":  # unknown is the default anyway
                found.append((target, value))
        if not found:
            return self.skip(e, self.why.get(e.index, "no result the case format can hold"))
        p = self.owner(e)
        self.used.add(e.index)
        for target, value in found:
            if target.kind == "tnm":
                # Pathological staging is preferred over clinical whenever both are given;
                # among the same basis the latest wins.
                key = (target.detail == "pathological", when, e.index)
                p.tnm_bases.setdefault(target.name, set()).add(target.detail)
                p.offer(target.name, key, (value, target.detail), table="tnm", source=e.short)
            elif target.kind == "biomarker":
                p.offer(target.name, (_RESULT_RANK[value], when, e.index), value, source=e.short)
            else:
                p.offer(target.kind, (when, e.index), value, source=e.short)

    def case_field(self, e: _Entry) -> None:
        """A case fact in the app's own code system (written by the minutes export)."""
        r = e.resource
        key = next(c["code"] for c in fm.codings(r.get("code")) if c.get("system") == CASE_FIELD)
        if "valueBoolean" in r:
            value: Any = r["valueBoolean"]
        elif r.get("valueCodeableConcept"):
            value = next((c.get("code") for c in fm.codings(r["valueCodeableConcept"])), None)
        elif isinstance(r.get("valueString"), str):
            try:
                value = json.loads(r["valueString"])
            except ValueError:
                raise e.fail("valueString", "is not the JSON value of a case field") from None
        else:
            return self.skip(e, "case fact without a value")
        self.owner(e).overlay[key] = (value, e.short)
        self.used.add(e.index)

    def lab(self, e: _Entry) -> None:
        r = e.resource
        quantity = r.get("valueQuantity") or {}
        if quantity.get("value") is None:
            self.skipped["laboratory result without a numeric value"] += 1
            return self.skip(e, "laboratory result without a numeric value")
        if quantity.get("comparator"):
            self.skipped["laboratory result with a comparator (<, >)"] += 1
            return self.skip(e, "laboratory result with a comparator (<, >)")
        test = fm.lab_name(r.get("code"))
        if not test:
            self.skipped["laboratory result without a test name"] += 1
            return self.skip(e, "laboratory result without a test name")
        element, raw_when = fm.observation_date(r)
        if raw_when is None:
            raise e.fail(element, "a laboratory result needs a date (effective[x] or issued)")
        when = fm.full_date(raw_when, element)
        value = float(quantity["value"])
        low, high = fm.reference_range(r)
        if low is not None and high is not None and low > high:
            raise e.fail("referenceRange", f"low {low:g} is above high {high:g}")
        unit = quantity.get("unit") or quantity.get("code")
        p = self.owner(e)
        self.used.add(e.index)
        p.sources[f"labs:labs[{len(p.case.labs)}] {test}"] = e.short
        p.case.labs.append(
            d.LabResult(
                date=when,
                test=test,
                value=value,
                unit=unit.strip() if isinstance(unit, str) and unit.strip() else None,
                low=low,
                high=high,
            )
        )

    # --- imaging ---

    def report(self, e: _Entry) -> None:
        r = e.resource
        status = r.get("status") or "unknown"
        if status in fm.VOID_STATUSES:
            return self.skip(e, f"status {status}")
        if not fm.is_imaging_report(r):
            return self.skip(e, "not an imaging report (its results are read one by one)")
        studies = []
        for ref in r.get("imagingStudy") or []:
            target = ref.get("reference") if isinstance(ref, dict) else None
            study = self.studies.get(target) if isinstance(target, str) else None
            if study is not None:
                studies.append(study)
                self.reported_studies.add(study.index)
        if status == "registered":
            self.skipped["imaging report not yet written (status registered)"] += 1
            return self.skip(e, "imaging report not yet written (status registered)")
        codes = [c for s in studies for c in _study_modalities(s.resource)]
        codes += [c["code"] for c in fm.codings(r.get("code")) if c.get("system") == fm.DICOM]
        codes += fm.modality_codes_from_text(fm.words(r.get("code")))
        text = " ".join(
            [fm.words(r.get("code")), str(r.get("conclusion") or "")]
            + [_study_text(s.resource) for s in studies]
        )
        modality = fm.map_modality(codes, text)
        if modality is None:
            self.skipped["imaging with a modality the case format does not list"] += 1
            return self.skip(e, "imaging with a modality the case format does not list")
        element, raw_when = _report_date(r)
        if raw_when is None and studies and studies[0].resource.get("started"):
            element, raw_when = "imagingStudy", studies[0].resource["started"]
        if raw_when is None:
            raise e.fail(element, "an imaging report needs a date (effective[x] or issued)")
        when = fm.full_date(raw_when, element)
        region = next((x for x in (_study_region(s.resource) for s in studies) if x), None)
        conclusion = (r.get("conclusion") or "").strip() or "; ".join(
            x for x in (fm.label(cc) for cc in r.get("conclusionCode") or []) if x
        )
        summary = conclusion or next(
            (x for x in (_study_summary(s.resource) for s in studies) if x), NO_REPORT_TEXT
        )
        if status in ("preliminary", "partial"):
            summary = f"Preliminary report: {summary}"
        p = self.owner(e)
        self.used.add(e.index)
        self.used.update(s.index for s in studies)
        p.sources[f"imaging:imaging[{len(p.case.imaging)}] {modality}"] = e.short
        p.case.imaging.append(
            d.ImagingStudy(
                date=when,
                modality=modality,
                region=region or fm.label(r.get("code")) or "",
                summary=summary,
            )
        )

    def study(self, e: _Entry) -> None:
        r = e.resource
        if e.index in self.reported_studies:
            return self.skip(e, "read with the imaging report that refers to it")
        if r.get("status") in fm.VOID_STATUSES:
            return self.skip(e, f"status {r.get('status')}")
        if r.get("status") == "registered":
            self.skipped["imaging study not yet available (status registered)"] += 1
            return self.skip(e, "imaging study not yet available (status registered)")
        modality = fm.map_modality(_study_modalities(r), _study_text(r))
        if modality is None:
            self.skipped["imaging with a modality the case format does not list"] += 1
            return self.skip(e, "imaging with a modality the case format does not list")
        if not r.get("started"):
            raise e.fail("started", "an imaging study needs a date")
        when = fm.full_date(r["started"], "started")
        p = self.owner(e)
        self.used.add(e.index)
        p.sources[f"imaging:imaging[{len(p.case.imaging)}] {modality}"] = e.short
        p.case.imaging.append(
            d.ImagingStudy(
                date=when,
                modality=modality,
                region=_study_region(r) or "",
                summary=_study_summary(r) or NO_REPORT_TEXT,
            )
        )

    # --- referral ---

    def service_request(self, e: _Entry) -> None:
        """A referral to the MDT (the export's own, or one whose text says MDT/tumour board)."""
        r = e.resource
        ours = any(fm.has_system(cc, CASE_FIELD) for cc in r.get("category") or [])
        if not ours and not _MDT_REFERRAL.search(fm.words(r.get("code"))):
            return self.skip(e, "not a referral to the MDT")
        if r.get("status") in ("revoked", "entered-in-error"):
            return self.skip(e, f"status {r.get('status')}")
        p = self.owner(e)
        requester = (r.get("requester") or {}).get("display")
        question = next((fm.label(cc) for cc in r.get("reasonCode") or [] if fm.label(cc)), None)
        priority = r.get("priority")
        p.referral = d.Referral(
            referred_on=fm.full_date(r["authoredOn"], "authoredOn")
            if r.get("authoredOn")
            else None,
            referring_clinician=requester.strip() if isinstance(requester, str) else None,
            question=question,
            urgent=None if priority is None else priority != "routine",
        )
        p.sources["referral:referral"] = e.short
        self.used.add(e.index)

    # --- the case ---

    def finish(self, p: _Patient) -> d.Case:
        case = p.case
        if p.referral is not None:
            case.referral = p.referral
        if p.diagnoses:
            kinds = {k for k, _, _ in p.diagnoses}
            kind = "atc" if "atc" in kinds else "thyroid_cancer"
            dates = sorted(w for k, w, _ in p.diagnoses if k == kind and w is not None)
            case.diagnosis = d.Diagnosis(
                histology="anaplastic_thyroid_carcinoma" if kind == "atc" else None,
                diagnosed_on=dates[0] if dates else None,
            )
            chosen = next(
                i for k, w, i in p.diagnoses if k == kind and (not dates or w == dates[0])
            )
            source = next(x.short for x in self.entries if x.index == chosen)
            p.sources["diagnosis:diagnosis.histology"] = source
            if dates:
                p.sources["diagnosis:diagnosis.diagnosed_on"] = source
        tnm = {cat: value for cat, (_, (value, _basis)) in p.tnm.items()}
        chosen_bases = {cat: basis for cat, (_, (_value, basis)) in p.tnm.items()}
        for cat in list(p.tnm):
            p.sources[f"tnm:tnm.{cat}"] = p.sources.pop(f"tnm:{cat}", "")
            if {"pathological", "clinical"} <= p.tnm_bases.get(cat, set()):
                p.notes.append(
                    f"tnm.{cat}: pathological and clinical values given; pathological used"
                )
        for cat, value in p.stage_summary.items():
            tnm.setdefault(cat, value)
        if p.stage_groups:
            from mdt_app.staging import stage_for

            ours = stage_for(d.TNM(t=tnm.get("t"), n=tnm.get("n"), m=tnm.get("m"))).stage
            for value, source in p.stage_groups:
                said = re.search(r"\b(?:stage\s*)?([0IV]+[A-C]?)\b", value, re.IGNORECASE)
                agree = said is not None and said.group(1).upper() == ours
                p.notes.append(
                    f"stage group {value!r} in {source}: "
                    + ("agrees with" if agree else "not used; the app stages from T, N and M:")
                    + f" {ours}"
                )
        case.tnm = d.TNM(
            t=tnm.get("t"), n=tnm.get("n"), m=tnm.get("m"), basis=_tnm_basis(chosen_bases)
        )
        if case.tnm.basis:
            p.sources["tnm:tnm.basis"] = ", ".join(
                p.sources.get(f"tnm:tnm.{cat}", "") for cat in chosen_bases
            )
        found = {name: value for name, (_, value) in p.results.items()}
        case.biomarkers = d.Biomarkers(
            **{name: found.get(name, "unknown") for name in d.BIOMARKER_FIELDS},
            tmb_mut_per_mb=found.get("tmb"),
            pdl1_tps_percent=found.get("pdl1"),
        )
        case.ecog = found.get("ecog")
        for name in list(p.sources):
            table, _, field_name = name.partition(":")
            if table == "results":
                where = "ecog" if field_name == "ecog" else f"biomarkers.{field_name}"
                where = {
                    "tmb": "biomarkers.tmb_mut_per_mb",
                    "pdl1": "biomarkers.pdl1_tps_percent",
                }.get(field_name, where)
                p.sources[f"results:{where}"] = p.sources.pop(name)
        mrn = case.patient.mrn
        data = case_to_dict(case)
        for key, (value, source) in p.overlay.items():
            head, _, sub = key.partition(".")
            if sub:
                if not isinstance(data.get(head), dict):
                    data[head] = {}
                data[head][sub] = value
            else:
                data[key] = value
            p.sources[f"fact:{key}"] = source
        # The case-file rules are the last word: anything they refuse is refused here too.
        parsed = parse_case(data, f"{p.entry.label[:-1]}, MRN {mrn})")
        parsed.patient.identifier_system = _mrn_system(p.entry.resource, mrn)
        parsed.present = _present(p, data)
        return parsed


def _tnm_basis(bases: dict[str, str]) -> str | None:
    """The case's TNM basis from the basis of each category used: pathological when T or
    N came from the specimen (M stays clinical in pathological staging: there is no pM0),
    clinical when every category was clinical, else not known."""
    if any(bases.get(cat) == "pathological" for cat in ("t", "n")):
        return "pathological"
    if bases and all(b == "clinical" for b in bases.values()):
        return "clinical"
    if bases.get("m") == "pathological" and set(bases) == {"m"}:
        return "pathological"
    return None


def _read(item: Json, status: str, target: Target) -> Any:
    """The value an observation (or component) gives its target, or None if it says none."""
    if target.kind == "biomarker":
        return fm.biomarker_result(item, status, target)
    if status == "registered":
        return None
    if target.kind == "tnm":
        if item.get("valueCodeableConcept") is None and item.get("valueString") is None:
            return None
        element = "valueCodeableConcept" if item.get("valueCodeableConcept") else "valueString"
        return fm.tnm_value(
            item.get("valueCodeableConcept"), item.get("valueString"), target.name, element
        )
    if target.kind == "ecog":
        return fm.ecog_value(item)
    if target.kind == "tmb":
        return fm.tmb_value(item)
    if target.kind == "pdl1":
        return fm.pdl1_value(item)
    return None


# Sequence Ontology terms a Genomics Reporting variant uses for a fusion.
_FUSION_SO = {"SO:0001565", "SO:0001886", "SO:0001887"}  # gene_fusion, transcript_fusion, ...
_FUSION_GENES = {"ntrk_fusion": r"NTRK[123]?", "ret_fusion": "RET", "alk_fusion": "ALK"}


def _genomic_variant(obs: Json) -> Target | None:
    """A genomics-reporting variant Observation (69548-6): BRAF p.V600E, or an NTRK, RET or
    ALK fusion (the fusion named by a Sequence Ontology code or the word, the gene by a
    gene-studied component; the partner gene, such as ETV6 or EML4, may be listed too)."""
    if not fm.has_code(obs.get("code"), fm.LOINC, {"69548-6"}):
        return None
    gene = change = other = ""
    genes: list[str] = []
    fusion = False
    for c in obs.get("component") or []:
        concept = c.get("valueCodeableConcept")
        codes = [str(x.get("code") or "") for x in fm.codings(concept)]
        value = " ".join([fm.words(concept), str(c.get("valueString") or ""), *codes])
        fusion = fusion or bool(_FUSION_SO & set(codes))
        if fm.has_code(c.get("code"), fm.LOINC, {"48018-6"}):
            gene += " " + value
            genes.append(value)
        elif fm.has_code(c.get("code"), fm.LOINC, {"48005-3"}):
            change += value
        else:
            other += " " + value
    if re.search(r"\bBRAF\b", gene) and re.search(r"V600E|Val600Glu", change):
        return Target("biomarker", "braf_v600e", "v600e")
    fusion = fusion or bool(
        re.search(r"fusion|rearrang", f"{other} {fm.words(obs.get('code'))}", re.I)
    )
    if fusion:
        named = [
            name
            for name, rx in _FUSION_GENES.items()
            if any(re.search(rf"\b{rx}\b", g) for g in genes)
        ]
        if len(named) == 1:
            return Target("biomarker", named[0])
    return None


def _report_date(report: Json) -> tuple[str, Any]:
    if report.get("effectiveDateTime"):
        return "effectiveDateTime", report["effectiveDateTime"]
    if (report.get("effectivePeriod") or {}).get("start"):
        return "effectivePeriod.start", report["effectivePeriod"]["start"]
    if report.get("issued"):
        return "issued", report["issued"]
    return "effectiveDateTime", None


def _study_modalities(study: Json) -> list[str]:
    codes = [c.get("code") for m in study.get("modality") or [] for c in fm.codings(m)]
    codes += [
        c.get("code")
        for s in study.get("series") or []
        if isinstance(s, dict)
        for c in fm.codings(s.get("modality"))
    ]
    return [c for c in codes if isinstance(c, str)]


def _study_text(study: Json) -> str:
    parts = [str(study.get("description") or "")]
    parts += [fm.words(cc) for cc in study.get("procedureCode") or []]
    for s in study.get("series") or []:
        parts += [str(s.get("description") or ""), fm.words(s.get("bodySite"))]
    return " ".join(parts)


def _study_region(study: Json) -> str | None:
    for s in study.get("series") or []:
        found = fm.label(s.get("bodySite"))
        if found:
            return found
    for cc in study.get("procedureCode") or []:
        found = fm.label(cc)
        if found:
            return found
    return None


def _study_summary(study: Json) -> str | None:
    if isinstance(study.get("description"), str) and study["description"].strip():
        return study["description"].strip()
    for s in study.get("series") or []:
        if isinstance(s.get("description"), str) and s["description"].strip():
            return s["description"].strip()
    return None


def _mrn_system(patient: Json, mrn: str) -> str | None:
    """The Identifier.system of the identifier the MRN was taken from (None if unsaid)."""
    for ident in patient.get("identifier") or []:
        if (
            isinstance(ident, dict)
            and isinstance(ident.get("value"), str)
            and ident["value"].strip() == mrn
            and isinstance(ident.get("system"), str)
        ):
            return ident["system"].strip() or None
    return None


def _present(p: _Patient, data: dict) -> frozenset[str]:
    """The case fields this Bundle actually says something about: an import of it leaves
    every other stored field (diagnosis, TNM, biomarkers, ECOG...) as it is."""
    r = p.entry.resource
    out = {"labs", "imaging"}
    names = [n for n in r.get("name") or [] if isinstance(n, dict)]
    chosen = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    if chosen.get("family") or chosen.get("given"):  # a name given only as text (as the
        out |= {"patient.given_name", "patient.family_name"}  # minutes write it) is not split
    if r.get("birthDate"):
        out.add("patient.birth_date")
    if r.get("gender") is not None:
        out.add("patient.sex")
    if fm.language_of(r):
        out.add("patient.preferred_language")
    for name in p.sources:
        table, _, path = name.partition(":")
        if table in ("patient", "labs", "imaging"):
            continue
        path = path.split("[")[0].strip()
        value: Any = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if table == "results" and value in (None, "unknown"):
            continue  # the Bundle does not know: keep what is stored
        out.add(path)
    return frozenset(out)
