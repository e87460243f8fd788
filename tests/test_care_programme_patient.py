"""The care programme a patient can rely on (issue 16), read back from the PDFs: the
emergency box, the patient's own words, honest framing, personal content, sections shown
only when they apply, layout, languages and readability."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
import textstat
import yaml
from pypdf import PdfReader

from mdt_app import domain as d
from mdt_app.documents.care_programme import (
    build_care_programme,
    care_programme_from_store,
    check_before_printing,
)
from mdt_app.documents.care_programme_check import all_shorthand, shorthand_in
from mdt_app.documents.care_programme_content import care_programme_for, shipped_languages
from mdt_app.documents.care_programme_facts import (
    follow_up_plan,
    programme_facts,
    split_steps,
)
from mdt_app.errors import ValidationError
from mdt_app.paths import resource_path
from tests.test_care_programme import TEST_SIGN_OFF, TODAY, add_case, pages_of

# Every option code of pathway v2 section 2, the five new ones included.
SECTION_2_CODES = [
    "BIOPSY_CORE",
    "MOLECULAR_TESTING",
    "PDL1_IHC",
    "STAGING_IMAGING",
    "BRAIN_MRI",
    "PS_ASSESS",
    "AIRWAY_ASSESSMENT",
    "CAPACITY_ASSESSMENT",
    "GOALS_OF_CARE",
    "PALLIATIVE_CARE",
    "HOSPICE",
    "ADVANCE_DIRECTIVE",
    "THYROID_HORMONE_REPLACEMENT",
    "CRISIS_PLAN",
    "OBSTETRIC_INPUT",
    "GERMLINE_REFERRAL",
    "AIRWAY_SECURE",
    "PREEMPTIVE_TRACH",
    "SURGERY_R0R1",
    "RADICAL_RESECTION",
    "DEBULKING_R2",
    "SURGERY_RECONSIDER",
    "COMPLETION_THYROIDECTOMY",
    "EBRT_CHEMO_ADJ",
    "EBRT_CHEMO_DEF",
    "PALLIATIVE_RT",
    "BRAF_MEK",
    "NEOADJ_BRAF_MEK",
    "BRIDGING_CHEMO",
    "NTRK_INHIBITOR",
    "RET_INHIBITOR",
    "ALK_INHIBITOR",
    "CHECKPOINT_INHIBITOR",
    "IO_COMBINATION",
    "CYTOTOXIC_CHEMO",
    "CONTINUE_CURRENT_THERAPY",
    "CLINICAL_TRIAL",
    "NEURO_RADONC_REFERRAL",
    "DEXAMETHASONE",
    "CONSOLIDATIVE_LOCAL",
    "BONE_METASTASIS_LOCAL",
    "EXPERT_REFERRAL",
    "RAI",
    "THYROGLOBULIN_MARKER",
]
LANGUAGES = ("en", "fr", "de")
CENTRE = {
    "name": "Centre de la thyroïde",
    "phone": "+33 1 00 00 00 00",
    "phone_24h": "+33 1 99 99 99 99",
    "country": "FR",
}
CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


def raw_texts(name: str, language: str) -> dict:
    """One language's own file, without the English fallback."""
    with resource_path("text", language, f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def pathway_codes() -> set[str]:
    with resource_path("guidelines", "atc.yaml").open(encoding="utf-8") as fh:
        pathway = yaml.safe_load(fh)
    return set(pathway["codes"])


def section(text: str, heading: str, following: tuple[str, ...]) -> str:
    """The text between ``heading`` and the first of ``following`` after it."""
    start = text.index(heading) + len(heading)
    ends = [text.find(h, start) for h in following]
    return text[start : min(e for e in ends if e >= 0)]


# --- 1. the emergency box ------------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True])
def test_emergency_box_is_on_page_1_with_both_numbers(store, large):
    store.set_setting("centre", CENTRE)
    case_id, _ = add_case(store, options=("BRAF_MEK", "PALLIATIVE_CARE"))
    pages = pages_of(build_care_programme(store, case_id, large_print=large, language="en"))
    first = pages[0]
    box = first[first.index("In an emergency") :]
    assert "Call 15 (emergency services) straight away" in box  # France: SAMU
    assert "24-hour line on +33 1 99 99 99 99" in box
    for sign in ("noisy breathing", "heavy bleeding", "swells up quickly", "38 °C"):
        assert sign in box
    # What to do now is whole on page 1; the list for "today" follows at once.
    assert "call your key contact today" in (box + pages[1] if large else box)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_emergency_box_fits_page_1_in_every_language_in_large_print(store, language, paper):
    store.set_setting("centre", {**CENTRE, "country": "DE"})
    case_id, _ = add_case(store, options=("BRAF_MEK", "DEXAMETHASONE", "BONE_METASTASIS_LOCAL"))
    case = store.get_case(case_id)
    case.metastases.sites = ["brain", "bone"]  # the longest box: every item shown
    store.update_case(case)
    pdf = build_care_programme(store, case_id, language=language, large_print=True, page_size=paper)
    first = pages_of(pdf)[0]
    assert "112" in first and "+33 1 99 99 99 99" in first


def test_one_list_one_threshold_shown_once(store):
    case_id, _ = add_case(
        store, options=("BRAF_MEK", "CYTOTOXIC_CHEMO", "EBRT_CHEMO_DEF", "SURGERY_R0R1")
    )
    text = text_of(build_care_programme(store, case_id, today=TODAY))
    assert text.count("In an emergency") == 1
    assert text.count("noisy breathing") == 1 and text.count("heavy bleeding") == 1
    assert "38.5" not in text and "38,5" not in text
    assert "same day if you have" not in text  # no second urgent list per option
    assert "Call 112 (emergency services)" in text  # no country set: the European number
    assert "Ask your care team for a number you can call day and night" in text


def test_brain_and_fever_items_only_when_they_apply(store, tmp_path):
    case_id, _ = add_case(store, options=("PALLIATIVE_CARE",))
    text = text_of(build_care_programme(store, case_id))
    assert "seizure" not in text and "38 °C" not in text
    brain, _ = add_case(store, options=("DEXAMETHASONE", "BRAF_MEK"), mrn="B1")
    case = store.get_case(brain)
    case.metastases.sites = ["brain"]
    store.update_case(case)
    text = text_of(build_care_programme(store, brain))
    assert "a fit (seizure), or sudden confusion" in text and "38 °C or higher" in text


# --- 2. the patient's words, never the clinicians' note ----------------------------------------


def test_plan_text_never_printed_patient_words_are(store):
    case_id, _ = add_case(
        store,
        options=("BRAF_MEK",),
        plan_text="Dabrafenib 150 mg bd + trametinib 2 mg od; pyrexia protocol; PS 1, R0.",
        patient_explanation="Two tablets a day at home, and a scan in about six weeks.",
        patient_option_explanations={"BRAF_MEK": "Take them with water, not with food."},
    )
    text = text_of(build_care_programme(store, case_id))
    assert "150 mg" not in text and "pyrexia" not in text and "Notes from the team" not in text
    assert "Two tablets a day at home, and a scan in about six weeks." in text
    assert "For you: Take them with water, not with food." in text


def test_nurse_is_warned_about_shorthand_before_printing(store):
    case_id, decision_id = add_case(
        store,
        options=("EBRT_CHEMO_ADJ",),
        patient_explanation="Adjuvant IMRT with paclitaxel bd, then review at PS 1.",
    )
    warnings = check_before_printing(store, case_id, decision_id)
    shorthand = next(w for w in warnings if "shorthand" in w)
    for word in ("bd", "PS", "Adjuvant"):
        assert word in shorthand
    assert "IMRT" not in shorthand  # the glossary explains it
    assert any("24-hour line" in w for w in warnings)
    assert any("discussed with the patient" in w for w in warnings)
    assert shorthand_in("Level VI dissection, R0, 150 mg od", "en") == [
        "VI",
        "dissection",
        "R0",
        "od",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_option_code_or_unexplained_abbreviation_in_the_text(store, language):
    store.set_setting("centre", CENTRE)
    case_id, _ = add_case(store, options=tuple(SECTION_2_CODES), plan_text="R0 IMRT bd")
    case = store.get_case(case_id)
    case.metastases.sites = ["brain", "bone"]
    case.goals_of_care = "active_treatment"
    store.update_case(case)
    programme = care_programme_from_store(store, case_id, language=language)
    printed = [t for t in programme.texts() if t not in (programme.banner, programme.draft_mark)]
    assert not CODE.search("\n".join(printed))
    assert all_shorthand(printed, language) == []
    assert not CODE.search(text_of(build_care_programme(store, case_id, language=language)))


# --- 3. honest framing ----------------------------------------------------------------------


def test_framing_names_the_aim_for_each_situation(store):
    local, _ = add_case(store, options=("SURGERY_R0R1", "EBRT_CHEMO_ADJ"), mrn="L1")
    control, _ = add_case(store, options=("BRAF_MEK", "PALLIATIVE_CARE"), mrn="C1")
    comfort, _ = add_case(store, options=("PALLIATIVE_CARE", "HOSPICE"), mrn="K1")
    case = store.get_case(control)
    case.tnm = d.TNM("T4a", "N1b", "M1")
    case.metastases.sites = ["lung"]
    store.update_case(case)
    texts = {k: text_of(build_care_programme(store, k)) for k in (local, control, comfort)}
    assert "remove or destroy the cancer in your neck" in texts[local]
    assert "A cure is rarely possible" in texts[control]
    assert "more good time" in texts[control] and "ease symptoms" in texts[control]
    assert "puts your comfort first" in texts[comfort]
    assert "never be left without care" in texts[comfort]
    for text in texts.values():
        assert "Your doctor will talk with you about what to expect, whenever you want" in text


# --- 4. personal content ------------------------------------------------------------------------


def test_past_steps_are_never_coming_up(store):
    case_id, _ = add_case(
        store,
        actions=[
            d.Action("Book the operation", "Dr Bartłomiej Żółkiewski", date(2026, 11, 19)),
            d.Action("Radiotherapy planning visit", None, date(2026, 12, 15)),
            d.Action("Meet the dietitian", None, None),
        ],
    )
    text = text_of(build_care_programme(store, case_id, today=date(2026, 12, 1)))
    coming = section(text, "Coming up", ("Your check-ups",))
    happened = section(text, "What has happened so far", ("Coming up",))
    assert "Book the operation" not in coming and "19 November" not in coming
    assert "Book the operation 19 November 2026" in happened
    assert "Radiotherapy planning visit" in coming and "Meet the dietitian" in coming
    steps = split_steps(
        [d.Action("a", None, date(2026, 1, 1)), d.Action("b", None, None)], date(2026, 1, 2)
    )
    assert [a.description for a in steps.past] == ["a"]
    assert [a.description for a in steps.coming] == ["b"]


def _follow_up(store, **kw) -> str:
    text = text_of(build_care_programme(store, kw.pop("case_id"), today=TODAY))
    return section(text, "Your check-ups", ("Who validated this plan", "Eating, drinking"))


def test_tsh_only_after_thyroidectomy_and_calcium_after_it(store):
    items = ["clinical_examination", "tsh", "calcium", "fdg_pet_ct", "ct"]
    no_surgery, _ = add_case(store, options=("BRAF_MEK",), follow_up_items=items, mrn="N1")
    operated, _ = add_case(store, options=("EBRT_CHEMO_ADJ",), follow_up_items=[], mrn="O1")
    case = store.get_case(operated)
    case.phase = "post_resection_r0r1"  # the thyroid was removed (extent not recorded)
    store.update_case(case)
    planned, _ = add_case(store, options=("SURGERY_R0R1",), follow_up_items=items, mrn="P1")
    untouched = _follow_up(store, case_id=no_surgery)
    assert "TSH" not in untouched and "calcium" not in untouched
    assert "a first scan about 6 weeks after you start the medicines" in untouched
    after = _follow_up(store, case_id=operated)
    assert "a TSH blood test, to keep your thyroid hormone (thyroxine) dose right" in after
    assert "a calcium blood test" in after
    before = _follow_up(store, case_id=planned)
    assert "after your operation, a TSH blood test" in before
    assert "after your operation, a calcium blood test" in before


def test_tsh_follows_prior_treatments_where_recorded():
    case = d.Case(patient=d.Patient("M1", "A", "B"))
    decision = d.Decision(case_id=1, agenda_item_id=1, chosen_options=["PALLIATIVE_CARE"])
    assert "tsh_thyroxine" not in follow_up_plan(programme_facts(case, decision), decision)
    case.prior_treatments = [{"type": "total_thyroidectomy", "started_on": "2026-06-01"}]
    plan = follow_up_plan(programme_facts(case, decision), decision)
    assert "tsh_thyroxine" in plan and "calcium" in plan
    case.prior_treatments = [{"type": "lobectomy"}]
    plan = follow_up_plan(programme_facts(case, decision), decision)
    assert "tsh_lobectomy" in plan and "calcium" not in plan


def test_no_routine_scans_for_comfort_care_or_poor_performance_status(store):
    comfort, _ = add_case(store, options=("PALLIATIVE_CARE", "HOSPICE"), mrn="K1")
    frail, _ = add_case(store, options=("BRAF_MEK",), mrn="F1")
    case = store.get_case(frail)
    case.ecog = 3
    store.update_case(case)
    for case_id in (comfort, frail):
        follow = _follow_up(store, case_id=case_id)
        assert "PET/CT" not in follow and "a CT scan" not in follow
        assert "scans only if you have new symptoms" in follow
        assert "as often as you need" in follow


def test_agreed_with_you_only_when_recorded(store):
    unrecorded, _ = add_case(store, mrn="U1")
    recorded, decision_id = add_case(
        store,
        mrn="R1",
        discussed_with_patient_on=date(2026, 11, 6),
        discussed_with_patient_by="Małgorzata Dąbrowska",
    )
    assert "agreed with you" not in text_of(build_care_programme(store, unrecorded))
    assert "Nothing is final until you have asked your questions" in text_of(
        build_care_programme(store, unrecorded)
    )
    text = text_of(build_care_programme(store, recorded))
    assert "with Małgorzata Dąbrowska on 6 November 2026, and it was agreed with you" in text
    stored = store.get_decision(decision_id)
    assert stored.discussed_with_patient_by == "Małgorzata Dąbrowska"


def test_deviation_is_explained_in_the_patients_words(demo_store):
    row = next(r for r in demo_store.list_cases() if r.mrn == "DEMO-0018")
    text = text_of(build_care_programme(demo_store, row.id))
    why = section(text, "Why your plan is different", ("Care and support", "Your treatment"))
    assert "the team would often suggest" in why
    assert "An operation to remove the tumour" in why
    assert "COPD" not in text and "anaesthetist judged" not in text  # the clinicians' words


def test_support_groups_by_country_and_language(store):
    store.set_setting("centre", {**CENTRE, "country": "GB"})
    case_id, _ = add_case(store)
    english = text_of(build_care_programme(store, case_id, language="en"))
    assert "EURACAN" in english and "butterfly.org.uk" in english
    assert "forum-thyroide.net" not in english
    french = text_of(build_care_programme(store, case_id, language="fr"))
    assert "forum-thyroide.net" in french  # a French speaker is also shown French groups
    assert "Małgorzata Dąbrowska, votre personne référente" in french


# --- 5. sections only when they apply ----------------------------------------------------------


def test_sections_shown_only_when_they_apply(store):
    plain, _ = add_case(store, options=("BIOPSY_CORE",), mrn="A1")
    busy, _ = add_case(
        store, options=("AIRWAY_SECURE", "EBRT_CHEMO_DEF", "BRAF_MEK", "CRISIS_PLAN"), mrn="A2"
    )
    headings = (
        "Eating, drinking and tube feeding",
        "Your tracheostomy and your voice",
        "Your plan at home for breathing and bleeding",
        "While you take dabrafenib and trametinib",
    )
    plain_text = text_of(build_care_programme(store, plain))
    busy_text = text_of(build_care_programme(store, busy))
    for heading in headings:
        assert heading not in plain_text
        assert heading in busy_text
    assert "non-hormonal" in busy_text or "not a pill, patch or other hormone" in busy_text
    assert "sun cream" in busy_text and "eyesight" in busy_text


def test_amended_programme_says_what_changed(store):
    case_id, decision_id = add_case(store, options=("SURGERY_R0R1", "EBRT_CHEMO_ADJ"))
    amendment = store.start_amendment(decision_id, "patient declined surgery")
    amendment = store.save_draft(replace(amendment, chosen_options=["EBRT_CHEMO_DEF"]))
    store.sign_decision(amendment.id, "Dr Chair", exception_reason=TEST_SIGN_OFF)
    text = text_of(build_care_programme(store, case_id))
    box = section(text, "What has changed", ("This booklet sums up",))
    assert "New in your plan: Radiotherapy with chemotherapy as the main treatment" in box
    assert "No longer in your plan: An operation to remove the tumour" in box
    original = text_of(build_care_programme(store, case_id, decision_id=decision_id))
    assert "What has changed" not in original


# --- 6. layout -------------------------------------------------------------------------------


def _font_sizes(pdf: bytes) -> Counter[float]:
    sizes: Counter[float] = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(size * tm[0], 1)] += len(text.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_enlarges_every_text(store):
    case_id, _ = add_case(store, options=tuple(SECTION_2_CODES))
    normal = _font_sizes(build_care_programme(store, case_id))
    large = _font_sizes(build_care_programme(store, case_id, large_print=True))
    assert min(large) >= 12.5  # captions, footer, banner and table cells included
    assert min(large) > min(normal) and max(large) > max(normal)


def test_no_heading_ends_a_page(store):
    case_id, _ = add_case(store, options=tuple(SECTION_2_CODES))
    programme = care_programme_from_store(store, case_id)
    headings = {s.heading for s in programme.sections if s.heading}
    for large in (False, True):
        pdf = build_care_programme(store, case_id, large_print=large)
        for page in PdfReader(io.BytesIO(pdf)).pages:
            lines = [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]
            body = [ln for ln in lines if not ln.startswith(("Care programme made", "Page "))]
            assert body[-1] not in headings, body[-1]


# --- 8. languages ------------------------------------------------------------------------------


def _english_headings() -> set[str]:
    en = raw_texts("care_programme", "en")
    found = {v["heading"] for v in en.values() if isinstance(v, dict) and "heading" in v}
    found |= set(en["recommendations"]["groups"].values())
    found |= {en["illness"]["aim_heading"], en["deviation"]["heading"]}
    found |= {" ".join(o["title"].split()) for o in raw_texts("options", "en").values()}
    return found


@pytest.mark.parametrize("language", ["fr", "de"])
def test_each_language_has_no_english_heading_left(store, language):
    store.set_setting("centre", CENTRE)
    case_id, decision_id = add_case(
        store,
        options=tuple(SECTION_2_CODES),
        discussed_with_patient_on=date(2026, 11, 6),
        discussed_with_patient_by="Dr Muñoz",
    )
    amendment = store.start_amendment(decision_id, "new plan")
    store.sign_decision(amendment.id, "Dr Chair", exception_reason=TEST_SIGN_OFF)
    pdf = build_care_programme(store, case_id, language=language, today=date(2026, 12, 1))
    text = text_of(pdf)
    left = sorted(h for h in _english_headings() if h in text)
    assert left == []
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == language


def test_preferred_language_is_the_default_and_can_be_overridden(store):
    case_id, _ = add_case(store)
    case = store.get_case(case_id)
    case.patient.preferred_language = "de"
    store.update_case(case)
    assert "Im Notfall" in text_of(build_care_programme(store, case_id))
    assert "En cas d'urgence" in text_of(build_care_programme(store, case_id, language="fr"))
    with pytest.raises(ValidationError, match="no care programme texts in language 'it'"):
        build_care_programme(store, case_id, language="it")


def test_dates_are_written_per_language():
    patient = d.Patient("M1", "Ana", "Kowalska", birth_date=date(1951, 4, 1))
    case = d.Case(patient=patient)
    decision = d.Decision(case_id=1, agenda_item_id=1, status="signed", signed_by="X")
    meeting = d.Meeting(date(2026, 11, 2), "MDT")
    banners = {
        lang: care_programme_for(case, decision, meeting, None, language=lang).banner
        for lang in LANGUAGES
    }
    assert "born\xa01\xa0April\xa01951" in banners["en"]
    assert "né(e)\xa0le\xa01er\xa0avril\xa01951" in banners["fr"]
    assert "geboren\xa0am\xa01.\xa0April\xa01951" in banners["de"]


def test_numbers_are_written_per_language():
    from mdt_app.documents.care_programme_blocks import Words

    assert Words("en").number(2.5) == "2.5" and Words("fr").number(2.5) == "2,5"
    assert Words("de").number(6) == "6" and Words("de").number(6.0) == "6"


def _keys(node, prefix="") -> set[str]:
    if isinstance(node, dict):
        out = set()
        for key, value in node.items():
            out |= _keys(value, f"{prefix}{key}.")
        return out
    return {prefix.rstrip(".")}


@pytest.mark.parametrize("language", shipped_languages())
def test_every_code_term_and_section_has_a_text_in_every_language(language):
    assert set(shipped_languages()) >= set(LANGUAGES)
    options = raw_texts("options", language)
    for code in sorted(set(SECTION_2_CODES) | pathway_codes()):
        assert code in options, f"{language}: no explanation for option {code}"
        for part in ("title", "what", "why", "how"):
            assert str(options[code].get(part) or "").strip(), (language, code, part)
        assert isinstance(options[code].get("side_effects", []), list)
    english = raw_texts("care_programme", "en")
    own = raw_texts("care_programme", language)
    missing = sorted(_keys(english) - _keys(own))
    assert missing == [], f"{language}: care programme texts missing: {missing}"
    for path in _keys(english):
        node_en, node = english, own
        for key in path.split("."):
            node_en, node = node_en[key], node[key]
        assert type(node) is type(node_en) and node, (language, path)
    glossary_en = {t["key"] for t in raw_texts("glossary", "en")["terms"]}
    glossary = {t["key"]: t for t in raw_texts("glossary", language)["terms"]}
    assert set(glossary) == glossary_en, f"{language}: glossary terms differ"
    for term in glossary.values():
        assert term["term"] and term["triggers"] and term["definition"], term["key"]


# --- readability -------------------------------------------------------------------------------


def test_english_programmes_read_easily(demo_store, store):
    scores = {}
    signed = [r for r in demo_store.list_cases() if r.decision_status in ("signed", "amended")]
    for row in signed:
        text = text_of(build_care_programme(demo_store, row.id, language="en"))
        scores[row.mrn] = textstat.flesch_reading_ease(text)
    case_id, _ = add_case(store, options=tuple(SECTION_2_CODES))
    scores["all options"] = textstat.flesch_reading_ease(
        text_of(build_care_programme(store, case_id, language="en"))
    )
    assert len(scores) >= 4
    assert min(scores.values()) >= 65, scores


def test_long_tables_split_between_rows_with_the_header_repeated(store):
    steps = [d.Action(f"Step number {n} of the plan", None, date(2027, 1, 1)) for n in range(60)]
    case_id, _ = add_case(store, actions=steps)
    pages = pages_of(build_care_programme(store, case_id, today=TODAY))
    holding = [p for p in pages if "Step number" in p]
    assert len(holding) >= 2
    for page in holding:
        assert "What Who arranges it When" in page  # the header row on every page
    for n in range(60):  # every row whole, on one page
        assert sum(f"Step number {n} of the plan" in p for p in pages) == 1
