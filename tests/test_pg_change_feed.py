"""The team database's change feed: another client's change is heard at its commit (and
not before), read from the audit log; a lost connection says so and comes back."""

from __future__ import annotations

import time
from dataclasses import dataclass

import psycopg
import pytest

from mdt_app import domain as d
from mdt_app.errors import StoreError
from mdt_app.store import open_store
from mdt_app.store.pg.change_feed import PgChangeFeed


@dataclass(frozen=True)
class Entry:
    audit_id: int
    action: str
    actor: str


def changes_after(store, audit_id: int) -> list[Entry]:
    rows = store.query(
        "SELECT id, action, actor FROM audit_log WHERE id > ? ORDER BY id LIMIT 100", [audit_id]
    )
    return [Entry(r["id"], r["action"], r["actor"]) for r in rows]


def newest(store) -> int:
    return int(store.query("SELECT coalesce(max(id), 0) AS n FROM audit_log")[0]["n"])


class Gone(StoreError):
    pass


def _poll_until(feed, seconds: float = 2.0) -> list[Entry]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = feed.poll()
        if found:
            return found
        time.sleep(0.02)
    return []


def test_another_clients_change_is_heard_at_its_commit(pg_url):
    with open_store(pg_url, actor="window") as window, open_store(pg_url, actor="desk") as desk:
        assert window.backend == "postgresql"
        feed = PgChangeFeed(window, changes_after, newest, Gone, resync_seconds=3600)
        try:
            assert feed.poll() == []
            with desk.atomic():
                meeting = desk.create_meeting(d.Meeting(date=d.date(2026, 12, 9), title="ATC"))
                time.sleep(0.1)
                assert feed.poll() == []  # not committed yet: nothing to read
            started = time.monotonic()
            found = _poll_until(feed)
            assert time.monotonic() - started < 1.0
            assert [(e.action, e.actor) for e in found] == [("create_meeting", "desk")]
            desk.set_attendance(meeting, [d.Attendee("Dr A", "surgeon")])
            assert [e.action for e in _poll_until(feed)] == ["set_attendance"]
            assert feed.poll() == []
        finally:
            feed.close()


def test_a_lost_connection_is_told_and_comes_back(pg_url):
    with open_store(pg_url, actor="window") as window, open_store(pg_url, actor="desk") as desk:
        feed = PgChangeFeed(window, changes_after, newest, Gone, resync_seconds=0)
        try:
            admin = psycopg.connect(pg_url, autocommit=True)
            pids = [feed.listener.info.backend_pid, window.db.conn.raw.info.backend_pid]
            for pid in pids:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            admin.close()
            time.sleep(0.2)
            with pytest.raises(Gone):
                for _ in range(3):  # the drop shows at the next use of either connection
                    feed.poll()
            desk.set_setting("while_away", 1)
            deadline = time.monotonic() + 5
            while not feed.reachable():
                assert time.monotonic() < deadline
                time.sleep(0.1)
            assert [e.action for e in _poll_until(feed)] == ["set_setting"]
            assert window.get_setting("while_away") == 1  # the store works again
        finally:
            feed.close()


def test_the_live_layer_picks_the_server_feed(pg_url):
    from mdt_app.errors import DatabaseUnavailable
    from mdt_app.live.change_feed import open_change_feed

    with open_store(pg_url, actor="window") as window, open_store(pg_url, actor="desk") as desk:
        feed = open_change_feed(window)
        try:
            assert isinstance(feed, PgChangeFeed) and feed.unavailable is DatabaseUnavailable
            meeting = desk.create_meeting(d.Meeting(date=d.date(2026, 12, 9), title="ATC"))
            (change,) = _poll_until(feed)
            assert (change.action, change.actor, change.meeting_ids) == (
                "create_meeting",
                "desk",
                frozenset({meeting}),
            )
        finally:
            feed.close()
