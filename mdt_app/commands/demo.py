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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = build_demo_database(paths.database_path(args.db))
    print(f"Demo database created: {path}")
    print(f"Open it with: mdt-app --db {path}")
    return 0
