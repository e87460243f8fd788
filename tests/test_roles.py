"""The role table in the core: every window action and every command is listed, and the
command line refuses a signed-in user whose role is not given the command."""

from __future__ import annotations

import argparse

import pytest

from mdt_app.cli import build_parser, main
from mdt_app.security import roles
from mdt_app.security.demo_users import DEMO_PASSWORD


def _window_action_names() -> set[str]:
    from ui.window_actions import SPECS

    return {spec.name for spec in SPECS}


def test_every_window_action_is_in_the_core_table():
    missing = _window_action_names() - set(roles.WINDOW_ACTIONS)
    assert not missing, f"add to mdt_app/security/roles.py WINDOW_ACTIONS: {sorted(missing)}"


def _commands() -> set[str]:
    parser = build_parser()
    names = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                if inner:
                    names |= {f"{name} {word}" for word in inner[0].choices}
                else:
                    names.add(name)
    return names


def test_every_command_is_either_a_write_with_roles_or_a_read():
    commands = _commands()
    listed = set(roles.COMMANDS) | set(roles.READ_COMMANDS)
    missing = commands - listed - {"centre"}
    assert not missing, f"add to roles.COMMANDS or READ_COMMANDS: {sorted(missing)}"
    assert not (set(roles.COMMANDS) - commands - {"centre set"}), "a listed command is gone"


@pytest.mark.parametrize(
    ("role", "command", "allowed"),
    [
        ("nurse", "minutes", False),
        ("nurse", "care-programme", True),
        ("member", "meeting create", False),
        ("member", "refer", True),
        ("administrator", "minutes", True),
        ("administrator", "refer", False),
        ("administrator", "user add", True),
        ("member", "user add", False),
        ("nurse", "cases", True),
        (None, "minutes", True),  # no --as: the OS login's write, marked not authenticated
    ],
)
def test_command_rules(role, command, allowed):
    assert roles.command_allowed(command, role) is allowed


@pytest.fixture(scope="module")
def own_demo(tmp_path_factory):
    """A demo database of this module's own (these tests write to it)."""
    from mdt_app.demo import build_demo_database

    return build_demo_database(tmp_path_factory.mktemp("roles") / "demo.db")


def test_a_nurse_cannot_export_minutes_from_the_command_line(
    own_demo, tmp_path, capsys, monkeypatch
):
    demo_db = own_demo
    monkeypatch.setenv("MDT_APP_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "m.csv"
    code = main(["minutes", "1", "-o", str(out), "--db", str(demo_db), "--as", "gosia"])
    err = capsys.readouterr().err
    assert code == 1 and "a nurse cannot run `mdt-app minutes`" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()
    code = main(["minutes", "1", "-o", str(out), "--db", str(demo_db), "--as", "coordinator"])
    assert code == 0, capsys.readouterr().err


def test_a_member_cannot_plan_a_meeting(own_demo, capsys, monkeypatch):
    demo_db = own_demo
    monkeypatch.setenv("MDT_APP_PASSWORD", DEMO_PASSWORD)
    argv = ["meeting", "create", "--date", "2027-01-06", "--title", "X", "--chair", "Dr A"]
    before = len(
        __import__("mdt_app.store", fromlist=["open_store"]).open_store(demo_db).list_meetings()
    )
    assert main([*argv, "--db", str(demo_db), "--as", "bartek"]) == 1
    assert "a member cannot run `mdt-app meeting create`" in capsys.readouterr().err
    from mdt_app.store import open_store

    with open_store(demo_db) as store:
        assert len(store.list_meetings()) == before
