"""`mdt-app minutes`: formats by suffix, audit record, clear errors, never half a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdt_app.cli import main
from mdt_app.documents.minutes import csv as minutes_csv
from mdt_app.store import open_store
from tests import backend_helpers
from tests.minutes_data import build_meeting


@pytest.fixture
def db(db_location):
    """A meeting to export: in a file, then in a team database on the test server."""
    path = db_location
    with open_store(path, actor="builder") as store:
        build_meeting(store)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def exports(db):
    with open_store(db) as store:
        return [e for e in store.audit_log("meeting") if e.action == "export_minutes"]


@pytest.mark.parametrize("suffix", ["pdf", "docx", "csv", "json"])
def test_each_format_is_written_and_audited(db, tmp_path, capsys, suffix):
    out = tmp_path / f"minutes.{suffix}"
    code, stdout, err = run(capsys, "--db", db, "minutes", 1, "-o", out)
    assert code == 0, err
    assert stdout.strip() == str(out) and out.stat().st_size > 0
    [entry] = exports(db)
    fmt = "fhir" if suffix == "json" else suffix
    assert entry.entity_id == 1 and entry.actor
    assert entry.details == {"format": fmt, "pseudonymised": False, "path": str(out)}
    assert list(tmp_path.glob(".*.part")) == []


def test_pseudonymise_flag_is_recorded(db, tmp_path, capsys):
    code, _, err = run(capsys, "--db", db, "minutes", 1, "-o", tmp_path / "a.csv", "--pseudonymise")
    assert code == 0, err
    assert exports(db)[0].details["pseudonymised"] is True


def test_unknown_meeting_is_a_one_line_error(db, tmp_path, capsys):
    out = tmp_path / "m.pdf"
    code, _, err = run(capsys, "--db", db, "minutes", 99, "-o", out)
    assert code == 1
    assert err == "mdt-app: error: no meeting with id 99\n"
    assert not out.exists() and exports(db) == []


def test_unknown_suffix_is_refused(db, tmp_path, capsys):
    code, _, err = run(capsys, "--db", db, "minutes", 1, "-o", tmp_path / "m.txt")
    assert code == 1
    assert "unknown minutes format '.txt'; use .pdf, .docx, .csv, .json" in err
    assert len(err.splitlines()) == 1


def test_missing_database_and_folder(db, tmp_path, capsys):
    none = backend_helpers.missing(db)
    code, _, err = run(capsys, "--db", none, "minutes", 1, "-o", tmp_path / "m.csv")
    assert code == 1 and backend_helpers.says_no_such_database(err) and len(err.splitlines()) == 1
    assert backend_helpers.is_server(none) or not Path(none).exists()
    code, _, err = run(capsys, "--db", db, "minutes", 1, "-o", tmp_path / "no" / "m.csv")
    assert code == 1 and "no such folder" in err


def test_a_failed_export_leaves_the_old_file_and_no_audit_entry(db, tmp_path, capsys, monkeypatch):
    out = tmp_path / "m.csv"
    out.write_text("previous export\n")

    def half_then_fail(minutes, path):
        path.write_text("meeting_id,meet")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(minutes_csv, "write_csv", half_then_fail)
    code, _, err = run(capsys, "--db", db, "minutes", 1, "-o", out)
    assert code == 1 and "No space left on device" in err
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".m.csv")] == []
    assert exports(db) == []


def test_help_lists_the_formats(capsys):
    with pytest.raises(SystemExit):
        main(["minutes", "--help"])
    help_text = capsys.readouterr().out
    assert "--pseudonymise" in help_text and ".docx" in help_text and "FHIR" in help_text
