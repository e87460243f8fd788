"""Every case file under tests/fixtures/ through `mdt-app recommend`, and v1 -> v2.

Files written before pathway 2.0 (no new fields) must give the same answer under 2.0 as
under 1.0 for every option whose rule version 2 did not change (resources/guidelines/
README.md lists the changes). The 1.0 file is kept as resources/guidelines/history/.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mdt_app.casefile import read_case_file
from mdt_app.cli import main
from mdt_app.guideline import load_pathway, recommend
from mdt_app.paths import resource_path

FIXTURES = Path(__file__).parent / "fixtures"
CASE_FILES = sorted(
    p for p in FIXTURES.rglob("*.json") if '"mdt-case/1"' in p.read_text(encoding="utf-8")
)
V1 = resource_path("guidelines", "history", "atc-1.0.yaml")
TODAY = date(2026, 12, 1)
# Options whose rules version 2 left as they were (v2 change list, README).
UNCHANGED = (
    "BIOPSY_CORE",
    "STAGING_IMAGING",
    "BRAIN_MRI",
    "PS_ASSESS",
    "AIRWAY_ASSESSMENT",
    "CAPACITY_ASSESSMENT",
    "GOALS_OF_CARE",
    "PALLIATIVE_CARE",
    "ADVANCE_DIRECTIVE",
    "AIRWAY_SECURE",
    "PREEMPTIVE_TRACH",
    "RADICAL_RESECTION",
    "DEBULKING_R2",
    "NEURO_RADONC_REFERRAL",
    "DEXAMETHASONE",
    "BONE_METASTASIS_LOCAL",
    "EXPERT_REFERRAL",
)
NEW_FIELDS = ("operable", "pregnancy", "prior_treatments", "atc_extent", "braf_method")


def test_there_are_case_files() -> None:
    assert len(CASE_FILES) >= 4


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_recommend_works_on_every_fixture(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", str(path), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    for item in data if isinstance(data, list) else [data]:
        codes = [o["code"] for name in ("recommended", "consider", "not_recommended", "missing")
                 for o in item[name]]  # fmt: skip
        assert len(codes) == len(set(codes))
        assert item["guideline"]["version"] == "2.0"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_old_files_keep_their_answer_where_v2_did_not_change_the_rule(path: Path) -> None:
    if any(f'"{name}"' in path.read_text(encoding="utf-8") for name in NEW_FIELDS):
        pytest.skip("written with the v2 fields")
    v1 = load_pathway(V1)
    assert v1.version == "1.0"
    for case in read_case_file(path):
        old, new = recommend(case, v1, today=TODAY), recommend(case, today=TODAY)
        assert old.stage == new.stage
        for code in UNCHANGED:
            assert old.list_of(code) == new.list_of(code), (path.name, code)
