"""`mdt-app backup` / `restore` (issue 15): an online, checked copy; a restore that checks
the backup before it replaces anything and never overwrites without --force."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from mdt_app.cli import main
from mdt_app.errors import StoreError, UserError
from mdt_app.security.backup import backup_database, restore_backup, schema_upgrade_pending
from mdt_app.store import open_store
from tests.db_state import db_digest


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_while_the_window_holds_the_database_open(demo_db, tmp_path, capsys):
    window = open_store(demo_db)  # another connection, as the window keeps
    window.set_setting("centre", {"name": "Written just before the backup"})
    reading = window.db.conn.execute("SELECT * FROM cases")  # a read in progress
    reading.fetchone()
    target = tmp_path / "copy.db"
    code, out, err = run(capsys, "backup", "-o", str(target), "--db", str(demo_db))
    window.close()
    assert code == 0, err
    assert "checked" in out and err == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    code, out, _ = run(capsys, "verify", "--db", str(target))
    assert code == 0, out
    with open_store(target) as copy:
        assert copy.get_setting("centre") == {"name": "Written just before the backup"}


def test_backup_replaces_an_older_backup_atomically_and_privately(demo_store, tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "nightly.db"
        target.write_bytes(b"last night")
        target.chmod(0o644)
        backup_database(demo_store, target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not list(tmp_path.glob(".nightly.db.*"))


def test_backup_onto_the_database_itself_is_refused(demo_file):
    with open_store(demo_file) as store, pytest.raises(UserError, match="database itself"):
        backup_database(store, demo_file)


def test_backup_of_database_with_faults_is_kept_with_a_warning(demo_file, tmp_path, capsys):
    with sqlite3.connect(str(demo_file)) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
    code, _, err = run(capsys, "backup", "-o", str(tmp_path / "b.db"), "--db", str(demo_file))
    assert code == 0 and "warning" in err and "fault" in err


def test_restore_refuses_to_overwrite_without_force(demo_file, tmp_path, capsys):
    backup = tmp_path / "b.db"
    assert run(capsys, "backup", "-o", str(backup), "--db", str(demo_file))[0] == 0
    before = db_digest(demo_file)
    code, _, err = run(capsys, "restore", str(backup), "--db", str(demo_file))
    assert code != 0 and "--force" in err and len(err.strip().splitlines()) == 1
    assert db_digest(demo_file) == before


def test_restore_with_force_keeps_the_replaced_database(demo_file, tmp_path, capsys):
    backup = tmp_path / "b.db"
    run(capsys, "backup", "-o", str(backup), "--db", str(demo_file))
    with open_store(demo_file) as s:
        s.set_setting("centre", {"name": "after the backup"})
    code, out, err = run(capsys, "restore", str(backup), "--db", str(demo_file), "--force")
    assert code == 0, err
    kept = list(tmp_path.glob("demo.db.replaced-*.bak"))
    assert len(kept) == 1 and "kept at" in out
    with open_store(demo_file) as s:
        assert s.get_setting("centre", {}).get("name") != "after the backup"
        assert s.audit_log()[-1].action == "restore_database"
    with open_store(kept[0]) as s:
        assert s.get_setting("centre") == {"name": "after the backup"}
    assert run(capsys, "verify", "--db", str(demo_file))[0] == 0


def test_restore_to_a_new_place_needs_no_force(demo_db, tmp_path, capsys):
    backup = tmp_path / "b.db"
    run(capsys, "backup", "-o", str(backup), "--db", str(demo_db))
    fresh = tmp_path / "elsewhere" / "restored.db"
    fresh.parent.mkdir()
    assert run(capsys, "restore", str(backup), "--db", str(fresh))[0] == 0
    assert run(capsys, "verify", "--db", str(fresh))[0] == 0


@pytest.mark.parametrize("damage", ["not a database", "tampered", "foreign"])
def test_a_bad_backup_replaces_nothing(demo_file, tmp_path, capsys, damage):
    bad = tmp_path / "bad.db"
    if damage == "not a database":
        bad.write_bytes(b"garbage" * 100)
    elif damage == "tampered":
        run(capsys, "backup", "-o", str(bad), "--db", str(demo_file))
        with sqlite3.connect(str(bad)) as conn:
            conn.execute("DROP TRIGGER signed_decision_is_read_only")
            conn.execute("UPDATE decisions SET plan_text = 'x' WHERE status = 'signed'")
    else:
        with sqlite3.connect(str(bad)) as conn:
            conn.execute("CREATE TABLE other (x)")
    before = db_digest(demo_file)
    code, _, err = run(capsys, "restore", str(bad), "--db", str(demo_file), "--force")
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert "fails its check" in err
    assert db_digest(demo_file) == before
    assert not list(tmp_path.glob("demo.db.replaced-*"))


def test_restore_removes_a_stale_wal_of_the_replaced_database(demo_file, tmp_path):
    backup = tmp_path / "b.db"
    with open_store(demo_file) as s:
        backup_database(s, backup)
    wal = demo_file.with_name("demo.db-wal")
    wal.write_bytes(b"stale")
    restore_backup(backup, demo_file, force=True)
    assert not wal.exists()
    assert list(tmp_path.glob("demo.db.replaced-*.bak-wal"))


def test_missing_backup_file(tmp_path):
    with pytest.raises(UserError, match="no such backup"):
        restore_backup(tmp_path / "none.db", tmp_path / "x.db")


def test_schema_upgrade_pending(tmp_path, demo_file):
    from sqlite_utils import Database

    from mdt_app.store import schema

    assert not schema_upgrade_pending(demo_file)
    assert not schema_upgrade_pending(tmp_path / "none.db")
    old = tmp_path / "old.db"
    db = Database(sqlite3.connect(str(old)))
    schema.migrations.apply(db, stop_before="m150_audit_chain")
    db.close()
    assert schema_upgrade_pending(old)


def test_store_error_is_a_user_error():
    assert issubclass(StoreError, UserError)


def test_restore_records_the_as_user(demo_file, tmp_path, capsys, monkeypatch):
    from mdt_app.security.demo_users import DEMO_PASSWORD

    backup = tmp_path / "b.db"
    run(capsys, "backup", "-o", str(backup), "--db", str(demo_file))
    monkeypatch.setenv("MDT_APP_PASSWORD", "wrong")
    before = db_digest(demo_file)
    code, _, err = run(capsys, "restore", str(backup), "--db", str(demo_file), "--force",
                       "--as", "coordinator")  # fmt: skip
    assert code == 1 and "wrong username or password" in err and db_digest(demo_file) == before
    monkeypatch.setenv("MDT_APP_PASSWORD", DEMO_PASSWORD)
    code, _, err = run(capsys, "restore", str(backup), "--db", str(demo_file), "--force",
                       "--as", "coordinator")  # fmt: skip
    assert code == 0, err
    with open_store(demo_file) as s:
        last = s.audit_log()[-1]
    assert (last.action, last.actor, last.role, last.authenticated) == (
        "restore_database",
        "coordinator",
        "administrator",
        True,
    )


def test_a_nurse_in_the_backup_cannot_restore_it(demo_file, tmp_path, capsys, monkeypatch):
    from mdt_app.security.demo_users import DEMO_PASSWORD

    backup = tmp_path / "b.db"
    run(capsys, "backup", "-o", str(backup), "--db", str(demo_file))
    monkeypatch.setenv("MDT_APP_PASSWORD", DEMO_PASSWORD)
    before = db_digest(demo_file)
    code, _, err = run(capsys, "restore", str(backup), "--db", str(demo_file), "--force",
                       "--as", "gosia")  # fmt: skip
    assert code != 0 and "a nurse cannot run `mdt-app restore`" in err
    assert len(err.strip().splitlines()) == 1
    assert db_digest(demo_file) == before


def test_restore_onto_a_team_server_is_refused_in_one_line(pg_demo_url, tmp_path, capsys):
    """A backup is a file; a team database is loaded with migrate-db, never replaced."""
    demo_db = pg_demo_url
    backup = tmp_path / "b.db"
    assert run(capsys, "backup", "-o", str(backup), "--db", demo_db)[0] == 0
    before = db_digest(demo_db)
    code, _, err = run(capsys, "restore", str(backup), "--db", str(demo_db), "--force")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "not on a server" in err and "mdt-app migrate-db --from BACKUP --to URL" in err
    assert db_digest(demo_db) == before


def test_backup_of_a_team_database_with_faults_is_kept_with_a_warning(
    pg_demo_url, tmp_path, capsys
):
    import psycopg

    with psycopg.connect(pg_demo_url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no trigger fires
        conn.execute(
            "UPDATE decisions SET plan_text = 'Forged' WHERE id ="
            " (SELECT min(id) FROM decisions WHERE status = 'signed')"
        )
    target = tmp_path / "b.db"
    code, out, err = run(capsys, "backup", "-o", str(target), "--db", pg_demo_url)
    assert code == 0 and "warning" in err and "fault" in err, (out, err)
    assert len(err.strip().splitlines()) == 1 and target.exists()
