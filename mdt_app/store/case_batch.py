"""New patients of an import written together: each table with one statement per batch.

An import of a thousand case files is mostly new patients. Written one case at a time,
that is eleven statements a case, and the patient search index (FTS5) flushes a
segment for every patient its trigger adds. Here the cases that are certainly new are
collected and written at once: the patients, cases, imaging, labs, prior treatments,
agenda lines and audit entries of the batch each with one ``executemany``, the search
index filled with one ``INSERT ... SELECT`` for the batch's patients.

What is stored is exactly what `CaseImports.import_case` stores for a new case (the same
rows, ids, versions, search text and audit entries, in the same order); anything else
(a patient already stored, the same MRN twice in one import, an HL7 v2 update, notes)
goes the one-case way, after the batch so far is written. The caller writes the batch
before anything else reads or writes the database (`flush`) and inside its own
transaction, so a failure rolls the whole import back, the search trigger included.

SQLite only: the ids are known before writing (the next after the largest, which is how
SQLite numbers an INTEGER PRIMARY KEY row, and no other writer runs inside BEGIN
IMMEDIATE). On PostgreSQL ids come from sequences, and an import goes case by case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mdt_app import domain as d
from mdt_app.errors import ValidationError
from mdt_app.store import rows, rows_v2
from mdt_app.store.base import StoreCore
from mdt_app.store.patients import Patients
from mdt_app.store.row_writer import insert_rows

# Written once, then by a flush on reaching it: memory stays small for a huge import.
BATCH_SIZE = 500

SEARCH_TRIGGER = "patient_search_insert"


@dataclass
class _Counters:
    """The next id of each table the batch numbers itself (read once per run)."""

    patients: int
    cases: int
    agenda_items: int


@dataclass
class _Pending:
    patients: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    agenda: list[dict[str, Any]] = field(default_factory=list)
    audit: list[tuple[str, str, int | None, dict | None, str]] = field(default_factory=list)


class CaseBatch:
    """Cases known to be new, collected (``add``) and written together (``flush``)."""

    def __init__(self, core: StoreCore, patients: Patients, meeting_id: int | None) -> None:
        self.core = core
        self.patients = patients
        self.meeting_id = meeting_id
        self._pending = _Pending()
        self._counters: _Counters | None = None
        self._stored: tuple[set[tuple[str, str]], set[str]] | None = None
        # The identity of each expected patient, worked out once (kept with the patient,
        # so that an id is never taken for another object's).
        self._identities: dict[int, tuple[d.Patient, tuple[str, str]]] = {}
        # Patients the batch took since the database was last read (written or not).
        self._taken: set[tuple[str, str]] = set()
        self._taken_texts: set[str] = set()
        self._position = 0  # the meeting's last agenda position

    # --- what is already stored -----------------------------------------------------

    def expect(self, cases: list[d.Case]) -> None:
        """Look up, in two statements, which of these cases' patients are stored (so
        ``add`` need not ask per case); valid until something else writes."""
        keys, texts = set(), set()
        for case in cases:
            try:
                identity = self.patients.patient_identity(case.patient)
            except ValidationError:  # an unusable MRN: refused by add, naming it
                continue
            self._identities[id(case.patient)] = (case.patient, identity)
            keys.add(identity[1])
            texts.add(case.patient.mrn.strip())
        identities = {
            (r[0], r[1])
            for r in self.core.db.execute(
                "SELECT identifier_system, identifier_key FROM patients"
                " WHERE identifier_key IN (SELECT value FROM json_each(?))",
                [json.dumps(sorted(keys), ensure_ascii=False)],
            )
        }
        stored_texts = {
            r[0]
            for r in self.core.db.execute(
                "SELECT mrn FROM patients WHERE mrn IN (SELECT value FROM json_each(?))",
                [json.dumps(sorted(texts), ensure_ascii=False)],
            )
        }
        self._stored = (identities, stored_texts)

    def _is_stored(self, system: str, key: str, text: str, any_system: bool) -> bool:
        if self._stored is not None:
            identities, texts = self._stored
            return (system, key) in identities or (any_system and text in texts)
        found = self.core.db.execute(
            "SELECT 1 FROM patients WHERE identifier_system = ? AND identifier_key = ?",
            [system, key],
        ).fetchone()
        if found or not any_system:
            return found is not None
        same_text = self.core.db.execute("SELECT 1 FROM patients WHERE mrn = ?", [text])
        return same_text.fetchone() is not None

    def changed_elsewhere(self) -> None:
        """Something other than the batch wrote: forget what was read (call after it)."""
        self._stored = None
        self._counters = None
        self._taken.clear()
        self._taken_texts.clear()

    # --- collecting -----------------------------------------------------------------

    def add(self, case: d.Case) -> int | None:
        """Take a case whose patient is certainly new; its case id. None when it may not
        be new (stored, or already in this batch): the caller imports it case by case,
        after ``flush``. A ValidationError for an unusable MRN, as ``import_case``."""
        if case.patient.id is not None:
            return None
        known = self._identities.pop(id(case.patient), None)
        if known is not None and known[0] is case.patient:
            system, key = known[1]
        else:
            system, key = self.patients.patient_identity(case.patient)
        text = case.patient.mrn.strip()
        # Without a system, the one-case way also matches the MRN's text in any system.
        any_system = not (case.patient.identifier_system or "").strip()
        if (system, key) in self._taken or (any_system and text in self._taken_texts):
            return None
        if self._is_stored(system, key, text, any_system):
            return None
        self.core.require_named_writer()  # as the case's audit entry would
        pending = self._pending
        ids = self._next_ids()
        patient_id, case_id = ids.patients, ids.cases
        ids.patients += 1
        ids.cases += 1
        stamp = self.core.stamp()
        pending.patients.append(
            {
                "id": patient_id,
                **rows.patient_row(case.patient),
                "identifier_system": system,
                "identifier_key": key,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        pending.cases.append(
            {
                "id": case_id,
                **rows.case_row(case),
                "patient_id": patient_id,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        for table, new_rows in (
            ("imaging", [rows.imaging_row(i) for i in case.imaging]),
            ("labs", [rows.lab_row(x) for x in case.labs]),
            ("prior_treatments", [rows_v2.treatment_row(t) for t in case.prior_treatments]),
        ):
            pending.entries.setdefault(table, []).extend(
                {**row, "case_id": case_id} for row in new_rows
            )
        pending.audit.append(
            (
                "import_case",
                "case",
                case_id,
                {"mrn": case.patient.mrn, "system": system, "new": True, "version": 1},
                stamp,
            )
        )
        if self.meeting_id is not None:
            self._queue(case_id, stamp)
        self._taken.add((system, key))
        self._taken_texts.add(text)
        if len(pending.cases) >= BATCH_SIZE:
            self.flush()
        return case_id

    def _queue(self, case_id: int, stamp: str) -> None:
        """The case at the end of the meeting's agenda, as `Agenda.queue_case` puts it."""
        ids = self._next_ids()
        item_id = ids.agenda_items
        ids.agenda_items += 1
        self._position += 1
        self._pending.agenda.append(
            {
                "id": item_id,
                "meeting_id": self.meeting_id,
                "case_id": case_id,
                "position": self._position,
                "status": "queued",
                "added_at": stamp,
            }
        )
        self._pending.audit.append(
            ("add_to_agenda", "agenda_item", item_id, {"meeting_id": self.meeting_id}, stamp)
        )

    def _next_ids(self) -> _Counters:
        if self._counters is None:
            next_id = {
                table: self.core.db.execute(
                    f"SELECT coalesce(max(id), 0) + 1 FROM {table}"
                ).fetchone()[0]
                for table in ("patients", "cases", "agenda_items")
            }
            self._counters = _Counters(**next_id)
            if self.meeting_id is not None:
                self._position = self.core.db.execute(
                    "SELECT coalesce(max(position), 0) FROM agenda_items WHERE meeting_id = ?",
                    [self.meeting_id],
                ).fetchone()[0]
        return self._counters

    # --- writing --------------------------------------------------------------------

    def flush(self) -> None:
        """Write what is collected (inside the caller's transaction, which a failure here
        must end: the caller rolls back, as `CaseImports.import_case` in a batch does)."""
        pending = self._pending
        if not pending.cases:
            return
        conn = self.core.db.conn
        # No savepoint of its own: SQLite would copy every page the batch touches into a
        # sub-journal file; the import's transaction rolls everything back on a failure
        # (and makes a database error the store's one line).
        self._write_patients(pending.patients)
        insert_rows(conn, "cases", pending.cases)
        for table, new_rows in pending.entries.items():
            insert_rows(conn, table, new_rows)
        insert_rows(conn, "agenda_items", pending.agenda)
        self.core.audit_many(pending.audit)
        self._pending = _Pending()

    def _write_patients(self, patients: list[dict[str, Any]]) -> None:
        """The patients, then their search index in one statement: the per-row trigger is
        dropped for the insert and put back at once, inside the same transaction (so
        no commit, rollback or crash can leave it off)."""
        from mdt_app.store.migrations_meetings import search_text_sql

        conn = self.core.db.conn
        found = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [SEARCH_TRIGGER]
        ).fetchone()
        if found is None:  # no index to keep (never on a current schema): just the rows
            insert_rows(conn, "patients", patients)
            return
        conn.execute(f"DROP TRIGGER {SEARCH_TRIGGER}")
        try:
            insert_rows(conn, "patients", patients)
            conn.execute(
                f"INSERT INTO patient_search (rowid, name) SELECT p.id, {search_text_sql('p')}"
                " FROM patients p WHERE p.id BETWEEN ? AND ?",
                [patients[0]["id"], patients[-1]["id"]],
            )
        finally:
            if conn.in_transaction:  # else the rollback has put the trigger back already
                conn.execute(found[0])
