"""Writes wait for each other, then say so; stale edits are refused (issue 11, 2 and 3)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest

from mdt_app import domain as d
from mdt_app.errors import ConflictError, SignedDecisionError, StoreError
from mdt_app.store import open_store
from tests import store_helpers as h
from tests.conftest import FIXTURES

ROUNDS = 6


def backend_of(db: str) -> str:
    return "server" if str(db).startswith("postgresql://") else "file"


def _case_file(tmp_path, name: str, mrn: str):
    doc = json.loads((FIXTURES / "import" / "valid_case.json").read_text(encoding="utf-8"))
    doc["patient"]["mrn"] = mrn
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_import_waits_for_a_2_s_lock_held_by_another_program(tmp_path, db_location):
    db = db_location
    h.build_db(db)
    holder = h.worker(db)
    try:
        assert h.ask(holder, "hold 2", until="holding") == "holding"
        started = time.monotonic()
        importer = h.mdt_app("import", str(_case_file(tmp_path, "a.json", "W1")), "--db", str(db))
        out, err = importer.communicate(timeout=60)
        waited = time.monotonic() - started
        assert importer.returncode == 0, err
        assert "Imported 1 case" in out
        assert h.ask(holder, "ping") in ("ok", "error: unknown")  # the hold has ended
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert waited > 1.0  # it waited for the lock instead of failing at once
    with open_store(db) as store:
        assert store.find_case_by_mrn("W1") is not None


def test_past_the_busy_timeout_one_clear_message_and_nothing_written(tmp_path, db_location):
    db = db_location
    h.build_db(db)
    holder = h.worker(db)
    try:
        assert h.ask(holder, "hold 3", until="holding") == "holding"
        importer = h.mdt_app(
            "import",
            str(_case_file(tmp_path, "a.json", "W2")),
            "--db",
            str(db),
            extra_env={"MDT_APP_BUSY_TIMEOUT": "0.5"},
        )
        _, err = importer.communicate(timeout=60)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert importer.returncode == 1
    lines = err.splitlines()
    # A file: locked by another program; a server: busy with another user's change.
    assert len(lines) == 1 and "0.5 s" in lines[0], err
    assert "locked by another program" in lines[0] or "busy with another user" in lines[0]
    with open_store(db) as store:
        assert store.find_case_by_mrn("W2") is None


def test_busy_timeout_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("MDT_APP_BUSY_TIMEOUT", "1.5")
    with open_store(tmp_path / "a.db") as store:
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 1500
    with open_store(tmp_path / "a.db", busy_timeout=0.25) as store:
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 250


def test_every_write_transaction_is_begin_immediate(sqlite_store):
    store = sqlite_store
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    with store.atomic():
        store.audit("probe", "test", None)
    store.set_setting("x", 1)
    store.db.conn.set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins and all(s.upper() == "BEGIN IMMEDIATE" for s in begins), begins


def test_every_server_write_transaction_takes_the_writers_lock(pg_url):
    """On PostgreSQL a write queues behind any other writer, as BEGIN IMMEDIATE does."""
    from mdt_app.store.pg.dialect import WRITE_LOCK

    with open_store(pg_url, actor="a") as holder, open_store(pg_url, actor="b") as other:
        holder.busy_timeout = other.busy_timeout = 0.3
        done = threading.Event()
        with holder.atomic():
            holder.audit("probe", "test", None)
            locks = holder.query(
                "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'"
                " AND objid = ? AND granted",
                [WRITE_LOCK],
            )
            assert locks[0]["n"] == 1
            with pytest.raises(StoreError, match="busy"):
                other.set_setting("x", 1)  # waits 0.3 s for the holder, then one line
            done.set()
        other.set_setting("x", 1)  # the holder committed: the writer goes ahead
        assert other.get_setting("x") == 1 and done.is_set()


def test_two_importers_started_together_both_finish(tmp_path, new_db_factory, benchmark_report):
    failures = 0
    for round_ in range(ROUNDS):
        # A new file, or a server database without the schema: both may try to make it.
        db = new_db_factory(f"round{round_}")
        procs = [
            h.mdt_app("import", str(_case_file(tmp_path, f"{round_}-{i}.json", f"R{round_}-{i}")),
                      "--db", str(db))
            for i in range(2)
        ]  # fmt: skip
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            failures += proc.returncode != 0
            assert proc.returncode == 0, err
        with open_store(db) as store:
            assert len(store.case_ids()) == 2
    benchmark_report(
        f"concurrent importers ({backend_of(db)}): {ROUNDS} rounds, {failures} failures"
    )


# --- optimistic concurrency -----------------------------------------------------------------


@pytest.fixture
def two_windows(db_location):
    db = db_location
    _, item, draft = h.build_db(db)
    a, b = open_store(db, actor="alice"), open_store(db, actor="bob")
    yield a, b, item, draft
    a.close()
    b.close()


def test_stale_draft_save_is_refused_and_keeps_what_was_typed(two_windows):
    a, b, _, draft = two_windows
    mine = a.get_decision(draft.id)
    theirs = b.get_decision(draft.id)
    b.save_draft(replace(theirs, plan_text="Bob's plan", actions=[d.Action("Refer to RT")]))
    typed = replace(mine, plan_text="Alice's plan, typed carefully")
    with pytest.raises(ConflictError) as info:
        a.save_draft(typed)
    err = info.value
    assert err.changed_by == "bob" and err.stored_version == mine.version + 1
    assert set(err.changes) == {"plan_text", "actions"}
    assert err.changes["plan_text"] == {"stored": "Bob's plan", "yours": typed.plan_text}
    assert err.current.plan_text == "Bob's plan"
    assert "bob" in str(err) and "\n" not in str(err)
    assert typed.plan_text == "Alice's plan, typed carefully"  # nothing typed is lost
    assert a.get_decision(draft.id).plan_text == "Bob's plan"  # nothing was overwritten
    # After review, saving against the version now stored goes through (audited).
    saved = a.save_draft(replace(typed, version=err.stored_version))
    assert saved.plan_text == typed.plan_text
    entries = a.audit_log("decision", draft.id)
    assert [e.actor for e in entries if e.action == "save_draft"] == ["bob", "alice"]
    assert entries[-1].details["changes"]["plan_text"]["stored"] == "Bob's plan"


def test_two_new_drafts_for_one_item_the_second_is_refused(db_location):
    with open_store(db_location) as store:
        case_id, _ = store.import_case(h.valid_case())
        meeting = store.create_meeting(d.Meeting(date=d.date(2026, 1, 5), title="MDT"))
        item = store.add_to_agenda(meeting, case_id)
        store.save_draft(h.signable_draft(item, plan_text="first window"))
        with pytest.raises(ConflictError):
            store.save_draft(h.signable_draft(item, plan_text="second window"))
        assert store.current_draft(item.id).plan_text == "first window"


def test_sign_off_signs_exactly_the_version_seen(two_windows):
    a, b, _, draft = two_windows
    seen = a.get_decision(draft.id)
    emptied = b.get_decision(draft.id)
    b.save_draft(replace(emptied, chosen_options=[], plan_text=""))
    with pytest.raises(ConflictError):
        a.sign_decision(draft.id, "Dr Chair", version=seen.version)
    assert not a.get_decision(draft.id).is_signed


def test_sign_off_rules_are_checked_inside_the_signing_transaction(two_windows):
    a, b, _, draft = two_windows
    b.save_draft(replace(b.get_decision(draft.id), chosen_options=[]))
    with pytest.raises(Exception, match="cannot sign off"):
        a.sign_decision(draft.id, "Dr Chair")  # no version given: the rules still hold


def _race_to_sign(db, decision_id: int) -> list[str]:
    """Two chairs in two threads sign the same draft at the same moment."""
    barrier = threading.Barrier(2)
    outcome: list[str] = []

    def sign(actor: str) -> None:
        with open_store(db, actor=actor) as store:  # a store belongs to its thread
            barrier.wait()
            try:
                store.sign_decision(decision_id, actor)
                outcome.append("signed")
            except SignedDecisionError:
                outcome.append("refused")

    threads = [threading.Thread(target=sign, args=(f"chair{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcome


def test_concurrent_sign_off_exactly_one_wins(new_db_factory, benchmark_report):
    rounds, wins_total = 20, 0
    for round_ in range(rounds):
        db = new_db_factory(f"s{round_}")
        _, _, draft = h.build_db(db)
        outcome = _race_to_sign(db, draft.id or 0)
        assert sorted(outcome) == ["refused", "signed"], outcome
        wins_total += outcome.count("signed")
        with open_store(db) as store:
            signs = [
                e for e in store.audit_log("decision", draft.id) if e.action == "sign_decision"
            ]
            assert len(signs) == 1
    benchmark_report(
        f"concurrent sign-off ({backend_of(db)}): {rounds} rounds, {wins_total} winners, "
        "0 double signs"
    )


def test_second_sign_off_is_refused(store):
    _, _, draft = h.meeting_with_draft(store)
    store.sign_decision(draft.id, "Dr Chair")
    with pytest.raises(SignedDecisionError, match="already signed by Dr Chair"):
        store.sign_decision(draft.id, "Dr Other")


def test_stale_case_edit_is_refused_with_what_changed(two_windows):
    a, b, item, _ = two_windows
    mine = a.get_case(item.case_id)
    theirs = b.get_case(item.case_id)
    b.update_case(replace(theirs, ecog=3))
    with pytest.raises(ConflictError) as info:
        a.update_case(replace(mine, ecog=1))
    assert "ecog" in info.value.changes
    assert a.get_case(item.case_id).ecog == 3


def test_stale_meeting_and_agenda_saves_are_refused(two_windows):
    a, b, item, _ = two_windows
    meeting = a.get_meeting(item.meeting_id)
    b.edit_meeting(replace(b.get_meeting(item.meeting_id), location="Room 2"))
    with pytest.raises(ConflictError):
        a.edit_meeting(replace(meeting, location="Room 5"))
    seen = a.get_agenda_item(item.id)
    b.set_agenda_status(item.id, "not_discussed", "no time")
    with pytest.raises(ConflictError):
        a.set_agenda_status(item.id, "queued", None, version=seen.version)


def test_amendment_and_its_audit_entry_are_one_transaction(store, monkeypatch):
    _, _, draft = h.meeting_with_draft(store)
    signed = store.sign_decision(draft.id, "Dr Chair")
    real_audit = store.core.audit  # the repositories' audit log is the core's

    def failing_audit(action, *args, **kwargs):
        if action == "start_amendment":
            raise StoreError("disk full")
        return real_audit(action, *args, **kwargs)

    monkeypatch.setattr(store.core, "audit", failing_audit)
    with pytest.raises(StoreError):
        store.start_amendment(signed.id, "new imaging")
    assert store.current_draft(signed.agenda_item_id) is None  # no draft without its entry


def test_every_change_of_a_draft_is_audited(store):
    _, _, draft = h.meeting_with_draft(store)
    for text in ("one", "two", "three"):
        draft = store.save_draft(replace(draft, plan_text=text))
    store.save_draft(draft)  # nothing changed: nothing written
    entries = store.audit_log("decision", draft.id)
    assert [e.action for e in entries] == ["create_draft", "save_draft", "save_draft", "save_draft"]
    assert draft.version == len(entries)
    assert entries[-1].details["changes"]["plan_text"] == {"stored": "two", "yours": "three"}
