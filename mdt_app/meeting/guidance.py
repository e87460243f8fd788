"""The guideline engine as the meeting calls it: never raises, always gives a stage.

If the pathway cannot be used (file missing or invalid), the chair still sees the case
and its stage, and the options panel says why there are no options; a decision cannot
be signed off then, because it has no guideline version.
"""

from __future__ import annotations

import logging
from datetime import date

from mdt_app.domain import Case, Recommendation
from mdt_app.errors import UserError
from mdt_app.staging import stage_for

log = logging.getLogger(__name__)

UNAVAILABLE = "Guideline options unavailable: {why}"


def recommend_case(
    case: Case, today: date | None = None, unavailable_words: str = UNAVAILABLE
) -> Recommendation:
    """The engine's Recommendation for ``case``; a stage-only one if the engine fails
    (its warning is ``unavailable_words`` with ``{why}`` filled in)."""
    try:
        from mdt_app.guideline.engine import recommend
    except ImportError as exc:
        return unavailable(case, f"the guideline engine is not installed ({exc})",
                           unavailable_words)  # fmt: skip
    try:
        return recommend(case, today=today)
    except UserError as exc:
        log.warning("guideline not usable: %s", exc)
        return unavailable(case, str(exc), unavailable_words)


def unavailable(case: Case, why: str, words: str = UNAVAILABLE) -> Recommendation:
    """A stage-only Recommendation saying why there are no options."""
    staged = stage_for(case.tnm)
    return Recommendation(
        stage=staged.stage,
        stage_basis=staged.basis,
        guideline_id="",
        guideline_title="",
        guideline_version="",
        warnings=(words.format(why=why),),
    )
