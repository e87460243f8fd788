"""Which of a recommendation's warnings are safety-critical (shown first, marked).

A warning is critical when acting without reading it could harm the patient: pregnancy
and breastfeeding, unconfirmed histology, contradictory staging data, renal impairment,
radiation recall, an overdue treatment start, an unknown failed line, ECOG 4. Warnings
are plain strings in the `recommend --json` contract, so the level is read from the
wording the pathway file guarantees (the words its warnings are written to contain).
"""

from __future__ import annotations

CRITICAL_WORDS = (
    "pregnan",
    "breastfeeding",
    "histology not confirmed",
    "contradictory data",
    "renal",
    "iodinated contrast",
    "radiation recall",
    "overdue",
    "prior therapy not recorded",
    "ecog 4",
    "contracep",
)


def is_critical(warning: str) -> bool:
    text = warning.lower()
    return any(word in text for word in CRITICAL_WORDS)


def ordered(warnings: list[str] | tuple[str, ...]) -> list[tuple[bool, str]]:
    """(critical, text) pairs, critical ones first, each group in the pathway's order."""
    pairs = [(is_critical(w), w) for w in warnings]
    return [p for p in pairs if p[0]] + [p for p in pairs if not p[0]]
