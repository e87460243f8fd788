"""HL7 v2 message files in (`mdt-app import FILE.hl7`): ADT demographics, A40 merges, ORU results.

Parsed with the `hl7` package (python-hl7): it splits segments, fields, repetitions and
components and nothing more, which suits files from interface engines that bend the
standard; the checks the app needs are made here. docs/hl7v2.md has the tables.

A file holds one or more messages (each from its MSH segment; batch FHS/BHS/BTS/FTS
segments are ignored). Every message is read before the database is opened: a fault in
any message refuses the file with one line naming the message and the field. In the
database, messages apply in file order within the import's one transaction.

- ADT^A01/A04/A08/A28/A31: demographics of a patient (PID). A patient already stored is
  updated; one not stored is created only with --include-non-atc (ADT carries no
  diagnosis), and a deceased one (PID-29/30) only with --include-deceased.
- ADT^A40: merge the prior patient (MRG-1) into the surviving one (PID-3).
- ORU^R01: OBX with a LOINC code and a numeric value become lab results (the contract's
  test names); the text of a radiology report becomes an imaging entry, the text of a
  pathology report a histology note on the case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdt_app import domain as d
from mdt_app.casefile import CaseFileError
from mdt_app.exchange import codes as k
from mdt_app.exchange import fhir_mapping as fm
from mdt_app.exchange.report import (
    CREATED,
    NOT_IMPORTED,
    UNCHANGED,
    UPDATED,
    FileReport,
    PatientReport,
)

if TYPE_CHECKING:
    from mdt_app.exchange.importer import FileImport, ImportOptions
    from mdt_app.store import Store

ADT_DEMOGRAPHICS = ("A01", "A04", "A08", "A28", "A31")
SEXES = {"F": "female", "M": "male", "O": "other", "A": "other", "U": "unknown", "N": "unknown"}
LOINC_SYSTEMS = ("LN", "LOINC", "2.16.840.1.113883.6.1")
NUMERIC_TYPES = ("NM", "SN")
TEXT_TYPES = ("TX", "FT", "ST", "CE", "CWE")
RADIOLOGY_SECTIONS = ("RAD", "RX", "CT", "MR", "US", "NMR", "NMS", "VUS", "RUS", "XRC")
PATHOLOGY_SECTIONS = ("SP", "PAT", "AP", "CP", "SUR", "CYT")
VOID_RESULT_STATUS = ("D", "W", "X")  # deleted, wrong (entered in error), cannot be obtained


def looks_like_hl7(path: Path) -> bool:
    """An .hl7 file, or one whose content starts with an MSH (or batch header) segment."""
    if path.suffix.lower() in (".hl7", ".hl7v2"):
        return True
    if path.suffix.lower() == ".json":
        return False  # JSON files are case files, Bundles or replies: no need to open them
    try:
        with path.open("rb") as f:
            head = f.read(8).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head[:4] in (b"MSH|", b"FHS|", b"BHS|")


# --- reading ----------------------------------------------------------------------------


@dataclass
class Identifier:
    value: str
    authority: str  # CX.4 namespace (or universal id)
    type: str  # CX.5 (MR, NH, PI ...)
    universal: str = ""  # CX.4.2, e.g. an OID

    @property
    def authorities(self) -> set[str]:
        return {x.upper() for x in (self.authority, self.universal) if x}


@dataclass
class PatientPart:
    identifiers: list[Identifier]
    family: str
    given: str
    birth_date: date | None
    sex: str
    language: str | None
    deceased: bool


@dataclass
class Result:
    kind: str  # "lab", "imaging", "histology_note", "imaging_note"
    source: str  # "OBR 1 / OBX 2"
    lab: d.LabResult | None = None
    imaging: d.ImagingStudy | None = None
    text: str = ""
    when: date | None = None
    key: str = ""


@dataclass
class Message:
    index: int
    control_id: str
    type: str  # "ADT^A08"
    patient: PatientPart
    prior: list[Identifier] = field(default_factory=list)  # A40 MRG-1
    results: list[Result] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"message {self.index} ({self.type} {self.control_id})"


class _Fault(ValueError):
    def __init__(self, element: str, problem: str):
        super().__init__(problem)
        self.element, self.problem = element, problem


def read_hl7_file(path: Path) -> FileImport:
    """Read and check every message of an HL7 v2 file (the database is not opened)."""
    from mdt_app.exchange.importer import FileImport

    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(f"{where}: no such file") from None
    except OSError as exc:
        raise CaseFileError(f"{where}: cannot be read ({exc.strerror})") from None
    text = _decode(raw, where)
    try:
        chunks = split_messages(text)
    except CaseFileError as err:
        raise CaseFileError(f"{where}: {err}") from None
    if not chunks:
        raise CaseFileError(f"{where}: no HL7 v2 message (no MSH segment)")
    out = FileImport(FileReport(where, "HL7 v2"))
    for n, chunk in enumerate(chunks, start=1):
        try:
            message = parse_message(chunk, n)
        except _Fault as fault:
            raise CaseFileError(
                f"{where}: message {n}: field {fault.element}: {fault.problem}"
            ) from None
        out.steps.append(_step(message, out.report))
    return out


def _decode(raw: bytes, where: str) -> str:
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # MSH-18 8859/1 is common in hospital feeds: honour it, refuse anything else.
        if re.search(rb"\|8859/1[\r\n|]", raw[:600]) or raw[:600].rstrip().endswith(b"8859/1"):
            return raw.decode("latin-1")
        raise CaseFileError(
            f"{where}: is not UTF-8 text (and MSH-18 does not say 8859/1)"
        ) from None


def split_messages(text: str) -> list[str]:
    """The messages of a file: segments split on CR, LF or CRLF, a message from each MSH."""
    segments = [s for s in re.split(r"\r\n|\r|\n", text) if s.strip()]
    messages: list[list[str]] = []
    for seg in segments:
        tag = seg[:3]
        if tag in ("FHS", "BHS", "BTS", "FTS"):
            continue
        if tag == "MSH":
            messages.append([seg])
        elif messages:
            messages[-1].append(seg)
        else:
            raise CaseFileError(f"the file starts with a {tag!r} segment, not MSH")
    return ["\r".join(m) for m in messages]


def parse_message(text: str, index: int) -> Message:
    import hl7

    try:
        msg = hl7.parse(text)
    except Exception as exc:  # the library raises assorted errors on broken input
        raise _Fault("MSH", f"cannot be parsed as HL7 v2 ({type(exc).__name__})") from None
    msh = _segment(msg, "MSH")
    if msh is None:
        raise _Fault("MSH", "is missing")
    kind = _component(msh, 9, 1), _component(msh, 9, 2)
    version = _field(msh, 12)
    if not version.startswith("2."):
        raise _Fault("MSH-12", f"version {version!r} is not HL7 v2.x")
    label = f"{kind[0]}^{kind[1]}"
    control = _field(msh, 10) or f"#{index}"
    pid = _segment(msg, "PID")
    if pid is None:
        raise _Fault("PID", f"a {label} message needs a PID segment")
    message = Message(index, control, label, _patient(pid))
    if kind[0] == "ADT" and kind[1] == "A40":
        mrg = _segment(msg, "MRG")
        if mrg is None:
            raise _Fault("MRG", "an A40 merge needs an MRG segment naming the prior patient")
        message.prior = _identifiers(mrg, 1, "MRG-1")
        if not message.prior:
            raise _Fault("MRG-1", "names no prior patient identifier")
    elif kind[0] == "ADT" and kind[1] in ADT_DEMOGRAPHICS:
        pass
    elif kind == ("ORU", "R01"):
        _results(msg, message)
    else:
        raise _Fault("MSH-9", f"{label} is not read (ADT A01/A04/A08/A28/A31/A40, ORU R01)")
    return message


def _segment(msg: Any, name: str) -> Any:
    for seg in msg:
        if str(seg[0]) == name:
            return seg
    return None


def _field(seg: Any, n: int) -> str:
    try:
        return str(seg[n]).strip()
    except IndexError:
        return ""


def _component(seg: Any, n: int, c: int, rep: int = 0) -> str:
    """Field n, repetition rep, component c (1-based), as text ('' if absent)."""
    try:
        value = seg[n]
    except IndexError:
        return ""
    if isinstance(value, str):
        return value.strip() if c == 1 and rep == 0 else ""
    text = str(value)
    reps = text.split("~")
    if rep >= len(reps):
        return ""
    parts = reps[rep].split("^")
    return _unescape(parts[c - 1].strip()) if c - 1 < len(parts) else ""


def _repetitions(seg: Any, n: int) -> list[str]:
    text = _field(seg, n)
    return [r for r in text.split("~") if r.strip()] if text else []


_ESCAPES = {"\\F\\": "|", "\\S\\": "^", "\\T\\": "&", "\\R\\": "~", "\\.br\\": "\n"}


def _unescape(text: str) -> str:
    """HL7 escape sequences (\\F\\ \\S\\ \\T\\ \\R\\ \\.br\\, then \\E\\) as plain text."""
    for esc, plain in _ESCAPES.items():
        text = text.replace(esc, plain)
    return text.replace("\\E\\", "\\")


def _identifiers(seg: Any, n: int, element: str) -> list[Identifier]:
    out = []
    for rep in _repetitions(seg, n):
        parts = rep.split("^")
        value = parts[0].strip()
        if not value:
            continue
        # CX.4 is namespace&universal id&type: either part may name the authority
        hd = [x.strip() for x in parts[3].split("&")] if len(parts) > 3 else []
        authority = next((x for x in hd[:2] if x), "")
        kind = parts[4].strip() if len(parts) > 4 else ""
        universal = hd[1] if len(hd) > 1 else ""
        out.append(Identifier(_unescape(value), authority, kind, universal))
    return out


def _hl7_date(value: str, element: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(\d*)([.\d]*)([+-]\d{4})?", value)
    if not m:
        raise _Fault(element, f"{value!r} is not a full HL7 date (YYYYMMDD...)")
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise _Fault(element, f"{value!r} is not a valid date") from None
    if day.year < 1900 or day > date(2200, 1, 1):
        raise _Fault(element, f"{value!r} is not a plausible date")
    return day


def _patient(pid: Any) -> PatientPart:
    identifiers = _identifiers(pid, 3, "PID-3")
    if not identifiers:
        raise _Fault("PID-3", "is required: the patient identifier list is empty")
    family = _component(pid, 5, 1).split("&")[0]
    given = " ".join(x for x in (_component(pid, 5, 2), _component(pid, 5, 3)) if x)
    if not (family or given):
        raise _Fault("PID-5", "the patient needs a family or given name")
    birth = _hl7_date(_field(pid, 7), "PID-7")
    if birth and birth > date.today():
        raise _Fault("PID-7", f"{birth} is in the future")
    sex_code = _field(pid, 8).upper()
    if sex_code and sex_code not in SEXES:
        raise _Fault("PID-8", f"{sex_code!r} is not one of {', '.join(SEXES)}")
    language = _component(pid, 15, 1).lower()
    if not re.fullmatch(r"[a-z]{2}", language):
        language = ""
    deceased = _field(pid, 30).upper() == "Y" or bool(_field(pid, 29))
    return PatientPart(
        identifiers,
        family,
        given,
        birth,
        SEXES.get(sex_code, "unknown"),
        language or None,
        deceased,
    )


def _results(msg: Any, message: Message) -> None:
    obr: Any = None
    obr_no = obx_no = 0
    texts: list[str] = []

    def flush() -> None:
        if obr is not None and texts:
            _report_text(message, obr, obr_no, "\n".join(texts))
        texts.clear()

    for seg in msg:
        name = str(seg[0])
        if name == "OBR":
            flush()
            obr, obr_no, obx_no = seg, obr_no + 1, 0
        elif name == "OBX":
            obx_no += 1
            where = f"OBR {obr_no} / OBX {obx_no}"
            status = _field(seg, 11).upper()
            if status in VOID_RESULT_STATUS:
                message.skipped.append((where, f"result status {status}"))
                continue
            kind = _field(seg, 2).upper()
            if kind in NUMERIC_TYPES:
                _lab(message, obr, seg, where)
            elif kind in TEXT_TYPES and obr is not None:
                value = _field(seg, 5).replace("~", "\n")
                if value:
                    texts.append(_unescape(value))
            else:
                message.skipped.append((where, f"value type {kind or '(none)'} is not read"))
    flush()


def _lab(message: Message, obr: Any, obx: Any, where: str) -> None:
    code, system = _component(obx, 3, 1), _component(obx, 3, 3).upper()
    text = _component(obx, 3, 2)
    alt_code, alt_system = _component(obx, 3, 4), _component(obx, 3, 6).upper()
    loinc = code if system in LOINC_SYSTEMS else alt_code if alt_system in LOINC_SYSTEMS else ""
    name = k.LAB_LOINC.get(loinc)
    if name is None:
        known = {v.lower(): v for v in k.LAB_LOINC.values()}
        name = known.get(text.lower())
    if name is None:
        why = (
            f"LOINC {loinc} is not one of the tests the case holds"
            if loinc
            else ("not LOINC-coded and not named as a test the case holds")
        )
        message.skipped.append((where, f"{text or code}: {why}"))
        return
    raw = _component(obx, 5, 1) if _field(obx, 2).upper() == "NM" else _field(obx, 5)
    if _field(obx, 2).upper() == "SN":  # structured numeric: comparator^number
        parts = _field(obx, 5).split("^")
        if parts[0].strip():
            message.skipped.append((where, f"{name}: value with a comparator {parts[0]!r}"))
            return
        raw = parts[1] if len(parts) > 1 else ""
    try:
        value = float(raw)
    except ValueError:
        message.skipped.append((where, f"{name}: value {raw!r} is not a number"))
        return
    when = _hl7_date(_field(obx, 14), f"{where} OBX-14") or (
        _hl7_date(_field(obr, 7), "OBR-7") if obr is not None else None
    )
    if when is None:
        raise _Fault(f"{where} OBX-14", "a laboratory result needs a date (OBX-14 or OBR-7)")
    low = high = None
    rng = _field(obx, 7)
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*-\s*(-?[\d.]+)\s*", rng)
    if m:
        low, high = float(m.group(1)), float(m.group(2))
        if low > high:
            raise _Fault(f"{where} OBX-7", f"low {low:g} is above high {high:g}")
    unit = _component(obx, 6, 1) or None
    message.results.append(
        Result(
            "lab",
            where,
            lab=d.LabResult(date=when, test=name, value=value, unit=unit, low=low, high=high),
        )
    )


def _report_text(message: Message, obr: Any, obr_no: int, text: str) -> None:
    section = _field(obr, 24).upper()
    service = _component(obr, 4, 2) or _component(obr, 4, 1)
    when = _hl7_date(_field(obr, 7), "OBR-7")
    where = f"OBR {obr_no}"
    if when is None:
        raise _Fault(f"{where} OBR-7", "a report needs its observation date")
    key = f"hl7:{message.control_id}:OBR{obr_no}"
    words = f"{service} {section}"
    pathology = section in PATHOLOGY_SECTIONS or re.search(
        r"patholog|histolog|biops|cytolog", service, re.IGNORECASE
    )
    if pathology:
        note = f"{service}: {text}" if service else text
        message.results.append(Result("histology_note", where, text=note, when=when, key=key))
        return
    radiology = section in RADIOLOGY_SECTIONS or fm.modality_codes_from_text(words)
    if not radiology:
        message.skipped.append(
            (where, f"report {service or section!r} is neither imaging nor pathology")
        )
        return
    modality = fm.map_modality(fm.modality_codes_from_text(words), f"{words} {text}")
    if modality is None:
        note = f"{service}: {text}" if service else text
        message.results.append(Result("imaging_note", where, text=note, when=when, key=key))
        return
    study = d.ImagingStudy(date=when, modality=modality, region=service, summary=text.strip())
    message.results.append(Result("imaging", where, imaging=study))


# --- applying in the database ---------------------------------------------------------------


def _mrn(p: PatientPart, authority: str | None) -> str | None:
    """The identifier that is the MRN: the centre's assigning authority if set, else type MR."""
    if authority:
        found = [i for i in p.identifiers if authority.upper() in i.authorities]
        mr = [i for i in found if i.type in ("MR", "")]
        chosen = mr or found
        return chosen[0].value if chosen else None
    mr = [i for i in p.identifiers if i.type == "MR"]
    return (mr or p.identifiers)[0].value


def _authority(store: Store, options: ImportOptions) -> str | None:
    centre = store.get_setting("centre", {}) or {}
    return options.assigning_authority or centre.get("hl7_assigning_authority") or None


def _step(message: Message, file_report: FileReport) -> Any:
    """The import step of one message (runs inside the import's transaction)."""

    def run(store: Store, options: ImportOptions) -> list[str]:
        authority = _authority(store, options)
        if message.prior:
            return _merge(store, message, authority)
        p = message.patient
        mrn = _mrn(p, authority)
        name = f"{p.given} {p.family}".strip()
        report = PatientReport(mrn or "?", name, message.label, skipped=list(message.skipped))
        file_report.patients.append(report)
        if mrn is None:
            report.action = NOT_IMPORTED
            shown = ", ".join(
                f"{i.value}^{i.authority or '-'}^{i.type or '-'}" for i in p.identifiers
            )
            report.reason = (
                f"PID-3 has no identifier from assigning authority {authority} ({shown})"
            )
            return []
        if p.deceased and not options.include_deceased:
            report.action = NOT_IMPORTED
            report.reason = "the patient has died (PID-29/30); --include-deceased imports them"
            return []
        stored_id = store.find_case_by_mrn(mrn)
        if stored_id is None and not options.include_non_atc:
            report.action = NOT_IMPORTED
            report.reason = (
                "not in the database, and HL7 v2 carries no thyroid cancer diagnosis; "
                "--include-non-atc imports the patient"
            )
            return []
        stored = store.get_case(stored_id) if stored_id is not None else None
        case = _updated_case(stored, message, mrn, report)
        case_id, changed = store.import_case(case)
        report.case_id = case_id
        events = []
        for r in message.results:
            if r.kind in ("histology_note", "imaging_note"):
                kind = "histology" if r.kind == "histology_note" else "imaging"
                from mdt_app.exchange.records import add_note

                if add_note(
                    store,
                    case_id,
                    kind,
                    r.text,
                    source=f"HL7 v2 {message.label}",
                    source_key=r.key,
                    noted_on=r.when,
                ):
                    changed = True
                    events.append(f"{kind} note added to case {case_id} from {message.label}")
                report.mapped.append((f"{kind} note", r.source))
        report.action = CREATED if stored_id is None else UPDATED if changed else UNCHANGED
        if stored is not None and changed:
            from mdt_app.exchange.changes import case_changes

            report.changes = case_changes(stored, store.get_case(case_id))
        if options.meeting_id is not None:
            store.add_to_agenda(options.meeting_id, case_id)
        return events

    return run


def _updated_case(
    stored: d.Case | None, message: Message, mrn: str, report: PatientReport
) -> d.Case:
    p = message.patient
    patient = d.Patient(
        mrn=mrn,
        given_name=p.given,
        family_name=p.family,
        birth_date=p.birth_date,
        sex=p.sex,
        preferred_language=p.language or (stored.patient.preferred_language if stored else "en"),
    )
    demographics = message.type.startswith("ADT") or stored is None
    if stored is None:
        case = d.Case(patient=patient, diagnosis=d.Diagnosis(histology=None))
    elif demographics:
        case = replace(stored, patient=replace(patient, id=stored.patient.id))
    else:
        case = replace(stored)
    if demographics:
        for name in ("mrn", "given_name", "family_name", "birth_date", "sex"):
            report.mapped.append((f"patient.{name}", "PID"))
    labs = list(case.labs)
    imaging = list(case.imaging)
    for r in message.results:
        if r.lab is not None:
            labs.append(r.lab)
            report.mapped.append((f"labs: {r.lab.test}", r.source))
        elif r.imaging is not None:
            imaging.append(r.imaging)
            report.mapped.append((f"imaging: {r.imaging.modality}", r.source))
    return replace(case, labs=labs, imaging=imaging)


def _merge(store: Store, message: Message, authority: str | None) -> list[str]:
    """ADT^A40: the prior patient's cases move to the surviving patient (or it is renamed)."""
    surviving = _mrn(message.patient, authority)
    prior = _mrn(PatientPart(message.prior, "", "", None, "unknown", None, False), authority)
    if surviving is None or prior is None:
        return [
            f"{message.label}: merge skipped: no identifier from assigning authority {authority}"
        ]
    if prior == surviving:
        return [f"{message.label}: merge skipped: prior and surviving MRN are the same ({prior})"]
    old = store.query("SELECT id FROM patients WHERE mrn = ?", [prior])
    if not old:
        return [
            f"{message.label}: merge of {prior} into {surviving}: {prior} is not in the database"
        ]
    new = store.query("SELECT id FROM patients WHERE mrn = ?", [surviving])
    old_id = old[0]["id"]
    if not new:
        store.db.execute("UPDATE patients SET mrn = ? WHERE id = ?", [surviving, old_id])
        store.audit("merge_patients", "patient", old_id, {"from_mrn": prior, "to_mrn": surviving})
        return [f"{message.label}: MRN {prior} renamed {surviving} (A40 merge)"]
    new_id = new[0]["id"]
    moved = store.query("SELECT id FROM cases WHERE patient_id = ?", [old_id])
    store.db.execute("UPDATE cases SET patient_id = ? WHERE patient_id = ?", [new_id, old_id])
    store.db.execute("DELETE FROM patients WHERE id = ?", [old_id])
    store.audit(
        "merge_patients",
        "patient",
        new_id,
        {"from_mrn": prior, "to_mrn": surviving, "cases_moved": [r["id"] for r in moved]},
    )
    return [
        f"{message.label}: patient {prior} merged into {surviving}: "
        f"{len(moved)} case(s) moved, signed decisions kept with their cases"
    ]
