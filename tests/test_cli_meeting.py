"""`mdt-app meeting create|edit|close|cancel` and `mdt-app search` (the README's command table)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from mdt_app.cli import main
from mdt_app.store import open_store
from tests import backend_helpers
from tests.conftest import FIXTURES

TWO = FIXTURES / "import" / "two_cases.json"
VALID = FIXTURES / "import" / "valid_case.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def next_weekday(weekday: int) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


@pytest.fixture
def db(db_location):
    """A new database: a file, then a team database on the test server."""
    return db_location


def create(capsys, db, day: date, *extra: str) -> int:
    code, out, err = run(capsys, "--db", db, "meeting", "create", "--date", day.isoformat(),
                         "--title", "Thyroid MDT", "--chair", "Dr Chair", *extra)  # fmt: skip
    assert code == 0, err
    return int(out.strip())


def test_create_prints_the_id_and_the_meeting_is_listed(capsys, db):
    day = date.today() + timedelta(days=3)
    code, out, err = run(capsys, "--db", db, "meeting", "create", "--date", day.isoformat(),
                         "--title", "Thyroid MDT", "--chair", "Dr A. Chair",
                         "--location", "Room 4 / https://video.example/x", "--time", "8:00",
                         "--specialty", "surgeon", "--specialty", "Medical Oncologist")  # fmt: skip
    assert code == 0 and err == ""
    meeting_id = int(out.strip())  # only the id on standard output
    code, out, _ = run(capsys, "--db", db, "meetings", "--json")
    [listed] = json.loads(out)
    assert listed["id"] == meeting_id and listed["date"] == day.isoformat()
    assert listed["status"] == "planned" and listed["chair"] == "Dr A. Chair"
    with open_store(db) as store:
        m = store.get_meeting(meeting_id)
    assert m.start_time == "08:00" and m.location == "Room 4 / https://video.example/x"
    assert m.expected_specialties == ["medical oncologist", "surgeon"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "is not a valid date"),
        (["--date", "01/12/2026"], "is not a valid date"),
        (["--date", "1890-01-01"], "not a plausible meeting date"),
        (["--date", "2026-12-01", "--time", "25:00"], "not a time of day"),
        (["--date", "2026-12-01", "--title", "  "], "needs a title"),
        (["--date", "2026-12-01", "--every", "funday"], "not a day of the week"),
        (["--date", "2026-12-01", "--every", "friday"], "is a tuesday, not a friday"),
    ],
)
def test_bad_input_is_one_line_and_creates_no_database(capsys, new_db_location, args, message):
    db = new_db_location  # a file not there yet, or a server database without the schema
    before = backend_helpers.state(db)
    argv = ["--db", str(db), "meeting", "create", "--title", "MDT", "--chair", "Dr C", *args]
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert backend_helpers.state(db) == before


def test_a_weekly_series_creates_the_next_meetings_ahead(capsys, db):
    tuesday = next_weekday(1)
    first = create(capsys, db, tuesday, "--every", "tuesday", "--time", "08:00",
                   "--weeks-ahead", "3")  # fmt: skip
    with open_store(db) as store:
        days = sorted(m.date for m in store.list_meetings())
        assert days == [tuesday + timedelta(weeks=w) for w in range(3)]
        assert store.get_meeting(first).date == tuesday
        assert store.extend_series(today=tuesday) == []  # nothing twice
        later = store.extend_series(today=tuesday + timedelta(weeks=1))
        assert [store.get_meeting(i).date for i in later] == [tuesday + timedelta(weeks=3)]


def test_close_carries_undiscussed_cases_to_the_next_meeting(capsys, db, tmp_path):
    today = date.today()
    first = create(capsys, db, today)
    second = create(capsys, db, today + timedelta(days=7))
    assert run(capsys, "--db", db, "import", str(TWO), "--meeting", str(first))[0] == 0
    code, out, err = run(capsys, "--db", db, "meeting", "close", str(first), "--reason",
                         "ran out of time")  # fmt: skip
    assert code == 0, err
    assert "closed; its minutes are final" in out
    assert "Jiří Dvořák (MRN B-100): carried to meeting" in out and "ran out of time" in out
    code, out, _ = run(capsys, "--db", db, "cases", "--meeting", str(second), "--json")
    assert sorted(r["mrn"] for r in json.loads(out)) == ["B-100", "B-101"]
    code, out, _ = run(capsys, "--db", db, "cases", "--meeting", str(first), "--json")
    assert {r["agenda_status"] for r in json.loads(out)} == {"not_discussed"}
    # The minutes of the closed meeting are final.
    pdf = tmp_path / "m.pdf"
    assert run(capsys, "--db", db, "minutes", str(first), "-o", str(pdf))[0] == 0
    from pypdf import PdfReader

    assert "PROVISIONAL" not in "".join(p.extract_text() for p in PdfReader(pdf).pages)
    # Closing twice, or an unknown meeting: one line, exit 1.
    code, _, err = run(capsys, "--db", db, "meeting", "close", str(first))
    assert code == 1 and "already closed" in err
    code, _, err = run(capsys, "--db", db, "meeting", "close", "99")
    assert code == 1 and "no meeting with id 99" in err


def test_close_without_a_next_meeting_lists_the_cases_needing_one(capsys, db):
    only = create(capsys, db, date.today())
    run(capsys, "--db", db, "import", str(TWO), "--meeting", str(only))
    code, out, _ = run(capsys, "--db", db, "meeting", "close", str(only))
    assert code == 0
    assert "needs a meeting" in out and "2 case(s) need a meeting" in out


def test_close_of_a_series_meeting_creates_the_next_one_if_needed(capsys, db):
    tuesday = next_weekday(1)
    first = create(capsys, db, tuesday, "--every", "tue", "--weeks-ahead", "1")
    run(capsys, "--db", db, "import", str(VALID), "--meeting", str(first))
    code, out, _ = run(capsys, "--db", db, "meeting", "close", str(first))
    assert code == 0 and (tuesday + timedelta(weeks=1)).isoformat() in out


def test_cancel_needs_a_reason_and_moves_the_cases(capsys, db):
    today = date.today()
    first = create(capsys, db, today)
    second = create(capsys, db, today + timedelta(days=7))
    run(capsys, "--db", db, "import", str(TWO), "--meeting", str(first))
    code, _, err = run(capsys, "--db", db, "meeting", "cancel", str(first), "--reason", " ")
    assert code == 1 and "needs a reason" in err
    code, out, _ = run(capsys, "--db", db, "meeting", "cancel", str(first), "--reason", "strike")
    assert code == 0 and "cancelled" in out
    code, out, _ = run(capsys, "--db", db, "meetings", "--json")
    status = {m["id"]: m["status"] for m in json.loads(out)}
    assert status[first] == "cancelled"
    with open_store(db) as store:
        assert len(store.agenda(second)) == 2


def test_edit_changes_only_what_is_given_and_is_audited(capsys, db):
    meeting_id = create(capsys, db, date.today())
    code, _, err = run(capsys, "--db", db, "meeting", "edit", str(meeting_id), "--time", "13:30")
    assert code == 0, err
    with open_store(db) as store:
        m = store.get_meeting(meeting_id)
        assert m.start_time == "13:30" and m.title == "Thyroid MDT"
        [entry] = [e for e in store.audit_log("meeting", meeting_id) if e.action == "edit_meeting"]
        assert entry.details["changes"]["start_time"] == {"from": None, "to": "13:30"}


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def searchable(capsys, db_location):
    db = db_location
    run(capsys, "--db", db, "demo", "--db", db)
    run(capsys, "--db", db, "import", str(TWO))
    return db


def rows(out: str) -> list[dict]:
    return json.loads(out)


def test_search_is_case_and_accent_insensitive(capsys, searchable):
    for text in ("dvorak", "DVOŘÁK", "Dvo", "jiri dvo", "dvo jir"):
        code, out, err = run(capsys, "--db", searchable, "search", text, "--json")
        assert code == 0, err
        found = rows(out)
        assert "B-100" in [r["mrn"] for r in found], text
        assert all("Dvořák" in r["patient"] for r in found), text
    code, out, _ = run(capsys, "--db", searchable, "search", "bjornstad", "--json")
    assert [r["patient"] for r in rows(out)] == ["Ingrid Bjørnstad"]
    code, out, _ = run(capsys, "--db", searchable, "search", "angstrom", "--json")
    assert [r["patient"] for r in rows(out)] == ["Zoë Ångström"]


def test_search_by_mrn_prefix_and_birth_date(capsys, searchable):
    code, out, _ = run(capsys, "--db", searchable, "search", "b-10", "--json")
    assert sorted(r["mrn"] for r in rows(out)) == ["B-100", "B-101"]
    code, out, _ = run(capsys, "--db", searchable, "search", "DEMO-0005", "--json")
    assert rows(out)[0]["mrn"] == "DEMO-0005"  # the exact MRN first
    with open_store(searchable) as store:
        case = store.get_case(store.find_case_by_mrn("DEMO-0005"))
    born = case.patient.birth_date
    for text in (born.isoformat(), born.strftime("%d.%m.%Y")):
        code, out, _ = run(capsys, "--db", searchable, "search", text, "--json")
        assert "DEMO-0005" in [r["mrn"] for r in rows(out)], text


def test_search_has_the_columns_of_cases(capsys, searchable):
    from mdt_app.commands.cases import COLUMNS

    code, out, _ = run(capsys, "--db", searchable, "search", "ingrid")
    header, *lines = out.splitlines()
    assert header.split("\t") == list(COLUMNS)
    [line] = lines
    values = dict(zip(COLUMNS, line.split("\t"), strict=True))
    assert values["stage"] == "IVB" and values["agenda_status"] == "queued"
    assert values["meeting_id"] and values["decision_status"] == "none"


def test_search_without_result_and_with_a_bad_date(capsys, searchable):
    code, out, err = run(capsys, "--db", searchable, "search", "zzzz")
    assert code == 0 and out.splitlines() == [out.splitlines()[0]]
    assert "no case matches 'zzzz'" in err
    code, out, _ = run(capsys, "--db", searchable, "search", "zzzz", "--json")
    assert json.loads(out) == []
    code, out, err = run(capsys, "--db", searchable, "search", "1951-02-30")
    assert code == 1 and out == "" and "not a valid date" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--db", backend_helpers.missing(searchable), "search", "x")
    assert code == 1 and backend_helpers.says_no_such_database(err) and err.count("\n") == 1


def test_cases_are_not_queued_on_a_closed_meeting(capsys, db):
    first = create(capsys, db, date.today())
    run(capsys, "--db", db, "meeting", "close", str(first))
    code, out, err = run(capsys, "--db", db, "import", str(TWO), "--meeting", str(first))
    assert code == 1 and "is closed; queue the cases on an open meeting" in err
    with open_store(db) as store:
        assert store.case_ids() == []
