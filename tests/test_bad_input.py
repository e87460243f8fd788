"""Every crash kind found by fuzzing (issue 11) is a one-line refusal that leaves the
database untouched, and a refused command creates no database file."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mdt_app import cli
from mdt_app.store import open_store
from tests import backend_helpers
from tests.conftest import FIXTURES

CASE = json.loads((FIXTURES / "import" / "valid_case.json").read_text(encoding="utf-8"))
BUNDLE = json.loads((FIXTURES / "import" / "fhir_bundle.json").read_text(encoding="utf-8"))


def _refused(tmp_path, capsys, text: str, *, db_exists: bool = True, db=None) -> str:
    """Import ``text``: refused in one line, the database (``db``, a file or a server
    database, else a file made here) exactly as it was, or never created."""
    db = db if db is not None else tmp_path / "store.db"
    if db_exists and not backend_helpers.is_server(db) and not Path(db).exists():
        open_store(db).close()
    before = backend_helpers.digest(db) if backend_helpers.exists(db) else None
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = cli.main(["import", str(path), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 1, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mdt-app: error: "), err
    if before is None:
        assert not backend_helpers.exists(db), "a refused command created a database file"
    else:
        assert backend_helpers.digest(db) == before
    return lines[0]


def _case_with(**patch) -> str:
    doc = copy.deepcopy(CASE)
    for dotted, value in patch.items():
        target = doc
        *parents, leaf = dotted.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(leaf) if leaf.isdigit() else leaf] = value
    return json.dumps(doc)


def test_json_nested_100000_deep(tmp_path, capsys, db_location):
    line = _refused(tmp_path, capsys, "[" * 100_000 + "]" * 100_000, db=db_location)
    assert "nested" in line


def test_integer_of_4301_digits(tmp_path, capsys, db_location):
    text = _case_with(ecog=0).replace('"ecog": 0', '"ecog": ' + "9" * 4301)
    assert "9" * 4301 in text
    assert "cannot be read" in _refused(tmp_path, capsys, text, db=db_location)


def test_float_that_overflows(tmp_path, capsys, db_location):
    text = _case_with(ecog=0).replace('"ecog": 0', '"ecog": 1e400')
    assert "ecog" in _refused(tmp_path, capsys, text, db=db_location)


def test_nan_and_infinity_are_not_json(tmp_path, capsys, db_location):
    text = _case_with(ecog=0).replace('"ecog": 0', '"ecog": NaN')
    assert "NaN" in _refused(tmp_path, capsys, text, db=db_location)


def test_lone_surrogate_in_a_name(tmp_path, capsys, db_location):
    text = _case_with(patient__family_name="Ab\ud800c")
    line = _refused(tmp_path, capsys, text, db=db_location)
    assert "patient.family_name" in line and "surrogate" in line


def test_lone_surrogate_in_an_mrn_is_printable(tmp_path, capsys, db_location):
    line = _refused(tmp_path, capsys, _case_with(patient__mrn="H12\udfff"), db=db_location)
    assert "patient.mrn" in line


def test_zero_width_space_in_an_mrn(tmp_path, capsys, db_location):
    line = _refused(tmp_path, capsys, _case_with(patient__mrn="H123\u200b456"), db=db_location)
    assert "U+200B" in line and "patient.mrn" in line


def test_lab_low_given_as_text(tmp_path, capsys, db_location):
    doc = copy.deepcopy(CASE)
    doc["labs"][0]["low"] = "0.4"
    line = _refused(tmp_path, capsys, json.dumps(doc), db=db_location)
    assert "labs[0].low" in line


def test_duplicate_key_is_refused_with_its_name(tmp_path, capsys, db_location):
    text = json.dumps(CASE).replace('"ecog":', '"ecog": 1, "ecog":', 1)
    line = _refused(tmp_path, capsys, text, db=db_location)
    assert "'ecog' appears twice" in line


def test_fhir_entry_given_as_a_json_string(tmp_path, capsys, db_location):
    doc = copy.deepcopy(BUNDLE)
    doc["entry"][1] = json.dumps(doc["entry"][1])
    line = _refused(tmp_path, capsys, json.dumps(doc), db=db_location)
    assert "entry" in line


def test_fhir_reference_range_low_given_as_text(tmp_path, capsys, db_location):
    doc = copy.deepcopy(BUNDLE)
    for entry in doc["entry"]:
        ranges = entry["resource"].get("referenceRange")
        if ranges:
            ranges[0]["low"] = "0.4"
            break
    else:
        pytest.fail("the fixture has no reference range")
    _refused(tmp_path, capsys, json.dumps(doc), db=db_location)


def test_fhir_low_value_given_as_text(tmp_path, capsys, db_location):
    doc = copy.deepcopy(BUNDLE)
    for entry in doc["entry"]:
        ranges = entry["resource"].get("referenceRange")
        if ranges:
            ranges[0]["low"]["value"] = "low"
            break
    _refused(tmp_path, capsys, json.dumps(doc), db=db_location)


def test_file_over_the_size_limit_is_refused_before_parsing(
    tmp_path, capsys, db_location, monkeypatch
):
    monkeypatch.setenv("MDT_APP_MAX_FILE_MB", "0.001")  # about 1 kB
    line = _refused(tmp_path, capsys, json.dumps(CASE) + " " * 2000, db=db_location)
    assert "over the import limit" in line and "MDT_APP_MAX_FILE_MB" in line


def test_refused_import_creates_no_database_file(tmp_path, capsys, new_db_location):
    _refused(tmp_path, capsys, "{not json", db_exists=False, db=new_db_location)
    text = _case_with(patient__mrn="H\u200b1")
    _refused(tmp_path, capsys, text, db_exists=False, db=new_db_location)


def test_reading_command_on_missing_database_creates_nothing(tmp_path, capsys, db_location):
    db = backend_helpers.missing(db_location)
    assert cli.main(["cases", "--db", db]) == 1
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert backend_helpers.is_server(db) or not Path(db).exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("codes:\n  ? [BIOPSY_CORE]\n  : x\n", "plain text"),
        ("[" * 100_000 + "]" * 100_000, "YAML"),
        ("rules: " + "[" * 300 + "]" * 300, "p.yaml"),
    ],
)
def test_pathway_crash_kinds(tmp_path, text, expected):
    from mdt_app.guideline.pathway import PathwayError, read_pathway

    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PathwayError, match=expected) as info:
        read_pathway(path)
    assert "\n" not in cli.one_line(str(info.value))


def test_pathway_option_code_written_as_a_list(tmp_path):
    import yaml

    from mdt_app.guideline.pathway import PathwayError, read_pathway
    from mdt_app.paths import resource_path

    doc = yaml.safe_load(resource_path("guidelines", "atc.yaml").read_text(encoding="utf-8"))
    for rule in doc["rules"]:
        emit = rule.get("emit") or {}
        for name, codes in emit.items():
            if codes:
                emit[name] = [codes if isinstance(codes, list) else [codes]]
                break
        else:
            continue
        break
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(PathwayError):
        read_pathway(path)


def test_an_export_never_writes_over_the_database(tmp_path, capsys):
    from tests import store_helpers as h

    db = tmp_path / "minutes.csv"  # an unlucky name for a database, and the same for the export
    meeting_id, _, _ = h.build_db(db)
    before = db.read_bytes()
    code = cli.main(["minutes", str(meeting_id), "--output", str(db), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 1 and "is the database itself" in err, err
    assert db.read_bytes() == before


def test_import_onto_a_meeting_of_a_missing_database_creates_nothing(
    tmp_path, capsys, db_location, new_db_location
):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    for db in (new_db_location, db_location):  # no database yet; one with no meeting 3
        before = backend_helpers.state(db)
        assert cli.main(["import", str(path), "--meeting", "3", "--db", db]) == 1
        assert "no meeting with id 3" in capsys.readouterr().err
        assert backend_helpers.state(db) == before
