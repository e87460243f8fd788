"""`mdt-app search TEXT [--json]`: find cases by patient name fragment, MRN or birth date."""

from __future__ import annotations

import argparse
import sys

from mdt_app.commands._common import add_json_flag, print_rows, store_for
from mdt_app.commands.cases import COLUMNS
from mdt_app.search import DEFAULT_LIMIT, search_cases


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "search",
        parents=[common],
        help="find cases by patient name, MRN or birth date",
        description="Find cases by patient name fragments (case- and accent-insensitive: "
        "'dvorak' finds 'Dvořák'; every word must begin a word of the name), MRN prefix, "
        "or birth date (YYYY-MM-DD or DD.MM.YYYY). Same columns as 'mdt-app cases'; each "
        "case with its most recent meeting.",
    )
    p.add_argument("text", metavar="TEXT", help="name fragment(s), MRN (prefix) or birth date")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
                   help=f"at most N patients (default {DEFAULT_LIMIT})")  # fmt: skip
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        hits = search_cases(store, args.text, limit=max(1, args.limit))
    rows = [
        {
            "id": h.row.id,
            "mrn": h.row.mrn,
            "patient": h.row.patient,
            "birth_date": h.row.birth_date.isoformat() if h.row.birth_date else None,
            "stage": h.row.stage,
            "meeting_id": h.row.meeting_id,
            "position": h.row.position,
            "agenda_status": h.row.agenda_status,
            "decision_status": h.row.decision_status,
        }
        for h in hits
    ]
    print_rows(rows, COLUMNS, args.json)
    if not rows and not args.json:
        print(f"no case matches {args.text.strip()!r}", file=sys.stderr)
    return 0
