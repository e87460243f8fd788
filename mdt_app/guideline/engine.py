"""The guideline engine: one case against one pathway gives a Recommendation.

Pure functions over the case: no Qt, no database. The date enters only through
``today`` (overdue treatment start, age for pregnancy checks). How rules combine
(resources/guidelines/README.md, "How rules combine"):

1. Placement. Every firing rule's ``emit`` places codes. A code several rules place ends
   in one list: not_recommended beats recommended beats consider. Work-up prompts live
   only in "missing" (the schema enforces it), so they never clash.
2. Modifiers. Then each firing rule's ``overrides`` (-> not recommended), ``removes``
   (-> off every list) and ``caps`` (recommended -> consider) act on codes that were
   placed as recommended or consider. They only ever lower; the lowest wins
   (not recommended, then removed, then consider).
3. Rationales of the rules that put a code where it ended are joined; a lowered option
   says why ("Capped at consider: ...", "Supersedes: ...").
4. Warnings follow rule order. A rule with ``offered`` warns only when one code of each
   of its groups ended in recommended or consider (e.g. BRAF/MEK with radiotherapy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from mdt_app.domain import Case, Option, Recommendation
from mdt_app.guideline import codes as c
from mdt_app.guideline import placeholders
from mdt_app.guideline.conditions import evaluate
from mdt_app.guideline.facts import CaseFacts
from mdt_app.guideline.pathway import Pathway, read_pathway
from mdt_app.guideline.rules import Rule
from mdt_app.guideline.situation import Situation
from mdt_app.paths import resource_path
from mdt_app.staging import checked_stage
from mdt_app.wording import RULE_LIST_WORDS

DEFAULT_PATHWAY = ("guidelines", "atc.yaml")
LIST_WORDS = {k.value: v for k, v in RULE_LIST_WORDS.items()}  # mdt_app.wording
OFFERED = ("recommended", "consider")
REMOVED = "removed"
# Lowest placement wins among modifiers; higher index = lower.
LOWNESS = ("recommended", "consider", REMOVED, "not_recommended")


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


def _situation(case: Case, pathway: Pathway, today: date | None) -> Situation:
    staging = checked_stage(case.tnm, case.metastases.sites)
    return Situation(case, staging, pathway.settings, today or date.today())


def recommend(
    case: Case, pathway: Pathway | None = None, *, today: date | None = None
) -> Recommendation:
    """Stage ``case`` and evaluate it against ``pathway`` (default: the shipped one).

    ``today`` (default: the current date) is the day the overdue-treatment check and
    the patient's age are measured against; pass it for reproducible answers.
    """
    pathway = pathway or load_pathway()
    situation = _situation(case, pathway, today)
    facts = CaseFacts(situation)
    fired = _fire(pathway, facts)
    lists = _resolve(fired, facts, pathway)
    offered = {o.code for name in OFFERED for o in lists[name]}
    warnings = [
        placeholders.fill(rule.warn, situation)
        for rule, _ in fired
        if rule.warn and _offered_holds(rule, offered)
    ]
    return Recommendation(
        stage=situation.staging.stage,
        stage_basis=situation.staging.basis,
        guideline_id=pathway.id,
        guideline_title=pathway.title,
        guideline_version=pathway.version,
        **lists,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def fired_rules(
    case: Case, pathway: Pathway | None = None, *, today: date | None = None
) -> tuple[str, ...]:
    """The ids of the rules that hold for ``case``, in pathway order (for audit and tests).

    A rule that depends on offered options counts when those options were offered.
    """
    pathway = pathway or load_pathway()
    facts = CaseFacts(_situation(case, pathway, today))
    fired = _fire(pathway, facts)
    lists = _resolve(fired, facts, pathway)
    offered = {o.code for name in OFFERED for o in lists[name]}
    return tuple(rule.id for rule, _ in fired if _offered_holds(rule, offered))


def _offered_holds(rule: Rule, offered: set[str]) -> bool:
    return all(any(code in offered for code in group) for group in rule.offered)


def _fire(pathway: Pathway, facts: CaseFacts) -> Fired:
    fired: Fired = []
    for rule in pathway.rules:
        held, used = evaluate(rule.when, facts)
        if held:
            fired.append((rule, used))
    return fired


def _rationale(rule: Rule, used: tuple[str, ...], facts: CaseFacts) -> str:
    words = "; ".join(dict.fromkeys(facts.words(name) for name in used))
    text = _sentence(placeholders.fill(rule.rationale, facts.situation))
    if words:
        text = f"{_sentence(words[0].upper() + words[1:])} {text}"
    if rule.unverified:
        text += f" Unverified: {_sentence(rule.unverified)}"
    return text


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _resolve(fired: Fired, facts: CaseFacts, pathway: Pathway) -> dict[str, tuple[Option, ...]]:
    placed: dict[str, list[Hit]] = {}
    for rule, used in fired:
        for name, code in rule.emit:
            placed.setdefault(code, []).append(Hit(code, name, rule, _rationale(rule, used, facts)))
    modifiers: dict[str, list[Hit]] = {}
    for rule, used in fired:
        for kind, codes in (
            ("not_recommended", rule.overrides),
            (REMOVED, rule.removes),
            ("consider", rule.caps),
        ):
            for code in codes:
                hit = Hit(code, kind, rule, _rationale(rule, used, facts))
                modifiers.setdefault(code, []).append(hit)
    out: dict[str, list[Option]] = {name: [] for name in c.LISTS}
    for code in sorted(placed, key=c.CODE_ORDER.__getitem__):
        group = placed[code]
        winner = min((h.list for h in group), key=c.PRECEDENCE.index)
        mods = modifiers.get(code, []) if winner in OFFERED else []
        final = max([winner] + [m.list for m in mods], key=LOWNESS.index) if mods else winner
        if final == REMOVED:
            continue
        out[final].append(_option(code, winner, final, group, mods, facts, pathway))
    return {name: tuple(options) for name, options in out.items()}


def _option(
    code: str,
    winner: str,
    final: str,
    group: list[Hit],
    mods: list[Hit],
    facts: CaseFacts,
    pathway: Pathway,
) -> Option:
    won = [h for h in group if h.list == winner]
    title = _title(code, won, facts, pathway)
    if final == "not_recommended" and winner != final:
        # Refusal or contraindication over an offer: the override speaks, naming what
        # it supersedes.
        won = [m for m in mods if m.list == final]
        lost = dict.fromkeys(f"{LIST_WORDS[h.list]} by rule {h.rule.id}" for h in group)
        rationale = " Also: ".join(dict.fromkeys(h.rationale for h in won))
        rationale += f" (Supersedes: {'; '.join(lost)}.)"
        rules = won
    else:
        rationale = " Also: ".join(dict.fromkeys(h.rationale for h in won))
        lost = dict.fromkeys(
            f"{LIST_WORDS[h.list]} by rule {h.rule.id}" for h in group if h.list != winner
        )
        if lost and winner == c.NOT_RECOMMENDED:
            rationale += f" (Supersedes: {'; '.join(lost)}.)"
        caps = [m for m in mods if m.list == "consider"]
        if caps:
            label = "Capped at consider" if winner == "recommended" else "Limited"
            reasons = "; ".join(dict.fromkeys(m.rationale for m in caps))
            rationale += f" {label}: {reasons}"
        rules = won + caps
    return Option(
        code=code,
        title=title,
        rationale=rationale,
        sources=tuple(dict.fromkeys(s for h in rules for s in h.rule.cite)),
        rule_ids=tuple(dict.fromkeys(h.rule.id for h in rules)),
    )


def _title(code: str, won: list[Hit], facts: CaseFacts, pathway: Pathway) -> str:
    base = pathway.title_of(code)
    for hit in won:
        template = hit.rule.title_for(code)
        if template:
            return placeholders.fill(template, facts.situation, title=base)
    return base
