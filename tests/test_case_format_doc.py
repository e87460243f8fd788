"""docs/case-format.md describes the format the code reads: its examples are valid, and
every field the app writes back and every value it accepts is on the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mdt_app import domain as d
from mdt_app.casefile import case_to_dict, parse_document
from mdt_app.guideline import recommend

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "case-format.md").read_text(
    encoding="utf-8"
)
EXAMPLES = re.findall(r"^```json\n(.*?)^```", PAGE, re.MULTILINE | re.DOTALL)
ENUMERATIONS = (
    "SEXES",
    "CONFIRMED_BY",
    "T_VALUES",
    "N_VALUES",
    "M_VALUES",
    "RESECTABILITY",
    "PHASES",
    "BIOMARKER_RESULTS",
    "BIOMARKER_FIELDS",
    "AIRWAY",
    "METASTATIC_SITES",
    "BURDEN",
    "GOALS_OF_CARE",
    "CAPACITY",
    "DECLINABLE",
    "IMAGING_MODALITIES",
    "CONSENT_ANSWERS",
    "CONSENT_TOPICS",
)


def test_the_page_has_a_full_and_a_minimal_example():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.split("\n", 1)[0][:40])
def test_every_example_is_a_valid_case(example):
    [case] = parse_document(json.loads(example), "docs/case-format.md")
    assert recommend(case).stage


def _keys(value, prefix: str = ""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner, f"{prefix}{key}.")
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner, prefix)


def test_every_field_the_app_writes_is_described():
    [case] = parse_document(json.loads(EXAMPLES[0]), "full example")
    written = set(_keys(case_to_dict(case)))
    missing = sorted(key for key in written if f"`{key}`" not in PAGE)
    assert not missing, f"docs/case-format.md does not describe: {missing}"


@pytest.mark.parametrize("name", [n for n in ENUMERATIONS if hasattr(d, n)])
def test_every_accepted_value_is_listed(name):
    missing = [v for v in getattr(d, name) if f"`{v}`" not in PAGE]
    assert not missing, f"docs/case-format.md lacks values of {name}: {missing}"
