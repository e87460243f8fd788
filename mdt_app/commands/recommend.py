"""`mdt-app recommend CASE.json [--json]`: stage a case and list the guideline options.

Needs no database. The JSON form is docs/recommend-json.md: one object for a file with
one case, a list of such objects for a file with several.
"""

from __future__ import annotations

import argparse
import json

from mdt_app.casefile import read_case_file
from mdt_app.guideline import load_pathway, recommend
from mdt_app.guideline.text import recommendation_text


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "recommend",
        parents=[common],
        help="stage a case file and print the guideline options (no database needed)",
        description="Stage the case in CASE.json (AJCC 8th) and list the ATC pathway's "
        "options: recommended, consider, not recommended and missing data, with the case "
        "facts behind each and its citations.",
    )
    p.add_argument("case_file", metavar="CASE.json", help="an mdt-case/1 file")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--guideline",
        metavar="PATH",
        help="evaluate against this pathway file instead of the shipped one (for review)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cases = read_case_file(args.case_file)
    pathway = load_pathway(args.guideline)
    results = [(case, recommend(case, pathway)) for case in cases]
    if args.json:
        data = [rec.as_dict() for _, rec in results]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    else:
        print(("\n\n" + "=" * 40 + "\n\n").join(recommendation_text(r, c) for c, r in results))
    return 0
