"""`mdt-app meetings`: list meetings with their ids."""

from __future__ import annotations

import argparse

from mdt_app.commands._common import add_json_flag, print_rows, store_for

COLUMNS = ("id", "date", "title", "status", "chair", "cases")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "meetings",
        parents=[common],
        help="list meetings with their ids",
        description="List meetings, newest first: id, date, title, status, chair, cases.",
    )
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        counts = store.agenda_counts()
        rows = [
            {
                "id": m.id,
                "date": m.date.isoformat(),
                "title": m.title,
                "status": m.status,
                "chair": m.chair,
                "cases": counts.get(m.id or 0, 0),
            }
            for m in store.list_meetings()
        ]
    print_rows(rows, COLUMNS, args.json)
    return 0
