"""`mdt-app care-programme CASE_ID -o OUT.pdf [--large-print] [--letter] [--draft]`."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from mdt_app.cli import main
from mdt_app.store import open_store
from tests import backend_helpers
from tests.test_care_programme import BANNER_NAME, add_case


@pytest.fixture
def db(db_location):
    """Case 1 signed, case 2 with a draft only, case 3 with no decision (a file, then a
    team database on the test server)."""
    path = db_location
    with open_store(path, actor="builder") as store:
        add_case(store, mrn="S1")
        add_case(store, mrn="D1", sign=False)
        add_case(store, mrn="N1", sign=False)
        store.discard_draft(store.decisions_for_case(3)[0].id or 0)
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def audited(db):
    with open_store(db) as store:
        return [e for e in store.audit_log("decision") if e.action == "save_care_programme"]


def pages(path) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_writes_the_signed_programme_and_audits_it(db, tmp_path, capsys):
    out = tmp_path / "pcp.pdf"
    code, stdout, err = run(capsys, "--db", db, "care-programme", 1, "-o", out)
    assert code == 0, err
    assert stdout.strip() == str(out)
    text = pages(out)
    assert all(BANNER_NAME in p for p in text)
    assert not any("DRAFT" in p for p in text)
    assert PdfReader(out).pages[0].mediabox.width < 600  # A4 by default
    [entry] = audited(db)
    assert entry.details == {"case": 1, "draft": False, "language": "en", "path": str(out)}
    assert list(tmp_path.glob(".*.part")) == []
    assert "mdt-app: check: no record that the plan was discussed with the patient" in err


def test_language_option_overrides_the_preferred_language(db, tmp_path, capsys):
    out = tmp_path / "fr.pdf"
    code, _, err = run(capsys, "--db", db, "care-programme", 1, "-o", out, "--language", "fr")
    assert code == 0, err
    assert "En cas d'urgence" in pages(out)[0]
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "fr"
    code, _, err = run(capsys, "--db", db, "care-programme", 1, "-o", out, "--language", "xx")
    assert code == 1 and err.count("\n") == 1
    assert "no care programme texts in language 'xx'; use one of en, de, fr" in err


def test_large_print_and_letter_flags(db, tmp_path, capsys):
    normal, large = tmp_path / "n.pdf", tmp_path / "l.pdf"
    assert run(capsys, "--db", db, "care-programme", 1, "-o", normal)[0] == 0
    code, _, err = run(
        capsys, "--db", db, "care-programme", 1, "-o", large, "--large-print", "--letter"
    )
    assert code == 0, err
    reader = PdfReader(large)
    assert reader.pages[0].mediabox.width == 612
    assert len(reader.pages) > len(PdfReader(normal).pages)


def test_unsigned_decision_is_a_clear_error_unless_draft(db, tmp_path, capsys):
    out = tmp_path / "d.pdf"
    code, stdout, err = run(capsys, "--db", db, "care-programme", 2, "-o", out)
    assert code == 1 and stdout == ""
    assert err == (
        "mdt-app: error: case 2 has no signed decision; sign it off first, "
        "or use --draft to preview\n"
    )
    assert not out.exists()
    code, _, err = run(capsys, "--db", db, "care-programme", 2, "-o", out, "--draft")
    assert code == 0, err
    assert all("DRAFT - not validated" in p for p in pages(out))
    assert audited(db)[0].details["draft"] is True


def test_case_without_any_decision(db, tmp_path, capsys):
    code, _, err = run(capsys, "--db", db, "care-programme", 3, "-o", tmp_path / "x.pdf", "--draft")
    assert code == 1
    assert err == (
        "mdt-app: error: case 3 has no decision yet; "
        "record the team's decision at a meeting first\n"
    )


def test_unknown_case_is_a_one_line_error(db, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    code, _, err = run(capsys, "--db", db, "care-programme", 99, "-o", out)
    assert code == 1
    assert err == "mdt-app: error: no case with id 99\n"
    assert not out.exists() and audited(db) == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing-folder/x.pdf", "no such folder"),
        ("x.txt", "the care programme is a PDF"),
        (".", "is a folder"),
    ],
)
def test_unwritable_output_is_refused(db, tmp_path, capsys, target, message):
    out = tmp_path / target
    if target == ".":
        out = tmp_path / "folder.pdf"
        out.mkdir()
    code, _, err = run(capsys, "--db", db, "care-programme", 1, "-o", out)
    assert code == 1 and message in err and err.count("\n") == 1
    assert audited(db) == []


def test_missing_database_is_not_created(tmp_path, capsys, db_location):
    none = backend_helpers.missing(db_location)
    code, _, err = run(capsys, "--db", none, "care-programme", 1, "-o", tmp_path / "x.pdf")
    assert code == 1 and backend_helpers.says_no_such_database(err) and len(err.splitlines()) == 1
    assert backend_helpers.is_server(none) or not Path(none).exists()


def test_help_and_module_entry_point(db, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mdt_app", "care-programme", "--help"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    for flag in ("CASE_ID", "--output", "--large-print", "--letter", "--draft", "--db"):
        assert flag in done.stdout
