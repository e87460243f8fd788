"""What the command line's quick commands load (issue 17): `recommend` reads a case file
and the shipped pathway's JSON copy, and needs neither the database, the user's folders,
OpenSSL, the YAML parser nor a document library; `--version` needs no command at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import FIXTURES

CASE = FIXTURES / "import" / "valid_case.json"

# Top-level packages (or modules) none of which the command may load.
NOT_FOR_RECOMMEND = (
    "yaml",  # the shipped pathway is read from its JSON copy
    "platformdirs",  # no user folder: no cache, no database
    "hashlib",  # OpenSSL; the copy's SHA-256 comes from CPython's own module
    "_hashlib",
    "shutil",  # argparse's terminal width, asked without it
    "sqlite3",
    "sqlite_utils",
    "argon2",
    "reportlab",
    "docx",
    "fhir",
    "pydantic",
)
NOT_FOR_RECOMMEND_APP = (
    "mdt_app.store",
    "mdt_app.security.",
    "mdt_app.documents",
    "mdt_app.domain_meetings",  # meetings and decisions: a case needs none of them
)


def _loaded(*argv: str, tmp_path) -> set[str]:
    code = (
        "import sys, json\n"
        "from mdt_app.cli import main\n"
        "try:\n"
        f"    rc = main({list(argv)!r})\n"
        "except SystemExit as exc:\n"
        "    rc = exc.code\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_recommend_loads_only_what_it_uses(tmp_path):
    loaded = _loaded("recommend", str(CASE), tmp_path=tmp_path)
    heavy = sorted(m for m in loaded if m.split(".")[0] in NOT_FOR_RECOMMEND)
    assert heavy == [], f"recommend loaded {heavy}"
    app = sorted(
        m
        for m in loaded
        if m.startswith(NOT_FOR_RECOMMEND_APP) and m != "mdt_app.security.cli_options"
    )
    assert app == [], f"recommend loaded {app}"
    assert "mdt_app.guideline.engine" in loaded  # it did recommend


def test_version_loads_no_command(tmp_path):
    loaded = _loaded("--version", tmp_path=tmp_path)
    assert not [m for m in loaded if m.startswith("mdt_app.commands")]
    assert not {"mdt_app.domain", "shutil", "platformdirs", "sqlite3"} & loaded
