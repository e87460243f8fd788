"""Another program on the same database, driven line by line over stdin (tests only).

`python -m tests.store_worker DB` opens one store and keeps it open, like the window.
Commands: `export MEETING PATH` (minutes through a second store in the same process,
as the window's export worker does), `sign DECISION`, `save DECISION TEXT`, `hold
SECONDS` (keep the write lock, printing "holding" once it has it). Each answers "ok" or
"error: ..." on one line.
"""

from __future__ import annotations

import sys
import time


def main(db: str) -> int:
    from mdt_app.errors import UserError
    from mdt_app.store import open_store

    window = open_store(db, actor="window")
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.strip().split(maxsplit=2)
        try:
            if command == "export":
                from mdt_app.documents.minutes import export_minutes

                with open_store(db, actor="export-worker") as worker:
                    export_minutes(worker, int(args[0]), args[1])
            elif command == "sign":
                window.sign_decision(int(args[0]), "Dr Chair")
            elif command == "save":
                draft = window.get_decision(int(args[0]))
                draft.plan_text = args[1]
                window.save_draft(draft)
            elif command == "hold":
                with window.atomic():
                    window.db.execute("UPDATE settings SET value = value WHERE 1 = 0")
                    window.db.execute(
                        "INSERT INTO settings (key, value) VALUES ('held', '1')"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                    )
                    print("holding", flush=True)
                    time.sleep(float(args[0]))
            print("ok", flush=True)
        except UserError as exc:
            print(f"error: {exc}", flush=True)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
