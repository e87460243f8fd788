"""`mdt-app --demo --db postgresql://...`: the window's demo on a team server (issue 19).
An empty database gets the demo, one already holding the demo is reused, and a team's
database is refused in one line and left exactly as it was: synthetic patients never
join a team's records."""

from __future__ import annotations

import pytest

from mdt_app.paths import ServerURL
from mdt_app.store import open_store
from tests import backend_helpers
from tests.store_helpers import valid_case
from ui import app, launch


@pytest.fixture
def opened(monkeypatch) -> list[object]:
    """Where the window would have opened (the window itself is tested elsewhere)."""
    seen: list[object] = []
    monkeypatch.setattr(app, "run", lambda location, store=None: seen.append(location) or 0)
    return seen


def _meeting_titles(url: str) -> list[str]:
    with open_store(url) as store:
        return [m.title for m in store.list_meetings()]


def test_demo_on_an_empty_server_database_is_built_then_reused(capsys, pg_url, opened):
    assert launch.main(["--demo", "--db", pg_url]) == 0
    assert opened == [ServerURL(pg_url)]
    titles = _meeting_titles(pg_url)
    assert len(titles) == 3 and all("[DEMO: synthetic patients]" in t for t in titles)
    before = backend_helpers.digest(pg_url)
    assert launch.main(["--demo", "--db", pg_url]) == 0  # the next start opens it again
    assert opened == [ServerURL(pg_url)] * 2 and backend_helpers.digest(pg_url) == before


@pytest.mark.parametrize("team_record", ["a patient", "an account"])
def test_demo_on_a_team_database_is_one_line_and_changes_nothing(
    capsys, pg_url, opened, team_record
):
    with open_store(pg_url, actor="coordinator") as store:
        if team_record == "a patient":  # imported, no meeting yet
            with store.atomic():
                store.import_case(valid_case())
        else:
            from mdt_app.security.users import add_user

            add_user(store, "lead", "Dr Lead", "chair", "a long chair password")
    before = backend_helpers.digest(pg_url)
    code = launch.main(["--demo", "--db", pg_url])
    err = capsys.readouterr().err
    assert code == 1 and opened == [] and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "holds a team's records, not the demo" in err
    # The `demo` command on that database refuses too (it used to add the demo's
    # accounts and patients beside the team's when no meeting existed yet).
    for argv in (["demo", "--db", pg_url], ["--demo", "demo", "--db", pg_url]):
        code = launch.main(argv)
        err = capsys.readouterr().err
        assert code == 1 and len(err.splitlines()) == 1, argv
        assert "already holds" in err or "not the demo" in err
    assert backend_helpers.digest(pg_url) == before
    assert _meeting_titles(pg_url) == []
