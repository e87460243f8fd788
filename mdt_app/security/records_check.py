"""The window's check of the records on open (`verify_database(full=False)`: triggers,
audit chain, every signature), sized to the database.

On a large database the check re-hashes every audit entry and every signed decision:
about 25 s of pure Python at 100,000 cases. On a thread of the window's own process it
would hold the interpreter lock that whole time and the window would hardly paint. So
past `CHILD_PROCESS_FROM` audit entries it runs in a separate Python process at a lower
priority: the same check, entry by entry, while the window stays responsive. Closing
the window stops it (`stop_checks`). A frozen bundle has no `python -m`: there the
check runs on the calling thread, as for a small database.

    python -m mdt_app.security.records_check DB   (passphrase, if any, on stdin)
    python -m mdt_app.security.records_check --server   (the team server's URL on stdin)

prints the faults as a JSON list. A team server's URL may hold a password, so it goes
over the pipe, never in the arguments (which every user of the computer can read).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from mdt_app.errors import StoreError
from mdt_app.paths import ServerURL
from mdt_app.security import session_keys
from mdt_app.security.verify import verify_database

# Below this many audit entries the check takes well under a second: no process started.
CHILD_PROCESS_FROM = 5_000

_running: set[subprocess.Popen[str]] = set()
_lock = threading.Lock()


class CheckStopped(StoreError):
    """The check was stopped before it finished (the window closed)."""


def records_faults(path: Path | ServerURL) -> list[str]:
    """Every fault the fast check finds in the database at ``path``, a file or a team
    server (empty: sound). Blocks until done; call it from a worker thread."""
    from mdt_app.store import open_store

    with open_store(path, create=False) as store:
        entries = store.db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
        if entries < CHILD_PROCESS_FROM or getattr(sys, "frozen", False):
            return verify_database(store.db, full=False)
    return _in_child(path)


def _in_child(path: Path | ServerURL) -> list[str]:
    command = [sys.executable, "-m", "mdt_app.security.records_check"]
    if isinstance(path, ServerURL):
        command.append("--server")
        secret = path.url  # over the pipe, never in argv
    else:
        command.append(str(path))
        secret = session_keys.passphrase_for(path) or ""
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    with _lock:
        _running.add(child)
    try:
        out, err = child.communicate(secret)
    finally:
        with _lock:
            _running.discard(child)
    if child.returncode < 0:
        raise CheckStopped(f"{path}: the records check was stopped before it finished")
    if child.returncode != 0:
        lines = err.strip().splitlines()
        raise StoreError(lines[-1] if lines else f"{path}: the records check failed")
    faults: list[str] = json.loads(out)
    return faults


def stop_checks() -> None:
    """Stop every check still running in a child process (the window is closing)."""
    with _lock:
        children = list(_running)
    for child in children:
        child.terminate()


def main(argv: list[str]) -> int:
    """The child: the check of ``argv[0]``, the faults as JSON on stdout."""
    from mdt_app.store import open_store

    if hasattr(os, "nice"):
        os.nice(10)  # the window comes first on a busy machine
    secret = sys.stdin.read() or None
    location: Path | ServerURL = Path(argv[0])
    if argv[0] == "--server":
        location, secret = ServerURL(secret or ""), None
    try:
        with open_store(location, create=False, passphrase=secret) as store:
            faults = verify_database(store.db, full=False)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps(faults))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
