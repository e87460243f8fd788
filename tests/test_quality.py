"""ruff (lint and format), mypy (mdt_app, ui, tests) and the import layers run with the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: install the test extras (pip install -e '.[test]')")
    return found


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint():
    done = _run(_tool("ruff"), "check", "mdt_app", "ui", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format():
    done = _run(_tool("ruff"), "format", "--check", "mdt_app", "ui", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy():
    """mypy over mdt_app, ui and tests as pyproject.toml sets it ([tool.mypy]): every
    function of the core annotated, the window and the tests checked."""
    done = _run(_tool("mypy"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_import_layers():
    """The layer contracts of pyproject.toml ([tool.importlinter]) hold."""
    done = _run(_tool("lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
