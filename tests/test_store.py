"""The case store: upsert by MRN, atomic writes, signed decisions protected, bad files refused."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from mdt_app import domain as d
from mdt_app.casefile import read_case_file
from mdt_app.errors import SignedDecisionError, StoreError, ValidationError
from mdt_app.store import open_store
from tests.conftest import FIXTURES
from tests.store_helpers import REFUSED_BY_DATABASE, row_count


def _import(store, case):
    with store.atomic():
        return store.import_case(case)


@pytest.fixture
def case():
    return read_case_file(FIXTURES / "import" / "valid_case.json")[0]


@pytest.fixture
def item(store, case):
    case_id, _ = _import(store, case)
    meeting_id = store.create_meeting(d.Meeting(date=MEETING_DAY, title="ATC MDT"))
    store.set_attendance(meeting_id, QUORATE)
    return store.add_to_agenda(meeting_id, case_id)


MEETING_DAY = date(2026, 11, 25)
QUORATE = [
    d.Attendee("Dr Surgeon", "surgeon"),
    d.Attendee("Dr Oncologist", "medical oncologist"),
    d.Attendee("Dr Endocrinologist", "endocrinologist"),
]


def _draft(item, **changes):
    values = dict(
        case_id=item.case_id,
        agenda_item_id=item.id,
        chosen_options=["SURGERY_R0R1"],
        guideline_id="atc",
        guideline_version="test-1",
        options_snapshot={"recommended": [{"code": "SURGERY_R0R1"}], "not_recommended": []},
    )
    values.update(changes)
    return d.Decision(**values)


def test_foreign_keys_and_wal_are_on(sqlite_store):
    assert sqlite_store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert sqlite_store.db.journal_mode == "wal"


def test_references_are_enforced(store):
    with pytest.raises(StoreError), store.atomic():
        store.db.execute(
            "INSERT INTO agenda_items (meeting_id, case_id, position, added_at)"
            " VALUES (999, 999, 1, 'x')"
        )


def test_import_same_case_twice_changes_nothing(store, case):
    first = _import(store, case)
    second = _import(store, case)
    assert first == (first[0], True)
    assert second == (first[0], False)
    assert row_count(store, "patients") == 1
    assert row_count(store, "imaging") == 2
    assert row_count(store, "labs") == 2


def test_import_existing_mrn_updates_patient(store, case):
    case_id, _ = _import(store, case)
    case.patient.family_name = "Kowalska"
    case.tnm.m = "M1"
    case.metastases.sites = ["lung"]
    assert _import(store, case) == (case_id, True)
    assert row_count(store, "patients") == 1
    stored = store.get_case(case_id)
    assert stored.patient.family_name == "Kowalska"
    assert stored.tnm.m == "M1"


def test_case_round_trips_with_unicode_and_unknowns(store, case):
    case.ecog = None
    case.biomarkers.ntrk_fusion = "unknown"
    case_id, _ = _import(store, case)
    stored = store.get_case(case_id)
    assert stored.patient.display_name == "Zoë Łukasiewicz-Ångström"
    assert stored.ecog is None
    assert stored.brain_imaging_done is True
    assert stored.imaging[0].date > stored.imaging[1].date  # newest first


def test_signed_decision_is_read_only_even_to_raw_sql(store, item):
    draft = store.save_draft(_draft(item, actions=[d.Action("Book theatre")]))
    signed = store.sign_decision(draft.id, "Dr Chair", today=MEETING_DAY)
    assert signed.signed_by == "Dr Chair" and signed.signed_at is not None
    assert store.get_agenda_item(item.id).status == "discussed"
    with pytest.raises(REFUSED_BY_DATABASE, match="signed decision"):
        store.db.execute("UPDATE decisions SET plan_text = 'x' WHERE id = ?", [signed.id])
    with pytest.raises(REFUSED_BY_DATABASE):
        store.db.execute("DELETE FROM decisions WHERE id = ?", [signed.id])
    with pytest.raises(REFUSED_BY_DATABASE):
        store.db.execute("DELETE FROM actions WHERE decision_id = ?", [signed.id])
    with pytest.raises(SignedDecisionError):
        store.save_draft(signed)


def test_amendment_keeps_the_original(store, item):
    original = store.sign_decision(
        store.save_draft(_draft(item, actions=[d.Action("Book theatre", "Surgeon")])).id,
        "Dr Chair",
        today=MEETING_DAY,
    )
    amendment = store.start_amendment(original.id, "new imaging")
    assert amendment.amends_decision_id == original.id
    assert [a.description for a in amendment.actions] == ["Book theatre"]
    amendment.plan_text = "changed"
    store.sign_decision(store.save_draft(amendment).id, "Dr Chair", today=MEETING_DAY)
    records = store.decisions_for_item(item.id)
    assert [r.plan_text for r in records] == ["", "changed"]
    assert store.get_decision(original.id) == original
    assert store.decision_status(item.id) == "amended"
    # The amendment is the decision in force, of the item and of the case (signed in the
    # same second as the original, it wins by its id).
    latest = records[-1]
    assert store.effective_decision(item.id) == latest
    assert store.latest_signed_decision_for_case(item.case_id) == latest
    assert store.effective_decision(item.id + 1000) is None
    assert store.latest_signed_decision_for_case(item.case_id + 1000) is None


def test_deviation_needs_a_reason_before_sign_off(store, item):
    draft = store.save_draft(_draft(item, chosen_options=["PALLIATIVE_RT"]))
    with pytest.raises(ValidationError, match="reason for the deviation"):
        store.sign_decision(draft.id, "Dr Chair", today=MEETING_DAY)
    draft.deviation_reason = "Patient unfit for surgery"
    assert store.sign_decision(store.save_draft(draft).id, "Dr Chair", today=MEETING_DAY).is_signed


def test_audit_log_is_append_only(store, item):
    entries = store.audit_log()
    assert [e.action for e in entries][-1] == "add_to_agenda"
    with pytest.raises(REFUSED_BY_DATABASE):
        store.db.execute("DELETE FROM audit_log")
    with pytest.raises(REFUSED_BY_DATABASE):
        store.db.execute("UPDATE audit_log SET actor = 'x'")


def test_agenda_move_and_defer(store, case):
    ids = []
    for mrn in ("A1", "A2", "A3"):
        case.patient.mrn = mrn
        ids.append(_import(store, case)[0])
    m1 = store.create_meeting(d.Meeting(date=date(2026, 11, 25), title="One"))
    m2 = store.create_meeting(d.Meeting(date=date(2026, 12, 9), title="Two"))
    items = [store.add_to_agenda(m1, i) for i in ids]
    store.move_agenda_item(items[2].id, 1)
    assert [i.case_id for i in store.agenda(m1)] == [ids[2], ids[0], ids[1]]
    new = store.defer(items[0].id, m2, "awaiting PET")
    assert store.get_agenda_item(items[0].id).status == "deferred"
    assert new.meeting_id == m2 and new.status == "queued"
    with pytest.raises(ValidationError):
        store.defer(items[1].id, m2, "  ")


def test_not_a_database_is_refused(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("hello, this is not SQLite", encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite file"):
        open_store(bad)
    assert bad.read_text(encoding="utf-8") == "hello, this is not SQLite"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # nothing left beside it


def test_other_programs_database_is_refused(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        open_store(other)


def test_corrupt_database_is_refused(tmp_path, case):
    path = tmp_path / "c.db"
    s = open_store(path)
    for i in range(200):
        case.patient.mrn = f"M{i}"
        _import(s, case)
    s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 2000] = b"\x00\xff" * 1000
    path.write_bytes(bytes(data))
    # A cleanly closed file is not fully checked on every open (issue 11): the damage is
    # reported, in one line, by the first read that meets it.
    with pytest.raises(StoreError, match="damaged"), open_store(path) as again:
        for i in range(200):
            again.find_case_by_mrn(f"M{i}")  # the damaged page is the identifier index


def test_locked_database_gives_a_clear_message(tmp_path, case):
    path = tmp_path / "l.db"
    a = open_store(path)
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    a.db.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            _import(a, case)
    finally:
        other.rollback()
        other.close()
        a.close()


def test_backup_copy_before_migrating(tmp_path, monkeypatch):
    from mdt_app.store import schema

    path = tmp_path / "m.db"
    open_store(path).close()

    @schema.migrations(name="m999_test_only")
    def _extra(db):
        db.execute("CREATE TABLE extra (x)")

    try:
        open_store(path).close()
        backups = list(tmp_path.glob("m.db.before-migration-*.bak"))
        assert len(backups) == 1
        conn = sqlite3.connect(backups[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        conn.close()
        assert "patients" in tables and "extra" not in tables
    finally:
        schema.migrations._migrations.pop()


def test_care_framework_options_alone_do_not_follow_the_guideline():
    from mdt_app.decision_rules import deviation

    snapshot = {
        "recommended": [
            {"code": "GOALS_OF_CARE", "title": "Goals-of-care discussion"},
            {"code": "SURGERY_R0R1", "title": "Surgery aiming at R0/R1"},
        ],
        "not_recommended": [{"code": "RAI", "title": "Radioactive iodine"}],
    }
    only_framework = d.Decision(case_id=1, agenda_item_id=1, chosen_options=["GOALS_OF_CARE"])
    found = deviation(only_framework, snapshot)
    assert found is not None and found.kind == "no_recommended_treatment"
    assert found.codes == ("SURGERY_R0R1",)  # the missing treatment, not the framework
    assert (
        str(found)
        == "the plan includes none of the recommended treatments: Surgery aiming at R0/R1"
    )
    surgery = d.Decision(case_id=1, agenda_item_id=1, chosen_options=["SURGERY_R0R1"])
    assert deviation(surgery, snapshot) is None
    framework_only_guideline = {"recommended": [{"code": "PALLIATIVE_CARE"}]}
    palliative = d.Decision(case_id=1, agenda_item_id=1, chosen_options=["PALLIATIVE_CARE"])
    assert deviation(palliative, framework_only_guideline) is None
    rai = d.Decision(case_id=1, agenda_item_id=1, chosen_options=["SURGERY_R0R1", "RAI"])
    assert "not-recommended option: Radioactive iodine" in str(deviation(rai, snapshot))
    assert "RAI" not in str(deviation(rai, snapshot))
