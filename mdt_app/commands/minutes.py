"""`mdt-app minutes MEETING_ID -o OUT.(pdf|docx|csv|json) [--pseudonymise]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from mdt_app.commands._common import store_for
from mdt_app.documents.minutes import FORMATS, export_minutes, format_for


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    kinds = "; ".join(f"{suffix} {what}" for suffix, (_, what) in FORMATS.items())
    p = sub.add_parser(
        "minutes",
        parents=[common],
        help="export the minutes of a meeting (PDF, DOCX, CSV or FHIR JSON)",
        description="Export the minutes of a meeting: every agenda item with its decision, "
        f"attendance, quorum and guideline concordance. Format by suffix: {kinds}. "
        "Each export is recorded in the audit log.",
    )
    p.add_argument("meeting_id", metavar="MEETING_ID", type=int, help="id from `mdt-app meetings`")
    p.add_argument("-o", "--output", metavar="OUT", type=Path, required=True, help="file to write")
    p.add_argument(
        "--pseudonymise",
        "--pseudonymize",
        action="store_true",
        help="replace patient names and MRNs by stable pseudonyms and leave out birth dates "
        "(for audit and registry work)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    format_for(args.output)  # refuse an unknown suffix before touching the database
    with store_for(args) as store:
        path = export_minutes(store, args.meeting_id, args.output, pseudonymise=args.pseudonymise)
    print(path)
    return 0
