"""The pathway document as JSON, tied to the SHA-256 of the YAML it came from: shipped
beside the app's pathways (so `recommend` needs no YAML parser), cached per user for any
other file; any edit to a YAML file is read afresh, a stale copy never used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mdt_app.guideline import pathway_file
from mdt_app.guideline.engine import DEFAULT_PATHWAY
from mdt_app.paths import resource_path
from mdt_app.tools import pathway_json
from tests.conftest import FIXTURES

CASE = FIXTURES / "import" / "valid_case.json"


def _recommend_modules(env: dict, *options: str) -> tuple[str, set[str]]:
    code = (
        "import sys, json\n"
        "from mdt_app.cli import main\n"
        f"rc = main(['recommend', '--json', {str(CASE)!r}, *{list(options)!r}])\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_second_recommend_on_a_draft_reads_the_cache_not_the_yaml(tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_bytes(resource_path(*DEFAULT_PATHWAY).read_bytes())
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first, loaded_first = _recommend_modules(env, "--guideline", str(draft))
    second, loaded_second = _recommend_modules(env, "--guideline", str(draft))
    assert "yaml" in loaded_first and "yaml" not in loaded_second
    assert first == second  # the same recommendation either way
    assert list((tmp_path / "cache").rglob("v*-*.json"))


def test_the_shipped_pathway_is_read_from_its_copy_without_yaml_or_a_cache(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    shipped, loaded = _recommend_modules(env)
    assert "yaml" not in loaded
    assert not (tmp_path / "cache").exists()  # nothing to cache: the copy is shipped
    draft = tmp_path / "draft.yaml"  # the same pathway read from its YAML
    draft.write_bytes(resource_path(*DEFAULT_PATHWAY).read_bytes())
    from_yaml, loaded = _recommend_modules(env, "--guideline", str(draft))
    assert "yaml" in loaded
    assert shipped == from_yaml


def test_the_shipped_copies_are_current():
    """Fails after a pathway edit until `python -m mdt_app.tools.pathway_json` is run."""
    assert pathway_json.main(["--check"]) == 0


def _shipped_folder(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped guidelines folder, standing in for the app's."""
    folder = tmp_path / "guidelines"
    folder.mkdir()
    for name in ("atc.yaml", "atc.yaml.json"):
        (folder / name).write_bytes(resource_path("guidelines", name).read_bytes())
    monkeypatch.setattr(pathway_file, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return folder


def test_an_edited_shipped_pathway_is_never_read_from_its_stale_copy(tmp_path, monkeypatch):
    folder = _shipped_folder(tmp_path, monkeypatch)
    path = folder / "atc.yaml"
    assert pathway_file.load_document(path)["version"] == "2.0"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("version:", "version: '9.9'\nold_version:", 1), "utf-8")
    assert pathway_file.load_document(path)["version"] == "9.9"  # the copy is not this file's


def test_a_copy_that_does_not_match_its_yaml_is_ignored(tmp_path, monkeypatch):
    folder = _shipped_folder(tmp_path, monkeypatch)
    copy = json.loads((folder / "atc.yaml.json").read_text(encoding="utf-8"))
    copy["document"]["version"] = "forged"  # the hash is right, the format is not
    copy["format"] = pathway_file.CACHE_FORMAT + 1
    (folder / "atc.yaml.json").write_text(json.dumps(copy), encoding="utf-8")
    assert pathway_file.load_document(folder / "atc.yaml")["version"] == "2.0"
    (folder / "atc.yaml.json").write_text("{half a file", encoding="utf-8")
    assert pathway_file.load_document(folder / "atc.yaml")["version"] == "2.0"


def test_a_copy_beside_a_file_outside_the_app_is_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "draft.yaml"
    path.write_bytes(resource_path(*DEFAULT_PATHWAY).read_bytes())
    digest = pathway_file.sha256_hex(path.read_bytes())
    forged = pathway_file.shipped_copy({"version": "forged"}, digest)
    pathway_file.shipped_copy_path(path).write_text(forged, encoding="utf-8")
    assert pathway_file.load_document(path)["version"] == "2.0"


def test_the_digest_is_sha256():
    import hashlib

    data = resource_path(*DEFAULT_PATHWAY).read_bytes()
    assert pathway_file.sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_an_edited_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = Path(resource_path(*DEFAULT_PATHWAY)).read_text(encoding="utf-8")
    path = tmp_path / "atc.yaml"
    path.write_text(source, encoding="utf-8")
    assert (
        pathway_file.load_document(path)["version"] == pathway_file.load_document(path)["version"]
    )
    path.write_text(source.replace("version:", "version: '9.9'\nold_version:", 1), "utf-8")
    assert pathway_file.load_document(path)["version"] == "9.9"


def test_a_document_json_would_change_is_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "numbers.yaml"
    path.write_text("1: one\n", encoding="utf-8")
    assert pathway_file.load_document(path) == {1: "one"}
    assert pathway_file.load_document(path) == {1: "one"}  # from the YAML again
    assert not list((tmp_path / "cache").rglob("*.json"))
