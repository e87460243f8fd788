"""docs/option-codes.md is generated from the pathway file and cannot drift from it."""

from __future__ import annotations

from pathlib import Path

import yaml

from mdt_app.guideline import load_pathway, parse_pathway
from mdt_app.paths import resource_path
from mdt_app.tools.option_codes import REGENERATE, main, option_codes_markdown

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "option-codes.md"


def test_the_committed_page_is_the_generated_one():
    generated = option_codes_markdown(load_pathway())
    assert PAGE.read_text(encoding="utf-8") == generated, (
        f"docs/option-codes.md is out of date with the pathway: run `{REGENERATE}`"
    )


def test_every_code_of_the_pathway_has_its_row_and_meaning():
    pathway = load_pathway()
    page = option_codes_markdown(pathway)
    for code, title in pathway.titles.items():
        assert f"| `{code}` | {title.replace('|', chr(92) + '|')} |" in page


def test_the_page_follows_the_pathway_data(tmp_path):
    data = yaml.safe_load(resource_path("guidelines", "atc.yaml").read_text(encoding="utf-8"))
    data["version"] = "9.9-test"
    data["codes"]["RAI"] = "Radioiodine | changed title for this test"
    page = option_codes_markdown(parse_pathway(data, "test"))
    assert "version 9.9-test" in page
    assert "| `RAI` | Radioiodine \\| changed title for this test |" in page


def test_check_mode_says_when_the_page_is_stale(tmp_path, capsys):
    fresh = tmp_path / "fresh.md"
    fresh.write_text(option_codes_markdown(load_pathway()), encoding="utf-8")
    assert main(["--check", str(fresh)]) == 0
    stale = tmp_path / "stale.md"
    stale.write_text("# Option codes\n", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert REGENERATE in capsys.readouterr().err
