"""`mdt-app guideline diff OLD NEW`: what changed between two pathway versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdt_app.cli import main
from mdt_app.guideline.diff import compare, resolve
from mdt_app.paths import resource_path

ATC = Path(resource_path("guidelines", "atc.yaml"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_versions_resolve_to_the_kept_and_the_shipped_file() -> None:
    assert resolve("1.0").version == "1.0"
    assert resolve("2.0").version == "2.0"
    assert resolve(str(ATC)).version == "2.0"


def test_diff_1_to_2_lists_rules_codes_settings_and_citations() -> None:
    diff = compare(resolve("1.0"), resolve("2.0"))
    assert "histology.cap_definitive" in diff.rules_added
    assert "missing.braf_pending" in diff.rules_removed
    assert "ivc.braf_mek" in diff.rules_changed
    fields = {k for k, _, _ in diff.rules_changed["ivc.braf_mek"]}
    assert {"rationale", "cite"} <= fields
    assert set(diff.codes_added) == {
        "OBSTETRIC_INPUT",
        "GERMLINE_REFERRAL",
        "CRISIS_PLAN",
        "CONTINUE_CURRENT_THERAPY",
        "IO_COMBINATION",
    }
    assert any(name == "good_ps_max_ecog" for name, _, _ in diff.settings)
    assert "ROAR22" in diff.citations_added and "ANKER16" in diff.citations_added


def test_a_pathway_against_itself_has_no_differences(capsys) -> None:
    code, out, err = run(capsys, "guideline", "diff", "2.0", str(ATC))
    assert (code, err) == (0, "")
    assert "No differences." in out


def test_cli_text_and_json(capsys) -> None:
    code, out, _ = run(capsys, "guideline", "diff", "1.0", "2.0")
    assert code == 0
    assert "Pathway atc 1.0 -> atc 2.0" in out
    assert "+ pregnancy.obstetric_input" in out and "~ ivc.braf_mek" in out
    assert "Settings changed" in out and "Citations added" in out
    code, out, _ = run(capsys, "guideline", "diff", "1.0", "2.0", "--json")
    data = json.loads(out)
    assert data["old"]["version"] == "1.0" and data["new"]["version"] == "2.0"
    assert "OBSTETRIC_INPUT" in data["codes_added"]


def test_edited_draft_shows_its_one_change(tmp_path: Path, capsys) -> None:
    draft = tmp_path / "draft.yaml"
    text = ATC.read_text(encoding="utf-8")
    draft.write_text(
        text.replace('version: "2.0"', 'version: "2.1-draft"').replace(
            "egfr_cisplatin_min: 60", "egfr_cisplatin_min: 50"
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "guideline", "diff", "2.0", str(draft))
    assert code == 0
    assert "egfr_cisplatin_min" in out and "Rules changed" not in out


def test_unknown_version_is_one_line(capsys) -> None:
    code, out, err = run(capsys, "guideline", "diff", "1.0", "9.9")
    assert code != 0 and "9.9" in err and "known versions" in err
    assert "Traceback" not in err
