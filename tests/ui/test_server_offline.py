"""Offline on a team server (issue 19, point 6): the server goes out of reach mid-meeting
(the window's connections are cut and no new one is let in), the chair keeps typing,
the draft is kept on this computer, and it is saved when the server lets the window back
in. Unlike tests/ui/test_offline_drafts.py, nothing here is simulated: the server itself
drops and refuses the connections."""

from __future__ import annotations

import pytest
from ui_helpers import open_window

from mdt_app.demo import build_demo_database
from mdt_app.live.local_drafts import LocalDrafts
from mdt_app.paths import ServerURL
from mdt_app.store import open_store


@pytest.fixture
def server(pg_cluster, pg_url):
    """The demo on a fresh team database, and a switch that takes it out of reach."""
    build_demo_database(pg_url)
    name = ServerURL(pg_url).name

    class Switch:
        def cut(self) -> None:
            """No new connection to the database, and every open one dropped."""
            pg_cluster.admin(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
            pg_cluster.admin(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )

        def restore(self) -> None:
            pg_cluster.admin(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")

    switch = Switch()
    yield pg_url, switch
    switch.restore()  # the fixture's teardown drops the database


def _open_draft(window) -> int:
    line = next(x for x in window.agenda.model.rows() if x.decision_status == "draft")
    window.agenda.select_item(line.item_id)
    return line.item_id


def _type(window, text: str) -> None:
    window.decision.plan.setPlainText(text)
    window.decision.flush()  # what the autosave does after a pause in typing


def test_the_server_lost_mid_meeting_keeps_the_typing_and_saves_it_on_return(qtbot, server):
    url, switch = server
    window = open_window(qtbot, url)
    item_id = _open_draft(window)
    assert window.decision.state.editable and not window.live_banner.is_offline
    switch.cut()
    _type(window, "Typed while the server was gone")
    assert window.live_banner.is_offline
    assert "OFFLINE" in window.windowTitle() and "OFFLINE" in window.live_banner.offline.text()
    assert not [m for m in window.prompts.messages if m[0] == "warn"]  # no dialog mid-meeting
    kept = LocalDrafts(url).get(item_id)
    assert kept is not None and kept.decision.plan_text == "Typed while the server was gone"
    # The chair types on; the reconnect attempts (once a second) fail meanwhile.
    qtbot.wait(1500)
    _type(window, "Typed while the server was gone, and more")
    assert window.live_banner.is_offline
    assert LocalDrafts(url).get(item_id).decision.plan_text.endswith("and more")
    assert window.decision.plan.toPlainText().endswith("and more")
    switch.restore()
    qtbot.waitUntil(lambda: not window.live_banner.is_offline, timeout=8000)
    assert not window.decision.dirty and "OFFLINE" not in window.windowTitle()
    assert LocalDrafts(url).get(item_id) is None  # removed once it is in the database
    with open_store(url) as store:
        assert store.current_draft(item_id).plan_text.endswith("and more")
    # And the window works on: the next pause saves straight to the server again.
    _type(window, "Saved online again")
    assert not window.live_banner.is_offline and not window.decision.dirty
    with open_store(url) as store:
        assert store.current_draft(item_id).plan_text == "Saved online again"
    window.close()


def test_a_server_gone_while_nobody_types_shows_offline_then_online(qtbot, server):
    url, switch = server
    window = open_window(qtbot, url)
    _open_draft(window)
    switch.cut()
    qtbot.waitUntil(lambda: window.live_banner.is_offline, timeout=5000)  # the feed noticed
    assert "OFFLINE" in window.windowTitle()
    switch.restore()
    qtbot.waitUntil(lambda: not window.live_banner.is_offline, timeout=8000)
    window.close()


def test_a_window_killed_while_its_server_was_gone_leaves_the_draft_offered(qtbot, server):
    import signal
    import subprocess
    import sys
    from pathlib import Path

    url, switch = server
    script = Path(__file__).with_name("offline_window.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), url, "Typed, then SIGKILL, server gone"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        switch.cut()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        kept = proc.stdout.readline().split()
        assert kept and kept[0] == "kept", kept
        item_id = int(kept[1])
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    switch.restore()
    window = open_window(qtbot, url)  # the next start, the server back
    window.prompts.answers["local_draft"] = "restore"
    window.live.offer_leftovers()
    assert window.decision.plan.toPlainText() == "Typed, then SIGKILL, server gone"
    with open_store(url) as store:
        assert store.current_draft(item_id).plan_text == "Typed, then SIGKILL, server gone"
    assert LocalDrafts(url).leftovers() == []
    window.close()
