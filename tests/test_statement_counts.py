"""SQL statements per operation: an agenda, `cases --meeting` and the minutes cost a
fixed number of statements, however many cases a meeting holds (no query per row)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from mdt_app.archive import CASES_PER_MEETING, add_archive
from mdt_app.documents.minutes import build_minutes
from mdt_app.store import open_store


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("counts") / "archive.db"
    with open_store(path, actor="tester") as store:
        add_archive(store, CASES_PER_MEETING + 10)
        full, small = (m.id for m in sorted(store.list_meetings(), key=lambda m: m.date)[::-1])
    return path, full, small


@contextmanager
def counted(store):
    statements: list[str] = []

    def seen(sql: str) -> None:
        if not sql.startswith(("SAVEPOINT", "RELEASE")):
            statements.append(sql)

    store.db.conn.set_trace_callback(seen)
    try:
        yield statements
    finally:
        store.db.conn.set_trace_callback(None)


def _count(path, fn) -> int:
    with open_store(path, actor="tester") as store, counted(store) as statements:
        fn(store)
    return len(statements)


def test_the_archive_has_a_full_and_a_small_meeting(archive_db):
    path, full, small = archive_db
    with open_store(path) as store:
        assert len(store.agenda(full)) == CASES_PER_MEETING
        assert len(store.agenda(small)) == 10


def test_agenda_of_40_cases_takes_at_most_10_statements(archive_db):
    path, full, _ = archive_db

    def agenda(store):
        store.list_meetings()
        store.list_cases(full)
        store.agenda(full)

    assert _count(path, agenda) <= 10


def test_cases_of_a_meeting_do_not_cost_a_query_per_row(archive_db):
    path, full, small = archive_db
    counts = [_count(path, lambda s, m=m: s.list_cases(m)) for m in (full, small)]
    assert counts[0] == counts[1] <= 3


def test_minutes_cost_the_same_statements_for_40_cases_as_for_10(archive_db):
    path, full, small = archive_db
    counts = [_count(path, lambda s, m=m: build_minutes(s, m)) for m in (full, small)]
    assert counts[0] == counts[1] <= 15


def test_meetings_list_counts_every_agenda_in_one_statement(archive_db):
    path, _, _ = archive_db
    assert _count(path, lambda s: s.agenda_counts()) == 1
