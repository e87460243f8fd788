"""Typed statuses and option lists (issue 12): the stored and printed text is what it was,
every status has its words in the one table, and a stored snapshot reads as a dataclass."""

from __future__ import annotations

import json

from mdt_app import domain as d
from mdt_app import wording
from mdt_app.snapshot import OptionsSnapshot


def test_the_stored_values_are_the_same_strings():
    assert d.AGENDA_STATUSES == ("queued", "discussed", "deferred", "not_discussed")
    assert d.DECISION_STATUSES == ("draft", "signed")
    assert d.MEETING_STATUSES == ("planned", "in_progress", "closed")
    assert d.MEETING_CANCELLED == "cancelled"
    assert d.OPTION_LISTS == ("recommended", "consider", "not_recommended", "missing")
    assert json.dumps({"s": d.MeetingStatus.IN_PROGRESS}) == '{"s": "in_progress"}'
    assert d.AgendaStatus.DECIDED == "decided" and str(d.OptionList.MISSING) == "missing"


def test_every_status_has_its_words():
    assert set(wording.AGENDA_STATUS_WORDS) == set(d.AgendaStatus)
    assert set(wording.MEETING_STATUS_WORDS) == set(d.MeetingStatus)
    assert wording.MEETING_STATUS_WORDS[d.MeetingStatus.IN_PROGRESS] == "in progress"


def test_one_table_words_a_value_for_each_reader():
    assert wording.VALUE_WORDS["new"] == "new diagnosis"  # on screen
    assert wording.minutes_word("core_biopsy") == "core biopsy"  # the minutes
    assert wording.minutes_word("unknown") == "not known"  # never a negative
    assert wording.minutes_word(None) == "not known"
    assert wording.PHASE["new"] == "new case"  # a rationale's phrase
    assert dict(wording.DRIVERS)["braf_v600e"] == wording.BIOMARKER_NAMES["braf_v600e"]


def test_a_stored_snapshot_reads_as_a_dataclass_and_back():
    rec = d.Recommendation(
        stage="IVB", stage_basis="T4a N1b M0", guideline_id="atc", guideline_title="ATC",
        guideline_version="2.0",
        recommended=(d.Option("SURGERY", "Surgery", "resectable", ("ATA 2021",)),),
        not_recommended=(d.Option("RAI", "Radioactive iodine", "no uptake"),),
    )  # fmt: skip
    stored = json.loads(json.dumps(rec.as_dict()))
    snap = OptionsSnapshot.of(stored)
    assert snap is not None and snap.guideline_version == "2.0" and snap.stage == "IVB"
    assert snap.codes(d.OptionList.RECOMMENDED) == ["SURGERY"]
    assert snap.list_of("RAI") is d.OptionList.NOT_RECOMMENDED
    assert snap.titles() == {"SURGERY": "Surgery", "RAI": "Radioactive iodine"}
    assert snap.options(d.OptionList.RECOMMENDED)[0].sources == ("ATA 2021",)
    assert snap.as_dict() == stored  # the stored form never changes
    assert OptionsSnapshot.of(snap) is snap and OptionsSnapshot.of(None) is None
    assert OptionsSnapshot.of({}) is None
