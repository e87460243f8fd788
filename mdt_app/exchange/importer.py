"""Import files into the database, all or nothing, with a report (CLI and window alike).

    files = read_files(paths)            # every file checked; the database not yet opened
    report = apply_import(store, files, meeting_id=None,
                          include_non_atc=False, include_deceased=False)

Formats, told apart by content: mdt-case/1 JSON, FHIR R4 Bundles (JSON), HL7 v2 message
files (`hl7v2.py`) and an expert panel's reply (`panel.py`). Clinical gating (FHIR and
HL7 v2): a patient with no thyroid cancer diagnosis, or who has died, is not imported
unless the caller asks for them; the report says which and why. Case files are the app's
own format and are imported as they are.

One transaction for the whole import: if anything fails, nothing is written. The window
previews with ``apply_import(..., dry_run=True)`` (the same import, rolled back) and then
imports with ``expect=`` that preview, so what it shows is what the CLI would do.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.casefile import CaseFileError, case_to_dict, load_json_file, parse_document
from mdt_app.errors import UserError, ValidationError
from mdt_app.exchange.changes import case_changes
from mdt_app.exchange.report import (
    CREATED,
    NOT_IMPORTED,
    UNCHANGED,
    UPDATED,
    FileReport,
    ImportReport,
    PatientReport,
)

if TYPE_CHECKING:
    from mdt_app.store import Store
    from mdt_app.store.case_batch import CaseBatch

NON_ATC_OPTION = "--include-non-atc"
DECEASED_OPTION = "--include-deceased"


@dataclass
class Incoming:
    """One case a file offers, with what is needed to decide whether and how to import it."""

    case: d.Case
    report: PatientReport
    gated: bool = False  # apply the clinical gating (FHIR, HL7 v2)
    pseudonymised: bool = False  # a pseudonymised export's patient: never a real patient
    thyroid_cancer: bool = True
    deceased: bool = False
    # HL7 v2 carries only part of a case: build the case to store on the stored one (or None).
    merge: Callable[[d.Case | None], d.Case] | None = None
    # Run after the case is stored (notes); each returns a line for the report, or None.
    after: list[Callable[[Store, int], str | None]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportOptions:
    meeting_id: int | None = None
    include_non_atc: bool = False
    include_deceased: bool = False
    # HL7 v2: the PID-3 assigning authority whose identifier is the MRN (else the centre
    # setting ``hl7_assigning_authority``, else the identifier typed MR).
    assigning_authority: str | None = None


# A step that is not a ready case (an HL7 v2 message, an A40 merge, a panel reply): runs in
# file order inside the import's transaction, adds to the report itself; returns event lines.
Operation = Callable[["Store", ImportOptions], list[str]]


@dataclass
class FileImport:
    report: FileReport
    steps: list[Incoming | Operation] = field(default_factory=list)

    @property
    def incoming(self) -> list[Incoming]:
        return [s for s in self.steps if isinstance(s, Incoming)]


def read_files(paths: list[str | os.PathLike[str]]) -> list[FileImport]:
    """Read and check every file; CaseFileError (one line, naming the file) on the first fault."""
    return [read_file(p) for p in paths]


def read_file(path: str | os.PathLike[str]) -> FileImport:
    path = Path(path)
    where = str(path)
    if path.suffix.lower() != ".json":  # a .json file is never HL7 v2: its reader not loaded
        from mdt_app.exchange import hl7v2

        if hl7v2.looks_like_hl7(path):
            return hl7v2.read_hl7_file(path)
    data = load_json_file(path)
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        return _fhir(data, where)
    if isinstance(data, dict) and data.get("format") == "mdt-panel-reply/1":
        from mdt_app.exchange.panel import read_reply

        return read_reply(data, where)
    if isinstance(data, dict) and "resourceType" in data and "format" not in data:
        raise CaseFileError(
            f"{where}: is a FHIR {data['resourceType']!s:.40} resource, not a Bundle; "
            "import a Bundle (collection, transaction, document or searchset) that holds it"
        )
    cases = parse_document(data, where)
    out = FileImport(FileReport(where, "mdt-case/1"))
    for n, case in enumerate(cases, start=1):
        source = f"case {n}" if len(cases) > 1 else "case"
        given = case_to_dict(case)
        mapped = [(k, source) for k, v in given.items() if k != "format" and v not in (None, [])]
        report = PatientReport(case.patient.mrn, case.patient.display_name, source, mapped=mapped)
        out.report.patients.append(report)
        out.steps.append(Incoming(case, report))
    return out


def _fhir(data: dict, where: str) -> FileImport:
    from mdt_app.exchange.fhir_bundle import read_bundle

    bundle = read_bundle(data, where)
    out = FileImport(FileReport(where, "FHIR Bundle", unattributed=list(bundle.unattributed)))
    for p in bundle.patients:
        report = PatientReport(
            p.case.patient.mrn,
            p.case.patient.display_name,
            p.label,
            mapped=sorted(p.mapped.items()),
            skipped=list(p.skipped),
            notes=list(p.notes),
        )
        out.report.patients.append(report)
        out.steps.append(
            Incoming(
                p.case,
                report,
                gated=True,
                thyroid_cancer=p.thyroid_cancer,
                deceased=p.deceased,
                pseudonymised=p.pseudonymised,
            )
        )
    return out


class _Preview(Exception):
    """Raised inside the import's transaction to roll a dry run back."""


Progress = Callable[[int, int, str], None]  # (done, total, file being read or imported)


def apply_import(
    store: Store,
    files: list[FileImport],
    *,
    meeting_id: int | None = None,
    include_non_atc: bool = False,
    include_deceased: bool = False,
    assigning_authority: str | None = None,
    dry_run: bool = False,
    expect: ImportReport | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import what ``files`` offer in one transaction; the report says what became of each.

    ``dry_run``: do the whole import, then roll the transaction back, so the report says
    exactly what importing would do and nothing is written (the window's preview; the
    files' reports are filled in, so read the files again to import them). ``expect``:
    the preview the user confirmed; if the import would now do something else (a file or
    the database changed meanwhile) it is rolled back and refused.
    """
    options = ImportOptions(meeting_id, include_non_atc, include_deceased, assigning_authority)
    report = ImportReport([f.report for f in files], meeting_id, dry_run=dry_run)
    if meeting_id is not None:
        from mdt_app.meetings import check_can_queue

        check_can_queue(store.get_meeting(meeting_id))
    _refuse_conflicting_duplicates([i for f in files for i in f.incoming if i.merge is None])
    try:
        with store.atomic():
            batch = store.import_batch(meeting_id)
            if batch is not None:
                batch.expect([i.case for f in files for i in f.incoming])
            for n, f in enumerate(files):
                if progress:
                    progress(n, len(files), f.report.path)
                _file(store, f, options, batch)
            if batch is not None:
                batch.flush()
            if expect is not None and report.outcome() != expect.outcome():
                raise ValidationError(
                    "the files or the database changed since the report was made; nothing "
                    "was imported: check the files again"
                )
            if dry_run:
                raise _Preview
    except _Preview:
        pass
    if progress:
        progress(len(files), len(files), "")
    return report


def _file(
    store: Store, f: FileImport, options: ImportOptions, batch: CaseBatch | None = None
) -> None:
    for step in f.steps:
        if isinstance(step, Incoming) and batch is not None and _new_in_batch(step, batch, options):
            continue
        if batch is not None:  # the one-step way sees everything before it written
            batch.flush()
        _step(store, f, step, options)
        if batch is not None:
            batch.changed_elsewhere()


def _step(store: Store, f: FileImport, step: Incoming | Operation, options: ImportOptions) -> None:
    """One step the one-case way: an operation, or a case with what runs after it."""
    if not isinstance(step, Incoming):
        f.report.events.extend(step(store, options))
        return
    _one(store, step, options.meeting_id, options.include_non_atc, options.include_deceased)
    if step.report.case_id is not None:
        for after in step.after:
            line = after(store, step.report.case_id)
            if line:
                f.report.events.append(line)


def read_readable(
    paths: list[str | os.PathLike[str]], progress: Progress | None = None
) -> tuple[list[FileImport], list[tuple[str, str]]]:
    """Read each file; one that cannot be read is refused, with its one-line reason naming
    the file, case and field, and the others kept (the window lists the refusals and
    imports the rest, as the CLI would import those files)."""
    files, refused = [], []
    for n, path in enumerate(paths):
        if progress:
            progress(n, len(paths), str(path))
        try:
            files.append(read_file(path))
        except UserError as exc:
            refused.append((str(path), str(exc)))
    return files, refused


def import_files(
    store: Store,
    paths: list[str | os.PathLike[str]],
    *,
    meeting_id: int | None = None,
    include_non_atc: bool = False,
    include_deceased: bool = False,
    assigning_authority: str | None = None,
) -> ImportReport:
    """read_files + apply_import (the window's path: the store is already open).

    A bad file raises CaseFileError before anything is written; a failure while writing
    rolls the whole import back. The report says what became of every patient.
    """
    return apply_import(
        store,
        read_files(paths),
        meeting_id=meeting_id,
        include_non_atc=include_non_atc,
        include_deceased=include_deceased,
        assigning_authority=assigning_authority,
    )


def _new_in_batch(step: Incoming, batch: CaseBatch, options: ImportOptions) -> bool:
    """Import a case whose patient is certainly new through the batch (what `_one`
    would do for it, written with the others); False: `_one` decides."""
    gated_out = step.gated and (
        (step.deceased and not options.include_deceased)
        or (not step.thyroid_cancer and not options.include_non_atc)
    )
    if step.pseudonymised or step.merge is not None or step.after or gated_out:
        return False
    case_id = batch.add(step.case)
    if case_id is None:
        return False
    step.report.case_id = case_id
    step.report.action = CREATED
    return True


def _one(
    store: Store,
    step: Incoming,
    meeting_id: int | None,
    include_non_atc: bool,
    include_deceased: bool,
) -> None:
    r = step.report
    if step.pseudonymised:
        r.action = NOT_IMPORTED
        r.reason = "named only by a pseudonym (a pseudonymised export): not a patient record"
        return
    stored_id = store.find_case_by_mrn(step.case.patient.mrn, step.case.patient.identifier_system)
    if step.gated and step.deceased and not include_deceased:
        r.action = NOT_IMPORTED
        r.reason = f"the patient has died (Patient deceased); {DECEASED_OPTION} imports them"
        return
    # HL7 v2 never carries a diagnosis: its messages update patients already stored.
    known_hl7 = step.merge is not None and stored_id is not None
    if step.gated and not step.thyroid_cancer and not include_non_atc and not known_hl7:
        r.action = NOT_IMPORTED
        r.reason = (
            "no thyroid cancer diagnosis in the file"
            + ("" if stored_id is None else " (a Bundle without one would clear the stored one)")
            + f"; {NON_ATC_OPTION} imports the patient"
        )
        return
    case = step.case
    before = store.get_case(stored_id) if stored_id is not None else None
    if step.merge is not None:
        case = step.merge(before)
    case_id, changed = store.import_case(case)
    r.case_id = case_id
    r.action = CREATED if stored_id is None else UPDATED if changed else UNCHANGED
    if before is not None and changed:
        r.changes = case_changes(before, store.get_case(case_id))
    if meeting_id is not None:
        store.add_to_agenda(meeting_id, case_id)


def _refuse_conflicting_duplicates(incoming: list[Incoming]) -> None:
    """The same MRN twice in one batch with different content is ambiguous: refuse it."""
    seen: dict[str, d.Case] = {}
    for i in incoming:
        key = unicodedata.normalize("NFKC", i.case.patient.mrn).strip().casefold()
        # The content is compared only for an MRN met before (a thousand files, one each).
        if key in seen and case_to_dict(seen[key]) != case_to_dict(i.case):
            raise ValidationError(
                f"MRN {key} appears twice in this import with different data; "
                "import one version at a time"
            )
        seen[key] = i.case


def with_patient(stored: d.Case, patient: d.Patient) -> d.Case:
    """The stored case with new demographics (the stored row id kept)."""
    return replace(
        stored,
        patient=replace(
            patient, id=stored.patient.id, identifier_system=stored.patient.identifier_system
        ),
    )
