"""Checks of exported resources against the mCODE 4 StructureDefinitions' required elements.

The StructureDefinitions in tests/fixtures/mcode/ come from the `hl7.fhir.us.mcode` 4.0.0
npm package, trimmed to what these checks read (see the README there). Checked: the
resource type, `meta.profile` naming the profile, every top-level element with min >= 1,
every required top-level slice with a fixed pattern (at least one repetition carries
it), a pattern on a top-level element (e.g. ECOG's code 89247-1), and min >= 1 children
of present top-level elements (e.g. Patient.identifier.system and .value).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "mcode"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"


@cache
def structure_definition(name: str) -> dict:
    return json.loads((FIXTURES / f"StructureDefinition-mcode-{name}.json").read_text("utf-8"))


def _covers(value: Any, pattern: Any) -> bool:
    """FHIR pattern semantics: every element of the pattern is present with that value."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(_covers(value.get(k), v) for k, v in pattern.items())
    if isinstance(pattern, list):
        items = value if isinstance(value, list) else []
        return all(any(_covers(i, p) for i in items) for p in pattern)
    return value == pattern


def _present(value: Any) -> bool:
    return value not in (None, [], {}, "")


def problems(resource: dict, name: str) -> list[str]:
    """What the resource lacks against the profile ``mcode-<name>`` (empty when conformant)."""
    sd = structure_definition(name)
    kind = sd["type"]
    out: list[str] = []
    if resource.get("resourceType") != kind:
        return [f"is a {resource.get('resourceType')}, the profile is for {kind}"]
    if sd["url"] not in (resource.get("meta") or {}).get("profile", []):
        out.append(f"meta.profile does not name {sd['url']}")
    for e in sd["snapshot"]["element"]:
        path: str = e["path"]
        parts = path.split(".")[1:]
        if not parts or "[x]" in path and len(parts) > 1:
            continue
        sliced = ":" in e["id"]
        pattern = e.get("patternCodeableConcept") or e.get("patternCoding")
        if len(parts) == 1:
            element = parts[0]
            if element.endswith("[x]"):
                stem = element[:-3]
                value = next((v for k, v in resource.items() if k.startswith(stem)), None)
            else:
                value = resource.get(element)
            if sliced and "/" not in e["id"].split(":", 1)[1]:
                if (
                    e.get("min", 0) >= 1
                    and pattern
                    and not _covers(value if isinstance(value, list) else [value], [pattern])
                ):
                    out.append(f"{e['id']}: no {element} matches {json.dumps(pattern)}")
                continue
            if e.get("min", 0) >= 1 and not _present(value):
                out.append(f"{path} is required")
            if pattern and _present(value) and not sliced:
                values = value if isinstance(value, list) else [value]
                if not any(_covers(v, pattern) for v in values):
                    out.append(f"{path} must match {json.dumps(pattern)}")
        elif len(parts) == 2 and not sliced and e.get("min", 0) >= 1:
            parent = resource.get(parts[0])
            for item in parent if isinstance(parent, list) else [parent] if parent else []:
                if isinstance(item, dict) and not _present(item.get(parts[1].removesuffix("[x]"))):
                    if parts[1].endswith("[x]"):
                        stem = parts[1][:-3]
                        if any(k.startswith(stem) for k in item):
                            continue
                    out.append(f"{path} is required")
    return out
