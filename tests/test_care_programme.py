"""The Personalized Care Programme PDF, read back: banner, options, glossary, drafts, fonts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from mdt_app import domain as d
from mdt_app.casefile import parse_case
from mdt_app.documents.care_programme import (
    NoSignedDecision,
    UnprintableText,
    build_care_programme,
    care_programme_from_store,
)
from mdt_app.documents.care_programme_content import glossary
from mdt_app.errors import NotFound, ValidationError
from mdt_app.guideline.codes import OPTION_CODES
from mdt_app.texts import load_texts, text_language

NAME = "Zoë Łukasiewicz-Ångström"
BANNER_NAME = "Zoë ŁUKASIEWICZ-ÅNGSTRÖM"
GLOSSARY_HEADING = "Words used in this programme"
TODAY = date(2026, 11, 6)


# No attendance is recorded in these cases: sign-off then needs a recorded reason.
TEST_SIGN_OFF = "care programme test: no meeting held"


def add_case(
    store,
    *,
    given: str = "Zoë",
    family: str = "Łukasiewicz-Ångström",
    mrn: str = "H123456",
    options: tuple[str, ...] = ("SURGERY_R0R1", "EBRT_CHEMO_ADJ", "THYROID_HORMONE_REPLACEMENT"),
    sign: bool = True,
    **decision_fields,
) -> tuple[int, int]:
    """A case decided at a meeting through the store API; returns (case id, decision id)."""
    raw = {
        "format": "mdt-case/1",
        "patient": {
            "mrn": mrn,
            "given_name": given,
            "family_name": family,
            "birth_date": "1951-04-02",
            "sex": "female",
        },
        "referral": {"referring_clinician": "Dr Ana Smith"},
        "diagnosis": {"confirmed_by": "core_biopsy"},
        "tnm": {"t": "T4a", "n": "N1b", "m": "M0"},
        "care_team": {
            "key_contact_name": "Małgorzata Dąbrowska",
            "key_contact_phone": "+44 20 7946 0321",
        },
    }
    with store.atomic():
        case_id, _ = store.import_case(parse_case(raw))
    meeting_id = store.create_meeting(d.Meeting(date=date(2026, 11, 5), title="ATC MDT"))
    item = store.add_to_agenda(meeting_id, case_id)
    fields = {
        "plan_text": "Total thyroidectomy, then adjuvant IMRT with weekly paclitaxel.",
        "guideline_id": "atc",
        "guideline_version": "2026.1",
        "actions": [
            d.Action("Book the operation", "Dr Bartłomiej Żółkiewski", date(2026, 11, 17)),
            d.Action("Radiotherapy planning visit", None, None),
        ],
        **decision_fields,
    }
    draft = store.save_draft(
        d.Decision(case_id=case_id, agenda_item_id=item.id, chosen_options=list(options), **fields)
    )
    assert draft.id is not None
    if sign:
        store.sign_decision(draft.id, "Dr Inés Muñoz-Álvarez", exception_reason=TEST_SIGN_OFF)
    return case_id, draft.id


def pages_of(pdf: bytes) -> list[str]:
    return [_flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def body_and_glossary(pdf: bytes) -> tuple[str, str]:
    text = " ".join(pages_of(pdf))
    body, _, listed = text.partition(GLOSSARY_HEADING)
    return body, listed


# --- content -----------------------------------------------------------------------------


def test_banner_and_page_numbers_on_every_page(store):
    case_id, _ = add_case(store)
    pages = pages_of(build_care_programme(store, case_id, today=TODAY))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"{BANNER_NAME} · born 2 April 1951 · Hospital number H123456" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "Care programme made on 6 November 2026" in text  # footer: document date


def test_name_dates_and_care_team_round_trip(store):
    store.set_setting(
        "centre",
        {
            "name": "Kraków Thyroid Centre",
            "phone": "+48 12 000 00 00",
            "address": "ul. Ćwiczebna 1",
        },
    )
    case_id, _ = add_case(store)
    text = " ".join(pages_of(build_care_programme(store, case_id, today=TODAY)))
    assert f"For {NAME}" in text
    assert "discussed by the team on 5 November 2026" in text  # MDT date
    assert "made on 6 November 2026" in text
    for fact in (
        "Małgorzata Dąbrowska",
        "Phone: +44 20 7946 0321",
        "Dr Ana Smith",
        "Kraków Thyroid Centre",
        "ul. Ćwiczebna 1",
        "Phone: +48 12 000 00 00",
    ):
        assert fact in text


def test_no_centre_setting_is_handled(store):
    case_id, _ = add_case(store)
    text = " ".join(pages_of(build_care_programme(store, case_id)))
    assert "Your treatment centre Please ask at your next appointment." in text


def test_every_chosen_option_is_explained(demo_store):
    options = load_texts("options")
    signed = [r.id for r in demo_store.list_cases() if r.decision_status in ("signed", "amended")]
    assert len(signed) >= 3
    for case_id in signed:
        decision = demo_store.latest_signed_decision_for_case(case_id)
        text = " ".join(pages_of(build_care_programme(demo_store, case_id, language="en")))
        assert decision.chosen_options
        for code in decision.chosen_options:
            explained = options[code]
            for part in ("title", "what", "why", "how"):
                assert _flat(explained[part]) in text, (case_id, code, part)
            for line in explained["side_effects"] + explained["report"]:
                assert _flat(line) in text, (case_id, code, line)


def test_options_yaml_covers_exactly_the_pathway_codes():
    options = load_texts("options")
    assert set(options) >= set(OPTION_CODES)  # and the v2 codes (test_care_programme_patient)
    for code, text in options.items():
        assert text["group"] in ("tests", "treatment", "care", "not_for_atc"), code
        for part in ("title", "what", "why", "how"):
            assert text[part].strip(), (code, part)
        assert isinstance(text["side_effects"], list) and isinstance(text["report"], list)


def test_every_option_at_once_prints_and_never_shows_a_code(store):
    case_id, _ = add_case(store, options=OPTION_CODES)
    programme = care_programme_from_store(store, case_id)
    printed = "\n".join(programme.texts())
    assert not re.search(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", printed)
    text = " ".join(pages_of(build_care_programme(store, case_id)))
    for code in OPTION_CODES:
        assert _flat(load_texts("options")[code]["title"]) in text, code


def test_never_contradicts_the_pathway_on_rai_and_thyroglobulin(store):
    case_id, _ = add_case(store, options=("RAI", "THYROGLOBULIN_MARKER"))
    text = " ".join(pages_of(build_care_programme(store, case_id)))
    assert "do not take up iodine" in text
    assert "Not used for this cancer" in text
    assert "does not show how the cancer is doing" in text


@pytest.mark.parametrize(
    "options",
    [
        ("SURGERY_R0R1", "EBRT_CHEMO_ADJ", "THYROID_HORMONE_REPLACEMENT"),
        ("BRAF_MEK", "PALLIATIVE_CARE", "HOSPICE"),
        ("BONE_METASTASIS_LOCAL", "DEXAMETHASONE", "NEURO_RADONC_REFERRAL"),
        tuple(OPTION_CODES),
    ],
)
def test_glossary_lists_exactly_the_terms_the_body_uses(store, options):
    case_id, _ = add_case(store, options=options)
    body, listed = body_and_glossary(build_care_programme(store, case_id))
    assert listed, "the glossary is missing"
    used = {t.term for t in glossary("en") if t.used_in(body)}
    shown = {t.term for t in glossary("en") if f"{t.term}:" in listed}
    assert used and shown == used


def test_glossary_follows_the_words_for_the_patient(store):
    plain, _ = add_case(store, options=("PALLIATIVE_CARE",), plan_text="", mrn="A1")
    noted, _ = add_case(
        store,
        options=("PALLIATIVE_CARE",),
        plan_text="Cementoplasty of L3.",  # the team's note: never printed
        patient_explanation="A cementoplasty to make a bone in your back stronger.",
        mrn="A2",
    )
    assert "Cementoplasty:" not in body_and_glossary(build_care_programme(store, plain))[1]
    assert "Cementoplasty:" in body_and_glossary(build_care_programme(store, noted))[1]


def test_next_steps_follow_up_trial_and_validation(store):
    case_id, _ = add_case(
        store,
        follow_up_months=6,
        follow_up_items=["clinical_examination", "tsh", "calcium", "brain_mri"],
        clinical_trial="ATLAS-7 basket trial",
    )
    text = " ".join(pages_of(build_care_programme(store, case_id, today=TODAY)))
    assert "Book the operation Dr Bartłomiej Żółkiewski 17 November 2026" in text
    assert "Radiotherapy planning visit Your care team To be arranged" in text
    assert "about every 6 months" in text
    assert "a calcium blood test" in text and "an MRI scan of the brain" in text
    assert "a CT scan" not in text.split("Your check-ups")[1]
    assert "Małgorzata Dąbrowska will arrange your check-ups" in text
    assert "ATLAS-7 basket trial" in text
    assert "Validated by: Dr Inés Muñoz-Álvarez, chair of the team meeting" in text
    assert "version 2026.1" in text
    assert "agreed with you" not in text  # nothing records that it was discussed with them
    assert "Call 112 (emergency services) straight away" in text


def test_stage_is_explained_gently(store):
    case_id, _ = add_case(store)
    text = " ".join(pages_of(build_care_programme(store, case_id)))
    assert "Your stage is 4B" in text
    assert "%" not in text  # no survival statistics, nor any other figure of the sort


def test_amendment_says_it_replaces_an_earlier_version(store):
    case_id, decision_id = add_case(store)
    amendment = store.start_amendment(decision_id, "patient declined surgery")
    store.sign_decision(amendment.id, "Dr Chair", exception_reason=TEST_SIGN_OFF)
    text = " ".join(pages_of(build_care_programme(store, case_id)))
    assert "This programme replaces an earlier version" in text


# --- drafts and errors --------------------------------------------------------------------


def test_draft_is_marked_on_every_page_and_signed_is_not(store):
    draft_case, _ = add_case(store, sign=False, mrn="D1")
    signed_case, _ = add_case(store, mrn="S1")
    draft_pages = pages_of(build_care_programme(store, draft_case, allow_draft=True))
    assert all("DRAFT - not validated" in p for p in draft_pages)
    assert "Not validated yet. This is a draft." in " ".join(draft_pages)
    assert not any("DRAFT" in p for p in pages_of(build_care_programme(store, signed_case)))


def test_unsigned_decision_is_refused_without_allow_draft(store):
    case_id, decision_id = add_case(store, sign=False)
    with pytest.raises(NoSignedDecision, match=f"case {case_id} has no signed decision"):
        build_care_programme(store, case_id)
    with pytest.raises(NoSignedDecision, match="is a draft"):
        build_care_programme(store, case_id, decision_id=decision_id)


def test_unknown_case_and_foreign_decision(store):
    with pytest.raises(NotFound, match="no case with id 999"):
        build_care_programme(store, 999)
    case_a, _ = add_case(store, mrn="A1")
    _, decision_b = add_case(store, mrn="B1")
    with pytest.raises(ValidationError, match="belongs to another case"):
        build_care_programme(store, case_a, decision_id=decision_b)


def test_characters_the_font_lacks_are_refused_not_dropped(store):
    case_id, _ = add_case(store, given="芳", family="王")
    with pytest.raises(UnprintableText, match="U\\+738B"):
        build_care_programme(store, case_id)


# --- layout -------------------------------------------------------------------------------


def _body_font_size(pdf: bytes) -> float:
    sizes: Counter[float] = Counter()

    def visit(text, cm, tm, font, size):
        sizes[round(size * tm[0], 1)] += len(text.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def test_large_print_and_letter(store):
    case_id, _ = add_case(store)
    normal = build_care_programme(store, case_id)
    large = build_care_programme(store, case_id, large_print=True, page_size="Letter")
    assert _body_font_size(normal) >= 11
    assert _body_font_size(large) >= 14
    reader = PdfReader(io.BytesIO(large))
    assert (reader.pages[0].mediabox.width, reader.pages[0].mediabox.height) == (612, 792)
    assert len(reader.pages) > len(PdfReader(io.BytesIO(normal)).pages)
    with pytest.raises(ValidationError, match="page size"):
        build_care_programme(store, case_id, page_size="A5")


def test_metadata_and_outline(store):
    case_id, _ = add_case(store)
    reader = PdfReader(io.BytesIO(build_care_programme(store, case_id)))
    assert reader.metadata.title == f"Personalized Care Programme for {NAME}"
    assert reader.metadata.author == "MDT Assistant"
    assert "anaplastic thyroid cancer team" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"
    headings = [i.title for i in reader.outline if not isinstance(i, list)]
    assert headings[:5] == [
        "In an emergency",
        "Your care team",
        "About your illness",
        "What the team recommends",
        "What has happened so far",
    ]


def test_reproducible_with_invariant(store, monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)
    case_id, _ = add_case(store)
    first = build_care_programme(store, case_id, today=TODAY)
    assert first == build_care_programme(store, case_id, today=TODAY)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) absent")
@pytest.mark.parametrize("large", [False, True])
def test_fonts_embedded(store, tmp_path, large):
    case_id, _ = add_case(store, options=OPTION_CODES, sign=False)
    path = tmp_path / "pcp.pdf"
    path.write_bytes(build_care_programme(store, case_id, large_print=large, allow_draft=True))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows and all(re.search(r"DejaVuSans\S*\s.*\byes\s+yes\s+yes\b", r) for r in rows)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf absent")
def test_qpdf_check_passes(store, tmp_path):
    case_id, _ = add_case(store)
    for large in (False, True):
        path = tmp_path / f"pcp-{large}.pdf"
        path.write_bytes(build_care_programme(store, case_id, large_print=large))
        done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) absent")
def test_pdftotext_reads_the_name(store, tmp_path):
    case_id, _ = add_case(store)
    path = tmp_path / "pcp.pdf"
    path.write_bytes(build_care_programme(store, case_id))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    assert NAME in out.stdout and BANNER_NAME in out.stdout


# --- texts --------------------------------------------------------------------------------


def test_texts_fall_back_to_english_per_key(tmp_path, monkeypatch):
    from mdt_app import texts

    (tmp_path / "text" / "en").mkdir(parents=True)
    (tmp_path / "text" / "fr").mkdir(parents=True)
    (tmp_path / "text" / "en" / "t.yaml").write_text("a: {x: one, y: two}\nb: three\n")
    (tmp_path / "text" / "fr" / "t.yaml").write_text("a: {x: un}\n")
    monkeypatch.setattr(texts, "resource_path", lambda *p: tmp_path.joinpath(*p))
    texts._merged.cache_clear()
    try:
        assert texts.load_texts("t", "fr") == {"a": {"x": "un", "y": "two"}, "b": "three"}
        assert texts.load_texts("t", "de") == {"a": {"x": "one", "y": "two"}, "b": "three"}
        assert texts.text_language("t", "de") == "en"
    finally:
        texts._merged.cache_clear()
    assert text_language("care_programme", "en") == "en"
