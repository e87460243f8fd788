"""Reading a pathway file's document: strict YAML, with JSON copies of the result.

Parsing the YAML (and importing PyYAML at all) is most of what `mdt-app recommend`
costs. The document a file loads to is plain data (mappings, lists, text, numbers), so it
is also kept as JSON, always tied to the SHA-256 of the YAML file's bytes:

- the shipped pathways have theirs beside them (`atc.yaml.json`, written by
  `python -m mdt_app.tools.pathway_json`), used only while the hash it records is the
  hash of the YAML next to it;
- any other file (a draft given with `--guideline`, or a shipped file edited in place)
  is cached in the user's cache folder under a name made of that hash.

Any change to a YAML file changes its hash, so it is read from the YAML again: a stale
copy is never used. A JSON copy that cannot be read or written is ignored; the YAML is
the source.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mdt_app.errors import UserError
from mdt_app.paths import resource_path

CACHE_FORMAT = 1  # raised if the loader's rules change (then every cached document is stale)
SHIPPED_SUFFIX = ".json"  # atc.yaml -> atc.yaml.json, beside it


class DocumentError(UserError):
    """The file is not valid YAML (or nested too deeply); the message says where."""


def load_document(path: Path) -> Any:
    """The document in the pathway file at ``path`` (OSError if it cannot be read)."""
    raw = path.read_bytes()
    digest = sha256_hex(raw)
    shipped = _shipped_document(path, digest)
    if shipped is not None:
        return shipped[0]
    cached = _cache_file(digest)
    if cached is not None:
        try:
            return json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    data = load_yaml_document(raw)
    if cached is not None:
        _write(cached, data)
    return data


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` in hex. CPython's own SHA-256 module where it has one:
    `hashlib` loads OpenSSL (3 to 4 ms of every `recommend`); the digest is the same."""
    import importlib

    for name in ("_sha256", "_sha2"):  # _sha2 from Python 3.12
        try:
            return str(importlib.import_module(name).sha256(data).hexdigest())
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256(data).hexdigest()


def shipped_copy_path(path: Path) -> Path:
    """Where the shipped JSON copy of the pathway file ``path`` lives."""
    return path.with_name(path.name + SHIPPED_SUFFIX)


def shipped_copy(data: Any, digest: str) -> str:
    """The text of a shipped JSON copy of ``data``, the document of the YAML whose
    SHA-256 is ``digest``."""
    copy = {"format": CACHE_FORMAT, "source_sha256": digest, "document": data}
    return json.dumps(copy, ensure_ascii=False, indent=1) + "\n"


def _shipped_document(path: Path, digest: str) -> tuple[Any] | None:
    """The shipped copy's document (in a 1-tuple: a document may be anything) when
    ``path`` is a shipped pathway and its copy records ``digest``; else None."""
    try:
        folder = resource_path("guidelines")
        if folder not in path.parents:  # a file elsewhere never trusts a JSON beside it
            return None
        copy = json.loads(shipped_copy_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(copy, dict)
        or copy.get("format") != CACHE_FORMAT
        or copy.get("source_sha256") != digest
        or "document" not in copy
    ):
        return None  # written for another version of the YAML (or by another loader)
    return (copy["document"],)


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


def load_yaml_document(raw: bytes) -> Any:
    """The document in the YAML bytes ``raw``, read strictly (DocumentError if not valid)."""
    return _strict_yaml(raw.decode("utf-8"))


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
