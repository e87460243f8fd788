"""The agenda as the chair's queue shows it: one line per item, its status in the
chair's terms and how long the patient has been waiting. No Qt, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mdt_app import domain as d
from mdt_app.domain import AgendaStatus


@dataclass(frozen=True)
class AgendaLine:
    """One agenda item with what the queue shows about its case."""

    item: d.AgendaItem
    patient: str
    mrn: str
    stage: str
    decision_status: d.ItemDecisionStatusValue
    diagnosed_on: date | None = None
    referred_on: date | None = None
    urgent: bool | None = None
    deferred_to: str | None = None  # the meeting it went to, in words

    @property
    def item_id(self) -> int:
        """The agenda item's id (0 for an item never stored)."""
        return self.item.id or 0

    @property
    def decided(self) -> bool:
        """A signed decision stands for this item (signed, or signed and amended)."""
        return self.decision_status in (d.ItemDecisionStatus.SIGNED, d.ItemDecisionStatus.AMENDED)

    def days_waiting(self, today: date) -> int | None:
        """Days since diagnosis (or, failing that, referral): ATC does not wait."""
        since = self.diagnosed_on or self.referred_on
        return (today - since).days if since else None

    def status(self, current_item_id: int | None = None) -> AgendaStatus:
        """The line's status; ``current_item_id`` is the case under discussion now."""
        item, decided = d.AgendaItemStatus, d.ItemDecisionStatus
        if self.item.status == item.DEFERRED:
            return AgendaStatus.DEFERRED
        if self.decision_status == decided.SIGNED:
            return AgendaStatus.DECIDED
        if self.decision_status == decided.AMENDED:
            return AgendaStatus.AMENDED
        if self.item_id == current_item_id:
            return AgendaStatus.UNDER_DISCUSSION
        if self.item.status == item.NOT_DISCUSSED:
            return AgendaStatus.NOT_DISCUSSED
        if self.decision_status == decided.DRAFT:
            return AgendaStatus.DRAFT
        return AgendaStatus.QUEUED


def agenda_lines(
    rows: list[d.CaseRow], items: list[d.AgendaItem], meetings: dict[int, d.Meeting]
) -> list[AgendaLine]:
    """Join `list_cases(meeting_id)` rows with the meeting's agenda items, in agenda order.

    ``meetings`` maps meeting id -> Meeting, for naming where a deferred case went.
    """
    by_item = {r.agenda_item_id: r for r in rows}
    lines = []
    for item in items:
        row = by_item.get(item.id)
        if row is None:
            continue
        target = meetings.get(item.deferred_to_meeting_id or 0)
        lines.append(
            AgendaLine(
                item=item,
                patient=row.patient,
                mrn=row.mrn,
                stage=row.stage,
                decision_status=row.decision_status,
                diagnosed_on=row.diagnosed_on,
                referred_on=row.referred_on,
                urgent=row.urgent,
                deferred_to=f"{target.date.isoformat()} {target.title}" if target else None,
            )
        )
    return lines
