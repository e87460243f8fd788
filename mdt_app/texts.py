"""Patient-facing wording, kept as YAML under resources/text/<language>/ (no code per language).

A translation may be partial: whatever a language's file leaves out comes from English.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import yaml

from mdt_app.paths import resource_path

FALLBACK_LANGUAGE = "en"

try:  # the C loader is several times faster; plain PyYAML builds lack it
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def text_language(name: str, language: str = FALLBACK_LANGUAGE) -> str:
    """The language whose ``name`` texts will actually be used (the fallback if none)."""
    if language and resource_path("text", language, f"{name}.yaml").is_file():
        return language
    return FALLBACK_LANGUAGE


def load_texts(name: str, language: str = FALLBACK_LANGUAGE) -> dict[str, Any]:
    """The texts of ``resources/text/<language>/<name>.yaml`` over the English ones.

    Returns a fresh copy the caller may change.
    """
    return copy.deepcopy(_merged(name, text_language(name, language)))


@functools.cache
def _merged(name: str, language: str) -> dict[str, Any]:
    english = _read(name, FALLBACK_LANGUAGE)
    if language == FALLBACK_LANGUAGE:
        return english
    return _overlay(english, _read(name, language))


def _read(name: str, language: str) -> dict[str, Any]:
    path = resource_path("text", language, f"{name}.yaml")
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_Loader)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def _overlay(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _overlay(base[key], value)
        else:
            out[key] = value
    return out
