"""Time to export the minutes of a 40-case meeting in each format (printed, not asserted).

Run with `pytest tests/benchmarks -m benchmark -s`; the figures are also listed at the end
of the run.
"""

from __future__ import annotations

import time

import pytest

from mdt_app.documents.minutes import build_minutes, export_minutes
from tests.minutes_data import build_meeting

CASES = 40
ROUNDS = 3


@pytest.fixture(scope="module")
def meeting_db(tmp_path_factory):
    from mdt_app.store import open_store

    path = tmp_path_factory.mktemp("bench") / "bench.db"
    with open_store(path, actor="bench") as store:
        meeting_id, _ = build_meeting(store, CASES)
    return path, meeting_id


def _timed(fn) -> tuple[float, float, object]:
    """(first run, best of ROUNDS, last result): the first includes imports and font loading."""
    times, result = [], None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times[0], min(times), result


@pytest.mark.benchmark
@pytest.mark.parametrize("suffix", ["pdf", "docx", "csv", "json"])
def test_export_40_case_meeting(meeting_db, tmp_path, benchmark_report, suffix):
    from mdt_app.store import open_store

    path, meeting_id = meeting_db
    out = tmp_path / f"minutes.{suffix}"
    with open_store(path, actor="bench") as store:
        first, best, written = _timed(lambda: export_minutes(store, meeting_id, out))
    size = out.stat().st_size
    benchmark_report(
        f"minutes export, {CASES}-case meeting, {suffix:>4}: {best:.2f} s best of {ROUNDS} "
        f"(first {first:.2f} s), {size / 1024:.0f} KiB"
    )
    assert written == out and size > 0


@pytest.mark.benchmark
def test_build_minutes_content_40_cases(meeting_db, benchmark_report):
    from mdt_app.store import open_store

    path, meeting_id = meeting_db
    with open_store(path, actor="bench") as store:
        first, best, minutes = _timed(lambda: build_minutes(store, meeting_id))
    benchmark_report(
        f"minutes content model, {CASES}-case meeting: {best:.2f} s (first {first:.2f} s)"
    )
    assert len(minutes.items) == CASES
