"""The guideline engine as the window calls it: never raises, always gives a stage.

If the pathway cannot be used (file missing or invalid), the chair still sees the case
and its stage, and the options panel says why there are no options; a decision cannot
be signed off then, because it has no guideline version.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QCoreApplication

from mdt_app.domain import Case, Recommendation
from mdt_app.errors import UserError
from mdt_app.staging import stage_for

log = logging.getLogger(__name__)


def recommend_case(case: Case, today: date | None = None) -> Recommendation:
    """The engine's Recommendation for ``case``; a stage-only one if the engine fails."""
    try:
        from mdt_app.guideline.engine import recommend
    except ImportError as exc:
        return unavailable(case, f"the guideline engine is not installed ({exc})")
    try:
        return recommend(case, today=today)
    except UserError as exc:
        log.warning("guideline not usable: %s", exc)
        return unavailable(case, str(exc))


def unavailable(case: Case, why: str) -> Recommendation:
    staged = stage_for(case.tnm)
    return Recommendation(
        stage=staged.stage,
        stage_basis=staged.basis,
        guideline_id="",
        guideline_title="",
        guideline_version="",
        warnings=(
            QCoreApplication.translate("guidance", "Guideline options unavailable: {why}").format(
                why=why
            ),
        ),
    )


def option_title(code: str) -> str:
    """The pathway's title for an option code (the code itself if it has none)."""
    try:
        from mdt_app.guideline.engine import load_pathway

        return load_pathway().title_of(code)
    except (ImportError, UserError):
        return code
