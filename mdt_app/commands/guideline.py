"""`mdt-app guideline show [--json] [--file PATH]` and `guideline diff OLD NEW`.

Prints every rule with its condition in words, the options it emits, its rationale and
citations: the listing a clinical safety officer reviews and signs off.
"""

from __future__ import annotations

import argparse
import json

from mdt_app.guideline import load_pathway
from mdt_app.guideline.text import pathway_dict, pathway_text


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "guideline",
        parents=[common],
        help="show the guideline pathway for review",
        description="Work with the guideline pathway (resources/guidelines/atc.yaml).",
    )
    actions = p.add_subparsers(dest="guideline_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        parents=[common],
        help="print every rule with its conditions, options and citations",
        description="Print every rule of the pathway with its conditions, the options it "
        "emits, its rationale and citations (checks the file's schema on the way).",
    )
    show.add_argument("--json", action="store_true", help="print the listing as JSON")
    show.add_argument(
        "--file", metavar="PATH", help="a pathway file to check and list (default: the shipped one)"
    )
    show.set_defaults(func=run_show)
    diff = actions.add_parser(
        "diff",
        parents=[common],
        help="list what changed between two pathway files or versions",
        description="Compare two pathways (files, or versions such as 1.0 and 2.0): settings, "
        "option codes and titles, rules added/removed/changed, citations. For the clinical "
        "safety officer's sign-off of a new pathway version.",
    )
    diff.add_argument("old", metavar="OLD", help="the earlier pathway: a version or a file")
    diff.add_argument("new", metavar="NEW", help="the later pathway: a version or a file")
    diff.add_argument("--json", action="store_true", help="print the comparison as JSON")
    diff.set_defaults(func=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    from mdt_app.guideline.diff import compare, diff_dict, diff_text, resolve

    result = compare(resolve(args.old), resolve(args.new))
    if args.json:
        print(json.dumps(diff_dict(result), indent=2, ensure_ascii=False, default=str))
    else:
        print(diff_text(result))
    return 0


def run_show(args: argparse.Namespace) -> int:
    pathway = load_pathway(args.file)
    if args.json:
        print(json.dumps(pathway_dict(pathway), indent=2, ensure_ascii=False))
    else:
        print(pathway_text(pathway))
    return 0
