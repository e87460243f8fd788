"""Checks a nurse sees before printing a care programme: clinician shorthand in the words
written for the patient, and settings the emergency box needs.

    shorthand_in(text, "en") -> ["IMRT", "bd"]   # what the glossary does not explain
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from mdt_app import domain as d

# Lower-case shorthand and jargon clinicians write that a patient cannot be expected to
# know (capitalised abbreviations are found by their shape).
SHORTHAND = frozenset(
    {
        "bd", "bid", "od", "qd", "tds", "tid", "qds", "qid", "prn", "nocte", "mane", "po",
        "iv", "sc", "stat", "ecog", "ps", "imrt", "ebrt", "rt", "ct", "dt", "d+t",
        "r0", "r1", "r2", "pyrexia", "pyrexial", "adjuvant", "neoadjuvant", "resection",
        "dissection", "debulking", "dysphagia", "dyspnoea", "dyspnea", "stridor",
        "haemostatic", "prophylaxis", "mets", "fx", "gy", "ix", "rx", "tx", "sx", "f/u",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W_][\w+]*")
_CAPS = re.compile(r"^(?:[A-Z]{2,}[A-Z0-9+]*|[A-Z][0-9]+)$")


def shorthand_in(text: str, language: str) -> list[str]:
    """Abbreviations and clinical shorthand in ``text`` that the ``language`` glossary does
    not explain, once each in order of appearance."""
    if not _WORD.search(text):
        return []  # no word, no shorthand: the glossary (150 patterns) is not even built
    from mdt_app.documents.care_programme_content import glossary

    terms = glossary(language)
    explained: set[int] = set()  # positions inside a term the glossary explains
    for term in terms:
        for hit in term.pattern.finditer(text):
            explained.update(range(hit.start(), hit.end()))
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not (_CAPS.match(word) or word.lower() in SHORTHAND):
            continue
        if match.start() in explained or word in found or any(t.used_in(word) for t in terms):
            continue
        found.append(word)
    return found


def patient_texts(decision: d.Decision) -> list[str]:
    """What the team wrote for the patient on this decision."""
    texts = [decision.patient_explanation]
    texts += [decision.patient_option_explanations.get(c, "") for c in decision.chosen_options]
    texts += [a.description for a in decision.actions]  # printed as the next steps
    return [t for t in texts if t.strip()]


def print_warnings(
    decision: d.Decision, centre: Mapping[str, Any] | None, language: str
) -> list[str]:
    """One line per thing to check before printing (empty: nothing to check)."""
    out: list[str] = []
    words = shorthand_in("\n".join(patient_texts(decision)), language)
    if words:
        out.append(
            "the words for the patient (explanations, next steps) use shorthand the glossary "
            "does not explain: " + ", ".join(words) + "; write it out in plain words"
        )
    if not str((centre or {}).get("phone_24h") or "").strip():
        out.append(
            "the centre's 24-hour line is not set (centre settings): the emergency box "
            "cannot give the patient a number to call day and night"
        )
    if not (decision.discussed_with_patient_on and decision.discussed_with_patient_by):
        out.append(
            "no record that the plan was discussed with the patient: the programme will not "
            "say it was agreed with them"
        )
    return out


def all_shorthand(texts: Iterable[str], language: str) -> list[str]:
    """Every unexplained abbreviation across ``texts``."""
    return shorthand_in("\n".join(texts), language)
