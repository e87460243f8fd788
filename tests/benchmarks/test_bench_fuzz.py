"""The long fuzz run (issue 11): thousands of mutated case files, FHIR Bundles and pathway
files; every one must be accepted or refused in one line with the database untouched.

Run with `pytest tests/benchmarks -m benchmark -s` (MDT_APP_FUZZ_EXAMPLES sets the
inputs per reader: default 1500 when benchmarks are asked for with -m, else 200 so that
the whole suite stays quick). Crashes are counted, not stopped at, and the figures
(inputs / crashes by kind) are printed at the end of the run.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from mdt_app.store import open_store
from tests import fuzzing


def _examples(config: pytest.Config) -> int:
    asked = os.environ.get("MDT_APP_FUZZ_EXAMPLES")
    if asked:
        return int(asked)
    return 1500 if "benchmark" in (config.option.markexpr or "") else 200


READERS = {
    "mdt-case reader": fuzzing.mutated_document(fuzzing.CASE_BASE),
    "FHIR reader": fuzzing.mutated_document(fuzzing.BUNDLE_BASE),
    "pathway loader": fuzzing.mutated_pathway(),
}


@pytest.mark.benchmark
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("reader", list(READERS))
def test_long_fuzz(reader, benchmark_report, request):
    examples = _examples(request.config)
    counts: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="mdt-fuzz-long-") as name:
        folder = Path(name)
        db = folder / "fuzz.db"
        open_store(db, actor="fuzz").close()

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(text=READERS[reader])
        def run(text: str) -> None:
            counts["inputs"] += 1
            try:
                if reader == "pathway loader":
                    ok, fault = fuzzing.pathway_fault(text, folder)
                else:
                    ok, fault = fuzzing.import_fault(text, folder, db)
            except Exception as exc:  # a crash: count its kind, keep fuzzing
                crashes[f"{type(exc).__name__}: {str(exc)[:80]}"] += 1
                return
            if fault:
                crashes[fault[:80]] += 1
                return
            counts["accepted" if ok else "refused"] += 1

        started = time.perf_counter()
        run()
        seconds = time.perf_counter() - started
    benchmark_report(
        f"fuzz {reader}: {counts['inputs']} inputs, {counts['accepted']} accepted, "
        f"{counts['refused']} refused in one line, {sum(crashes.values())} crashes "
        f"({len(crashes)} kinds) in {seconds:.0f} s"
    )
    assert not crashes, crashes.most_common(5)
