"""The minutes' content model: every item in order, decisions, drafts, concordance, pseudonyms."""

from __future__ import annotations

import pytest

from mdt_app import domain as d
from mdt_app.documents.minutes import build_minutes, text
from mdt_app.documents.minutes.pseudonym import (
    KEY_SETTING,
    Pseudonymiser,
    pseudonymise_minutes,
)
from mdt_app.errors import NotFound
from tests.minutes_data import FATES, MEETING_DAY, build_meeting


@pytest.fixture
def minutes(store):
    meeting_id, _ = build_meeting(store)
    return build_minutes(store, meeting_id)


def by_fate(minutes):
    return dict(zip(FATES, minutes.items, strict=True))


def test_every_agenda_item_in_agenda_order(store, minutes):
    assert [e.position for e in minutes.items] == list(range(1, len(FATES) + 1))
    assert [e.status for e in minutes.items] == [
        "discussed",
        "discussed",
        "discussed",
        "queued",
        "deferred",
        "not_discussed",
        "queued",
    ]


def test_signed_decisions_concordance_and_deviation(minutes):
    items = by_fate(minutes)
    assert items["follows"].decision.concordance == "follows"
    deviated = items["deviates"].decision
    assert deviated.concordance == "deviates"
    assert "not-recommended" in deviated.deviation
    assert deviated.deviation_reason == "patient's informed choice after discussion"
    assert deviated.signed_by == "Dr Inés Muñoz-Álvarez"
    assert items["follows"].options.at_decision is True
    assert items["follows"].options.version


def test_amendment_shows_effective_decision_and_the_one_it_replaces(minutes):
    amended = by_fate(minutes)["amended"]
    assert amended.decision.plan_text == "Amended plan: systemic therapy only."
    assert amended.decision.amendment_reason == "patient declined radiotherapy"
    assert len(amended.superseded) == 1
    assert amended.superseded[0].id == amended.decision.amends_decision_id


def test_draft_is_flagged_not_counted_as_decision(minutes):
    drafted = by_fate(minutes)["draft"]
    assert drafted.decision is None
    assert drafted.draft is not None and not drafted.draft.signed
    labels = [label for label, _ in text.entry_rows(drafted)]
    assert "UNSIGNED DRAFT" in labels


def test_deferred_item_names_reason_and_new_date(minutes):
    deferred = by_fate(minutes)["deferred"]
    assert deferred.status_reason == "PET-CT result awaited"
    assert deferred.deferred_to.date.isoformat() == "2026-12-09"
    assert "2026-12-09" in text.status_line(deferred)
    # no decision, so the options are computed for the minutes
    assert deferred.options.at_decision is False
    assert deferred.stage in ("IVA", "IVB", "IVC", "unstageable")


def test_summary_counts(minutes):
    s = minutes.summary
    assert (s.items, s.discussed, s.deferred, s.not_discussed, s.queued) == (7, 3, 1, 1, 2)
    assert s.decisions_signed == 3 and s.amended == 1
    assert [e.position for e in s.unsigned_drafts] == [4]
    assert len(s.followed) == 2 and [e.position for e in s.deviated] == [2]
    summary = dict(text.summary_rows(minutes))
    assert summary["Guideline concordance"][0] == "2 of 3 signed decisions followed the guideline"


def test_quorum_and_attendance(minutes):
    assert minutes.quorum.quorate
    assert len(minutes.attendees) == 6
    assert text.attendee_line(minutes.attendees[-1])[2] == "apologies"


def test_empty_meeting(store):
    meeting_id = store.create_meeting(d.Meeting(date=MEETING_DAY, title="Empty"))
    minutes = build_minutes(store, meeting_id)
    assert minutes.items == () and not minutes.quorum.quorate
    assert minutes.summary.items == 0


def test_unknown_meeting_is_a_clear_error(store):
    with pytest.raises(NotFound, match="no meeting with id 99"):
        build_minutes(store, 99)


def test_pseudonyms_are_stable_and_hide_names_and_mrns(store, minutes):
    first = pseudonymise_minutes(minutes, Pseudonymiser.for_store(store))
    again = pseudonymise_minutes(minutes, Pseudonymiser.for_store(store))
    assert [e.patient for e in first.items] == [e.patient for e in again.items]
    for original, hidden in zip(minutes.items, first.items, strict=True):
        assert hidden.patient.mrn.startswith("PSN-") and hidden.patient.name == hidden.patient.mrn
        assert hidden.patient.birth_date is None
        assert hidden.patient.age == original.patient.age
    plan = by_fate(first)["follows"].decision.plan_text
    assert plan == f"Plan agreed for {first.items[0].patient.name}."
    assert len({e.patient.mrn for e in first.items}) == len(first.items)


def test_pseudonym_key_is_kept_out_of_the_audit_log(store):
    Pseudonymiser.for_store(store)
    key = store.get_setting(KEY_SETTING)
    assert len(key) == 64
    assert all(key not in str(entry.details) for entry in store.audit_log())
    assert any(entry.action == "create_pseudonym_key" for entry in store.audit_log())


def test_scrub_replaces_whole_words_only():
    p = Pseudonymiser(b"k" * 32)
    code = p.pseudonym("H1")
    scrubbed = p.scrub("Ana KOWALSKA (H1) and Anatole; Mrs Kowalska-Nowak", "H1", ("Ana Kowalska",))
    assert scrubbed == f"{code} ({code}) and Anatole; Mrs {code}-Nowak"


def test_a_stated_deviation_the_rule_does_not_see_is_still_reported(store):
    meeting_id, _ = build_meeting(store)
    item = store.agenda(meeting_id)[3]  # the unsigned draft
    draft = store.current_draft(item.id)
    # every recommended option: the plan follows the guideline
    draft.chosen_options = [o["code"] for o in draft.options_snapshot["recommended"]]
    draft.deviation_reason = "reduced dose: frailty (a variation the MDT chose to record)"
    store.sign_decision(store.save_draft(draft).id, "Dr Chair", today=MEETING_DAY)
    minutes = build_minutes(store, meeting_id)
    entry = minutes.items[3]
    assert entry.decision.concordance == "follows"
    assert [e.position for e in minutes.summary.stated_deviations] == [4]
    rows = dict(text.entry_rows(entry))
    assert rows["Stated deviation reason"] == [draft.deviation_reason]
    summary = dict(text.summary_rows(minutes))
    assert "1 more with a deviation reason stated by the MDT" in summary["Guideline concordance"]
    assert draft.deviation_reason in summary["Stated deviation, item 4"][0]
