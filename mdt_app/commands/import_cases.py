"""`mdt-app import FILE... [--meeting ID]`: import case files, all or nothing, with a report."""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time

from mdt_app.commands._common import made_yet, store_for
from mdt_app.exchange.importer import apply_import, read_file
from mdt_app.security.cli_options import add_encrypted_option


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[common],
        help="import case files (mdt-case/1 JSON, FHIR R4 Bundles, HL7 v2 messages)",
        description="Import cases from mdt-case/1 JSON files (one case or a list of cases "
        "per file), FHIR R4 Bundles in JSON (one case per Patient; see docs/fhir-import.md), "
        "HL7 v2 message files (ADT, A40 merges, ORU results; see docs/hl7v2.md) or an "
        "expert panel's reply (mdt-panel-reply/1). Every file is checked first; if any is "
        "invalid nothing is imported. A patient whose MRN is already stored is updated, not "
        "duplicated: fields the file gives replace the stored ones (audited), fields it "
        "leaves out are kept, labs and imaging are merged; the same MRN on a different "
        "person is refused. A report says, per patient, what was created or updated, where each "
        "field came from and what was skipped and why.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="file(s) to import")
    add_encrypted_option(p)
    p.add_argument("--meeting", type=int, metavar="ID", help="also queue the cases on this meeting")
    p.add_argument(
        "--include-non-atc",
        action="store_true",
        help="also import FHIR / HL7 v2 patients with no thyroid cancer diagnosis",
    )
    p.add_argument(
        "--include-deceased", action="store_true", help="also import patients who have died"
    )
    p.add_argument(
        "--report",
        choices=("summary", "full", "json"),
        default="summary",
        help="summary: one line per patient (default); full: every field mapped and every "
        "resource skipped; json: the report as JSON on standard output",
    )
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
    # The import keeps every object it makes until it ends and makes no cyclic garbage:
    # the cyclic collector's passes over a thousand cases (some 30 ms) would free nothing.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    reading = Progress(len(args.files), "Checking files")
    files = []
    for n, path in enumerate(args.files, start=1):
        files.append(read_file(path))  # raises before the database is opened
        reading.step(n)
    reading.close()
    from mdt_app import paths
    from mdt_app.errors import NotFound

    location = paths.database_location(args.db)
    if args.meeting is not None and not made_yet(location):
        # Refused before the file (or the server's schema) is made: a refused command
        # creates no database.
        raise NotFound(f"no meeting with id {args.meeting} (there is no database yet)")
    with store_for(args, create=True) as store:
        writing = Progress(len(files), "Importing")
        # apply_import refuses a closed or cancelled meeting before writing anything.
        report = apply_import(
            store,
            files,
            meeting_id=args.meeting,
            include_non_atc=args.include_non_atc,
            include_deceased=args.include_deceased,
            progress=lambda done, total, path: writing.step(done),
        )
        writing.close()
    if args.report == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines(detail=args.report == "full")))
    return 0
