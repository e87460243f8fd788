"""Fuzzed inputs for the three readers a user can hand a file to: the mdt-case/1 reader,
the FHIR Bundle reader (both through `mdt-app import`) and the pathway loader.

The property, for every input: it is accepted, or refused with ONE line naming the
problem (a UserError; on the command line "mdt-app: error: ..." and exit code 1), and a
refusal leaves the database's bytes exactly as they were. Used by
tests/test_fuzz_inputs.py (a few hundred examples) and tests/benchmarks (a longer run).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from mdt_app import cli
from mdt_app.errors import UserError
from mdt_app.guideline.pathway import read_pathway
from mdt_app.paths import resource_path
from tests.conftest import FIXTURES

CASE_BASE = json.loads((FIXTURES / "import" / "valid_case.json").read_text(encoding="utf-8"))
BUNDLE_BASE = json.loads((FIXTURES / "import" / "fhir_bundle.json").read_text(encoding="utf-8"))
PATHWAY_BASE = yaml.safe_load(resource_path("guidelines", "atc.yaml").read_text(encoding="utf-8"))

# Text with every kind of character, lone surrogates included (JSON can carry "\ud800").
_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
    st.sampled_from(["", " ", "M1", "T4b", "positive", "2026-02-30", "1900-01-01", "CT"]),
)
json_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_text, inner, max_size=4)),
    max_leaves=8,
)

# Inputs of the kinds that crashed the readers before issue 11, as raw JSON text pieces.
_SPECIAL_JSON = [
    "[" * 100_000 + "]" * 100_000,
    "1" * 4301,
    "1e400",
    "-1e400",
    '"\\ud800"',
    '"\\udfff x"',
    "NaN",
    "Infinity",
    '{"a": 1, "a": 2}',
    '"2026-01-01"',
    '"low"',
    '{"resourceType": "Patient"}',
    "[" * 70 + "]" * 70,
]


@st.composite
def mutated_document(draw: st.DrawFn, base: Any) -> str:
    """``base`` with one to three values replaced somewhere, as JSON text."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        doc = _replace_somewhere(draw, doc)
    entries = doc.get("entry") if isinstance(doc, dict) else None
    if isinstance(entries, list) and entries and draw(st.integers(0, 9)) == 0:
        i = draw(st.integers(0, len(entries) - 1))
        entries[i] = json.dumps(entries[i])  # an entry given as a JSON string
    text = json.dumps(doc, ensure_ascii=True)
    if draw(st.integers(0, 4)) == 0:  # splice a special piece in as raw text
        special = draw(st.sampled_from(_SPECIAL_JSON))
        marker = draw(st.sampled_from(['"family_name"', '"value"', '"ecog"', '"low"', '"entry"']))
        if marker in text:
            head, _, tail = text.partition(marker)
            colon = tail.find(":")
            end = _value_end(tail, colon + 1)
            text = f"{head}{marker}: {special}{tail[end:]}"
    return text


def _value_end(text: str, start: int) -> int:
    """Where the JSON value starting at ``start`` ends (good enough to splice over it)."""
    stripped = text[start:].lstrip()
    offset = len(text) - len(stripped)
    try:
        _, end = json.JSONDecoder().raw_decode(stripped)
    except ValueError:
        return start
    return offset + end


def _replace_somewhere(draw: st.DrawFn, node: Any) -> Any:
    if isinstance(node, dict | list) and node and draw(st.integers(0, 9)) < 8:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        if isinstance(node, dict) and draw(st.integers(0, 9)) == 0:
            del node[key]  # a field left out
            return node
        node[key] = _replace_somewhere(draw, node[key])
        return node
    return draw(json_values)


@st.composite
def mutated_pathway(draw: st.DrawFn) -> str:
    """The shipped pathway with values replaced, as YAML text (or a crash kind)."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(
            st.sampled_from(
                [
                    "[" * 5000 + "]" * 5000,
                    "a: " + "[" * 200 + "]" * 200,
                    "codes:\n  ? [BIOPSY_CORE]\n  : x\n",
                    "id: atc\nrules:\n  - id: r1\n    emit: {recommended: [[SURGERY_R0R1]]}\n",
                    "&a [*a]",
                ]
            )
        )
    doc = copy.deepcopy(PATHWAY_BASE)
    for _ in range(draw(st.integers(1, 3))):
        doc = _replace_somewhere(draw, doc)
    try:
        return yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
    except (yaml.YAMLError, ValueError, UnicodeError):
        return "not: [valid"


def db_bytes(db: Path) -> bytes:
    """The database as it stands on disk (main file only: no connection is open)."""
    return db.read_bytes() if db.exists() else b""


def import_outcome(text: str, folder: Path, db: Path) -> tuple[int, str]:
    """Run `mdt-app import` on ``text``; (exit code, stderr). Raises on a crash."""
    path = folder / "fuzzed.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["import", str(path), "--db", str(db)])
    return code, err.getvalue()


def import_fault(text: str, folder: Path, db: Path) -> tuple[bool, str | None]:
    """(accepted, fault) for one import: a fault says how a refusal broke the property
    (more than one line, no "mdt-app: error:" prefix, or a changed database)."""
    before = db_bytes(db)
    code, err = import_outcome(text, folder, db)
    if code == 0:
        return True, None
    lines = err.splitlines()
    if len(lines) != 1 or not lines[0].startswith("mdt-app: error: "):
        return False, f"not a one-line refusal: {err[:500]!r}"
    if db_bytes(db) != before:
        return False, "a refused import changed the database"
    return False, None


def pathway_fault(text: str, folder: Path) -> tuple[bool, str | None]:
    """(loaded, fault) for one pathway file: a refusal must be one non-empty line."""
    path = folder / "fuzzed.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_pathway(path)
    except UserError as exc:
        message = str(exc)
        if "\n" in cli.one_line(message) or not message.strip():
            return False, f"not a one-line refusal: {message[:500]!r}"
        return False, None
    return True, None
