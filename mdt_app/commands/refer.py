"""`mdt-app refer CASE_ID -o DIR [--question TEXT]`: pseudonymised case for an expert panel."""

from __future__ import annotations

import argparse
from pathlib import Path

from mdt_app.commands._common import store_for


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "refer",
        parents=[common],
        help="write a pseudonymised case summary (PDF + JSON) for an ERN expert panel",
        description="Write a pseudonymised summary of the case for a European Reference "
        "Network expert panel into DIR: history, stage with its basis, biomarkers, labs and "
        "imaging, the question for the panel and the local MDT's options, as PDF and JSON "
        "(mdt-panel-referral/1). Refused unless consent to discussion is recorded as given. "
        "The pseudonym is kept so that the panel's reply (mdt-panel-reply/1) can be "
        "imported back onto the case with `mdt-app import REPLY.json`.",
    )
    p.add_argument("case_id", metavar="CASE_ID", type=int, help="id from `mdt-app cases`")
    p.add_argument("-o", "--output", metavar="DIR", type=Path, required=True, help="folder")
    p.add_argument(
        "--question",
        metavar="TEXT",
        help="the question for the panel (default: the case's referral question)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from mdt_app.exchange.panel import refer_case

    with store_for(args) as store:
        question = args.question
        if question is None:
            question = store.get_case(args.case_id).referral.question or ""
        for path in refer_case(store, args.case_id, args.output, question):
            print(path)
    return 0
