"""docs/widget-names.md is current, and every name it lists exists in the window."""

from __future__ import annotations

from pathlib import Path

from mdt_app.security import roles
from mdt_app.tools.widget_names import FIXED, REGENERATE, widget_names_markdown

PAGE = Path(__file__).resolve().parents[2] / "docs" / "widget-names.md"


def test_the_page_is_current():
    assert PAGE.read_text(encoding="utf-8") == widget_names_markdown(), (
        f"docs/widget-names.md is stale: {REGENERATE}"
    )


def test_every_listed_name_exists_in_the_window(meeting_window):
    names = [n for n, _ in FIXED] + list(roles.WINDOW_ACTIONS) + list(roles.FORM_BUTTONS)
    missing = [
        n for n in names if n != "mainWindow" and meeting_window.findChild(object, n) is None
    ]
    assert meeting_window.objectName() == "mainWindow"
    assert not missing, missing
