"""Files only the user can read (issue 15): every file the app creates is 0600 and its
folders 0700, even under umask 022; no patient identifier reaches the log."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from mdt_app.cli import main
from mdt_app.documents.care_programme import make_care_programme, save_care_programme
from mdt_app.documents.minutes import export_minutes
from mdt_app.store import open_store, prune_pre_migration_copies


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_database_folder_wal_and_shm_are_private(tmp_path):
    db = tmp_path / "new" / "deeper" / "mdt.db"
    with open_store(db) as store:
        store.set_setting("centre", {"name": "X"})
        assert mode(db) == 0o600
        for side in ("-wal", "-shm"):
            side_file = db.with_name(db.name + side)
            assert side_file.exists() and mode(side_file) == 0o600, side
    assert mode(db.parent) == 0o700 and mode(db.parent.parent) == 0o700


def test_existing_world_readable_database_is_tightened(demo_file):
    demo_file.chmod(0o644)
    open_store(demo_file).close()
    assert mode(demo_file) == 0o600


def test_demo_and_cli_created_files_are_private(tmp_path, capsys):
    db = tmp_path / "cli" / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    assert mode(db) == 0o600 and mode(db.parent) == 0o700
    assert os.umask(0o022) == 0o022  # the CLI put the caller's umask back


def test_exports_are_private_and_replacing_keeps_them_private(demo_store, tmp_path):
    target = tmp_path / "cp.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    built = make_care_programme(demo_store, 1)
    save_care_programme(demo_store, built, target)
    assert mode(target) == 0o600 and target.read_bytes().startswith(b"%PDF")
    decision = demo_store.get_decision(built.decision_id)
    meeting = demo_store.get_agenda_item(decision.agenda_item_id).meeting_id
    for suffix in ("pdf", "docx", "csv", "json"):
        out = tmp_path / f"minutes.{suffix}"
        export_minutes(demo_store, meeting, out)
        assert mode(out) == 0o600, suffix


def test_pre_migration_copies_are_private_and_pruned(tmp_path, monkeypatch):
    from mdt_app.store import schema

    db = tmp_path / "m.db"
    open_store(db).close()
    older = [db.with_name(f"{db.name}.before-migration-2020010{n}-000000.bak") for n in range(4)]
    for copy in older:
        copy.write_bytes(b"an older copy")
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations])

    @schema.migrations()
    def m159_test_extra(database):
        database.execute("CREATE TABLE test_extra (x)")

    open_store(db).close()
    copies = sorted(tmp_path.glob("m.db.before-migration-*.bak"))
    assert copies[:2] == older[2:] and len(copies) == 3  # the last few kept
    assert mode(copies[-1]) == 0o600
    assert prune_pre_migration_copies(db, keep=1) == copies[:2]


def test_log_file_is_private_and_holds_no_identifiers(demo_store, tmp_path, root_handlers):
    from mdt_app.errors import ValidationError
    from ui.excepthook import ExceptionHandler, configure_logging

    case = demo_store.get_case(1)  # the store has read this patient
    p = case.patient
    log_file = configure_logging(tmp_path / "logs" / "mdt-app.log")
    assert mode(log_file) == 0o600 and mode(log_file.parent) == 0o700
    handler = ExceptionHandler(show=lambda exc, details: None)
    errors = [
        ValidationError(f"case file x.json: case 1 (MRN {p.mrn}): birth date 1900-13-01 invalid"),
        ValidationError(f"no patient named '{p.family_name}' born {p.birth_date}"),
        RuntimeError(f"unexpected while showing {p.display_name} ({p.mrn})"),
    ]
    for exc in errors:
        try:
            raise exc
        except Exception as caught:
            handler(type(caught), caught, caught.__traceback__)
    logging.getLogger("mdt_app.ui").warning("opened %s", p.mrn)
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "user error (ValidationError)" in text and "RuntimeError" in text
    for identifier in (p.mrn, p.family_name, p.given_name, p.birth_date.isoformat()):
        assert identifier not in text, identifier
