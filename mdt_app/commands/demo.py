"""`mdt-app demo --db PATH`: create and seed a demo database without opening a window."""

from __future__ import annotations

import argparse

from mdt_app import paths
from mdt_app.demo import build_demo_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo",
        parents=[common],
        help="create a demo database of synthetic ATC meetings",
        description="Create a new database holding three demo meetings of synthetic ATC "
        "cases (clearly marked DEMO). Refuses to overwrite an existing file.",
    )
    p.add_argument(
        "--archive",
        type=_count,
        default=0,
        metavar="N",
        help="also add N synthetic past cases in closed weekly meetings (for scale tests)",
    )
    p.set_defaults(func=run)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{value} is outside 0 to 1000000")
    return value


def run(args: argparse.Namespace) -> int:
    path = build_demo_database(paths.database_path(args.db), archive=args.archive)
    print(f"Demo database created: {path}")
    if args.archive:
        print(f"With a synthetic archive of {args.archive} past cases")
    print(f"Open it with: mdt-app --db {path}")
    return 0
