"""Checking one signed decision before it is printed: a document shows a signed plan
only when the plan still matches what the chair signed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mdt_app.errors import UserError
from mdt_app.security.signature import signed_hash, stored_content

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database


class TamperedRecord(UserError):
    """A signed decision no longer matches its signature: it must not be printed."""


def checked_signed_hash(db: Database, decision_id: int) -> str:
    """The hash recorded at sign-off, after checking the stored decision against it."""
    found = list(
        db.query(
            "SELECT details, signed_hash FROM audit_log WHERE action = 'sign_decision'"
            " AND entity = 'decision' AND entity_id = ? ORDER BY id DESC LIMIT 1",
            [decision_id],
        )
    )
    if not found or not found[0]["signed_hash"]:
        raise TamperedRecord(
            f"decision {decision_id} has no recorded signature; "
            "it cannot be printed as signed (run 'mdt-app verify')"
        )
    decision, actions = stored_content(db, decision_id)
    recorded = str(found[0]["signed_hash"])
    if signed_hash(decision, actions, json.loads(found[0]["details"] or "{}")) != recorded:
        raise TamperedRecord(
            f"decision {decision_id} differs from what the chair signed; "
            "it is not printed (run 'mdt-app verify')"
        )
    return recorded


def _actions_json(db: Database) -> str:
    """A decision's actions as one JSON array, in the read of the decision itself."""
    if getattr(db, "backend", "sqlite") == "postgresql":
        return (
            "(SELECT CAST(json_agg(json_build_object('position', x.position, 'description',"
            " x.description, 'owner', x.owner, 'due_date', x.due_date) ORDER BY x.id) AS TEXT)"
            " FROM actions x WHERE x.decision_id = d.id)"
        )
    return (
        "(SELECT json_group_array(json_object('position', x.position, 'description',"
        " x.description, 'owner', x.owner, 'due_date', x.due_date))"
        " FROM actions x WHERE x.decision_id = d.id)"
    )


def checked_signed_hashes(db: Database, decision_ids: list[int]) -> dict[int, str]:
    """The same for many decisions in one set-based read (the minutes of a meeting);
    TamperedRecord names the first that fails."""
    if not decision_ids:
        return {}
    marks = ", ".join("?" * len(decision_ids))
    decisions: dict[int, dict] = {}
    for row in db.query(
        "SELECT d.*, a.details AS _signature, a.signed_hash AS _signed_hash,"
        f" {_actions_json(db)} AS _actions"
        " FROM decisions d LEFT JOIN audit_log a ON a.entity = 'decision'"
        f" AND a.entity_id = d.id AND a.action = 'sign_decision' WHERE d.id IN ({marks})"
        " ORDER BY a.id",
        decision_ids,
    ):
        decisions[row["id"]] = row  # the latest sign-off entry wins
    hashes = {}
    for decision_id in decision_ids:
        stored = decisions.get(decision_id) or {}
        recorded = stored.get("_signed_hash")
        if not recorded:
            raise TamperedRecord(
                f"decision {decision_id} has no recorded signature; "
                "it cannot be printed as signed (run 'mdt-app verify')"
            )
        details = json.loads(stored["_signature"] or "{}")
        actions = json.loads(stored["_actions"] or "[]")
        if signed_hash(stored, actions, details) != recorded:
            raise TamperedRecord(
                f"decision {decision_id} differs from what the chair signed; "
                "it is not printed (run 'mdt-app verify')"
            )
        hashes[decision_id] = str(recorded)
    return hashes
