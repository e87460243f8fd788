"""`mdt-app demo` without --db never seeds the real database; `--demo` works for commands.

The demo database lives in the user data directory (demo.db, beside the real mdt.db);
MDT_APP_DB names the real database and is never used for demo patients.
"""

from __future__ import annotations

import pytest

from mdt_app import paths
from mdt_app.cli import main
from tests import backend_helpers


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def real_db(tmp_path, monkeypatch):
    """A user whose real database is named by MDT_APP_DB."""
    real = tmp_path / "real" / "mdt.db"
    monkeypatch.setenv("MDT_APP_DB", str(real))
    return real


def test_demo_without_db_uses_the_demo_database_not_mdt_app_db(real_db, capsys):
    code, out, err = run(capsys, "demo")
    assert code == 0, err
    demo = paths.demo_database_path()
    assert out.splitlines()[0] == f"Demo database created: {demo}"
    assert demo.is_file() and not real_db.exists() and not real_db.parent.exists()
    assert demo != paths.database_path(None)


def test_demo_without_db_twice_reuses_it(real_db, capsys):
    assert run(capsys, "demo")[0] == 0
    before = paths.demo_database_path().read_bytes()
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert out.splitlines()[0] == f"Demo database already there: {paths.demo_database_path()}"
    assert paths.demo_database_path().read_bytes() == before


def test_demo_flag_with_a_command_reads_the_demo_database(real_db, capsys):
    assert run(capsys, "demo")[0] == 0
    code, out, err = run(capsys, "--demo", "meetings")
    assert code == 0, err
    assert "[DEMO: synthetic patients]" in out
    assert not real_db.exists()


def test_demo_flag_without_the_demo_database_says_so(real_db, capsys):
    code, _, err = run(capsys, "--demo", "cases")
    assert code != 0 and str(paths.demo_database_path()) in err
    assert not real_db.exists()


def test_demo_with_db_still_refuses_an_existing_file(db_location, capsys):
    target = db_location  # a new file, or an empty team database
    assert run(capsys, "demo", "--db", target)[0] == 0
    before = backend_helpers.digest(target)
    code, _, err = run(capsys, "demo", "--db", target)
    assert code != 0 and ("already exists" in err or "already holds" in err)
    assert len(err.splitlines()) == 1 and backend_helpers.digest(target) == before
