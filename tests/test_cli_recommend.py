"""`mdt-app recommend` (docs/recommend-json.md) and `mdt-app guideline show`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mdt_app.cli import main
from mdt_app.guideline import load_pathway
from mdt_app.paths import resource_path

CASES = Path(__file__).parent / "fixtures" / "cases"
CONTRACT_KEYS = [
    "stage",
    "stage_basis",
    "guideline",
    "recommended",
    "consider",
    "not_recommended",
    "missing",
    "warnings",
]
LISTS = ("recommended", "consider", "not_recommended", "missing")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def recommend_json(capsys: pytest.CaptureFixture[str], name: str) -> dict:
    code, out, err = run(capsys, "recommend", str(CASES / name), "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def codes(data: dict, name: str) -> list[str]:
    return [o["code"] for o in data[name]]


# --- recommend --json: the contract ----------------------------------------------------


def test_json_has_exactly_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = recommend_json(capsys, "ivb_resectable.json")
    assert list(data) == CONTRACT_KEYS
    assert data["stage"] == "IVB"
    assert data["stage_basis"] == "M0, T4a -> IVB (AJCC 8th)"
    assert data["guideline"] == {"id": "atc", "title": load_pathway().title, "version": "2.0"}
    for name in LISTS:
        for option in data[name]:
            assert list(option) == ["code", "title", "rationale", "sources"]
            assert all(isinstance(s, str) for s in option["sources"]) and option["sources"]
    assert all(isinstance(w, str) for w in data["warnings"])
    every = [code for name in LISTS for code in codes(data, name)]
    assert len(every) == len(set(every))


def test_json_options_for_a_resectable_ivb_case(capsys: pytest.CaptureFixture[str]) -> None:
    data = recommend_json(capsys, "ivb_resectable.json")
    assert "SURGERY_R0R1" in codes(data, "recommended")
    assert {"RADICAL_RESECTION", "RAI", "THYROGLOBULIN_MARKER"} <= set(
        codes(data, "not_recommended")
    )
    assert codes(data, "missing") == []


def test_json_for_a_metastatic_braf_case(capsys: pytest.CaptureFixture[str]) -> None:
    data = recommend_json(capsys, "ivc_braf_positive.json")
    assert data["stage"] == "IVC"
    braf = next(o for o in data["recommended"] if o["code"] == "BRAF_MEK")
    assert "BRAF V600E: positive" in braf["rationale"]
    assert "FDA 2018-05-04" in braf["sources"]
    assert {"NEURO_RADONC_REFERRAL", "DEXAMETHASONE"} <= set(codes(data, "recommended"))


def test_json_for_an_unstaged_case(capsys: pytest.CaptureFixture[str]) -> None:
    data = recommend_json(capsys, "m_not_assessed.json")
    assert data["stage"] == "unstageable"
    assert {"STAGING_IMAGING", "BIOPSY_CORE", "CAPACITY_ASSESSMENT"} <= set(codes(data, "missing"))
    assert "M status not assessed: stage IVC not excluded" in data["warnings"]
    assert "AIRWAY_SECURE" in codes(data, "recommended")


def test_a_file_with_several_cases_gives_a_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "recommend", str(CASES / "two_cases.json"), "--json")
    data = json.loads(out)
    assert code == 0 and isinstance(data, list) and len(data) == 2
    assert [d["stage"] for d in data] == ["IVA", "IVB"]
    assert "BRAF_MEK" in codes(data[1], "recommended")


# --- recommend: the plain summary ------------------------------------------------------


def test_plain_summary_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "recommend", str(CASES / "ivc_braf_positive.json"))
    assert (code, err) == (0, "")
    assert "Case: Zoë Müller, MRN F100002; TNM T4b N1b M1" in out
    assert "Stage: IVC (M1 -> IVC (AJCC 8th))" in out
    for heading in ("Recommended:", "Consider:", "Not recommended:", "Missing data (work-up):"):
        assert heading in out
    assert "  BRAF_MEK: Dabrafenib plus trametinib" in out
    assert "sources: ATA21 R20 (S-L); FDA 2018-05-04" in out
    assert all(len(line) <= 100 for line in out.splitlines() if line.startswith("      "))


def test_plain_summary_lists_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "recommend", str(CASES / "m_not_assessed.json"))
    assert "\nWarnings (" in out and "safety-critical, marked [!]):\n" in out
    assert "  ! M status not assessed: stage IVC not excluded" in out


def test_plain_summary_of_several_cases(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "recommend", str(CASES / "two_cases.json"))
    assert out.count("Stage: ") == 2 and "MRN F100004" in out and "MRN F100005" in out


# --- recommend: errors -----------------------------------------------------------------


def test_a_missing_case_file_is_one_line_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "recommend", str(tmp_path / "nope.json"))
    assert code == 1 and out == ""
    assert err.startswith("mdt-app: error: ") and "no such file" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_an_invalid_case_names_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = json.loads((CASES / "ivb_resectable.json").read_text(encoding="utf-8"))
    bad["tnm"]["m"] = "MX"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    code, _, err = run(capsys, "recommend", str(path), "--json")
    assert code == 1 and "tnm.m" in err and "'MX'" in err


def test_a_bad_guideline_file_names_rule_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = yaml.safe_load(resource_path("guidelines", "atc.yaml").read_text(encoding="utf-8"))
    raw["rules"][0]["emit"] = {"recommended": ["GOALS"]}
    path = tmp_path / "draft.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    case = str(CASES / "ivb_resectable.json")
    code, _, err = run(capsys, "recommend", case, "--guideline", str(path))
    assert code == 1
    assert "rule 'everyone.goals_of_care'" in err and "field 'emit.recommended[0]'" in err


def test_recommend_against_a_draft_guideline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = resource_path("guidelines", "atc.yaml").read_text(encoding="utf-8")
    path = tmp_path / "draft.yaml"
    path.write_text(text.replace('version: "2.0"', 'version: "2.0-draft"'), encoding="utf-8")
    case = str(CASES / "ivb_resectable.json")
    _, out, _ = run(capsys, "recommend", case, "--json", "--guideline", str(path))
    assert json.loads(out)["guideline"]["version"] == "2.0-draft"


# --- guideline show --------------------------------------------------------------------


def test_guideline_show_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "guideline", "show")
    assert (code, err) == (0, "")
    pathway = load_pathway()
    for rule in pathway.rules:
        assert f"[{rule.id}]" in out
        for source in rule.cite:
            assert source in out
    assert "when: stage is IVC and braf_v600e is positive" in out
    assert "recommended: BRAF_MEK (Dabrafenib plus trametinib" in out
    assert "good_ps_max_ecog: good performance status = ECOG 0-1 [unverified" in out
    assert "UNVERIFIED: " in out
    assert f"{len(pathway.rules)} rules." in out


def test_guideline_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "guideline", "show", "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "atc" and data["version"] == "2.0"
    assert [r["id"] for r in data["rules"]] == [r.id for r in load_pathway().rules]
    braf = next(r for r in data["rules"] if r["id"] == "ivc.braf_mek")
    assert braf["emit"] == {"recommended": ["BRAF_MEK"]}
    assert braf["cite"][:3] == ["ATA21 R20 (S-L)", "FDA 2018-05-04", "ROAR22"]


def test_guideline_show_checks_a_draft_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text("id: atc\ntitle: x\nversion: '1'\nsettings: {}\ncodes: {}\nrules: []\n")
    code, _, err = run(capsys, "guideline", "show", "--file", str(path))
    assert code == 1 and "settings.good_ps_max_ecog" in err


@pytest.mark.parametrize("argv", [["recommend", "--help"], ["guideline", "show", "--help"]])
def test_help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    assert "usage: mdt-app" in capsys.readouterr().out


def test_python_dash_m_recommend_json() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "mdt_app", "recommend", str(CASES / "ivc_braf_positive.json")]
        + ["--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == CONTRACT_KEYS and data["stage"] == "IVC"
