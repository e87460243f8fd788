"""Median time to build a Personalized Care Programme in process (printed, not asserted).

Target on the reference machine: under 150 ms for a 3-4 page programme. Run with
`pytest tests/benchmarks -m benchmark -s`; the figures are also listed at the end of every run.
"""

from __future__ import annotations

import io
import statistics
import time

import pytest
from pypdf import PdfReader

from mdt_app.documents.care_programme import build_care_programme, care_programme_from_store
from tests.test_care_programme import add_case

ROUNDS = 15


def _median_ms(fn) -> tuple[float, object]:
    result = fn()  # warm-up: fonts, texts and imports are loaded once per process
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


@pytest.mark.benchmark
@pytest.mark.parametrize(
    ("label", "options", "large"),
    [
        ("2 options", ("BRAF_MEK", "PALLIATIVE_CARE"), False),
        ("3 options", ("SURGERY_R0R1", "EBRT_CHEMO_ADJ", "THYROID_HORMONE_REPLACEMENT"), False),
        ("3 options, large print", ("SURGERY_R0R1", "EBRT_CHEMO_ADJ", "GOALS_OF_CARE"), True),
    ],
)
def test_build_care_programme(store, benchmark_report, label, options, large):
    case_id, _ = add_case(store, options=options)
    median, pdf = _median_ms(lambda: build_care_programme(store, case_id, large_print=large))
    assert isinstance(pdf, bytes)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    content, _ = _median_ms(lambda: care_programme_from_store(store, case_id))
    benchmark_report(
        f"care programme, {label}: {median:.0f} ms median of {ROUNDS} "
        f"({pages} pages; store + content {content:.0f} ms)"
    )
    assert pages >= 2


@pytest.mark.benchmark
def test_build_demo_programmes(demo_store, backend, benchmark_report):
    signed = [r.id for r in demo_store.list_cases() if r.decision_status in ("signed", "amended")]
    median, _ = _median_ms(lambda: [build_care_programme(demo_store, c) for c in signed])
    benchmark_report(
        f"care programme, every signed demo case ({len(signed)}, {backend}): "
        f"{median / len(signed):.0f} ms median per programme"
    )
    assert signed
