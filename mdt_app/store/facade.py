"""The `Store` facade: one object for callers (CLI, window, documents, exchange) over the
store's explicit parts.

Each part is a repository that receives what it needs - the `StoreCore` (connection,
transactions, clock, actor, audit log, settings) and the few parts it reads from - so
no part calls back through the facade:

    patients <- cases <- agenda <- decisions <- meeting admin
    meetings <-/          intake, imports

The facade keeps the public methods the store always had, each handing over to its
part; who is acting (`actor`, `role`, ...) lives in the core, which every part shares.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from mdt_app import domain as d
from mdt_app import meetings as mt
from mdt_app.decision_rules import SignOffException
from mdt_app.paths import ServerURL
from mdt_app.store.agenda import Agenda, Meetings
from mdt_app.store.base import StoreCore, now
from mdt_app.store.case_import import CaseImports
from mdt_app.store.cases import Cases
from mdt_app.store.decisions import Decisions
from mdt_app.store.dialect import SQLITE, Dialect
from mdt_app.store.intake import Intake
from mdt_app.store.meeting_admin import MeetingAdmin
from mdt_app.store.patients import Patients
from mdt_app.store.presence import Presence

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

    from mdt_app.store.case_batch import CaseBatch


@dataclass(frozen=True)
class StoreParts:
    """The repositories of one open store, wired once (dependencies point one way)."""

    patients: Patients
    meetings: Meetings
    cases: Cases
    imports: CaseImports
    agenda: Agenda
    decisions: Decisions
    admin: MeetingAdmin
    intake: Intake

    @classmethod
    def wire(cls, core: StoreCore) -> StoreParts:
        """Build every part over ``core``, each given only what it reads from."""
        patients = Patients(core)
        meetings = Meetings(core)
        cases = Cases(core, patients, meetings)
        agenda = Agenda(core, meetings, cases)
        decisions = Decisions(core, agenda, meetings, cases)
        return cls(
            patients=patients,
            meetings=meetings,
            cases=cases,
            imports=CaseImports(core, patients, cases),
            agenda=agenda,
            decisions=decisions,
            admin=MeetingAdmin(core, meetings, agenda, decisions, cases),
            intake=Intake(core, patients, meetings, agenda),
        )


class Store:
    """Cases, meetings, agendas, attendance, decisions, audit log and settings."""

    presence: Presence | None = None  # the hold on <db>.users while open

    def __init__(
        self,
        db: Database | Any,
        path: Path | ServerURL,
        actor: str | None = None,
        dialect: Dialect = SQLITE,
    ) -> None:
        self.core = StoreCore(db, path, actor, clock=now, dialect=dialect)
        self.backend = dialect.name  # "sqlite" or "postgresql": picks the change feed
        self.parts = StoreParts.wire(self.core)

    def close(self) -> None:
        """Close the connection and leave the presence file."""
        self.core.close()
        if self.presence is not None:
            self.presence.leave()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the core: who acts, transactions, audit, settings ------------------------------

    @property
    def is_server(self) -> bool:
        """True for a team database on a PostgreSQL server."""
        return self.core.dialect.name == "postgresql"

    @property
    def db(self) -> Database:
        return self.core.db

    @db.setter
    def db(self, value: Database) -> None:
        self.core.db = value

    @property
    def path(self) -> Path:
        return self.core.path

    @path.setter
    def path(self, value: Path) -> None:
        self.core.path = value

    @property
    def actor(self) -> str:
        return self.core.actor

    @actor.setter
    def actor(self, value: str) -> None:
        self.core.actor = value

    @property
    def role(self) -> str | None:
        return self.core.role

    @role.setter
    def role(self, value: str | None) -> None:
        self.core.role = value

    @property
    def authenticated(self) -> bool:
        return self.core.authenticated

    @authenticated.setter
    def authenticated(self, value: bool) -> None:
        self.core.authenticated = value

    @property
    def user_id(self) -> int | None:
        return self.core.user_id

    @user_id.setter
    def user_id(self, value: int | None) -> None:
        self.core.user_id = value

    @property
    def confirmed_signer(self) -> int | None:
        return self.core.confirmed_signer

    @confirmed_signer.setter
    def confirmed_signer(self, value: int | None) -> None:
        self.core.confirmed_signer = value

    @property
    def refuse_unnamed_writes(self) -> bool:
        return self.core.refuse_unnamed_writes

    @refuse_unnamed_writes.setter
    def refuse_unnamed_writes(self, value: bool) -> None:
        self.core.refuse_unnamed_writes = value

    @property
    def passphrase(self) -> str | None:
        return self.core.passphrase

    @passphrase.setter
    def passphrase(self, value: str | None) -> None:
        self.core.passphrase = value

    @property
    def busy_timeout(self) -> float:
        return self.core.busy_timeout

    @busy_timeout.setter
    def busy_timeout(self, value: float) -> None:
        self.core.busy_timeout = value

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One write transaction (see `StoreCore.atomic`)."""
        with self.core.atomic() as db:
            yield db

    def query(self, sql: str, params: Any = ()) -> list[dict]:
        """Rows of a read as dicts."""
        return self.core.query(sql, params)

    def insert(self, table: str, row: dict) -> int:
        """Insert one row (inside a transaction) and return its id."""
        return self.core.insert(table, row)

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        details: dict | None = None,
        *,
        signed_hash: str | None = None,
    ) -> None:
        """Append to the audit log (inside the transaction of the change it records)."""
        self.core.audit(action, entity, entity_id, details, signed_hash=signed_hash)

    def audit_log(
        self, entity: str | None = None, entity_id: int | None = None
    ) -> list[d.AuditEntry]:
        """The audit entries, oldest first, of one entity or of everything."""
        return self.core.audit_log(entity, entity_id)

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A stored setting (JSON), or ``default``."""
        return self.core.get_setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting (audited)."""
        self.core.set_setting(key, value)

    # --- Patients (patients.py) ---------------------------------------------------
    def default_identifier_system(self) -> str:
        """The system of MRNs in mdt-case files (setting `default_identifier_system`)."""
        return self.parts.patients.default_identifier_system()

    def patient_identity(self, patient: d.Patient) -> tuple[str, str]:
        """(system, comparison key) of a patient's MRN; ValidationError if unusable."""
        return self.parts.patients.patient_identity(patient)

    def find_patient_id(self, patient: d.Patient) -> int | None:
        """The stored patient with this identifier (system + normalised MRN), if any."""
        return self.parts.patients.find_patient_id(patient)

    def patient_by_mrn(self, mrn: str) -> d.Patient | None:
        """The patient with this MRN in the centre's system, compared as imports do."""
        return self.parts.patients.patient_by_mrn(mrn)

    def get_patient(self, patient_id: int) -> d.Patient:
        """One patient by id; NotFound when there is none."""
        return self.parts.patients.get_patient(patient_id)

    # --- Meetings (agenda.py) -----------------------------------------------------
    def create_meeting(self, meeting: d.Meeting) -> int:
        return self.parts.meetings.create_meeting(meeting)

    def get_meeting(self, meeting_id: int) -> d.Meeting:
        return self.parts.meetings.get_meeting(meeting_id)

    def list_meetings(self) -> list[d.Meeting]:
        """Newest first."""
        return self.parts.meetings.list_meetings()

    # --- Cases (cases.py) ---------------------------------------------------------
    def get_case(self, case_id: int) -> d.Case:
        return self.parts.cases.get_case(case_id)

    def get_cases(self, case_ids: list[int]) -> dict[int, d.Case]:
        """Several cases by id in five statements, whatever their number (unknown ids absent)."""
        return self.parts.cases.get_cases(case_ids)

    def update_case(self, case: d.Case, *, reason: str | None = None) -> d.Case:
        """Save a case edited in the app: its fields, patient, imaging and labs as given."""
        return self.parts.cases.update_case(case, reason=reason)

    def case_ids(self) -> list[int]:
        return self.parts.cases.case_ids()

    def find_case_by_mrn(self, mrn: str, system: str | None = None) -> int | None:
        """The latest case of the patient with this MRN, compared as imports compare it."""
        return self.parts.cases.find_case_by_mrn(mrn, system)

    def list_cases(self, meeting_id: int | None = None) -> list[d.CaseRow]:
        """Cases with their agenda place: on one meeting, or each on its latest meeting."""
        return self.parts.cases.list_cases(meeting_id)

    # --- CaseImports (case_import.py) ---------------------------------------------
    def import_case(self, case: d.Case) -> tuple[int, bool]:
        """Add or merge a case from a file: (case id, whether anything changed)."""
        return self.parts.imports.import_case(case)

    # --- Agenda (agenda.py) -------------------------------------------------------
    def agenda_counts(self) -> dict[int, int]:
        """How many cases each meeting's agenda holds, for every meeting, in one statement."""
        return self.parts.agenda.agenda_counts()

    def agenda(self, meeting_id: int) -> list[d.AgendaItem]:
        return self.parts.agenda.agenda(meeting_id)

    def get_agenda_item(self, item_id: int) -> d.AgendaItem:
        return self.parts.agenda.get_agenda_item(item_id)

    def import_batch(self, meeting_id: int | None = None) -> CaseBatch | None:
        """New cases of an import written together (SQLite; None on a server): call
        inside the import's transaction (`case_batch.py`)."""
        if self.core.dialect.name != "sqlite":
            return None
        from mdt_app.store.case_batch import CaseBatch

        return CaseBatch(self.core, self.parts.patients, meeting_id)

    def add_to_agenda(self, meeting_id: int, case_id: int) -> d.AgendaItem:
        """Queue a case at the end of a meeting's agenda (no-op if already on it)."""
        return self.parts.agenda.add_to_agenda(meeting_id, case_id)

    def move_agenda_item(self, item_id: int, new_position: int) -> None:
        """Move an item to a 1-based position; the others close up around it."""
        self.parts.agenda.move_agenda_item(item_id, new_position)

    def set_agenda_status(
        self, item_id: int, status: str, reason: str | None = None, version: int = 0
    ) -> None:
        """Set an item's status; refused if the item changed since ``version`` (0: no check)."""
        self.parts.agenda.set_agenda_status(item_id, status, reason, version)

    def defer(
        self, item_id: int, to_meeting_id: int, reason: str, version: int = 0
    ) -> d.AgendaItem:
        """Defer an item to another meeting; returns the new item there."""
        return self.parts.agenda.defer(item_id, to_meeting_id, reason, version)

    def attendance(self, meeting_id: int) -> list[d.Attendee]:
        return self.parts.agenda.attendance(meeting_id)

    def set_attendance(self, meeting_id: int, attendees: list[d.Attendee]) -> None:
        """Replace the meeting's attendance list with ``attendees``."""
        self.parts.agenda.set_attendance(meeting_id, attendees)

    # --- Decisions (decisions.py) -------------------------------------------------
    def get_decision(self, decision_id: int) -> d.Decision:
        return self.parts.decisions.get_decision(decision_id)

    def decisions_for_items(self, item_ids: list[int]) -> dict[int, list[d.Decision]]:
        """Every decision of several agenda items, oldest first, in two statements."""
        return self.parts.decisions.decisions_for_items(item_ids)

    def decisions_for_item(self, agenda_item_id: int) -> list[d.Decision]:
        """Every decision record of an agenda item, oldest first (amendments after)."""
        return self.parts.decisions.decisions_for_item(agenda_item_id)

    def decisions_for_case(self, case_id: int) -> list[d.Decision]:
        return self.parts.decisions.decisions_for_case(case_id)

    def current_draft(self, agenda_item_id: int) -> d.Decision | None:
        return self.parts.decisions.current_draft(agenda_item_id)

    def effective_decision(self, agenda_item_id: int) -> d.Decision | None:
        """The latest signed decision of an agenda item (an amendment if there is one)."""
        return self.parts.decisions.effective_decision(agenda_item_id)

    def latest_signed_decision_for_case(self, case_id: int) -> d.Decision | None:
        return self.parts.decisions.latest_signed_decision_for_case(case_id)

    def older_data(self, decision: d.Decision) -> list:
        """What changed in the case since ``decision`` was signed (FactChange list)."""
        return self.parts.decisions.older_data(decision)

    def decision_status(self, agenda_item_id: int) -> str:
        """none / draft / signed / amended, as `mdt-app cases` shows it."""
        return self.parts.decisions.decision_status(agenda_item_id)

    def save_draft(self, decision: d.Decision) -> d.Decision:
        """Insert or update a draft decision with its actions; returns it as stored."""
        return self.parts.decisions.save_draft(decision)

    def sign_decision(
        self,
        decision_id: int,
        chair: str,
        version: int | None = None,
        *,
        exception_reason: str | None = None,
        today: date | None = None,
    ) -> d.Decision:
        """Sign a draft off: name and time recorded, read-only from then on."""
        return self.parts.decisions.sign_decision(
            decision_id, chair, version, exception_reason=exception_reason, today=today
        )

    def sign_off_exceptions_for(
        self, agenda_item_id: int, today: date | None = None
    ) -> list[SignOffException]:
        """Why signing this item's decision now needs a reason (quorum, meeting day)."""
        return self.parts.decisions.sign_off_exceptions_for(agenda_item_id, today)

    def start_amendment(self, decision_id: int, reason: str) -> d.Decision:
        """Open a new draft that amends a signed decision; the original stays unchanged."""
        return self.parts.decisions.start_amendment(decision_id, reason)

    def discard_draft(self, decision_id: int, version: int | None = None) -> None:
        """Delete a draft (never a signed decision); refused if changed since ``version``."""
        self.parts.decisions.discard_draft(decision_id, version)

    # --- MeetingAdmin (meeting_admin.py) ------------------------------------------
    def plan_meeting(self, meeting: d.Meeting) -> int:
        """Create a meeting with all its details; returns its id."""
        return self.parts.admin.plan_meeting(meeting)

    def edit_meeting(self, meeting: d.Meeting) -> None:
        """Save changed details (date, time, title, chair, place, specialties)."""
        self.parts.admin.edit_meeting(meeting)

    def undiscussed_items(self, meeting_id: int) -> list[tuple[d.AgendaItem, d.Patient]]:
        """Items of the meeting still waiting for a decision (queued or not discussed, not yet
        carried elsewhere, with no signed decision).
        """
        return self.parts.admin.undiscussed_items(meeting_id)

    def close_meeting(
        self,
        meeting_id: int,
        reasons: dict[int, str] | None = None,
        *,
        default_reason: str = mt.DEFAULT_CARRY_REASON,
        today: date | None = None,
    ) -> mt.CarryReport:
        """Close a meeting: its minutes become final. Each undiscussed case is marked 'not
        discussed' with its reason (``reasons`` by agenda item id, else the default) and
        queued on the next open meeting, created from the series if there is none.
        """
        return self.parts.admin.close_meeting(
            meeting_id, reasons, default_reason=default_reason, today=today
        )

    def cancel_meeting(
        self, meeting_id: int, reason: str, *, today: date | None = None
    ) -> mt.CarryReport:
        """Cancel a meeting that has not decided anything; its cases move to the next one."""
        return self.parts.admin.cancel_meeting(meeting_id, reason, today=today)

    def next_open_meeting(self, after: d.Meeting, *, create: bool = False) -> d.Meeting | None:
        """The first open meeting after ``after`` (by date); with ``create``, the series' next
        meeting is created when there is none.
        """
        return self.parts.admin.next_open_meeting(after, create=create)

    def create_series(self, series: mt.MeetingSeries, *, today: date | None = None) -> int:
        """Store a recurring meeting and create its meetings ``weeks_ahead`` weeks ahead."""
        return self.parts.admin.create_series(series, today=today)

    def get_series(self, series_id: int) -> mt.MeetingSeries:
        return self.parts.admin.get_series(series_id)

    def list_series(self) -> list[mt.MeetingSeries]:
        return self.parts.admin.list_series()

    def stop_series(self, series_id: int) -> None:
        self.parts.admin.stop_series(series_id)

    def extend_series(self, *, today: date | None = None) -> list[int]:
        """Create the missing meetings of every active series up to its horizon."""
        return self.parts.admin.extend_series(today=today)

    def meeting_choices(
        self, today: date | None = None, *, upcoming: int = 12, recent: int = 8
    ) -> list[d.Meeting]:
        """What the meeting selector lists: the next ``upcoming`` meetings (today's first), then
        the ``recent`` latest past ones. Two index range scans, whatever the archive.
        """
        return self.parts.admin.meeting_choices(today, upcoming=upcoming, recent=recent)

    def find_meetings(self, text: str, *, limit: int = 50) -> list[d.Meeting]:
        """Meetings whose date starts with ``text`` (2025, 2025-03, 2025-03-04) or whose title
        contains it; newest first.
        """
        return self.parts.admin.find_meetings(text, limit=limit)

    def move_to_meeting(self, item_id: int, meeting_id: int, reason: str) -> d.AgendaItem:
        """Move a case queued on the wrong meeting to another one (no decision on it yet)."""
        return self.parts.admin.move_to_meeting(item_id, meeting_id, reason)

    def remove_from_agenda(self, item_id: int, reason: str) -> d.AgendaItem:
        """Take off a case queued by mistake (no decision on it); the audit log keeps it."""
        return self.parts.admin.remove_from_agenda(item_id, reason)

    def meeting_on(self, day: date, like: d.Meeting) -> int:
        """The open meeting held on ``day`` (other than ``like``); one is created with ``like``'s
        title, chair, place, time and specialties if there is none.
        """
        return self.parts.admin.meeting_on(day, like)

    def defer_to_date(self, item_id: int, day: date, reason: str) -> d.AgendaItem:
        """Defer to the open meeting on ``day``, creating one if there is none."""
        return self.parts.admin.defer_to_date(item_id, day, reason)

    # --- Intake (intake.py) -------------------------------------------------------
    def add_referral(
        self, case: d.Case, *, meeting_id: int | None, patient_id: int | None = None
    ) -> int:
        """Store a referral entered by hand as a NEW case: of a new patient, or (with
        ``patient_id``) of a known one; queue it on ``meeting_id``. Returns the case id.
        """
        return self.parts.intake.add_referral(case, meeting_id=meeting_id, patient_id=patient_id)

    def save_intake_draft(self, form: dict) -> None:
        """Keep the referral form as typed (one per user; not an audited record)."""
        self.parts.intake.save_intake_draft(form)

    def intake_draft(self) -> dict | None:
        return self.parts.intake.intake_draft()

    def discard_intake_draft(self) -> None:
        self.parts.intake.discard_intake_draft()

    def edit_identity(self, patient: d.Patient, reason: str) -> dict:
        """Correct a patient's name, birth date, sex, language or MRN (``patient.id`` names
        them); audited with every change and the reason. Returns the changes.
        """
        return self.parts.intake.edit_identity(patient, reason)
