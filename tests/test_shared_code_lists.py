"""Lists that are read from their one source rather than copied: the care programme's
systemic therapies (from the closed list of option codes) and the rationale's treatment
words (from the case format's prior treatment types)."""

from __future__ import annotations

from mdt_app import domain as d
from mdt_app.documents.care_programme_facts import SYSTEMIC, TUMOUR_DIRECTED
from mdt_app.guideline.codes import CODE_GROUPS
from mdt_app.guideline.history import LINE_NAMES
from mdt_app.wording import VALUE_WORDS


def test_systemic_therapy_is_the_systemic_group_and_chemoradiotherapy():
    # Every systemic option but a trial referral (not a treatment yet) ...
    assert set(CODE_GROUPS["systemic"]) - SYSTEMIC == {"CLINICAL_TRIAL"}
    assert "CLINICAL_TRIAL" in TUMOUR_DIRECTED  # still aimed at the tumour
    # ... and, of the radiotherapy group, only the options given with chemotherapy.
    assert SYSTEMIC & set(CODE_GROUPS["radiotherapy"]) == {"EBRT_CHEMO_ADJ", "EBRT_CHEMO_DEF"}
    assert SYSTEMIC.issubset({*CODE_GROUPS["systemic"], *CODE_GROUPS["radiotherapy"]})


def test_every_prior_treatment_type_has_its_words_in_a_rationale():
    assert list(LINE_NAMES) == list(d.PRIOR_TREATMENT_TYPES)
    for code, words in LINE_NAMES.items():
        assert words == ("other treatment" if code == "other" else VALUE_WORDS[code])
