"""What the minutes say, as plain data: built once from the store, rendered to every format.

Every agenda item appears, in agenda order, whatever became of it. The guideline
options and stage of a decided item are those the decision was made against (its
``options_snapshot``); an item without a decision shows them as computed today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mdt_app import domain as d
from mdt_app.decision_rules import Quorum

STATUS_LABELS = {
    "discussed": "Discussed",
    "deferred": "Deferred",
    "not_discussed": "Not discussed",
    "queued": "Not reached (still queued)",
}
FOLLOWS, DEVIATES, NOT_ASSESSED = "follows", "deviates", "not assessed"


@dataclass(frozen=True)
class PatientRef:
    mrn: str
    name: str
    birth_date: date | None
    age: int | None  # on the meeting day
    sex: str


@dataclass(frozen=True)
class OptionRef:
    code: str
    title: str

    def __str__(self) -> str:
        return f"{self.title} ({self.code})" if self.title != self.code else self.code


@dataclass(frozen=True)
class GuidelineOptions:
    guideline_id: str
    title: str
    version: str
    lists: dict[str, tuple[OptionRef, ...]]  # recommended / consider / not_recommended / missing
    at_decision: bool  # True: as recorded with the decision; False: computed for these minutes

    @property
    def label(self) -> str:
        return f"{self.title} ({self.guideline_id}), version {self.version}"

    def title_of(self, code: str) -> str:
        for options in self.lists.values():
            for o in options:
                if o.code == code:
                    return o.title
        return code


@dataclass(frozen=True)
class ActionRef:
    description: str
    owner: str | None
    due_date: date | None


@dataclass(frozen=True)
class DecisionRecord:
    id: int
    signed: bool
    chosen: tuple[OptionRef, ...]
    plan_text: str
    clinical_trial: str | None
    concordance: str  # FOLLOWS / DEVIATES / NOT_ASSESSED (no guideline snapshot recorded)
    deviation: str | None  # what the deviation rule found
    deviation_reason: str | None  # what the MDT wrote
    actions: tuple[ActionRef, ...]
    follow_up_months: int
    follow_up_items: tuple[str, ...]
    guideline_version: str | None
    signed_by: str | None
    signed_at: datetime | None
    amends_decision_id: int | None
    amendment_reason: str | None
    # Signed without a quorum / outside the meeting's day, and the chair's recorded reason.
    sign_off_exceptions: tuple[str, ...] = ()
    sign_off_reason: str | None = None
    follow_up_weeks: int | None = None
    # Set when the case changed after sign-off (decision_currency.older_data_note).
    older_data: str | None = None
    record_check: str | None = None  # short hash of the signed content (issue 15)


@dataclass(frozen=True)
class MeetingRef:
    id: int
    date: date
    title: str


@dataclass(frozen=True)
class AgendaEntry:
    item_id: int
    position: int
    status: str
    status_reason: str | None
    deferred_to: MeetingRef | None
    case_id: int
    patient: PatientRef
    referral_question: str | None
    referring_clinician: str | None
    urgent: bool | None
    stage: str
    stage_basis: str
    facts: tuple[tuple[str, str], ...]  # (label, text): the facts the decision rested on
    coded: dict[str, str]  # the same facts as the case format codes them (ecog, biomarkers)
    options: GuidelineOptions | None
    decision: DecisionRecord | None  # the effective (latest signed) decision
    superseded: tuple[DecisionRecord, ...]  # earlier signed decisions it amends
    draft: DecisionRecord | None  # an unsigned draft, flagged as such
    case: d.Case | None = None  # the whole case, for the FHIR export's clinical resources
    registry_refused: bool = False  # left out of pseudonymised minutes (see consent.py)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class Summary:
    items: int
    discussed: int
    deferred: int
    not_discussed: int
    queued: int
    decisions_signed: int
    amended: int
    unsigned_drafts: tuple[AgendaEntry, ...]
    followed: tuple[AgendaEntry, ...]
    deviated: tuple[AgendaEntry, ...]
    not_assessed: tuple[AgendaEntry, ...]
    # Decisions the rule finds concordant although the MDT wrote a reason for departing
    # (e.g. the treatment recommended was dropped while the care-framework options stayed).
    stated_deviations: tuple[AgendaEntry, ...]


@dataclass(frozen=True)
class MeetingMinutes:
    meeting: d.Meeting
    centre: dict
    attendees: tuple[d.Attendee, ...]
    quorum: Quorum
    items: tuple[AgendaEntry, ...]
    generated_at: datetime
    generated_by: str
    pseudonymised: bool = False
    database_uuid: str = ""  # names exported resource ids (UUIDv5), see exchange.records
    withheld: int = 0  # cases left out of pseudonymised minutes: registry use refused

    @property
    def summary(self) -> Summary:
        items = self.items
        decided = [e for e in items if e.decision is not None]

        def count(status: str) -> int:
            return sum(e.status == status for e in items)

        def with_concordance(value: str) -> tuple[AgendaEntry, ...]:
            return tuple(e for e in decided if e.decision and e.decision.concordance == value)

        return Summary(
            items=len(items),
            discussed=count("discussed"),
            deferred=count("deferred"),
            not_discussed=count("not_discussed"),
            queued=count("queued"),
            decisions_signed=len(decided),
            amended=sum(bool(e.superseded) for e in decided),
            unsigned_drafts=tuple(e for e in items if e.draft is not None),
            followed=with_concordance(FOLLOWS),
            deviated=with_concordance(DEVIATES),
            not_assessed=with_concordance(NOT_ASSESSED),
            stated_deviations=tuple(
                e
                for e in decided
                if e.decision
                and e.decision.concordance != DEVIATES
                and (e.decision.deviation_reason or "").strip()
            ),
        )
