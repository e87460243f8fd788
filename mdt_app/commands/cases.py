"""`mdt-app cases [--meeting ID]`: list cases with their ids."""

from __future__ import annotations

import argparse

from mdt_app.commands._common import add_json_flag, print_rows, store_for

COLUMNS = (
    "id",
    "mrn",
    "patient",
    "birth_date",
    "stage",
    "meeting_id",
    "position",
    "agenda_status",
    "decision_status",
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "cases",
        parents=[common],
        help="list cases with their ids",
        description="List cases: on one meeting's agenda in agenda order (--meeting), or "
        "every case with its most recent meeting.",
    )
    p.add_argument("--meeting", type=int, metavar="ID", help="only the cases on this meeting")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        rows = [
            {
                "id": r.id,
                "mrn": r.mrn,
                "patient": r.patient,
                "birth_date": r.birth_date.isoformat() if r.birth_date else None,
                "stage": r.stage,
                "meeting_id": r.meeting_id,
                "position": r.position,
                "agenda_status": r.agenda_status,
                "decision_status": r.decision_status,
            }
            for r in store.list_cases(args.meeting)
        ]
    print_rows(rows, COLUMNS, args.json)
    return 0
