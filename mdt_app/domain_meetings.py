"""Meetings and decisions as plain data: `Meeting`, `Attendee`, `AgendaItem`, `Action`,
`Decision`, `CaseRow`, `AuditEntry`.

Part of `mdt_app.domain` and imported from there (`from mdt_app.domain import
Decision`); kept in its own module so that what needs only cases and the guideline
(`recommend`) does not build these classes at start (issue 17).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from mdt_app.domain import (
    DEFAULT_FOLLOW_UP_MONTHS,
    AgendaItemStatusValue,
    DecisionStatusValue,
    ItemDecisionStatusValue,
    MeetingStatusValue,
)

# --- meetings and decisions -------------------------------------------------------------


@dataclass
class Meeting:
    """One MDT meeting: its day, title, chair, place and where it stands."""

    date: date
    title: str
    status: MeetingStatusValue = "planned"
    chair: str | None = None
    location: str | None = None  # a room or a video link
    id: int | None = None
    start_time: str | None = None  # "HH:MM", local time
    expected_specialties: list[str] = field(default_factory=list)  # for the quorum
    series_id: int | None = None
    status_reason: str | None = None  # why it was cancelled
    closed_at: datetime | None = None
    closed_by: str | None = None
    version: int = field(default=0, compare=False)


@dataclass
class Attendee:
    """Someone at a meeting and their specialty (for the quorum)."""

    name: str
    specialty: str
    present: bool = True
    id: int | None = None


@dataclass
class AgendaItem:
    """A case on a meeting's agenda, at its position, and what became of it."""

    meeting_id: int
    case_id: int
    position: int
    status: AgendaItemStatusValue = "queued"
    status_reason: str | None = None
    deferred_to_meeting_id: int | None = None
    id: int | None = None
    version: int = field(default=0, compare=False)


@dataclass
class Action:
    """A task agreed in a decision, with its owner and due date."""

    description: str
    owner: str | None = None
    due_date: date | None = None
    id: int | None = None


@dataclass
class Decision:
    """What the MDT decided for one agenda item. Signed decisions are never edited:
    a change after sign-off is a new Decision with ``amends_decision_id`` set."""

    case_id: int
    agenda_item_id: int
    status: DecisionStatusValue = "draft"
    chosen_options: list[str] = field(default_factory=list)
    plan_text: str = ""
    deviation_reason: str | None = None
    clinical_trial: str | None = None
    follow_up_months: int = DEFAULT_FOLLOW_UP_MONTHS
    follow_up_items: list[str] = field(
        default_factory=lambda: ["clinical_examination", "tsh", "fdg_pet_ct", "ct"]
    )
    actions: list[Action] = field(default_factory=list)
    guideline_id: str | None = None
    guideline_version: str | None = None
    # The engine's answer when the decision was last saved (Recommendation.as_dict()).
    options_snapshot: dict | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    signed_by: str | None = None
    signed_at: datetime | None = None
    amends_decision_id: int | None = None
    amendment_reason: str | None = None
    # Words for the patient, kept apart from the clinicians' plan_text (care programme).
    patient_explanation: str = ""
    patient_option_explanations: dict[str, str] = field(default_factory=dict)
    # When and by whom the plan was talked through with the patient (None: not recorded).
    discussed_with_patient_on: date | None = None
    discussed_with_patient_by: str | None = None
    id: int | None = None
    # Follow-up counted in weeks when set (follow_up_months then holds it rounded up).
    follow_up_weeks: int | None = None
    # Signed without a quorum or outside the meeting's day: which, and the chair's reason.
    sign_off_exceptions: list[str] = field(default_factory=list)
    sign_off_reason: str | None = None
    # The version this copy was read at (0: never stored). A save or sign-off of an
    # older version than the stored one is refused with a ConflictError.
    version: int = field(default=0, compare=False)
    # The case facts (mdt-case/1 dict) the decision was signed against.
    case_snapshot: dict | None = None

    @property
    def is_signed(self) -> bool:
        return self.status == "signed"


@dataclass(frozen=True)
class CaseRow:
    """One line of `mdt-app cases`: a case as it stands on one agenda (or on none)."""

    id: int
    mrn: str
    patient: str
    birth_date: date | None
    stage: str
    meeting_id: int | None
    agenda_item_id: int | None
    position: int | None
    agenda_status: AgendaItemStatusValue | None
    decision_status: ItemDecisionStatusValue
    referred_on: date | None
    diagnosed_on: date | None
    urgent: bool | None


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the append-only audit log: who did what to which record, when."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    details: dict
    id: int | None = None
    role: str | None = None  # the app role of an authenticated user
    authenticated: bool = False  # False: the OS login, no password given
    signed_hash: str | None = None  # a sign-off: hash of the content signed
