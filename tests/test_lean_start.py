"""Each command imports only what it needs; the synthetic archive for scale tests."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mdt_app.cli import COMMANDS, build_parser, main
from mdt_app.store import open_store
from tests.conftest import FIXTURES

CASE = FIXTURES / "import" / "valid_case.json"


def _modules_after(*argv: str) -> set[str]:
    code = (
        "import sys, json\n"
        "from mdt_app.cli import main\n"
        f"rc = main({list(argv)!r})\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_version_loads_no_command_and_no_metadata():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mdt_app", "--version"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and done.stdout.startswith("mdt-app ")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "importlib.metadata" not in imported
    assert not {m for m in imported if m.startswith(("mdt_app.commands", "sqlite_utils"))}


def test_recommend_needs_neither_the_store_nor_the_pdf_library():
    loaded = _modules_after("recommend", str(CASE))
    assert "mdt_app.guideline.engine" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("reportlab", "sqlite_utils", "docx")}


def test_help_still_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_a_command_parser_registers_only_that_command():
    parser = build_parser(["--db", "x.db", "cases", "--meeting", "2"])
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == ["cases"]


def test_unknown_command_names_the_choices(capsys):
    with pytest.raises(SystemExit):
        main(["bogus"])
    assert "minutes" in capsys.readouterr().err


def test_demo_with_an_archive(db_location, capsys):
    db = db_location
    assert main(["demo", "--db", str(db), "--archive", "90"]) == 0
    with open_store(db) as store:
        archive = [m for m in store.list_meetings() if "archive" in m.title]
        assert len(archive) == 3 and all(m.status == "closed" for m in archive)
        rows = store.list_cases(archive[0].id)
        assert rows and all(r.decision_status == "signed" for r in rows)
        assert all(r.mrn.startswith("ARCH-") for r in rows)
        assert all(r.agenda_status == "discussed" for r in rows)
        case = store.get_case(rows[0].id)
        assert case.labs and case.imaging
        assert case.diagnosis.diagnosed_on < archive[0].date
        total = store.query("SELECT count(*) AS n FROM cases")[0]["n"]
        from mdt_app import demo_cases, demo_cases_v2

        demo = len(demo_cases.EARLIER_MEETING) + len(demo_cases.CURRENT_MEETING)
        assert total == 90 + demo + len(demo_cases_v2.CASES)  # 18 + the 4 pathway 2.0 cases
        assert store.audit_log("database")[-1].details["cases"] == 90
    capsys.readouterr()
    assert main(["--db", str(db), "cases", "--meeting", str(archive[0].id), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["decision_status"] == "signed"


@pytest.mark.parametrize("count", ["-1", "many", "2000000"])
def test_archive_size_is_checked(new_db_location, capsys, count):
    from tests.backend_helpers import state

    before = state(new_db_location)
    with pytest.raises(SystemExit):
        main(["demo", "--db", new_db_location, "--archive", count])
    assert "--archive" in capsys.readouterr().err
    assert state(new_db_location) == before
