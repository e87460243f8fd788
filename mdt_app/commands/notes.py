"""`mdt-app notes CASE_ID [--json]`: a case's notes (HL7 v2 report text, expert panel replies)."""

from __future__ import annotations

import argparse
import json

from mdt_app.commands._common import store_for


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "notes",
        parents=[common],
        help="list a case's notes (pathology/imaging report text, expert panel replies)",
        description="List the notes imported onto a case, oldest first: pathology and "
        "imaging report text from HL7 v2 results and expert panel replies. A header line, "
        "then one note per line, tab-separated: date, kind, source, text.",
    )
    p.add_argument("case_id", metavar="CASE_ID", type=int, help="id from `mdt-app cases`")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from mdt_app.exchange.records import notes

    with store_for(args) as store:
        store.get_case(args.case_id)  # NotFound for an unknown id
        found = notes(store, args.case_id)
    rows = [
        {
            "date": n.noted_on.isoformat() if n.noted_on else None,
            "kind": n.kind,
            "source": n.source,
            "text": n.text,
            "recorded_by": n.created_by,
        }
        for n in found
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print("date\tkind\tsource\ttext")
    for r in rows:
        text = " ".join(str(r["text"]).split())
        print(f"{r['date'] or ''}\t{r['kind']}\t{r['source']}\t{text}")
    return 0
