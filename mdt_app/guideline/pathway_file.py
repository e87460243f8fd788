"""Reading a pathway file's document: strict YAML, with a per-user cache of the result.

Parsing the YAML (and importing PyYAML at all) is most of what `mdt-app recommend`
costs. The document a file loads to is plain data (mappings, lists, text, numbers), so it
is kept as JSON in the user's cache folder, named by the SHA-256 of the file's bytes:
any change to the file is a new name and is read from the YAML again. A cache file that
cannot be read or written is ignored; the YAML is the source.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from mdt_app.errors import UserError

CACHE_FORMAT = 1  # raised if the loader's rules change (then every cached document is stale)


class DocumentError(UserError):
    """The file is not valid YAML (or nested too deeply); the message says where."""


def load_document(path: Path) -> Any:
    """The document in the pathway file at ``path`` (OSError if it cannot be read)."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    cached = _cache_file(digest)
    if cached is not None:
        try:
            return json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    data = _strict_yaml(raw.decode("utf-8"))
    if cached is not None:
        _write(cached, data)
    return data


def _cache_file(digest: str) -> Path | None:
    try:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("mdt-assistant", False))
    except Exception:  # noqa: BLE001 (no cache folder: read the YAML)
        return None
    return folder / "pathways" / f"v{CACHE_FORMAT}-{digest}.json"


def _write(target: Path, data: Any) -> None:
    try:
        text = json.dumps(data, ensure_ascii=False)
        if json.loads(text) != data:  # e.g. a number as a key: JSON would make it text
            return
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # whole or not at all: a reader never sees half a file
    except (OSError, TypeError, ValueError):
        pass


def _strict_yaml(text: str) -> Any:
    import yaml

    # libyaml's parser is ten times faster than the pure-Python one; the constructor (and
    # so the duplicate-key check) is the same Python code either way.
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):
        """YAML's safe loader, except that a key written twice in one mapping is an
        error (plain YAML keeps the last one silently, which would drop half a
        condition)."""

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        "a key must be plain text, not a list or mapping",
                        key_node.start_mark,
                    )
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} is written twice", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DocumentError(f"is not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
