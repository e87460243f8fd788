"""`python -m mdt_app.tools.pathway_json`: the JSON copies shipped beside the pathways.

Each pathway YAML under `resources/guidelines/` (the current one and `history/`) gets
`<name>.yaml.json`: the loaded document and the SHA-256 of the YAML bytes it came from.
`recommend` then reads the JSON and needs no YAML parser; a copy whose hash is not the
YAML's is ignored at run time (the YAML is read instead), so an edit without
regenerating is slower, never wrong:

    python -m mdt_app.tools.pathway_json           # regenerate after editing a pathway
    python -m mdt_app.tools.pathway_json --check   # exit 1 if a copy is stale

tests/test_pathway_cache.py fails while a committed copy is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from mdt_app.guideline.pathway_file import (
    load_yaml_document,
    sha256_hex,
    shipped_copy,
    shipped_copy_path,
)
from mdt_app.paths import resource_path


def shipped_pathways() -> list[Path]:
    """The pathway files shipped with the app (not the references list)."""
    folder = resource_path("guidelines")
    return [folder / "atc.yaml", *sorted((folder / "history").glob("*.yaml"))]


def expected_copy(path: Path) -> str:
    """What the JSON copy of the pathway at ``path`` must contain."""
    raw = path.read_bytes()
    data = load_yaml_document(raw)
    text = shipped_copy(data, sha256_hex(raw))
    if json.loads(text)["document"] != data:  # e.g. a number as a key
        raise ValueError(f"{path}: its document does not survive JSON")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with --check, compare) every shipped pathway's JSON copy."""
    parser = argparse.ArgumentParser(prog="python -m mdt_app.tools.pathway_json")
    parser.add_argument("--check", action="store_true", help="exit 1 if a copy is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in shipped_pathways():
        target = shipped_copy_path(path)
        text = expected_copy(path)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    if stale:
        print(
            f"stale: {', '.join(stale)}; run python -m mdt_app.tools.pathway_json",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
