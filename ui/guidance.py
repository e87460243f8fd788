"""The guideline engine as the window calls it (`mdt_app.meeting.guidance`, with the
"options unavailable" warning in the window's language): never raises."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from mdt_app.domain import Case, Recommendation
from mdt_app.errors import UserError
from mdt_app.meeting import guidance


def recommend_case(case: Case, today: date | None = None) -> Recommendation:
    """The engine's Recommendation for ``case``; a stage-only one if the engine fails."""
    words = QCoreApplication.translate("guidance", "Guideline options unavailable: {why}")
    return guidance.recommend_case(case, today, words)


def unavailable(case: Case, why: str) -> Recommendation:
    """A stage-only Recommendation saying why there are no options."""
    words = QCoreApplication.translate("guidance", "Guideline options unavailable: {why}")
    return guidance.unavailable(case, why, words)


def option_title(code: str) -> str:
    """The pathway's title for an option code (the code itself if it has none)."""
    try:
        from mdt_app.guideline.engine import load_pathway

        return load_pathway().title_of(code)
    except (ImportError, UserError):
        return code
