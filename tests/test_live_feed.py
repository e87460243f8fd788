"""The change feed between two clients of one SQLite file, and the availability error
(issue 19, point 4)."""

from __future__ import annotations

import sqlite3
import time

import pytest
from store_helpers import build_db, signable_draft

from mdt_app import domain as d
from mdt_app.errors import DatabaseUnavailable, StoreError
from mdt_app.live.change_feed import SqliteChangeFeed, open_change_feed, register_feed
from mdt_app.live.changes import resolve
from mdt_app.store import open_store


def _two_clients(db):
    meeting_id, item, draft = build_db(db)
    chair = open_store(db, actor="chair")
    coordinator = open_store(db, actor="coordinator")
    yield db, meeting_id, item, draft, chair, coordinator
    chair.close()
    coordinator.close()


@pytest.fixture
def two_clients(db_location):
    """The chair's window and the coordinator's desk on one database: a file, then a
    team database on the test server (where the feed is LISTEN/NOTIFY)."""
    yield from _two_clients(db_location)


@pytest.fixture
def two_file_clients(tmp_path):
    """The same on one file, for what only a file has (it can vanish from a share)."""
    yield from _two_clients(tmp_path / "team.db")


def _heard(feed) -> list:
    """What the feed tells, polled as the window does (4 times a second) until it tells
    something: a server's notification arrives over the network, a file's at once."""
    deadline = time.monotonic() + 3
    while True:
        changes = feed.poll()
        if changes or time.monotonic() > deadline:
            return changes
        time.sleep(0.05)


def test_another_clients_sign_off_is_told_with_who_and_where(two_clients):
    _db, meeting_id, item, draft, chair, coordinator = two_clients
    feed = open_change_feed(chair)
    assert feed.poll() == []
    coordinator.sign_decision(draft.id, "Dr Chair", draft.version)
    changes = _heard(feed)
    signs = [c for c in changes if c.action == "sign_decision"]
    assert len(signs) == 1
    sign = signs[0]
    assert sign.actor == "coordinator"
    assert sign.meeting_ids == {meeting_id} and sign.case_ids == {item.case_id}
    assert sign.agenda_item_id == item.id and sign.decision_id == draft.id
    assert feed.poll() == []  # each change is told once


def test_own_writes_are_not_told_back_on_a_file(two_clients, backend):
    _db, meeting_id, item, draft, chair, _coordinator = two_clients
    feed = open_change_feed(chair)
    chair.save_draft(signable_draft(item, plan_text="Mine", id=draft.id, version=draft.version))
    if backend == "sqlite":
        assert feed.poll() == []
    else:  # the server's feed tells them too, as this client's own (the window compares
        # versions and leaves alone what it already shows: change_feed.py)
        assert {c.actor for c in _heard(feed)} == {"chair"}


def test_agenda_changes_of_another_client_name_the_meeting(two_clients):
    _db, meeting_id, item, _draft, chair, coordinator = two_clients
    second_case, _ = coordinator.import_case(
        d.Case(patient=d.Patient(mrn="LIVE-2", family_name="Second", given_name="Ann"))
    )
    feed = open_change_feed(chair)
    added = coordinator.add_to_agenda(meeting_id, second_case)
    coordinator.move_agenda_item(added.id, 1)
    heard = _heard(feed)
    if len(heard) < 2:  # the second notification may arrive a moment after the first
        heard += _heard(feed)
    actions = [(c.action, c.actor, tuple(c.meeting_ids)) for c in heard]
    assert ("add_to_agenda", "coordinator", (meeting_id,)) in actions
    assert ("move_agenda_item", "coordinator", (meeting_id,)) in actions


def test_a_discarded_draft_is_still_named_by_its_id(two_clients):
    _db, _meeting_id, _item, draft, chair, coordinator = two_clients
    feed = open_change_feed(chair)
    coordinator.discard_draft(draft.id, draft.version)
    (change,) = [c for c in _heard(feed) if c.action == "discard_draft"]
    assert change.decision_id == draft.id and not change.placed


def test_a_client_that_comes_and_goes_is_seen(tmp_path):
    # data_version is per connection: a client opened after the feed started counts.
    db = tmp_path / "team.db"
    meeting_id, _item, _draft = build_db(db)
    with open_store(db, actor="chair") as chair:
        feed = SqliteChangeFeed(chair)
        with open_store(db, actor="nurse") as nurse:
            nurse.set_attendance(meeting_id, [d.Attendee("Dr A", "surgeon")])
        (change,) = feed.poll()
        assert (change.action, change.actor) == ("set_attendance", "nurse")


def test_a_vanished_file_is_unavailable_until_it_is_back(two_file_clients, tmp_path):
    db, *_rest, chair, _coordinator = two_file_clients
    feed = open_change_feed(chair)
    moved = tmp_path / "elsewhere.db"
    db.rename(moved)
    with pytest.raises(DatabaseUnavailable, match="cannot be found"):
        feed.poll()
    with pytest.raises(DatabaseUnavailable, match="cannot be found"):
        feed.check_available()  # asked before a save: SQLite would write into the void
    assert not feed.reachable()
    moved.rename(db)  # the share is back: the same file
    assert feed.reachable()
    assert feed.poll() == []


def test_a_lock_held_past_the_wait_is_unavailable_then_reachable(tmp_path):
    db = tmp_path / "team.db"
    _meeting_id, item, draft = build_db(db)
    with open_store(db, actor="chair", busy_timeout=0.2) as chair:
        feed = open_change_feed(chair)
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            assert not feed.reachable()
            assert time.monotonic() - started < 0.15  # the probe never waits
            with pytest.raises(StoreError, match="locked") as refused:
                chair.save_draft(signable_draft(item, id=draft.id, version=draft.version))
            assert isinstance(refused.value, DatabaseUnavailable)
            assert "\n" not in str(refused.value)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert feed.reachable()
        assert chair.busy_timeout == 0.2  # the probe gave the wait back
        chair.save_draft(
            signable_draft(item, plan_text="After", id=draft.id, version=draft.version)
        )


def test_a_backend_registers_its_own_feed(store, monkeypatch):
    made = []

    class ServerFeed:
        def __init__(self, s):
            made.append(s)

        def poll(self):
            return []

        def reachable(self):
            return True

        def check_available(self):
            pass

    register_feed("postgresql-test", ServerFeed)
    monkeypatch.setattr(store, "backend", "postgresql-test", raising=False)
    assert isinstance(open_change_feed(store), ServerFeed) and made == [store]
    monkeypatch.setattr(store, "backend", "nothing-known", raising=False)
    with pytest.raises(StoreError, match="no change feed"):
        open_change_feed(store)


def test_an_entry_with_broken_details_is_still_placed(store):
    change = resolve(
        store,
        {"id": 9, "at": "2026-12-02T00:00:00", "actor": "x", "action": "edit_case",
         "entity": "case", "entity_id": 4, "details": "not json"},
    )  # fmt: skip
    assert change.case_ids == {4} and change.placed
