"""Minutes CSV: documented header, one row per agenda item, pseudonymised without identifiers."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mdt_app.documents.minutes import build_minutes, export_minutes
from mdt_app.documents.minutes.csv import COLUMNS, HEADER
from tests.minutes_data import build_meeting

DOC = Path(__file__).resolve().parent.parent / "docs" / "minutes-csv.md"


@pytest.fixture
def meeting(store):
    meeting_id, _ = build_meeting(store)
    return meeting_id


def read(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_header_and_one_row_per_item(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    rows = read(export_minutes(store, meeting, tmp_path / "m.csv"))
    assert tuple(rows[0]) == HEADER
    body = [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]
    assert len(body) == len(minutes.items)
    assert [r["position"] for r in body] == [str(e.position) for e in minutes.items]
    assert [r["patient_name"] for r in body] == [e.patient.name for e in minutes.items]
    assert [r["agenda_status"] for r in body][4:6] == ["deferred", "not_discussed"]
    deferred = body[4]
    assert deferred["status_reason"] == "PET-CT result awaited"
    assert deferred["deferred_to_date"] == "2026-12-09"
    assert [r["decision_status"] for r in body[:4]] == ["signed", "signed", "amended", "draft"]
    assert [r["concordance"] for r in body[:3]] == ["follows", "deviates", "follows"]
    assert body[1]["deviation_reason"] == "patient's informed choice after discussion"
    assert body[3]["unsigned_draft"] == "yes" and body[3]["chosen_options"] == ""
    assert body[0]["actions"] == "Book CT chest (owner: Dr Søren Kjærgaard; due: 2026-12-02)"


def test_file_is_utf8_with_bom_and_crlf(store, meeting, tmp_path):
    raw = export_minutes(store, meeting, tmp_path / "m.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfmeeting_id,")
    assert raw.count(b"\r\n") == len(build_minutes(store, meeting).items) + 1
    assert "Zoë Müller".encode() in raw


def test_every_column_is_documented_in_order():
    documented = re.findall(r"^\| \d+ \| `(\w+)` \| (.+) \|$", DOC.read_text(), re.MULTILINE)
    assert [name for name, _ in documented] == list(HEADER)
    assert all(meaning.strip() for _, meaning in COLUMNS)


def test_pseudonymised_csv_has_no_name_or_mrn(store, meeting, tmp_path):
    minutes = build_minutes(store, meeting)
    path = export_minutes(store, meeting, tmp_path / "p.csv", pseudonymise=True)
    content = path.read_text(encoding="utf-8-sig")
    for entry in minutes.items:
        family = entry.patient.name.split()[-1]
        for identifier in (entry.patient.name, family, entry.patient.mrn):
            assert identifier.lower() not in content.lower(), identifier
        assert str(entry.patient.birth_date) not in content
    body = [dict(zip(HEADER, r, strict=True)) for r in read(path)[1:]]
    assert len(body) == len(minutes.items)
    assert all(re.fullmatch(r"PSN-[0-9A-F]{10}", r["mrn"]) for r in body)
    assert all(r["patient_name"] == r["mrn"] and r["birth_date"] == "" for r in body)
    assert body[0]["plan"] == f"Plan agreed for {body[0]['mrn']}."


def test_pseudonyms_are_stable_across_exports(store, meeting, tmp_path):
    first = read(export_minutes(store, meeting, tmp_path / "a.csv", pseudonymise=True))
    second = read(export_minutes(store, meeting, tmp_path / "b.csv", pseudonymise=True))
    column = HEADER.index("mrn")
    assert [r[column] for r in first[1:]] == [r[column] for r in second[1:]]


def test_formula_like_text_is_made_inert(store, meeting, tmp_path):
    item = store.agenda(meeting)[5]  # the not-discussed one
    store.set_agenda_status(item.id, "not_discussed", '=HYPERLINK("http://x","click")')
    body = read(export_minutes(store, meeting, tmp_path / "m.csv"))[6]
    assert body[HEADER.index("status_reason")] == '\'=HYPERLINK("http://x","click")'


def test_consent_to_discussion_column(store, meeting, tmp_path):
    from datetime import date

    from mdt_app import domain as d

    first = store.agenda(meeting)[0]
    case = store.get_case(first.case_id)
    case.consent = d.Consent(discussion="given", registry="given", recorded_on=date(2026, 11, 2))
    store.update_case(case)
    second = store.get_case(store.agenda(meeting)[1].case_id)
    assert second.consent.discussion is None  # not recorded: an empty cell, never "given"
    rows = read(export_minutes(store, meeting, tmp_path / "m.csv"))
    body = [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]
    assert (body[0]["consent_discussion"], body[0]["consent_recorded_on"]) == (
        "given",
        "2026-11-02",
    )
    assert (body[1]["consent_discussion"], body[1]["consent_recorded_on"]) == ("", "")
    pseudo = read(export_minutes(store, meeting, tmp_path / "p.csv", pseudonymise=True))
    row = dict(zip(HEADER, pseudo[1], strict=True))
    assert (row["consent_discussion"], row["consent_recorded_on"]) == ("given", "")
