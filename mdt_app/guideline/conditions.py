"""The condition language of a pathway rule: read from YAML, evaluated, put into words.

A condition is `always`, or a mapping whose entries must all hold. An entry is a fact
test (`stage: [IVA, IVB]`: the case's value is one of these) or one of `all: [...]`,
`any: [...]`, `not: {...}`. See resources/guidelines/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mdt_app.guideline.facts import FACTS, CaseFacts

ALWAYS_WORD = "always"


class SchemaProblem(Exception):
    """A problem at one field of the pathway file; the loader adds the file and rule."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"field '{field}': {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Test:
    """True when the case's ``fact`` has one of ``values``."""

    fact: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    """True when every item holds (no items: always true)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one item holds."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the item does not hold."""

    item: Condition


Condition = Test | AllOf | AnyOf | Not
ALWAYS = AllOf(())


def parse_condition(raw: Any, path: str) -> Condition:
    """The Condition written at ``path``; SchemaProblem names the field that is wrong."""
    if raw == ALWAYS_WORD:
        return ALWAYS
    if not isinstance(raw, dict) or not raw:
        raise SchemaProblem(path, f"expected '{ALWAYS_WORD}' or a mapping of conditions")
    items = tuple(_entry(key, value, f"{path}.{key}") for key, value in raw.items())
    return items[0] if len(items) == 1 else AllOf(items)


def _entry(key: Any, value: Any, path: str) -> Condition:
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise SchemaProblem(path, f"'{key}' needs a non-empty list of conditions")
        items = tuple(parse_condition(v, f"{path}[{i}]") for i, v in enumerate(value))
        return AllOf(items) if key == "all" else AnyOf(items)
    if key == "not":
        return Not(parse_condition(value, path))
    if key not in FACTS:
        raise SchemaProblem(path, f"unknown fact {key!r} (known: {', '.join(FACTS)})")
    return Test(key, _values(key, value, path))


def _values(fact: str, value: Any, path: str) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    allowed = FACTS[fact].values
    out: list[str] = []
    for v in values:
        token = str(v).lower() if isinstance(v, bool) else v
        if not isinstance(token, str) or token not in allowed:
            raise SchemaProblem(
                path, f"{v!r} is not a value of fact '{fact}' (one of {', '.join(allowed)})"
            )
        out.append(token)
    if not out:
        raise SchemaProblem(path, "needs at least one value")
    return tuple(out)


def evaluate(cond: Condition, facts: CaseFacts) -> tuple[bool, tuple[str, ...]]:
    """Whether ``cond`` holds, and the names of the facts that decided it."""
    if isinstance(cond, Test):
        return bool(facts.tokens(cond.fact) & set(cond.values)), (cond.fact,)
    if isinstance(cond, Not):
        held, used = evaluate(cond.item, facts)
        return not held, used
    results = [evaluate(item, facts) for item in cond.items]
    wanted = isinstance(cond, AllOf)  # all: decided by a failing item; any: by a holding one
    deciders = [used for held, used in results if held != wanted]
    if deciders:
        return not wanted, deciders[0] if wanted else _join(deciders)
    return wanted, _join(used for _, used in results)


def _join(groups: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))


def describe(cond: Condition) -> str:
    """The condition in words, for the review listing."""
    if cond == ALWAYS:
        return "always (every case)"
    if isinstance(cond, Test):
        verb = "includes" if FACTS[cond.fact].several else "is"
        return f"{cond.fact} {verb} {' or '.join(cond.values)}"
    if isinstance(cond, Not):
        return f"not ({describe(cond.item)})"
    parts = [_nested(item) for item in cond.items]
    return " and ".join(parts) if isinstance(cond, AllOf) else "either " + " or ".join(parts)


def _nested(cond: Condition) -> str:
    text = describe(cond)
    return f"({text})" if isinstance(cond, AllOf | AnyOf) and cond != ALWAYS else text
