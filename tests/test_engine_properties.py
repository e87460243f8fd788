"""Properties of the engine over generated valid cases (hypothesis).

Cases are generated as mdt-case/1 objects and read with the real case-file reader, so
every generated case is one a user could actually import.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdt_app import domain as d
from mdt_app.casefile import parse_case
from mdt_app.guideline import load_pathway, recommend
from mdt_app.guideline.codes import CODE_ORDER, WORKUP_CODES
from mdt_app.staging import STAGES, stage_for

PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TUMOUR_DIRECTED = {
    "SURGERY_R0R1",
    "EBRT_CHEMO_ADJ",
    "EBRT_CHEMO_DEF",
    "BRAF_MEK",
    "NEOADJ_BRAF_MEK",
    "BRIDGING_CHEMO",
    "NTRK_INHIBITOR",
    "RET_INHIBITOR",
    "ALK_INHIBITOR",
    "CHECKPOINT_INHIBITOR",
    "CYTOTOXIC_CHEMO",
    "CLINICAL_TRIAL",
}


def maybe(values: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.none() | st.sampled_from(values)


@st.composite
def case_documents(draw: st.DrawFn) -> dict[str, Any]:
    m = draw(maybe(d.M_VALUES))
    sites = [] if m == "M0" else draw(st.lists(st.sampled_from(d.METASTATIC_SITES), unique=True))
    result = maybe(d.BIOMARKER_RESULTS)
    return {
        "format": "mdt-case/1",
        "patient": {"mrn": "P1", "family_name": "Generated"},
        "diagnosis": {"confirmed_by": draw(maybe(d.CONFIRMED_BY))},
        "tnm": {"t": draw(maybe(d.T_VALUES)), "n": draw(maybe(d.N_VALUES)), "m": m},
        "resectability": draw(maybe(d.RESECTABILITY)),
        "phase": draw(maybe(d.PHASES)),
        "biomarkers": {
            **{name: draw(result) for name in d.BIOMARKER_FIELDS},
            "tmb_mut_per_mb": draw(st.none() | st.floats(0, 1000)),
            "pdl1_tps_percent": draw(st.none() | st.floats(0, 100)),
        },
        "ecog": draw(st.none() | st.integers(0, 5)),
        "airway": draw(maybe(d.AIRWAY)),
        "metastases": {
            "sites": sites,
            "burden": draw(maybe(d.BURDEN)),
            "brain_symptomatic": draw(st.none() | st.booleans()),
        },
        "brain_imaging_done": draw(st.none() | st.booleans()),
        "goals_of_care": draw(maybe(d.GOALS_OF_CARE)),
        "decision_capacity": draw(maybe(d.CAPACITY)),
        "declines": draw(st.lists(st.sampled_from(d.DECLINABLE), unique=True)),
    }


cases = case_documents().map(parse_case)


@PROFILE
@given(cases)
def test_a_stage_is_always_returned(case: d.Case) -> None:
    rec = recommend(case)
    assert rec.stage in STAGES
    assert rec.stage == stage_for(case.tnm).stage
    assert rec.stage_basis == stage_for(case.tnm).basis


@PROFILE
@given(cases)
def test_no_code_is_in_two_lists_or_twice_in_one(case: d.Case) -> None:
    codes = [o.code for options in recommend(case).lists().values() for o in options]
    assert len(codes) == len(set(codes))


@PROFILE
@given(cases)
def test_rai_and_thyroglobulin_are_always_not_recommended(case: d.Case) -> None:
    rec = recommend(case)
    assert rec.list_of("RAI") == "not_recommended"
    assert rec.list_of("THYROGLOBULIN_MARKER") == "not_recommended"


@PROFILE
@given(cases)
def test_braf_unknown_asks_for_testing_and_never_recommends_braf_mek(case: d.Case) -> None:
    rec = recommend(case)
    if case.biomarkers.braf_v600e == "unknown":
        assert rec.list_of("MOLECULAR_TESTING") == "missing"
        assert rec.list_of("BRAF_MEK") != "recommended"
    if case.biomarkers.braf_v600e != "positive":
        assert rec.list_of("BRAF_MEK") is None
        assert rec.list_of("NEOADJ_BRAF_MEK") is None


@PROFILE
@given(cases)
def test_unassessed_m_is_never_treated_as_m0(case: d.Case) -> None:
    rec = recommend(case)
    if case.tnm.m is None:
        assert rec.stage == "unstageable"
        assert rec.list_of("STAGING_IMAGING") == "missing"
        assert any("IVC not excluded" in w for w in rec.warnings)
        assert rec.list_of("SURGERY_R0R1") in (None, "not_recommended")
    if rec.stage == "unstageable":
        assert rec.list_of("STAGING_IMAGING") == "missing"


@PROFILE
@given(cases)
def test_unknown_ps_never_recommends_chemoradiation(case: d.Case) -> None:
    rec = recommend(case)
    if case.ecog is None:
        assert rec.list_of("PS_ASSESS") == "missing"
        assert rec.list_of("EBRT_CHEMO_DEF") != "recommended"
        assert rec.list_of("EBRT_CHEMO_ADJ") != "recommended"
    if case.ecog is not None and case.ecog >= 3:
        assert rec.list_of("EBRT_CHEMO_DEF") == "not_recommended"


@PROFILE
@given(cases)
def test_what_the_patient_declines_is_never_offered(case: d.Case) -> None:
    offered = {o.code for o in recommend(case).recommended + recommend(case).consider}
    if "radiotherapy" in case.declines:
        assert not offered & {"EBRT_CHEMO_ADJ", "EBRT_CHEMO_DEF", "PALLIATIVE_RT"}
    if "surgery" in case.declines:
        assert not offered & {"SURGERY_R0R1", "SURGERY_RECONSIDER", "COMPLETION_THYROIDECTOMY"}
    if "systemic_therapy" in case.declines:
        assert not offered & {"BRAF_MEK", "CYTOTOXIC_CHEMO", "CHECKPOINT_INHIBITOR"}
    if case.goals_of_care == "comfort_only" and case.decision_capacity == "intact":
        assert not offered & TUMOUR_DIRECTED


@PROFILE
@given(cases)
def test_unconfirmed_histology_never_offers_surgery(case: d.Case) -> None:
    rec = recommend(case)
    if case.diagnosis.confirmed_by not in ("core_biopsy", "surgical_specimen"):
        assert rec.list_of("BIOPSY_CORE") == "missing"
        assert rec.list_of("SURGERY_R0R1") in (None, "not_recommended")


@PROFILE
@given(cases)
def test_lists_are_well_formed_and_ordered(case: d.Case) -> None:
    rec = recommend(case)
    for name, options in rec.lists().items():
        assert [CODE_ORDER[o.code] for o in options] == sorted(CODE_ORDER[o.code] for o in options)
        for option in options:
            assert (name == "missing") == (option.code in WORKUP_CODES)
            assert option.title and option.rationale and option.sources and option.rule_ids
    assert len(rec.warnings) == len(set(rec.warnings))


@PROFILE
@given(cases)
def test_deterministic_and_json_serialisable(case: d.Case) -> None:
    first, second = recommend(case), recommend(case)
    assert first == second
    data = json.loads(json.dumps(first.as_dict()))
    assert list(data) == [
        "stage",
        "stage_basis",
        "guideline",
        "recommended",
        "consider",
        "not_recommended",
        "missing",
        "warnings",
    ]
    pathway = load_pathway()
    assert data["guideline"] == {"id": "atc", "title": pathway.title, "version": "1.0"}
