"""The shipped pathway file loads and is complete; a malformed one fails naming rule and field."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mdt_app.errors import UserError
from mdt_app.guideline import PathwayError, load_pathway, parse_pathway, read_pathway
from mdt_app.guideline.codes import OPTION_CODES, WORKUP_CODES
from mdt_app.paths import resource_path

ATC = resource_path("guidelines", "atc.yaml")
SECTION_3_GROUPS = {
    "Everyone",
    "Missing data",
    "Airway",
    "Goals of care",
    "Performance status",
    "Stage IVA/IVB, R0/R1 resection expected",
    "Stage IVB unresectable or after R2 resection",
    "Stage IVC",
    "Metastatic sites",
    "Progression",
}


@pytest.fixture
def raw() -> dict[str, Any]:
    """The shipped file as plain data, to break on purpose."""
    return copy.deepcopy(yaml.safe_load(ATC.read_text(encoding="utf-8")))


def rule(raw: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in raw["rules"] if r["id"] == rule_id)


def fails(raw: dict[str, Any], *fragments: str) -> str:
    with pytest.raises(PathwayError) as info:
        parse_pathway(raw, "atc.yaml")
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message
    return message


# --- the shipped file -----------------------------------------------------------------


def test_shipped_pathway_loads_with_its_identity() -> None:
    pathway = load_pathway()
    assert (pathway.id, pathway.version) == ("atc", "2.0")
    assert pathway.title
    assert len(pathway.rules) >= 60


def test_settings_left_open_by_the_guideline_are_values_in_the_file() -> None:
    settings = load_pathway().settings
    assert settings.good_ps_max_ecog == 1 and settings.poor_from == 3
    assert settings.pdl1_high_min_tps == 50
    assert settings.tmb_high_min_mut_per_mb == 10
    assert settings.note("good_ps_max_ecog") and settings.note("pdl1_high_min_tps")
    assert settings.note("tmb_high_min_mut_per_mb") is None


def test_every_option_code_of_section_2_is_used_and_titled() -> None:
    pathway = load_pathway()
    used = {code for r in pathway.rules for code in r.codes()}
    assert used == set(OPTION_CODES)
    assert all(pathway.title_of(code) != code for code in OPTION_CODES)


def test_every_rule_has_citations_and_a_rationale() -> None:
    for r in load_pathway().rules:
        assert r.cite, r.id
        assert r.rationale or (r.warn and not r.emit and not r.overrides), r.id


def test_every_rule_group_of_section_3_is_encoded() -> None:
    groups = {r.group for r in load_pathway().rules}
    assert groups >= SECTION_3_GROUPS


def test_unverified_rules_never_recommend() -> None:
    unverified = [r for r in load_pathway().rules if r.unverified]
    assert len(unverified) >= 5
    for r in unverified:
        assert "recommended" not in {name for name, _ in r.emit}, r.id


def test_work_up_prompts_are_only_missing() -> None:
    for r in load_pathway().rules:
        for name, code in r.emit:
            assert (name == "missing") == (code in WORKUP_CODES), r.id


def test_rule_ids_are_unique_and_stable_looking() -> None:
    ids = [r.id for r in load_pathway().rules]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*", i) for i in ids)


def test_load_pathway_is_cached_and_reloads_an_edited_file(tmp_path: Path) -> None:
    assert load_pathway() is load_pathway()
    path = tmp_path / "draft.yaml"
    path.write_text(ATC.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_pathway(path)
    assert load_pathway(str(path)) is first
    text = ATC.read_text(encoding="utf-8").replace('version: "2.0"', 'version: "1.1-draft"')
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))
    assert load_pathway(path).version == "1.1-draft"


# --- malformed files fail naming the rule and the field --------------------------------


def test_pathway_error_is_a_user_error() -> None:
    assert issubclass(PathwayError, UserError)


def test_unknown_rule_field(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.braf_mek")["whenn"] = "always"
    fails(raw, "rule 'ivc.braf_mek'", "field 'whenn'", "unknown field")


def test_unknown_fact(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.braf_mek")["when"] = {"stage": "IVC", "braf": "positive"}
    fails(raw, "rule 'ivc.braf_mek'", "field 'when.braf'", "unknown fact 'braf'")


def test_unknown_fact_value(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.braf_mek")["when"] = {"stage": "IVD"}
    fails(raw, "rule 'ivc.braf_mek'", "field 'when.stage'", "'IVD' is not a value")


def test_nested_condition_error_names_the_path(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.checkpoint_inhibitor")["when"]["any"][1] = {"tmb": "very_high"}
    fails(raw, "rule 'ivc.checkpoint_inhibitor'", "field 'when.any[1].tmb'")


def test_empty_any(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.checkpoint_inhibitor")["when"]["any"] = []
    fails(raw, "field 'when.any'", "non-empty list")


def test_unknown_option_code(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.braf_mek")["emit"] = {"recommended": ["BRAF_MEKK"]}
    fails(raw, "rule 'ivc.braf_mek'", "field 'emit.recommended[0]'", "unknown option code")


def test_unknown_override_code(raw: dict[str, Any]) -> None:
    rule(raw, "declines.surgery")["overrides"] = ["SURGERY"]
    fails(raw, "rule 'declines.surgery'", "field 'overrides[0]'", "unknown option code")


def test_bad_list_name(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.braf_mek")["emit"] = {"recomended": ["BRAF_MEK"]}
    fails(raw, "rule 'ivc.braf_mek'", "field 'emit.recomended'", "unknown list")


@pytest.mark.parametrize("cite", [None, [], [""]])
def test_missing_citation(raw: dict[str, Any], cite: Any) -> None:
    rule(raw, "ivc.braf_mek")["cite"] = cite
    if cite is None:
        del rule(raw, "ivc.braf_mek")["cite"]
    fails(raw, "rule 'ivc.braf_mek'", "field 'cite")


def test_missing_rationale(raw: dict[str, Any]) -> None:
    del rule(raw, "ivc.braf_mek")["rationale"]
    fails(raw, "rule 'ivc.braf_mek'", "field 'rationale'")


def test_missing_when(raw: dict[str, Any]) -> None:
    del rule(raw, "ivc.braf_mek")["when"]
    fails(raw, "rule 'ivc.braf_mek'", "field 'when'", "always")


def test_rule_that_emits_nothing(raw: dict[str, Any]) -> None:
    del rule(raw, "ivc.braf_mek")["emit"]
    fails(raw, "rule 'ivc.braf_mek'", "emits nothing")


def test_work_up_prompt_outside_missing(raw: dict[str, Any]) -> None:
    rule(raw, "missing.braf")["emit"] = {"recommended": ["MOLECULAR_TESTING"]}
    fails(raw, "rule 'missing.braf'", "field 'emit.recommended'", "MOLECULAR_TESTING")


def test_treatment_in_missing(raw: dict[str, Any]) -> None:
    rule(raw, "missing.braf")["emit"] = {"missing": ["BRAF_MEK"]}
    fails(raw, "rule 'missing.braf'", "field 'emit.missing'")


def test_unverified_rule_may_not_recommend(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.ntrk_inhibitor")["emit"] = {"recommended": ["NTRK_INHIBITOR"]}
    fails(raw, "rule 'ivc.ntrk_inhibitor'", "field 'emit.recommended'", "unverified")


def test_duplicate_rule_id(raw: dict[str, Any]) -> None:
    raw["rules"].append(copy.deepcopy(rule(raw, "ivc.braf_mek")))
    fails(raw, "rule 'ivc.braf_mek'", "field 'id'", "twice")


def test_rule_without_id_is_named_by_position(raw: dict[str, Any]) -> None:
    del raw["rules"][2]["id"]
    fails(raw, "rule #3 (no id)", "field 'id'")


def test_bad_rule_id(raw: dict[str, Any]) -> None:
    rule(raw, "ivc.braf_mek")["id"] = "IVC BRAF"
    fails(raw, "rule 'IVC BRAF'", "field 'id'")


@pytest.mark.parametrize(
    ("setting", "value"),
    [("good_ps_max_ecog", 7), ("good_ps_max_ecog", 1.5), ("pdl1_high_min_tps", "fifty")],
)
def test_bad_setting(raw: dict[str, Any], setting: str, value: Any) -> None:
    raw["settings"][setting] = value
    fails(raw, f"field 'settings.{setting}'")


def test_unknown_setting(raw: dict[str, Any]) -> None:
    raw["settings"]["ecog_cutoff"] = 2
    fails(raw, "field 'settings.ecog_cutoff'", "unknown field")


def test_missing_setting(raw: dict[str, Any]) -> None:
    del raw["settings"]["tmb_high_min_mut_per_mb"]
    fails(raw, "field 'settings.tmb_high_min_mut_per_mb'", "required")


def test_code_title_for_an_unknown_code(raw: dict[str, Any]) -> None:
    raw["codes"]["LASER"] = "Laser"
    fails(raw, "field 'codes.LASER'")


def test_code_without_title(raw: dict[str, Any]) -> None:
    del raw["codes"]["HOSPICE"]
    fails(raw, "field 'codes.HOSPICE'", "required")


def test_version_must_be_text(raw: dict[str, Any]) -> None:
    raw["version"] = 1.0
    fails(raw, "field 'version'", "quotes")


def test_unknown_top_level_field(raw: dict[str, Any]) -> None:
    raw["rule"] = []
    fails(raw, "field 'rule'", "unknown field")


def test_not_a_mapping() -> None:
    with pytest.raises(PathwayError, match="expected a mapping"):
        parse_pathway(["rules"], "atc.yaml")


# --- files -----------------------------------------------------------------------------


def test_file_errors_name_the_file(tmp_path: Path, raw: dict[str, Any]) -> None:
    rule(raw, "ivc.braf_mek")["emit"] = {"recommended": ["BRAF_MEKK"]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(PathwayError) as info:
        read_pathway(path)
    assert str(info.value).startswith(f"{path}: rule 'ivc.braf_mek': field 'emit.recommended[0]'")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PathwayError, match="no such pathway file"):
        load_pathway(tmp_path / "nope.yaml")


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: atc\nrules: [\n", encoding="utf-8")
    with pytest.raises(PathwayError, match=r"not valid YAML at line \d+"):
        read_pathway(path)


def test_a_key_written_twice_is_refused(tmp_path: Path) -> None:
    # Plain YAML would keep the second `any` and silently drop half the condition.
    text = ATC.read_text(encoding="utf-8").replace(
        "    when: {stage: IVC, braf_v600e: positive}\n",
        "    when:\n      any: [{stage: IVC}]\n      any: [{braf_v600e: positive}]\n",
    )
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PathwayError, match="'any' is written twice"):
        read_pathway(path)
