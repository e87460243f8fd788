"""`mdt-app care-programme CASE_ID -o OUT.pdf [--large-print] [--letter] [--draft]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mdt_app.commands._common import store_for
from mdt_app.documents.care_programme import (
    NoSignedDecision,
    check_before_printing,
    make_care_programme,
    save_care_programme,
)
from mdt_app.errors import UserError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "care-programme",
        parents=[common],
        help="write a patient's Personalized Care Programme (PDF)",
        description="Write the patient's Personalized Care Programme for the case's latest "
        "signed decision: the team's recommendations in plain language, next steps, "
        "contacts, check-ups and what to watch for. Each programme written is recorded "
        "in the audit log.",
    )
    p.add_argument("case_id", metavar="CASE_ID", type=int, help="id from `mdt-app cases`")
    p.add_argument("-o", "--output", metavar="OUT", type=Path, required=True, help="PDF to write")
    p.add_argument(
        "--large-print", action="store_true", help="large print (16 pt text) for low vision"
    )
    p.add_argument("--letter", action="store_true", help="US Letter paper instead of A4")
    p.add_argument(
        "--draft",
        action="store_true",
        help="if the decision is not signed yet, preview its draft, marked "
        '"DRAFT - not validated" on every page',
    )
    p.add_argument("--decision", type=int, metavar="ID", help="a particular decision of the case")
    p.add_argument(
        "--language",
        metavar="LANG",
        help="language of the programme (en, fr, de); default: the patient's preferred language",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() != ".pdf":
        raise UserError(f"{args.output}: the care programme is a PDF; name the file *.pdf")
    with store_for(args) as store:
        try:
            built = make_care_programme(
                store,
                args.case_id,
                decision_id=args.decision,
                large_print=args.large_print,
                page_size="Letter" if args.letter else "A4",
                allow_draft=args.draft,
                language=args.language,
            )
        except NoSignedDecision as exc:
            if exc.has_draft:
                raise UserError(f"{exc}, or use --draft to preview") from None
            raise
        path = save_care_programme(store, built, args.output)
        # Written: now say what the nurse should check before handing it over.
        for warning in check_before_printing(
            store, args.case_id, built.decision_id, built.language
        ):
            print(f"mdt-app: check: {warning}", file=sys.stderr)
    print(path)
    return 0
