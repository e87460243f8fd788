"""The foundation commands of the README's command table: demo, meetings, cases, import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mdt_app.cli import main
from tests import backend_helpers
from tests.conftest import FIXTURES
from tests.db_state import db_digest

VALID = FIXTURES / "import" / "valid_case.json"
TWO = FIXTURES / "import" / "two_cases.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path | str) -> str:
    """The database's contents (a file's bytes, a server's rows): see ``db_digest``."""
    return db_digest(path)


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("mdt-app ")
    for command in ("meetings", "cases", "import", "demo", "recommend", "care-programme"):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
        assert "--db" in capsys.readouterr().out


def test_demo_then_cases_tab_separated(db_location, capsys):
    db = db_location
    code, out, _ = run(capsys, "demo", "--db", str(db))
    assert code == 0 and str(db) in out
    code, out, err = run(capsys, "--db", str(db), "cases")
    assert code == 0, err
    lines = out.splitlines()
    header = lines[0].split("\t")
    for column in (
        "id",
        "mrn",
        "patient",
        "stage",
        "meeting_id",
        "agenda_status",
        "decision_status",
    ):
        assert column in header
    assert header[0] == "id"
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert len(rows) >= 18
    assert {r["stage"] for r in rows} >= {"IVA", "IVB", "IVC", "unstageable"}
    assert {r["decision_status"] for r in rows} >= {"signed", "draft", "amended", "none"}
    assert "Zoë Ångström" in {r["patient"] for r in rows}


def test_cases_json_and_meeting_filter(demo_db, capsys):
    code, out, _ = run(capsys, "--db", str(demo_db), "meetings", "--json")
    meetings = json.loads(out)
    assert {"id", "date", "title", "status"} <= set(meetings[0])
    assert all("DEMO" in m["title"] for m in meetings)
    current = next(m for m in meetings if m["status"] == "in_progress")
    code, out, _ = run(
        capsys, "--db", str(demo_db), "cases", "--meeting", str(current["id"]), "--json"
    )
    cases = json.loads(out)
    assert code == 0 and len(cases) >= 12
    assert [c["position"] for c in cases] == sorted(c["position"] for c in cases)
    assert {c["agenda_status"] for c in cases} >= {"queued", "discussed", "deferred"}


def test_unknown_meeting_is_a_one_line_error(demo_db, capsys):
    before = digest(demo_db)
    code, out, err = run(capsys, "--db", str(demo_db), "cases", "--meeting", "999")
    assert code != 0 and out == ""
    assert err.strip() == "mdt-app: error: no meeting with id 999"
    assert digest(demo_db) == before


def test_missing_database_is_not_created_by_reading(db_location, capsys):
    db = backend_helpers.missing(db_location)
    code, _, err = run(capsys, "--db", db, "meetings")
    assert code != 0 and backend_helpers.says_no_such_database(err)
    assert backend_helpers.is_server(db) or not Path(db).exists()


def test_import_valid_file_and_queue_on_meeting(demo_db, capsys):
    code, out, err = run(capsys, "--db", str(demo_db), "import", str(VALID), "--meeting", "2")
    assert code == 0, err
    assert "1 new or updated" in out
    code, out, _ = run(capsys, "--db", str(demo_db), "cases", "--meeting", "2", "--json")
    assert "H123456" in {c["mrn"] for c in json.loads(out)}


def test_import_same_file_twice_changes_nothing(db_location, capsys):
    db = db_location
    assert run(capsys, "--db", str(db), "import", str(VALID), str(TWO))[0] == 0
    before = digest(db)
    code, out, _ = run(capsys, "--db", str(db), "import", str(VALID), str(TWO))
    assert code == 0 and "0 new or updated, 3 unchanged" in out
    _, out, _ = run(capsys, "--db", str(db), "cases", "--json")
    assert len(json.loads(out)) == 3
    assert digest(db) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{oops", "is not valid JSON"),
        (
            json.dumps(
                [
                    json.loads(VALID.read_text(encoding="utf-8")),
                    {
                        "format": "mdt-case/1",
                        "patient": {"mrn": "Z9", "family_name": "Z"},
                        "ecog": 9,
                    },
                ]
            ),
            "case 2 (MRN Z9): field 'ecog'",
        ),
    ],
    ids=["not-json", "batch-with-one-bad-case"],
)
def test_refused_import_leaves_database_byte_for_byte(demo_db, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    before = digest(demo_db)
    code, out, err = run(capsys, "--db", str(demo_db), "import", str(TWO), str(bad))
    assert code != 0 and out == ""
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert digest(demo_db) == before


def test_import_missing_file(demo_db, tmp_path, capsys):
    before = digest(demo_db)
    code, _, err = run(capsys, "--db", str(demo_db), "import", str(tmp_path / "gone.json"))
    assert code != 0 and "gone.json: no such file" in err
    assert digest(demo_db) == before


def test_import_to_unknown_meeting_imports_nothing(demo_db, capsys):
    before = digest(demo_db)
    code, _, err = run(capsys, "--db", str(demo_db), "import", str(VALID), "--meeting", "77")
    assert code != 0 and "no meeting with id 77" in err
    assert digest(demo_db) == before


def test_not_a_database(tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_text("not sqlite", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(bad), "cases")
    assert code != 0 and "not an SQLite file" in err


def test_demo_refuses_to_overwrite(demo_db, capsys):
    before = digest(demo_db)
    code, _, err = run(capsys, "demo", "--db", str(demo_db))
    # a file: "already exists"; a team database: "holds records" (the demo needs it empty)
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert "already exists" in err or "holds" in err, err
    assert digest(demo_db) == before


def test_python_dash_m_and_env_database(tmp_path):
    db = tmp_path / "env.db"
    env = {"MDT_APP_DB": str(db), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "mdt_app", "import", str(TWO)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert db.exists()
    done = subprocess.run(
        [sys.executable, "-m", "mdt_app", "cases"], capture_output=True, text=True, env=env
    )
    assert "B-100" in done.stdout
