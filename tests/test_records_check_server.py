"""The window's records check on open, on a team server: the same faults on the worker
thread and in the child process, and the server's URL (which may hold a password) never
in the child's arguments."""

from __future__ import annotations

import subprocess

import psycopg
import pytest

from mdt_app.paths import ServerURL
from mdt_app.security import records_check


@pytest.mark.parametrize("child_from", [0, 10**9])
def test_a_sound_team_database_has_no_faults(pg_demo_url, monkeypatch, child_from):
    monkeypatch.setattr(records_check, "CHILD_PROCESS_FROM", child_from)
    assert records_check.records_faults(ServerURL(pg_demo_url)) == []


def test_a_disabled_trigger_is_found_in_the_thread_and_in_the_child(pg_demo_url, monkeypatch):
    with psycopg.connect(pg_demo_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE decisions DISABLE TRIGGER signed_decision_guard")
    url = ServerURL(pg_demo_url)
    in_thread = records_check.records_faults(url)
    assert any("signed_decision_guard: disabled" in fault for fault in in_thread)
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(command, **kwargs):
        started.append(list(command))
        return real_popen(command, **kwargs)

    monkeypatch.setattr(records_check, "CHILD_PROCESS_FROM", 0)
    monkeypatch.setattr(records_check.subprocess, "Popen", recording_popen)
    assert records_check.records_faults(url) == in_thread
    assert started and not any(pg_demo_url in part for part in started[0])
