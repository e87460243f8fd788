"""An import writes its new patients in batches (store/case_batch.py, issue 17): what is
stored is exactly what importing case by case stores, the patient search finds them,
and a failed import leaves the search index and its trigger as they were."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from datetime import UTC, date, datetime

import pytest

from mdt_app import domain as d
from mdt_app.errors import StoreError
from mdt_app.exchange import importer
from mdt_app.exchange.importer import apply_import, read_file, read_files
from mdt_app.search import search_cases
from mdt_app.security.verify import trigger_faults
from mdt_app.store import case_batch, facade, open_store
from tests.conftest import FIXTURES

FIXED = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
VALID = FIXTURES / "import" / "valid_case.json"


def _case_files(tmp_path, count: int, start: int = 0) -> list[str]:
    source = json.loads(VALID.read_text(encoding="utf-8"))
    paths = []
    for n in range(start, start + count):
        source["patient"]["mrn"] = f"BATCH{n:04d}"
        source["patient"]["family_name"] = f"Ångström-Q{n:04d}"
        path = tmp_path / f"case{n:04d}.json"
        path.write_text(json.dumps(source), encoding="utf-8")
        paths.append(str(path))
    return paths


def _mixed(tmp_path) -> list[str]:
    """New patients, a patient met twice, HL7 v2 updates and notes, FHIR, two-case files."""
    new = _case_files(tmp_path, 7)
    cases = sorted(str(p) for p in (FIXTURES / "cases").glob("*.json"))
    hl7 = sorted(str(p) for p in (FIXTURES / "hl7").glob("*.hl7"))
    fhir = [str(FIXTURES / "import" / "fhir_bundle.json")]
    return [*new[:3], *cases, new[0], *hl7, *fhir, *new[3:], cases[0], new[5]]


def _import(db, paths, *, batched: bool, meeting: bool, monkeypatch) -> list[str]:
    with monkeypatch.context() as m:
        if not batched:
            m.setattr(facade.Store, "import_batch", lambda self, meeting_id=None: None)
        m.setattr("mdt_app.store.now", lambda: FIXED)  # the notes HL7 v2 adds
        with open_store(db, actor="tester") as store:
            store.core.clock = lambda: FIXED
            meeting_id = None
            # A stored patient, whom the HL7 v2 messages and the FHIR Bundle update.
            store.import_case(importer.read_file(VALID).incoming[0].case)
            if meeting:
                meeting_id = store.create_meeting(d.Meeting(date(2026, 12, 9), "MDT"))
                # A line already on the agenda: the import's lines come after it.
                store.add_to_agenda(meeting_id, store.case_ids()[0])
            report = apply_import(store, read_files(paths), meeting_id=meeting_id)
            return report.lines(detail=True)


def _contents(db) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                # FTS5's own segments differ (its rows do not); migrations are stamped when run
                " AND name NOT LIKE 'patient_search_%' AND name != '_sqlite_migrations'"
            )
        ]
        out = {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall() for t in tables}
        out["settings"] = [r for r in out["settings"] if r[0] != "database_uuid"]
        out["_triggers"] = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()
        return out
    finally:
        conn.close()


@pytest.mark.parametrize("meeting", [False, True], ids=["no meeting", "onto a meeting"])
@pytest.mark.parametrize("batch_size", [500, 2], ids=["one batch", "many batches"])
def test_a_batched_import_stores_what_case_by_case_stores(
    tmp_path, monkeypatch, meeting, batch_size
):
    monkeypatch.setattr(case_batch, "BATCH_SIZE", batch_size)
    paths = _mixed(tmp_path)
    batched = _import(
        tmp_path / "a.db", paths, batched=True, meeting=meeting, monkeypatch=monkeypatch
    )
    one_by_one = _import(
        tmp_path / "b.db", paths, batched=False, meeting=meeting, monkeypatch=monkeypatch
    )
    assert batched == one_by_one
    a, b = _contents(tmp_path / "a.db"), _contents(tmp_path / "b.db")
    assert a.keys() == b.keys()
    for table in a:  # every row, id, version, search text and audit entry with its hash
        assert a[table] == b[table], table
    assert len(a["patients"]) >= 12 and len(a["audit_log"]) > len(a["patients"])


def test_the_search_finds_the_imported_patients_and_the_index_stays_exact(tmp_path):
    with open_store(tmp_path / "s.db", actor="tester") as store:
        apply_import(store, read_files(_case_files(tmp_path, 30)))
        assert {c.row.mrn for c in search_cases(store, "q0001")} == {"BATCH0001"}
        assert len(search_cases(store, "Zoë Ångström")) == 30
        assert len(search_cases(store, "zoe angstr")) == 30
        assert not trigger_faults(store.db)  # the per-row trigger is back, unchanged
        # Every other writer still indexes through the trigger.
        case = read_file(VALID).incoming[0].case
        case.patient.mrn, case.patient.family_name = "OTHER1", "Nowak"
        store.import_case(case)
        assert [c.row.mrn for c in search_cases(store, "nowak")] == ["OTHER1"]
        indexed = store.query("SELECT count(*) AS n FROM patient_search")[0]["n"]
        assert indexed == store.query("SELECT count(*) AS n FROM patients")[0]["n"] == 31


def _state(store) -> tuple:
    return (
        store.query("SELECT rowid, name FROM patient_search ORDER BY rowid"),
        store.query("SELECT count(*) AS n FROM patients"),
        store.query("SELECT count(*) AS n FROM audit_log"),
        store.query("SELECT sql FROM sqlite_master WHERE name = 'patient_search_insert'"),
    )


def test_a_failure_while_writing_a_batch_leaves_index_and_trigger_as_before(tmp_path, monkeypatch):
    with open_store(tmp_path / "f.db", actor="tester") as store:
        apply_import(store, read_files(_case_files(tmp_path, 3)))
        before = _state(store)
        files = read_files(_case_files(tmp_path, 5, start=10))

        def broken(*args, **kwargs):
            raise sqlite3.OperationalError("disk I/O error")

        # After the trigger was dropped and the patients written: the audit entries fail.
        monkeypatch.setattr(store.core, "audit_many", broken)
        with pytest.raises(StoreError, match="disk I/O error"):
            apply_import(store, files)
        monkeypatch.undo()
        assert _state(store) == before
        assert not trigger_faults(store.db)
        assert not search_cases(store, "q0010")
        apply_import(store, read_files(_case_files(tmp_path, 1, start=20)))
        assert [c.row.mrn for c in search_cases(store, "angström q0020")] == ["BATCH0020"]


def test_a_failure_inside_the_index_statement_puts_the_trigger_back(tmp_path, monkeypatch):
    with open_store(tmp_path / "g.db", actor="tester") as store:
        before = _state(store)
        monkeypatch.setattr(
            "mdt_app.store.migrations_meetings.search_text_sql",
            lambda prefix: "no_such_function(p.id)",
        )
        with pytest.raises(StoreError, match="no_such_function"):
            apply_import(store, read_files(_case_files(tmp_path, 4)))
        assert _state(store) == before
        assert not trigger_faults(store.db)


def test_a_preview_leaves_index_and_trigger_as_before(tmp_path):
    with open_store(tmp_path / "p.db", actor="tester") as store:
        before = _state(store)
        preview = apply_import(store, read_files(_case_files(tmp_path, 5)), dry_run=True)
        assert [p.action for p in preview.patients] == ["created"] * 5
        assert _state(store) == before
        assert not trigger_faults(store.db)


class _Counting:
    """A connection that counts the statements the store hands it (executemany: one)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn, self.statements = conn, []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self.conn.execute(sql, *args)

    def executemany(self, sql, rows):
        self.statements.append(sql)
        return self.conn.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self.conn, name)


def test_an_import_of_new_patients_takes_a_few_statements_not_some_per_case(tmp_path):
    files = read_files(_case_files(tmp_path, 120))
    with open_store(tmp_path / "n.db", actor="tester") as store:
        counting = _Counting(store.db.conn)
        store.db.conn = counting  # type: ignore[assignment]  # counts, then hands on
        try:
            apply_import(store, files)
        finally:
            store.db.conn = counting.conn
        assert len(store.case_ids()) == 120
    # Before: eleven a case (1,320). Now each table once, plus lookups and the index (23).
    assert len(counting.statements) <= 25, "\n".join(counting.statements)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_a_crash_while_the_search_trigger_is_off_leaves_it_on(tmp_path):
    """SIGKILL after the trigger was dropped and while the patients are written: the
    file reopens with the trigger and the index exactly as before the import."""
    db = tmp_path / "k.db"
    with open_store(db, actor="tester") as store:
        apply_import(store, read_files(_case_files(tmp_path, 2)))
        before = _state(store)
    files = _case_files(tmp_path, 6, start=50)
    pid = os.fork()
    if pid == 0:  # the child: an import killed in the middle of its batch
        try:
            written = case_batch.insert_rows

            def killed(conn, table, rows):
                if table == "patients":
                    os.kill(os.getpid(), signal.SIGKILL)
                written(conn, table, rows)

            case_batch.insert_rows = killed
            with open_store(db, actor="tester") as store:
                apply_import(store, read_files(files))
        finally:
            os._exit(3)  # never reached when killed
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    with open_store(db, actor="tester") as store:
        assert _state(store) == before
        assert not trigger_faults(store.db)
        apply_import(store, read_files(files))
        assert [c.row.mrn for c in search_cases(store, "q0053")] == ["BATCH0053"]


def test_on_both_backends_an_import_is_found_and_audited_per_case(store, tmp_path):
    """A file writes in batches, a server case by case: the same outcome on each."""
    report = apply_import(store, read_files(_case_files(tmp_path, 5)))
    assert [p.action for p in report.patients] == ["created"] * 5
    assert [c.row.mrn for c in search_cases(store, "angström q0003")] == ["BATCH0003"]
    entries = [e for e in store.audit_log() if e.action == "import_case"]
    assert [e.details for e in entries] == [
        {"mrn": f"BATCH{n:04d}", "system": "urn:mdt-assistant:mrn", "new": True, "version": 1}
        for n in range(5)
    ]
    assert [e.entity_id for e in entries] == store.case_ids()
    assert all(e.actor == "tester" for e in entries)


def test_the_command_line_shows_progress_per_case_while_writing(tmp_path, monkeypatch, capsys):
    from mdt_app import cli
    from mdt_app.commands import import_cases

    class AtOnce(import_cases.Progress):
        def __init__(self, total: int, label: str) -> None:
            super().__init__(total, label, after_seconds=0)

    monkeypatch.setattr(import_cases, "Progress", AtOnce)
    files = _case_files(tmp_path, 3)
    assert cli.main(["--db", str(tmp_path / "p.db"), "import", *files]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "Checking files: 3/3" in err
    assert err[-1] == "Importing: 3/3" and "Importing: 0/3" in err
