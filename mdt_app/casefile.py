"""The `mdt-case/1` JSON case file: strict reading into a Case, and writing one back.

Every field is checked; the first problem raises CaseFileError naming the file, the
case and the field. Absent or null means "not known" and stays so.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from datetime import date
from pathlib import Path
from typing import Any

from mdt_app import domain as d
from mdt_app.errors import ValidationError
from mdt_app.identifiers import invisible_character

FORMAT = "mdt-case/1"
_SURROGATE = re.compile("[\ud800-\udfff]")  # searched in C: a file has hundreds of texts


class CaseFileError(ValidationError):
    """A case file that breaks the mdt-case/1 rules. The message names where."""


class _Reader:
    """Reads one case object, keeping the path to each field for error messages."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, path: str, problem: str) -> CaseFileError:
        return CaseFileError(f"{self.where}: field '{path}': {problem}")

    def obj(self, parent: dict, key: str, path: str) -> dict:
        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, got {describe_type(value)}")
        return value

    def text(self, parent: dict, key: str, path: str, *, required: bool = False) -> str | None:
        value = parent.get(key)
        if value is None:
            if required:
                raise self.fail(path, "is required")
            return None
        if not isinstance(value, str):
            raise self.fail(path, f"expected text, got {describe_type(value)}")
        if not value.isascii() and _SURROGATE.search(value):  # isascii: a flag, no scan
            raise self.fail(path, "holds a lone UTF-16 surrogate: not valid text")
        value = value.strip()
        if required and not value:
            raise self.fail(path, "must not be empty")
        if len(value) > 10_000:
            raise self.fail(path, "is longer than 10000 characters")
        return value or None

    def enum(self, parent: dict, key: str, path: str, allowed: tuple[str, ...]) -> str | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(path, f"{brief(value)} is not one of {', '.join(allowed)}")
        return value

    def day(self, parent: dict, key: str, path: str) -> date | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(path, f"expected a date YYYY-MM-DD, got {describe_type(value)}")
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise self.fail(path, f"{brief(value)} is not a valid date (YYYY-MM-DD)") from None
        if parsed.year < 1900 or parsed > date(2200, 1, 1):
            raise self.fail(path, f"{value} is not a plausible date")
        return parsed

    def boolean(self, parent: dict, key: str, path: str) -> bool | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {describe_type(value)}")
        return value

    def number(
        self, parent: dict, key: str, path: str, *, low: float, high: float, required: bool = False
    ) -> float | None:
        value = parent.get(key)
        if value is None:
            if required:
                raise self.fail(path, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(path, f"expected a number, got {describe_type(value)}")
        if not math.isfinite(value) or not low <= value <= high:
            shown = brief(value)
            raise self.fail(path, f"{shown} is outside the possible range {low:g} to {high:g}")
        return float(value)

    def items(self, parent: dict, key: str, path: str) -> list:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, got {describe_type(value)}")
        return value

    def enum_list(self, parent: dict, key: str, path: str, allowed: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for i, value in enumerate(self.items(parent, key, path)):
            if not isinstance(value, str) or value not in allowed:
                raise self.fail(
                    f"{path}[{i}]", f"{brief(value)} is not one of {', '.join(allowed)}"
                )
            if value not in out:
                out.append(value)
        return out


def brief(value: Any, limit: int = 60) -> str:
    """A value as quoted in an error message: short, one line, always printable."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        text = "a number too long to show"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_type(value: Any) -> str:
    """How a JSON value's type is named in error messages."""
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _case_label(raw: Any, index: int | None) -> str:
    label = f"case {index + 1}" if index is not None else "case"
    if isinstance(raw, dict) and isinstance(raw.get("patient"), dict):
        mrn = raw["patient"].get("mrn")
        if isinstance(mrn, str) and mrn.strip():
            label += f" (MRN {brief(mrn.strip(), 40)[1:-1]})"
    return label


def present_paths(raw: dict, prefix: str = "") -> frozenset[str]:
    """Every leaf path of a case object as given ("tnm.t", "labs", "patient.birth_date"):
    an import changes only these fields of a stored case."""
    out: list[str] = []
    _leaf_paths(raw, prefix, out)
    return frozenset(out)


def _leaf_paths(raw: dict, prefix: str, out: list[str]) -> None:
    for key, value in raw.items():
        if value and isinstance(value, dict):
            _leaf_paths(value, f"{prefix}{key}.", out)
        else:
            out.append(prefix + key)


def parse_case(raw: Any, where: str = "case") -> d.Case:
    """Validate one mdt-case/1 object and return the Case it describes."""
    r = _Reader(where)
    if not isinstance(raw, dict):
        raise CaseFileError(f"{where}: expected a JSON object, got {describe_type(raw)}")
    fmt = raw.get("format")
    if fmt != FORMAT:
        raise r.fail("format", f"expected {FORMAT!r}, got {brief(fmt)}")

    p = r.obj(raw, "patient", "patient")
    mrn = r.text(p, "mrn", "patient.mrn", required=True)
    hidden = invisible_character(mrn or "")
    if hidden:
        raise r.fail(
            "patient.mrn", f"contains an invisible or control character ({hidden}); type it again"
        )
    birth = r.day(p, "birth_date", "patient.birth_date")
    if birth and birth > date.today():
        raise r.fail("patient.birth_date", f"{birth} is in the future")
    patient = d.Patient(
        mrn=mrn or "",
        given_name=r.text(p, "given_name", "patient.given_name") or "",
        family_name=r.text(p, "family_name", "patient.family_name") or "",
        birth_date=birth,
        sex=r.enum(p, "sex", "patient.sex", d.SEXES) or "unknown",
        preferred_language=r.text(p, "preferred_language", "patient.preferred_language") or "en",
    )
    if not (patient.given_name or patient.family_name):
        raise r.fail("patient.family_name", "the patient needs a given or family name")

    ref = r.obj(raw, "referral", "referral")
    referral = d.Referral(
        referred_on=r.day(ref, "referred_on", "referral.referred_on"),
        referring_clinician=r.text(ref, "referring_clinician", "referral.referring_clinician"),
        question=r.text(ref, "question", "referral.question"),
        urgent=r.boolean(ref, "urgent", "referral.urgent"),
    )
    dx = r.obj(raw, "diagnosis", "diagnosis")
    diagnosis = d.Diagnosis(
        histology=r.text(dx, "histology", "diagnosis.histology"),
        confirmed_by=r.enum(dx, "confirmed_by", "diagnosis.confirmed_by", d.CONFIRMED_BY),
        diagnosed_on=r.day(dx, "diagnosed_on", "diagnosis.diagnosed_on"),
        atc_extent=r.enum(dx, "atc_extent", "diagnosis.atc_extent", d.ATC_EXTENT),
        coexisting_dtc=r.enum(dx, "coexisting_dtc", "diagnosis.coexisting_dtc", d.COEXISTING_DTC),
    )
    for label, when in (("diagnosis.diagnosed_on", diagnosis.diagnosed_on),):
        if when and birth and when < birth:
            raise r.fail(label, f"{when} is before the birth date {birth}")
    t = r.obj(raw, "tnm", "tnm")
    tnm = d.TNM(
        t=r.enum(t, "t", "tnm.t", d.T_VALUES),
        n=r.enum(t, "n", "tnm.n", d.N_VALUES),
        m=r.enum(t, "m", "tnm.m", d.M_VALUES),
        basis=r.enum(t, "basis", "tnm.basis", d.TNM_BASES),
    )
    b = r.obj(raw, "biomarkers", "biomarkers")
    biomarkers = d.Biomarkers(
        **{
            name: r.enum(b, name, f"biomarkers.{name}", d.BIOMARKER_RESULTS) or "unknown"
            for name in d.BIOMARKER_FIELDS
        },
        tmb_mut_per_mb=r.number(b, "tmb_mut_per_mb", "biomarkers.tmb_mut_per_mb", low=0, high=1000),
        pdl1_tps_percent=r.number(
            b, "pdl1_tps_percent", "biomarkers.pdl1_tps_percent", low=0, high=100
        ),
        braf_method=r.enum(b, "braf_method", "biomarkers.braf_method", d.BRAF_METHODS),
        sequencing=r.enum(b, "sequencing", "biomarkers.sequencing", d.SEQUENCING),
    )
    ecog = r.number(raw, "ecog", "ecog", low=0, high=5)
    if ecog is not None and ecog != int(ecog):
        raise r.fail("ecog", f"{ecog:g} is not a whole number 0-5")
    m = r.obj(raw, "metastases", "metastases")
    metastases = d.Metastases(
        sites=r.enum_list(m, "sites", "metastases.sites", d.METASTATIC_SITES),
        burden=r.enum(m, "burden", "metastases.burden", d.BURDEN),
        brain_symptomatic=r.boolean(m, "brain_symptomatic", "metastases.brain_symptomatic"),
    )
    # M0 with listed sites is accepted and flagged by the pathway (its staging data
    # checks), not refused: the MDT has to see the contradiction, not lose the case.
    ct = r.obj(raw, "care_team", "care_team")
    care_team = d.CareTeam(
        key_contact_name=r.text(ct, "key_contact_name", "care_team.key_contact_name"),
        key_contact_phone=r.text(ct, "key_contact_phone", "care_team.key_contact_phone"),
        centre=r.text(ct, "centre", "care_team.centre"),
    )
    return d.Case(
        patient=patient,
        consent=_consent(r, raw, birth),
        referral=referral,
        diagnosis=diagnosis,
        tnm=tnm,
        resectability=r.enum(raw, "resectability", "resectability", d.RESECTABILITY) or "unknown",
        phase=r.enum(raw, "phase", "phase", d.PHASES) or "new",
        biomarkers=biomarkers,
        ecog=int(ecog) if ecog is not None else None,
        airway=r.enum(raw, "airway", "airway", d.AIRWAY) or "unknown",
        metastases=metastases,
        brain_imaging_done=r.boolean(raw, "brain_imaging_done", "brain_imaging_done"),
        goals_of_care=r.enum(raw, "goals_of_care", "goals_of_care", d.GOALS_OF_CARE),
        decision_capacity=r.enum(raw, "decision_capacity", "decision_capacity", d.CAPACITY)
        or "unknown",
        declines=r.enum_list(raw, "declines", "declines", d.DECLINABLE),
        imaging=_imaging(r, raw),
        labs=_labs(r, raw),
        care_team=care_team,
        present=present_paths(raw),
        operable=r.boolean(raw, "operable", "operable"),
        pregnancy=r.enum(raw, "pregnancy", "pregnancy", d.PREGNANCY),
        prior_treatments=_prior_treatments(r, raw, birth),
    )


def _consent(r: _Reader, raw: dict, birth: date | None) -> d.Consent:
    c = r.obj(raw, "consent", "consent")
    consent = d.Consent(
        **{t: r.enum(c, t, f"consent.{t}", d.CONSENT_ANSWERS) for t in d.CONSENT_TOPICS},
        recorded_on=r.day(c, "recorded_on", "consent.recorded_on"),
        recorded_by=r.text(c, "recorded_by", "consent.recorded_by"),
    )
    if consent.recorded_on and consent.recorded_on > date.today():
        raise r.fail("consent.recorded_on", f"{consent.recorded_on} is in the future")
    if consent.recorded_on and birth and consent.recorded_on < birth:
        raise r.fail("consent.recorded_on", f"{consent.recorded_on} is before the birth date")
    if consent.is_recorded() and not (consent.recorded_on and consent.recorded_by):
        raise r.fail("consent", "a consent answer needs recorded_on and recorded_by")
    return consent


def _prior_treatments(r: _Reader, raw: dict, birth: date | None) -> list[d.PriorTreatment]:
    out = []
    for i, item in enumerate(r.items(raw, "prior_treatments", "prior_treatments")):
        path = f"prior_treatments[{i}]"
        if not isinstance(item, dict):
            raise r.fail(path, f"expected an object, got {describe_type(item)}")
        kind = r.enum(item, "type", f"{path}.type", d.PRIOR_TREATMENT_TYPES)
        if kind is None:
            raise r.fail(f"{path}.type", "is required")
        started = r.day(item, "started_on", f"{path}.started_on")
        ended = r.day(item, "ended_on", f"{path}.ended_on")
        if started and ended and ended < started:
            raise r.fail(f"{path}.ended_on", f"{ended} is before started_on {started}")
        if started and birth and started < birth:
            raise r.fail(f"{path}.started_on", f"{started} is before the birth date {birth}")
        out.append(
            d.PriorTreatment(
                type=kind,
                started_on=started,
                ended_on=ended,
                response=r.enum(item, "response", f"{path}.response", d.RESPONSES),
                note=r.text(item, "note", f"{path}.note"),
            )
        )
    return out


def _imaging(r: _Reader, raw: dict) -> list[d.ImagingStudy]:
    out = []
    for i, item in enumerate(r.items(raw, "imaging", "imaging")):
        path = f"imaging[{i}]"
        if not isinstance(item, dict):
            raise r.fail(path, f"expected an object, got {describe_type(item)}")
        when = r.day(item, "date", f"{path}.date")
        if when is None:
            raise r.fail(f"{path}.date", "is required")
        out.append(
            d.ImagingStudy(
                date=when,
                modality=r.enum(item, "modality", f"{path}.modality", d.IMAGING_MODALITIES)
                or _required(r, f"{path}.modality"),
                region=r.text(item, "region", f"{path}.region") or "",
                summary=r.text(item, "summary", f"{path}.summary", required=True) or "",
            )
        )
    return out


def _labs(r: _Reader, raw: dict) -> list[d.LabResult]:
    out = []
    for i, item in enumerate(r.items(raw, "labs", "labs")):
        path = f"labs[{i}]"
        if not isinstance(item, dict):
            raise r.fail(path, f"expected an object, got {describe_type(item)}")
        when = r.day(item, "date", f"{path}.date")
        if when is None:
            raise r.fail(f"{path}.date", "is required")
        value = r.number(item, "value", f"{path}.value", low=-1e9, high=1e9, required=True)
        low = r.number(item, "low", f"{path}.low", low=-1e9, high=1e9)
        high = r.number(item, "high", f"{path}.high", low=-1e9, high=1e9)
        if low is not None and high is not None and low > high:
            raise r.fail(f"{path}.low", f"reference low {low:g} is above high {high:g}")
        out.append(
            d.LabResult(
                date=when,
                test=r.text(item, "test", f"{path}.test", required=True) or "",
                value=value if value is not None else 0.0,
                unit=r.text(item, "unit", f"{path}.unit"),
                low=low,
                high=high,
            )
        )
    return out


def _required(r: _Reader, path: str) -> str:
    raise r.fail(path, "is required")


def parse_document(data: Any, where: str) -> list[d.Case]:
    """A file holds one case object or a JSON list of them."""
    if isinstance(data, list):
        if not data:
            raise CaseFileError(f"{where}: the list holds no cases")
        return [parse_case(item, f"{where}: {_case_label(item, i)}") for i, item in enumerate(data)]
    return [parse_case(data, f"{where}: {_case_label(data, None)}")]


MAX_FILE_MB_DEFAULT = 50  # files larger than this are refused before they are parsed
MAX_NESTING = 64  # no case file or Bundle nests deeper; deeper is refused, not recursed into


def max_file_bytes() -> int:
    """The size limit for imported files: $MDT_APP_MAX_FILE_MB (megabytes), default 50."""
    raw = os.environ.get("MDT_APP_MAX_FILE_MB", "").strip()
    try:
        megabytes = float(raw) if raw else MAX_FILE_MB_DEFAULT
    except ValueError:
        raise CaseFileError(f"MDT_APP_MAX_FILE_MB={raw!r} is not a number of megabytes") from None
    return int(megabytes * 1024 * 1024)


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    out = dict(pairs)  # built in C; only a shorter dict means a key was given twice
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting outside strings (a cheap pre-check before json.loads)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def load_json_file(path: str | Path) -> Any:
    """A case file's JSON; CaseFileError names the file and what is wrong with it.

    Refused before parsing: files over the size limit and JSON nested deeper than any
    case file needs. Refused while parsing: a key given twice in one object (which of the
    two was meant cannot be known), numbers too long to hold or beyond a float's range.
    """
    where = str(path)
    try:
        # One open and one fstat: a thousand files are read at each import.
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            limit = max_file_bytes()
            if info.st_size > limit:
                raise CaseFileError(
                    f"{where}: is {info.st_size / 1048576:.1f} MB, over the import limit of "
                    f"{limit / 1048576:g} MB (setting MDT_APP_MAX_FILE_MB)"
                )
            raw = handle.read()
    except FileNotFoundError:
        raise CaseFileError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise CaseFileError(f"{where}: is a directory, not a case file") from None
    except OSError as exc:
        raise CaseFileError(f"{where}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CaseFileError(f"{where}: is not UTF-8 text") from None
    if "\r" in text:  # line ends as a text-mode read gives them (JSON's line numbers)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return parse_json_text(text, where)


def parse_json_text(text: str, where: str) -> Any:
    """JSON text as Python values, every problem a one-line CaseFileError."""
    # Too few brackets to nest too deep (counted in C) needs no scan of the text.
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_NESTING and _nesting_depth(text) > MAX_NESTING:
        raise CaseFileError(
            f"{where}: is nested more than {MAX_NESTING} levels deep; not a case file or Bundle"
        )
    try:
        if text.startswith("\ufeff"):  # as json.loads refuses it (the decoder itself would not)
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"{where}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except _DuplicateKey as exc:
        raise CaseFileError(
            f"{where}: the key {_shown(exc.key)} appears twice in one object; "
            "which value is meant cannot be known"
        ) from None
    except RecursionError:
        raise CaseFileError(f"{where}: is nested too deeply to be a case file") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise CaseFileError(f"{where}: holds a value that cannot be read ({exc})") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# One decoder for every file (json.loads with options builds a new one per call).
_DECODER = json.JSONDecoder(
    object_pairs_hook=_refuse_duplicate_keys, parse_constant=_refuse_constant
)


def _shown(text: str) -> str:
    """A key or value quoted for a message, safe to print (lone surrogates escaped)."""
    return repr(text.encode("utf-8", "backslashreplace").decode("utf-8"))[:80]


def read_case_file(path: str | Path) -> list[d.Case]:
    """Read and validate a case file; CaseFileError names the problem and the file."""
    return parse_document(load_json_file(path), str(path))


# --- writing ----------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def case_to_dict(case: d.Case) -> dict:
    """The mdt-case/1 object for a Case (round-trips through parse_case)."""
    p, b = case.patient, case.biomarkers
    out: dict = {
        "format": FORMAT,
        "patient": {
            "mrn": p.mrn,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "birth_date": _iso(p.birth_date),
            "sex": p.sex,
            "preferred_language": p.preferred_language,
        },
        "referral": {
            "referred_on": _iso(case.referral.referred_on),
            "referring_clinician": case.referral.referring_clinician,
            "question": case.referral.question,
            "urgent": case.referral.urgent,
        },
        "diagnosis": {
            "histology": case.diagnosis.histology,
            "confirmed_by": case.diagnosis.confirmed_by,
            "diagnosed_on": _iso(case.diagnosis.diagnosed_on),
            "atc_extent": case.diagnosis.atc_extent,
            "coexisting_dtc": case.diagnosis.coexisting_dtc,
        },
        "tnm": {"t": case.tnm.t, "n": case.tnm.n, "m": case.tnm.m, "basis": case.tnm.basis},
        "resectability": case.resectability,
        "phase": case.phase,
        "biomarkers": {
            **{name: getattr(b, name) for name in d.BIOMARKER_FIELDS},
            "tmb_mut_per_mb": b.tmb_mut_per_mb,
            "pdl1_tps_percent": b.pdl1_tps_percent,
            "braf_method": b.braf_method,
            "sequencing": b.sequencing,
        },
        "ecog": case.ecog,
        "airway": case.airway,
        "metastases": {
            "sites": list(case.metastases.sites),
            "burden": case.metastases.burden,
            "brain_symptomatic": case.metastases.brain_symptomatic,
        },
        "brain_imaging_done": case.brain_imaging_done,
        "goals_of_care": case.goals_of_care,
        "decision_capacity": case.decision_capacity,
        "declines": list(case.declines),
        "imaging": [
            {"date": _iso(i.date), "modality": i.modality, "region": i.region, "summary": i.summary}
            for i in case.imaging
        ],
        "labs": [
            {
                "date": _iso(x.date),
                "test": x.test,
                "value": x.value,
                "unit": x.unit,
                "low": x.low,
                "high": x.high,
            }
            for x in case.labs
        ],
    }
    cs = case.consent
    if cs.is_recorded() or cs.recorded_on or cs.recorded_by:
        out["consent"] = {
            **{t: getattr(cs, t) for t in d.CONSENT_TOPICS},
            "recorded_on": _iso(cs.recorded_on),
            "recorded_by": cs.recorded_by,
        }
    out["operable"] = case.operable
    out["pregnancy"] = case.pregnancy
    out["prior_treatments"] = [
        {
            "type": t.type,
            "started_on": _iso(t.started_on),
            "ended_on": _iso(t.ended_on),
            "response": t.response,
            "note": t.note,
        }
        for t in case.prior_treatments
    ]
    ct = case.care_team
    if ct.key_contact_name or ct.key_contact_phone or ct.centre:
        out["care_team"] = {
            "key_contact_name": ct.key_contact_name,
            "key_contact_phone": ct.key_contact_phone,
            "centre": ct.centre,
        }
    return out
