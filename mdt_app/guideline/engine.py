"""The guideline engine: one case against one pathway gives a Recommendation.

Pure functions over the case: no Qt, no database, no clock. How a code that several
rules emit is resolved (resources/guidelines/README.md has the full policy):

- Rules fire in file order. Each firing rule emits its options; then each firing rule's
  ``overrides`` turn codes that another rule offered (recommended or consider) into
  "not recommended" -- patient refusal, comfort-only care.
- A code ends in exactly one list: not_recommended beats recommended beats consider.
  Work-up prompts live only in "missing" (the schema enforces it), so they never clash.
- Rules that put a code in the winning list are merged: their rationales are joined,
  their sources and rule ids de-duplicated, in rule order. When "not recommended" wins
  over a recommendation or a consider, the rationale says which rule it supersedes.
- Inside each list, options follow the fixed code order of codes.py (docs/option-codes.md);
  warnings follow rule order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from mdt_app.domain import Case, Option, Recommendation
from mdt_app.guideline import codes as c
from mdt_app.guideline.conditions import evaluate
from mdt_app.guideline.facts import CaseFacts
from mdt_app.guideline.pathway import Pathway, read_pathway
from mdt_app.guideline.rules import Rule
from mdt_app.guideline.situation import Situation
from mdt_app.paths import resource_path
from mdt_app.staging import stage_for

DEFAULT_PATHWAY = ("guidelines", "atc.yaml")
LIST_WORDS = {"recommended": "recommended", "consider": "to consider"}


@dataclass(frozen=True)
class Hit:
    """One rule putting one code in one list, with its case-specific rationale."""

    code: str
    list: str
    rule: Rule
    rationale: str


Fired = list[tuple[Rule, tuple[str, ...]]]


def load_pathway(path: str | Path | None = None) -> Pathway:
    """The pathway at ``path`` (default: the shipped ATC pathway), read once per version."""
    target = Path(path) if path else resource_path(*DEFAULT_PATHWAY)
    try:
        stamp = target.stat().st_mtime_ns
    except OSError:
        stamp = 0  # read_pathway reports the missing file
    return _read_cached(str(target), stamp)


@lru_cache(maxsize=8)
def _read_cached(path: str, stamp: int) -> Pathway:
    return read_pathway(path)


def recommend(
    case: Case, pathway: Pathway | None = None, *, today: date | None = None
) -> Recommendation:
    """Stage ``case`` and evaluate it against ``pathway`` (default: the shipped one).

    ``today`` is accepted for date-dependent rules; no current rule depends on the date,
    so the same case always gives the same answer.
    """
    pathway = pathway or load_pathway()
    staging = stage_for(case.tnm)
    facts = CaseFacts(Situation(case, staging, pathway.settings))
    fired = _fire(pathway, facts)
    hits = _emitted(fired, facts)
    hits += _overriding(fired, facts, {h.code for h in hits if h.list in LIST_WORDS})
    return Recommendation(
        stage=staging.stage,
        stage_basis=staging.basis,
        guideline_id=pathway.id,
        guideline_title=pathway.title,
        guideline_version=pathway.version,
        **_resolve(hits, pathway),
        warnings=tuple(dict.fromkeys(rule.warn for rule, _ in fired if rule.warn)),
    )


def fired_rules(case: Case, pathway: Pathway | None = None) -> tuple[str, ...]:
    """The ids of the rules that hold for ``case``, in pathway order (for audit and tests)."""
    pathway = pathway or load_pathway()
    facts = CaseFacts(Situation(case, stage_for(case.tnm), pathway.settings))
    return tuple(rule.id for rule, _ in _fire(pathway, facts))


def _fire(pathway: Pathway, facts: CaseFacts) -> Fired:
    fired: Fired = []
    for rule in pathway.rules:
        held, used = evaluate(rule.when, facts)
        if held:
            fired.append((rule, used))
    return fired


def _emitted(fired: Fired, facts: CaseFacts) -> list[Hit]:
    return [
        Hit(code, name, rule, _rationale(rule, used, facts))
        for rule, used in fired
        for name, code in rule.emit
    ]


def _overriding(fired: Fired, facts: CaseFacts, offered: set[str]) -> list[Hit]:
    return [
        Hit(code, c.NOT_RECOMMENDED, rule, _rationale(rule, used, facts))
        for rule, used in fired
        for code in rule.overrides
        if code in offered
    ]


def _rationale(rule: Rule, used: tuple[str, ...], facts: CaseFacts) -> str:
    words = "; ".join(dict.fromkeys(facts.words(name) for name in used))
    text = _sentence(rule.rationale)
    if words:
        text = f"{_sentence(words[0].upper() + words[1:])} {text}"
    if rule.unverified:
        text += f" Unverified: {_sentence(rule.unverified)}"
    return text


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _resolve(hits: list[Hit], pathway: Pathway) -> dict[str, tuple[Option, ...]]:
    by_code: dict[str, list[Hit]] = {}
    for hit in hits:
        by_code.setdefault(hit.code, []).append(hit)
    out: dict[str, list[Option]] = {name: [] for name in c.LISTS}
    for code in sorted(by_code, key=c.CODE_ORDER.__getitem__):
        group = by_code[code]
        winner = min((h.list for h in group), key=c.PRECEDENCE.index)
        out[winner].append(_option(code, winner, group, pathway))
    return {name: tuple(options) for name, options in out.items()}


def _option(code: str, winner: str, group: list[Hit], pathway: Pathway) -> Option:
    won = [h for h in group if h.list == winner]
    rationale = " Also: ".join(dict.fromkeys(h.rationale for h in won))
    lost = dict.fromkeys(
        f"{LIST_WORDS[h.list]} by rule {h.rule.id}" for h in group if h.list != winner
    )
    if lost and winner == c.NOT_RECOMMENDED:
        rationale += f" (Supersedes: {'; '.join(lost)}.)"
    return Option(
        code=code,
        title=pathway.title_of(code),
        rationale=rationale,
        sources=tuple(dict.fromkeys(s for h in won for s in h.rule.cite)),
        rule_ids=tuple(dict.fromkeys(h.rule.id for h in won)),
    )
