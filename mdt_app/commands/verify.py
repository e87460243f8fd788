"""`mdt-app verify`: integrity, foreign keys, the audit chain and every signature."""

from __future__ import annotations

import argparse
import sys

from mdt_app.commands._common import store_for
from mdt_app.security.verify import verify_database


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "verify",
        parents=[common],
        help="check the database: integrity, foreign keys, audit chain, signed decisions",
        description="Checks SQLite integrity, foreign keys, the app's protective triggers, "
        "the audit hash chain and every signed decision against the hash recorded when "
        "it was signed. Exit 0 when sound; 1 with one line per fault.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        faults = verify_database(store.db, full=True)
        entries = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        signed = store.db.execute(
            "SELECT count(*) FROM decisions WHERE status = 'signed'"
        ).fetchone()[0]
    for fault in faults:
        print(fault)
    if faults:
        print(f"mdt-app: {len(faults)} fault(s) found in {store.path}", file=sys.stderr)
        return 1
    print(f"{store.path}: sound ({entries} audit entries chained, {signed} signed decisions match)")
    return 0
