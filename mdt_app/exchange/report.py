"""The import report: per file and per patient, what was created, updated or left out, and why.

`exchange.importer.import_files` returns an ImportReport; `mdt-app import` prints
`report.lines()`, the window shows the same lines (or walks the objects). Nothing here
touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CREATED, UPDATED, UNCHANGED, NOT_IMPORTED = "created", "updated", "unchanged", "not imported"


@dataclass
class PatientReport:
    """One patient (one case) of one file."""

    mrn: str
    name: str
    source: str  # where in the file: "case 1", "Bundle entry 1 (Patient pat-zoe)", "message 2"
    action: str = UNCHANGED  # created / updated / unchanged / not imported
    reason: str | None = None  # why not imported, and which option would import it
    case_id: int | None = None
    mapped: list[tuple[str, str]] = field(default_factory=list)  # (case field, from where)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (resource, why)
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # for an update: what changed, in words

    def as_dict(self) -> dict[str, Any]:
        return {
            "mrn": self.mrn,
            "name": self.name,
            "source": self.source,
            "action": self.action,
            "reason": self.reason,
            "case_id": self.case_id,
            "mapped": [{"field": f, "from": w} for f, w in self.mapped],
            "skipped": [{"resource": r, "why": w} for r, w in self.skipped],
            "notes": list(self.notes),
            "changes": list(self.changes),
        }


@dataclass
class FileReport:
    path: str
    format: str  # "mdt-case/1", "FHIR Bundle", "HL7 v2", "panel reply"
    patients: list[PatientReport] = field(default_factory=list)
    unattributed: list[tuple[str, str]] = field(default_factory=list)  # (resource, why)
    events: list[str] = field(default_factory=list)  # merges, notes added ...

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "patients": [p.as_dict() for p in self.patients],
            "not_attributed": [{"resource": r, "why": w} for r, w in self.unattributed],
            "events": list(self.events),
        }


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    meeting_id: int | None = None
    dry_run: bool = False  # a preview: done in a transaction that was rolled back
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, why) not read at all

    @property
    def patients(self) -> list[PatientReport]:
        return [p for f in self.files for p in f.patients]

    def count(self, action: str) -> int:
        return sum(p.action == action for p in self.patients)

    @property
    def imported(self) -> int:
        return sum(p.action != NOT_IMPORTED for p in self.patients)

    def summary(self) -> str:
        where = f" and queued on meeting {self.meeting_id}" if self.meeting_id is not None else ""
        changed = self.count(CREATED) + self.count(UPDATED)
        verb = "Would import" if self.dry_run else "Imported"
        text = (
            f"{verb} {self.imported} case(s){where}: {changed} new or updated, "
            f"{self.count(UNCHANGED)} unchanged."
        )
        left = self.count(NOT_IMPORTED)
        if left:
            text += f" {left} patient(s) not imported (each listed with the reason)."
        if self.refused:
            text += f" {len(self.refused)} file(s) refused (each listed with the reason)."
        if self.dry_run:
            text += " Nothing was written."
        return text

    def outcome(self) -> list[Any]:
        """What the import does, without case ids: a preview and the import it announced
        must agree on this."""
        return [
            (f.path, f.events, [(p.mrn, p.action, p.reason, p.changes) for p in f.patients])
            for f in self.files
        ]

    def lines(self, *, detail: bool = True) -> list[str]:
        """The report as text lines; ``detail`` adds each mapped field and skipped resource."""
        out: list[str] = [f"{path}: REFUSED: {why}" for path, why in self.refused]
        for f in self.files:
            out.append(f"{f.path} ({f.format}):")
            for p in f.patients:
                head = f"  {p.action.upper()}: {p.name or '(no name)'}, MRN {p.mrn} [{p.source}]"
                if p.case_id is not None:
                    head += f" -> case {p.case_id}"
                out.append(head)
                if p.reason:
                    out.append(f"    reason: {p.reason}")
                for change in p.changes:
                    out.append(f"    changed {change}")
                for note in p.notes:
                    out.append(f"    note: {note}")
                if detail:
                    for name, where in p.mapped:
                        out.append(f"    mapped {name} <- {where}")
                    for resource, why in p.skipped:
                        out.append(f"    skipped {resource}: {why}")
            for event in f.events:
                out.append(f"  {event}")
            if detail:
                for resource, why in f.unattributed:
                    out.append(f"  skipped {resource}: {why}")
        out.append(self.summary())
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "meeting_id": self.meeting_id,
            "dry_run": self.dry_run,
            "refused": [{"path": p, "why": w} for p, w in self.refused],
            "files": [f.as_dict() for f in self.files],
            "summary": self.summary(),
        }
