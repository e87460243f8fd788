"""Clinical vignettes through the engine: every rule group of the pathway (section 3).

Written against pathway 1.0 and kept: where version 2.0 changed a rule, the vignette says
so in a comment with the v2 change number (see resources/guidelines/README.md). New v2
vignettes live in test_vignettes_v2.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from mdt_app import domain as d
from mdt_app.guideline import load_pathway, recommend
from mdt_app.guideline.codes import CODE_ORDER

TUMOUR_DIRECTED = {
    "SURGERY_R0R1",
    "RADICAL_RESECTION",
    "DEBULKING_R2",
    "SURGERY_RECONSIDER",
    "COMPLETION_THYROIDECTOMY",
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


def make(
    tnm: str = "T4a N1a M0",
    *,
    confirmed_by: str | None = "core_biopsy",
    resectability: str = "r0_r1_expected",
    phase: str = "new",
    braf: str = "negative",
    ntrk: str = "negative",
    ret: str = "negative",
    alk: str = "negative",
    msi: str = "negative",
    tmb: float | None = 2.0,
    pdl1: float | None = 5.0,
    ecog: int | None = 1,
    airway: str = "stable",
    sites: tuple[str, ...] = (),
    burden: str | None = None,
    brain_symptomatic: bool | None = None,
    brain_imaging_done: bool | None = True,
    goals: str | None = "active_treatment",
    capacity: str = "intact",
    declines: tuple[str, ...] = (),
) -> d.Case:
    """A fully worked-up case; each vignette changes what it is about."""
    t, n, m = (None if part == "-" else part for part in tnm.split())
    return d.Case(
        patient=d.Patient(mrn="V1", given_name="Test", family_name="Patient"),
        diagnosis=d.Diagnosis(confirmed_by=confirmed_by),
        tnm=d.TNM(t, n, m),
        resectability=resectability,
        phase=phase,
        biomarkers=d.Biomarkers(braf, ntrk, ret, alk, msi, tmb, pdl1),
        ecog=ecog,
        airway=airway,
        metastases=d.Metastases(list(sites), burden, brain_symptomatic),
        brain_imaging_done=brain_imaging_done,
        goals_of_care=goals,
        decision_capacity=capacity,
        declines=list(declines),
    )


@dataclass
class Vignette:
    name: str
    case: d.Case
    stage: str
    R: set[str] = field(default_factory=set)
    C: set[str] = field(default_factory=set)
    NR: set[str] = field(default_factory=set)
    M: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)  # fragments of expected warnings
    says: dict[str, list[str]] = field(default_factory=dict)  # code -> rationale fragments

    def __str__(self) -> str:
        return self.name


IVC = "T4a N1b M1"
UNRESECTABLE = {"resectability": "unresectable"}

VIGNETTES = [
    # --- stage IVA / IVB, R0/R1 resection expected
    Vignette(
        "iva_resectable",
        make("T2 N0 M0"),
        "IVA",
        R={"SURGERY_R0R1", "GOALS_OF_CARE", "PALLIATIVE_CARE", "ADVANCE_DIRECTIVE"},
        C={"CLINICAL_TRIAL"},
        NR={"RADICAL_RESECTION", "DEBULKING_R2", "RAI", "THYROGLOBULIN_MARKER", "PREEMPTIVE_TRACH"},
        absent={"EBRT_CHEMO_DEF", "BRAF_MEK", "HOSPICE"} | {"MOLECULAR_TESTING", "BIOPSY_CORE"},
        says={"SURGERY_R0R1": ["Stage IVA; R0/R1 resection expected"]},
    ),
    Vignette(
        "ivb_resectable",
        make("T4a N1a M0"),
        "IVB",
        R={"SURGERY_R0R1"},
        NR={"RADICAL_RESECTION", "DEBULKING_R2"},
        absent={"EBRT_CHEMO_DEF", "EBRT_CHEMO_ADJ", "NEOADJ_BRAF_MEK"},
    ),
    Vignette(
        "ivb_resectable_braf_positive_still_surgery_first",
        make("T3b N0 M0", braf="positive"),
        "IVB",
        R={"SURGERY_R0R1"},
        C={"NEOADJ_BRAF_MEK"},  # v2 change 20: neoadjuvant D+T considered in IVB
        absent={"BRAF_MEK", "BRIDGING_CHEMO"},
        says={"SURGERY_R0R1": ["does not replace upfront surgery"]},
    ),
    Vignette(
        "after_r0r1_resection_good_ps",
        make("T4a N1a M0", phase="post_resection_r0r1"),
        "IVB",
        R={"EBRT_CHEMO_ADJ", "THYROID_HORMONE_REPLACEMENT"},
        C={"COMPLETION_THYROIDECTOMY"},
        absent={"SURGERY_R0R1", "EBRT_CHEMO_DEF"},
        says={
            "EBRT_CHEMO_ADJ": ["within 6 weeks", "after R0/R1 resection", "ECOG 1 (good PS"],
            "COMPLETION_THYROIDECTOMY": ["lobectomy", "Unverified"],
        },
    ),
    Vignette(
        "after_r0r1_resection_ps_not_recorded",
        make("T4a N1a M0", phase="post_resection_r0r1", ecog=None),
        "IVB",
        C={"EBRT_CHEMO_ADJ"},
        M={"PS_ASSESS"},
        says={"EBRT_CHEMO_ADJ": ["pending PS assessment", "ECOG not recorded"]},
    ),
    Vignette(
        "ivb_resectability_not_assessed",
        make("T4a N0 M0", resectability="unknown"),
        "IVB",
        absent={"SURGERY_R0R1", "EBRT_CHEMO_DEF"},
        warnings=["Resectability not assessed"],
    ),
    # --- stage IVB unresectable / after R2
    Vignette(
        "ivb_unresectable_braf_negative",
        make("T4b N1b M0", **UNRESECTABLE),
        "IVB",
        R={"EBRT_CHEMO_DEF"},
        C={"CLINICAL_TRIAL"},
        absent={"BRAF_MEK", "NEOADJ_BRAF_MEK", "SURGERY_R0R1", "MOLECULAR_TESTING"},
        says={"EBRT_CHEMO_DEF": ["Stage IVB", "unresectable", "ECOG 1"]},
    ),
    Vignette(
        "ivb_unresectable_braf_positive",
        make("T4b N1b M0", braf="positive", **UNRESECTABLE),
        "IVB",
        R={"EBRT_CHEMO_DEF", "NEOADJ_BRAF_MEK"},  # v2 change 5: two alternatives
        absent={"BRAF_MEK", "MOLECULAR_TESTING", "PDL1_IHC"},
        says={"NEOADJ_BRAF_MEK": ["BRAF V600E: positive", "no treatment declined"]},
    ),
    Vignette(
        "ivb_unresectable_braf_pending",
        make("T4b N1b M0", braf="pending", **UNRESECTABLE),
        "IVB",
        R={"EBRT_CHEMO_DEF"},
        C={"BRIDGING_CHEMO"},
        absent={"BRAF_MEK", "NEOADJ_BRAF_MEK", "MOLECULAR_TESTING"},
        warnings=["Results pending (BRAF V600E)", "do not delay treatment"],
        says={"BRIDGING_CHEMO": ["BRAF V600E: result pending"]},
    ),
    Vignette(
        "ivb_unresectable_braf_unknown",
        make("T4b N1b M0", braf="unknown", **UNRESECTABLE),
        "IVB",
        R={"EBRT_CHEMO_DEF"},
        M={"MOLECULAR_TESTING"},
        absent={"BRAF_MEK", "NEOADJ_BRAF_MEK", "BRIDGING_CHEMO"},
        says={"MOLECULAR_TESTING": ["BRAF V600E: not known", "immunohistochemistry first"]},
    ),
    Vignette(
        "ivb_unresectable_braf_positive_declines_radiotherapy",
        make("T4b N1b M0", braf="positive", declines=("radiotherapy",), **UNRESECTABLE),
        "IVB",
        R={"BRAF_MEK"},
        NR={"EBRT_CHEMO_DEF"},
        absent={"NEOADJ_BRAF_MEK"},
        says={
            "BRAF_MEK": ["patient declines radiotherapy", "BRAF V600E: positive"],
            "EBRT_CHEMO_DEF": ["Declined by patient", "Supersedes: recommended"],
        },
    ),
    Vignette(
        "ivb_unresectable_braf_negative_declines_radiotherapy",
        make("T4b N1b M0", declines=("radiotherapy",), **UNRESECTABLE),
        "IVB",
        R={"CLINICAL_TRIAL"},
        NR={"EBRT_CHEMO_DEF"},
        absent={"BRAF_MEK"},
    ),
    Vignette(
        "after_r2_resection",
        make("T4a N1b M0", phase="post_resection_r2", resectability="unknown"),
        "IVB",
        R={"EBRT_CHEMO_DEF", "THYROID_HORMONE_REPLACEMENT"},
        NR={"DEBULKING_R2"},
        absent={"SURGERY_R0R1", "EBRT_CHEMO_ADJ"},
    ),
    Vignette(
        "ivb_unresectable_ps_not_recorded",
        make("T4b N0 M0", ecog=None, **UNRESECTABLE),
        "IVB",
        C={"EBRT_CHEMO_DEF"},
        M={"PS_ASSESS"},
        says={"EBRT_CHEMO_DEF": ["pending PS assessment"]},
    ),
    Vignette(
        "neoadjuvant_response",
        make("T4b N1b M0", phase="neoadjuvant_response", braf="positive", **UNRESECTABLE),
        "IVB",
        R={"SURGERY_RECONSIDER"},
        absent={"NEOADJ_BRAF_MEK", "SURGERY_R0R1"},
        C={"EBRT_CHEMO_DEF"},  # v2 change 6: consolidation while still unresectable
        says={"SURGERY_RECONSIDER": ["responding to neoadjuvant therapy", "re-assess"]},
    ),
    # --- performance status
    Vignette(
        "poor_ps_unresectable",
        make("T4b N1b M0", ecog=3, **UNRESECTABLE),
        "IVB",
        C={"PALLIATIVE_RT", "CLINICAL_TRIAL"},  # v2 change 11: trial capped at ECOG >= 3
        NR={"EBRT_CHEMO_DEF", "EBRT_CHEMO_ADJ", "SURGERY_R0R1"},
        says={"EBRT_CHEMO_DEF": ["ECOG 3 (poor PS", "[unverified cut-off]"]},
    ),
    Vignette(
        "poor_ps_resectable_surgery_superseded",
        make("T2 N1a M0", ecog=4),
        "IVB",
        C={"PALLIATIVE_RT"},
        NR={"SURGERY_R0R1"},
        says={"SURGERY_R0R1": ["poor PS", "Supersedes: recommended by rule ivab.surgery"]},
    ),
    # --- stage IVC
    Vignette(
        "ivc_braf_positive",
        make(IVC, braf="positive", sites=("lung",), burden="low"),
        "IVC",
        R={"BRAF_MEK", "CLINICAL_TRIAL", "HOSPICE"},
        C={"SURGERY_R0R1", "IO_COMBINATION"},  # v2 changes 13 and 8
        absent={"CYTOTOXIC_CHEMO", "CHECKPOINT_INHIBITOR", "PDL1_IHC"},
        says={"BRAF_MEK": ["Stage IVC; BRAF V600E: positive.", "56%"]},  # v2 change 23
    ),
    Vignette(
        "ivc_ntrk_fusion",
        make(IVC, ntrk="positive", sites=("lung",)),
        "IVC",
        C={"NTRK_INHIBITOR"},
        absent={"BRAF_MEK", "CYTOTOXIC_CHEMO", "CHECKPOINT_INHIBITOR"},
        says={"NTRK_INHIBITOR": ["NTRK fusion: positive", "Unverified"]},
    ),
    Vignette(
        "ivc_ret_fusion",
        make(IVC, ret="positive", sites=("liver",)),
        "IVC",
        C={"RET_INHIBITOR"},
        absent={"NTRK_INHIBITOR", "CYTOTOXIC_CHEMO"},
        says={"RET_INHIBITOR": ["RET fusion: positive", "pralsetinib"]},
    ),
    Vignette(
        "ivc_alk_fusion",
        make(IVC, alk="positive", sites=("other",)),
        "IVC",
        C={"ALK_INHIBITOR"},
        says={"ALK_INHIBITOR": ["off-label"]},
    ),
    Vignette(
        "ivc_pdl1_high",
        make(IVC, pdl1=80, sites=("lung",)),
        "IVC",
        C={"CHECKPOINT_INHIBITOR", "CYTOTOXIC_CHEMO"},  # v2 change 9
        absent={"PDL1_IHC"},
        says={"CHECKPOINT_INHIBITOR": ["PD-L1 TPS 80% (high", "no targetable driver"]},
    ),
    Vignette(
        "ivc_tmb_high",
        make(IVC, tmb=14, sites=("lung",)),
        "IVC",
        C={"CHECKPOINT_INHIBITOR"},
        says={"CHECKPOINT_INHIBITOR": ["TMB 14 mut/Mb (high"]},
    ),
    Vignette(
        "ivc_msi_high",
        make(IVC, msi="positive", sites=("lung",)),
        "IVC",
        C={"CHECKPOINT_INHIBITOR"},
    ),
    Vignette(
        "ivc_no_driver_no_immunotherapy_marker",
        make(IVC, sites=("lung",), burden="high"),
        "IVC",
        R={"CLINICAL_TRIAL", "HOSPICE"},
        C={"CYTOTOXIC_CHEMO"},
        NR={"SURGERY_R0R1"},
        absent={"CHECKPOINT_INHIBITOR", "BRAF_MEK"},
        says={"SURGERY_R0R1": ["high-volume distant disease"]},
    ),
    Vignette(
        "ivc_pdl1_unknown_drivers_not_sequenced",
        make(IVC, pdl1=None, ntrk="unknown", ret="unknown", alk="unknown", sites=("lung",)),
        "IVC",
        M={"PDL1_IHC", "MOLECULAR_TESTING"},
        absent={"CHECKPOINT_INHIBITOR", "CYTOTOXIC_CHEMO"},
        says={"MOLECULAR_TESTING": ["sequencing", "NTRK fusion: not known"]},
    ),
    Vignette(
        "ivc_low_burden_airway_threatened",
        make(IVC, sites=("lung",), burden="low", airway="compromised"),
        "IVC",
        R={"EBRT_CHEMO_DEF", "AIRWAY_SECURE"},
        absent={"PREEMPTIVE_TRACH"},
        says={"EBRT_CHEMO_DEF": ["low-volume distant disease", "airway compromised"]},
    ),
    Vignette(
        "ivc_low_burden_airway_threatened_ps_not_recorded",
        make(IVC, sites=("lung",), burden="low", airway="symptomatic", ecog=None),
        "IVC",
        C={"EBRT_CHEMO_DEF"},
        M={"PS_ASSESS"},
        says={"EBRT_CHEMO_DEF": ["pending PS assessment"]},
    ),
    Vignette(
        "ivc_after_response",
        make(IVC, braf="positive", phase="neoadjuvant_response", sites=("lung",)),
        "IVC",
        R={"BRAF_MEK"},
        C={"CONSOLIDATIVE_LOCAL"},
        absent={"SURGERY_RECONSIDER"},
    ),
    # --- goals of care
    Vignette(
        "comfort_only_capacity_intact",
        make(IVC, braf="positive", goals="comfort_only", sites=("bone",), brain_imaging_done=None),
        "IVC",
        R={"HOSPICE", "PALLIATIVE_CARE", "GOALS_OF_CARE"},
        C={"BONE_METASTASIS_LOCAL"},
        NR={"BRAF_MEK", "CLINICAL_TRIAL"},
        absent={"CAPACITY_ASSESSMENT", "BRAIN_MRI"},
        says={"BRAF_MEK": ["Goals: comfort care only", "Declined by patient"]},
    ),
    Vignette(
        "comfort_only_capacity_doubtful",
        make(IVC, braf="positive", goals="comfort_only", capacity="doubtful"),
        "IVC",
        R={"BRAF_MEK", "CLINICAL_TRIAL"},
        M={"CAPACITY_ASSESSMENT"},
        warnings=["hold irreversible decisions"],
        says={"CAPACITY_ASSESSMENT": ["decision capacity doubtful"]},
    ),
    Vignette(
        "comfort_only_capacity_not_assessed",
        make("T4a N0 M0", goals="comfort_only", capacity="unknown"),
        "IVB",
        R={"SURGERY_R0R1"},
        M={"CAPACITY_ASSESSMENT"},
        absent={"HOSPICE"},
        warnings=["hold irreversible decisions"],
    ),
    Vignette(
        "goals_undecided",
        make("T4a N0 M0", goals="undecided"),
        "IVB",
        R={"SURGERY_R0R1", "GOALS_OF_CARE"},
        warnings=["Goals of care not yet agreed"],
    ),
    Vignette(
        "declines_surgery",
        make("T2 N0 M0", declines=("surgery",)),
        "IVA",
        NR={"SURGERY_R0R1"},
        says={"SURGERY_R0R1": ["Patient declines surgery", "Declined by patient"]},
    ),
    Vignette(
        "declines_systemic_therapy",
        make(IVC, braf="positive", declines=("systemic_therapy",), sites=("lung",)),
        "IVC",
        NR={"BRAF_MEK"},
        R={"CLINICAL_TRIAL"},
    ),
    # --- airway
    Vignette(
        "stridor",
        make("T4a N1a M0", airway="compromised"),
        "IVB",
        R={"AIRWAY_SECURE", "SURGERY_R0R1"},
        absent={"PREEMPTIVE_TRACH", "AIRWAY_ASSESSMENT"},
        says={"AIRWAY_SECURE": ["stridor", "operating theatre", "intubation and tracheostomy"]},
    ),
    Vignette(
        "airway_symptomatic_no_preemptive_tracheostomy",
        make("T4a N1a M0", airway="symptomatic"),
        "IVB",
        NR={"PREEMPTIVE_TRACH"},
        absent={"AIRWAY_SECURE"},
        says={"PREEMPTIVE_TRACH": ["Unverified"]},
    ),
    Vignette(
        "airway_not_assessed",
        make("T4a N1a M0", airway="unknown"),
        "IVB",
        M={"AIRWAY_ASSESSMENT"},
        absent={"AIRWAY_SECURE", "PREEMPTIVE_TRACH"},
    ),
    # --- metastatic sites
    Vignette(
        "brain_metastases_with_symptoms",
        make(IVC, sites=("brain", "lung"), brain_symptomatic=True, brain_imaging_done=None),
        "IVC",
        R={"NEURO_RADONC_REFERRAL", "DEXAMETHASONE"},
        absent={"BRAIN_MRI"},
        says={"DEXAMETHASONE": ["brain metastases causing symptoms", "4-16 mg"]},
    ),
    Vignette(
        "brain_metastases_without_symptoms",
        make(IVC, sites=("brain",), brain_symptomatic=False),
        "IVC",
        R={"NEURO_RADONC_REFERRAL"},
        absent={"DEXAMETHASONE"},
    ),
    Vignette(
        "bone_metastases",
        make(IVC, sites=("bone",)),
        "IVC",
        C={"BONE_METASTASIS_LOCAL"},
        says={"BONE_METASTASIS_LOCAL": ["Distant metastases: bone", "8 Gy"]},
    ),
    Vignette(
        "no_brain_imaging_before_treatment",
        make("T4a N1a M0", brain_imaging_done=False),
        "IVB",
        M={"BRAIN_MRI"},
        says={"BRAIN_MRI": ["No brain imaging yet"]},
    ),
    # --- missing data
    Vignette(
        "fna_only_histology",
        make("T4a N1a M0", confirmed_by="fna_only"),
        "IVB",
        M={"BIOPSY_CORE"},
        NR={"SURGERY_R0R1", "RADICAL_RESECTION", "DEBULKING_R2"},
        warnings=["Histology not confirmed by core biopsy or surgical specimen"],
        says={"SURGERY_R0R1": ["FNA cytology only", "until the diagnosis", "Supersedes"]},
    ),
    Vignette(
        "unknown_m",
        make("T4a N1a -"),
        "unstageable",
        R={"GOALS_OF_CARE", "PALLIATIVE_CARE"},
        NR={"RAI", "THYROGLOBULIN_MARKER"},
        M={"STAGING_IMAGING"},
        absent={"SURGERY_R0R1", "RADICAL_RESECTION", "EBRT_CHEMO_DEF", "HOSPICE"},
        warnings=["M status not assessed: stage IVC not excluded", "GPS1"],
        says={"STAGING_IMAGING": ["M not assessed: IVC not excluded"]},
    ),
    Vignette(
        "primary_not_assessable_without_nodes",
        make("TX N0 M0"),
        "unstageable",
        M={"STAGING_IMAGING"},
        absent={"SURGERY_R0R1"},
        warnings=["Primary tumour not assessable"],
    ),
    Vignette(
        "nothing_known_yet",
        make(
            "- - -",
            confirmed_by=None,
            resectability="unknown",
            braf="unknown",
            ntrk="unknown",
            ret="unknown",
            alk="unknown",
            msi="unknown",
            tmb=None,
            pdl1=None,
            ecog=None,
            airway="unknown",
            brain_imaging_done=None,
            goals=None,
            capacity="unknown",
        ),
        "unstageable",
        R={"GOALS_OF_CARE", "PALLIATIVE_CARE", "ADVANCE_DIRECTIVE"},
        M={
            "BIOPSY_CORE",
            "MOLECULAR_TESTING",
            "STAGING_IMAGING",
            "BRAIN_MRI",
            "PS_ASSESS",
            "AIRWAY_ASSESSMENT",
        },
        absent=TUMOUR_DIRECTED - {"CLINICAL_TRIAL"},
    ),
    # --- progression
    Vignette(
        "progression",
        make(IVC, phase="progression", sites=("lung",)),
        "IVC",
        R={"EXPERT_REFERRAL", "HOSPICE", "CLINICAL_TRIAL"},
        C={"CYTOTOXIC_CHEMO"},
        absent={"CHECKPOINT_INHIBITOR"},
    ),
    Vignette(
        "progression_pdl1_high",
        make("T4b N1b M0", phase="progression", pdl1=60, resectability="unresectable"),
        "IVB",
        R={"EXPERT_REFERRAL", "HOSPICE", "CLINICAL_TRIAL"},
        C={"CHECKPOINT_INHIBITOR", "CYTOTOXIC_CHEMO"},
        absent={"EBRT_CHEMO_DEF"},
    ),
]

LISTS = {"R": "recommended", "C": "consider", "NR": "not_recommended", "M": "missing"}


@pytest.mark.parametrize("v", VIGNETTES, ids=str)
def test_vignette(v: Vignette) -> None:
    rec = recommend(v.case)
    assert rec.stage == v.stage
    for short, name in LISTS.items():
        for code in getattr(v, short):
            assert rec.list_of(code) == name, f"{code}: {rec.list_of(code)}, want {name}"
    for code in v.absent:
        assert rec.list_of(code) is None, f"{code} is in {rec.list_of(code)}"
    for fragment in v.warnings:
        assert any(fragment in w for w in rec.warnings), (fragment, rec.warnings)
    for code, fragments in v.says.items():
        option = rec.option(code)
        assert option is not None, code
        for fragment in fragments:
            assert fragment in option.rationale, (code, fragment, option.rationale)


def test_there_are_at_least_30_vignettes_with_unique_names() -> None:
    names = [v.name for v in VIGNETTES]
    assert len(names) >= 30 and len(set(names)) == len(names)


def test_comfort_only_with_capacity_leaves_nothing_tumour_directed_on_offer() -> None:
    for v in VIGNETTES:
        rec = recommend(v.case)
        if v.case.goals_of_care == "comfort_only" and v.case.decision_capacity == "intact":
            offered = {o.code for o in rec.recommended + rec.consider}
            assert not offered & TUMOUR_DIRECTED, v.name


def test_options_carry_the_guideline_and_sources() -> None:
    rec = recommend(make(IVC, braf="positive"))
    assert (rec.guideline_id, rec.guideline_version) == ("atc", "2.0")
    braf = rec.option("BRAF_MEK")
    assert braf is not None
    assert braf.sources[:3] == ("ATA21 R20 (S-L)", "FDA 2018-05-04", "ROAR22")
    assert braf.rule_ids == ("ivc.braf_mek",)
    assert braf.title.startswith("Dabrafenib")


def test_merged_option_keeps_every_reason_and_source() -> None:
    rec = recommend(make("T4a N1a M0", braf="positive"))
    surgery = rec.option("SURGERY_R0R1")
    assert surgery is not None
    assert surgery.rule_ids == ("ivab.surgery", "ivab.surgery_despite_braf")
    assert " Also: " in surgery.rationale
    assert surgery.sources == ("ATA21 R12 (S)", "ATA21 T5", "ATA21 R21 (C-L)")


def test_clinical_trial_recommended_absorbs_the_general_consider() -> None:
    rec = recommend(make(IVC))
    trial = rec.option("CLINICAL_TRIAL")
    assert rec.list_of("CLINICAL_TRIAL") == "recommended"
    assert trial is not None and trial.rule_ids == ("ivc.clinical_trial",)


def test_options_follow_the_section_2_code_order() -> None:
    for v in VIGNETTES:
        for options in recommend(v.case).lists().values():
            order = [CODE_ORDER[o.code] for o in options]
            assert order == sorted(order), v.name


def test_a_changed_setting_changes_the_answer() -> None:
    pathway = load_pathway()
    strict = replace(pathway, settings=replace(pathway.settings, poor_ps_min_ecog=2))
    case = make("T4b N1b M0", ecog=2, **UNRESECTABLE)
    assert recommend(case).list_of("EBRT_CHEMO_DEF") == "consider"
    assert recommend(case, strict).list_of("EBRT_CHEMO_DEF") == "not_recommended"
