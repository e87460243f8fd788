"""Meetings, agenda work, referral intake, identity correction, import preview and the
search index in the core (no window)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

from mdt_app import domain as d
from mdt_app import meetings as mt
from mdt_app.casefile import CaseFileError
from mdt_app.errors import UserError, ValidationError
from mdt_app.exchange.importer import apply_import, read_readable
from mdt_app.exchange.report import CREATED, UNCHANGED, UPDATED
from mdt_app.intake import case_from_form, empty_form
from mdt_app.search import fold, search_cases
from mdt_app.store import open_store
from tests.conftest import FIXTURES

TODAY = date.today()


def meeting(store, days: int = 0, **kw) -> int:
    return store.plan_meeting(d.Meeting(date=TODAY + timedelta(days=days), title="MDT", **kw))


def referral(mrn="H1", family="Nowak", **extra) -> d.Case:
    form = {**empty_form(), "patient": {"mrn": mrn, "family_name": family}, **extra}
    return case_from_form(form)


def test_fold_removes_case_and_accents():
    assert fold("Dvořák") == "dvorak"
    assert fold("BJØRNSTAD Łukasiewicz Straße Æsir") == "bjornstad lukasiewicz strasse aesir"


def test_the_search_index_follows_renames_and_new_patients(store):
    m = meeting(store)
    case_id = store.add_referral(referral("H1", "Dvořák"), meeting_id=m)
    assert [h.row.id for h in search_cases(store, "dvorak")] == [case_id]
    patient = store.get_case(case_id).patient
    patient.family_name = "Novák"
    store.edit_identity(patient, "spelling corrected by the patient")
    assert search_cases(store, "dvorak") == []
    assert [h.row.id for h in search_cases(store, "novak")] == [case_id]
    [entry] = store.audit_log("patient", patient.id)
    assert entry.action == "edit_identity"
    assert entry.details["changes"]["family_name"] == {"from": "Dvořák", "to": "Novák"}
    assert entry.details["reason"] == "spelling corrected by the patient"


def test_identity_correction_is_checked_by_the_case_file_rules(store):
    case_id = store.add_referral(referral("H1"), meeting_id=None)
    store.add_referral(referral("H2", "Other"), meeting_id=None)
    patient = store.get_case(case_id).patient
    with pytest.raises(ValidationError, match="needs a reason"):
        store.edit_identity(patient, " ")
    patient.birth_date = TODAY + timedelta(days=1)
    with pytest.raises(CaseFileError, match="patient.birth_date"):
        store.edit_identity(patient, "typo")
    patient.birth_date = None
    patient.mrn = "H2"
    with pytest.raises(ValidationError, match="already belongs to"):
        store.edit_identity(patient, "typo")


def test_referral_for_a_known_patient_is_a_new_case(store):
    m = meeting(store)
    first = store.add_referral(referral("H1"), meeting_id=m)
    with pytest.raises(ValidationError, match="already belongs to"):
        store.add_referral(referral("H1"), meeting_id=m)
    pid = store.get_case(first).patient.id
    second = store.add_referral(referral("H1", phase="progression"), meeting_id=m,
                                patient_id=pid)  # fmt: skip
    assert second != first and store.get_case(second).phase == "progression"
    assert [i.case_id for i in store.agenda(m)] == [first, second]
    with pytest.raises(ValidationError, match="not"):
        store.add_referral(referral("H9"), meeting_id=m, patient_id=pid)


def test_the_intake_form_uses_the_import_rules():
    with pytest.raises(CaseFileError, match="field 'tnm.t'"):
        case_from_form({**empty_form(), "patient": {"mrn": "X", "family_name": "Y"},
                        "tnm": {"t": "T9"}})  # fmt: skip
    with pytest.raises(CaseFileError, match="patient.mrn"):
        case_from_form(empty_form())


def test_an_unfinished_form_is_kept_per_user(db_location):
    path = db_location
    with open_store(path, actor="nurse") as s:
        s.save_intake_draft({"form": {"patient": {"family_name": "Half"}}})
    with open_store(path, actor="nurse") as s:
        assert s.intake_draft() == {"form": {"patient": {"family_name": "Half"}}}
    with open_store(path, actor="other") as s:
        assert s.intake_draft() is None
    with open_store(path, actor="nurse") as s:
        s.add_referral(referral(), meeting_id=None)  # saving the referral ends the draft
        assert s.intake_draft() is None


def test_move_and_remove_only_without_a_decision_and_audited(store):
    a, b = meeting(store), meeting(store, 7)
    case_id = store.add_referral(referral(), meeting_id=a)
    other = store.add_referral(referral("H2", "Second"), meeting_id=a)
    item = store.agenda(a)[0]
    with pytest.raises(ValidationError, match="needs a reason"):
        store.move_to_meeting(item.id, b, "")
    moved = store.move_to_meeting(item.id, b, "queued on the wrong week")
    assert moved.meeting_id == b and [i.case_id for i in store.agenda(a)] == [other]
    assert store.agenda(a)[0].position == 1  # the others close up
    store.remove_from_agenda(moved.id, "referral withdrawn")
    assert store.agenda(b) == []
    actions = [e.action for e in store.audit_log("agenda_item")]
    assert "move_to_meeting" in actions and "remove_from_agenda" in actions
    kept = store.agenda(a)[0]
    store.save_draft(d.Decision(case_id=other, agenda_item_id=kept.id, plan_text="x"))
    with pytest.raises(ValidationError, match="decision recorded"):
        store.remove_from_agenda(kept.id, "mistake")
    assert case_id  # the case itself stays in the archive


def test_defer_to_a_new_date_creates_the_meeting(store):
    a = meeting(store, chair="Dr C", start_time="08:00")
    store.add_referral(referral(), meeting_id=a)
    item = store.agenda(a)[0]
    new_item = store.defer_to_date(item.id, TODAY + timedelta(days=21), "awaiting PET")
    target = store.get_meeting(new_item.meeting_id)
    assert target.date == TODAY + timedelta(days=21) and target.chair == "Dr C"
    assert store.get_agenda_item(item.id).status == "deferred"


def test_close_marks_carries_and_makes_final(store):
    a, b = meeting(store), meeting(store, 7)
    store.add_referral(referral("H1"), meeting_id=a)
    store.add_referral(referral("H2", "Two"), meeting_id=a)
    first, second = store.agenda(a)
    draft = store.save_draft(d.Decision(case_id=first.case_id, agenda_item_id=first.id,
                                        plan_text="half-written plan"))  # fmt: skip
    report = store.close_meeting(a, {first.id: "patient unwell"})
    moved = store.get_decision(draft.id)
    assert moved.plan_text == "half-written plan"
    assert store.get_agenda_item(moved.agenda_item_id).meeting_id == b  # went with the case
    assert [c.reason for c in report.carried] == ["patient unwell", mt.DEFAULT_CARRY_REASON]
    assert all(c.to_meeting and c.to_meeting.id == b for c in report.carried)
    closed = store.get_meeting(a)
    assert closed.status == "closed" and closed.closed_by == "tester" and closed.closed_at
    assert [i.status for i in store.agenda(a)] == ["not_discussed"] * 2
    with pytest.raises(ValidationError, match="already closed"):
        store.close_meeting(a)
    with pytest.raises(ValidationError, match="can no longer change"):
        store.edit_meeting(closed)


def test_cancel_refuses_a_meeting_with_signed_decisions(demo_store):
    done = next(m for m in demo_store.list_meetings() if m.status == "in_progress")
    with pytest.raises(ValidationError, match="signed decisions"):
        demo_store.cancel_meeting(done.id, "fire drill")


def test_meeting_choices_and_finder(store):
    ids = [meeting(store, days) for days in (-400, -30, -1, 0, 5, 60)]
    choices = store.meeting_choices(TODAY, upcoming=2, recent=2)
    assert [m.id for m in choices] == [ids[3], ids[4], ids[2], ids[1]]
    old = (TODAY - timedelta(days=400)).isoformat()
    assert [m.id for m in store.find_meetings(old[:7])] == [ids[0]]
    assert len(store.find_meetings("md")) == 6
    assert store.find_meetings("  ") == []


def test_cancelled_is_a_status_of_an_upgraded_database(tmp_path):
    """An older database (before m130) migrates; its meetings, agenda and FKs survive."""
    from mdt_app.store import schema

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from sqlite_utils import Database

    db = Database(conn)
    stop = [n for n in (m.name for m in schema.migrations._migrations) if n.startswith("m130")]
    schema.migrations.apply(db, stop_before=stop[0])
    stamp = "2026-01-01T00:00:00"
    db.execute("INSERT INTO meetings (date, title, status, created_at) VALUES"
               " ('2026-01-05', 'Old', 'planned', ?)", [stamp])  # fmt: skip
    db.execute("INSERT INTO patients (mrn, family_name, created_at, updated_at)"
               " VALUES ('P1', 'Ødegård', ?, ?)", [stamp, stamp])  # fmt: skip
    db.execute("INSERT INTO cases (patient_id, created_at, updated_at) VALUES (1, ?, ?)",
               [stamp, stamp])  # fmt: skip
    db.execute("INSERT INTO agenda_items (meeting_id, case_id, position, added_at)"
               " VALUES (1, 1, 1, ?)", [stamp])  # fmt: skip
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.get_meeting(1).title == "Old"
        assert [h.row.mrn for h in search_cases(store, "odegard")] == ["P1"]
        store.cancel_meeting(1, "moved")
        assert store.get_meeting(1).status == "cancelled"
        assert store.query("PRAGMA foreign_key_check") == []


def test_import_preview_writes_nothing_until_applied(store, tmp_path):
    m = meeting(store)
    two = FIXTURES / "import" / "two_cases.json"
    fhir = FIXTURES / "import" / "fhir_bundle.json"
    paths = [two, fhir]
    files, refused = read_readable(paths)
    preview = apply_import(store, files, dry_run=True)
    assert [p.action for p in preview.patients] == [CREATED] * 4 and refused == []
    assert store.case_ids() == [] and "Would import 4 case(s)" in preview.summary()
    report = apply_import(store, read_readable(paths)[0], meeting_id=m, expect=preview)
    assert report.outcome() == preview.outcome() and len(store.agenda(m)) == 4
    changed = json.loads(two.read_text())
    changed[0]["patient"]["family_name"] = "Dvořáková"
    changed[0]["tnm"]["n"] = "N1a"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "mdt-case/1", "patient": {"mrn": "Q", "family_name": "Z"},'
                      ' "ecog": 7}', encoding="utf-8")  # fmt: skip
    files, refused = read_readable([path, broken])
    before = store.get_case(store.find_case_by_mrn("B-100"))
    preview = apply_import(store, files, dry_run=True)
    assert store.get_case(store.find_case_by_mrn("B-100")) == before  # rolled back
    by_mrn = {p.mrn: p for p in preview.patients}
    assert by_mrn["B-100"].action == UPDATED
    assert "family name: Dvořák → Dvořáková" in by_mrn["B-100"].changes
    assert any(c.startswith("tnm:") for c in by_mrn["B-100"].changes)
    assert by_mrn["B-101"].action == UNCHANGED
    [(where, why)] = refused
    assert where == str(broken) and "broken.json" in why and "field 'ecog'" in why
    # The file changes between the preview and the confirmation: refused, nothing written.
    changed[0]["tnm"]["n"] = "N1b"
    path.write_text(json.dumps(changed), encoding="utf-8")
    with pytest.raises(ValidationError, match="changed since the report"):
        apply_import(store, read_readable([path])[0], expect=preview)
    assert store.get_case(store.find_case_by_mrn("B-100")) == before
    # A closed meeting is refused before anything is written, as on the CLI.
    store.db.execute("UPDATE meetings SET status = 'closed' WHERE id = ?", [m])
    with pytest.raises(UserError):
        apply_import(store, read_readable([path])[0], meeting_id=m)
    assert store.get_case(store.find_case_by_mrn("B-100")) == before


def test_minutes_show_consent_and_pseudonymised_ones_leave_out_registry_refusals(store):
    from mdt_app.documents.minutes.build import build_minutes
    from mdt_app.documents.minutes.pseudonym import Pseudonymiser, pseudonymise_minutes

    m = meeting(store)
    consent = {"discussion": "given", "registry": "refused", "recorded_on": TODAY.isoformat(),
               "recorded_by": "Nurse N"}  # fmt: skip
    store.add_referral(referral("H1", consent=consent), meeting_id=m)
    store.add_referral(referral("H2", "Kept"), meeting_id=m)
    minutes = build_minutes(store, m)
    facts = [dict(e.facts)["Consent"] for e in minutes.items]
    assert facts[0].startswith("discussion and care given; registry use refused")
    assert "by Nurse N" in facts[0] and facts[1] == "not recorded"
    pseudo = pseudonymise_minutes(minutes, Pseudonymiser.for_store(store))
    assert len(pseudo.items) == 1 and pseudo.withheld == 1
