"""Fuzzing the readers (issue 11): every input is accepted or refused with one line, and a
refusal leaves the database untouched. A few hundred examples here; a longer run is in
tests/benchmarks/test_bench_fuzz.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from mdt_app.store import open_store
from tests import fuzzing

FAST = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="mdt-fuzz-") as folder:
        db = Path(folder) / "fuzz.db"
        open_store(db, actor="fuzz").close()
        yield Path(folder), db


@FAST
@given(text=fuzzing.mutated_document(fuzzing.CASE_BASE))
def test_case_files_are_accepted_or_refused_in_one_line(workdir, text):
    _, fault = fuzzing.import_fault(text, *workdir)
    assert fault is None, fault


@FAST
@given(text=fuzzing.mutated_document(fuzzing.BUNDLE_BASE))
def test_fhir_bundles_are_accepted_or_refused_in_one_line(workdir, text):
    _, fault = fuzzing.import_fault(text, *workdir)
    assert fault is None, fault


@FAST
@given(text=fuzzing.mutated_pathway())
def test_pathway_files_load_or_are_refused_in_one_line(workdir, text):
    _, fault = fuzzing.pathway_fault(text, workdir[0])
    assert fault is None, fault
