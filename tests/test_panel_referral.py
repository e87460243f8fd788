"""`mdt-app refer`: pseudonymised ERN panel referral (consent first); the reply imported back."""

from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader

from mdt_app import domain as d
from mdt_app.errors import UserError
from mdt_app.exchange.importer import import_files
from mdt_app.exchange.panel import ConsentMissing, refer_case
from mdt_app.exchange.records import case_for_pseudonym, notes
from mdt_app.exchange.report import UNCHANGED, UPDATED


def run(capsys, *argv: str) -> tuple[int, str, str]:
    from mdt_app.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def consent(store, case_id: int, answer: str | None) -> d.Case:
    case = store.get_case(case_id)
    case.consent = d.Consent(discussion=answer)
    store.update_case(case)
    return store.get_case(case_id)


@pytest.mark.parametrize(("answer", "said"), [(None, "not recorded"), ("refused", "refused")])
def test_refused_without_consent_given(demo_store, tmp_path, answer, said):
    case_id = demo_store.case_ids()[0]
    consent(demo_store, case_id, answer)
    with pytest.raises(ConsentMissing, match=said):
        refer_case(demo_store, case_id, tmp_path / "out", "Question?")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_referral_is_pseudonymised_and_complete(demo_store, tmp_path):
    case_id = demo_store.case_ids()[0]
    case = consent(demo_store, case_id, "given")
    json_path, pdf_path = refer_case(demo_store, case_id, tmp_path / "out", "Surgery first?")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    code = data["pseudonym"]
    assert code.startswith("ERN-") and case_for_pseudonym(demo_store, code) == case_id
    assert data["question"] == "Surgery first?"
    assert data["stage"]["basis"] and data["stage"]["stage"] in ("IVA", "IVB", "IVC", "unstageable")
    assert set(data["local_mdt_options"]) >= {
        "recommended",
        "consider",
        "not_recommended",
        "missing",
    }
    assert data["biomarkers"]["braf_v600e"] == case.biomarkers.braf_v600e
    assert data["labs"] and data["imaging"] and data["history"]["histology"]
    text = json_path.read_text(encoding="utf-8") + "".join(
        page.extract_text() for page in PdfReader(pdf_path).pages
    )
    p = case.patient
    for secret in (p.mrn, p.family_name, p.given_name, str(p.birth_date)):
        assert not re.search(rf"\b{re.escape(secret)}\b", text), secret
    assert code in PdfReader(pdf_path).pages[0].extract_text()  # the banner names the pseudonym
    # referring the same case again keeps its pseudonym
    again, _ = refer_case(demo_store, case_id, tmp_path / "out2", "Second question")
    assert json.loads(again.read_text(encoding="utf-8"))["pseudonym"] == code
    actions = [e.action for e in demo_store.audit_log("case", case_id)]
    assert actions.count("export_panel_referral") == 4 and "refer_to_panel" in actions


def test_reply_is_imported_as_an_audited_note(demo_store, tmp_path):
    case_id = demo_store.case_ids()[1]
    consent(demo_store, case_id, "given")
    json_path, _ = refer_case(demo_store, case_id, tmp_path, "RT or not?")
    code = json.loads(json_path.read_text(encoding="utf-8"))["pseudonym"]
    reply = tmp_path / "reply.json"
    reply.write_text(
        json.dumps(
            {
                "format": "mdt-panel-reply/1",
                "pseudonym": code,
                "panel": "EURACAN G6",
                "replied_on": "2026-12-10",
                "author": "Prof. N. Expert",
                "reply": "Definitive IMRT with concurrent chemotherapy advised.",
            }
        ),
        encoding="utf-8",
    )
    (p,) = import_files(demo_store, [reply]).patients
    assert p.action == UPDATED and p.case_id == case_id
    (note,) = notes(demo_store, case_id, "panel_reply")
    assert "IMRT" in note.text and note.source == "EURACAN G6 (Prof. N. Expert)"
    assert any(e.action == "add_case_note" for e in demo_store.audit_log("case", case_id))
    (p,) = import_files(demo_store, [reply]).patients
    assert p.action == UNCHANGED and len(notes(demo_store, case_id)) == 1
    unknown = tmp_path / "other.json"
    unknown.write_text(json.dumps({**json.loads(reply.read_text()), "pseudonym": "ERN-0"}))
    with pytest.raises(UserError, match="was not referred from this database"):
        import_files(demo_store, [unknown])


def test_cli_refer(demo_db, tmp_path, capsys):
    from mdt_app.store import open_store

    with open_store(demo_db) as store:
        case_id = store.case_ids()[0]
    code, _, err = run(
        capsys, "refer", str(case_id), "-o", str(tmp_path / "x"), "--db", str(demo_db)
    )
    assert code != 0 and "consent to discussion" in err and "Traceback" not in err
    with open_store(demo_db) as store:
        consent(store, case_id, "given")
    code, out, err = run(
        capsys, "refer", str(case_id), "-o", str(tmp_path / "x"), "--db", str(demo_db),
        "--question", "Is surgery reasonable?",
    )  # fmt: skip
    assert code == 0, err
    assert [line.rsplit(".", 1)[1] for line in out.split()] == ["json", "pdf"]
