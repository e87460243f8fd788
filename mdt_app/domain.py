"""The clinic's things as plain data: patients, cases, meetings, agenda items, decisions.

Nothing here touches a database, a file or Qt. "Not known" is always ``None`` (or the
enum value ``"unknown"`` where the case format has one); it is never turned into a
negative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

# Enumerations of the mdt-case/1 format (docs/case-format.md).
SEXES = ("female", "male", "other", "unknown")
CONFIRMED_BY = ("core_biopsy", "surgical_specimen", "fna_only", "none")
T_VALUES = ("T1a", "T1b", "T1", "T2", "T3a", "T3b", "T4a", "T4b", "T4", "TX", "T0")
N_VALUES = ("N0", "N0a", "N0b", "N1", "N1a", "N1b", "NX")
M_VALUES = ("M0", "M1")
# What the T, N and M categories rest on: clinical (examination, imaging, biopsy) or
# pathological (the resected specimen). Not known when absent.
TNM_BASES = ("clinical", "pathological")
RESECTABILITY = ("r0_r1_expected", "unresectable", "unknown")
PHASES = (
    "new",
    "post_resection_r0r1",
    "post_resection_r2",
    "neoadjuvant_response",
    "progression",
)
BIOMARKER_RESULTS = ("positive", "negative", "pending", "unknown")
BIOMARKER_FIELDS = ("braf_v600e", "ntrk_fusion", "ret_fusion", "alk_fusion", "msi_high")
AIRWAY = ("compromised", "symptomatic", "stable", "unknown")
METASTATIC_SITES = ("lung", "bone", "brain", "liver", "other")
BURDEN = ("low", "high")
GOALS_OF_CARE = ("active_treatment", "comfort_only", "undecided")
CAPACITY = ("intact", "doubtful", "unknown")
DECLINABLE = ("radiotherapy", "surgery", "systemic_therapy")
CONSENT_ANSWERS = ("given", "refused")
CONSENT_TOPICS = ("discussion", "registry", "research")
IMAGING_MODALITIES = ("CT", "FDG-PET/CT", "MRI", "US", "bone_scintigraphy", "laryngoscopy")
# Additional optional fields of mdt-case/1 (pathway version 2).
ATC_EXTENT = ("dominant", "focal")
COEXISTING_DTC = ("papillary", "follicular", "oncocytic", "poorly_differentiated", "none")
PREGNANCY = ("pregnant", "breastfeeding", "not_pregnant", "not_applicable")
BRAF_METHODS = ("ihc", "sequencing")
SEQUENCING = ("done", "pending", "not_done")
PRIOR_TREATMENT_TYPES = (
    "total_thyroidectomy",
    "lobectomy",
    "neck_dissection",
    "debulking",
    "tracheostomy",
    "ebrt",
    "rai",
    "braf_mek",
    "ntrk_inhibitor",
    "ret_inhibitor",
    "alk_inhibitor",
    "checkpoint_inhibitor",
    "lenvatinib",
    "cytotoxic_chemo",
    "other",
)
RESPONSES = ("complete", "partial", "stable", "progression")


# Statuses and option lists as types (issue 12). String-valued: what is stored, printed
# and written to JSON is the same text as before; the words for them are in wording.py.
class MeetingStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # added by migration m130_meeting_cancelled_status


class AgendaItemStatus(StrEnum):
    QUEUED = "queued"
    DISCUSSED = "discussed"
    DEFERRED = "deferred"
    NOT_DISCUSSED = "not_discussed"


class DecisionStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class ItemDecisionStatus(StrEnum):
    """What an agenda item has been decided (`store.decision_status`, `CaseRow`)."""

    NONE = "none"
    DRAFT = "draft"
    SIGNED = "signed"
    AMENDED = "amended"


class AgendaStatus(StrEnum):
    """Where a case stands on the agenda, as the chair sees it ("under discussion" is
    the case open now). Its words: `mdt_app.wording`."""

    QUEUED = "queued"
    UNDER_DISCUSSION = "under_discussion"
    DRAFT = "draft"
    DECIDED = "decided"
    AMENDED = "amended"
    DEFERRED = "deferred"
    NOT_DISCUSSED = "not_discussed"


class OptionList(StrEnum):
    """The four lists a guideline option can be in."""

    RECOMMENDED = "recommended"
    CONSIDER = "consider"
    NOT_RECOMMENDED = "not_recommended"
    MISSING = "missing"


MeetingStatusValue = Literal["planned", "in_progress", "closed", "cancelled"]
AgendaItemStatusValue = Literal["queued", "discussed", "deferred", "not_discussed"]
DecisionStatusValue = Literal["draft", "signed"]
ItemDecisionStatusValue = Literal["none", "draft", "signed", "amended"]

AGENDA_STATUSES = tuple(s.value for s in AgendaItemStatus)
DECISION_STATUSES = tuple(s.value for s in DecisionStatus)
# The first migration's CHECK constraint is built from MEETING_STATUSES; 'cancelled'
# came later (migration m130_meeting_cancelled_status), so it is kept apart.
MEETING_STATUSES = tuple(s.value for s in MeetingStatus if s is not MeetingStatus.CANCELLED)
MEETING_CANCELLED = MeetingStatus.CANCELLED.value
OPTION_LISTS = tuple(s.value for s in OptionList)
DEFAULT_FOLLOW_UP_MONTHS = 3
FOLLOW_UP_ITEMS = ("clinical_examination", "tsh", "calcium", "fdg_pet_ct", "ct", "brain_mri")


@dataclass
class Patient:
    """A patient as identified by the centre: MRN (within its system), names, birth date."""

    mrn: str
    given_name: str
    family_name: str
    birth_date: date | None = None
    sex: str = "unknown"
    preferred_language: str = "en"
    id: int | None = None
    # The system the MRN belongs to; None means the centre's default (setting
    # `default_identifier_system`). A patient is identified by system + value.
    identifier_system: str | None = field(default=None, compare=False)

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``; None when the birth date is not known."""
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass
class Referral:
    """Why and by whom the case was sent to the MDT; None where not given."""

    referred_on: date | None = None
    referring_clinician: str | None = None
    question: str | None = None
    urgent: bool | None = None


@dataclass
class Diagnosis:
    """The histology, how it was confirmed and when; None where not known."""

    histology: str | None = "anaplastic_thyroid_carcinoma"
    confirmed_by: str | None = None
    diagnosed_on: date | None = None
    atc_extent: str | None = None  # dominant | focal (a focus inside a differentiated cancer)
    coexisting_dtc: str | None = None


@dataclass
class TNM:
    """The AJCC 8th T, N and M categories as recorded; None where not recorded."""

    t: str | None = None
    n: str | None = None
    m: str | None = None
    basis: str | None = None  # TNM_BASES; None = not recorded

    def __str__(self) -> str:
        return " ".join(v if v else "?" for v in (self.t, self.n, self.m))


@dataclass
class Biomarkers:
    """Molecular results; "unknown" (never "negative") where not tested or not given."""

    braf_v600e: str = "unknown"
    ntrk_fusion: str = "unknown"
    ret_fusion: str = "unknown"
    alk_fusion: str = "unknown"
    msi_high: str = "unknown"
    tmb_mut_per_mb: float | None = None
    pdl1_tps_percent: float | None = None
    braf_method: str | None = None  # ihc | sequencing
    sequencing: str | None = None  # broad NGS profiling: done | pending | not_done


@dataclass
class Metastases:
    """Distant metastatic sites and their burden; an empty list is no known site."""

    sites: list[str] = field(default_factory=list)
    burden: str | None = None
    brain_symptomatic: bool | None = None


@dataclass
class Consent:
    """The patient's consent, as European Reference Network panels ask for it.

    Each topic is 'given', 'refused' or None (not recorded). None is never read as
    'given': sharing beyond the local team needs a recorded 'given'.
    """

    discussion: str | None = None  # to discussion by the MDT and care
    registry: str | None = None  # to use of the data in a registry
    research: str | None = None  # to being contacted for research
    recorded_on: date | None = None
    recorded_by: str | None = None

    def refused(self) -> list[str]:
        """The topics the patient refused, in CONSENT_TOPICS order."""
        return [t for t in CONSENT_TOPICS if getattr(self, t) == "refused"]

    def is_recorded(self) -> bool:
        return any(getattr(self, t) is not None for t in CONSENT_TOPICS)


@dataclass
class PriorTreatment:
    """Something the patient has already had; no ``ended_on`` means it is ongoing."""

    type: str
    started_on: date | None = None
    ended_on: date | None = None
    response: str | None = None
    note: str | None = None
    id: int | None = None

    @property
    def ongoing(self) -> bool:
        return self.ended_on is None


@dataclass
class CareTeam:
    """Who the patient calls. An addition to mdt-case/1 (optional ``care_team`` object)."""

    key_contact_name: str | None = None
    key_contact_phone: str | None = None
    centre: str | None = None


@dataclass
class ImagingStudy:
    """One imaging study and what it showed."""

    date: date
    modality: str
    region: str
    summary: str
    id: int | None = None


@dataclass
class LabResult:
    """One laboratory result with the reference range it was reported against."""

    date: date
    test: str
    value: float
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    id: int | None = None

    @property
    def flag(self) -> str:
        """'low', 'high' or '' against the result's own reference range."""
        if self.low is not None and self.value < self.low:
            return "low"
        if self.high is not None and self.value > self.high:
            return "high"
        return ""


@dataclass
class Case:
    """Everything the MDT discusses about one patient: the mdt-case/1 record."""

    patient: Patient
    referral: Referral = field(default_factory=Referral)
    diagnosis: Diagnosis = field(default_factory=Diagnosis)
    tnm: TNM = field(default_factory=TNM)
    resectability: str = "unknown"
    phase: str = "new"
    biomarkers: Biomarkers = field(default_factory=Biomarkers)
    ecog: int | None = None
    airway: str = "unknown"
    metastases: Metastases = field(default_factory=Metastases)
    brain_imaging_done: bool | None = None
    goals_of_care: str | None = None
    decision_capacity: str = "unknown"
    declines: list[str] = field(default_factory=list)
    imaging: list[ImagingStudy] = field(default_factory=list)
    labs: list[LabResult] = field(default_factory=list)
    care_team: CareTeam = field(default_factory=CareTeam)
    consent: Consent = field(default_factory=Consent)
    operable: bool | None = None  # False = medically unfit for surgery
    pregnancy: str | None = None
    prior_treatments: list[PriorTreatment] = field(default_factory=list)
    id: int | None = None
    # Raised by one on every stored change: a save naming an older version is refused.
    version: int = field(default=0, compare=False)
    # The mdt-case/1 paths ("tnm.t", "labs", ...) the source file gave; None means all
    # (an in-app edit). An import leaves every stored field outside this set alone.
    present: frozenset[str] | None = field(default=None, compare=False, repr=False)


# --- guideline output -----------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One guideline option as shown to the MDT: what, why (case facts) and who says so."""

    code: str
    title: str
    rationale: str
    sources: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "rationale": self.rationale,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Recommendation:
    """The engine's answer for one case against one pathway version."""

    stage: str
    stage_basis: str
    guideline_id: str
    guideline_title: str
    guideline_version: str
    recommended: tuple[Option, ...] = ()
    consider: tuple[Option, ...] = ()
    not_recommended: tuple[Option, ...] = ()
    missing: tuple[Option, ...] = ()
    warnings: tuple[str, ...] = ()

    def lists(self) -> dict[str, tuple[Option, ...]]:
        return {name: getattr(self, name) for name in OPTION_LISTS}

    def list_of(self, code: str) -> str | None:
        """Which of the four lists holds ``code`` (None if none does)."""
        for name, options in self.lists().items():
            if any(o.code == code for o in options):
                return name
        return None

    def option(self, code: str) -> Option | None:
        for options in self.lists().values():
            for o in options:
                if o.code == code:
                    return o
        return None

    def as_dict(self) -> dict:
        """The `recommend --json` shape (docs/recommend-json.md)."""
        out: dict = {
            "stage": self.stage,
            "stage_basis": self.stage_basis,
            "guideline": {
                "id": self.guideline_id,
                "title": self.guideline_title,
                "version": self.guideline_version,
            },
        }
        for name, options in self.lists().items():
            out[name] = [o.as_dict() for o in options]
        out["warnings"] = list(self.warnings)
        return out


# --- meetings and decisions -------------------------------------------------------------
# In domain_meetings.py, loaded on first use: a command that needs only cases and the
# guideline (`recommend`) does not build their classes (issue 17). Imported from here as
# ever: `from mdt_app.domain import Decision`.

MEETING_RECORDS = (
    "Meeting",
    "Attendee",
    "AgendaItem",
    "Action",
    "Decision",
    "CaseRow",
    "AuditEntry",
)

if TYPE_CHECKING:  # what the type checker sees: the classes, as if defined here
    from mdt_app.domain_meetings import Action as Action
    from mdt_app.domain_meetings import AgendaItem as AgendaItem
    from mdt_app.domain_meetings import Attendee as Attendee
    from mdt_app.domain_meetings import AuditEntry as AuditEntry
    from mdt_app.domain_meetings import CaseRow as CaseRow
    from mdt_app.domain_meetings import Decision as Decision
    from mdt_app.domain_meetings import Meeting as Meeting


if not TYPE_CHECKING:  # hidden from the type checker, which would then accept any name

    def __getattr__(name: str) -> type:
        """The meeting records, from domain_meetings.py on first use."""
        if name in MEETING_RECORDS:
            from mdt_app import domain_meetings

            value: type = getattr(domain_meetings, name)
            globals()[name] = value  # found directly from now on
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
