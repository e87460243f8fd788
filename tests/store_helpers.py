"""Building small databases and driving other processes for the store tests."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg

from mdt_app import domain as d
from mdt_app.casefile import read_case_file
from mdt_app.store import Store, open_store
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent

# What the database itself raises when its triggers refuse a raw statement, on either
# backend (SQLite's RAISE(ABORT), PostgreSQL's integrity_constraint_violation).
REFUSED_BY_DATABASE = (sqlite3.IntegrityError, psycopg.IntegrityError)


def row_count(store: Store, table: str) -> int:
    """How many rows ``table`` holds (either backend)."""
    return int(store.query(f"SELECT count(*) AS n FROM {table}")[0]["n"])


def valid_case() -> d.Case:
    return read_case_file(FIXTURES / "import" / "valid_case.json")[0]


def signable_draft(item: d.AgendaItem, **changes) -> d.Decision:
    values = dict(
        case_id=item.case_id,
        agenda_item_id=item.id,
        chosen_options=["SURGERY_R0R1"],
        guideline_id="atc",
        guideline_version="test-1",
        options_snapshot={"recommended": [{"code": "SURGERY_R0R1"}], "not_recommended": []},
        plan_text="Resection next week",
    )
    values.update(changes)
    return d.Decision(**values)


def meeting_with_draft(store: Store) -> tuple[int, d.AgendaItem, d.Decision]:
    """A meeting, the valid case on its agenda and a draft ready to sign."""
    case_id, _ = store.import_case(valid_case())
    # Today, and quorate: sign-off needs no recorded exception.
    meeting_id = store.create_meeting(d.Meeting(date=date.today(), title="ATC MDT"))
    store.set_attendance(
        meeting_id,
        [
            d.Attendee("Dr Surgeon", "surgeon"),
            d.Attendee("Dr Oncologist", "medical oncologist"),
            d.Attendee("Dr Radiologist", "radiologist"),
        ],
    )
    item = store.add_to_agenda(meeting_id, case_id)
    return meeting_id, item, store.save_draft(signable_draft(item))


def build_db(path: Path) -> tuple[int, d.AgendaItem, d.Decision]:
    with open_store(path, actor="builder") as store:
        return meeting_with_draft(store)


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = str(ROOT) + os.pathsep + out.get("PYTHONPATH", "")
    return out


def worker(db: Path) -> subprocess.Popen:
    """A `tests.store_worker` process on ``db`` (it has printed "ready")."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.store_worker", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env(),
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def ask(proc: subprocess.Popen, line: str, until: str = "ok") -> str:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    while True:
        answer = proc.stdout.readline().strip()
        if answer == until or answer.startswith("error"):
            return answer


def mdt_app(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mdt_app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**env(), **(extra_env or {})},
    )
