"""`mdt-app import FILE... [--meeting ID]`: import case files, all or nothing."""

from __future__ import annotations

import argparse
import sys
import time

from mdt_app import domain as d
from mdt_app.commands._common import store_for
from mdt_app.exchange import read_cases


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[common],
        help="import case files (mdt-case/1 JSON or FHIR R4 Bundles)",
        description="Import cases from mdt-case/1 JSON files (one case or a list of cases "
        "per file) or FHIR R4 Bundles in JSON (one case per Patient; see docs/fhir-import.md). "
        "Every file is checked first; if any case is invalid nothing is imported. "
        "A patient whose MRN is already stored is updated, not duplicated.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="case file(s) to import")
    p.add_argument("--meeting", type=int, metavar="ID", help="also queue the cases on this meeting")
    p.set_defaults(func=run)


class Progress:
    """A progress line on stderr, shown only once an import takes more than a moment."""

    def __init__(self, total: int, label: str, after_seconds: float = 0.5):
        self.total, self.label = total, label
        self.started = time.monotonic()
        self.after = after_seconds
        self.shown = False

    def step(self, done: int) -> None:
        if time.monotonic() - self.started < self.after:
            return
        self.shown = True
        end = "\r" if sys.stderr.isatty() else "\n"
        if sys.stderr.isatty() or done == self.total or done % 100 == 0:
            print(f"{self.label}: {done}/{self.total}", end=end, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown and sys.stderr.isatty():
            print(file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    cases: list[d.Case] = []
    reading = Progress(len(args.files), "Checking files")
    for n, path in enumerate(args.files, start=1):
        cases.extend(read_cases(path))  # raises before the database is opened
        reading.step(n)
    reading.close()
    _refuse_conflicting_duplicates(cases)
    with store_for(args, create=True) as store:
        if args.meeting is not None:
            from mdt_app.meetings import check_can_queue

            check_can_queue(store.get_meeting(args.meeting))
        progress = Progress(len(cases), "Importing cases")
        changed = 0
        with store.atomic():
            for n, case in enumerate(cases, start=1):
                case_id, did_change = store.import_case(case)
                changed += did_change
                if args.meeting is not None:
                    store.add_to_agenda(args.meeting, case_id)
                progress.step(n)
        progress.close()
    where = f" and queued on meeting {args.meeting}" if args.meeting is not None else ""
    print(
        f"Imported {len(cases)} case(s){where}: {changed} new or updated, "
        f"{len(cases) - changed} unchanged."
    )
    return 0


def _refuse_conflicting_duplicates(cases: list[d.Case]) -> None:
    """The same MRN twice in one batch with different content is ambiguous: refuse it."""
    from mdt_app.casefile import case_to_dict
    from mdt_app.errors import ValidationError

    seen: dict[str, dict] = {}
    for case in cases:
        key = case.patient.mrn.strip()
        content = case_to_dict(case)
        if key in seen and seen[key] != content:
            raise ValidationError(
                f"MRN {key} appears twice in this import with different data; "
                "import one version at a time"
            )
        seen[key] = content
