"""Decisions: drafts saved as typed, sign-off, and amendments kept beside the original."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Literal

from mdt_app import domain as d
from mdt_app.decision_rules import (
    SignOffException,
    quorum,
    sign_off_exceptions,
    sign_off_problems,
)
from mdt_app.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    SignedDecisionError,
    ValidationError,
)
from mdt_app.security.signature import (
    SIGNATURE_MEANING,
    attendance_at_sign_off,
    signed_hash,
    signer_problem,
    stored_content,
)
from mdt_app.store import rows, versions
from mdt_app.store.base import StoreCore

if TYPE_CHECKING:
    from mdt_app.store.agenda import Agenda, Meetings
    from mdt_app.store.cases import Cases

# none / draft / signed / amended of the agenda item `a`, computed in the statement that
# reads the item (so a whole agenda is one query, not six statements a row).
DECISION_STATUS_SQL = (
    "coalesce((SELECT CASE WHEN x.amends_decision_id IS NULL THEN 'signed' ELSE 'amended' END"
    " FROM decisions x WHERE x.agenda_item_id = a.id AND x.status = 'signed'"
    " ORDER BY x.signed_at DESC, x.id DESC LIMIT 1),"
    " (SELECT 'draft' FROM decisions y WHERE y.agenda_item_id = a.id AND y.status = 'draft'),"
    " 'none')"
)


class Decisions:
    """Decisions: drafts, sign-off (one transaction), amendments, and reading them back."""

    def __init__(self, core: StoreCore, agenda: Agenda, meetings: Meetings, cases: Cases) -> None:
        self.core = core
        self.agenda = agenda
        self.meetings = meetings
        self.cases = cases

    def get_decision(self, decision_id: int) -> d.Decision:
        found = self.core.query("SELECT * FROM decisions WHERE id = ?", [decision_id])
        if not found:
            raise NotFound(f"no decision with id {decision_id}")
        return self._decision(found[0])

    def _decision(self, row: dict) -> d.Decision:
        actions = [
            rows.action_from(r)
            for r in self.core.query(
                "SELECT * FROM actions WHERE decision_id = ? ORDER BY position", [row["id"]]
            )
        ]
        return rows.decision_from(row, actions)

    def decisions_for_items(self, item_ids: list[int]) -> dict[int, list[d.Decision]]:
        """Every decision of several agenda items, oldest first, in two statements."""
        ids = json.dumps(sorted(set(item_ids)))
        among = self.core.dialect.id_list()
        found = self.core.query(
            f"SELECT * FROM decisions WHERE agenda_item_id {among} ORDER BY id",
            [ids],
        )
        actions: dict[int, list[d.Action]] = {}
        for r in self.core.query(
            "SELECT * FROM actions WHERE decision_id IN (SELECT id FROM decisions"
            f" WHERE agenda_item_id {among}) ORDER BY position",
            [ids],
        ):
            actions.setdefault(r["decision_id"], []).append(rows.action_from(r))
        out: dict[int, list[d.Decision]] = {}
        for r in found:
            decision = rows.decision_from(r, actions.get(r["id"], []))
            out.setdefault(r["agenda_item_id"], []).append(decision)
        return out

    def decisions_for_item(self, agenda_item_id: int) -> list[d.Decision]:
        """Every decision record of an agenda item, oldest first (amendments after)."""
        return [
            self._decision(r)
            for r in self.core.query(
                "SELECT * FROM decisions WHERE agenda_item_id = ? ORDER BY id", [agenda_item_id]
            )
        ]

    def decisions_for_case(self, case_id: int) -> list[d.Decision]:
        return [
            self._decision(r)
            for r in self.core.query(
                "SELECT * FROM decisions WHERE case_id = ? ORDER BY id", [case_id]
            )
        ]

    def current_draft(self, agenda_item_id: int) -> d.Decision | None:
        found = self.core.query(
            "SELECT * FROM decisions WHERE agenda_item_id = ? AND status = 'draft'",
            [agenda_item_id],
        )
        return self._decision(found[0]) if found else None

    def effective_decision(self, agenda_item_id: int) -> d.Decision | None:
        """The latest signed decision of an agenda item (an amendment if there is one)."""
        return self._latest_signed("agenda_item_id", agenda_item_id)

    def latest_signed_decision_for_case(self, case_id: int) -> d.Decision | None:
        """The latest signed decision of a case, at any of its meetings."""
        return self._latest_signed("case_id", case_id)

    def _latest_signed(
        self, of: Literal["agenda_item_id", "case_id"], key: int
    ) -> d.Decision | None:
        # Latest by sign-off time; an amendment signed in the same second as the decision
        # it amends still wins, by its higher id.
        found = self.core.query(
            f"SELECT * FROM decisions WHERE {of} = ? AND status = 'signed'"
            " ORDER BY signed_at DESC, id DESC LIMIT 1",
            [key],
        )
        return self._decision(found[0]) if found else None

    def older_data(self, decision: d.Decision) -> list:
        """What changed in the case since ``decision`` was signed (FactChange list)."""
        from mdt_app.decision_currency import changes_since_signed

        return changes_since_signed(decision, self.cases.get_case(decision.case_id))

    def decision_status(self, agenda_item_id: int) -> str:
        """none / draft / signed / amended, as `mdt-app cases` shows it."""
        found = self.core.query(
            f"SELECT {DECISION_STATUS_SQL} AS status FROM agenda_items a WHERE a.id = ?",
            [agenda_item_id],
        )
        return found[0]["status"] if found else "none"

    def save_draft(self, decision: d.Decision) -> d.Decision:
        """Insert or update a draft decision with its actions; returns it as stored.

        ``decision.version`` is the version it was read at: if someone else saved the
        draft since (or started one first), ConflictError and nothing is written. Every
        change is audited with what changed; a save that changes nothing writes nothing.
        """
        if decision.status != "draft":
            raise SignedDecisionError("only a draft decision can be saved; amend a signed one")
        with self.core.atomic():
            item = self.agenda.get_agenda_item(decision.agenda_item_id)
            if item.case_id != decision.case_id:
                raise ValidationError("the decision's case is not the agenda item's case")
            stamp = self.core.stamp()
            values = {**rows.decision_row(decision), "updated_at": stamp}
            if decision.id is None:
                existing = self.current_draft(decision.agenda_item_id)
                if existing is not None:  # another window started this draft first
                    raise self._stale(existing, decision)
                new_id = self.core.insert(
                    "decisions",
                    {
                        **values,
                        "status": "draft",
                        "created_at": stamp,
                        "created_by": self.core.actor,
                    },
                )
                decision = replace(decision, id=new_id)
                self._replace_actions(decision)
                self.core.audit(
                    "create_draft",
                    "decision",
                    new_id,
                    {"item": item.id, "version": 1, "content": _content(decision)},
                )
                return self.get_decision(new_id)
            stored = self.get_decision(decision.id)
            if stored.is_signed:
                raise SignedDecisionError(
                    f"decision {decision.id} was signed by {stored.signed_by} and cannot be "
                    "changed; record an amendment (your text is still on screen)"
                )
            if decision.version and decision.version != stored.version:
                raise self._stale(stored, decision)
            changes = versions.differences(_content(stored), _content(decision))
            if not changes and _same_snapshot(stored, decision):
                return stored
            self.core.db.table("decisions").update(decision.id, values)
            self._replace_actions(decision)
            versions.bump(self.core, "decisions", decision.id)
            self.core.audit(
                "save_draft",
                "decision",
                decision.id,
                {"version": stored.version + 1, "changes": changes},
            )
        return self.get_decision(decision.id or 0)

    def _stale(self, stored: d.Decision, yours: d.Decision) -> ConflictError:
        """The refusal of a save against an older draft, saying what differs."""
        try:
            versions.require_version(
                self.core,
                "decisions",
                "decision",
                stored.id or 0,
                yours.version or -1,
                f"The draft decision (id {stored.id})",
                changes=versions.differences(_content(stored), _content(yours)),
                current=stored,
            )
        except ConflictError as exc:
            return exc
        raise AssertionError("unreachable: a stale draft always conflicts")  # pragma: no cover

    def _require_draft(self, decision_id: int) -> None:
        if self.get_decision(decision_id).is_signed:
            raise SignedDecisionError(
                f"decision {decision_id} is signed and cannot be changed; record an amendment"
            )

    def _replace_actions(self, decision: d.Decision) -> None:
        self.core.db.execute("DELETE FROM actions WHERE decision_id = ?", [decision.id])
        for position, action in enumerate(decision.actions, start=1):
            if not action.description.strip():
                continue
            self.core.insert(
                "actions",
                {
                    "decision_id": decision.id,
                    "position": position,
                    "description": action.description.strip(),
                    "owner": action.owner,
                    "due_date": rows.iso(action.due_date),
                },
            )

    def sign_decision(
        self,
        decision_id: int,
        chair: str,
        version: int | None = None,
        *,
        exception_reason: str | None = None,
        today: date | None = None,
    ) -> d.Decision:
        """Sign a draft off: name and time recorded, read-only from then on.

        ``version`` is the version the chair saw: a draft changed since is refused, so
        exactly what was on screen is signed. The sign-off rules are checked again
        inside the signing transaction; a second sign-off is refused. The case facts
        the decision was made against are kept with it (``case_snapshot``).

        Without a quorum, or on another day than the meeting's, it is signed only with
        ``exception_reason`` (kept with the decision, shown in the minutes). ``today`` is
        the day of signing (default: now; the demo back-dates its past meetings).
        """
        if not chair.strip():
            raise ValidationError("the chair's name is required to sign off")
        refused = signer_problem(self.core.db, self.core.role, self.core.confirmed_signer)
        if refused:  # only a chair who re-entered their password (mdt_app.security.signing)
            raise PermissionDenied(refused)
        with self.core.atomic():
            decision = self.get_decision(decision_id)
            if decision.is_signed:
                raise SignedDecisionError(
                    f"decision {decision_id} was already signed by {decision.signed_by}"
                    f" at {rows.iso(decision.signed_at)}; a second sign-off is refused"
                )
            if version:
                versions.require_version(
                    self.core,
                    "decisions",
                    "decision",
                    decision_id,
                    version,
                    f"The draft decision (id {decision_id})",
                    current=decision,
                )
            problems = sign_off_problems(decision)
            if problems:
                raise ValidationError("cannot sign off: " + "; ".join(map(str, problems)))
            exceptions = self.sign_off_exceptions_for(decision.agenda_item_id, today)
            reason = (exception_reason or "").strip() or None
            if exceptions and reason is None:
                raise ValidationError(
                    "cannot sign off without a recorded reason: " + "; ".join(map(str, exceptions))
                )
            kinds = [e.kind for e in exceptions]
            facts = self._case_facts(decision.case_id)
            cursor = self.core.db.execute(
                "UPDATE decisions SET status = 'signed', signed_by = ?, signed_at = ?,"
                " sign_off_exceptions = ?, sign_off_reason = ?, case_snapshot = ?,"
                " version = version + 1 WHERE id = ? AND status = 'draft' AND version = ?",
                [
                    chair.strip(),
                    self.core.stamp(),
                    json.dumps(kinds),
                    reason if kinds else None,
                    json.dumps(facts, ensure_ascii=False),
                    decision_id,
                    decision.version,
                ],
            )
            if cursor.rowcount != 1:  # cannot happen inside BEGIN IMMEDIATE; never sign twice
                raise SignedDecisionError(f"decision {decision_id} changed while signing")
            item = self.agenda.get_agenda_item(decision.agenda_item_id)
            if item.status != "discussed" or item.status_reason is not None:
                self.core.db.execute(
                    "UPDATE agenda_items SET status = 'discussed', status_reason = NULL,"
                    " version = version + 1 WHERE id = ?",
                    [decision.agenda_item_id],
                )
                self.core.audit(
                    "set_agenda_status",
                    "agenda_item",
                    item.id,
                    {"from": item.status, "to": "discussed", "reason": "decision signed"},
                )
            signature = {
                "chair": chair.strip(),
                "signer": self.core.actor,
                "authenticated": self.core.authenticated,
                "role": self.core.role,
                "password_confirmed": self.core.confirmed_signer is not None,
                "meaning": SIGNATURE_MEANING,
                "attendance": attendance_at_sign_off(self.core.db, decision.agenda_item_id),
                "options": decision.chosen_options,
                "guideline": [decision.guideline_id, decision.guideline_version],
                "amends": decision.amends_decision_id,
                "exceptions": kinds,
                "exception_reason": reason if kinds else None,
                "version": decision.version + 1,
            }
            stored, actions = stored_content(self.core.db, decision_id)
            self.core.audit(
                "sign_decision",
                "decision",
                decision_id,
                signature,
                signed_hash=signed_hash(stored, actions, signature),
            )
        return self.get_decision(decision_id)

    def sign_off_exceptions_for(
        self, agenda_item_id: int, today: date | None = None
    ) -> list[SignOffException]:
        """Why signing this item's decision now needs a reason (quorum, meeting day)."""
        item = self.agenda.get_agenda_item(agenda_item_id)
        meeting = self.meetings.get_meeting(item.meeting_id)
        rule = self.core.get_setting("quorum_rule") or None
        met = quorum(self.agenda.attendance(item.meeting_id), rule)
        return sign_off_exceptions(met, meeting.date, today or self.core.clock().date())

    def _case_facts(self, case_id: int) -> dict:
        from mdt_app.casefile import case_to_dict

        return case_to_dict(self.cases.get_case(case_id))

    def start_amendment(self, decision_id: int, reason: str) -> d.Decision:
        """Open a new draft that amends a signed decision; the original stays unchanged.

        The new draft and its audit entry are written in one transaction.
        """
        if not reason.strip():
            raise ValidationError("an amendment needs a reason")
        with self.core.atomic():
            original = self.get_decision(decision_id)
            if not original.is_signed:
                raise ValidationError("only a signed decision can be amended; edit the draft")
            if self.current_draft(original.agenda_item_id) is not None:
                raise ValidationError("an amendment of this decision is already in progress")
            draft = replace(
                original,
                id=None,
                status="draft",
                signed_by=None,
                signed_at=None,
                created_at=None,
                updated_at=None,
                amends_decision_id=original.id,
                amendment_reason=reason.strip(),
                actions=[replace(a, id=None) for a in original.actions],
                case_snapshot=None,
            )
            stamp = self.core.stamp()
            new_id = self.core.insert(
                "decisions",
                {
                    **rows.decision_row(draft),
                    "status": "draft",
                    "created_at": stamp,
                    "updated_at": stamp,
                    "created_by": self.core.actor,
                },
            )
            self._replace_actions(replace(draft, id=new_id))
            self.core.audit(
                "start_amendment",
                "decision",
                new_id,
                {"amends": original.id, "reason": reason.strip(), "version": 1},
            )
        return self.get_decision(new_id)

    def discard_draft(self, decision_id: int, version: int | None = None) -> None:
        """Delete a draft (never a signed decision); refused if changed since ``version``."""
        with self.core.atomic():
            self._require_draft(decision_id)
            if version:
                current = self.get_decision(decision_id)
                versions.require_version(
                    self.core,
                    "decisions",
                    "decision",
                    decision_id,
                    version,
                    f"The draft decision (id {decision_id})",
                    current=current,
                )
            self.core.db.execute(
                "DELETE FROM decisions WHERE id = ? AND status = 'draft'", [decision_id]
            )
            self.core.audit("discard_draft", "decision", decision_id, {})


def _content(x: d.Decision) -> dict:
    """What the chair typed and picked, field by field (for the audit log and conflicts)."""
    return {
        "chosen_options": list(x.chosen_options),
        "plan_text": x.plan_text,
        "deviation_reason": x.deviation_reason or None,
        "clinical_trial": x.clinical_trial or None,
        "follow_up_months": x.follow_up_months,
        "follow_up_items": list(x.follow_up_items),
        "actions": [
            [a.description.strip(), a.owner, rows.iso(a.due_date)]
            for a in x.actions
            if a.description.strip()
        ],
    }


def _same_snapshot(stored: d.Decision, yours: d.Decision) -> bool:
    return (
        stored.options_snapshot == yours.options_snapshot
        and stored.guideline_id == yours.guideline_id
        and stored.guideline_version == yours.guideline_version
    )
