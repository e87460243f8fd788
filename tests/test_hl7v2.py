"""HL7 v2 (v2.5-style messages) through `mdt-app import`: ADT, A40 merges, ORU results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mdt_app.casefile import CaseFileError
from mdt_app.exchange.importer import import_files, read_file
from mdt_app.exchange.records import notes
from mdt_app.exchange.report import CREATED, NOT_IMPORTED, UNCHANGED, UPDATED
from tests import backend_helpers
from tests.conftest import FIXTURES

HL7 = FIXTURES / "hl7"
ADT = HL7 / "adt_a01_a08.hl7"
ORU = HL7 / "oru_r01.hl7"
A40 = HL7 / "adt_a40.hl7"
DEAD = HL7 / "adt_a28_deceased.hl7"
BUNDLE = FIXTURES / "import" / "fhir_bundle.json"  # Zoë H123456 and Jan H200002, both ATC


def run(capsys, *argv: str) -> tuple[int, str, str]:
    from mdt_app.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(db: Path | str) -> str:
    return backend_helpers.digest(db)


def write(tmp_path: Path, *segments: str, name: str = "m.hl7") -> Path:
    path = tmp_path / name
    path.write_bytes("\r".join(segments).encode("utf-8") + b"\r")
    return path


MSH = "MSH|^~\\&|PAS|NORTHGEN|MDT|NORTHGEN|20261102081500||{}|C{}|P|2.5"


def test_adt_for_a_patient_not_stored_needs_include_non_atc(store):
    report = import_files(store, [ADT])
    assert {p.action for p in report.patients} == {NOT_IMPORTED}
    assert "--include-non-atc" in (report.patients[0].reason or "")
    report = import_files(store, [ADT], include_non_atc=True)
    assert [p.action for p in report.patients] == [CREATED, UPDATED]
    case = store.get_case(report.patients[0].case_id)
    assert case.diagnosis.histology is None  # ADT says nothing about the cancer
    assert (case.patient.family_name, case.patient.given_name) == (
        "Łukasiewicz-Ångström",
        "Zoë Maria",
    )


def test_adt_updates_demographics_and_keeps_the_clinical_case(store):
    import_files(store, [BUNDLE])
    before = store.get_case(store.find_case_by_mrn("H123456"))
    report = import_files(store, [ADT])
    assert [p.action for p in report.patients] == [UPDATED, UPDATED]
    after = store.get_case(before.id)
    assert after.patient.given_name == "Zoë Maria" and after.patient.preferred_language == "pl"
    assert (after.tnm, after.diagnosis, after.biomarkers) == (
        before.tnm,
        before.diagnosis,
        before.biomarkers,
    )
    assert after.labs == before.labs and after.imaging == before.imaging


def test_oru_labs_imaging_and_pathology_note(store):
    import_files(store, [BUNDLE])
    case_id = store.find_case_by_mrn("H123456")
    report = import_files(store, [ORU])
    (p,) = report.patients
    assert p.action == UPDATED
    case = store.get_case(case_id)
    ft4 = [x for x in case.labs if x.test == "free T4"]
    assert ft4 and (ft4[0].value, ft4[0].unit, ft4[0].low, ft4[0].high) == (18.5, "pmol/L", 12, 22)
    assert ft4[0].date == date(2026, 11, 4)
    ct = [i for i in case.imaging if i.date == date(2026, 11, 3)]
    assert ct and ct[0].modality == "CT" and ct[0].region == "CT neck with contrast"
    assert ct[0].summary.startswith("6 cm left thyroid mass")
    (note,) = notes(store, case_id, "histology")
    assert "Anaplastic (undifferentiated) thyroid carcinoma" in note.text
    skipped = dict(p.skipped)
    assert "not one of the tests" in skipped["OBR 1 / OBX 4"]  # glucose
    assert "comparator" in skipped["OBR 1 / OBX 5"]
    # the same message again changes nothing
    (again,) = import_files(store, [ORU]).patients
    assert again.action == UNCHANGED
    assert len(notes(store, case_id)) == 1


def test_a40_renames_or_merges_and_keeps_cases(store, tmp_path):
    import_files(store, [BUNDLE])
    jan = store.find_case_by_mrn("H200002")
    report = import_files(store, [A40])
    assert "renamed H999001" in report.files[0].events[0]
    assert store.find_case_by_mrn("H999001") == jan and store.find_case_by_mrn("H200002") is None
    # merging into a patient who exists: the prior patient's cases move across
    path = write(
        tmp_path,
        MSH.format("ADT^A40^ADT_A39", 9),
        "PID|1||H123456^^^NORTHGEN^MR||Łukasiewicz-Ångström^Zoë||19510402|F",
        "MRG|H999001^^^NORTHGEN^MR",
    )
    report = import_files(store, [path])
    assert "merged into H123456: 1 case(s) moved" in report.files[0].events[0]
    rows = store.query("SELECT mrn FROM patients ORDER BY mrn")
    assert [r["mrn"] for r in rows] == ["H123456"]
    assert any(e.action == "merge_patients" for e in store.audit_log())


def test_deceased_patient_needs_include_deceased(store):
    (p,) = import_files(store, [DEAD], include_non_atc=True).patients
    assert p.action == NOT_IMPORTED and "died" in (p.reason or "")
    (p,) = import_files(store, [DEAD], include_non_atc=True, include_deceased=True).patients
    assert p.action == CREATED


def test_assigning_authority_chooses_the_mrn(store, tmp_path):
    path = write(
        tmp_path,
        MSH.format("ADT^A04^ADT_A01", 1),
        "PID|1||555^^^OTHERHOSP^MR~H777^^^NORTHGEN^MR||Novak^Eva||19600101|F",
    )
    (p,) = import_files(
        store, [path], include_non_atc=True, assigning_authority="NORTHGEN"
    ).patients
    assert p.mrn == "H777"
    store.set_setting("centre", {"name": "N", "hl7_assigning_authority": "ELSEWHERE"})
    (p,) = import_files(store, [path], include_non_atc=True).patients
    assert p.action == NOT_IMPORTED and "assigning authority ELSEWHERE" in (p.reason or "")


@pytest.mark.parametrize(
    ("segments", "message"),
    [
        ((MSH.format("ADT^A01^ADT_A01", 1),), "field PID: a ADT^A01 message needs a PID"),
        (
            (MSH.format("ADT^A01^ADT_A01", 1), "PID|1||H1^^^N^MR||Doe^J||19511402|F"),
            "field PID-7: '19511402' is not a valid date",
        ),
        (
            (MSH.format("ADT^A01^ADT_A01", 1), "PID|1||H1^^^N^MR||Doe^J||19510402|Q"),
            "field PID-8: 'Q' is not one of",
        ),
        (
            (MSH.format("SIU^S12^SIU_S12", 1), "PID|1||H1^^^N^MR||Doe^J"),
            "field MSH-9: SIU^S12 is not read",
        ),
        (
            (MSH.format("ADT^A40^ADT_A39", 1), "PID|1||H1^^^N^MR||Doe^J"),
            "field MRG: an A40 merge needs an MRG segment",
        ),
        (("PID|1||H1",), "starts with a 'PID' segment, not MSH"),
    ],
)
def test_bad_messages_are_refused_in_one_line(tmp_path, segments, message):
    path = write(tmp_path, *segments)
    with pytest.raises(CaseFileError) as refused:
        read_file(path)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_cli_all_or_nothing(tmp_path, db_location, capsys):
    db = db_location
    code, _, err = run(capsys, "import", str(BUNDLE), "--db", str(db))
    assert code == 0, err
    before = digest(db)
    bad = write(tmp_path, MSH.format("ADT^A08^ADT_A01", 1), "PID|1||H123456^^^N^MR||^||2051")
    code, out, err = run(capsys, "import", str(ORU), str(bad), "--db", str(db))
    assert code != 0 and "m.hl7: message 1: field PID-5" in err and "Traceback" not in err
    assert digest(db) == before
    code, out, err = run(capsys, "import", str(ORU), "--db", str(db), "--report", "full")
    assert code == 0 and "UPDATED: Zoë Łukasiewicz-Ångström, MRN H123456" in out
    assert "mapped labs: free T4 <- OBR 1 / OBX 2" in out


def test_notes_command_lists_the_pathology_note(db_location, capsys):
    db = db_location
    run(capsys, "import", str(BUNDLE), str(ORU), "--db", db)
    code, out, err = run(capsys, "notes", "1", "--db", db)
    assert code == 0, err
    header, line = out.splitlines()
    assert header == "date\tkind\tsource\ttext"
    assert line.startswith("2026-11-01\thistology\tHL7 v2 message 1 (ORU^R01 LAB0042)\t")
    code, _, err = run(capsys, "notes", "99", "--db", db)
    assert code != 0 and "no case with id 99" in err


def test_assigning_authority_by_universal_id(store, tmp_path):
    path = write(
        tmp_path,
        MSH.format("ADT^A04^ADT_A01", 2),
        "PID|1||555^^^&2.16.840.1.113883.3.999&ISO^MR~H778^^^NG&1.2.826.0.1.1&ISO^MR||Novak^Eva||19600101|F",
    )
    (p,) = import_files(
        store, [path], include_non_atc=True, assigning_authority="1.2.826.0.1.1"
    ).patients
    assert p.mrn == "H778"


def test_a_dry_run_of_merges_results_and_notes_writes_nothing(sqlite_store):
    """The file's bytes are unchanged by a dry run (a file-only check; both backends
    roll a dry run back the same way)."""
    from mdt_app.exchange.importer import apply_import, read_files
    from mdt_app.store import open_store

    store = sqlite_store
    import_files(store, [BUNDLE])
    store.close()
    with open_store(store.path):
        pass
    before = digest(store.path)
    with open_store(store.path) as again:
        preview = apply_import(again, read_files([ORU, A40]), dry_run=True)
    assert digest(store.path) == before  # notes, labs and the merge all rolled back
    assert preview.dry_run and any(p.action == UPDATED for p in preview.patients)
    assert preview.files[1].events  # the A40 merge is described
    with open_store(store.path) as again:
        real = apply_import(again, read_files([ORU, A40]), expect=preview)
    assert real.outcome() == preview.outcome() and digest(store.path) != before
