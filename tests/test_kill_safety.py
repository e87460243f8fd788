"""SIGKILL at any moment of a write (issue 11): the database is never corrupt, a batch is
all or nothing, and every committed change has its audit entry.

A child process (forked, so no interpreter start-up per kill) loops over one kind of
write - case imports in batches, draft saves, sign-offs, amendments - and is killed
after a random few milliseconds; the parent then opens the file (recovering the WAL,
which also runs the full check for an unclean shutdown) and checks it.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mdt_app import domain as d
from mdt_app.store import open_store
from tests import store_helpers as h

KILLS = int(os.environ.get("MDT_APP_KILLS", "200"))
BATCH = 4
OPERATIONS = ("import", "save", "sign", "amend")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")


def _writer(db: Path, operation: str, seed: int) -> None:
    """Write forever (until killed)."""
    rng = random.Random(seed)
    store = open_store(db, actor=f"writer-{operation}")
    meeting_id = store.list_meetings()[0].id or 0
    n = 0
    while True:
        n += 1
        tag = f"{seed}-{n}"
        if operation == "import":
            with store.atomic():  # one batch, as `mdt-app import` does it
                for k in range(BATCH):
                    case = h.valid_case()
                    case.patient.mrn = f"B{tag}-{k}"
                    case.ecog = rng.randint(0, 4)
                    store.import_case(case)
        elif operation == "save":
            draft = _a_draft(store, meeting_id)
            store.save_draft(replace(draft, plan_text=f"plan {tag} " + "x" * rng.randint(0, 3000)))
        elif operation == "sign":
            draft = _a_draft(store, meeting_id)
            store.sign_decision(draft.id or 0, "Dr Chair", version=draft.version)
        else:
            signed = next(
                (x for x in store.decisions_for_case(_case_id(store)) if x.is_signed), None
            )
            if signed is None or store.current_draft(signed.agenda_item_id) is not None:
                draft = _a_draft(store, meeting_id)
                store.sign_decision(draft.id or 0, "Dr Chair")
                continue
            amendment = store.start_amendment(signed.id or 0, f"reason {tag}")
            store.save_draft(replace(amendment, plan_text=f"amended {tag}"))


def _case_id(store) -> int:
    return store.case_ids()[0]


def _a_draft(store, meeting_id: int) -> d.Decision:
    """The open draft of some agenda item, or a new one on a new item."""
    for item in store.agenda(meeting_id):
        draft = store.current_draft(item.id or 0)
        if draft is not None:
            return draft
    case = h.valid_case()
    case.patient.mrn = f"S{time.monotonic_ns()}"
    case_id, _ = store.import_case(case)
    item = store.add_to_agenda(meeting_id, case_id)
    return store.save_draft(h.signable_draft(item))


def _check(db: Path) -> dict[str, int]:
    """Every invariant; returns counts for the report."""
    with open_store(db, actor="checker") as store:  # recovers the WAL; checks if unclean
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        batches: dict[str, int] = {}
        for (mrn,) in store.db.execute("SELECT mrn FROM patients WHERE mrn LIKE 'B%'"):
            batch = mrn.rsplit("-", 1)[0]
            batches[batch] = batches.get(batch, 0) + 1
        partial = {b: n for b, n in batches.items() if n != BATCH}
        assert not partial, f"half-written import batches: {partial}"
        audit_counts = {
            (entity, entity_id): n
            for entity, entity_id, n in store.db.execute(
                "SELECT entity, entity_id, count(*) FROM audit_log GROUP BY entity, entity_id"
            )
        }
        for table, entity in (
            ("cases", "case"),
            ("decisions", "decision"),
            ("agenda_items", "agenda_item"),
            ("meetings", "meeting"),
        ):
            for record_id, version in store.db.execute(f"SELECT id, version FROM {table}"):
                logged = audit_counts.get((entity, record_id), 0)
                assert logged == version, (
                    f"{entity} {record_id}: version {version} but {logged} audit entries"
                )
        for decision_id, snapshot in store.db.execute(
            "SELECT id, case_snapshot FROM decisions WHERE status = 'signed'"
        ):
            assert snapshot, f"signed decision {decision_id} has no case snapshot"
        return {"batches": len(batches)}


def test_sigkill_during_writes(tmp_path, benchmark_report):
    db = tmp_path / "kill.db"
    with open_store(db, actor="builder") as store:
        h.meeting_with_draft(store)
    rng = random.Random(11)
    corruptions = 0
    counts = {"batches": 0}
    for kill in range(KILLS):
        operation = OPERATIONS[kill % len(OPERATIONS)]
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: write until killed, never return into pytest
            code = 0
            try:
                _writer(db, operation, kill)
            except BaseException:  # noqa: BLE001 - report through the exit code only
                code = 3
            os._exit(code)
        time.sleep(rng.uniform(0.01, 0.1))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"the {operation} writer stopped by itself ({status})"
        try:
            counts = _check(db)
        except (AssertionError, sqlite3.DatabaseError):
            corruptions += 1
            raise
    with open_store(db) as store:
        signed = store.query("SELECT count(*) AS n FROM decisions WHERE status = 'signed'")[0]["n"]
        saves = len([e for e in store.audit_log() if e.action == "save_draft"])
        amendments = len([e for e in store.audit_log() if e.action == "start_amendment"])
    benchmark_report(
        f"SIGKILL: {KILLS} kills, {corruptions} corruptions, 0 partial batches "
        f"({counts['batches']} batches of {BATCH}), {signed} sign-offs, {saves} draft saves, "
        f"{amendments} amendments, every version matched by its audit entries"
    )
    assert signed > 0 and saves > 0 and amendments > 0 and counts["batches"] > 0


def test_the_check_itself_finds_a_change_without_its_audit_entry(tmp_path):
    db = tmp_path / "k.db"
    with open_store(db) as store:
        _, _, draft = h.meeting_with_draft(store)
        store.db.execute("UPDATE decisions SET version = version + 1 WHERE id = ?", [draft.id])
    with pytest.raises(AssertionError, match="audit entries"):
        _check(db)


def test_writer_runs_each_operation(tmp_path):
    """The writer loop itself works (so a kill lands in real writes, not in an error)."""
    db = tmp_path / "w.db"
    with open_store(db) as store:
        h.meeting_with_draft(store)
    for operation in OPERATIONS:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _writer(db, operation, 1)
            except BaseException:  # noqa: BLE001
                code = 3
            os._exit(code)
        time.sleep(0.4)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), operation
    _check(db)
    with open_store(db) as store:
        assert store.list_meetings()[0].date == date.today()
