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


@pytest.mark.benchmark
def test_fhir_minutes_against_the_pdf_minutes(meeting_db, tmp_path, benchmark_report, monkeypatch):
    """The FHIR minutes embed one PDF per patient (a patient's record must not name the
    others). Baselines timed in the same run: the whole meeting's PDF minutes, and the
    same FHIR export with reportlab's own Paragraph (lines broken again at every wrap)."""
    from mdt_app.documents.minutes import pdf as minutes_pdf
    from mdt_app.store import open_store

    path, meeting_id = meeting_db
    with open_store(path, actor="bench") as store:
        _, pdf, _ = _timed(lambda: export_minutes(store, meeting_id, tmp_path / "m.pdf"))
        _, fhir, _ = _timed(lambda: export_minutes(store, meeting_id, tmp_path / "m.json"))
        monkeypatch.setattr(minutes_pdf, "Paragraph", minutes_pdf._Paragraph)
        _, plain, _ = _timed(lambda: export_minutes(store, meeting_id, tmp_path / "p.json"))
    benchmark_report(
        f"FHIR minutes, {CASES}-case meeting: {fhir:.2f} s, {fhir / pdf:.1f}x the PDF "
        f"minutes ({pdf:.2f} s); {plain / fhir:.1f}x faster than with reportlab's own "
        f"Paragraph ({plain:.2f} s), same run"
    )
    assert fhir > 0
