"""Drafts kept on this computer while the database is out of reach (issue 19, point 6)."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime

from mdt_app import domain as d
from mdt_app.live.local_drafts import (
    LocalDrafts,
    database_label,
    decision_from_json,
    decision_to_json,
    drafts_dir,
    export_draft,
)


def typed() -> d.Decision:
    return d.Decision(
        case_id=3,
        agenda_item_id=7,
        chosen_options=["SURGERY_R0R1"],
        plan_text="Resection next week; speech therapy before — «ça va»",
        deviation_reason=None,
        actions=[d.Action("Book theatre", "Dr Surgeon", date(2026, 12, 9))],
        created_at=datetime(2026, 12, 2, 9, 0).astimezone(),
        discussed_with_patient_on=date(2026, 12, 1),
        id=12,
        version=4,
    )


def test_every_field_survives_the_file():
    x = typed()
    assert decision_from_json(decision_to_json(x)) == x


def test_a_kept_draft_is_private_atomic_and_found_again(tmp_path):
    drafts = LocalDrafts(tmp_path / "team.db")
    kept = drafts.keep(typed(), reason="locked", meeting_id=2, patient="DOE, Jane", meeting="M")
    assert kept.path is not None and kept.path.parent == drafts_dir()
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(drafts_dir().stat().st_mode) == 0o700
    assert not list(drafts_dir().glob("*.tmp"))
    again = drafts.get(7)
    assert again is not None and again.decision == typed() and again.meeting_id == 2
    assert "DOE, Jane" in again.describe()
    # A second keep replaces the first: one file per agenda item.
    drafts.keep(typed(), reason="locked")
    assert len(drafts.leftovers()) == 1
    assert drafts.discard(7) and drafts.leftovers() == [] and not drafts.discard(7)


def test_drafts_of_another_database_are_not_offered(db_location):
    from tests.backend_helpers import missing

    LocalDrafts(db_location).keep(typed(), reason="gone")  # a file, or a team database
    assert LocalDrafts(missing(db_location)).leftovers() == []
    assert len(LocalDrafts(db_location).leftovers()) == 1


def test_a_damaged_file_is_skipped_not_a_crash(tmp_path):
    drafts = LocalDrafts(tmp_path / "team.db")
    drafts.keep(typed(), reason="gone")
    drafts.file_for(7).write_text("{ half", encoding="utf-8")
    assert drafts.leftovers() == []


def test_export_is_readable_text_naming_the_patient(tmp_path):
    kept = LocalDrafts(tmp_path / "team.db").keep(
        typed(), reason="locked", patient="DOE, Jane · 1950-01-02 · MRN H1", meeting="ATC MDT"
    )
    target = export_draft(kept, tmp_path / "draft.txt", {"SURGERY_R0R1": "Surgery"})
    text = target.read_text(encoding="utf-8")
    assert "DOE, Jane · 1950-01-02 · MRN H1" in text and "Surgery [SURGERY_R0R1]" in text
    assert "Resection next week; speech therapy before — «ça va»" in text
    assert "Book theatre (owner: Dr Surgeon) (due 2026-12-09)" in text
    assert "NOT A SIGNED DECISION" in text
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_server_url_is_named_without_its_password():
    label = database_label("postgresql://chair:secret@db.example:5432/mdt?sslmode=require")
    assert label == "postgresql://chair@db.example:5432/mdt" and "secret" not in label
