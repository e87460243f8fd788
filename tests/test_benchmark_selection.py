"""Benchmarks run only when asked for (`pytest -m benchmark -s`), never in the normal suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collected(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


def test_benchmarks_are_left_out_by_default():
    out = collected("tests/benchmarks")
    assert "::test_" not in out and "deselected" in out, out


def test_benchmarks_run_when_asked():
    out = collected("tests/benchmarks", "-m", "benchmark")
    assert "test_bench_minutes.py::test_export_40_case_meeting" in out, out
    assert "deselected" not in out
