"""Decisions made on pathway 1.0 stay 1.0; what the current pathway would advise is shown,
never written (demo: the closed meeting was decided on 1.0)."""

from __future__ import annotations

from mdt_app.case_alerts import case_alerts, pathway_v2_facts, treatment_timeline
from mdt_app.casefile import read_case_file
from mdt_app.guideline import recommend
from mdt_app.guideline.newer import newer_pathway_note
from mdt_app.guideline.warning_levels import is_critical, ordered
from tests.conftest import FIXTURES


def _signed_v1(store):
    for meeting in store.list_meetings():
        if meeting.status != "closed":
            continue
        for item in store.agenda(meeting.id):
            decision = store.effective_decision(item.id)
            if decision is not None:
                return decision
    raise AssertionError("the demo has no signed decision in its closed meeting")


def test_signed_decisions_keep_their_version_and_snapshot(demo_store):
    decision = _signed_v1(demo_store)
    assert decision.guideline_version == "1.0"
    assert decision.options_snapshot["guideline"]["version"] == "1.0"
    case = demo_store.get_case(decision.case_id)
    now = recommend(case)
    note = newer_pathway_note(decision.options_snapshot, now)
    assert note and "version 1.0" in note and "version 2.0 is current" in note
    again = demo_store.get_decision(decision.id)
    assert again.options_snapshot == decision.options_snapshot  # nothing was written
    assert again.guideline_version == "1.0"


def test_no_note_on_the_current_version_and_changes_are_named():
    case = read_case_file(FIXTURES / "cases" / "v2_progression_dt.json")[0]
    now = recommend(case)
    assert newer_pathway_note(now.as_dict(), now) is None
    old = now.as_dict()
    old["guideline"]["version"] = "1.0"
    old["recommended"].append({"code": "BRAF_MEK", "title": "x", "rationale": "x", "sources": []})
    old["not_recommended"] = [o for o in old["not_recommended"] if o["code"] != "BRAF_MEK"]
    note = newer_pathway_note(old, now) or ""
    assert "BRAF_MEK: recommended -> not recommended" in note


def test_case_alerts_and_treatment_timeline():
    pregnant = read_case_file(FIXTURES / "cases" / "v2_pregnant.json")[0]
    assert any(a.startswith("Pregnant") for a in case_alerts(pregnant))
    progressing = read_case_file(FIXTURES / "cases" / "v2_progression_dt.json")[0]
    alerts = case_alerts(progressing)
    assert any("eGFR 52" in a and "cisplatin" in a for a in alerts)
    assert treatment_timeline(progressing) == [
        "2026-04-10 – ongoing: dabrafenib + trametinib (progression) – partial response at "
        "6 weeks; new lung nodules at 7 months"
    ]
    stridor = read_case_file(FIXTURES / "cases" / "v2_fna_stridor.json")[0]
    assert any("Histology not confirmed" in a for a in case_alerts(stridor))
    facts = dict(pathway_v2_facts(stridor))
    assert facts["Pregnancy"] == "not recorded" and facts["Fit for surgery"] == "not recorded"


def test_critical_warnings_come_first():
    warnings = ["Goals of care not yet agreed", "Patient is pregnant: ...", "Results pending"]
    assert is_critical("Impaired renal function (eGFR 40): avoid cisplatin")
    assert [text for _, text in ordered(warnings)][0].startswith("Patient is pregnant")


def test_minutes_show_the_new_facts_and_warnings(demo_store):
    from mdt_app.documents.minutes import build_minutes

    current = next(m for m in demo_store.list_meetings() if m.status == "in_progress")
    minutes = build_minutes(demo_store, current.id)
    by_mrn = {e.patient.mrn: dict_of(e.facts) for e in minutes.items}
    pregnant = by_mrn["DEMO-0201"]
    assert any(text.startswith("Pregnant") for text in pregnant["Alert"])
    assert any("pregnan" in text for text in pregnant["Warning"])
    assert "dabrafenib + trametinib" in by_mrn["DEMO-0202"]["Prior treatments"][0]
    assert any("Histology not confirmed" in a for a in by_mrn["DEMO-0203"]["Alert"])
    assert by_mrn["DEMO-0204"]["ATC extent"] == ["focal"]


def dict_of(facts):
    out: dict[str, list[str]] = {}
    for label, text in facts:
        out.setdefault(label, []).append(text)
    return out
