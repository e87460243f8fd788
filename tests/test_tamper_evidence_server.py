"""Tampering on a team server (issue 19 beside issue 15): what a client can do is refused
by the server's triggers; what only a superuser can do (switch triggers off, or run as a
replica so that they never fire) is reported by `mdt-app verify`, and a forged record is
not printed. The SQLite file's twin: tests/test_tamper_evidence.py."""

from __future__ import annotations

import psycopg
import pytest

from mdt_app.cli import main

# The superuser's way round every trigger without leaving a trace in the catalogue.
AS_REPLICA = "SET session_replication_role = replica"


def verify(capsys, url: str) -> tuple[int, list[str]]:
    code = main(["verify", "--db", url])
    out, _ = capsys.readouterr()
    return code, out.splitlines()


def superuser(url: str) -> psycopg.Connection:
    """The test cluster's superuser on this database (URL as the fixture gives it)."""
    return psycopg.connect(url, autocommit=True)


def signed_id(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT min(id) FROM decisions WHERE status = 'signed'").fetchone()
    assert row is not None
    return int(row[0])


def test_untouched_demo_on_the_server_verifies(pg_demo_url, capsys):
    code, lines = verify(capsys, pg_demo_url)
    assert code == 0, lines
    assert "sound" in lines[-1]


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("UPDATE audit_log SET actor = 'forger' WHERE id = 3", "append-only"),
        ("DELETE FROM audit_log WHERE id = 10", "append-only"),
        (
            "INSERT INTO audit_log (at, actor, action, entity) VALUES ('x', 'y', 'z', 'w')",
            "append-only",
        ),
        ("UPDATE decisions SET plan_text = 'Forged' WHERE status = 'signed'", "signed"),
        ("DELETE FROM decisions WHERE status = 'signed'", "signed"),
    ],
)
def test_even_a_superuser_is_refused_while_the_triggers_are_on(pg_demo_url, statement, words):
    with superuser(pg_demo_url) as conn:
        with pytest.raises(psycopg.Error, match=words):
            conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_log WHERE actor = 'forger'").fetchone() == (
            0,
        )


def test_an_audit_entry_edited_as_a_replica_is_reported(pg_demo_url, capsys):
    with superuser(pg_demo_url) as conn:
        conn.execute(AS_REPLICA)
        conn.execute("UPDATE audit_log SET actor = 'dr.consultant' WHERE id = 3")
    code, lines = verify(capsys, pg_demo_url)
    assert code == 1
    assert any(line.startswith("audit entry 3: content does not match") for line in lines)


def test_a_deleted_audit_entry_breaks_the_chain(pg_demo_url, capsys):
    with superuser(pg_demo_url) as conn:
        conn.execute(AS_REPLICA)
        conn.execute("DELETE FROM audit_log WHERE id = 10")
    code, lines = verify(capsys, pg_demo_url)
    assert code == 1
    assert "audit entry 11: follows entry 9 (entries in between are missing)" in lines


def test_a_signed_decision_edited_with_its_trigger_disabled_is_reported(pg_demo_url, capsys):
    with superuser(pg_demo_url) as conn:
        decision = signed_id(conn)
        conn.execute("ALTER TABLE decisions DISABLE TRIGGER signed_decision_guard")
        conn.execute(
            "UPDATE decisions SET plan_text = 'Forged', signed_by = 'Prof. Anybody' WHERE id = %s",
            [decision],
        )
    code, lines = verify(capsys, pg_demo_url)
    assert code == 1
    assert f"decision {decision}: differs from what was signed (changed after sign-off)" in lines
    assert any("trigger signed_decision_guard: disabled" in line for line in lines)


def test_actions_of_a_signed_decision_edited_as_a_replica_are_reported(pg_demo_url, capsys):
    with superuser(pg_demo_url) as conn:
        row = conn.execute(
            "SELECT d.id FROM decisions d JOIN actions a ON a.decision_id = d.id"
            " WHERE d.status = 'signed' LIMIT 1"
        ).fetchone()
        assert row is not None
        conn.execute(AS_REPLICA)
        conn.execute("UPDATE actions SET owner = 'nobody' WHERE decision_id = %s", [row[0]])
    code, lines = verify(capsys, pg_demo_url)
    assert code == 1
    assert f"decision {row[0]}: differs from what was signed (changed after sign-off)" in lines


def test_a_draft_marked_signed_by_hand_is_reported(pg_demo_url, capsys):
    with superuser(pg_demo_url) as conn:
        row = conn.execute("SELECT id FROM decisions WHERE status = 'draft' LIMIT 1").fetchone()
        assert row is not None, "the demo has a draft"
        conn.execute(AS_REPLICA)
        conn.execute(
            "UPDATE decisions SET status = 'signed', signed_by = 'Prof. Anybody (typed)',"
            " signed_at = '2026-01-01T10:00:00+00:00', guideline_version = coalesce("
            "guideline_version, '1') WHERE id = %s",
            [row[0]],
        )
    code, lines = verify(capsys, pg_demo_url)
    assert code == 1
    assert f"decision {row[0]}: marked signed but no sign-off is recorded in the audit log" in lines


def test_a_forged_plan_on_the_server_is_not_printed(pg_demo_url, tmp_path, capsys):
    with superuser(pg_demo_url) as conn:
        conn.execute(AS_REPLICA)
        conn.execute(
            "UPDATE decisions SET plan_text = 'Forged', signed_by = 'Prof. Anybody'"
            " WHERE case_id = 1 AND status = 'signed'"
        )
    capsys.readouterr()
    target = tmp_path / "cp.pdf"
    assert main(["care-programme", "1", "-o", str(target), "--db", pg_demo_url]) == 1
    err = capsys.readouterr().err
    assert "differs from what the chair signed" in err and len(err.strip().splitlines()) == 1
    assert not target.exists()
    minutes = tmp_path / "m.pdf"
    assert main(["minutes", "1", "-o", str(minutes), "--db", pg_demo_url]) == 1
    assert "differs from what the chair signed" in capsys.readouterr().err
    assert not minutes.exists()
