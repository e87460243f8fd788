"""The audit chain and signature hashes: every tampering trick with plain sqlite3 that
issue 15 measured is either refused by the schema or reported by `mdt-app verify`.
The same tricks by a superuser on a team server: tests/test_tamper_evidence_server.py."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mdt_app.cli import main
from mdt_app.security.audit_chain import GENESIS, short
from mdt_app.store import open_store, schema
from tests import backend_helpers


def verify(capsys, db: Path) -> tuple[int, list[str]]:
    code = main(["verify", "--db", str(db)])
    out, _ = capsys.readouterr()
    return code, out.splitlines()


def raw(db: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection, as an attacker with the file would use."""
    return sqlite3.connect(str(db), isolation_level=None)


def forge_by_replace(conn: sqlite3.Connection, decision: int) -> None:
    """The REPLACE trick: a rewritten copy of the signed row replaces it (REPLACE deletes
    the old row without firing a delete trigger)."""
    conn.execute("CREATE TEMP TABLE forged AS SELECT * FROM decisions WHERE id = ?", [decision])
    conn.execute("UPDATE forged SET plan_text = 'Forged plan', signed_by = 'Prof. Anybody'")
    conn.execute("REPLACE INTO decisions SELECT * FROM forged")


def signed_id(db: Path) -> int:
    with raw(db) as conn:
        return conn.execute("SELECT min(id) FROM decisions WHERE status = 'signed'").fetchone()[0]


def test_untouched_demo_verifies(demo_db, capsys):
    code, lines = verify(capsys, demo_db)
    assert code == 0, lines
    assert "sound" in lines[-1]


def test_every_entry_is_chained_and_sign_offs_hold_a_hash(demo_store):
    entries = demo_store.query("SELECT * FROM audit_log ORDER BY id")
    assert entries[0]["prev_hash"] == GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after["prev_hash"] == before["entry_hash"]
    signs = [e for e in entries if e["action"] == "sign_decision"]
    assert signs and all(len(e["signed_hash"]) == 64 for e in signs)
    details = json.loads(signs[0]["details"])
    assert details["meaning"] == "approved as the MDT decision"
    assert isinstance(details["attendance"], list) and details["attendance"]


def test_drop_trigger_then_edit_audit_entry_is_reported(demo_file, capsys):
    conn = raw(demo_file)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'dr.consultant' WHERE id = 3")
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert any("trigger audit_log_no_update: missing" in line for line in lines)
    assert any(line.startswith("audit entry 3: content does not match") for line in lines)


def test_insert_or_replace_rewriting_actors_is_refused(demo_file):
    conn = raw(demo_file)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(
            "INSERT OR REPLACE INTO audit_log SELECT id, at, 'forger', action, entity,"
            " entity_id, details, role, authenticated, signed_hash, prev_hash, entry_hash, db_user"
            " FROM audit_log"
        )
    assert conn.execute("SELECT count(*) FROM audit_log WHERE actor = 'forger'").fetchone() == (0,)


def test_insert_or_replace_rewriting_actors_with_triggers_dropped_is_reported(demo_file, capsys):
    conn = raw(demo_file)
    for name in ("audit_log_append_only", "audit_log_no_update", "audit_log_no_delete"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(
        "INSERT OR REPLACE INTO audit_log SELECT id, at, 'forger', action, entity,"
        " entity_id, details, role, authenticated, signed_hash, prev_hash, entry_hash, db_user"
        " FROM audit_log"
    )
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    rewritten = [line for line in lines if "content does not match its hash" in line]
    assert len(rewritten) > 50  # every entry whose actor changed


def test_replace_rewriting_a_signed_decision_is_refused(demo_file):
    decision = signed_id(demo_file)
    conn = raw(demo_file)
    with pytest.raises(sqlite3.DatabaseError, match="signed"):
        forge_by_replace(conn, decision)


def test_replace_of_signed_decision_with_triggers_dropped_is_reported(demo_file, capsys):
    decision = signed_id(demo_file)
    conn = raw(demo_file)
    conn.execute("DROP TRIGGER signed_decision_no_replace")
    conn.execute("PRAGMA foreign_keys = OFF")
    forge_by_replace(conn, decision)
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert f"decision {decision}: differs from what was signed (changed after sign-off)" in lines
    assert "trigger signed_decision_no_replace: missing" in " ".join(lines)


def test_drop_trigger_then_edit_signed_decision_is_reported(demo_file, capsys):
    decision = signed_id(demo_file)
    conn = raw(demo_file)
    conn.execute("DROP TRIGGER signed_decision_is_read_only")
    conn.execute(
        "UPDATE decisions SET plan_text = 'Forged', signed_by = 'Prof. Anybody' WHERE id = ?",
        [decision],
    )
    conn.execute(
        "CREATE TRIGGER signed_decision_is_read_only BEFORE UPDATE ON decisions"
        " WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert f"decision {decision}: differs from what was signed (changed after sign-off)" in lines
    assert any("signed_decision_is_read_only: altered" in line for line in lines)


def test_actions_of_signed_decision_edited_is_reported(demo_file, capsys):
    with raw(demo_file) as conn:
        decision = conn.execute(
            "SELECT d.id FROM decisions d JOIN actions a ON a.decision_id = d.id"
            " WHERE d.status = 'signed' LIMIT 1"
        ).fetchone()[0]
    conn = raw(demo_file)
    conn.execute("DROP TRIGGER actions_of_signed_update")
    conn.execute("UPDATE actions SET owner = 'nobody' WHERE decision_id = ?", [decision])
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert f"decision {decision}: differs from what was signed (changed after sign-off)" in lines


def test_deleted_audit_entry_breaks_the_chain(demo_file, capsys):
    conn = raw(demo_file)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 10")
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert "audit entry 11: follows entry 9 (entries in between are missing)" in lines
    assert "audit entry 11: does not link to the entry before it (chain broken)" in lines


def test_draft_marked_signed_by_hand_is_reported(demo_file, capsys):
    with open_store(demo_file) as store:
        draft = store.query("SELECT id FROM decisions WHERE status = 'draft' LIMIT 1")
    assert draft, "the demo has a draft"
    conn = raw(demo_file)
    conn.execute(
        "UPDATE decisions SET status = 'signed', signed_by = 'Prof. Anybody (typed)',"
        " signed_at = '2026-01-01T10:00:00+00:00', guideline_version = coalesce("
        "guideline_version, '1') WHERE id = ?",
        [draft[0]["id"]],
    )
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert (
        f"decision {draft[0]['id']}: marked signed but no sign-off is recorded in the audit log"
        in lines
    )


def test_an_entry_added_by_hand_is_refused_or_reported(demo_file, capsys):
    conn = raw(demo_file)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity) VALUES ('x', 'y', 'z', 'w')"
        )
    conn.execute("DROP TRIGGER audit_log_append_only")
    conn.execute("INSERT INTO audit_log (at, actor, action, entity) VALUES ('x', 'y', 'z', 'w')")
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert any("has no chain hash" in line for line in lines)


def test_foreign_key_and_integrity_faults_are_reported(demo_file, capsys):
    conn = raw(demo_file)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE imaging SET case_id = 999999 WHERE id = (SELECT min(id) FROM imaging)")
    conn.close()
    code, lines = verify(capsys, demo_file)
    assert code == 1
    assert any(line.startswith("imaging row ") and "cases row" in line for line in lines)


def test_verify_of_missing_database_is_one_line(db_location, capsys):
    code = main(["verify", "--db", backend_helpers.missing(db_location)])
    _, err = capsys.readouterr()
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert backend_helpers.says_no_such_database(err)


def test_existing_log_is_sealed_by_the_upgrade(tmp_path, capsys):
    """A database from before the chain: its entries are chained by the migration and
    a decision signed then is sealed as it stood."""
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(str(path)))
    schema.migrations.apply(db, stop_before="m150_audit_chain")
    stamp = "2026-01-01T10:00:00+00:00"
    db.execute(
        "INSERT INTO patients (mrn, created_at, updated_at) VALUES ('X1', ?, ?)", [stamp, stamp]
    )
    db.execute(
        "INSERT INTO cases (patient_id, created_at, updated_at) VALUES (1, ?, ?)", [stamp, stamp]
    )
    db.execute(
        "INSERT INTO meetings (date, title, created_at) VALUES ('2026-01-01', 'M', ?)", [stamp]
    )
    db.execute(
        "INSERT INTO agenda_items (meeting_id, case_id, position, added_at) VALUES (1, 1, 1, ?)",
        [stamp],
    )
    db.execute(
        "INSERT INTO decisions (case_id, agenda_item_id, status, plan_text, guideline_version,"
        " created_at, updated_at, signed_by, signed_at) VALUES (1, 1, 'signed', 'Plan', '1',"
        " ?, ?, 'Chair', ?)",
        [stamp, stamp, stamp],
    )
    for action in ("import_case", "sign_decision"):
        db.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, details)"
            " VALUES (?, 'old', ?, 'decision', 1, '{}')",
            [stamp, action],
        )
    db.conn.commit()
    db.close()
    open_store(path).close()
    code, lines = verify(capsys, path)
    assert code == 0, lines
    with raw(path) as conn:
        conn.execute("DROP TRIGGER signed_decision_is_read_only")
        conn.execute("UPDATE decisions SET plan_text = 'Other' WHERE id = 1")
    code, lines = verify(capsys, path)
    assert "decision 1: differs from what was signed (changed after sign-off)" in lines


def test_short_hash_form():
    assert short("0123456789abcdef" * 4) == "0123-4567-89ab"
    assert short(None) == ""


def test_minutes_and_care_programme_print_the_record_check(demo_db, tmp_path, capsys):
    from pypdf import PdfReader

    with open_store(demo_db) as s:
        decision = s.latest_signed_decision_for_case(1)
        recorded = s.query(
            "SELECT signed_hash FROM audit_log WHERE action = 'sign_decision' AND entity_id = ?",
            [decision.id],
        )[0]["signed_hash"]
        meeting = s.get_agenda_item(decision.agenda_item_id).meeting_id
    code = short(recorded)
    assert main(["care-programme", "1", "-o", str(tmp_path / "cp.pdf"), "--db", str(demo_db)]) == 0
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "cp.pdf").pages)
    assert code in text
    out = tmp_path / "m.pdf"
    assert main(["minutes", str(meeting), "-o", str(out), "--db", str(demo_db)]) == 0
    assert code in "".join(p.extract_text() for p in PdfReader(out).pages)


def test_forged_plan_is_not_printed(demo_file, tmp_path, capsys):
    conn = raw(demo_file)
    conn.execute("DROP TRIGGER signed_decision_is_read_only")
    conn.execute(
        "UPDATE decisions SET plan_text = 'Forged', signed_by = 'Prof. Anybody'"
        " WHERE case_id = 1 AND status = 'signed'"
    )
    conn.close()
    capsys.readouterr()
    target = tmp_path / "cp.pdf"
    assert main(["care-programme", "1", "-o", str(target), "--db", str(demo_file)]) == 1
    err = capsys.readouterr().err
    assert "differs from what the chair signed" in err and len(err.strip().splitlines()) == 1
    assert not target.exists()
    minutes = tmp_path / "m.pdf"
    assert main(["minutes", "1", "-o", str(minutes), "--db", str(demo_file)]) == 1
    assert "differs from what the chair signed" in capsys.readouterr().err
    assert not minutes.exists()
