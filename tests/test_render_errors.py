"""A renderer's own failure is never reported as a problem with the output path.

In the frozen bundle python-docx once could not find its templates: `minutes -o m.docx`
said the output path "cannot be written", sending the user to check a folder that was
fine. Only a failure to write the file itself is the path's problem.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from docx.parts.hdrftr import FooterPart

from mdt_app.cli import main
from mdt_app.documents import minutes as minutes_module
from mdt_app.store import open_store
from tests.minutes_data import build_meeting


@pytest.fixture
def db(db_location):
    path = db_location
    with open_store(path, actor="builder") as store:
        build_meeting(store)
    return path


def export(capsys, db: Path, out: Path) -> tuple[int, str]:
    code = main(["--db", str(db), "minutes", "1", "-o", str(out)])
    return code, capsys.readouterr().err


def audited_exports(db: Path) -> list:
    with open_store(db) as store:
        return [e for e in store.audit_log("meeting") if e.action == "export_minutes"]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_missing_docx_template_is_a_renderer_error(db, tmp_path, capsys, monkeypatch):
    missing = "/bundle/_internal/docx/templates/default-footer.xml"

    def no_template(cls):
        with open(missing, "rb") as f:  # what python-docx does, on a file not shipped
            return f.read()

    monkeypatch.setattr(FooterPart, "_default_footer_xml", classmethod(no_template))
    out = tmp_path / "m.docx"
    code, err = export(capsys, db, out)
    assert code == 1
    line = err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "DOCX minutes could not be produced" in line
    assert "default-footer.xml" in line and "not in the output path" in line
    assert "cannot be written" not in line
    assert not out.exists() and leftovers(tmp_path) == []
    assert audited_exports(db) == []


def test_a_renderer_bug_is_one_line_naming_it(db, tmp_path, capsys, monkeypatch):
    def broken(minutes, path):
        raise ValueError("column widths do not add up")

    monkeypatch.setattr(minutes_module, "_writer", lambda fmt: broken)
    code, err = export(capsys, db, tmp_path / "m.pdf")
    assert code == 1
    assert err.strip() == (
        "mdt-app: error: the PDF minutes could not be produced: ValueError: column widths "
        "do not add up (a fault in MDT Assistant, not in the output path; nothing was written)"
    )
    assert audited_exports(db) == []


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),  # write() on a full disk
        "permission",  # opening the temporary file itself
    ],
)
def test_writing_the_file_itself_is_still_the_paths_problem(
    db, tmp_path, capsys, monkeypatch, failure
):
    def refuse(minutes, path):
        if failure == "permission":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        raise failure

    monkeypatch.setattr(minutes_module, "_writer", lambda fmt: refuse)
    out = tmp_path / "m.csv"
    code, err = export(capsys, db, out)
    assert code == 1
    expected = "Permission denied" if failure == "permission" else "No space left on device"
    assert err.strip() == f"mdt-app: error: {out}: cannot be written ({expected})"
    assert audited_exports(db) == []
