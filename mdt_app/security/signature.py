"""What a chair's signature covers, and its hash.

The signed content is what the MDT decided, as stored: the chosen options, the plan,
any deviation reason, the trial, follow-up and actions, the guideline the decision was
judged against (with its options snapshot and, when the store keeps one, the snapshot of
the case facts), who signed, when, and with what meaning, and who was present. Its hash
is kept in the sign-off's audit entry (which the chain protects) and printed, short, on
the minutes and the care programme so that a paper copy can be checked against the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from mdt_app.security.audit_chain import canonical

SIGNATURE_MEANING = "approved as the MDT decision"

# Decision columns covered by the signature (the stored text, exactly).
SIGNED_COLUMNS = (
    "id",
    "case_id",
    "agenda_item_id",
    "chosen_options",
    "plan_text",
    "deviation_reason",
    "clinical_trial",
    "follow_up_months",
    "follow_up_items",
    "guideline_id",
    "guideline_version",
    "options_snapshot",
    "signed_by",
    "signed_at",
    "amends_decision_id",
    "amendment_reason",
)
# Covered when the schema has them and they are filled: a case-fact snapshot, and the
# sign-off exceptions (no quorum / another day) with the chair's recorded reason.
FACT_SNAPSHOT_COLUMNS = (
    "case_snapshot",
    "facts_snapshot",
    "case_facts_snapshot",
    "sign_off_exceptions",
    "sign_off_reason",
    "follow_up_weeks",
    # what the patient is told (the care programme's own words), when recorded
    "patient_explanation",
    "patient_option_explanations",
    "discussed_with_patient_on",
    "discussed_with_patient_by",
)
ACTION_COLUMNS = ("position", "description", "owner", "due_date")


def signed_content(
    decision: Mapping[str, Any],
    actions: Sequence[Mapping[str, Any]],
    signature: Mapping[str, Any],
) -> dict[str, Any]:
    """The canonical content a signature covers (``signature`` is the sign-off audit
    entry's details: signer, meaning, attendance)."""
    content: dict[str, Any] = {c: decision.get(c) for c in SIGNED_COLUMNS}
    for column in FACT_SNAPSHOT_COLUMNS:
        # Absent, empty or a column's empty default: not part of what was signed, so a
        # column added later (with a default) never changes an earlier signature.
        if decision.get(column) not in (None, "", "[]", "{}"):
            content[column] = decision[column]
    content["actions"] = [
        {c: a.get(c) for c in ACTION_COLUMNS}
        for a in sorted(actions, key=lambda a: a.get("position") or 0)
    ]
    content["signer"] = signature.get("signer")
    content["meaning"] = signature.get("meaning")
    content["attendance"] = signature.get("attendance")
    return content


def signed_hash(
    decision: Mapping[str, Any],
    actions: Sequence[Mapping[str, Any]],
    signature: Mapping[str, Any],
) -> str:
    """SHA-256 (hex) of the signed content."""
    return hashlib.sha256(canonical(signed_content(decision, actions, signature))).hexdigest()


def stored_content(db: Any, decision_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The decision row and its action rows as stored (``db``: a sqlite-utils Database)."""
    found = list(db.query("SELECT * FROM decisions WHERE id = ?", [decision_id]))
    actions = list(db.query("SELECT * FROM actions WHERE decision_id = ?", [decision_id]))
    return (found[0] if found else {}), actions


def attendance_at_sign_off(db: Any, agenda_item_id: int) -> list[dict[str, Any]]:
    """Who was recorded present at the meeting of the agenda item, as the signature
    keeps it (later attendance edits do not change what was signed)."""
    return [
        {"name": r["name"], "specialty": r["specialty"], "present": bool(r["present"])}
        for r in db.query(
            "SELECT a.name, a.specialty, a.present FROM attendance a"
            " JOIN agenda_items i ON i.meeting_id = a.meeting_id"
            " WHERE i.id = ? ORDER BY a.name",
            [agenda_item_id],
        )
    ]


def signer_problem(db: Any, role: str | None, confirmed_signer: int | None) -> str | None:
    """Why the store's user may not sign now (None when they may). A database without
    accounts (made before them) has no one to check against."""
    if db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is None:
        return None
    if role != "chair":
        return "only a chair can sign off a decision"
    if confirmed_signer is None:
        return "signing off needs the chair's password, entered again at sign-off"
    return None
