"""The pathway document is cached per user as JSON, named by the file's SHA-256: the
second `recommend` needs no YAML parser, and any edit to the file is read afresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mdt_app.guideline import pathway_file
from mdt_app.guideline.engine import DEFAULT_PATHWAY
from mdt_app.paths import resource_path
from tests.conftest import FIXTURES

CASE = FIXTURES / "import" / "valid_case.json"


def _recommend_modules(env: dict) -> tuple[str, set[str]]:
    code = (
        "import sys, json\n"
        "from mdt_app.cli import main\n"
        f"rc = main(['recommend', '--json', {str(CASE)!r}])\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_second_recommend_reads_the_cache_not_the_yaml(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first, loaded_first = _recommend_modules(env)
    second, loaded_second = _recommend_modules(env)
    assert "yaml" in loaded_first and "yaml" not in loaded_second
    assert first == second  # the same recommendation either way
    assert list((tmp_path / "cache").rglob("v*-*.json"))


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
