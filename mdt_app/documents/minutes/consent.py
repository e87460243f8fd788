"""How the minutes respect the patient's consent.

- Identifiable minutes (PDF, DOCX, CSV, FHIR) are the MDT's own record of care: every
  case is in them, and a case with a recorded answer carries a "Consent" fact naming
  what was given or refused, when and by whom recorded.
- Pseudonymised minutes are made for audit and registries: a case whose patient
  refused registry use is left out of them, and the minutes say how many were.
"""

from __future__ import annotations

from mdt_app import domain as d

TOPIC_WORDS = {
    "discussion": "discussion and care",
    "registry": "registry use",
    "research": "research contact",
}


def consent_fact(consent: d.Consent) -> tuple[str, str]:
    """('Consent', '…') for the key facts of a case."""
    if not consent.is_recorded():
        return ("Consent", "not recorded")
    parts = [f"{TOPIC_WORDS[t]} {getattr(consent, t) or 'not recorded'}" for t in d.CONSENT_TOPICS]
    when = consent.recorded_on.isoformat() if consent.recorded_on else "date not recorded"
    who = consent.recorded_by or "recorder not recorded"
    return ("Consent", f"{'; '.join(parts)} (recorded {when} by {who})")


def excluded_from_pseudonymised(consent: d.Consent) -> bool:
    """A refusal of registry use keeps the case out of pseudonymised exports."""
    return consent.registry == "refused"
