"""One rule of a pathway: when it applies, what it emits, why, and who says so."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mdt_app.guideline import codes as c
from mdt_app.guideline import placeholders
from mdt_app.guideline.conditions import Condition, SchemaProblem, parse_condition

RULE_KEYS = (
    "id",
    "group",
    "when",
    "offered",
    "emit",
    "overrides",
    "caps",
    "removes",
    "titles",
    "warn",
    "rationale",
    "cite",
    "unverified",
)
RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


@dataclass(frozen=True)
class Rule:
    """One pathway rule: when it fires, the options it lists where, and why (citations)."""

    id: str
    group: str
    when: Condition
    emit: tuple[tuple[str, str], ...]  # (list name, code), in file order
    overrides: tuple[str, ...]  # codes made "not recommended" if another rule offered them
    warn: str | None
    rationale: str
    cite: tuple[str, ...]
    unverified: str | None = None
    caps: tuple[str, ...] = ()  # codes lowered to at most "consider" if offered
    removes: tuple[str, ...] = ()  # codes taken off every list if offered
    titles: tuple[tuple[str, str], ...] = ()  # (code, title template) for codes it emits
    offered: tuple[tuple[str, ...], ...] = ()  # warn only if one code of each group is offered

    def codes(self) -> tuple[str, ...]:
        return tuple(code for _, code in self.emit) + self.overrides + self.caps + self.removes

    @property
    def modifies(self) -> bool:
        return bool(self.overrides or self.caps or self.removes)

    def title_for(self, code: str) -> str | None:
        return dict(self.titles).get(code)


def parse_rule(raw: Any) -> Rule:
    """Check one rule mapping; SchemaProblem names the field that is wrong."""
    if not isinstance(raw, dict):
        raise SchemaProblem("(rule)", "expected a mapping of fields")
    for key in raw:
        if key not in RULE_KEYS:
            raise SchemaProblem(str(key), f"unknown field (allowed: {', '.join(RULE_KEYS)})")
    rid = _text(raw, "id")
    if not RULE_ID.match(rid):
        raise SchemaProblem("id", f"{rid!r} must be lower-case words joined by dots")
    if "when" not in raw:
        raise SchemaProblem("when", "is required (write 'when: always' for every case)")
    emit = _emit(raw.get("emit"))
    overrides = _codes(raw.get("overrides"), "overrides")
    caps = _codes(raw.get("caps"), "caps")
    removes = _codes(raw.get("removes"), "removes")
    modifies = bool(overrides or caps or removes)
    rule = Rule(
        id=rid,
        group=_text(raw, "group"),
        when=parse_condition(raw["when"], "when"),
        emit=emit,
        overrides=overrides,
        warn=_optional_text(raw, "warn"),
        rationale=_text(raw, "rationale") if emit or modifies else "",
        cite=_citations(raw.get("cite")),
        unverified=_optional_text(raw, "unverified"),
        caps=caps,
        removes=removes,
        titles=_titles(raw.get("titles"), emit),
        offered=_offered(raw.get("offered")),
    )
    if rule.warn:
        placeholders.check(rule.warn, "warn")
    placeholders.check(rule.rationale, "rationale")
    _check_consistency(rule)
    return rule


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SchemaProblem(key, "is required and must be non-empty text")
    return " ".join(value.split())


def _optional_text(raw: dict, key: str) -> str | None:
    return _text(raw, key) if raw.get(key) is not None else None


def _emit(raw: Any) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise SchemaProblem("emit", f"expected a mapping of lists ({', '.join(c.LISTS)})")
    out: list[tuple[str, str]] = []
    for name, codes in raw.items():
        if name not in c.LISTS:
            raise SchemaProblem(f"emit.{name}", f"unknown list (one of {', '.join(c.LISTS)})")
        out.extend((name, code) for code in _codes(codes, f"emit.{name}", required=True))
    return tuple(out)


def _codes(raw: Any, path: str, *, required: bool = False) -> tuple[str, ...]:
    if raw is None and not required:
        return ()
    values = raw if isinstance(raw, list) else [raw]
    if not values:
        raise SchemaProblem(path, "needs at least one option code")
    for i, code in enumerate(values):
        if code not in c.CODE_ORDER:
            raise SchemaProblem(f"{path}[{i}]", f"unknown option code {code!r}")
    return tuple(values)


def _titles(raw: Any, emit: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        raise SchemaProblem("titles", "expected a mapping of option code -> title")
    emitted = {code for _, code in emit}
    out = []
    for code, text in raw.items():
        if code not in emitted:
            raise SchemaProblem(f"titles.{code}", "a rule can only title the codes it emits")
        if not isinstance(text, str) or not text.strip():
            raise SchemaProblem(f"titles.{code}", "must be non-empty text")
        placeholders.check(text, f"titles.{code}")
        out.append((code, " ".join(text.split())))
    return tuple(out)


def _offered(raw: Any) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise SchemaProblem("offered", "expected a list of groups of option codes")
    return tuple(_codes(group, f"offered[{i}]", required=True) for i, group in enumerate(raw))


def _citations(raw: Any) -> tuple[str, ...]:
    values = raw if isinstance(raw, list) else [raw]
    if raw is None or not values:
        raise SchemaProblem("cite", "every rule needs at least one citation")
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise SchemaProblem(f"cite[{i}]", "a citation must be non-empty text")
    return tuple(v.strip() for v in values)


def _check_consistency(rule: Rule) -> None:
    if not (rule.emit or rule.modifies or rule.warn):
        raise SchemaProblem(
            "emit", "the rule emits nothing (give emit, overrides, caps, removes or warn)"
        )
    if rule.offered and (rule.emit or rule.modifies):
        raise SchemaProblem("offered", "a rule that depends on offered options may only warn")
    for i, (name, code) in enumerate(rule.emit):
        where = f"emit.{name}"
        if (name == c.MISSING) != (code in c.WORKUP_CODES):
            raise SchemaProblem(where, f"{code}: work-up prompts go in 'missing', and only they do")
        if any(code == other for _, other in rule.emit[:i]):
            raise SchemaProblem(where, f"{code} is emitted twice by the same rule")
        if rule.unverified and name == "recommended":
            raise SchemaProblem(where, "an unverified rule may at most 'consider' an option")
    for key in ("overrides", "caps", "removes"):
        for i, code in enumerate(getattr(rule, key)):
            if code in c.WORKUP_CODES:
                raise SchemaProblem(f"{key}[{i}]", f"{code}: work-up prompts cannot be modified")
