"""Patient identifiers: a value within a system (the centre's MRN, an NHS number, ...).

A patient is the same patient only when both the identifier's system and its value
match. Values are compared after normalising: Unicode NFKC (so a full-width "Ｈ" is an
"H"), surrounding space trimmed, and case-folded when the system is case-insensitive
(the centre's own MRNs by default). A value holding an invisible character (a
zero-width space, a direction mark, a control character) is refused rather than
guessed at: ``H123456`` with a hidden character must never become a second patient.
"""

from __future__ import annotations

import unicodedata

# The centre's own MRNs, used for mdt-case files (which carry no system) unless the
# setting `default_identifier_system` names another.
DEFAULT_SYSTEM = "urn:mdt-assistant:mrn"  # also the system of the FHIR minutes export
# Setting `identifier_systems`: {system: {"case_sensitive": bool}}. Unlisted systems are
# case-sensitive (as FHIR says identifiers are), except the default system.
_VISIBLE_SPACE = " "


def invisible_character(value: str) -> str | None:
    """A description of the first invisible or invalid character in ``value``, or None."""
    if value.isascii() and value.isprintable():  # (both in C) no control character: the usual MRN
        return None
    for position, ch in enumerate(value, start=1):
        category = unicodedata.category(ch)
        if ch == _VISIBLE_SPACE:
            continue
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"):
            name = unicodedata.name(ch, "unnamed character")
            return f"U+{ord(ch):04X} {name} at position {position}"
    return None


def normalise(value: str, *, case_sensitive: bool) -> str:
    """The comparison key of an identifier value; ValueError names an invisible character."""
    text = unicodedata.normalize("NFKC", value).strip()
    problem = invisible_character(text)
    if problem:
        raise ValueError(f"contains an invisible or control character ({problem})")
    if not text:
        raise ValueError("is empty")
    return text if case_sensitive else text.casefold()


def is_case_sensitive(system: str, default_system: str, systems: dict | None) -> bool:
    """Whether values of ``system`` differ by case (settings may say either way)."""
    configured = (systems or {}).get(system)
    if isinstance(configured, dict) and isinstance(configured.get("case_sensitive"), bool):
        return configured["case_sensitive"]
    return system != default_system
