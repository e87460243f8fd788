"""French and German programmes: next steps the app knows in the patient's language, the
clinician's own words as typed (and said so), PDF keywords translated."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from mdt_app import domain as d
from mdt_app.documents.care_programme import build_care_programme
from mdt_app.guideline import load_pathway
from mdt_app.texts import load_texts
from tests.test_care_programme import add_case, pages_of

LATER = date(2036, 1, 15)
AS_TYPED = {
    "fr": "telles que l'équipe les a notées",
    "de": "so, wie das Team sie notiert hat",
}
KEYWORDS = {
    "en": "care programme, anaplastic thyroid cancer",
    "fr": "programme personnalisé de soins, cancer anaplasique de la thyroïde",
    "de": "Behandlungsprogramm, anaplastisches Schilddrüsenkarzinom",
}


def _programme(store, language: str, actions: list[d.Action]) -> bytes:
    case_id, _ = add_case(store, actions=actions)
    return build_care_programme(store, case_id, language=language)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_pathway_work_up_step_is_printed_in_the_patients_language(store, language):
    title = load_pathway().titles["STAGING_IMAGING"]  # what "+ Action" puts in the step
    own = load_texts("options", language)["STAGING_IMAGING"]["title"]
    pdf = _programme(store, language, [d.Action(title, None, LATER)])
    text = " ".join(pages_of(pdf))
    assert " ".join(own.split()) in text
    assert "neck to pelvis" not in text
    assert AS_TYPED[language] not in text  # every step is in the patient's language


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_clinicians_own_words_are_printed_as_typed_and_said_so(store, language):
    pdf = _programme(store, language, [d.Action("Book the operation", None, LATER)])
    text = " ".join(pages_of(pdf))
    assert "Book the operation" in text and AS_TYPED[language] in text


def test_an_english_programme_needs_no_note(store):
    pdf = _programme(store, "en", [d.Action("Book the operation", None, LATER)])
    assert "as the team wrote" not in " ".join(pages_of(pdf))
    assert "Book the operation" in " ".join(pages_of(pdf))


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_pdf_keywords_are_in_the_programmes_language(store, language):
    pdf = _programme(store, language, [d.Action("Book the operation", None, LATER)])
    assert PdfReader(io.BytesIO(pdf)).metadata["/Keywords"] == KEYWORDS[language]
