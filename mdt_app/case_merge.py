"""Merging an imported case into the stored one, field by field.

A file says only what it says: a field absent from it keeps the stored value; a field
present with another value replaces it (the import audits before and after). Lists of
dated results merge by their key - labs by date and test, imaging by date, modality and
region - so a corrected result replaces the stored one and stored results the file does
not mention stay. Other lists of records (e.g. prior treatments) gain the entries not
already stored; lists of codes (metastatic sites, declined treatments) are a statement
of the current set and are replaced when present.

Works on the mdt-case/1 form (`casefile.case_to_dict`) so every field the format knows,
including fields added later, merges the same way; the result goes back through
`casefile.parse_case`, so a merge can never produce a case a file could not.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

from mdt_app import domain as d
from mdt_app.casefile import case_to_dict, parse_case, present_paths

# Lists of records merged by key; the key fields of each.
KEYED_LISTS = {"labs": ("date", "test"), "imaging": ("date", "modality", "region")}
# Identity is matched, not merged: the stored MRN text stays.
NOT_MERGED = {"format", "patient.mrn"}


def merge_case(stored: d.Case, incoming: d.Case) -> d.Case:
    """``stored`` updated by what ``incoming`` says (see the module notes)."""
    old = case_to_dict(stored)
    new = case_to_dict(incoming)
    present = incoming.present if incoming.present is not None else present_paths(new)
    merged = copy.deepcopy(old)
    for path in sorted(present):
        if path in NOT_MERGED:
            continue
        value = _get(new, path)
        if path in KEYED_LISTS:
            value = _merge_keyed(_get(old, path) or [], value or [], KEYED_LISTS[path])
        elif _is_record_list(value) and _is_record_list(_get(old, path)):
            value = _union(_get(old, path), value)
        _set(merged, path, value)
    label = f"case (MRN {stored.patient.mrn}, merged with the stored case)"
    result = parse_case(merged, label)
    return replace(
        result,
        id=stored.id,
        version=stored.version,
        patient=replace(
            result.patient, id=stored.patient.id, identifier_system=stored.patient.identifier_system
        ),
    )


def _get(obj: dict, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)  # type: ignore[assignment]
    return obj


def _set(obj: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        if not isinstance(obj.get(part), dict):
            obj[part] = {}
        obj = obj[part]
    obj[parts[-1]] = value


def _is_record_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _canonical(entry: Any) -> str:
    return json.dumps(entry, sort_keys=True, default=str)


def _merge_keyed(old: list, new: list, key: tuple[str, ...]) -> list:
    """Stored entries, with every key the file gives replaced by the file's entries for
    it (all of them: two results of one test on one day both stay; an entry repeated
    exactly is one entry)."""
    groups: dict[tuple, list] = {}
    for entry in old:
        if isinstance(entry, dict):
            groups.setdefault(tuple(entry.get(k) for k in key), []).append(entry)
    given: dict[tuple, list] = {}
    for entry in new:
        if isinstance(entry, dict):
            group = given.setdefault(tuple(entry.get(k) for k in key), [])
            if _canonical(entry) not in map(_canonical, group):  # the same record twice: once
                group.append(entry)
    groups.update(given)
    return [entry for entries in groups.values() for entry in entries]


def _union(old: list, new: list) -> list:
    seen = {_canonical(e) for e in old}
    return list(old) + [e for e in new if _canonical(e) not in seen]


def flatten(obj: dict, prefix: str = "") -> dict:
    """A case dict as {"tnm.t": ..., "labs": [...]} (nested objects become dotted keys)."""
    out: dict = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def fact_differences(old: dict, new: dict) -> list[tuple[str, Any, Any]]:
    """(field, old value, new value) for every fact that differs between two case dicts;
    lists compare as sets of entries (their order carries no meaning)."""
    a, b = flatten(old), flatten(new)
    out = []
    for key in sorted(set(a) | set(b)):
        before, after = a.get(key), b.get(key)
        if isinstance(before, list) and isinstance(after, list):
            if sorted(map(_canonical, before)) == sorted(map(_canonical, after)):
                continue
        elif before == after:
            continue
        out.append((key, before, after))
    return out
