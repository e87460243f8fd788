"""Import with a preview: read and check every file, say what importing would do (cases
created, patients updated and what changed, items skipped and why) without writing;
then, once the user confirms, write it all in one transaction.

The files are read by `mdt_app.exchange.read_cases`, the reader `mdt-app import` uses,
and written by `Store.import_case`, so the window and the CLI import alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.casefile import case_to_dict
from mdt_app.errors import UserError

if TYPE_CHECKING:
    from mdt_app.store import Store

NEW_PATIENT, UPDATE, UNCHANGED = "new_patient", "update", "unchanged"


@dataclass
class PlannedCase:
    """One case of a file and what importing it would do."""

    file: str
    case: d.Case
    action: str  # NEW_PATIENT, UPDATE or UNCHANGED
    changes: list[str] = field(default_factory=list)  # in words, for the report

    @property
    def patient(self) -> str:
        return f"{self.case.patient.display_name} (MRN {self.case.patient.mrn})"


@dataclass(frozen=True)
class Skipped:
    file: str
    what: str  # the file, or the case in it
    reason: str


@dataclass
class ImportPlan:
    files: list[str]
    cases: list[PlannedCase] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def of(self, action: str) -> list[PlannedCase]:
        return [c for c in self.cases if c.action == action]

    @property
    def to_write(self) -> list[PlannedCase]:
        return [c for c in self.cases if c.action != UNCHANGED]

    def summary(self) -> str:
        return (
            f"{len(self.of(NEW_PATIENT))} new patient(s), {len(self.of(UPDATE))} updated, "
            f"{len(self.of(UNCHANGED))} unchanged, {len(self.skipped)} skipped"
        )


Progress = Callable[[int, int, str], None]


def plan_import(
    store: Store, paths: Sequence[str | Path], progress: Progress | None = None
) -> ImportPlan:
    """What importing ``paths`` would do; nothing is written. A file that cannot be read
    or breaks the case format is skipped whole, with the reason (file, case, field)."""
    from mdt_app.exchange import read_cases

    plan = ImportPlan([str(p) for p in paths])
    seen: dict[str, tuple[str, dict]] = {}
    for n, path in enumerate(paths, start=1):
        name = str(path)
        if progress:
            progress(n - 1, len(paths), name)
        try:
            cases = read_cases(path)
        except UserError as exc:
            plan.skipped.append(Skipped(name, Path(name).name, str(exc)))
            continue
        for case in cases:
            mrn = case.patient.mrn.strip()
            content = case_to_dict(case)
            if mrn in seen:
                first_file, first = seen[mrn]
                if first != content:
                    plan.skipped.append(
                        Skipped(name, f"MRN {mrn}", f"MRN {mrn} is also in {first_file} "
                                "with different data; import one version at a time")
                    )  # fmt: skip
                continue
            seen[mrn] = (name, content)
            plan.cases.append(_planned(store, name, case))
    if progress:
        progress(len(paths), len(paths), "")
    return plan


def _planned(store: Store, name: str, case: d.Case) -> PlannedCase:
    known = store.patient_by_mrn(case.patient.mrn)
    if known is None:
        return PlannedCase(name, case, NEW_PATIENT, ["new patient and case"])
    changes = []
    for key, label in (("given_name", "given name"), ("family_name", "family name"),
                       ("birth_date", "birth date"), ("sex", "sex"),
                       ("preferred_language", "language")):  # fmt: skip
        old, new = getattr(known, key), getattr(case.patient, key)
        if old != new:
            changes.append(f"{label}: {_show(old)} → {_show(new)}")
    case_id = store.find_case_by_mrn(case.patient.mrn)
    if case_id is not None:
        before = case_to_dict(store.get_case(case_id))
        after = case_to_dict(case)
        for key in sorted(set(before) | set(after)):
            if key in ("patient", "imaging", "labs", "format"):
                continue
            if before.get(key) != after.get(key):
                changes.append(f"{key}: {_brief(before.get(key))} → {_brief(after.get(key))}")
        for key, label in (("imaging", "imaging studies"), ("labs", "lab results")):
            had = {repr(sorted(e.items())) for e in before.get(key, [])}
            new_entries = [e for e in after.get(key, []) if repr(sorted(e.items())) not in had]
            if new_entries:
                changes.append(f"{len(new_entries)} new {label}")
    return PlannedCase(name, case, UPDATE if changes else UNCHANGED, changes)


def _show(value: object) -> str:
    return "—" if value in (None, "") else str(value)


def _brief(value: object) -> str:
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v not in (None, [], "")}
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "—"
    text = _show(value)
    return text if len(text) <= 60 else text[:57] + "…"


def apply_import(store: Store, plan: ImportPlan, meeting_id: int | None = None) -> list[int]:
    """Write the plan's cases (all or nothing) and queue them on ``meeting_id``; the ids
    of every case in the plan (unchanged ones are queued too)."""
    if meeting_id is not None:
        from mdt_app.meetings import check_can_queue

        check_can_queue(store.get_meeting(meeting_id))
    ids = []
    with store.atomic():
        for planned in plan.cases:
            if planned.action == UNCHANGED:
                case_id = store.find_case_by_mrn(planned.case.patient.mrn)
                assert case_id is not None
            else:
                case_id, _changed = store.import_case(planned.case)
            ids.append(case_id)
            if meeting_id is not None:
                store._add_to_agenda(meeting_id, case_id)
    return ids
