"""Shared fixtures. Qt runs offscreen; every data directory goes to tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    """No test touches the real user data directory or a real MDT_APP_DB."""
    monkeypatch.setenv("MDT_APP_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def store(tmp_path):
    from mdt_app.store import open_store

    s = open_store(tmp_path / "test.db", actor="tester")
    yield s
    s.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    from mdt_app.demo import build_demo_database

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    build_demo_database(path)
    return path


@pytest.fixture
def demo_db(_demo_template, tmp_path) -> Path:
    """A fresh copy of the demo database for one test."""
    target = tmp_path / "demo.db"
    shutil.copy(_demo_template, target)
    return target


@pytest.fixture
def demo_store(demo_db):
    from mdt_app.store import open_store

    s = open_store(demo_db, actor="tester")
    yield s
    s.close()


_FIGURES: list[str] = []


@pytest.fixture
def benchmark_report():
    """Benchmarks report figures through this; they are printed at the end of every run."""

    def report(line: str) -> None:
        _FIGURES.append(line)
        print(line)

    return report


def pytest_collection_modifyitems(config, items):
    """Benchmarks run only when asked for by name (`pytest -m benchmark -s`): they take
    time and print figures; the normal suite never times anything."""
    if "benchmark" in (config.getoption("markexpr") or ""):
        return  # -m benchmark, or an expression that decides about them itself
    chosen = [item for item in items if item.get_closest_marker("benchmark") is None]
    if len(chosen) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("benchmark figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
