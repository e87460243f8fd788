"""Offline (issue 19, point 6): the database goes out of reach mid-meeting, the chair
keeps typing, the draft is kept on this computer and saved when the database is back;
a draft left by a window that died offline is offered on the next start."""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import replace
from typing import Any

import psycopg
import pytest
from ui_helpers import open_window

from mdt_app.errors import DatabaseUnavailable
from mdt_app.live.local_drafts import LocalDrafts, drafts_dir
from mdt_app.paths import ServerURL
from mdt_app.store import open_store
from mdt_app.store.pg.dialect import WRITE_LOCK


def _open_draft(window):
    for line in window.agenda.model.rows():
        if line.decision_status == "draft":
            window.agenda.select_item(line.item_id)
            return line.item_id
    raise AssertionError("no draft in the demo")


def _type(window, text):
    window.decision.plan.setPlainText(text)
    window.decision.flush()  # what the autosave does after a pause in typing


@pytest.fixture
def locked(demo_db):
    """Another program holds the write lock (a backup, a stuck client) until released: a
    file's write transaction, or the team server's writers' lock."""
    holder: Any
    if ServerURL.is_server(demo_db):
        holder = psycopg.connect(str(demo_db), autocommit=True)
        take = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
    else:
        holder = sqlite3.connect(demo_db, isolation_level=None)
        take = "BEGIN IMMEDIATE"

    class Lock:
        held = False

        def take(self):
            for statement in take.split("; "):
                holder.execute(statement)
            self.held = True

        def release(self):
            if self.held:
                holder.execute("ROLLBACK")
                self.held = False

    lock = Lock()
    yield lock
    lock.release()
    holder.close()


def _short_wait(window):
    window.store.busy_timeout = 0.2  # the server's lock wait is set per write from this
    if not ServerURL.is_server(window.store.path):
        window.store.db.execute("PRAGMA busy_timeout = 200")


def test_a_lock_held_too_long_goes_offline_keeps_typing_and_saves_when_released(
    qtbot, meeting_window, demo_db, locked
):
    window = meeting_window
    _short_wait(window)
    item_id = _open_draft(window)
    locked.take()
    _type(window, "Plan typed while the database is locked")
    assert window.live_banner.is_offline
    assert "OFFLINE" in window.live_banner.offline.text() and "OFFLINE" in window.windowTitle()
    assert not [m for m in window.prompts.messages if m[0] == "warn"]  # no dialog mid-meeting
    kept = LocalDrafts(demo_db).get(item_id)
    assert kept is not None and kept.decision.plan_text == "Plan typed while the database is locked"
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600
    # Typing goes on: each pause replaces the kept copy, without waiting on the lock.
    _type(window, "Plan typed while the database is locked, and more")
    assert LocalDrafts(demo_db).get(item_id).decision.plan_text.endswith("and more")
    assert window.decision.plan.toPlainText().endswith("and more")
    locked.release()
    qtbot.waitUntil(lambda: not window.live_banner.is_offline, timeout=3000)
    assert not window.decision.dirty
    assert LocalDrafts(demo_db).get(item_id) is None
    assert "OFFLINE" not in window.windowTitle()
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text.endswith("and more")


def test_a_lost_connection_is_offline_and_a_change_made_meanwhile_is_a_conflict(
    qtbot, meeting_window, demo_db, monkeypatch
):
    window = meeting_window
    item_id = _open_draft(window)
    down = {"on": True}
    real_save, real_poll = window.store.save_draft, window.live.feed.poll

    def save(decision):
        if down["on"]:
            raise DatabaseUnavailable("team server: the connection was lost")
        return real_save(decision)

    def poll():
        if down["on"]:
            raise DatabaseUnavailable("team server: the connection was lost")
        return real_poll()

    monkeypatch.setattr(window.store, "save_draft", save)
    monkeypatch.setattr(window.live.feed, "poll", poll)
    monkeypatch.setattr(window.live.feed, "reachable", lambda: not down["on"])
    qtbot.waitUntil(lambda: window.live_banner.is_offline, timeout=1000)  # the poll noticed
    assert "connection was lost" in window.live_banner.offline.text()
    _type(window, "Mine, typed offline")
    with open_store(demo_db, actor="colleague") as other:  # another client still reaches it
        draft = other.current_draft(item_id)
        other.save_draft(replace(draft, plan_text="Theirs, saved meanwhile"))
    down["on"] = False
    qtbot.waitUntil(lambda: any(k == "conflict" for k, _ in window.prompts.asked), timeout=3000)
    assert window.decision.plan.toPlainText() == "Mine, typed offline"  # never overwritten
    assert window.decision.dirty
    assert LocalDrafts(demo_db).get(item_id) is not None  # kept until it is saved
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text == "Theirs, saved meanwhile"
    window.prompts.answers["conflict"] = "overwrite"  # after review, the chair's words win
    _type(window, "Mine, typed offline, reviewed")
    assert LocalDrafts(demo_db).get(item_id) is None
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text == "Mine, typed offline, reviewed"


def _die_offline(qtbot, demo_db, locked, text):
    """A window goes offline, the chair types, and the window is killed (no close)."""
    window = open_window(qtbot, demo_db)
    _short_wait(window)
    item_id = _open_draft(window)
    locked.take()
    _type(window, text)
    assert window.live_banner.is_offline
    window.live.stop()  # killed: nothing more runs, nothing is saved on the way out
    window.store.close()
    window.hide()
    locked.release()
    return item_id


def test_a_draft_left_by_a_killed_window_is_offered_and_restored(qtbot, demo_db, locked):
    item_id = _die_offline(qtbot, demo_db, locked, "Typed before the laptop died")
    window = open_window(qtbot, demo_db)
    qtbot.waitUntil(lambda: any(k == "local_draft" for k, _ in window.prompts.asked), timeout=1000)
    (what, reason) = next(a for k, a in window.prompts.asked if k == "local_draft")
    assert "typed" in what and ("locked" in reason or "busy with another user" in reason)
    assert LocalDrafts(demo_db).get(item_id) is not None  # "later": still kept
    window.prompts.answers["local_draft"] = "restore"
    window.live.offer_leftovers()
    assert window.session.item.id == item_id
    assert window.decision.plan.toPlainText() == "Typed before the laptop died"
    assert not window.decision.dirty and LocalDrafts(demo_db).get(item_id) is None
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text == "Typed before the laptop died"
    window.close()


def test_a_left_draft_can_be_exported_to_a_file(qtbot, demo_db, locked, tmp_path):
    item_id = _die_offline(qtbot, demo_db, locked, "Words to keep in a file")
    window = open_window(qtbot, demo_db)
    target = tmp_path / "exported.txt"
    window.prompts.answers.update(local_draft="export", save_path=str(target))
    window.live.offer_leftovers()
    text = target.read_text(encoding="utf-8")
    assert "Words to keep in a file" in text and "MRN" in text
    assert LocalDrafts(demo_db).get(item_id) is None
    window.close()


def test_closing_while_offline_keeps_the_draft_without_asking_to_lose_it(
    qtbot, meeting_window, demo_db, locked
):
    window = meeting_window
    _short_wait(window)
    item_id = _open_draft(window)
    locked.take()
    _type(window, "Closing the lid mid-sentence")
    window.decision.plan.setPlainText("Closing the lid mid-sentence, last words")
    window.close()
    assert not [m for m in window.prompts.messages if m[0] == "confirm"]
    assert not window.isVisible()
    kept = LocalDrafts(demo_db).get(item_id)
    assert kept.decision.plan_text == "Closing the lid mid-sentence, last words"
    assert list(drafts_dir().glob("*.json")) == [kept.path]


def test_the_typed_draft_can_be_exported_while_offline(qtbot, meeting_window, locked, tmp_path):
    window = meeting_window
    _short_wait(window)
    _open_draft(window)
    locked.take()
    _type(window, "Export me now")
    window.prompts.answers["save_path"] = str(tmp_path / "now.txt")
    window.actions["exportDraftAction"].trigger()
    assert "Export me now" in (tmp_path / "now.txt").read_text(encoding="utf-8")


def test_a_window_killed_offline_in_its_own_process_leaves_the_draft_offered(
    qtbot, demo_db, locked
):
    import signal
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).with_name("offline_window.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(demo_db), "Typed, then SIGKILL"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        locked.take()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        kept = proc.stdout.readline().split()
        assert kept[0] == "kept"
        item_id = int(kept[1])
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    locked.release()
    window = open_window(qtbot, demo_db)
    window.prompts.answers["local_draft"] = "restore"
    window.live.offer_leftovers()
    assert window.decision.plan.toPlainText() == "Typed, then SIGKILL"
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text == "Typed, then SIGKILL"
    assert LocalDrafts(demo_db).leftovers() == []
    window.close()


def test_a_database_file_gone_from_its_share_is_offline_and_no_save_is_lost(
    qtbot, demo_file, tmp_path
):
    demo_db = demo_file  # a file that vanishes: a server has none
    window = open_window(qtbot, demo_db)
    item_id = _open_draft(window)
    away = tmp_path / "share-unmounted.db"
    demo_db.rename(away)  # SQLite would go on writing into the file that is gone
    try:
        _type(window, "Typed while the share is gone")
        assert (
            window.live_banner.is_offline and "cannot be found" in window.live_banner.offline.text()
        )
        assert (
            LocalDrafts(demo_db).get(item_id).decision.plan_text == "Typed while the share is gone"
        )
        assert window.decision.dirty  # not saved anywhere but here, until the file is back
    finally:
        away.rename(demo_db)
    qtbot.waitUntil(lambda: not window.live_banner.is_offline, timeout=3000)
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text == "Typed while the share is gone"
    assert LocalDrafts(demo_db).get(item_id) is None
