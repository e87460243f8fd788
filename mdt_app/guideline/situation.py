"""What a rule is evaluated against: one case, its stage, the pathway's settings, a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mdt_app.domain import Case
from mdt_app.staging import StageResult

UNKNOWN = "unknown"
BOOL = ("true", "false", UNKNOWN)


@dataclass(frozen=True)
class Settings:
    """Values the guideline leaves open; they are set in the pathway file.

    The settings added with pathway 2.0 have defaults so that a 1.0 file (kept for
    decisions made on it and for `guideline diff`) still loads.
    """

    good_ps_max_ecog: int = 2
    pdl1_high_min_tps: float = 50.0
    tmb_high_min_mut_per_mb: float = 10.0
    poor_ps_min_ecog: int | None = None  # None: poor starts right above good (no middle tier)
    egfr_cisplatin_min: float = 60.0
    egfr_contrast_min: float = 30.0
    treatment_start_target_days: int = 14
    response_imaging_weeks: int = 6
    reproductive_age_min: int = 12
    reproductive_age_max: int = 55
    surveillance_interval_months: int = 3
    unverified: tuple[tuple[str, str], ...] = ()  # (setting name, why it is unverified)
    given: tuple[str, ...] = ()  # the settings the file names (the others are defaults)

    @property
    def poor_from(self) -> int:
        """The lowest ECOG counted as poor performance status."""
        if self.poor_ps_min_ecog is None:
            return self.good_ps_max_ecog + 1
        return self.poor_ps_min_ecog

    def note(self, name: str) -> str | None:
        return dict(self.unverified).get(name)

    def flag(self, name: str) -> str:
        """The marker a rationale carries when it rests on an unverified setting."""
        return " [unverified cut-off]" if self.note(name) else ""


@dataclass(frozen=True)
class Situation:
    """A case as the rules see it: the case, its stage, the pathway's settings and the day."""

    case: Case
    staging: StageResult
    settings: Settings
    today: date | None = None  # for date rules (overdue treatment start, age); None = not known
